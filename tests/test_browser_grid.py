"""In Chromium: a national team enters figures in the on-screen grid of /data, for a period where some
values are already reported and for one where none are, sees the preview, submits, and the PPT approves.
The reported failure: the grid showed versions as "1.0", empty cells as "None" and raw headers, and at
once refused its own rows ("«1.0» is not a version number")."""

from __future__ import annotations

import re
from datetime import date

import pytest

from mirps_dash import accounts, database, demo, i18n, load, writes
from mirps_dash.access import Actor
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
TEAM = Actor("ntt-hnd", "ntt", "HND")
NEW_VALUE_COLUMN = 3  # row, indicator, reported value, new value, comment, code
COMMENT_COLUMN = 4


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('grid') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    demo.load(engine)
    accounts.add_user(engine, TEAM.username, "ntt", PASSWORD, "HND", display_name="Equipo Honduras")
    accounts.add_user(engine, "ppt-lead", "ppt", PASSWORD)
    # one period with a value for every HND indicator, one never reported
    rows = writes.current_values(engine, TEAM, "HND")
    codes = {r["code"] for r in rows}
    reported = {p for p in {r["period"] for r in rows} if p and {r["code"] for r in rows if r["period"] == p} == codes}
    empty = max(p for p in range(writes.FIRST_PERIOD, date.today().year + 1) if not any(r["period"] == p for r in rows))
    return url, engine, max(reported), empty


@pytest.fixture(scope="module")
def server(prepared):
    with streamlit_server(prepared[0]) as url:
        yield url


def values(engine, period: int) -> dict[str, tuple[float | None, int | None]]:
    _, *body = writes.template_rows(engine, TEAM, "HND", "en", period)
    return {code: (value, version) for code, _, _, value, version, _ in body}


def type_in_cell(page, row: int, column: int, text: str) -> None:
    """Select the first column's cell of `row` (1 = the first data row), move right to `column`, open the
    cell's editor, type and commit, as a person does with the keyboard."""
    from playwright.sync_api import expect

    grid = page.get_by_test_id("stDataFrame").first
    grid.click(position={"x": 20, "y": 35 * row + 17}, force=True)
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.get_by_test_id("portal").locator(".gdg-clip-region")
    expect(editor).to_be_visible(timeout=10_000)
    page.keyboard.type(text, delay=20)
    page.keyboard.press("Enter")
    wait_until_idle(page)


def submit_once(page, label: str, done, attempts: int = 3) -> None:
    """Click the submit button and wait for `done`. A rerun in flight when the button is clicked (the
    grid's last edit) can redraw the button and drop the click: the button is then still there, with nothing
    saved, and is clicked again; once anything is saved the button is gone, so nothing is sent twice."""
    from playwright.sync_api import expect

    button = page.get_by_role("button", name=label)
    for attempt in range(attempts):
        wait_until_idle(page)
        if button.count():
            button.click()
        try:
            expect(done).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            if attempt == attempts - 1:
                expect(done).to_be_visible(timeout=TIMEOUT_MS)


def choose_period(page, lang: str, period: int) -> None:
    from playwright.sync_api import expect

    box = page.get_by_label(i18n.t("col_period", lang))
    expect(box).to_be_visible(timeout=TIMEOUT_MS)
    for _ in range(3):  # a rerun still in flight after signing in can redraw the input over what was typed
        box.fill(str(period))
        box.press("Enter")
        wait_until_idle(page)
        if box.input_value() == str(period):
            return
    expect(box).to_have_value(str(period))


@pytest.mark.parametrize("which", ["reported", "empty"])
def test_grid_entry_previews_submits_and_is_approved(server, browser, prepared, which):  # noqa: F811
    from playwright.sync_api import expect

    _, engine, reported, empty = prepared
    period, lang = (reported, "es") if which == "reported" else (empty, "en")
    before = values(engine, period)
    first_code = sorted(before)[0]
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="es-ES")
    page = context.new_page()
    page.goto(f"{server}/data?lang={lang}")
    sign_in(page, TEAM.username, PASSWORD, lang=lang)
    choose_period(page, lang, period)
    page.get_by_text(i18n.t("data_how_grid", lang), exact=True).click()
    wait_until_idle(page)
    expect(page.get_by_test_id("stDataFrame")).to_be_visible(timeout=TIMEOUT_MS)
    # nothing is refused before anything is typed
    expect(page.get_by_text(i18n.t("data_grid_problems", lang, n=1)[:20])).to_have_count(0)
    expect(page.get_by_text(i18n.t("data_problems", lang, n=1)[:20])).to_have_count(0)
    preview = i18n.t("imp_summary_preview", lang, new=9, changed=9, unchanged=9).split("9")[0]
    type_in_cell(page, 1, NEW_VALUE_COLUMN, "1234.5")
    # the value alone is an edit: its preview shows before the comment is typed, so the comment's click never
    # lands while the value's rerun is redrawing the grid
    expect(page.get_by_text(re.compile("^" + re.escape(preview)))).to_be_visible(timeout=TIMEOUT_MS)
    type_in_cell(page, 1, COMMENT_COLUMN, "grid entry")
    page.screenshot(path=str(ARTIFACTS / f"data_grid_{which}_preview_{lang}.png"), full_page=True)
    expect(page.get_by_text(i18n.t("data_grid_problems", lang, n=1)[:20])).to_have_count(0)
    expect(page.get_by_text(re.compile("^" + re.escape(preview)))).to_be_visible(timeout=TIMEOUT_MS)
    saved = i18n.t("data_saved", lang, new=0, changed=0, unchanged=0).split(":")[0]
    submit_once(page, i18n.t("data_submit", lang), page.get_by_text(re.compile("^" + re.escape(saved))))
    page.screenshot(path=str(ARTIFACTS / f"data_grid_{which}_saved_{lang}.png"), full_page=True)
    # the grid starts again on what was saved: the new value is the reported one, nothing waits to be sent
    expect(page.get_by_text(re.compile("^" + re.escape(preview)))).to_have_count(0)
    context.close()

    after = values(engine, period)
    assert after[first_code] == (1234.5, (before[first_code][1] or 0) + 1)
    assert {code: v for code, v in after.items() if code != first_code} == {
        code: v for code, v in before.items() if code != first_code
    }
    [latest, *_] = writes.history(engine, TEAM, first_code, period)
    assert (latest["new_value"], latest["reason"], latest["changed_by"]) == (1234.5, "grid entry", TEAM.username)

    presidency = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = presidency.new_page()
    page.goto(f"{server}/data?lang=en")
    sign_in(page, "ppt-lead", PASSWORD)
    page.get_by_text(i18n.t("data_section_review", "en"), exact=True).click()
    batch = page.get_by_label(i18n.t("data_pick_batch", "en"))
    batch.click()
    page.keyboard.type(f"Honduras · {period}")
    page.keyboard.press("Enter")
    wait_until_idle(page)
    page.get_by_role("button", name=i18n.t("data_approve", "en")).click()
    expect(page.get_by_text(re.compile(r"value\(s\) updated"))).to_be_visible(timeout=TIMEOUT_MS)
    presidency.close()
    with engine.connect() as connection:
        from sqlalchemy import text

        status = connection.execute(
            text(
                "SELECT v.status FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id "
                "WHERE i.code = :code AND v.period = :period"
            ),
            {"code": first_code, "period": period},
        ).scalar_one()
    assert status == "approved"
