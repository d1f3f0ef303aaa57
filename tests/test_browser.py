"""In a real browser: `streamlit run` on a fresh SQLite file, driven by Debian's Chromium via Playwright.

The server starts on an empty database, so these tests also prove the first-run load. Screenshots land in
tests/artifacts/ (git-ignored) for a person to look at."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mirps_dash import i18n
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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "MIRPS_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('browser') / 'mirps.sqlite'}"}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
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
    yield url
    process.terminate()
    process.wait(timeout=20)


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
