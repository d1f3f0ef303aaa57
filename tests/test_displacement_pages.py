"""/displacement and /country through AppTest: values on screen equal the CSV, URL parameters set the view."""

from __future__ import annotations

import json

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirps_dash import i18n, maps, markup, metrics, queries
from tests import truth
from tests.conftest import open_page, shown_table

MIRPS = sorted(truth.MIRPS)
YEARS = list(range(2016, truth.latest_year() + 1))
page_settings = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def protection(year: int, country: str, role: str) -> int | None:
    values = [truth.value(year, country, role, t) for t in metrics.PROTECTION_TYPES]
    present = [v for v in values if v is not None]
    return sum(present) if present else None


@page_settings
@given(country=st.sampled_from(MIRPS), year=st.sampled_from(YEARS), lang=st.sampled_from(i18n.LANGS))
def test_country_figures_equal_the_csv(app_database, country, year, lang):
    app = open_page("pages/country.py", country=country, year=str(year), lang=lang)
    assert not app.exception
    assert app.title[0].value == i18n.country_name(country, lang)
    shown = [m.value for m in app.metric][:4]
    idps = truth.unhcr_idps_country(year, country)
    idmc = truth.idmc_stock_country(year, country)
    expected = [protection(year, country, "asylum"), protection(year, country, "origin"), idps, idmc]
    # UNHCR's 0 for a State's IDPs means it counts none there: a dash with that reason, never "0"
    figures = [None if v == 0 and i == 2 else v for i, v in enumerate(expected)]
    assert shown == [truth.grouped(v, lang) if v is not None else i18n.NO_FIGURE for v in figures]
    notes = " ".join(markup.unescaped(c.value) for c in app.caption)
    assert (i18n.t("no_data_reported", lang) in notes) == (None in expected)
    assert (i18n.t("not_counted", lang) in notes) == (idps == 0)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_headline_card_without_a_figure_shows_a_dash_and_says_why(app_database, lang):
    """The words in a figure's type were cut off in a card a quarter of a 1280 px screen wide."""
    year = truth.latest_year()
    country = next(c for c in MIRPS if truth.idmc_stock_country(year, c) is None)
    app = open_page("pages/country.py", country=country, year=str(year), lang=lang)
    assert app.metric[3].value == i18n.NO_FIGURE
    assert i18n.t("no_data_reported", lang) in [c.value for c in app.caption]


@page_settings
@given(
    countries=st.lists(st.sampled_from(MIRPS), min_size=1, max_size=7, unique=True),
    types=st.lists(st.sampled_from(metrics.STOCK_TYPES), min_size=1, max_size=4, unique=True),
    role=st.sampled_from(["asylum", "origin"]),
    last=st.sampled_from(YEARS[1:]),
)
def test_displacement_change_table_equals_the_csv(app_database, countries, types, role, last):
    app = open_page(
        "pages/displacement.py",
        lang="en",
        section="states",
        countries=countries,
        types=types,
        role=role,
        years=[str(YEARS[0]), str(last)],
    )
    assert not app.exception
    shown = {row["Country"]: row for row in shown_table(app, "Country")}  # the year-on-year table
    no_data = i18n.t("no_data", "en")

    def counted(year: int, country: str, code: str) -> int:
        return truth.value(year, country, role, code) or 0  # a source's 0 is "not counted", not a figure

    for country in countries:
        now = sum(counted(last, country, t) for t in types)
        row = shown.get(i18n.country_name(country, "en"), {})
        assert row.get("People", no_data) == (truth.grouped(now, "en") if now else no_data)
        both = [t for t in types if counted(last, country, t) and counted(last - 1, country, t)]
        if both:  # like for like: the types counted in both years (tests/test_like_for_like.py)
            change = sum(counted(last, country, t) - counted(last - 1, country, t) for t in both)
            sign = "+" if change > 0 else "-" if change < 0 else "±"
            assert row["Change"] == sign + truth.grouped(abs(change), "en")
        elif row:
            assert row["Change"] == no_data


def test_displacement_flows_follow_the_url(app_database):
    app = open_page(
        "pages/displacement.py", lang="es", section="flows", flow_country="HND", direction="origin", flow_year="2020"
    )
    assert not app.exception
    heading = i18n.t("flows_from", "es", country="Honduras")
    assert any(heading in m.value for m in app.markdown)
    assert app.selectbox(key="flow_country").value == "HND"
    assert i18n.t("section_flows", "es", year=2020) in [h.value for h in app.subheader]  # the year of the link


@pytest.mark.parametrize("years", [None, [str(YEARS[1]), str(YEARS[-2])], [str(YEARS[-1]), str(YEARS[0])]])
def test_the_years_range_survives_a_click_on_another_control(app_database, years):
    """Every rerun sends the slider's two values back; they must stay a range (they once fell back to the
    first year whenever a visitor clicked anything else on the page)."""
    app = open_page("pages/displacement.py", lang="en", **({"years": years} if years else {}))
    expected = sorted(int(y) for y in years) if years else [YEARS[0], YEARS[-1]]  # a reversed link is read in order
    assert list(app.select_slider(key="years").value) == expected
    app.button_group(key="role").set_value("origin").run()
    assert not app.exception
    assert app.query_params["role"] == "origin"
    assert list(app.select_slider(key="years").value) == expected
    assert app.query_params["years"] == [str(y) for y in expected]
    title = i18n.t("section_trend", "en", start=expected[0], end=expected[1])
    assert title in [h.value for h in app.subheader]


def test_country_without_cities_or_commitments_says_not_reported(app_database):
    app = open_page("pages/country.py", country="PAN", lang="en", section="mirps")
    info = [i.value for i in app.info]
    assert i18n.t("cities_none", "en") in info
    assert i18n.t("commitments_none", "en") in info


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_empty_selection_asks_for_a_choice(app_database, lang):
    app = open_page("pages/displacement.py", lang=lang, countries="")
    assert not app.exception
    assert [w.value for w in app.warning] == [i18n.t("pick_countries", lang)]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_flows_map_names_the_countries_it_cannot_place_beside_its_sources(app_database, lang):
    """Countries outside the Americas outline file get no arc; the map's caption says which they are."""
    americas = {f["properties"]["iso_a3"] for f in truth.geojson("americas_ne110m.geojson")["features"]}
    year = truth.latest_year()
    partners = {
        row["asylum_iso3"]
        for row in truth.rows("unhcr_population_pairs.csv")
        if row["origin_iso3"] == "HND"
        and int(row["year"]) == year
        and row["population_type"] in metrics.PROTECTION_TYPES
        and int(row["value"]) > 0
    }
    off_map = sorted(partners - americas)
    assert off_map  # Hondurans have sought protection beyond the Americas
    app = open_page("pages/displacement.py", lang=lang, flow_country="HND", direction="origin", flow_year=str(year))
    captions = [c.value for c in app.caption if i18n.t("map_disclaimer", lang) in c.value]
    flows_caption = captions[-1]  # the choropleth's comes first
    arcs = pl.DataFrame({"origin_iso3": "HND", "asylum_iso3": sorted(partners), "value": 1})
    assert maps.flows_off_map_note(arcs, lang) in flows_caption  # each left out, with why
    assert all(i18n.country_name(code, lang) in flows_caption for code in off_map)
    assert "Natural Earth" in flows_caption


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_country_lists_its_cities_of_solidarity_and_its_role_in_the_mirps(app_database, lang):
    for country in MIRPS:
        app = open_page("pages/country.py", country=country, lang=lang, section="mirps")
        text = "\n".join(m.value for m in app.markdown)
        cities = [c for c in truth.rows("cities_of_solidarity.csv") if c["country_iso3"] == country]
        for city in cities:
            link = truth.first_source_url(city)
            status = i18n.t(f"status_{city['status']}", lang)
            assert f"- **{city['city']}** · {status} · [{i18n.t('source', lang).lower()}](<{link}>)" in text
        if not cities:
            assert i18n.t("cities_none", lang) in [i.value for i in app.info]
        years = [p["year"] for p in truth.rows("mirps_pro_tempore_presidency.csv") if p["country_iso3"] == country]
        groups = [
            g["working_group"] for g in truth.rows("mirps_working_groups.csv") if g["lead_country_iso3"] == country
        ]
        presidency = (
            i18n.t("presidency_years", lang, years=", ".join(years)) if years else i18n.t("presidency_never", lang)
        )
        leads = i18n.t("leads_groups", lang, groups=", ".join(groups)) if groups else i18n.t("leads_none", lang)
        assert f"{presidency}\n\n{leads}" in text
        # The way on to the State's plan: its page, in this language, named short enough for its column
        # (a page link does not wrap; a third of a 1280 px screen cut the first wording).
        (plan_link,) = [link.proto for link in app.main.get("page_link") if link.proto.page == "plans"]
        assert sorted(plan_link.query_string.split("&")) == [f"country={country}", f"lang={lang}"]
        assert i18n.country_name(country, lang) in plan_link.label and len(plan_link.label) <= 32


# What each of /displacement's tabs shows first: a section's heading (by its message key).
SECTION_HEADINGS = {
    "trend": "section_trend",
    "states": "section_ranking",
    "flows": "section_flows",
    "solutions": "section_solutions",
    "internal": "section_idmc",
}


def headings_shown(app, lang: str) -> set[str]:
    """Which sections' headings the page shows, by section code (a heading's text without its years)."""
    shown = [h.value for h in app.subheader]
    return {
        code
        for code, key in SECTION_HEADINGS.items()
        if any(text.startswith(i18n.t(key, lang, year=0, start=0, end=0).split(",")[0]) for text in shown)
    }


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("section", list(SECTION_HEADINGS))
def test_displacement_runs_only_the_open_tab_named_in_the_url(app_database, lang, section):
    app = open_page("pages/displacement.py", lang=lang, section=section)
    assert not app.exception
    assert headings_shown(app, lang) == {section}
    assert [tab.label for tab in app.tabs] == [i18n.t(f"tab_{code}", lang) for code in SECTION_HEADINGS]
    assert app.query_params["section"] == section


def test_displacement_opens_on_the_trend_and_old_flows_links_on_the_flows(app_database):
    assert headings_shown(open_page("pages/displacement.py", lang="en"), "en") == {"trend"}
    assert headings_shown(open_page("pages/displacement.py", lang="en", section="nonsense"), "en") == {"trend"}
    # a link from before the sections were tabs
    old = open_page("pages/displacement.py", lang="en", flow_country="HND", direction="origin")
    assert headings_shown(old, "en") == {"flows"} and old.query_params["section"] == "flows"
    assert old.selectbox(key="flow_country").value == "HND"


def test_a_tab_keeps_itself_and_the_flows_their_state_across_language_and_tabs(app_database):
    """A tab's value is its label, which a change of language renames: the tab stays open anyway. The
    flows' country survives a visit to another tab, though Streamlit forgets a widget it did not draw."""
    app = open_page("pages/displacement.py", lang="es", section="flows", flow_country="GTM")
    app.query_params["lang"] = "en"
    app.run()
    assert headings_shown(app, "en") == {"flows"} and app.query_params["section"] == "flows"
    app.session_state["section"] = i18n.t("tab_solutions", "en")  # a click on the tab
    app.run()
    assert headings_shown(app, "en") == {"solutions"} and app.query_params["section"] == "solutions"
    app.session_state["section"] = i18n.t("tab_flows", "en")
    app.run()
    assert not app.exception
    assert app.selectbox(key="flow_country").value == "GTM"


def country_sections_shown(app, lang: str, country: str, year: int) -> set[str]:
    """Which of /country's tabs the page shows, by what each shows first."""
    name = i18n.country_name(country, lang)
    headings = [h.value for h in app.subheader]
    hosted = f"**{i18n.t('country_hosted', lang, country=name)}**"  # a headline card's label, and the trend's
    marks = {
        "trend": [m.value for m in app.markdown].count(hosted) == 2,
        "flows": i18n.t("section_destinations", lang, year=year) in headings,
        "internal": i18n.t("section_country_idmc", lang) in headings,
        "mirps": i18n.t("section_commitments", lang) in headings,
        "progress": i18n.t("pi_section_title", lang, country=name, year=year) in headings,
    }
    return {code for code, shown in marks.items() if shown}


COUNTRY_SECTIONS = ("trend", "progress", "flows", "internal", "mirps")


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("section", COUNTRY_SECTIONS)
def test_country_runs_only_the_open_tab_below_its_headline_figures(app_database, lang, section):
    year = truth.latest_year()
    app = open_page("pages/country.py", lang=lang, country="HND", section=section)
    assert not app.exception
    assert country_sections_shown(app, lang, "HND", year) == {section}
    assert [tab.label for tab in app.tabs] == [i18n.t(f"tab_{code}", lang) for code in COUNTRY_SECTIONS]
    assert app.query_params["section"] == section
    assert len(app.metric) == 4  # the headline stays above every tab


def test_country_opens_on_the_trend_and_keeps_its_tab_across_country_year_and_language(app_database):
    year = truth.latest_year()
    for section in (None, "nonsense"):  # no tab named, or one that is not there
        app = open_page("pages/country.py", lang="en", country="GTM", **({"section": section} if section else {}))
        assert country_sections_shown(app, "en", "GTM", year) == {"trend"}
    app = open_page("pages/country.py", lang="es", country="GTM", section="flows")
    app.selectbox(key="country").set_value("HND").run()
    app.selectbox(key="year").set_value(year - 1).run()
    assert country_sections_shown(app, "es", "HND", year - 1) == {"flows"}
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert country_sections_shown(app, "en", "HND", year - 1) == {"flows"}
    assert (app.query_params["section"], app.query_params["country"]) == ("flows", "HND")


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_states_idmc_axis_runs_over_the_sources_years_not_its_own(app_database, lang):
    """Belize's IDMC series ends a year before the source's: its chart on /country (and /displacement with
    Belize alone) runs to the source's last year, so the missing years read as gaps, not as the series' end."""
    reader = queries.Reader(app_database)
    first, last = queries.idmc_year_span(reader)
    own = queries.idmc_new_displacements(reader, ("BLZ",))["year"]
    assert own.max() < last  # the case the chart must show: the source goes on, Belize's figures do not
    for page, params in (
        ("pages/country.py", {"country": "BLZ", "section": "internal"}),
        ("pages/displacement.py", {"section": "internal", "countries": "BLZ"}),
    ):
        app = open_page(page, lang=lang, **params)
        assert not app.exception
        [domain] = [
            spec["encoding"]["x"]["scale"]["domain"]
            for spec in (json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart"))
            if spec.get("encoding", {}).get("x", {}).get("field") == "year"
            and i18n.t("axis_new_displacements", lang) in json.dumps(spec)
        ]
        assert domain == list(range(first, last + 1)), page
