"""Localised tables and one-sentence summaries, from real shipped data."""

from __future__ import annotations

import re

import polars as pl
import pytest

from mirps_dash import briefing, catalog, i18n, metrics, queries, settings, summaries, tables, widgets
from tests import truth


@pytest.fixture(scope="module")
def series(loaded_sqlite_url) -> pl.DataFrame:
    reader = queries.Reader(loaded_sqlite_url)
    return queries.population_series(reader, settings.MIRPS_COUNTRIES, "asylum", metrics.PROTECTION_TYPES, (2016, 2025))


def test_localise_names_codes_and_headers(series):
    shown = tables.localise(metrics.year_on_year(series, 2025), "es")
    assert shown.columns == ["País", "Personas", "Año anterior", "Cambio", "Cambio (%)", "Fuera del cambio"]
    assert "Panamá" in shown["País"].to_list()
    mexico = shown.filter(pl.col("País") == "México").row(0, named=True)
    current = truth.protection_total_country("asylum", 2025, "MEX")
    previous = truth.protection_total_country("asylum", 2024, "MEX")
    assert mexico["Personas"] == current
    assert mexico["Cambio (%)"] == round((current - previous) / previous * 100, 1)


def test_formatted_numbers_follow_the_locale_and_missing_reads_no_data():
    frame = pl.DataFrame({"country_iso3": ["HND", "BLZ"], "value": [94449, None]})
    for lang in i18n.LANGS:
        shown = tables.formatted(tables.localise(frame, lang), lang)
        assert shown[i18n.t("col_value", lang)].to_list() == [truth.grouped(94449, lang), i18n.t("no_data", lang)]


def test_partner_tables_name_others(loaded_sqlite_url):
    partners = queries.partners(queries.Reader(loaded_sqlite_url), "HND", "origin", 2025, metrics.PROTECTION_TYPES)
    top = metrics.top_partners(partners, limit=3)
    shown = tables.localise(top, "en")
    assert shown["Country"][-1] == i18n.t("others", "en", n=partners.height - 3)
    assert shown["People"].sum() == partners["value"].sum()


def test_summaries_state_the_data(series):
    year = truth.latest_year()
    ranking = metrics.country_totals(series, year)
    sentence = summaries.ranking(ranking, year, "en")
    leader = ranking.row(0, named=True)
    assert i18n.country_name(leader["country_iso3"], "en") in sentence
    assert truth.grouped(leader["value"], "en") in sentence
    trend = summaries.trend(metrics.totals_by_year_and_type(series), "es")
    assert truth.grouped(truth.protection_total("asylum", year), "es") in trend
    assert truth.grouped(truth.protection_total("asylum", 2016), "es") in trend


def test_summaries_say_nothing_about_an_empty_selection():
    empty = pl.DataFrame(schema={"year": pl.Int64, "population_type": pl.String, "value": pl.Int64})
    assert summaries.trend(empty, "en") is None
    assert summaries.ranking(pl.DataFrame(schema={"country_iso3": pl.String, "value": pl.Int64}), 2025, "en") is None


def test_exported_csv_reads_back_as_the_table_shown(series):
    """What a user downloads is what they saw: the CSV re-read and formatted equals the screen table."""
    import io

    from mirps_dash import exports

    for lang in i18n.LANGS:
        localised = tables.localise(metrics.year_on_year(series, 2025), lang)
        shown = tables.formatted(localised, lang)
        exported = pl.read_csv(io.BytesIO(exports.csv_bytes(localised)[3:]))  # past the BOM
        assert exported.columns == shown.columns
        assert tables.formatted(exported, lang).equals(shown)


def test_a_click_on_a_chart_bar_or_a_map_country_picks_that_country():
    """Selection payloads as Streamlit 1.67 returns them (recorded from a click in Chromium)."""
    from types import SimpleNamespace

    from mirps_dash import charts, widgets

    bar = SimpleNamespace(selection={charts.SELECTION: [{"country_iso3": "MEX"}]})
    on_map = SimpleNamespace(selection={charts.SELECTION: [{"country_iso3": "HND"}]})
    nothing = SimpleNamespace(selection={charts.SELECTION: []})
    assert widgets.picked_country(bar) == "MEX"
    assert widgets.picked_country(on_map) == "HND"
    assert widgets.picked_country(nothing) is None
    assert widgets.picked_country(None) is None


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_idp_note_names_the_states_left_out_and_only_them(lang):
    """Under the UNHCR/IDMC comparison on the overview and its slide: never a dash for an empty list."""
    assert summaries.idp_comparison([], lang) == i18n.t("idp_compare_note", lang)
    note = summaries.idp_comparison(["BLZ", "PAN"], lang)
    assert note.startswith(i18n.t("idp_compare_note", lang))
    assert i18n.country_name("BLZ", lang) in note and i18n.country_name("PAN", lang) in note
    assert i18n.country_name("HND", lang) not in note


def test_a_view_narrows_drops_and_renames_and_is_handed_out_again():
    frame = pl.DataFrame({"a": [1, 2], "b": ["x", "y"], "c": [True, False]})
    shown = tables.view(frame, ("c", "a"), rename={"a": "A"})
    assert shown.columns == ["c", "A"] and shown["A"].to_list() == [1, 2]
    assert tables.view(frame, drop=("b",)).columns == ["a", "c"]
    assert tables.view(frame.clone(), ("c", "a"), rename={"a": "A"}) is shown


def test_a_link_column_keeps_the_first_of_several_sources():
    frame = pl.DataFrame({"source_url": ["https://a.example ; https://b.example", "https://c.example"]})
    assert tables.with_first_url(frame, "source_url")["source_url"].to_list() == [
        "https://a.example",
        "https://c.example",
    ]


def test_distinct_values_and_partitions_keep_their_orders():
    frame = pl.DataFrame({"code": ["B", "A", "B", None], "value": [1, 2, 3, 4]})
    assert metrics.distinct(frame, "code") == ["A", "B"]
    parts = metrics.partitions(frame, "code")
    assert [part["value"].to_list() for part in parts] == [[1, 3], [2], [4]]


def test_a_markdown_table_aligns_figures_right_and_keeps_a_pipe_inside_its_cell():
    table = tables.markdown_table(["Name", "People"], [["A | B", "1,234"]], right=[1])
    assert table.splitlines() == ["| Name | People |", "|---|---:|", "| A \\| B | 1,234 |"]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_frame_as_markdown_reads_as_the_grid_did(lang):
    frame = pl.DataFrame(
        {
            "country_iso3": ["HND", "GTM"],
            "population": [850848, None],
            "city": ["Tegucigalpa", "US$ 5"],
            "source_url": ["https://example.org/a (b)", None],
        }
    )
    header, rule, *rows = tables.as_markdown(frame, lang, link="source_url").splitlines()
    assert header == "| " + " | ".join(tables.localise(frame, lang).columns) + " |"
    assert rule == "|---|---:|---|---|"  # figures right-aligned wherever their column stands
    no_data, link = i18n.t("no_data", lang), i18n.t("open_link", lang)
    assert rows == [
        f"| Honduras | {truth.grouped(850848, lang)} | Tegucigalpa | [{link}](<https://example.org/a (b)>) |",
        f"| Guatemala | {no_data} | US\\$ 5 | {no_data} |",  # a dollar would open LaTeX
    ]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_source_line_links_only_addresses_and_cites_no_date_for_invented_rows(lang):
    """The illustrative rows' line read "data as of not applicable · not data", linked to README.md, and
    the work plan's linked to a file the server does not serve: both links led nowhere."""
    for source in catalog.SOURCES:
        line = widgets.source_line((source.key,), lang)
        linked = re.findall(r"\]\(([^)]*)\)", line)
        assert linked == ([source.url] if source.url.startswith("https://") else []), line
        assert line.startswith(f"**{i18n.t('source', lang)}:** {source.publisher[lang]}, ")
        # Agencies by their names in the page's language: Spanish pages read "UNHCR", English ones "ACNUR".
        other = {"es": ("UNHCR", "OAS", "IOM", "Dashboard"), "en": ("ACNUR", "OEA", "OIM", "Tablero")}[lang]
        assert not any(re.search(rf"\b{name}\b", source.publisher[lang]) for name in other), source.publisher
        assert source.title[lang] in line
        cited = f"{source.dated(lang)} · {source.licence[lang]}"
        assert (cited in line) is (source.key != "illustrative"), line
        # An export's citation and a slide's footer follow the same rule as the line on screen.
        for elsewhere in (source.citation(lang), *briefing.source_lines((source.key,), lang)):
            assert source.publisher[lang] in elsewhere and source.title[lang] in elsewhere
            assert (source.dated(lang) in elsewhere) is (source.key != "illustrative"), elsewhere
