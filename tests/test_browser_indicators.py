"""In Chromium at a 1280x720 screen share: /plans opens on the public-statistics figures of the chosen
State, and /indicator on its chart of the seven States, both languages; screenshots for a person to judge."""

from __future__ import annotations

import pytest

from mirps_dash import i18n, indicator_texts
from tests.test_browser import ARTIFACTS, TIMEOUT_MS, browser, server, streamlit_server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
FOLD = 720


def shown(page, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("[data-testid='stMain']", timeout=TIMEOUT_MS)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_plans_opens_on_real_figures_above_the_fold(server, browser, lang):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": FOLD}, locale="en-US")
    page = context.new_page()
    shown(page, f"{server}/plans?lang={lang}&country=HND&year=2024")
    heading = page.get_by_text(i18n.t("pi_section_title", lang, country=i18n.country_name("HND", lang), year=2024))
    expect(heading).to_be_visible(timeout=TIMEOUT_MS)
    first = page.get_by_role("link", name=indicator_texts.name("asy_new_applications", lang)).first
    expect(first).to_be_visible(timeout=TIMEOUT_MS)
    assert first.bounding_box()["y"] < FOLD  # the first real figure is on the first screen
    page.screenshot(path=str(ARTIFACTS / f"plans_public_{lang}_1280x720.png"))
    with context.expect_page() as opened:  # its link opens the indicator's page beside /plans (a new tab),
        first.click()  # in the same language, for the same State
    page = opened.value
    expect(page.get_by_role("heading", name=indicator_texts.name("asy_new_applications", lang))).to_be_visible(
        timeout=TIMEOUT_MS
    )
    assert "code=asy_new_applications" in page.url and "country=HND" in page.url and f"lang={lang}" in page.url
    context.close()


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_indicator_page_shows_its_chart_above_the_fold(server, browser, lang):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": FOLD}, locale="en-US")
    page = context.new_page()
    shown(page, f"{server}/indicator?lang={lang}&code=host_per_1000&country=CRI")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    expect(chart).to_be_visible(timeout=TIMEOUT_MS)
    chart.locator("canvas, svg").first.wait_for(timeout=TIMEOUT_MS)
    assert chart.bounding_box()["y"] < FOLD
    page.screenshot(path=str(ARTIFACTS / f"indicator_{lang}_1280x720.png"))
    context.close()
