"""Stocks and flows, and labels that fit the type. UNHCR's returned refugees and returned IDPs are returns
during the year (flows): never added to an end-year stock, shown apart and labelled as flows. Internally
displaced people are in their own country, never "hosted"; others of concern "from" MIRPS countries include
people in their own country, and say so. /about defines every population type a reader can pick."""

from __future__ import annotations

import pytest

from mirps_dash import i18n, markup, metrics, tables
from tests import truth
from tests.conftest import open_page, shown_table


def region(year: int, role: str, code: str) -> int | None:
    values = [truth.value(year, c, role, code) for c in truth.MIRPS]
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def cell(value: int | None, lang: str) -> str:
    if value == 0:
        return i18n.t("cell_not_counted", lang)
    return truth.grouped(value, lang) if value is not None else i18n.t("no_data", lang)


def test_the_flow_types_are_the_returns():
    assert set(metrics.FLOW_TYPES) == {"returned_refugees", "returned_idps"}
    assert not set(metrics.FLOW_TYPES) & set(metrics.STOCK_TYPES)
    assert set(metrics.FLOW_TYPES) | set(metrics.STOCK_TYPES) == set(metrics.TABLE_TYPES)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_overview_keeps_returns_apart_from_the_stocks(app_database, lang):
    year = truth.latest_year()
    app = open_page("app.py", lang=lang)
    assert not app.exception
    stock_header = i18n.t("col_stock_type", lang, year=year)
    flow_header = i18n.t("col_flow_type", lang, year=year)
    stocks = {markup.unescaped(r[stock_header]): r for r in shown_table(app, stock_header)}
    flows = {markup.unescaped(r[flow_header]): r for r in shown_table(app, flow_header)}
    flow_names = {i18n.population_type(code, lang) for code in metrics.FLOW_TYPES}
    assert set(flows) == flow_names and not flow_names & set(stocks)
    for code in metrics.FLOW_TYPES:
        row = flows[i18n.population_type(code, lang)]
        for role, header in (("asylum", "col_by_asylum"), ("origin", "col_by_origin")):
            value = region(year, role, code)
            assert row[i18n.t(header, lang)] == cell(value, lang)
    captions = " ".join(markup.unescaped(c.value) for c in app.caption)
    assert i18n.t("flows_apart_note", lang) in captions
    for code in ("refugees", "asylum_seekers", "stateless"):  # a 0 for every State is "not counted"
        row = stocks[i18n.population_type(code, lang)]
        for role, header in (("asylum", "col_in_mirps"), ("origin", "col_from")):
            assert row[i18n.t(header, lang)] == cell(region(year, role, code), lang)
    assert region(year, "origin", "stateless") == 0  # what the source holds: the note under the tables says so
    assert i18n.t("cell_not_counted_note", lang) in captions
    # Labels fit the type: no "hosted" over IDPs, the same people once, others of concern marked
    assert list(shown_table(app, stock_header)[0])[1:] == [i18n.t("col_in_mirps", lang), i18n.t("col_from", lang)]
    idps = stocks[i18n.t("type_in_own_country", lang, type=i18n.population_type("idps", lang))]
    assert idps[i18n.t("col_in_mirps", lang)] == truth.grouped(truth.unhcr_idps(year), lang)
    assert idps[i18n.t("col_from", lang)] == i18n.t("same_people", lang)
    assert i18n.population_type("ooc", lang) + tables.OOC_MARK in stocks
    assert i18n.t("ooc_origin_note", lang) in captions


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_displacement_adds_no_return_to_a_stock_and_labels_returns_as_flows(app_database, lang):
    app = open_page("pages/displacement.py", lang=lang, section="states", types=["refugees", "returned_refugees"])
    assert not app.exception
    picker = app.multiselect(key="types")
    assert list(picker.options) == [i18n.population_type(code, lang) for code in metrics.STOCK_TYPES]
    assert picker.value == ["refugees"]  # a link naming a return keeps only the stocks
    app = open_page("pages/displacement.py", lang=lang, section="solutions")
    start, end = truth.first_year(), truth.latest_year()
    assert i18n.t("section_solutions", lang, start=start, end=end) in [h.value for h in app.subheader]
    assert i18n.t("solutions_flows_note", lang) in " ".join(c.value for c in app.caption)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_displacement_says_idps_are_in_their_own_country_and_never_hosted(app_database, lang):
    app = open_page("pages/displacement.py", lang=lang, section="states", types=["idps"], role="asylum")
    assert not app.exception
    captions = " ".join(c.value for c in app.caption)
    assert i18n.t("idps_either_role_note", lang) in captions
    # the States whose IDPs the source does not count (its 0) are named under the ranking, not drawn as 0
    year = truth.latest_year()
    uncounted = [c for c in sorted(truth.MIRPS) if not truth.value(year, c, "asylum", "idps")]
    sentence = i18n.t("summary_unranked", lang, countries=i18n.country_names(uncounted, lang))
    assert uncounted and sentence in "\n".join(m.value for m in app.markdown)
    ranking = next(c for c in app.get("vega_lite_chart") if sentence in c.proto.alt)  # the choropleth says it too
    assert i18n.country_name("HND", lang) in ranking.proto.spec  # the chart's data names its States
    assert all(i18n.country_name(c, lang) not in ranking.proto.spec for c in uncounted)
    assert "host" not in i18n.t("role_asylum_short", lang).lower() and "acogid" not in i18n.t("role_asylum_short", lang)
    app = open_page("pages/displacement.py", lang=lang, section="states", types=["ooc"], role="origin")
    assert i18n.t("ooc_origin_role_note", lang) in " ".join(c.value for c in app.caption)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_about_defines_every_population_type_a_reader_can_pick(app_database, lang):
    app = open_page("pages/about.py", lang=lang)
    assert not app.exception
    text = "\n".join(m.value for m in app.markdown)
    for code in metrics.TABLE_TYPES:  # the displacement page's stocks, and the returns on its solutions tab
        assert f"**{i18n.population_type(code, lang)}**: {i18n.t(f'def_{code}', lang)}" in text, code
    for code in metrics.FLOW_TYPES:  # said to be a flow during the year, in its own definition
        assert {"es": "flujo del año", "en": "flow during the year"}[lang] in i18n.t(f"def_{code}", lang)
