"""A change of coverage is not growth. Changes and trends compare only what the source counts (> 0) in both
years, State by State and type by type, and name what entered or left the count: UNHCR counts Mexico's IDPs
from 2022 (262,411 at once), Guatemala's from 2025, and the category of other people in need of international
protection from 2018. Pinned on every output the functions feed: the /displacement tables and sentences on
screen, their CSV and XLSX, the overview's trend sentences, the headline cards (the /country page, the slides,
the factsheet and the deck draw them from `briefing.cards`). Expected figures come from the shipped CSV."""

from __future__ import annotations

import io

import openpyxl
import pytest

from mirps_dash import briefing, exports, i18n, markup, metrics, queries, settings, summaries, tables
from tests import truth
from tests.conftest import open_page, shown_table

TYPES = (*metrics.PROTECTION_TYPES, "idps")
MEXICO_IDPS_FROM = min(
    y for y in range(truth.first_year(), truth.latest_year() + 1) if truth.value(y, "MEX", "asylum", "idps")
)


def counted(year: int, country: str, role: str, code: str) -> int:
    return truth.value(year, country, role, code) or 0


def like_for_like(start: int, end: int, countries, role: str, types) -> tuple[int, int, list[tuple[str, str]]]:
    """The two years' sums over the (State, type) pairs counted in both, and the pairs counted in `end` only."""
    first = last = 0
    entered = []
    for country in countries:
        for code in types:
            before, after = counted(start, country, role, code), counted(end, country, role, code)
            if before > 0 and after > 0:
                first, last = first + before, last + after
            elif after > 0:
                entered.append((country, code))
    return first, last, entered


def signed(number: int, lang: str) -> str:
    return ("+" if number > 0 else "-" if number < 0 else "±") + truth.grouped(abs(number), lang)


def not_counted_cell(code: str, year: int, lang: str) -> str:
    return i18n.t("cell_not_counted_in", lang, types=i18n.population_type(code, lang), year=year)


def test_mexico_s_first_idp_count_is_a_change_of_coverage():
    assert counted(MEXICO_IDPS_FROM - 1, "MEX", "asylum", "idps") == 0  # what the source holds the year before


@pytest.fixture(scope="module")
def series(loaded_sqlite_url):
    reader = queries.Reader(loaded_sqlite_url)
    return queries.population_series(reader, settings.MIRPS_COUNTRIES, "asylum", TYPES, (2016, truth.latest_year()))


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_year_on_year_table_and_its_files_leave_a_first_count_out(series, lang):
    year = MEXICO_IDPS_FROM
    first, last, entered = like_for_like(year - 1, year, ["MEX"], "asylum", TYPES)
    assert ("MEX", "idps") in entered
    total_now = sum(counted(year, "MEX", "asylum", c) for c in TYPES)
    total_before = sum(counted(year - 1, "MEX", "asylum", c) for c in TYPES)
    assert last - first != total_now - total_before  # the old, misleading change
    localised = tables.localise(metrics.year_on_year(series, year), lang)
    country, change, note = (i18n.t(k, lang) for k in ("col_country", "col_change", "col_not_in_change"))
    mexico = localised.filter(localised[country] == i18n.country_name("MEX", lang)).row(0, named=True)
    assert mexico[change] == last - first
    assert not_counted_cell("idps", year - 1, lang) in mexico[note]
    # the CSV and the XLSX carry the same change and the same note
    csv = exports.csv_bytes(localised).decode("utf-8-sig")
    assert f"{last - first}," in csv and not_counted_cell("idps", year - 1, lang) in csv
    sheet = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(localised, []))).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header, *body = rows
    row = next(r for r in body if r[header.index(country)] == i18n.country_name("MEX", lang))
    assert row[header.index(change)] == last - first
    assert not_counted_cell("idps", year - 1, lang) in row[header.index(note)]


def test_a_state_whose_source_counts_none_of_the_types_shows_no_figure_and_says_why(series):
    year = truth.latest_year()
    idps = metrics.where(series, population_type="idps")
    none = [c for c in settings.MIRPS_COUNTRIES if not counted(year, c, "asylum", "idps")]
    none = [c for c in none if not counted(year - 1, c, "asylum", "idps")]
    assert none  # Belize, Costa Rica, Panama
    for lang in i18n.LANGS:
        shown = {
            r[i18n.t("col_country", lang)]: r
            for r in tables.formatted(tables.localise(metrics.year_on_year(idps, year), lang), lang).iter_rows(
                named=True
            )
        }
        for country in none:
            row = shown[i18n.country_name(country, lang)]
            assert row[i18n.t("col_value", lang)] == i18n.t("no_data", lang)  # never "0"
            assert row[i18n.t("col_not_in_change", lang)] == i18n.t("not_counted", lang)
        sentence = summaries.change(metrics.year_on_year(idps, year), lang)
        assert i18n.t("summary_change_nothing", lang, countries=i18n.country_names(sorted(none), lang)) in sentence


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_displacement_page_shows_the_like_for_like_change_and_names_the_first_count(app_database, lang):
    year = MEXICO_IDPS_FROM
    app = open_page(
        "pages/displacement.py",
        lang=lang,
        section="states",
        types=list(TYPES),
        years=[str(truth.first_year()), str(year)],
    )
    assert not app.exception
    rows = {r[i18n.t("col_country", lang)]: r for r in shown_table(app, i18n.t("col_country", lang))}
    first, last, _ = like_for_like(year - 1, year, ["MEX"], "asylum", TYPES)
    mexico = rows[i18n.country_name("MEX", lang)]
    assert mexico[i18n.t("col_change", lang)] == signed(last - first, lang)
    assert not_counted_cell("idps", year - 1, lang) in markup.unescaped(mexico[i18n.t("col_not_in_change", lang)])
    items = i18n.t("summary_type_in", lang, type="", countries=i18n.country_name("MEX", lang))
    text = "\n".join(markup.unescaped(m.value) for m in app.markdown)
    sentence = i18n.t("summary_not_counted_in", lang, year=year - 1, items="")
    assert sentence.rstrip(".") in text and items in text


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_displacement_trend_sentence_compares_like_for_like(app_database, lang):
    start, end = truth.first_year(), truth.latest_year()
    app = open_page("pages/displacement.py", lang=lang, section="trend", types=list(TYPES))
    assert not app.exception
    first, last, entered = like_for_like(start, end, settings.MIRPS_COUNTRIES, "asylum", TYPES)
    assert ("MEX", "idps") in entered
    text = "\n".join(markup.unescaped(m.value) for m in app.markdown)
    assert f"{truth.grouped(last, lang)}" in text and f"({truth.grouped(first, lang)})" in text
    old = i18n.t(  # the old sentence: the whole of the last year against the first, first counts as growth
        "summary_trend", lang, end=end, total="", types="", direction="", start=start, first=truth.grouped(first, lang)
    )
    assert old.split(":")[-1] not in text
    assert last != sum(counted(end, c, "asylum", t) for c in settings.MIRPS_COUNTRIES for t in TYPES)
    assert i18n.t("summary_not_counted_in", lang, year=start, items="").rstrip(".") in text
    assert (
        i18n.country_name("MEX", lang)
        in text.split(i18n.t("summary_not_counted_in", lang, year=start, items="")[:12])[-1]
    )


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_overview_trend_sentences_compare_state_by_state(app_database, lang):
    start, end = truth.first_year(), truth.latest_year()
    app = open_page("app.py", lang=lang)
    assert not app.exception
    names = [c.proto.alt for c in app.get("vega_lite_chart")]
    for role in ("asylum", "origin"):
        first, last, entered = like_for_like(start, end, settings.MIRPS_COUNTRIES, role, metrics.PROTECTION_TYPES)
        found = [n for n in names if f"({truth.grouped(first, lang)})" in n and truth.grouped(last, lang) in n]
        assert found, role
        if entered:
            assert i18n.t("summary_not_counted_in", lang, year=start, items="")[:12] in found[0]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_headline_cards_leave_a_type_counted_for_the_first_time_out_of_the_change(loaded_sqlite_url, lang):
    """Other people in need of international protection are counted in Mexico and Panama from 2018: the
    region's "hosted" card for 2018 (the country page, the factsheet and the deck show these cards)."""
    data = briefing.FromReader(queries.Reader(loaded_sqlite_url))
    year = 2018
    first, last, entered = like_for_like(year - 1, year, settings.MIRPS_COUNTRIES, "asylum", metrics.PROTECTION_TYPES)
    assert entered
    (hosted,) = [card for card in briefing.headline(data, lang, year) if card.key == "hosted"]
    assert hosted.delta == i18n.t("delta_vs", lang, delta=i18n.signed(last - first, lang), year=year - 1)
    note = summaries.not_counted({year - 1: entered}, lang)
    assert note in hosted.notes
    for country, _ in entered:
        assert i18n.country_name(country, lang) in note


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_headline_slide_its_pptx_and_its_pdf_name_a_state_counted_for_the_first_time(loaded_sqlite_url, lang):
    """UNHCR counts Guatemala's IDPs from 2025: the region's IDP card, as the slide, the deck and the factsheet
    render it (headline content only: no chart to draw), says Guatemala is not in the change."""
    import pypdf
    from pptx import Presentation

    from mirps_dash import factsheet, pptx_deck, slides

    data = briefing.FromReader(queries.Reader(loaded_sqlite_url))
    span = (truth.first_year(), truth.latest_year())
    year = span[1]
    entered = [
        c
        for c in settings.MIRPS_COUNTRIES
        if counted(year, c, "asylum", "idps") and not counted(year - 1, c, "asylum", "idps")
    ]
    assert entered == ["GTM"]
    note = summaries.not_counted({year - 1: [(c, "") for c in entered]}, lang)
    assert i18n.country_name("GTM", lang) in note
    content = briefing.slide(data, slides.Slide("headline"), lang, span)
    (idps,) = [card for card in content.cards if card.key == "idps_unhcr"]
    assert note in idps.notes
    deck = Presentation(io.BytesIO(pptx_deck.render([content], lang)))
    texts = " ".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    assert note in texts
    pdf = factsheet.render([factsheet.Page(content.title, "", (content,))], lang)
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert " ".join(note.split()) in text
