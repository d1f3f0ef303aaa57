"""In a real browser: `streamlit run` on a fresh SQLite file, driven by Debian's Chromium via Playwright.

The server starts on an empty database, so these tests also prove the first-run load. Screenshots land in
tests/artifacts/ (git-ignored) for a person to look at."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mirps_dash import i18n, metrics, slides
from tests import truth
from tests.conftest import ROOT, skip_or_fail

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling home, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
TIMEOUT_MS = 60_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_idle(page, quiet_ms: int = 750) -> None:
    """Until Streamlit's running indicator has stayed away for `quiet_ms`: a rerun still in flight (the
    sign-in reruns once more to set its cookie) can redraw a widget the test is about to use. The quiet time
    counts from this call: a rerun the last action asked for may not have shown the indicator yet, and an idle
    spell from before that action says nothing about it."""
    page.evaluate("window.__mirpsIdleSince = null")
    page.wait_for_function(
        """quiet => {
            const busy = document.querySelector("[data-testid='stStatusWidget']");
            if (busy) { window.__mirpsIdleSince = null; return false; }
            window.__mirpsIdleSince = window.__mirpsIdleSince || Date.now();
            return Date.now() - window.__mirpsIdleSince >= quiet;
        }""",
        arg=quiet_ms,
        polling=100,
        timeout=TIMEOUT_MS,
    )


def sign_in(page, username: str, password: str, attempts: int = 3, lang: str = "en") -> None:
    """Sign in through the page's form (already open) and wait until the sign-out button shows. A rerun in
    flight when the form is sent (the cookie component loads and reruns the page) can drop the submission,
    so the form is sent again, once the page is idle, when it is still there."""
    from playwright.sync_api import expect

    sign_out = page.get_by_role("button", name=i18n.t("auth_sign_out", lang))
    for attempt in range(attempts):
        wait_until_idle(page)
        page.get_by_role("textbox", name=i18n.t("auth_username", lang)).fill(username)
        page.get_by_role("textbox", name=i18n.t("auth_password", lang)).fill(password)
        page.get_by_role("button", name=i18n.t("auth_submit", lang)).click()
        try:
            expect(sign_out).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            wait_until_idle(page)
            if attempt == attempts - 1 or not page.get_by_role("button", name=i18n.t("auth_submit", lang)).count():
                expect(sign_out).to_be_visible(timeout=TIMEOUT_MS)  # sent, only slow: wait for it
                return


def upload_file(page, path: Path, attempts: int = 3) -> None:
    """Give the page's file uploader `path` and wait until it lists the file. A rerun that lands between
    choosing and uploading drops the choice silently, so the choice is made again when it does."""
    from playwright.sync_api import expect

    listed = page.get_by_test_id("stFileChipName").filter(has_text=path.name)
    for attempt in range(attempts):
        wait_until_idle(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
        try:
            expect(listed).to_be_visible(timeout=10_000)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise


@contextlib.contextmanager
def streamlit_server(database_url: str, startup_seconds: float = 60):
    """`streamlit run app.py` on a free loopback port against `database_url`; yields its address."""
    port = free_port()
    env = {**os.environ, "MIRPS_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"streamlit did not start: {process.stdout.read().decode()[-2000:]}")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with streamlit_server(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'mirps.sqlite'}") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail("MIRPS_REQUIRE_BROWSER", "Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("MIRPS_REQUIRE_BROWSER", "playwright is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_overview_shows_the_latest_headline_figure_from_the_csv(server, page, lang):
    from playwright.sync_api import expect

    page.goto(f"{server}/?lang={lang}")
    expected = truth.grouped(truth.protection_total("asylum", truth.latest_year()), lang)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(expected, timeout=TIMEOUT_MS)
    expect(page.get_by_role("heading", name=i18n.t("overview_title", lang))).to_be_visible()
    expect(
        page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first
    ).to_be_visible(timeout=TIMEOUT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"overview_{lang}_1280x720.png"), full_page=True)


def test_language_switch_and_navigation_keep_the_language_in_the_url(server, page):
    from playwright.sync_api import expect

    page.goto(f"{server}/?lang=es")
    expect(page.get_by_role("heading", name=i18n.t("overview_title", "es"))).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_test_id("stSidebar").get_by_role("radio", name="English").click()
    expect(page.get_by_role("heading", name=i18n.t("overview_title", "en"))).to_be_visible(timeout=TIMEOUT_MS)
    assert "lang=en" in page.url
    page.get_by_test_id("stSidebar").get_by_role("link", name=i18n.t("page_about", "en")).click()
    expect(page.get_by_role("heading", name=i18n.t("about_title", "en")).first).to_be_visible(timeout=TIMEOUT_MS)
    assert "/about" in page.url and "lang=en" in page.url


def test_a_deep_link_opens_the_page_with_the_frame(server, page):
    from playwright.sync_api import expect

    page.goto(f"{server}/about?lang=en")
    expect(page.get_by_role("heading", name=i18n.t("about_title", "en")).first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stSidebar").get_by_role("link", name=i18n.t("page_overview", "en"))).to_be_visible()


def colours_in(png: bytes) -> set[tuple[int, int, int]]:
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png)).convert("RGB")
    return {colour for _, colour in image.getcolors(maxcolors=1 << 20)}


def near(colours: set[tuple[int, int, int]], hex_colour: str, tolerance: int = 6) -> bool:
    target = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return any(all(abs(c - t) <= tolerance for c, t in zip(colour, target, strict=True)) for colour in colours)


def test_cities_maps_draw_with_no_network_but_the_app(server, browser):
    """Every request to anything but the app's own server is blocked: the page opens on the fixed map with
    no deck.gl loaded, its outlines and points drawn; a click on Tijuana (found by its tooltip: the map is
    fitted to its box, so no pixel is hard-coded) names it under the map; the tab to zoom into draws the
    same outlines and points with deck.gl."""
    from playwright.sync_api import expect

    from mirps_dash import maps

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    outside, failed, scripts = [], [], []

    def only_the_app(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_app)
    page = context.new_page()
    page.on("requestfailed", lambda request: request.url.startswith(server) and failed.append(request.url))
    page.on("request", lambda request: scripts.append(request.url))
    page.goto(f"{server}/cities?lang=en")
    fixed = page.locator(".st-key-cities_fixed_map [data-testid='stVegaLiteChart']").first
    points = fixed.locator("g.mark-symbol path")
    expect(points).to_have_count(len(truth.rows("cities_of_solidarity.csv")), timeout=TIMEOUT_MS)
    colours = colours_in(fixed.screenshot())
    assert near(colours, maps.MIRPS_COLOUR), "MIRPS outlines not drawn on the fixed map"
    assert near(colours, maps.STATUS_COLOURS["recognized"]), "city points not drawn on the fixed map"
    tooltip = page.locator("#vg-tooltip-element")
    tijuana = None
    for index in range(points.count()):
        points.nth(index).hover(force=True)
        if tooltip.is_visible() and "Tijuana" in tooltip.inner_text():
            tijuana = points.nth(index)
            break
    assert tijuana is not None, "no point of the fixed map answers for Tijuana"
    tijuana.click(force=True)
    selected = f"{i18n.t('cities_selected', 'en')}: Tijuana"
    expect(page.get_by_text(selected)).to_be_visible(timeout=TIMEOUT_MS)
    assert not [url for url in scripts if "DeckGlJsonChart" in url]  # deck.gl is loaded with this chunk
    page.screenshot(path=str(ARTIFACTS / "cities_fixed_offline_1280x720.png"), full_page=True)

    page.get_by_role("tab", name=i18n.t("tab_cities_zoom", "en")).click()
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    expect(canvas).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_timeout(3000)  # deck.gl draws after the element appears
    colours = colours_in(canvas.screenshot())
    assert near(colours, maps.MIRPS_COLOUR), "MIRPS outlines not drawn"
    assert near(colours, maps.STATUS_COLOURS["recognized"]), "city points not drawn"
    assert "section=zoom" in page.url
    assert not failed, failed
    assert not [url for url in outside if "tile" in url or "basemaps" in url or "mapbox" in url]
    page.screenshot(path=str(ARTIFACTS / "cities_offline_1280x720.png"), full_page=True)
    context.close()


def test_a_chart_draws_its_bars_from_the_data_the_server_sent(server, browser):
    """Pages hand Streamlit each chart's data already in Arrow (`widgets._spec`): the bars must draw in
    each population type's colour, for the visitor whose run made the spec and for the next one, whose
    run draws the remembered spec."""
    from io import BytesIO

    from PIL import Image
    from playwright.sync_api import expect

    from mirps_dash import charts

    for visitor in ("first", "next"):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        page.goto(f"{server}/displacement?lang=en")
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        expect(chart.locator("canvas, svg").first).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_timeout(1500)  # Vega draws the marks after the element appears
        image = Image.open(BytesIO(chart.screenshot())).convert("RGB")
        context.close()
        counts = image.getcolors(maxcolors=1 << 20)
        for kind in metrics.PROTECTION_TYPES:
            # the legend's swatch has about 100 pixels of the colour; bars have thousands
            painted = sum(n for n, colour in counts if near({colour}, charts.TYPE_COLOURS[kind]))
            assert painted > 1000, f"{kind} bars missing for the {visitor} visitor ({painted} pixels)"


def test_the_choropleth_draws_without_deck_gl_and_a_click_on_a_country_opens_its_flows(server, page):
    """The choropleth and the flows map are Altair maps: no deck.gl on the page. Hovering finds Mexico by its
    tooltip (the map is fitted to the box, so no pixel is hard-coded); clicking it opens the flows' tab on
    Mexico instead of the first state (Belize), and the address says so."""
    from playwright.sync_api import expect

    scripts = []
    page.on("request", lambda request: scripts.append(request.url))
    page.goto(f"{server}/displacement?lang=en&section=states")
    shape = page.locator(".st-key-displacement_choropleth [data-testid='stVegaLiteChart'] svg").first
    expect(shape).to_be_visible(timeout=TIMEOUT_MS)
    shape.scroll_into_view_if_needed()
    box = shape.bounding_box()
    tooltip = page.locator("#vg-tooltip-element")
    spot = None
    for y in range(1, 10):
        for x in range(1, 16):
            position = {"x": box["width"] * x / 16, "y": box["height"] * y / 10}
            shape.hover(position=position)
            if tooltip.is_visible() and tooltip.inner_text().startswith("Mexico:"):
                spot = position
                break
        if spot:
            break
    assert spot, "no point of the map answers for Mexico"
    assert "flow_country=BLZ" in page.url or "flow_country" not in page.url
    shape.click(position=spot)
    page.wait_for_function("() => window.location.search.includes('flow_country=MEX')", timeout=TIMEOUT_MS)
    heading = i18n.t("flows_from", "en", country="Mexico")
    expect(page.get_by_text(heading, exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("tab", name=i18n.t("tab_flows", "en"))).to_have_attribute("aria-selected", "true")
    assert "section=flows" in page.url
    assert not [url for url in scripts if "DeckGlJsonChart" in url]  # deck.gl is loaded with this chunk
    assert page.locator("[data-testid='stDeckGlJsonChart']").count() == 0


def test_the_flows_country_reruns_the_flows_section_alone(server, page):
    """The flows on /displacement are a fragment: changing their country reruns and sends that section alone,
    not the page around it. Counted on the websocket: opening the flows' tab reruns the page and sends every
    element of it, one message each; the flows' country sends its own (under two thirds of them: not the
    sidebar, the title, the tabs or the definitions). The section, its heading and the address follow the
    choice, and a copied link opens on it."""
    from playwright.sync_api import expect

    from bench.browser import FILTERS, WATCH_SOCKET

    page.add_init_script(f"({WATCH_SOCKET})()")
    page.goto(f"{server}/displacement?lang=en")
    expect(page.get_by_role("tab", name=i18n.t("tab_flows", "en"))).to_be_visible(timeout=TIMEOUT_MS)
    wait_until_idle(page)

    def messages_of_the_run_after(change) -> int:
        runs = page.evaluate("window.mirpsRuns")
        change()
        page.wait_for_function("runs => window.mirpsRuns > runs", arg=runs, timeout=TIMEOUT_MS)
        wait_until_idle(page)
        return page.evaluate("window.mirpsRunMessages")[runs]

    whole_page = messages_of_the_run_after(lambda: page.get_by_role("tab", name=i18n.t("tab_flows", "en")).click())
    expect(page.get_by_text(i18n.t("flows_from", "en", country="Belize"), exact=True)).to_be_visible()
    _what, flows_country, _baseline = FILTERS["displacement flows"]
    section = messages_of_the_run_after(lambda: flows_country.choose(page, "Honduras"))
    assert section * 3 < whole_page * 2, (section, whole_page)
    expect(page.get_by_text(i18n.t("flows_from", "en", country="Honduras"), exact=True)).to_be_visible()
    assert "flow_country=HND" in page.url and "section=flows" in page.url
    link = page.url
    page.goto(link)
    expect(page.get_by_text(i18n.t("flows_from", "en", country="Honduras"), exact=True)).to_be_visible(
        timeout=TIMEOUT_MS
    )


def test_controls_write_the_view_back_to_the_url(server, page):
    from playwright.sync_api import expect

    page.goto(f"{server}/displacement?lang=en&countries=HND&countries=GTM")
    expect(page.get_by_role("heading", name=i18n.t("displacement_title", "en"))).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("radio", name=i18n.t("role_origin_short", "en")).click()
    page.wait_for_function("() => window.location.search.includes('role=origin')", timeout=TIMEOUT_MS)
    assert "countries=HND" in page.url and "countries=GTM" in page.url
    # The copied link reproduces the view, in the other language too.
    link = page.url.replace("lang=en", "lang=es")
    page.goto(link)
    expect(page.get_by_role("radio", name=i18n.t("role_origin_short", "es"))).to_be_checked(timeout=TIMEOUT_MS)


@pytest.mark.parametrize(
    ("path", "opening", "tab", "after"),
    [("displacement", 1, "states", 3), ("country?country=HND", 2, "flows", 3)],
)
def test_a_page_in_tabs_draws_only_the_open_one_and_the_address_names_it_in_any_language(
    server, page, path, opening, tab, after
):
    """/displacement's and /country's sections are tabs of which only the open one is sent and drawn: on
    /displacement one chart on arrival (the trend), three on "By State" (ranking, shares, map); on /country
    the two trends, then two rankings and a map on "Flows". The address holds the tab's code, so a link
    copied in English opens the same tab in Spanish."""
    from playwright.sync_api import expect

    charts = page.locator("[data-testid='stVegaLiteChart']")
    page.goto(f"{server}/{path}{'&' if '?' in path else '?'}lang=en")
    expect(charts.first.locator("canvas, svg").first).to_be_visible(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    assert charts.count() == opening
    page.get_by_role("tab", name=i18n.t(f"tab_{tab}", "en")).click()
    page.wait_for_function(f"() => window.location.search.includes('section={tab}')", timeout=TIMEOUT_MS)
    expect(charts).to_have_count(after, timeout=TIMEOUT_MS)
    link = page.url.replace("lang=en", "lang=es")
    page.goto(link)
    expect(page.get_by_role("tab", name=i18n.t(f"tab_{tab}", "es"))).to_have_attribute(
        "aria-selected", "true", timeout=TIMEOUT_MS
    )
    expect(charts).to_have_count(after, timeout=TIMEOUT_MS)


def test_presentation_keys_step_through_slides_without_scrolling(server, page):
    from playwright.sync_api import expect

    page.goto(f"{server}/?lang=en&present=1")
    expect(page.get_by_test_id("stMetricValue").first).to_be_visible(timeout=TIMEOUT_MS)
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stMetricValue]')).fontSize)"
    )
    assert size >= 48
    page.screenshot(path=str(ARTIFACTS / "present_en_1280x720.png"))
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.location.search.includes('slide=2')", timeout=TIMEOUT_MS)
    expect(
        page.get_by_role(
            "heading", name=i18n.t("slide_trend_asylum", "en", start=truth.first_year(), end=truth.latest_year())
        )
    ).to_be_visible(timeout=TIMEOUT_MS)


def test_presentation_advances_by_itself_and_stops_at_the_last_slide(server, page):
    last = len(slides.deck("region", workplan=time.localtime().tm_year in truth.workplan_years()))
    page.goto(f"{server}/?lang=en&present=1&auto=2&slide={last - 1}")
    page.wait_for_function(f"() => window.location.search.includes('slide={last}')", timeout=TIMEOUT_MS)
    page.wait_for_timeout(5_000)  # two more intervals: it stays on the last slide
    assert f"slide={last}" in page.url and "auto=2" in page.url
