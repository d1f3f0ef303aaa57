"""In Chromium: the sign-in cookie is the server's, HttpOnly and SameSite=Strict, out of reach of the page's
scripts; it opens a reloaded page while its session lives, and signing out ends and clears it. The sign-in
answers an unknown name and a wrong password in the same words."""

from __future__ import annotations

import pytest

from mirps_dash import accounts, database, i18n, load
from tests.test_browser import TIMEOUT_MS, browser, sign_in, streamlit_server, wait_until_idle  # noqa: F401

pytestmark = pytest.mark.browser

USER, PASSWORD = "cookie-user", "a long enough password"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('sessions') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    accounts.add_user(engine, USER, "viewer", PASSWORD)
    with streamlit_server(url) as address:
        yield address


def test_the_cookie_is_httponly_strict_and_signing_out_clears_it(server, browser):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{server}/data?lang=en")
    sign_in(page, USER, PASSWORD)
    page.wait_for_timeout(1000)  # the image that sets the cookie loads after the page
    (cookie,) = [c for c in context.cookies() if c["name"] == "mirps_session"]
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["secure"] is False  # plain http here; the route tests check Secure over HTTPS
    assert "mirps_session" not in page.evaluate("() => document.cookie")

    page.reload()  # a new page session: only the cookie can sign it in
    sign_out = page.get_by_role("button", name=i18n.t("auth_sign_out", "en"))
    expect(sign_out).to_be_visible(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    sign_out.click()
    expect(page.get_by_role("textbox", name=i18n.t("auth_password", "en"))).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)
    assert [c for c in context.cookies() if c["name"] == "mirps_session"] == []
    replay = browser.new_context(locale="en-US")
    replay.add_cookies([cookie])
    stolen = replay.new_page()
    stolen.goto(f"{server}/data?lang=en")
    expect(stolen.get_by_role("textbox", name=i18n.t("auth_password", "en"))).to_be_visible(timeout=TIMEOUT_MS)
    replay.close()
    context.close()


def test_an_unknown_name_and_a_wrong_password_get_the_same_answer(server, browser):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{server}/data?lang=en")
    answers = []
    for username in ("nobody-at-all", USER):
        wait_until_idle(page)
        page.get_by_role("textbox", name=i18n.t("auth_username", "en")).fill(username)
        page.get_by_role("textbox", name=i18n.t("auth_password", "en")).fill("not the password")
        page.get_by_role("button", name=i18n.t("auth_submit", "en")).click()
        alert = page.get_by_test_id("stAlert")
        expect(alert).to_be_visible(timeout=TIMEOUT_MS)
        answers.append(alert.inner_text())
        wait_until_idle(page)
    assert answers == [i18n.t("auth_refused", "en", minutes=accounts.LOCK_MINUTES)] * 2
    context.close()
