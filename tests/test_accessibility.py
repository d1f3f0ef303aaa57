"""In Chromium: axe-core finds no WCAG 2.x A/AA violation on any page, in either language, signed out and
signed in; the page declares its language; every chart and map has a text alternative.

axe runs offline: `axe-playwright-python` ships `axe.min.js` and injects it into the page itself.
Screenshots of each audited page at 1280x720 land in tests/artifacts/ for a person to look at."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from mirps_dash import accounts, database, demo, i18n, load
from tests.test_browser import (  # noqa: F401 (fixture)
    ARTIFACTS,
    TIMEOUT_MS,
    browser,
    sign_in,
    streamlit_server,
    wait_until_idle,
)

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Every page, and every tab a page draws only when it is open (its code is in the URL).
PATHS = (
    "/",
    "/displacement",
    "/displacement?section=states",
    "/displacement?section=flows",
    "/displacement?section=solutions",
    "/displacement?section=internal",
    "/country",
    "/country?section=progress",
    "/country?section=flows",
    "/country?section=internal",
    "/country?section=mirps",
    "/plans",
    "/cities",
    "/cities?section=zoom",
    "/workplan",
    "/support",
    "/about",
    "/indicator",
    "/data",
    "/?present=1",
    "/?present=1&slide=2",
    "/country?present=1&country=HND",
)
DATA_SECTIONS = ("review", "history", "reference", "audit")  # /data opens on "enter"; an administrator sees all


@dataclass(frozen=True)
class Exclusion:
    """A violation that is Streamlit's own, not the project's: one rule, on the elements one selector
    names (an element matches when it or an ancestor does), and why it cannot be fixed from here."""

    rule: str
    selector: str
    reason: str


EXCLUSIONS: tuple[Exclusion, ...] = ()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """The shipped data, the illustrative rows (their orange mark must be legible too) and an administrator,
    who sees every page and every section of /data."""
    url = f"sqlite:///{tmp_path_factory.mktemp('accessibility') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    demo.load(engine)
    accounts.add_user(engine, "a11y-admin", "admin", PASSWORD, display_name="Secretaría Técnica")
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def server(prepared):
    with streamlit_server(prepared) as url:
        yield url


UNDRAWN = "() => document.querySelectorAll('[data-testid=stSkeleton]').length"
# Streamlit scrolls inside stMain: its height is the page's.
FULL_HEIGHT = (
    "() => Math.max(innerHeight, ...[...document.querySelectorAll('[data-testid=stMain]')].map(e => e.scrollHeight))"
)


def settle(page, *, rerun: bool = True) -> None:
    """Until the script run is over (when one was started: `rerun`) and the charts and maps in view have drawn."""
    if rerun:
        page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=TIMEOUT_MS)
        page.wait_for_timeout(300)
        wait_until_idle(page)
    deadline = time.monotonic() + 20
    while page.evaluate(UNDRAWN) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    page.wait_for_timeout(500)


TALL = 3_000  # most pages fit: one script run and one wait for the charts drawn when in view


def open_whole(page, url: str) -> None:
    """Open `url` in a window as tall as the page (lazily drawn charts draw only in view)."""
    page.set_viewport_size({"width": 1280, "height": TALL})
    page.goto(url)
    settle(page)
    height = min(page.evaluate(FULL_HEIGHT), 12_000)
    if height > TALL:
        page.set_viewport_size({"width": 1280, "height": height})
        settle(page, rerun=False)


def excluded(page, rule: str, node: dict) -> bool:
    for exclusion in EXCLUSIONS:
        if exclusion.rule != rule:
            continue
        target = node["target"][-1] if node["target"] else None
        if isinstance(target, str) and page.evaluate(
            "([target, selector]) => !!document.querySelector(target)?.closest(selector)",
            [target, exclusion.selector],
        ):
            return True
    return False


def violations(page) -> list[str]:
    """axe's WCAG A/AA violations on the page as lines a person can act on, less the named exclusions."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            if excluded(page, violation["id"], node):
                continue
            summary = node.get("failureSummary", "").replace("\n", " ")
            found.append(f"{violation['id']}: {node['target']} {node['html'][:160]} | {summary[:300]}")
    return found


# Vega names every chart "Vega visualization"; a pydeck map has no name of its own.
CHART_NAMES = """() => [...document.querySelectorAll(
    "[data-testid=stVegaLiteChart], [data-testid=stDeckGlJsonChart]")].map(chart => {
        const named = chart.closest("[aria-label]") || chart.querySelector("[aria-label]");
        return named ? named.getAttribute("aria-label") : "";
    })"""


def unnamed_charts(page) -> list[str]:
    """The accessible names of the charts and maps on the page that have no sentence of their own."""
    return [name for name in page.evaluate(CHART_NAMES) if not name or name == "Vega visualization"]


def checked(page, where: str, lang: str, shot: str) -> list[str]:
    """The open page's problems, each named by `where`; a screenshot of its top at 1280x720 as `shot`."""
    found = []
    declared = page.evaluate("() => document.documentElement.lang")
    if declared != lang:
        found.append(f"{where}: <html lang={declared!r}>, the page is in {lang!r}")
    found += [f"{where}: {line}" for line in violations(page)]
    found += [f"{where}: a chart or map named {name!r}, not by its summary" for name in unnamed_charts(page)]
    page.set_viewport_size({"width": 1280, "height": 720})
    page.evaluate("() => document.querySelector('[data-testid=stMain]')?.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / f"a11y_{shot}_{lang}_1280x720.png"))
    return found


def audit(page, server: str, lang: str, label: str, data_sections: tuple[str, ...] = ()) -> list[str]:
    """Every page in PATHS, then on /data each of `data_sections` (chosen with its control, not the URL)."""
    found = []
    for path in PATHS:
        separator = "&" if "?" in path else "?"
        open_whole(page, f"{server}{path}{separator}lang={lang}")
        name = path.strip("/").replace("?", "_").replace("&", "_").replace("=", "-") or "overview"
        found += checked(page, path, lang, f"{label}_{name}")
    # A chart's data table, in its popover (the table Streamlit draws on a canvas, with its own grid roles)
    open_whole(page, f"{server}/displacement?lang={lang}")
    page.get_by_role("button", name=i18n.t("data_and_downloads", lang)).first.click()
    page.get_by_test_id("stDataFrame").first.wait_for(timeout=TIMEOUT_MS)
    found += checked(page, "/displacement data table", lang, f"{label}_displacement-table")
    for section in data_sections:
        open_whole(page, f"{server}/data?lang={lang}")
        page.get_by_role("radio", name=i18n.t(f"data_section_{section}", lang)).click()
        settle(page)
        found += checked(page, f"/data {section}", lang, f"{label}_data-{section}")
    return found


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_no_wcag_violations_signed_out(server, browser, lang):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    try:
        found = audit(context.new_page(), server, lang, "public")
    finally:
        context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_no_wcag_violations_signed_in(server, browser, lang):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"{server}/data?lang={lang}")
        sign_in(page, "a11y-admin", PASSWORD, lang=lang)
        found = audit(page, server, lang, "admin", data_sections=DATA_SECTIONS)
    finally:
        context.close()
    assert not found, "\n".join(found)


def test_the_page_language_follows_the_language_switch(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"{server}/about?lang=es")
        page.wait_for_function("() => document.documentElement.lang === 'es'", timeout=TIMEOUT_MS)
        page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
        page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=TIMEOUT_MS)
        page.get_by_test_id("stSidebar").get_by_role("radio", name="Español").click()
        page.wait_for_function("() => document.documentElement.lang === 'es'", timeout=TIMEOUT_MS)
    finally:
        context.close()
