"""In Chromium, against `streamlit run app.py`: the st.App that serves open data and embeds beside the
pages keeps the classic multipage mode and its sign-in gate; an embed draws its chart with every request
outside the server blocked, inside an iframe on another page, at the iframe's width; the server compresses
the API's answers."""

from __future__ import annotations

import gzip
import json
import urllib.request

import pytest

from mirps_dash import catalog, i18n
from tests.test_browser import ARTIFACTS, TIMEOUT_MS, browser, streamlit_server  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with streamlit_server(f"sqlite:///{tmp_path_factory.mktemp('embed') / 'mirps.sqlite'}") as url:
        yield url


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def only_the_server(page, server: str) -> list[str]:
    """Abort every request that is not to `server`; the list fills with the ones refused."""
    refused: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith(server):
            request_route.continue_()
        else:
            refused.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    return refused


def test_a_signed_out_deep_link_to_data_still_shows_only_the_sign_in(server, browser):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    page.goto(f"{server}/data?lang=en")
    expect(page.get_by_role("textbox", name=i18n.t("auth_username", "en"))).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("textbox", name=i18n.t("auth_password", "en"))).to_be_visible()
    expect(page.get_by_text(i18n.t("auth_needed", "en"))).to_be_visible()
    for widget in ("stFileUploader", "stDataFrame", "stDataEditor", "stTabs", "stDownloadButton", "stButtonGroup"):
        expect(page.get_by_test_id("stMain").get_by_test_id(widget)).to_have_count(0)
    context.close()


@pytest.mark.parametrize(
    ("address", "marks", "heading"),
    [
        ("trend?lang=es&country=HND", ".mark-rect path", "Honduras"),
        ("choropleth?lang=en&role=origin", ".mark-shape path", "MIRPS"),
        ("cities-map?lang=es&country=GTM", ".mark-symbol path", "Guatemala"),
        ("flows-map?lang=en&flow_country=HND", ".mark-shape path", "Honduras"),
        ("indicator?lang=es&code=asy_protection_rate&country=MEX", ".mark-line path", "Tasa de protección total"),
        ("host-per-1000?lang=en", ".mark-rect path", "per 1,000"),
        ("types-trend?lang=en&countries=HND&countries=GTM&role=origin&years=2018-2024", ".mark-rect path", "2018"),
        ("workplan?lang=es", ".mark-symbol path", "Calendario"),
    ],
)
def test_an_embed_draws_its_chart_with_every_outside_request_blocked(server, browser, address, marks, heading):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="es-ES")
    page = context.new_page()
    refused = only_the_server(page, server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{server}/embed/{address}")
    page.wait_for_function("document.body.dataset.drawn !== undefined", timeout=TIMEOUT_MS)
    assert page.evaluate("document.body.dataset.drawn") == "1", errors
    assert page.locator(f"#chart svg {marks}").count() >= 5
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    lang = "es" if "lang=es" in address else "en"
    licence = "workplan" if address.startswith("workplan") else "unhcr_population"  # the work plan is no UNHCR data
    expect(page.locator("footer")).to_contain_text(catalog.source(licence).licence[lang])
    assert refused == [] and errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"embed_{address.split('?')[0]}.png"), full_page=True)
    context.close()


def test_an_embed_in_an_iframe_on_another_page_fits_its_width(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="en-US")
    page = context.new_page()
    refused = only_the_server(page, server)
    embed = f'<iframe id="embed" src="{server}/embed/by-country?lang=en" width="420" height="700"></iframe>'
    page.set_content(f"<p>A page elsewhere</p>{embed}")
    frame = page.frame_locator("#embed")
    frame.locator("body[data-drawn='1']").wait_for(timeout=TIMEOUT_MS)
    width = frame.locator("#chart svg").first.evaluate("svg => svg.getBoundingClientRect().width")
    assert 200 < width <= 420
    assert frame.locator("#chart svg .mark-rect path").count() >= 7
    link = frame.get_by_role("link", name=i18n.t("embed_full_view", "en"))
    assert link.get_attribute("href") == "/?lang=en"
    assert refused == []
    page.screenshot(path=str(ARTIFACTS / "embed_by_country_iframe_420.png"), full_page=True)
    context.close()


def test_the_same_command_serves_open_data_compressed_and_health(server):
    status, headers, body = fetch(f"{server}/api/v1/datasets/population.csv?country=HND&year=2025")
    assert status == 200 and body.startswith(b"\xef\xbb\xbf") and b"HND" in body
    status, headers, body = fetch(f"{server}/api/v1/datasets/population.csv", {"Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") == "gzip"
    assert gzip.decompress(body).startswith(b"\xef\xbb\xbf")
    status, _, body = fetch(f"{server}/healthz")
    assert status == 200 and json.loads(body)["schema"] == "head"


def test_the_chart_is_on_screen_before_and_without_the_script(server, browser):  # noqa: F811
    """The server's picture of the chart is in the page itself: a first visit sees it while the 0.9 MB of
    Vega is still on its way, and a browser that never gets the script still shows the figure."""
    context = browser.new_context(viewport={"width": 800, "height": 700}, locale="en-US")
    page = context.new_page()
    page.route("**/embed/vega-bundle.js", lambda route: route.abort())
    page.goto(f"{server}/embed/trend?lang=en&country=GTM")
    picture = page.locator("#chart svg.first-paint")
    assert picture.count() == 1 and picture.locator(".mark-rect path").count() >= 5
    box = picture.bounding_box()
    assert box and 0 < box["width"] <= 800 and box["height"] > 100
    page.screenshot(path=str(ARTIFACTS / "embed_trend_without_script.png"), full_page=True)
    context.close()


def test_the_open_data_benchmark_runs_and_records_what_it_printed(tmp_path):
    """bench/api.py in quick mode: it asserts nothing about time (timed tests are flaky), only that every
    measure is taken and the run is recorded."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n")
    command = [sys.executable, "bench/api.py", "--quick", "--record", str(results)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    for line in ("API: filtered country-year CSV", "embed `by-country` painted", "the overview page", "0 errors"):
        assert line in done.stdout, line
    assert done.stdout.strip() in results.read_text()
