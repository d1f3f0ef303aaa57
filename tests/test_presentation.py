"""Presentation mode: the decks, every slide with its source, and stepping through by buttons and keys."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

import polars as pl
import pytest

from mirps_dash import briefing, catalog, i18n, presentation, queries, settings, slides
from tests import truth
from tests.conftest import new_app, open_page


def test_the_regional_deck_tells_the_story_then_each_country_then_plans_cities_workplan_and_support():
    deck = slides.deck("region")
    countries = len(settings.MIRPS_COUNTRIES)
    regional = ["headline", "trend_asylum", "trend_origin", "by_country", "hosting", "idps"]
    assert [s.kind for s in deck[:6]] == regional
    assert [s.country for s in deck[6 : 6 + countries]] == list(settings.MIRPS_COUNTRIES)
    assert [s.kind for s in deck[6 + countries :]] == ["plans", "cities", "workplan", "support"]
    assert slides.deck("region", workplan=False) == [s for s in deck if s.kind != "workplan"]
    kinds = ["country", "country_flows", "country_hosts", "protection", "protection_people"]
    assert [s.kind for s in slides.deck("HND")] == kinds
    assert slides.deck("XXX") == deck
    assert [slides.position(v, deck) for v in (None, "3", "0", "999", "x")] == [1, 3, 1, len(deck), 1]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_regional_slide_renders_with_its_source_and_number(app_database, lang):
    data = briefing.FromReader(queries.Reader(app_database))
    deck = presentation.deck_of(data, "region")
    said = briefing.deck(data, "region", lang)
    assert len(said) == len(deck)
    for number in range(1, len(deck) + 1):
        app = open_page(lang=lang, present="1", slide=str(number))
        assert not app.exception, number
        assert app.title[0].value == said[number - 1].title
        captions = " ".join(c.value for c in app.caption)
        assert said[number - 1].sources
        assert all(catalog.source(key).title[lang] in captions for key in said[number - 1].sources), number
        assert i18n.t("present_slide", lang, n=number, total=len(deck)) in " ".join(m.value for m in app.markdown)
        assert not app.sidebar.get("page_link"), "no navigation chrome on a slide"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_internal_displacement_slide_names_the_states_it_leaves_out(app_database, lang):
    """They have no figure from either source: left off the chart, never drawn as zero, and named."""
    missing = truth.without_idp_figure(truth.latest_year())
    assert missing  # the shipped data has such States, or this test proves nothing
    number = [s.kind for s in slides.deck("region")].index("idps") + 1
    app = open_page(lang=lang, present="1", slide=str(number))
    captions = " ".join(c.value for c in app.caption)
    named = {code for code in settings.MIRPS_COUNTRIES if i18n.country_name(code, lang) in captions}
    assert named == set(missing)


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


def test_the_screen_says_what_the_briefing_says(app_database, loaded_sqlite_url):
    data = briefing.FromReader(queries.Reader(loaded_sqlite_url))
    for deck_name in ("region", "PAN"):
        expected = briefing.deck(data, deck_name, "en")
        for number, content in enumerate(expected, start=1):
            app = open_page(lang="en", present="1", deck=deck_name, slide=str(number))
            assert app.title[0].value == content.title
            cards = [card.value for card in content.cards]
            assert [m.value for m in app.metric] == cards


def test_auto_advance_moves_on_once_the_slide_has_had_its_time(app_database):
    app = new_app()
    app.query_params.update(lang="en", present="1", auto="15", slide="3")
    app.session_state[presentation.AUTO_KEY] = ("region", 3, time.monotonic() - 16)
    app.run()
    assert app.query_params["slide"] == "4"
    assert app.query_params["auto"] == "15"  # the timer keeps running on the next slide
    assert app.selectbox(key="auto").value == 15


def test_auto_advance_waits_on_a_new_slide_and_stops_at_the_last(app_database):
    app = open_page(lang="en", present="1", auto="15", slide="3")
    assert app.query_params["slide"] == "3"  # just arrived: the full interval is still to come
    assert app.session_state[presentation.AUTO_KEY][:2] == ("region", 3)
    last = str(len(presentation.deck_of(briefing.FromReader(queries.Reader(app_database)), "region")))
    app = new_app()
    app.query_params.update(lang="en", present="1", auto="15", slide=last)
    app.session_state[presentation.AUTO_KEY] = ("region", int(last), time.monotonic() - 100)
    app.run()
    assert app.query_params["slide"] == last


def test_auto_advance_is_off_by_default_and_leaves_no_trace_in_the_url(app_database):
    app = open_page(lang="es", present="1")
    assert app.selectbox(key="auto").value == 0
    assert "auto" not in app.query_params
    app.selectbox(key="auto").set_value(20).run()
    assert app.query_params["auto"] == "20"
    app.selectbox(key="auto").set_value(0).run()
    assert "auto" not in app.query_params


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_presentation_and_about_offer_the_factsheet_and_the_deck(app_database, lang):
    labels = {i18n.t("download_factsheet", lang), i18n.t("download_deck", lang)}
    for app in (open_page(lang=lang, present="1", deck="HND"), open_page("pages/about.py", lang=lang)):
        assert not app.exception
        assert labels <= {button.proto.label for button in app.get("download_button")}


@pytest.mark.parametrize("deck_name", ["region", "GTM"])
def test_every_slide_chart_has_type_a_room_can_read(loaded_sqlite_url, deck_name):
    data = briefing.FromReader(queries.Reader(loaded_sqlite_url))
    span = (truth.first_year(), truth.latest_year())
    charted = 0
    for slide in slides.deck(deck_name):
        content = briefing.slide(data, slide, "es", span)
        if content.chart is None:
            continue
        charted += 1
        config = briefing.on_slide(content.chart).to_dict()["config"]
        sizes = [config["axis"]["labelFontSize"], config["legend"]["labelFontSize"], config["text"]["fontSize"]]
        assert min(sizes) >= 20, (slide, sizes)
    assert charted


def test_a_slide_gives_each_bar_of_a_grouped_bar_chart_room_for_its_value_label(loaded_sqlite_url):
    """At the slide's usual height, the by-country chart's two labels per country overlapped (seven States,
    fourteen bars, 20 px type)."""
    data = briefing.FromReader(queries.Reader(loaded_sqlite_url))
    year = truth.latest_year()
    content = briefing.slide(data, slides.Slide("by_country"), "en", (truth.first_year(), year))
    spec = briefing.on_slide(content.chart).to_dict()
    bars = sum(
        1
        for country in truth.MIRPS
        for role in ("asylum", "origin")
        if any(truth.value(year, country, role, kind) for kind in truth.PROTECTION)
    )
    room = spec["config"]["text"]["fontSize"] + 2  # per bar: its label and a gap
    assert bars * room > briefing.SLIDE_CHART_HEIGHT - briefing.SLIDE_CHART_FRAME  # or this proves nothing
    assert spec["height"] - briefing.SLIDE_CHART_FRAME >= bars * room


def test_the_story_slides_say_what_the_files_say(loaded_sqlite_url):
    data = briefing.FromReader(queries.Reader(loaded_sqlite_url))
    span = (truth.first_year(), truth.latest_year())
    plan_year = max(truth.workplan_years())
    events = truth.rows(f"workplan_{plan_year}_events.csv")
    this_year = ThisYearsPlan(data, plan_year)  # the loaded plan, as if it were this year's Presidency's
    workplan = briefing.slide(this_year, slides.Slide("workplan"), "en", span)
    assert workplan.title == i18n.t("slide_workplan", "en", year=date.today().year, n=len(events))
    assert sum(int(card.value.replace(",", "")) for card in workplan.cards) == len(events)

    cities = truth.rows("cities_of_solidarity.csv")
    shown = briefing.slide(data, slides.Slide("cities"), "en", span)
    countries = len({row["country_iso3"] for row in cities})
    recognized = sum(row["status"] == "recognized" for row in cities)
    assert 0 < recognized < len(cities)  # or this proves nothing
    title = i18n.t("slide_cities", "en", recognized=recognized, on_way=len(cities) - recognized, countries=countries)
    assert shown.title == title
    for status in {row["status"] for row in cities}:  # and at which step the others are
        count = sum(row["status"] == status for row in cities)
        assert f"{i18n.t(f'status_{status}', 'en')}: {count}" in shown.note

    facts = {row["fact_id"]: row for row in truth.rows("mirps_facts.csv")}
    support = briefing.slide(data, slides.Slide("support"), "es", span)
    assert [card.key for card in support.cards] == list(briefing.SUPPORT_FACTS)
    for card in support.cards:
        assert card.value.startswith(truth.grouped(int(float(facts[card.key]["value"])), "es"))

    plans = briefing.slide(data, slides.Slide("plans"), "en", span)
    by_area = [row for row in truth.rows("mirps_commitments.csv") if row["count_type"].endswith("focus_area")]
    total = sum(int(row["commitments"]) for row in by_area)
    plans_countries = len({row["country_iso3"] for row in by_area})
    assert plans.title == i18n.t("slide_plans", "en", n=f"{total:,}", countries=plans_countries)


@dataclass(frozen=True)
class ThisYearsPlan:
    """`data` whose only work plan is the one of `plan_year`, loaded as this year's."""

    data: briefing.FromReader
    plan_year: int

    def __getattr__(self, name):
        return getattr(self.data, name)

    def workplan_years(self) -> pl.DataFrame:
        return pl.DataFrame({"plan_year": [date.today().year]})

    def workplan_events(self, plan_year: int) -> pl.DataFrame:
        return self.data.workplan_events(self.plan_year)


def test_the_work_plan_slide_is_this_year_s_plan_or_is_left_out(loaded_sqlite_url):
    """A 2021 plan on a 2026 slide ("upcoming 0") reads as abandoned: the deck, presentation mode and the
    PPTX leave the slide out until this year's plan is loaded."""
    data = briefing.FromReader(queries.Reader(loaded_sqlite_url))
    assert date.today().year not in truth.workplan_years()  # the shipped plan is an older Presidency's
    assert "workplan" not in [item.kind for item in presentation.deck_of(data, "region")]
    assert "workplan" not in [item.kind for item in briefing.shown(data, "region")]
    titles = [content.title for content in briefing.deck(data, "region", "en")]
    assert not any(title.startswith(i18n.t("slide_workplan", "en", year="", n="")[:10]) for title in titles)
    current = ThisYearsPlan(data, max(truth.workplan_years()))
    assert "workplan" in [item.kind for item in presentation.deck_of(current, "region")]
    assert len(briefing.deck(current, "region", "en")) == len(slides.deck("region"))


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_overlap_warning_travels_with_hosted_and_from(loaded_sqlite_url, lang):
    """Wherever a slide shows people hosted in and people from MIRPS countries, it says they overlap."""
    data = briefing.FromReader(queries.Reader(loaded_sqlite_url))
    span = data.population_years()
    for kind in ("headline", "by_country"):
        assert briefing.slide(data, slides.Slide(kind), lang, span).note == i18n.t("overlap_roles", lang), kind


def test_footnote_marks_on_a_slide_are_distinct(app_database):
    """The support slide has two cards with a second note: each gets a mark of its own, on the card and below."""
    number = [s.kind for s in presentation.deck_of(briefing.FromReader(queries.Reader(app_database)), "region")]
    app = open_page(lang="en", present="1", slide=str(number.index("support") + 1))
    lines = [line for c in app.caption for line in c.value.split("  \n")]
    marked = [line for line in lines if line[:1] in presentation.FOOTNOTE_MARKS]
    assert len(marked) >= 2  # or this proves nothing
    marks = [line[0] for line in marked]
    assert len(set(marks)) == len(marks)
    labels = " ".join(m.value for m in app.markdown)
    assert all(mark in labels for mark in marks)  # each mark stands on its card


def test_a_long_title_takes_smaller_type_a_short_one_the_full_size():
    assert presentation.title_px("The region at the end of 2025") == presentation.TITLE_PX
    long = "92 commitments by focus area in the 6 national plans that publish them so"
    assert presentation.TITLE_MIN_PX <= presentation.title_px(long) < presentation.TITLE_PX
    assert presentation.title_px("x" * 500) == presentation.TITLE_MIN_PX
