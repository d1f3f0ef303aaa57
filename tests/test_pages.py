"""Every page through AppTest, in both languages, on the loaded test database."""

from __future__ import annotations

from datetime import date

import pytest

from mirps_dash import access, catalog, i18n, indicator_texts, load, public_indicators, ui
from tests import truth
from tests.conftest import clear_streamlit_caches, markdown_cells, open_page, shown_table

PAGE_SCRIPTS = [page.script for page in ui.PAGES]


def texts(app) -> str:
    parts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "info", "error")
        for e in getattr(app, kind)
    ]
    return "\n".join(str(p) for p in parts)


def expected_title(page_key: str, lang: str) -> str:
    """Most pages are titled by their name; the overview asks its question; the country page names the
    country it opens on, the current Pro-Tempore Presidency."""
    if page_key == "overview":
        return i18n.t("overview_title", lang)
    if page_key == "country":
        holders = {int(r["year"]): r["country_iso3"] for r in truth.rows("mirps_pro_tempore_presidency.csv")}
        return i18n.country_name(holders.get(date.today().year, "BLZ"), lang)
    return {
        "displacement": i18n.t("displacement_title", lang),
        "plans": i18n.t("plans_title", lang),
        "cities": i18n.t("cities_title", lang),
        "workplan": f"{i18n.t('workplan_title', lang)} {max(truth.workplan_years())}",
        "support": i18n.t("support_title", lang),
        "about": i18n.t("about_title", lang),
        "indicator": indicator_texts.name(public_indicators.INDICATORS[0].code, lang),  # opened without a code
    }[page_key]


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("page", ui.PAGES, ids=lambda p: p.key)
def test_every_page_renders_in_each_language(app_database, page, lang):
    app = open_page(page.script, lang=lang)
    assert not app.exception
    assert app.query_params["lang"] == lang
    shown = texts(app)
    if access.can_open(access.PUBLIC, page.key):
        assert app.title[0].value == expected_title(page.key, lang)
    else:  # only the sign-in: the page's title, why, and the form
        assert i18n.t("auth_needed", lang) in shown
        assert [box.label for box in app.text_input] == [i18n.t("auth_username", lang), i18n.t("auth_password", lang)]
        assert not app.main.get("button_group") and not app.dataframe


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_overview_headline_equals_the_csv(app_database, lang):
    app = open_page(lang=lang)
    year = truth.latest_year()
    values = [metric.value for metric in app.metric]
    assert values[:4] == [
        truth.grouped(truth.protection_total("asylum", year), lang),
        truth.grouped(truth.protection_total("origin", year), lang),
        truth.grouped(truth.unhcr_idps(year), lang),
        truth.grouped(truth.idmc_conflict_stock(year), lang),
    ]
    assert str(year) in texts(app)


def test_overview_shows_sources_under_the_figures(app_database):
    shown = texts(open_page(lang="en"))
    for key in ("unhcr_population", "unhcr_refugees_pkg_idmc", "mirps_governance"):
        assert catalog.source(key).title["en"] in shown
    assert "end-2025" in shown


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_overview_names_the_latest_annual_meetings_and_their_venues_in_the_pages_language(app_database, lang):
    """A Spanish page said 'Belize City' and 'Panama City'."""
    meetings = truth.rows("mirps_annual_meetings.csv")  # in the order of their numbers
    assert all(m["place"] in i18n.PLACES for m in meetings if m["place"]), "a venue with no name in Spanish"
    app = open_page(lang=lang)
    heading = f"**{i18n.t('events_latest', lang)}**"
    shown = next(m.value for m in app.markdown if m.value.startswith(heading)).splitlines()[2:]
    expected = []
    for meeting in reversed(meetings[-3:]):
        place = i18n.PLACES[meeting["place"]].get(lang, meeting["place"]) if meeting["place"] else None
        place = place or i18n.country_name(meeting["host_iso3"], lang)
        when = i18n.source_date(meeting["date"], lang)
        expected.append(f"- {i18n.t('meeting_label', lang, meeting=meeting['meeting'])}: {place}, {when}")
    assert shown == expected
    english_only = [place for place, names in i18n.PLACES.items() if names["es"] != place]
    assert lang == "en" or not [place for place in english_only if place in texts(app)]


def test_navigation_lists_the_public_pages_and_hides_sign_in_pages(app_database):
    app = open_page(lang="en")
    labels = [link.label for link in app.sidebar.get("page_link")]
    expected = [i18n.t(f"page_{p.key}", "en") for p in ui.PAGES if p.listed and access.can_open(access.PUBLIC, p.key)]
    assert labels == [*expected, i18n.t("auth_sign_in_link", "en")]
    app.sidebar.button(key="frame_present").click().run()
    assert app.query_params["present"] == "1"
    assert app.metric  # the first slide: the headline figures
    assert i18n.t("page_data", "en") not in labels


def test_without_lang_the_page_is_spanish_and_says_so_in_the_url(app_database):
    app = open_page()
    assert app.query_params["lang"] == "es"
    assert app.title[0].value == i18n.t("overview_title", "es")


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_about_lists_every_source_with_licence_and_date_and_every_file_loaded(app_database, lang):
    """As tables a screen share reads whole: a data grid cut the titles and licences at 1280 px."""
    app = open_page("pages/about.py", lang=lang)
    assert not app.exception
    assert not app.dataframe
    sources = shown_table(app, i18n.t("col_publisher", lang))
    assert [list(row.values()) for row in sources] == [
        [s.publisher[lang], s.linked_title(lang), s.date_of_data[lang], s.licence[lang]] for s in catalog.SOURCES
    ]
    assert sum("](https://" in row[i18n.t("col_dataset", lang)] for row in sources) >= len(catalog.SOURCES) - 2
    feeds = shown_table(app, i18n.t("col_dataset", lang))
    assert [row[i18n.t("col_feeds", lang)] for row in feeds] == [s.feeds[lang] for s in catalog.SOURCES]
    # What was loaded, by dataset: no file names on a public page.
    table = next(m.value for m in app.markdown if f"| {i18n.t('col_rows', lang)} |" in m.value)
    _header, _rule, *rows = [markdown_cells(line) for line in table.splitlines()]
    loaded = {row[0]: row[1] for row in rows}
    cited = {key for spec in load.shipped_files() for key in catalog.sources_of_file(spec.name)}
    assert all(any(catalog.source(key).title[lang] in title for title in loaded) for key in cited)
    population = catalog.source("unhcr_population").title[lang]
    assert loaded[population] == truth.grouped(len(truth.rows("unhcr_population.csv")), lang)
    assert not any(".csv" in m.value for m in [*app.markdown, *app.caption])


def test_first_run_on_an_empty_database_loads_the_data(empty_sqlite_url, monkeypatch):
    monkeypatch.setenv("MIRPS_DATABASE_URL", empty_sqlite_url)
    clear_streamlit_caches()
    app = open_page(lang="en")
    assert not app.exception
    assert app.metric[0].value == truth.grouped(truth.protection_total("asylum", truth.latest_year()), "en")
    clear_streamlit_caches()


def test_an_unreachable_database_gives_a_plain_message(monkeypatch):
    monkeypatch.setenv("MIRPS_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")
    clear_streamlit_caches()
    for lang in i18n.LANGS:
        app = open_page(lang=lang)
        assert not app.exception
        assert [e.value for e in app.error] == [i18n.t("db_unreachable", lang)]
        assert "Traceback" not in texts(app)
    clear_streamlit_caches()


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_definition_is_on_the_pages_that_need_it(app_database, lang):
    for script in ("app.py", "pages/displacement.py", "pages/about.py"):
        app = open_page(script, lang=lang)
        shown = "\n".join(m.value for m in app.markdown)
        for key in (*i18n.DEFINITIONS, *(("def_headline_quotes",) if script == "pages/about.py" else ())):
            assert i18n.t(key, lang) in shown, (script, key)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_about_quotes_how_to_cite_the_main_sources(app_database, lang):
    app = open_page("pages/about.py", lang=lang)
    shown = "\n".join(m.value for m in app.markdown)
    for key in ("unhcr_population", "unhcr_refugees_pkg_idmc"):
        assert f"- {catalog.source(key).citation(lang)}" in shown
    assert not app.code  # no syntax highlighter for two sentences
