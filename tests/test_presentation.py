"""Presentation mode: the decks, every slide with its source, and stepping through by buttons and keys."""

from __future__ import annotations

import pytest

from mirps_dash import catalog, i18n, settings, slides
from tests import truth
from tests.conftest import open_page


def test_the_regional_deck_tells_the_story_then_each_country():
    deck = slides.deck("region")
    assert [s.kind for s in deck[:5]] == ["headline", "trend_asylum", "trend_origin", "by_country", "idps"]
    assert [s.country for s in deck[5:]] == list(settings.MIRPS_COUNTRIES)
    assert [s.kind for s in slides.deck("HND")] == ["country", "country_flows"]
    assert slides.deck("XXX") == deck
    assert [slides.position(v, deck) for v in (None, "3", "0", "999", "x")] == [1, 3, 1, len(deck), 1]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_regional_slide_renders_with_its_source_and_number(app_database, lang):
    deck = slides.deck("region")
    for number in range(1, len(deck) + 1):
        app = open_page(lang=lang, present="1", slide=str(number))
        assert not app.exception, number
        assert app.title, number
        captions = " ".join(c.value for c in app.caption)
        assert any(
            catalog.source(key).title[lang] in captions for key in ("unhcr_population", "unhcr_population_pairs")
        )
        assert i18n.t("present_slide", lang, n=number, total=len(deck)) in " ".join(m.value for m in app.markdown)
        assert not app.sidebar.get("page_link"), "no navigation chrome on a slide"


def test_the_first_slide_shows_the_headline_figures_from_the_csv(app_database):
    app = open_page(lang="en", present="1")
    year = truth.latest_year()
    assert [m.value for m in app.metric][:2] == [
        truth.grouped(truth.protection_total("asylum", year), "en"),
        truth.grouped(truth.protection_total("origin", year), "en"),
    ]


def test_next_and_previous_buttons_move_through_the_deck_and_the_url(app_database):
    app = open_page(lang="es", present="1")
    app.button[1].click().run()
    assert app.query_params["slide"] == "2"
    assert app.title[0].value.startswith(i18n.t("trend_hosted", "es"))
    app.button[0].click().run()
    assert app.query_params["slide"] == "1"


def test_a_country_page_presents_that_country(app_database):
    app = open_page("pages/country.py", lang="en", present="1", country="GTM")
    assert app.title[0].value == i18n.t("slide_country", "en", country="Guatemala", year=truth.latest_year())
