"""In Chromium: every page reads on a shared screen and on a phone.

At 1280x720 with the sidebar open (a presenter sharing a window in a video call) the page's first chart, map
or headline figures show above the fold, enough of them to read, in both languages. At 390x844 (a donor
opening a shared link on a phone) the page never scrolls sideways, and its first figures are on the first
screen. The pages are `ui.PAGES`, so a new page is covered; one server, one browser context a size."""

from __future__ import annotations

import contextlib

import pytest

from mirps_dash import database, i18n, load, public_indicators, ui
from tests.test_browser import (  # noqa: F401 (fixture)
    ARTIFACTS,
    TIMEOUT_MS,
    browser,
    streamlit_server,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

# A page's first figures: a chart, a map or the headline cards. Pages whose first figures are a table say so.
FIGURES = "[data-testid='stVegaLiteChart'], [data-testid='stDeckGlJsonChart'], [data-testid='stMetric']"
TABLE = "[data-testid='stMarkdownContainer'] > table"
FIRST_FIGURES = {
    "plans": TABLE,  # the State's public-statistics indicators: value, 2018 baseline, change, assessment
    "support": TABLE,  # the Platform's chairs
    "about": TABLE,  # the sources
    "data": "[data-testid='stForm']",  # signed out: the sign-in form
}
# How much of them must show, not only their edge: a chart's legend and part of its plot, a table's header and
# first rows (less when the whole element is shorter).
SHOWN_PX = 200
SHARED = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
PHONE_LANGS = ("es",)  # the longer words, and the default language; the fold test reads both


def path_of(page: ui.PageInfo) -> str:
    """The page's address: the script's name; the indicator page opens on one public indicator."""
    path = "/" if page.script == "app.py" else "/" + page.script.removeprefix("pages/").removesuffix(".py")
    if page.key == "indicator":
        path += f"?code={public_indicators.INDICATORS[0].code}"
    return path


PAGES = [(page.key, path_of(page)) for page in ui.PAGES]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('fold') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    engine.dispose()
    with streamlit_server(url) as address:
        yield address


def opened(page, server: str, path: str, lang: str, key: str) -> None:
    """Open `path` in `lang` and wait until its first figures are there (or the time is up) and its script
    has run."""
    from playwright.sync_api import TimeoutError as Timeout

    separator = "&" if "?" in path else "?"
    page.goto(f"{server}{path}{separator}lang={lang}")
    with contextlib.suppress(Timeout):  # none is reported by the test, with a screenshot
        page.wait_for_selector(FIRST_FIGURES.get(key, FIGURES), state="attached", timeout=TIMEOUT_MS)
    wait_until_idle(page, quiet_ms=400)


def first_figures(page, key: str) -> dict | None:
    """Top and height of the page's first figures in the window, None when the page has none."""
    return page.evaluate(
        """selector => {
            const found = document.querySelector(selector);
            if (!found) return null;
            const box = found.getBoundingClientRect();
            return {top: box.top, height: box.height};
        }""",
        FIRST_FIGURES.get(key, FIGURES),
    )


def sidebar_open(page) -> bool:
    return page.evaluate(
        "() => document.querySelector(\"[data-testid='stSidebar']\").getBoundingClientRect().right > 0"
    )


def test_every_page_shows_its_first_figures_above_the_fold_at_1280x720(server, browser):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=SHARED, locale="en-US")
    page = context.new_page()
    below = []
    try:
        for lang in i18n.LANGS:
            for key, path in PAGES:
                opened(page, server, path, lang, key)
                assert sidebar_open(page), f"{path}: the sidebar is closed at 1280x720"
                figures = first_figures(page, key)
                if figures is None or figures["top"] + min(SHOWN_PX, figures["height"]) > SHARED["height"]:
                    below.append(f"{path} ({lang}): first figures at {figures}")
                    page.screenshot(path=str(ARTIFACTS / f"fold_{key}_{lang}_1280x720.png"))
        assert not below, "\n".join(below)
    finally:
        context.close()


def test_the_sidebar_stays_closed_on_the_next_page(server, browser):  # noqa: F811
    """Closed by the reader, it stays closed when a link in the page opens another page of the session."""
    context = browser.new_context(viewport=SHARED, locale="en-US")
    page = context.new_page()
    try:
        opened(page, server, "/plans", "en", "plans")
        page.get_by_test_id("stSidebar").hover()
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
        page.wait_for_function(
            "() => document.querySelector(\"[data-testid='stSidebar']\").getBoundingClientRect().right <= 0",
            timeout=TIMEOUT_MS,
        )
        page.get_by_test_id("stMain").get_by_test_id("stPageLink").first.locator("a").click()
        page.wait_for_url("**/indicator?**", timeout=TIMEOUT_MS)
        wait_until_idle(page, quiet_ms=400)
        assert not sidebar_open(page)
    finally:
        context.close()


def test_no_page_scrolls_sideways_on_a_phone(server, browser):  # noqa: F811
    """Streamlit scrolls the page inside its main block: neither it nor the document may be wider than the
    screen (a wide table scrolls in its own box). The first figures are on the first screen."""
    context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
    page = context.new_page()
    found = []
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        for key, path in PAGES:
            for lang in PHONE_LANGS:
                opened(page, server, path, lang, key)
                before = len(found)
                widths = page.evaluate(
                    """() => {
                        const main = document.querySelector("[data-testid='stMain']");
                        return {document: document.documentElement.scrollWidth, main: main.scrollWidth,
                                screen: window.innerWidth};
                    }"""
                )
                if max(widths["document"], widths["main"]) > widths["screen"]:
                    found.append(f"{path} ({lang}) scrolls sideways: {widths}")
                figures = first_figures(page, key)
                if figures is None or figures["top"] >= PHONE["height"]:
                    found.append(f"{path} ({lang}): first figures at {figures}, below the first screen")
                if len(found) > before:
                    page.screenshot(path=str(ARTIFACTS / f"fold_{key}_{lang}_390x844.png"))
        assert not found, "\n".join(found)
    finally:
        context.close()
