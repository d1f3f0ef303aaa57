"""Each State's protection section in the factsheet and slide in the decks (and presentation mode): the key
public-statistics indicators of the latest year with their baseline value, change and assessment, exactly
as `public_indicators.summary` gives them, a missing figure a dash with its reason, the 2025 population
break footnoted, the sources in the footer and the speaker notes; in both languages. A data cut freezes them."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pptx import Presentation
from sqlalchemy import text

from mirps_dash import (
    briefing,
    catalog,
    charts,
    cuts,
    database,
    factsheet,
    i18n,
    indicator_texts,
    indicator_views,
    load,
    pptx_deck,
    public_indicators,
    queries,
    settings,
    slides,
)
from tests import truth
from tests.conftest import open_page
from tests.test_factsheet import page_texts


@pytest.fixture(scope="module")
def data(loaded_sqlite_url) -> briefing.Data:
    return briefing.FromReader(queries.Reader(loaded_sqlite_url))


@pytest.fixture(scope="module")
def table(data):
    return data.public_indicator_table()


def year() -> int:
    return truth.latest_year()


def expected_rows(table, country: str, kind: str | None = None) -> list[dict]:
    """The rows the section (or its slide `kind`) shows, straight from `public_indicators.summary`."""
    rows = public_indicators.summary(table, country, year())
    codes = briefing.PROTECTION[kind] if kind else briefing.PROTECTION_CODES
    return [row for row in rows if row["code"] in codes]


def test_the_section_shows_the_key_indicators():
    assert set(briefing.PROTECTION_CODES) == {
        "asy_new_applications",
        "asy_decisions_first",
        "asy_decisions_appeal",
        "asy_protection_rate",
        "asy_awaiting",
        "host_per_1000",
    }


def expected_texts(row: dict, lang: str) -> list[str]:
    """What a reader sees of one indicator: its name followed by the year's figure (a dash and the reason
    where there is none), the change since the baseline, then the baseline's figure and the assessment."""
    unit = row["unit"]
    name = indicator_texts.name(row["code"], lang)
    baseline = indicator_views.figure_text(row["baseline_value"], unit, row["baseline_reason"], lang)
    base_year = public_indicators.BASELINE_YEAR
    if row["value"] is None:
        assert row["assessment"] == "not_comparable" and row["change"] is None
        reason = i18n.t("pi_reason_" + row["reason"], lang)
        missing = i18n.t("pi_card_missing", lang, reason=reason, year=base_year, value=baseline)
        said = [f"{name} {i18n.NO_FIGURE} {missing}"]  # the dash where the figure goes, never a 0
    else:
        shown = f"{name} {charts.public_label(row['value'], unit, lang)}"
        assessed = i18n.t("pi_assess_" + row["assessment"], lang)
        said = [shown, i18n.t("pi_card_baseline", lang, year=base_year, value=baseline, assessment=assessed)]
        if row["change"] is not None:
            change = indicator_views.change_text(row["change"], unit, lang)
            said[0] += " " + i18n.t("pi_card_change", lang, change=change, year=base_year)
    if row["note"]:
        said.append(i18n.t("pi_note_" + row["note"], lang))
    return said


def new_applications_from_csv(country: str, in_year: int) -> int | None:
    """New asylum applications lodged in `country`, in persons, summed from the shipped CSV."""
    found = [
        int(row["applied"])
        for row in truth.rows("unhcr_asylum_applications.csv")
        if row["country_iso3"] == country
        and int(row["year"]) == in_year
        and row["role"] == "asylum"
        and row["app_type"] == "N"
        and row["app_pc"] == "P"
    ]
    return sum(found) if found else None


def test_the_shipped_data_has_a_missing_figure_and_a_projected_population_to_show():
    """Otherwise the dash and the footnote below would prove nothing."""
    latest = year()
    assert new_applications_from_csv("PAN", latest) is None  # Panama reports the year in cases only
    assert any(
        r["country_iso3"] == "PAN" and int(r["year"]) == latest for r in truth.rows("unhcr_asylum_applications.csv")
    )
    projected = [r for r in truth.rows("population_total.csv") if int(r["year"]) == latest]
    assert projected and all(r["source_id"] == public_indicators.POPULATION_PROJECTION for r in projected)


@pytest.fixture(scope="module")
def factsheets(data) -> dict[str, list[str]]:
    return {lang: page_texts(factsheet.pdf(data, lang)) for lang in i18n.LANGS}


def protection_page(pages: list[str], country: str, lang: str) -> str:
    title = i18n.t("slide_protection", lang, country=i18n.country_name(country, lang), year=year())
    found = [page for page in pages if title in page]
    assert len(found) == 1, (country, lang)
    return found[0]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_factsheet_has_a_protection_page_per_state_after_its_page(factsheets, lang):
    pages = factsheets[lang]
    assert len(pages) == 1 + 2 * len(settings.MIRPS_COUNTRIES)
    for index, country in enumerate(settings.MIRPS_COUNTRIES):
        name = i18n.country_name(country, lang)
        assert i18n.t("slide_country", lang, country=name, year=year()) in pages[1 + 2 * index]
        assert i18n.t("slide_protection", lang, country=name, year=year()) in pages[2 + 2 * index]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_factsheet_s_protection_figures_are_the_summary_s(factsheets, table, lang):
    for country in settings.MIRPS_COUNTRIES:
        page = protection_page(factsheets[lang], country, lang)
        for row in expected_rows(table, country):
            for said in expected_texts(row, lang):
                assert said in page, (country, row["code"], said)
        applications = new_applications_from_csv(country, year())
        if applications is not None:  # the same figure, summed from the CSV here
            assert i18n.number(applications, lang) in page
        for key in briefing.protection_sources():  # the footer names every source and its date of data
            source = catalog.source(key)
            assert source.title[lang] in page and source.date_of_data[lang] in page, (country, key)
        assert i18n.t("pi_slide_note", lang, baseline=public_indicators.BASELINE_YEAR) in page


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_missing_figure_is_a_dash_with_its_reason_and_the_population_break_is_footnoted(factsheets, lang):
    page = protection_page(factsheets[lang], "PAN", lang)
    name = indicator_texts.name("asy_new_applications", lang)
    assert f"{name} {i18n.NO_FIGURE} {i18n.t('pi_reason_cases_only', lang)}" in page
    assert f"{i18n.NO_FIGURE}0" not in page and f"{name} 0" not in page  # never a zero for no data
    assert i18n.t("pi_note_population_projection", lang) in page


def slide_texts(slide) -> str:
    return " ".join(" ".join(shape.text_frame.text.split()) for shape in slide.shapes if shape.has_text_frame)


SHOWN = [(country, kind) for country in settings.MIRPS_COUNTRIES for kind in briefing.PROTECTION]


@pytest.fixture(scope="module")
def protection_decks(data) -> dict[str, Presentation]:
    """The two protection slides of each of the seven States, as the deck draws them, in each language."""
    span = data.population_years()

    def deck(lang: str) -> Presentation:
        contents = [briefing.slide(data, slides.Slide(kind, country), lang, span) for country, kind in SHOWN]
        return Presentation(io.BytesIO(pptx_deck.render(contents, lang)))

    return {lang: deck(lang) for lang in i18n.LANGS}


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_deck_s_protection_slides_show_the_summary_s_figures_and_cite_their_sources(protection_decks, table, lang):
    deck = protection_decks[lang]
    for slide, (country, kind) in zip(deck.slides, SHOWN, strict=True):
        name = i18n.country_name(country, lang)
        assert slide.shapes.title.text == i18n.t(f"slide_{kind}", lang, country=name, year=year())
        shown = slide_texts(slide)
        for row in expected_rows(table, country, kind):
            for said in expected_texts(row, lang):
                assert said in shown, (country, row["code"], said)
        notes = slide.notes_slide.notes_text_frame.text
        sources = briefing.protection_sources(kind)
        for key in sources:
            assert catalog.source(key).citation(lang) in notes
            assert catalog.source(key).title[lang] in shown
        assert i18n.t("factsheet_date_of_data", lang, date=briefing.date_of_data(sources, lang)) in notes
        if kind == "protection_people":  # the 2025 population break on the card of the per-1,000 figure
            assert i18n.t("pi_note_population_projection", lang) in shown


def test_each_state_deck_ends_with_its_protection_slides_and_the_regional_deck_ranks_hosting(data, table):
    for country in settings.MIRPS_COUNTRIES:
        assert slides.deck(country)[-2:] == [slides.Slide(kind, country) for kind in briefing.PROTECTION]
    deck = Presentation(io.BytesIO(pptx_deck.pptx(data, "es", "GTM")))
    assert len(deck.slides) == len(slides.deck("GTM"))
    assert [slide.shapes.title.text for slide in deck.slides][-2:] == [
        i18n.t(f"slide_{kind}", "es", country="Guatemala", year=year()) for kind in briefing.PROTECTION
    ]
    regional = [item.kind for item in slides.deck(slides.REGION)]
    assert regional.index("hosting") == regional.index("by_country") + 1
    content = briefing.slide(data, slides.Slide("hosting"), "en", data.population_years())
    assert content.title == i18n.t("host_rank_title", "en", year=year())
    assert i18n.t("pi_note_population_projection", "en") in content.note
    # It cites the population its figures divide by: the UN projection for 2025, the World Bank's before.
    assert content.sources == ("unhcr_population", public_indicators.POPULATION_PROJECTION)
    assert briefing.hosting(data, "en", year() - 1).sources == ("unhcr_population", "wb_wdi_sp_pop_totl")
    ranked = public_indicators.ranking(table, "host_per_1000", year())
    plotted = [row["country"] for row in content.chart.to_dict()["datasets"].popitem()[1]]
    named = [i18n.country_name(c, "en") for c in ranked.drop_nulls("value")["country_iso3"]]
    assert plotted == named


def move_applications(url: str, country: str, people: int) -> None:
    """Correct one row of new applications in place, as a corrected file would."""
    with database.make_engine(url).begin() as connection:
        connection.execute(
            text(
                "UPDATE asylum_application SET applied = applied + :people WHERE id = (SELECT min(id) FROM "
                "asylum_application WHERE year = :year AND country_iso3 = :country AND role = 'asylum' "
                "AND app_type = 'N' AND app_pc = 'P')"
            ),
            {"people": people, "year": year(), "country": country},
        )


def test_a_cut_freezes_the_protection_figures(empty_sqlite_url):
    load.load_shipped_data(database.make_engine(empty_sqlite_url))
    reader = queries.Reader(empty_sqlite_url)
    made = cuts.create(reader, "Plenary", date(2025, 11, 30))
    before = new_applications_from_csv("HND", year())
    move_applications(empty_sqlite_url, "HND", 1000)
    span = made.population_years()

    def shown(source) -> str:
        content = briefing.slide(source, slides.Slide("protection", "HND"), "en", span)
        return content.cards[0].value

    frozen = cuts.load(reader.engine, "Plenary")
    assert shown(frozen) == i18n.number(before, "en")
    assert shown(briefing.FromReader(queries.Reader(empty_sqlite_url))) == i18n.number(before + 1000, "en")


def test_a_cut_made_before_the_protection_slides_leaves_them_out_of_its_files(loaded_sqlite_url):
    made = cuts.snapshot(briefing.FromReader(queries.Reader(loaded_sqlite_url)))
    made["reads"] = {key: value for key, value in made["reads"].items() if "public_indicator_table" not in key}
    older = cuts.Cut("Older", date(2025, 5, 31), datetime.now(UTC), "cli", made)
    titles = [content.title for content in briefing.deck(older, "HND", "en")]
    assert i18n.t("slide_protection", "en", country="Honduras", year=year()) not in titles
    assert len(titles) == len(slides.deck("HND")) - len(briefing.PROTECTION)
    assert i18n.t("host_rank_title", "en", year=year()) not in [c.title for c in briefing.deck(older, "region", "en")]
    assert len(factsheet.pages(older, "en")) == 1 + len(settings.MIRPS_COUNTRIES)
    with pytest.raises(cuts.CutError):
        briefing.slide(older, slides.Slide("protection", "HND"), "en", older.population_years())


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("kind", list(briefing.PROTECTION))
def test_presentation_mode_shows_a_state_s_protection_slides(app_database, table, lang, kind):
    number = [item.kind for item in slides.deck("HND")].index(kind) + 1
    app = open_page(lang=lang, present="1", deck="HND", slide=str(number))
    assert not app.exception
    assert app.title[0].value == i18n.t(f"slide_{kind}", lang, country="Honduras", year=year())
    values = [metric.value for metric in app.metric]
    assert values == [charts.public_label(row["value"], row["unit"], lang) for row in expected_rows(table, "HND", kind)]
    captions = " ".join(c.value for c in app.caption)
    assert all(catalog.source(key).title[lang] in captions for key in briefing.protection_sources(kind))
