"""In Chromium: a national team signs in and uploads a value, the PPT approves and publishes it, and the
public sees it on the plans page. A copy of the sign-in cookie opens the Data page until sign-out, and
nothing after it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from mirps_dash import accounts, database, demo, i18n, load, writes
from mirps_dash.access import Actor
from tests.test_browser import ARTIFACTS, TIMEOUT_MS, browser, sign_in, streamlit_server, upload_file  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"
PERIOD = 2025
VALUE = 4321


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('data_entry') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    demo.load(engine)
    accounts.add_user(engine, "ntt-hnd", "ntt", PASSWORD, "HND", display_name="Equipo Honduras")
    accounts.add_user(engine, "ppt-lead", "ppt", PASSWORD)
    _, first, *_ = writes.template_rows(engine, Actor("t", "admin"), "HND", "en", PERIOD)
    return url, first[0]


@pytest.fixture(scope="module")
def server(prepared):
    with streamlit_server(prepared[0]) as url:
        yield url


def open_signed_in(page, server: str, username: str) -> None:
    page.goto(f"{server}/data?lang=en")
    sign_in(page, username, PASSWORD)


def test_upload_approve_publish_and_the_public_sees_it(server, browser, prepared, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    code = prepared[1]
    team = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = team.new_page()
    open_signed_in(page, server, "ntt-hnd")
    upload = tmp_path / "values.csv"
    upload.write_text(f"indicator_code,period,value,comment\n{code},{PERIOD},{VALUE},annual report\n")
    upload_file(page, upload)
    expect(page.get_by_text("Nothing has been saved yet")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name=i18n.t("data_submit", "en")).click()
    saved = i18n.t("data_saved", "en", new=0, changed=0, unchanged=0).split(":")[0]
    expect(page.get_by_text(re.compile("^" + re.escape(saved)))).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Nothing has been saved yet")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "data_entry_submitted.png"), full_page=True)

    # the cookie opens a new browser window while the session lives, and nothing once signed out
    saved = team.cookies()
    assert any(cookie["name"] == "mirps_session" for cookie in saved)
    copy = browser.new_context(locale="en-US")
    copy.add_cookies(saved)
    other = copy.new_page()
    other.goto(f"{server}/data?lang=en")
    expect(other.get_by_role("button", name=i18n.t("auth_sign_out", "en"))).to_be_visible(timeout=TIMEOUT_MS)
    copy.close()
    page.get_by_role("button", name=i18n.t("auth_sign_out", "en")).click()
    expect(page.get_by_role("textbox", name=i18n.t("auth_password", "en"))).to_be_visible(timeout=TIMEOUT_MS)
    team.close()
    replay = browser.new_context(locale="en-US")
    replay.add_cookies(saved)
    stolen = replay.new_page()
    stolen.goto(f"{server}/data?lang=en")
    expect(stolen.get_by_role("textbox", name=i18n.t("auth_password", "en"))).to_be_visible(timeout=TIMEOUT_MS)
    expect(stolen.get_by_role("button", name=i18n.t("auth_sign_out", "en"))).to_have_count(0)
    replay.close()

    presidency = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = presidency.new_page()
    open_signed_in(page, server, "ppt-lead")
    page.get_by_text(i18n.t("data_section_review", "en"), exact=True).click()
    batch = page.get_by_label(i18n.t("data_pick_batch", "en"))
    batch.click()
    page.keyboard.type(f"Honduras · {PERIOD}")
    page.keyboard.press("Enter")
    page.get_by_role("button", name=i18n.t("data_approve", "en")).click()
    expect(page.get_by_text(re.compile(r"value\(s\) updated"))).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name=i18n.t("data_publish", "en")).click()
    expect(page.get_by_text(re.compile(r"value\(s\) updated"))).to_be_visible(timeout=TIMEOUT_MS)
    page.screenshot(path=str(ARTIFACTS / "data_entry_published.png"), full_page=True)
    presidency.close()

    public = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = public.new_page()
    page.goto(f"{server}/plans?lang=en&country=HND&period={PERIOD}")
    validated = i18n.t("validated", "en", when=i18n.long_date(datetime.now(UTC).date(), "en"))
    expect(page.get_by_text(validated).first).to_be_visible(timeout=TIMEOUT_MS)  # a date in words, no user name
    expect(page.get_by_text(re.compile(f"{VALUE // 1000},{VALUE % 1000:03d}")).first).to_be_visible()
    public.close()
