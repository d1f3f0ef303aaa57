"""/plans leads with the public-statistics indicators; /indicator says what each one is; both languages,
the figures equal to `public_indicators`, a missing figure a dash with its reason, never a zero."""

from __future__ import annotations

import pytest

from mirps_dash import charts, i18n, indicator_texts, public_indicators, queries, settings
from tests.conftest import open_page, shown_table


@pytest.fixture
def table(app_database):
    reader = queries.Reader(app_database)
    return public_indicators.compute(*queries.public_indicator_sources(reader))


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize(("country", "year"), [("PAN", 2025), ("MEX", 2024)])
def test_plans_leads_with_real_figures_for_the_state(app_database, table, lang, country, year):
    app = open_page("pages/plans.py", lang=lang, country=country, year=str(year))
    assert not app.exception
    headers = [m.value for m in app.subheader]
    first = i18n.t("pi_section_title", lang, country=i18n.country_name(country, lang), year=year)
    assert headers[0] == first  # the public statistics come first, before any illustrative section
    rows = shown_table(app, i18n.t("pi_col_area", lang))
    assert len(rows) == len(public_indicators.INDICATORS)
    summary = {r["code"]: r for r in public_indicators.summary(table, country, year)}
    value_header = i18n.t("pi_col_value_year", lang, year=year)
    for row, indicator in zip(rows, public_indicators.INDICATORS, strict=True):
        expected = summary[indicator.code]
        assert indicator_texts.name(indicator.code, lang) in row[i18n.t("pi_col_indicator", lang)]
        assert f"code={indicator.code}" in row[i18n.t("pi_col_indicator", lang)]  # linked to its page
        shown = row[value_header]
        if expected["value"] is None:
            assert shown.startswith(i18n.NO_FIGURE) and i18n.t("pi_reason_" + expected["reason"], lang) in shown
        else:
            assert shown == charts.public_label(expected["value"], indicator.unit, lang)
        assert row[i18n.t("pi_col_assessment", lang)] == i18n.t("pi_assess_" + expected["assessment"], lang)


def test_panama_2025_reported_in_cases_is_not_comparable_never_zero(app_database):
    app = open_page("pages/plans.py", lang="en", country="PAN", year="2025")
    rows = {r["Indicator"].split("]")[0].lstrip("["): r for r in shown_table(app, "Area")}
    rate = rows[indicator_texts.name("asy_protection_rate", "en")]
    assert rate["Value 2025"] == f"{i18n.NO_FIGURE} (not comparable: reported in cases, not persons)"
    assert rate["Assessment"] == "not comparable"


def test_the_2025_per_1000_figures_carry_the_population_break(app_database):
    app = open_page("pages/plans.py", lang="es", country="CRI", year="2025")
    assert any(i18n.t("pi_note_population_projection", "es") in c.value for c in app.caption)
    app = open_page("pages/plans.py", lang="es", country="CRI", year="2024")
    assert not any(i18n.t("pi_note_population_projection", "es") in c.value for c in app.caption)


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("code", [i.code for i in public_indicators.INDICATORS])
def test_every_indicator_has_its_page(app_database, table, lang, code):
    app = open_page("pages/indicator.py", lang=lang, code=code)
    assert not app.exception
    assert app.title[0].value == indicator_texts.name(code, lang)
    text = "\n".join(m.value for m in app.markdown)
    assert indicator_texts.TEXTS[code]["formula"][lang] in text
    for caveat in indicator_texts.TEXTS[code]["caveats"]:
        assert caveat[lang] in text
    rows = shown_table(app, i18n.t("col_country", lang))
    assert [r[i18n.t("col_country", lang)] for r in rows] == [
        i18n.country_name(c, lang) for c in settings.MIRPS_COUNTRIES
    ]
    assert len(app.get("download_button")) >= 2


def test_an_unknown_indicator_code_says_so_and_shows_the_first(app_database):
    app = open_page("pages/indicator.py", lang="en", code="[x](https://evil.example)")
    assert not app.exception
    assert app.warning[0].value == i18n.t("ind_unknown", "en")
    assert app.title[0].value == indicator_texts.name(public_indicators.INDICATORS[0].code, "en")


def test_the_indicator_page_is_not_in_the_sidebar_but_opens_signed_out(app_database):
    app = open_page("pages/plans.py", lang="en")
    labels = [link.label for link in app.sidebar.get("page_link")]
    assert i18n.t("page_indicator", "en") not in labels


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_country_page_shows_the_states_public_indicators_and_pledges(app_database, table, lang):
    app = open_page("pages/country.py", lang=lang, country="BLZ", section="progress")
    assert not app.exception
    rows = shown_table(app, i18n.t("pi_col_area", lang))
    assert len(rows) == len(public_indicators.INDICATORS)
    text = "\n".join(m.value for m in app.markdown)
    assert "acsg-portal.org/pledges/belize" in text  # Belize's own pledges, linked to where they were found
    assert i18n.t("grf_status_unpublished", lang) in text  # no status was published: never "not started"
    assert i18n.t("grf_umbrella", lang) in text  # the umbrella page is not one more pledge


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_overview_ranks_the_states_by_people_hosted_per_1000(app_database, table, lang):
    app = open_page("app.py", lang=lang)
    assert not app.exception
    year = int(table["year"].max())
    assert i18n.t("host_rank_title", lang, year=year) in [s.value for s in app.subheader]
    ranked = public_indicators.ranking(table, "host_per_1000", year)
    top = ranked.row(0, named=True)
    assert top["country_iso3"] == "CRI"  # 233,727 people hosted for 5.2 million inhabitants in 2025
    assert any(i18n.t("pi_note_population_projection", lang) in c.value for c in app.caption)


@pytest.fixture
def team_indicators(demo_database):
    from mirps_dash import queries as q

    return q.plan_indicators(q.Reader(demo_database))


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_national_teams_indicator_has_the_same_page(demo_database, team_indicators, lang):
    row = team_indicators.row(0, named=True)
    app = open_page("pages/indicator.py", lang=lang, code=row["indicator_code"])
    assert not app.exception
    assert app.title[0].value == row[f"name_{lang}"]
    assert app.warning[0].value == i18n.t("illustrative_banner", lang)  # the demo's indicators say what they are
    text = "\n".join(m.value for m in app.markdown)
    assert i18n.t("ind_not_documented", lang) in text  # nothing documented yet: said, never guessed
    assert len(app.get("download_button")) >= 2


def test_the_plans_page_links_each_team_indicator_to_its_page(demo_database, team_indicators):
    country = team_indicators.row(0, named=True)["country_iso3"]
    app = open_page("pages/plans.py", lang="en", country=country)
    text = "\n".join(m.value for m in app.markdown)
    for row in team_indicators.filter(team_indicators["country_iso3"] == country).iter_rows(named=True):
        assert f"indicator?code={row['indicator_code']}" in text


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_like_for_like_change_is_marked_and_says_what_it_leaves_out(app_database, table, lang):
    """Costa Rica's hosting per 1,000 since 2018: other people in need of international protection are counted
    from 2019 only, so the change leaves them out, and /plans, /indicator and the State's slide say so."""
    from mirps_dash import briefing, indicator_views

    year = max(public_indicators.years(table))
    rows = public_indicators.summary(table, "CRI", year)
    [hosting] = [r for r in rows if r["code"] == "host_per_1000"]
    assert hosting["outside_change"], "the shipped data counts a type for Costa Rica in one of the years only"
    note = indicator_views.outside_change_note(hosting, year, lang)
    for name in i18n.population_type(hosting["outside_change"][0], lang), str(hosting["baseline_year"]):
        assert name.lower() in note.lower()

    plans = open_page("pages/plans.py", lang=lang, country="CRI", year=str(year))
    assert not plans.exception
    assert any(indicator_views.CHANGE_MARK.strip() in m.value for m in plans.markdown)
    assert any(note in c.value for c in plans.caption)
    page = open_page("pages/indicator.py", lang=lang, code="host_per_1000")
    mark = indicator_views.CHANGE_MARK.strip()
    assert f"{mark} {i18n.country_name('CRI', lang)}: {note}" in [c.value for c in page.caption]  # its latest year
    card = briefing.protection_card(hosting, lang)
    assert note in card.notes
