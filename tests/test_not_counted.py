"""A source's 0 where it counts no one is "not counted", with the reason, never a figure and never a base
for a change: UNHCR's IDP series holds 0 for Belize, Costa Rica and Panama, for Guatemala before 2025 and
for Mexico before 2022 (data/SOURCES.md). The rule lives in `briefing.cards`, which the country page, the
factsheet and the deck all draw from."""

from __future__ import annotations

import pytest

from mirps_dash import briefing, i18n, markup, metrics, queries
from tests import truth
from tests.conftest import open_page


def unhcr_idps(country: str, year: int) -> int:
    return sum(
        int(r["value"])
        for r in truth.rows("unhcr_population.csv")
        if (r["country_iso3"], int(r["year"]), r["role"], r["population_type"]) == (country, year, "asylum", "idps")
    )


def country_cards(url: str, country: str, year: int, lang: str):
    reader = queries.Reader(url)
    figures = metrics.headline(
        queries.population_by_country(reader, (year - 1, year)), queries.idmc_idp_stocks(reader), year, country
    )
    return {card.key: card for card in briefing.cards(figures, briefing.headline_labels(lang, country), lang, None)}


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("country", ["BLZ", "CRI", "PAN"])
def test_a_state_unhcr_does_not_count_shows_not_counted_never_zero(loaded_sqlite_url, country, lang):
    year = truth.latest_year()
    assert unhcr_idps(country, year) == 0  # what the source holds
    card = country_cards(loaded_sqlite_url, country, year, lang)["idps_unhcr"]
    assert card.value == i18n.NO_FIGURE
    assert card.notes == (i18n.t("not_counted", lang),)
    assert card.delta is None


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_first_count_after_a_zero_is_no_change(loaded_sqlite_url, lang):
    first = min(y for y in range(2016, truth.latest_year() + 1) if unhcr_idps("GTM", y) > 0)
    assert unhcr_idps("GTM", first - 1) == 0
    card = country_cards(loaded_sqlite_url, "GTM", first, lang)["idps_unhcr"]
    assert card.value == i18n.number(unhcr_idps("GTM", first), lang)
    assert card.delta is None
    assert i18n.t("delta_not_counted", lang, year=first - 1) in card.notes
    assert i18n.t("delta_none", lang, year=first - 1) not in card.notes


def test_the_country_page_says_not_counted(app_database):
    app = open_page("pages/country.py", lang="en", country="BLZ")
    assert not app.exception
    notes = "\n".join(markup.unescaped(c.value) for c in app.caption)
    assert i18n.t("not_counted", "en") in notes
