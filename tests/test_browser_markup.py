"""In Chromium, signed out: a link whose parameter holds Markdown (a link, an image, bare addresses) shows that
text as text. No link to its host appears on the page and the browser asks the image's host for nothing."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from mirps_dash import i18n
from tests.test_browser import ARTIFACTS, TIMEOUT_MS, browser, server  # noqa: F401 (fixtures)
from tests.test_markup import HOSTILE

pytestmark = pytest.mark.browser

HOSTS = ("evil.example", "x")
CUTS = [HOSTILE, "www.evil.example https://evil.example/x a@evil.example :material/warning:"]


@pytest.mark.parametrize("cut", CUTS, ids=["issue-link", "bare-addresses"])
def test_a_hostile_cut_link_draws_no_link_and_fetches_nothing(server, browser, cut):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    asked = []

    def refuse(route):  # nothing may leave for the hostile hosts; any attempt is recorded, then refused
        asked.append(route.request.url)
        route.abort()

    context.route(lambda url: urlsplit(url).hostname in HOSTS, refuse)
    page = context.new_page()
    page.goto(f"{server}/?lang=en&present=1&cut={quote(cut)}")
    warning = page.get_by_test_id("stAlert").filter(has_text=i18n.t("cut_err_unknown", "en", name="").split("“")[0])
    expect(warning).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_timeout(1500)  # an image the page drew would be asked for by now
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    images = page.eval_on_selector_all("img[src]", "images => images.map(i => i.src)")
    assert [href for href in links if urlsplit(href).hostname in HOSTS or href.startswith("mailto:")] == []
    assert [src for src in images if urlsplit(src).hostname in HOSTS] == []
    assert asked == []
    assert "evil.example" in warning.inner_text()  # the name is shown, as text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"hostile_cut_{CUTS.index(cut)}.png"))
    context.close()
