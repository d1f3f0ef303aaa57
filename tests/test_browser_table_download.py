"""In Chromium: a table's toolbar offers no download of its own. Streamlit's writes the cells as they are,
so a name typed as `=HYPERLINK(...)` would reach a spreadsheet as a formula; tables offer the product's
formula-safe CSV and XLSX downloads instead (tests/test_formula_safety.py checks what those write)."""

from __future__ import annotations

import pytest

from mirps_dash import i18n
from tests.test_browser import TIMEOUT_MS, browser, streamlit_server, wait_until_idle  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

STREAMLITS_DOWNLOAD = "Download as CSV"  # the label of the toolbar's own download (Streamlit 1.67)
STREAMLITS_SEARCH = "Search"  # a toolbar button that stays: proof the toolbar was shown at all


@pytest.mark.parametrize("export_allowed", [False, True], ids=["as_configured", "streamlit_default"])
def test_the_table_toolbar_has_no_download(tmp_path, browser, monkeypatch, export_allowed):  # noqa: F811
    """As configured (`client.disableDataExport` in .streamlit/config.toml) the toolbar has no download;
    with Streamlit's default, which the second case forces, it has one: the check can see it."""
    from playwright.sync_api import expect

    if export_allowed:
        monkeypatch.setenv("STREAMLIT_CLIENT_DISABLE_DATA_EXPORT", "false")
    with streamlit_server(f"sqlite:///{tmp_path / 'mirps.sqlite'}", startup_seconds=90) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
        page = context.new_page()
        page.goto(f"{url}/displacement?lang=en")
        opener = page.get_by_role("button", name=i18n.t("data_and_downloads", "en")).first
        expect(opener).to_be_visible(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        opener.click()  # a chart's table, with the product's own downloads beside it
        expect(page.get_by_role("button", name=i18n.t("download_csv", "en")).first).to_be_visible(timeout=10_000)
        table = page.get_by_test_id("stDataFrame").first
        expect(table).to_be_visible(timeout=10_000)
        table.hover()
        # The frame hides Streamlit's toolbar (its words are English whatever the page's language), so its
        # buttons are looked for in the page whether shown or not: the search is there, and the download
        # only where Streamlit's default allows it.
        toolbar = page.locator("[data-testid='stElementToolbar']").first
        expect(toolbar).to_be_hidden(timeout=10_000)
        search = page.get_by_role("button", name=STREAMLITS_SEARCH, exact=True, include_hidden=True)
        expect(search.first).to_be_attached(timeout=10_000)
        download = page.get_by_role("button", name=STREAMLITS_DOWNLOAD, exact=True, include_hidden=True)
        expect(download).to_have_count(1 if export_allowed else 0)
        context.close()
