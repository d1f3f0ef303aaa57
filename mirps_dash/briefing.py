"""What each slide of a deck says, as plain data: title, headline cards or a chart, and its sources.

The screen (presentation mode), the factsheet PDF and the PPTX deck all draw from here, so the three
never disagree. The figures come from any object with the read methods of `Data`: `FromReader` wraps a
`queries.Reader` (CLI, files, tests); `cache.Cached` wraps the cached reads (the app).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

import altair as alt
import polars as pl

from mirps_dash import (
    catalog,
    charts,
    i18n,
    indicator_texts,
    indicator_views,
    memo,
    metrics,
    public_indicators,
    queries,
    settings,
    slides,
    summaries,
)
from mirps_dash.i18n import t

HEADLINE_KEYS = ("hosted", "abroad", "idps_unhcr", "idps_idmc")
HEADLINE_SOURCES = ("unhcr_population", "unhcr_refugees_pkg_idmc")
SLIDE_CHART_HEIGHT = 430  # leaves room for the title, the legend and the source line at 720 px
SLIDE_CHART_FRAME = 160  # what a slide's chart draws around its plot: legend (its title beside it), axis, axis title
SLIDE_FONT_SIZE = 20
SLIDE_BAR_HEIGHT = SLIDE_FONT_SIZE + 4  # a grouped bar and its value label, on screen


class Data(Protocol):
    """The reads a briefing needs; the same names and arguments as in `queries` minus the reader."""

    def population_totals(self, countries: tuple[str, ...]) -> pl.DataFrame: ...
    def population_by_country(self, years: tuple[int, ...]) -> pl.DataFrame: ...
    def idmc_idp_stocks(self) -> pl.DataFrame: ...
    def partners(self, country: str, direction: str, year: int, types: tuple[str, ...]) -> pl.DataFrame: ...
    def population_years(self) -> tuple[int, int] | None: ...
    def commitment_counts(self) -> pl.DataFrame: ...
    def cities(self) -> pl.DataFrame: ...
    def workplan_years(self) -> pl.DataFrame: ...
    def workplan_events(self, plan_year: int) -> pl.DataFrame: ...
    def facts(self, category: str) -> pl.DataFrame: ...
    def public_indicator_table(self) -> pl.DataFrame: ...


@dataclass(frozen=True)
class FromReader:
    """`Data` read straight from the database, uncached."""

    reader: queries.Reader

    def population_totals(self, countries: tuple[str, ...]) -> pl.DataFrame:
        return queries.population_totals(self.reader, countries)

    def population_by_country(self, years: tuple[int, ...]) -> pl.DataFrame:
        return queries.population_by_country(self.reader, years)

    def idmc_idp_stocks(self) -> pl.DataFrame:
        return queries.idmc_idp_stocks(self.reader)

    def partners(self, country: str, direction: str, year: int, types: tuple[str, ...]) -> pl.DataFrame:
        return queries.partners(self.reader, country, direction, year, types)

    def population_years(self) -> tuple[int, int] | None:
        return queries.population_year_span(self.reader)

    def commitment_counts(self) -> pl.DataFrame:
        return queries.commitment_counts(self.reader)

    def cities(self) -> pl.DataFrame:
        return queries.cities(self.reader)

    def workplan_years(self) -> pl.DataFrame:
        return queries.workplan_years(self.reader)

    def workplan_events(self, plan_year: int) -> pl.DataFrame:
        return queries.workplan_events(self.reader, plan_year)

    def facts(self, category: str) -> pl.DataFrame:
        return queries.facts(self.reader, category)

    def public_indicator_table(self) -> pl.DataFrame:
        return public_indicators.compute(*queries.public_indicator_sources(self.reader))


@dataclass(frozen=True)
class Card:
    """A headline figure as people read it: exact value (or `i18n.NO_FIGURE`, a note saying no data was
    reported), change, notes."""

    key: str
    label: str
    value: str
    delta: str | None
    help: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Content:
    """One slide (or one block of a factsheet page): a title and either cards or a chart, with sources;
    `note`, a sentence under the chart that it needs to be read right (which countries it leaves out)."""

    title: str
    sources: tuple[str, ...]
    cards: tuple[Card, ...] = ()
    chart: alt.TopLevelMixin | None = None
    illustrative: bool = False
    note: str = ""


@memo.by_content
def cards(
    figures: dict[str, metrics.Figure], labels: dict[str, str], lang: str, countries_total: int | None
) -> tuple[Card, ...]:
    """The four headline figures (`metrics.headline`) as text. For the region (`countries_total` given)
    each says how many countries report; for one country, the year of its figure. No value is a dash over "no
    data reported", never zero."""
    result = []
    for key in HEADLINE_KEYS:
        figure = figures[key]
        help_text = t(f"kpi_{key}_help", lang)
        if figure.value is None or (figure.value == 0 and figure.countries_reporting == 0):
            # A dash where the figure goes, the words under it: the words in a figure's type are cut off
            # in a card a quarter of a 1280 px screen wide ("Sin dato…"). A source's 0 where it counts no one
            # (UNHCR's IDPs in Belize) is "not counted", never a figure.
            why = t("no_data_reported", lang) if figure.value is None else t("not_counted", lang)
            result.append(Card(key, labels[key], i18n.NO_FIGURE, None, help_text, (why,)))
            continue
        notes = [
            t("countries_reporting", lang, year=figure.year, n=figure.countries_reporting, total=countries_total)
            if countries_total
            else t("end_of_year", lang, year=figure.year)
        ]
        delta = None
        if figure.delta is None:
            key_none = "delta_not_counted" if figure.previous_not_counted else "delta_none"
            notes.append(t(key_none, lang, year=figure.year - 1))
        else:
            delta = t("delta_vs", lang, delta=i18n.signed(figure.delta, lang), year=figure.year - 1)
            if figure.delta_countries < figure.countries_reporting:
                notes.append(t("delta_like_for_like", lang, n=figure.delta_countries))
            if figure.entered or figure.left:  # a change of coverage is not growth: what it leaves out, named
                left_out = {figure.year - 1: list(figure.entered), figure.year: list(figure.left)}
                notes.append(summaries.not_counted(left_out, lang))
        result.append(Card(key, labels[key], i18n.number(figure.value, lang), delta, help_text, tuple(notes)))
    return tuple(result)


def headline_figures(data: Data, year: int, country: str | None = None) -> dict[str, metrics.Figure]:
    """The four headline figures for the region, or for one country, as numbers (cards and cuts share them)."""
    return metrics.headline(data.population_by_country((year - 1, year)), data.idmc_idp_stocks(), year, country)


def headline_labels(lang: str, country: str | None = None) -> dict[str, str]:
    """What each headline figure is called, for the region or for one country."""
    labels = {key: t(f"kpi_{key}", lang) for key in HEADLINE_KEYS}
    if country:
        name = i18n.country_name(country, lang)
        labels |= {"hosted": t("country_hosted", lang, country=name), "abroad": t("country_from", lang, country=name)}
    return labels


def headline(data: Data, lang: str, year: int, country: str | None = None) -> tuple[Card, ...]:
    """The four headline cards for the region, or for one country."""
    total = None if country else len(settings.MIRPS_COUNTRIES)
    return cards(headline_figures(data, year, country), headline_labels(lang, country), lang, total)


def slide(data: Data, item: slides.Slide, lang: str, span: tuple[int, int]) -> Content:
    """What one slide says, for the data's latest year (`span` is the first and last year of data)."""
    year = span[1]
    if item.kind == "headline":
        title, note = t("slide_headline", lang, year=year), t("overlap_roles", lang)
        return Content(title, HEADLINE_SOURCES, cards=headline(data, lang, year), note=note)
    if item.kind in ("trend_asylum", "trend_origin"):
        role = item.kind.removeprefix("trend_")
        totals = data.population_totals(settings.MIRPS_COUNTRIES)
        chart = charts.type_trend(metrics.protection_trend(totals, role), lang)
        title = t(f"slide_{item.kind}", lang, start=span[0], end=span[1])
        return Content(title, ("unhcr_population",), chart=chart)
    if item.kind == "by_country":
        latest = data.population_by_country((year,))
        chart = charts.protection_by_country(metrics.protection_by_country(latest, year), lang)
        note = t("overlap_roles", lang)  # the two bars of a State do not overlap; their sums over States do
        return Content(t("slide_by_country", lang, year=year), ("unhcr_population",), chart=chart, note=note)
    if item.kind == "hosting":
        return hosting(data, lang, year)
    if item.kind == "idps":
        latest = data.population_by_country((year,))
        comparison = metrics.idp_comparison(latest, data.idmc_idp_stocks(), year)
        shown, missing = metrics.split_by_reporting(comparison, settings.MIRPS_COUNTRIES)
        chart = charts.idp_comparison(shown, lang)
        note = summaries.idp_comparison(missing, lang)
        return Content(t("slide_idps", lang, year=year), HEADLINE_SOURCES, chart=chart, note=note)
    if item.kind in STORY:
        return STORY[item.kind](data, lang)
    name = i18n.country_name(item.country, lang)
    if item.kind == "country":
        title = t("slide_country", lang, country=name, year=year)
        return Content(title, HEADLINE_SOURCES, cards=headline(data, lang, year, item.country))
    if item.kind in PROTECTION:
        return protection(data, item, lang, year)
    # country_flows: where its people are; country_hosts: where the people it hosts come from
    direction = "origin" if item.kind == "country_flows" else "asylum"
    top = metrics.top_partners(data.partners(item.country, direction, year, metrics.PROTECTION_TYPES))
    title = t(f"slide_{item.kind}", lang, country=name, year=year)
    if top.is_empty():
        return Content(title, ("unhcr_population_pairs",), note=t("no_data_reported", lang))
    return Content(title, ("unhcr_population_pairs",), chart=charts.partner_bars(top, lang))


# The public-statistics indicators a State's protection slides show (`public_indicators.INDICATORS` order): its
# asylum system, then the people it holds. Two slides, not one: six cards and their five sources do not fit
# a 1280x720 screen share.
PROTECTION = {
    "protection": ("asy_new_applications", "asy_decisions_first", "asy_decisions_appeal", "asy_protection_rate"),
    "protection_people": ("asy_awaiting", "host_per_1000"),
}
PROTECTION_CODES = tuple(code for codes in PROTECTION.values() for code in codes)


def protection_rows(data: Data, country: str, year: int, kind: str | None = None) -> list[dict]:
    """`public_indicators.summary` of `country` in `year`, the rows of one protection slide (`kind`) or of
    both."""
    codes = PROTECTION[kind] if kind else PROTECTION_CODES
    return [
        row for row in public_indicators.summary(data.public_indicator_table(), country, year) if row["code"] in codes
    ]


def protection_card(row: dict, lang: str) -> Card:
    """One indicator of `public_indicators.summary` as a card: the year's value (a dash with the reason when
    there is none, never 0), the change since the baseline, then the baseline value and the assessment, and
    the row's note (the 2025 population break, levels reported only in cases)."""
    unit = row["unit"]
    baseline = indicator_views.figure_text(row["baseline_value"], unit, row["baseline_reason"], lang)
    if row["value"] is None:  # one note: with no figure there is no change to assess
        reason = t(f"pi_reason_{row['reason'] or 'no_data'}", lang)
        notes = [t("pi_card_missing", lang, reason=reason, year=row["baseline_year"], value=baseline)]
    else:
        assessed = t(f"pi_assess_{row['assessment']}", lang)
        notes = [t("pi_card_baseline", lang, year=row["baseline_year"], value=baseline, assessment=assessed)]
    if row["note"]:
        notes.append(t(f"pi_note_{row['note']}", lang))
    if row.get("outside_change"):
        notes.append(indicator_views.outside_change_note(row, row["year"], lang))
    delta = None
    if row["change"] is not None:
        change = indicator_views.change_text(row["change"], unit, lang)
        delta = t("pi_card_change", lang, change=change, year=row["baseline_year"])
    return Card(
        row["code"],
        indicator_texts.name(row["code"], lang),
        charts.public_label(row["value"], unit, lang),
        delta,
        indicator_texts.TEXTS[row["code"]]["definition"][lang],
        tuple(notes),
    )


def protection_sources(kind: str | None = None) -> tuple[str, ...]:
    """The sources of one protection slide (`kind`) or of both."""
    codes = PROTECTION[kind] if kind else PROTECTION_CODES
    return tuple(dict.fromkeys(key for code in codes for key in public_indicators.BY_CODE[code].sources))


def protection(data: Data, item: slides.Slide, lang: str, year: int) -> Content:
    """A State's protection slide: key public-statistics indicators of `year` beside their baseline."""
    rows = protection_rows(data, item.country, year, item.kind)
    title = t(f"slide_{item.kind}", lang, country=i18n.country_name(item.country, lang), year=year)
    note = t("pi_slide_note", lang, baseline=public_indicators.BASELINE_YEAR)
    cards = tuple(protection_card(row, lang) for row in rows)
    return Content(title, protection_sources(item.kind), cards=cards, note=note)


HOSTING_CODE = "host_per_1000"


def hosting(data: Data, lang: str, year: int) -> Content:
    """The seven States by the people they host per 1,000 inhabitants (the overview's ranking); the note
    names the 2025 population break and the States without a figure."""
    ranked = public_indicators.ranking(data.public_indicator_table(), HOSTING_CODE, year)
    chart = charts.public_indicator_ranking(ranked.select("country_iso3", "value"), "per_1000", lang)
    notes = indicator_views.notes_of(ranked.to_dicts(), lang)
    missing = ranked.filter(pl.col("value").is_null())["country_iso3"].to_list()
    if missing:
        notes.append(t("pi_missing_states", lang, states=", ".join(i18n.country_name(c, lang) for c in missing)))
    # The population the year's figures divide by: the World Bank's estimate, or the UN projection (2025).
    figures = ranked.drop_nulls("value")
    projected = figures["note"].eq_missing("population_projection")
    sources = ["unhcr_population"]
    sources += ["wb_wdi_sp_pop_totl"] if not projected.all() else []
    sources += [public_indicators.POPULATION_PROJECTION] if projected.any() else []
    return Content(t("host_rank_title", lang, year=year), tuple(sources), chart=chart, note=" ".join(notes))


def fact_amount(fact: dict, lang: str, *, bound: bool = True) -> str:
    """A sourced amount as the source gives it, with its unit, and "at least" where it says "more than"
    (`bound=False` leaves that to the caller, where a card says it in a note)."""
    value = i18n.number(fact["value"], lang)
    prefix = f"{t('at_least', lang)} " if bound and metrics.is_lower_bound(fact) else ""
    unit = t(f"unit_{fact['unit']}", lang) if fact["unit"] else ""
    return f"{prefix}{value} {unit}".strip()


def _plans(data: Data, lang: str) -> Content:
    areas, countries = metrics.regional_focus_areas(data.commitment_counts())
    title = t("slide_plans", lang, n=i18n.number(int(areas["commitments"].sum()), lang), countries=countries)
    return Content(title, ("mirps_commitments",), chart=charts.focus_areas(areas, lang))


CITY_STATUSES = ("recognized", "agreement_to_implement", "in_progress")  # the furthest along first


def _cities(data: Data, lang: str) -> Content:
    """A count of cities always says how many are recognized and how many are on their way (the note: at
    which step), never one number for both."""
    cities = data.cities()
    per_country = cities.group_by("country_iso3").agg(pl.len().alias("value"))
    recognized = metrics.where(cities, status="recognized").height
    title = t(
        "slide_cities", lang, recognized=recognized, on_way=cities.height - recognized, countries=per_country.height
    )
    counts = cities["status"].value_counts()
    by_status = dict(zip(counts["status"].to_list(), counts["count"].to_list(), strict=True))
    steps = [f"{t(f'status_{code}', lang)}: {by_status[code]}" for code in CITY_STATUSES if by_status.get(code)]
    note = t("cities_status_note", lang, counts=" · ".join(steps)) if steps else ""
    return Content(title, ("cities_of_solidarity",), chart=charts.cities_by_country(per_country, lang), note=note)


def current_plan_year(data: Data, today: date | None = None) -> int | None:
    """The year of `today` when a work plan for it is loaded, else None: an older Presidency's plan on a
    slide of this year reads as abandoned ("upcoming 0"), so the deck leaves the slide out."""
    year = (today or date.today()).year
    return year if year in data.workplan_years()["plan_year"].to_list() else None


def _workplan(data: Data, lang: str) -> Content:
    year = current_plan_year(data)
    if year is None:
        return Content(t("slide_workplan_none", lang), ("workplan",))
    # Counts, not the calendar: twenty event names at a size a room can read do not fit on one slide.
    events = metrics.event_status(data.workplan_events(year), date.today())
    counted = tuple(
        Card(
            status,
            t(f"event_{status}", lang),
            i18n.number(metrics.where(events, status=status).height, lang),
            None,
            "",
            (),
        )
        for status in metrics.EVENT_STATUSES
    )
    return Content(t("slide_workplan", lang, year=year, n=events.height), ("workplan",), cards=counted)


SUPPORT_FACTS = ("F13", "F20", "F17", "F22")  # the two Solidarity Events, the MIRPS Fund's first money and reach


def _support(data: Data, lang: str) -> Content:
    funding = data.facts("funding")
    shown = []
    for fact_id in SUPPORT_FACTS:
        found = metrics.where(funding, fact_id=fact_id)
        if found.is_empty():
            continue
        fact = found.row(0, named=True)
        notes = (i18n.source_date(fact["date"], lang),)
        if metrics.is_lower_bound(fact):
            notes = (*notes, t("lower_bound_note", lang))  # on a slide: a footnote marked on the label
        value = fact_amount(fact, lang, bound=False)
        shown.append(Card(fact_id, t(f"support_{fact_id}", lang), value, None, "", notes))
    return Content(t("slide_support", lang), ("mirps_facts",), cards=tuple(shown))


STORY = {"plans": _plans, "cities": _cities, "workplan": _workplan, "support": _support}


def deck(data: Data, name: str, lang: str) -> list[Content]:
    """Every slide of `slides.deck(name)`, in order; empty when the database holds no population data."""
    span = data.population_years()
    if span is None:
        return []
    return [slide(data, item, lang, span) for item in shown(data, name)]


def shown(data: Data, name: str) -> list[slides.Slide]:
    """The slides of `slides.deck(name)` that `data` can draw and has something current for: the work plan's
    only when a plan for this year is loaded."""
    return [item for item in slides.deck(name, workplan=current_plan_year(data) is not None) if readable(data, item)]


PUBLIC_SLIDES = ("hosting", *PROTECTION)  # the slides that read `public_indicator_table`


def readable(data: Data, item: slides.Slide) -> bool:
    """False for a slide a data cut cannot draw because it was made before the slide read what it reads:
    its files leave that slide out rather than fail whole (presentation mode says so on the slide)."""
    holds = getattr(data, "holds", None)
    if holds is None:
        return True
    if item.kind == "country_hosts":  # a read of its own arguments: try it (a cut answers from what it froze)
        try:
            data.partners(item.country, "asylum", data.population_years()[1], metrics.PROTECTION_TYPES)
        except ValueError:  # cuts.CutError: a cut made before this slide (cuts imports this module)
            return False
        return True
    return item.kind not in PUBLIC_SLIDES or holds("public_indicator_table")


def on_slide(chart: alt.TopLevelMixin, *, frame_inside: bool = True) -> alt.TopLevelMixin:
    """A chart sized to a slide (not to its data) with type a room can read.

    On screen Streamlit fits legend and axes inside the height (`frame_inside`): there grouped bars get
    taller where their count needs it, so that each bar holds its value label (at the usual height seven
    States' two labels overlapped). vl-convert, drawing the PPTX's pictures, adds them outside it."""
    height = SLIDE_CHART_HEIGHT
    if frame_inside:
        usermeta = chart.usermeta if isinstance(chart.usermeta, dict) else {}
        bars = usermeta.get(charts.GROUPED_BARS, 0)
        height = max(height, SLIDE_CHART_FRAME + bars * SLIDE_BAR_HEIGHT)
        chart = chart.properties(autosize=alt.AutoSizeParams(type="fit", contains="padding"))
    sized = charts.resized(chart.properties(height=height), SLIDE_FONT_SIZE)
    # A legend's title beside its entries, not on a line of its own: a line a 720 px slide does not have.
    return sized.configure_legend(**{**sized.config.legend.to_dict(), "titleOrient": "left"})


def source_lines(keys: tuple[str, ...], lang: str) -> list[str]:
    """One line per source: publisher, dataset title, date of data (what every export's footer says)."""
    lines = []
    for key in keys:
        s = catalog.source(key)
        named = f"{s.publisher[lang]}, {s.title[lang]}"
        lines.append(named if s.invented else f"{named} · {s.dated(lang)}")
    return lines


def date_of_data(keys: tuple[str, ...], lang: str) -> str:
    """The dates of data of `keys`, each once, in order ("end-2025")."""
    return ", ".join(dict.fromkeys(catalog.source(key).date_of_data[lang] for key in keys))
