"""/plans, /workplan, /support and /cities through AppTest, with and without illustrative data."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text as text_sql

from mirps_dash import database, demo, i18n, load, maps, metrics, queries, tables, widgets
from tests import truth
from tests.conftest import clear_streamlit_caches, markdown_cells, open_page, shown_table


@pytest.fixture(scope="module")
def cities_frame(loaded_sqlite_url) -> pl.DataFrame:
    return queries.cities(queries.Reader(loaded_sqlite_url))


def query(url: str, sql: str) -> pl.DataFrame:
    """The test's own reading of the database, in SQL, to hold the page against."""
    engine = database.make_engine(url)
    with engine.connect() as connection:
        return pl.read_database(sql, connection)


def all_text(app) -> str:
    kinds = ("title", "subheader", "markdown", "caption", "info", "warning")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(app, kind))


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_plans_with_illustrative_data_say_so_everywhere(demo_database, lang):
    app = open_page("pages/plans.py", lang=lang, country="HND")
    assert not app.exception
    assert [w.value for w in app.warning] == [i18n.t("illustrative_banner", lang)]
    text = all_text(app)
    indicators = text.count(i18n.t("status_on_track", lang)) + text.count(i18n.t("status_at_risk", lang))
    indicators += text.count(i18n.t("status_off_track", lang)) + text.count(i18n.t("status_not_reported", lang))
    assert indicators > 0
    assert text.count(i18n.t("illustrative_mark", lang)) >= indicators  # every indicator line carries the mark


def matrix_cells(app, lang: str) -> dict[tuple[str, str], str]:
    """The regional matrix's cells, by (country name, focus area label)."""
    country = i18n.t("col_country", lang)
    rows = shown_table(app, country)
    return {(row[country], area): cell for row in rows for area, cell in row.items() if area != country}


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_regional_matrix_counts_the_published_commitments_of_each_focus_area(app_database, lang):
    app = open_page("pages/plans.py", lang=lang)
    cells = matrix_cells(app, lang)
    published = [
        row
        for row in truth.rows("mirps_commitments.csv")
        if row["count_type"] == "national_action_plan_focus_area" and row["country_iso3"] in truth.MIRPS
    ]
    assert published
    for row in published:
        key = (i18n.country_name(row["country_iso3"], lang), i18n.t(f"focus_{row['focus_area']}", lang))
        # No indicator on the shipped data: said, never a computed "0/0".
        assert cells[key] == i18n.t("matrix_cell_no_indicators", lang, commitments=row["commitments"])
    assert sum(cell != "—" for cell in cells.values()) == len(published)
    assert {country for country, _area in cells} == {i18n.country_name(c, lang) for c in truth.MIRPS}


def test_the_regional_matrix_counts_indicators_with_a_published_value_up_to_the_period(demo_database):
    counts = query(
        demo_database,
        "SELECT c.country_iso3, c.focus_area, COUNT(DISTINCT i.id) AS indicators, COUNT(DISTINCT v.indicator_id) "
        "AS with_data FROM indicator i JOIN commitment c ON c.id = i.commitment_id LEFT JOIN indicator_value v "
        "ON v.indicator_id = i.id AND v.status = 'published' AND v.period <= 2024 "
        "GROUP BY c.country_iso3, c.focus_area",
    )
    app = open_page("pages/plans.py", lang="en", period="2024")
    assert next(m.value for m in app.markdown if "| Country |" in m.value).startswith(widgets.illustrative_mark("en"))
    cells = matrix_cells(app, "en")
    assert counts.height
    for row in counts.iter_rows(named=True):  # the demo's indicators are all illustrative: their own rows
        name = f"{i18n.country_name(row['country_iso3'], 'en')} · {widgets.illustrative_mark('en')}"
        key = (name, i18n.t(f"focus_{row['focus_area']}", "en"))
        assert cells[key].split(" · ")[1] == f"{row['with_data']}/{row['indicators']}"
        real = cells[(i18n.country_name(row["country_iso3"], "en"), key[1])]
        no_indicators = i18n.t("matrix_cell_no_indicators", "en", commitments=real.split(" · ")[0])
        assert real in (i18n.NO_FIGURE, no_indicators)  # never mixed into the real row


def test_plans_coverage_counts_published_values_only(demo_database):
    values = query(
        demo_database,
        "SELECT i.code, v.period, v.status FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id "
        "JOIN commitment c ON c.id = i.commitment_id WHERE c.country_iso3 = 'GTM'",
    )
    total = query(
        demo_database,
        "SELECT COUNT(*) AS n FROM indicator i JOIN commitment c ON c.id = i.commitment_id "
        "WHERE c.country_iso3 = 'GTM'",
    )["n"][0]
    reported = values.filter(pl.col("period") == 2025, pl.col("status") == "published").height
    app = open_page("pages/plans.py", lang="en", country="GTM", period="2025")
    expected = i18n.t("coverage", "en", reported=reported, total=total, period=2025)
    assert any(expected in m.value for m in app.markdown)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_each_commitment_card_shows_its_need_funding_and_gap_as_the_database_has_them(demo_database, lang):
    rows = query(
        demo_database,
        "SELECT c.text_es, c.text_en, c.costed_need_usd AS need, "
        "SUM(CASE WHEN f.kind = 'pledged' THEN f.amount_usd ELSE 0 END) AS pledged, "
        "SUM(CASE WHEN f.kind = 'committed' THEN f.amount_usd ELSE 0 END) AS committed, "
        "SUM(CASE WHEN f.kind = 'paid' THEN f.amount_usd ELSE 0 END) AS paid "
        "FROM commitment c LEFT JOIN funding f ON f.commitment_id = c.id WHERE c.country_iso3 = 'HND' "
        "GROUP BY c.id, c.text_es, c.text_en, c.costed_need_usd",
    )
    app = open_page("pages/plans.py", lang=lang, country="HND")
    title = i18n.t("commitment_card", lang)
    shown = []
    for card in (e for e in app.expander if e.label.startswith(f"{title}: ")):
        mark, _blank, *lines = card.markdown[0].value.splitlines()
        assert mark == widgets.illustrative_mark(lang)  # the demo's rows are all illustrative
        shown.append((card.label, [line.removeprefix("- ").rstrip("*").split(": **USD\u00a0") for line in lines]))
    labels = [i18n.t(key, lang) for key in ("costed_need", "funding_pledged", "funding_committed", "funding_paid")]
    labels.append(i18n.t("funding_gap", lang))
    expected = []
    for row in rows.iter_rows(named=True):
        gap = row["need"] - row["committed"] - row["paid"]  # a pledge is a promise, not funding
        amounts = [row["need"], row["pledged"], row["committed"], row["paid"], gap]
        figures = [[label, truth.grouped(amount, lang)] for label, amount in zip(labels, amounts, strict=True)]
        expected.append((f"{title}: {row[f'text_{lang}']}", figures))
    assert sorted(shown) == sorted(expected)  # names repeat across focus areas: compared as a whole


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_national_chapter_is_the_published_narrative_of_the_period(demo_database, tmp_path, monkeypatch, lang):
    narratives = query(
        demo_database, f"SELECT country_iso3, period, text_{lang} AS text FROM narrative WHERE status = 'published'"
    )
    country, period, text = narratives.row(0)
    app = open_page("pages/plans.py", lang=lang, country=country, period=str(period))
    heading = f"**{i18n.t('section_narrative', lang, period=period)}**"
    chapter = next(m.value for m in app.markdown if m.value.startswith(heading))
    assert chapter.endswith(text)

    # The same period once that narrative is taken back to draft: the public reads that there is none.
    copy = tmp_path / "draft.sqlite"
    copy.write_bytes(Path(demo_database.removeprefix("sqlite:///")).read_bytes())
    with database.make_engine(f"sqlite:///{copy}").begin() as connection:
        connection.execute(
            text_sql("UPDATE narrative SET status = 'draft' WHERE country_iso3 = :c AND period = :p"),
            {"c": country, "p": period},
        )
    monkeypatch.setenv("MIRPS_DATABASE_URL", f"sqlite:///{copy}")
    app = open_page("pages/plans.py", lang=lang, country=country, period=str(period))
    assert i18n.t("narrative_none", lang) in [i.value for i in app.info]
    assert not any(text in m.value for m in app.markdown)


def test_plans_without_illustrative_data_invite_the_teams_to_report(app_database):
    app = open_page("pages/plans.py", lang="es", country="HND")
    assert not app.exception
    assert not app.warning
    assert i18n.t("no_plan_data", "es", country="Honduras") in [i.value for i in app.info]


def test_purge_removes_every_illustrative_row(tmp_path):
    engine = database.make_engine(f"sqlite:///{tmp_path / 'purge.sqlite'}")
    load.load_shipped_data(engine)
    written = demo.load(engine)
    assert written["commitment"] > 0
    demo.purge(engine)
    with engine.connect() as connection:
        for table in ("commitment", "indicator", "indicator_value", "narrative", "funding"):
            assert pl.read_database(f"SELECT COUNT(*) AS n FROM {table}", connection)["n"][0] == 0, table


def test_illustrative_commitments_never_exceed_the_published_counts(demo_sqlite_url):
    made = query(
        demo_sqlite_url,
        "SELECT country_iso3, focus_area, COUNT(*) AS n FROM commitment GROUP BY country_iso3, focus_area",
    )
    published = {
        (r["country_iso3"], r["focus_area"]): int(r["commitments"])
        for r in truth.rows("mirps_commitments.csv")
        if r["count_type"] == "national_action_plan_focus_area"
    }
    for row in made.iter_rows(named=True):
        assert row["n"] <= published[(row["country_iso3"], row["focus_area"])]


def test_workplan_lists_every_planned_event(app_database):
    app = open_page("pages/workplan.py", lang="en")
    assert not app.exception
    events = truth.rows("workplan_2021_events.csv")
    assert app.subheader[0].value == i18n.t("section_timeline", "en", n=len(events))
    undated = [e for e in events if not e["start_date"]]
    text = all_text(app)
    for event in undated:
        assert event["title"] in text


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_workplan_shows_the_strategic_partnerships(app_database, lang):
    app = open_page("pages/workplan.py", lang=lang)
    cards = [m.value for m in app.markdown]
    for partnership in truth.rows("workplan_2021_partnerships.csv"):
        levels = ", ".join(i18n.t(f"level_{level}", lang) for level in partnership["levels"].split(";"))
        note = i18n.t("partnership_levels", lang, levels=levels)
        card = widgets.card_text(
            worded(partnership, "partner", lang), note, worded(partnership, "planned_actions", lang)
        )
        assert card in cards


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_workplan_lists_every_expected_outcome_under_its_kind(app_database, lang):
    app = open_page("pages/workplan.py", lang=lang)
    columns = {m.value.split("\n")[0]: m.value for m in app.markdown if m.value.startswith("**")}
    outcomes = truth.rows("workplan_2021_outcomes.csv")
    assert outcomes
    for outcome in outcomes:
        cadence = f" ({i18n.t('cadence_' + outcome['cadence'], lang)})" if outcome["cadence"] else ""
        line = f"- **{worded(outcome, 'title', lang)}**{cadence}: {worded(outcome, 'description', lang)}"
        assert line in columns[f"**{i18n.t('kind_' + outcome['kind'], lang)}**"].splitlines()


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_workplan_describes_each_working_group_as_the_plan_does(app_database, lang):
    app = open_page("pages/workplan.py", lang=lang)
    text = all_text(app)
    for group in truth.rows("workplan_2021_working_groups.csv"):
        dates = i18n.t("group_created", lang, year=group["created"])
        if group["first_session"]:
            dates += " · " + i18n.t("group_first_session", lang, date=i18n.source_date(group["first_session"], lang))
        assert f"**{worded(group, 'name', lang)}**  \n{widgets.small_print(dates)}\n\n" in text
        assert f"*{i18n.t('group_focus', lang)}:* {worded(group, 'focus', lang)}" in text
        assert f"*{i18n.t('group_members', lang)}:* {worded(group, 'suggested_members', lang)}" in text
        if group["partners"]:
            assert f"*{i18n.t('group_partners', lang)}:* {worded(group, 'partners', lang)}" in text
    if lang == "es":  # the source's English one click away
        original = i18n.t("original_english", lang)
        originals = "\n".join(m.value for e in app.expander if e.label == original for m in e.markdown)
        for group in truth.rows("workplan_2021_working_groups.csv"):
            assert group["name"] in originals and group["focus"] in originals


def worded(row: dict, column: str, lang: str) -> str:
    """A shipped text as a page in `lang` shows it: the Spanish translation beside the source's English."""
    return row[f"{column}_es"] if lang == "es" else row[column]


def test_support_marks_lower_bounds(app_database):
    app = open_page("pages/support.py", lang="en")
    assert not app.exception
    text = all_text(app)
    for fact in truth.rows("mirps_facts.csv"):
        if fact["category"] == "funding" and "lower bound" in (fact["note"] or ""):
            assert f"**at least {truth.grouped(int(fact['value']), 'en')}" in text, fact["fact_id"]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_support_marks_each_member_in_the_lists_that_name_it(app_database, lang):
    """The whole table, in the page's language: a data grid showed ten of its rows, names cut, in English."""
    app = open_page("pages/support.py", lang=lang)
    assert not app.exception
    listed = truth.rows("mirps_support_platform_members.csv")
    versions = list(dict.fromkeys(row["source"] for row in listed))
    shown = {
        row[i18n.t("col_member", lang)]: list(row.values()) for row in shown_table(app, i18n.t("col_member", lang))
    }
    expected: dict[str, list[str]] = {}
    for row in listed:
        is_state = row["member_type"] == "state"
        if not is_state:
            assert row["member"] in i18n.ORGANISATIONS, "an organisation with no name in Spanish"
        name = i18n.country_name(row["iso3"], lang) if is_state else i18n.member_name(row["member"], None, lang)
        if row["role"] == "secretariat":
            name = i18n.t("member_as_secretariat", lang, name=name)
        marks = expected.setdefault(name, [name, i18n.t(f"member_{row['member_type']}", lang), *[""] * len(versions)])
        marks[2 + versions.index(row["source"])] = tables.LISTED
    assert shown == expected
    secretariat = [name for name in shown if name.endswith(i18n.t("member_as_secretariat", lang, name=""))]
    assert secretariat and list(shown)[-len(secretariat) :] == secretariat, "the Secretariat after the members"
    counts = ", ".join(
        f"v{n}: {sum(r['source'] == v and r['role'] == 'member' for r in listed)}" for n, v in enumerate(versions, 1)
    )
    assert i18n.t("members_counts", lang, counts=counts) in all_text(app)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_cities_counts_every_country_including_those_with_none(app_database, lang):
    app = open_page("pages/cities.py", lang=lang)
    assert not app.exception
    counts: dict[str, int] = {}
    for city in truth.rows("cities_of_solidarity.csv"):
        counts[city["country_iso3"]] = counts.get(city["country_iso3"], 0) + 1
    line = next(m.value for m in app.markdown if m.value.startswith(f"**{i18n.t('cities_count_title', lang)}"))
    for country in truth.MIRPS:
        name = i18n.country_name(country, lang)
        expected = f"{name} {counts[country]}" if country in counts else f"{name} ({i18n.t('cities_count_none', lang)})"
        assert expected in line
    assert any(i18n.t("map_disclaimer", lang) in c.value for c in app.caption)


def test_cities_filter_by_status_follows_the_url(app_database):
    app = open_page("pages/cities.py", lang="en", status="agreement_to_implement")
    table = shown_table(app, i18n.t("col_city", "en"))
    expected = [c["city"] for c in truth.rows("cities_of_solidarity.csv") if c["status"] == "agreement_to_implement"]
    assert sorted(row["City"] for row in table) == sorted(expected)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_cities_table_shows_every_city_with_its_status_population_and_source(app_database, lang):
    app = open_page("pages/cities.py", lang=lang)
    assert not app.exception
    shown = {row[i18n.t("col_city", lang)]: row for row in shown_table(app, i18n.t("col_city", lang))}
    cities = truth.rows("cities_of_solidarity.csv")
    assert len(shown) == len(cities)
    for city in cities:
        row = shown[city["city"]]
        assert row[i18n.t("col_country", lang)] == i18n.country_name(city["country_iso3"], lang)
        assert row[i18n.t("col_status", lang)] == i18n.t(f"status_{city['status']}", lang)
        population = truth.grouped(int(city["population"]), lang) if city["population"] else i18n.t("no_data", lang)
        assert row[i18n.t("col_population", lang)] == population
        when = i18n.source_date(city["status_date"], lang) if city["status_date"] else i18n.t("no_data", lang)
        assert row[i18n.t("col_date", lang)] == when
        assert row[i18n.t("col_link", lang)] == f"[{i18n.t('open_link', lang)}](<{truth.first_source_url(city)}>)"


def cities_maps_shown(app) -> list[str]:
    """The maps /cities draws: "map", the fixed Altair one (its cities clickable by `maps.CITY_PICK`), and
    "zoom", the pydeck one."""
    picks = [{p["name"] for p in json.loads(c.proto.spec).get("params", [])} for c in app.get("vega_lite_chart")]
    fixed = [names for names in picks if maps.CITY_PICK in names]
    return ["map"] * len(fixed) + ["zoom"] * len(app.get("deck_gl_json_chart"))


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("section", [None, "map", "zoom", "nonsense"])
def test_cities_draws_the_fixed_map_and_the_one_to_zoom_into_only_on_its_tab(app_database, lang, section):
    app = open_page("pages/cities.py", lang=lang, **({"section": section} if section else {}))
    assert not app.exception
    opened = "zoom" if section == "zoom" else "map"
    assert cities_maps_shown(app) == [opened]
    assert app.query_params["section"] == opened
    tabs = [tab.label for tab in app.tabs]
    assert tabs == [i18n.t("tab_cities_map", lang), i18n.t("tab_cities_zoom", lang)]
    captions = " ".join(c.value for c in app.caption)
    assert i18n.t("map_disclaimer", lang) in captions and i18n.t("cities_point_note", lang) in captions
    legend = " ".join(m.value for m in app.markdown)
    assert all(label in legend for label, _ in maps.status_legend(lang))


def test_cities_keeps_its_map_tab_across_filters_and_language(app_database):
    app = open_page("pages/cities.py", lang="es", section="zoom")
    app.multiselect(key="status").set_value(["recognized"]).run()
    assert cities_maps_shown(app) == ["zoom"]
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert cities_maps_shown(app) == ["zoom"]
    assert app.query_params["section"] == "zoom"
    deck = app.get("deck_gl_json_chart")[0].proto.json
    recognized = {c["city"] for c in truth.rows("cities_of_solidarity.csv") if c["status"] == "recognized"}
    assert all(city in deck for city in recognized) and "Tijuana" not in deck


def test_a_clicked_city_is_looked_up_among_those_shown_and_dropped_once_filtered_out(cities_frame):
    tijuana = cities_frame.filter(pl.col("city") == "Tijuana").row(0, named=True)
    assert metrics.city_by_geonameid(cities_frame, tijuana["geonameid"])["city"] == "Tijuana"
    others = cities_frame.filter(pl.col("city") != "Tijuana")
    assert metrics.city_by_geonameid(others, tijuana["geonameid"]) is None  # filtered out since the click
    assert metrics.city_by_geonameid(cities_frame, None) is None


@pytest.mark.parametrize(("setting", "tiles"), [(None, False), ("1", True)])
def test_cities_map_asks_for_tiles_only_when_the_setting_says_so(app_database, monkeypatch, setting, tiles):
    if setting:
        monkeypatch.setenv("MIRPS_ONLINE_BASE_MAP", setting)
    app = open_page("pages/cities.py", lang="en", section="zoom")
    deck = app.get("deck_gl_json_chart")[0].proto.json
    assert ("carto" in deck.lower()) is tiles


def test_support_shows_funding_against_needs_only_with_entered_needs(app_database, demo_sqlite_url, monkeypatch):
    app = open_page("pages/support.py", lang="en")
    assert i18n.t("unfunded_none", "en") in [i.value for i in app.info]
    monkeypatch.setenv("MIRPS_DATABASE_URL", demo_sqlite_url)
    clear_streamlit_caches()
    app = open_page("pages/support.py", lang="en")
    assert not app.exception
    assert i18n.t("illustrative_banner", "en") in [w.value for w in app.warning]
    # Markdown tables whose every row says "illustrative" (a copied selection keeps the mark); the one grid
    # left, the downloads' view of the table, carries it too.
    mark = i18n.t("illustrative_mark", "en")
    tables = []
    for table in (m.value for m in app.markdown if "| Gap (USD) |" in m.value):
        header, _rule, *rows = [markdown_cells(line) for line in table.splitlines() if line.startswith("|")]
        tables.append([dict(zip(header, row, strict=True)) for row in rows])
    grids = [d.value for d in app.dataframe if "Gap (USD)" in d.value.columns]  # the downloads' table
    assert grids and all((grid[mark] == mark).all() for grid in grids)
    assert all(row[mark] == mark for table in tables for row in table) and len(tables) == 2
    by_theme = next(t for t in tables if "Commitment" not in t[0])
    by_commitment = next(t for t in tables if "Commitment" in t[0])
    assert {"Country", "Focus area"} <= set(by_theme[0])

    def total(table) -> int:
        return sum(int(row["Gap (USD)"].replace(",", "")) for row in table)

    assert total(by_theme) == total(by_commitment)
    assert len(by_theme) < len(by_commitment)
