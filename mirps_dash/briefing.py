"""What each slide of a deck says, as plain data: title, headline cards or a chart, and its sources.

The screen (presentation mode), the factsheet PDF and the PPTX deck all draw from here, so the three
never disagree. The figures come from any object with the read methods of `Data`: `FromReader` wraps a
`queries.Reader` (CLI, files, tests); `cache.Cached` wraps the cached reads (the app).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import altair as alt
import polars as pl

from mirps_dash import catalog, charts, i18n, metrics, queries, settings, slides
from mirps_dash.i18n import t

HEADLINE_KEYS = ("hosted", "abroad", "idps_unhcr", "idps_idmc")
HEADLINE_SOURCES = ("unhcr_population", "unhcr_refugees_pkg_idmc")
SLIDE_CHART_HEIGHT = 430  # leaves room for the title, the legend and the source line at 720 px


class Data(Protocol):
    """The reads a briefing needs; the same names and arguments as in `queries` minus the reader."""

    def population_totals(self, countries: tuple[str, ...]) -> pl.DataFrame: ...
    def population_by_country(self, years: tuple[int, ...]) -> pl.DataFrame: ...
    def idmc_idp_stocks(self) -> pl.DataFrame: ...
    def partners(self, country: str, direction: str, year: int, types: tuple[str, ...]) -> pl.DataFrame: ...
    def population_years(self) -> tuple[int, int] | None: ...


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


@dataclass(frozen=True)
class Card:
    """A headline figure as people read it: exact value (or "no data reported"), change, notes."""

    key: str
    label: str
    value: str
    delta: str | None
    help: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Content:
    """One slide (or one block of a factsheet page): a title and either cards or a chart, with sources."""

    title: str
    sources: tuple[str, ...]
    cards: tuple[Card, ...] = ()
    chart: alt.TopLevelMixin | None = None
    illustrative: bool = False


def cards(
    figures: dict[str, metrics.Figure], labels: dict[str, str], lang: str, countries_total: int | None
) -> tuple[Card, ...]:
    """The four headline figures (`metrics.headline`) as text. For the region (`countries_total` given)
    each says how many countries report; for one country, the year of its figure. No value is "no data
    reported", never zero."""
    result = []
    for key in HEADLINE_KEYS:
        figure = figures[key]
        help_text = t(f"kpi_{key}_help", lang)
        if figure.value is None:
            result.append(Card(key, labels[key], t("no_data_reported", lang), None, help_text, ()))
            continue
        notes = [
            t("countries_reporting", lang, year=figure.year, n=figure.countries_reporting, total=countries_total)
            if countries_total
            else t("end_of_year", lang, year=figure.year)
        ]
        delta = None
        if figure.delta is None:
            notes.append(t("delta_none", lang, year=figure.year - 1))
        else:
            delta = t("delta_vs", lang, delta=i18n.signed(figure.delta, lang), year=figure.year - 1)
            if figure.delta_countries < figure.countries_reporting:
                notes.append(t("delta_like_for_like", lang, n=figure.delta_countries))
        result.append(Card(key, labels[key], i18n.number(figure.value, lang), delta, help_text, tuple(notes)))
    return tuple(result)


def headline_figures(data: Data, year: int, country: str | None = None) -> dict[str, metrics.Figure]:
    """The four headline figures for the region, or for one country, as numbers (cards and cuts share them)."""
    by_country = data.population_by_country((year - 1, year))
    stocks = data.idmc_idp_stocks()
    if country:
        by_country = metrics.where(by_country, country_iso3=country)
        # IDMC's figure for the chosen year, or its latest before it (the card says which year).
        stocks = metrics.up_to_year(metrics.where(stocks, country_iso3=country), year)
    return metrics.headline(by_country, stocks, year)


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
        return Content(t("slide_headline", lang, year=year), HEADLINE_SOURCES, cards=headline(data, lang, year))
    if item.kind in ("trend_asylum", "trend_origin"):
        role = item.kind.removeprefix("trend_")
        totals = data.population_totals(settings.MIRPS_COUNTRIES)
        chart = charts.type_trend(metrics.protection_trend(totals, role), lang)
        title = t(f"slide_{item.kind}", lang, start=span[0], end=span[1])
        return Content(title, ("unhcr_population",), chart=chart)
    if item.kind == "by_country":
        latest = data.population_by_country((year,))
        chart = charts.protection_by_country(metrics.protection_by_country(latest, year), lang)
        return Content(t("slide_by_country", lang, year=year), ("unhcr_population",), chart=chart)
    if item.kind == "idps":
        latest = data.population_by_country((year,))
        comparison = metrics.idp_comparison(latest, data.idmc_idp_stocks(), year)
        missing = metrics.countries_without(comparison, settings.MIRPS_COUNTRIES)
        shown = metrics.where_in(comparison, "country_iso3", missing, keep=False)
        return Content(t("slide_idps", lang, year=year), HEADLINE_SOURCES, chart=charts.idp_comparison(shown, lang))
    name = i18n.country_name(item.country, lang)
    if item.kind == "country":
        title = t("slide_country", lang, country=name, year=year)
        return Content(title, HEADLINE_SOURCES, cards=headline(data, lang, year, item.country))
    partners = data.partners(item.country, "origin", year, metrics.PROTECTION_TYPES)
    chart = charts.partner_bars(metrics.top_partners(partners), lang)
    return Content(t("slide_country_flows", lang, country=name, year=year), ("unhcr_population_pairs",), chart=chart)


def deck(data: Data, name: str, lang: str) -> list[Content]:
    """Every slide of `slides.deck(name)`, in order; empty when the database holds no population data."""
    span = data.population_years()
    if span is None:
        return []
    return [slide(data, item, lang, span) for item in slides.deck(name)]


def on_slide(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """A chart sized to a slide (not to its data) with type a room can read."""
    return charts.resized(chart.properties(height=SLIDE_CHART_HEIGHT), 20)


def source_lines(keys: tuple[str, ...], lang: str) -> list[str]:
    """One line per source: publisher, dataset title, date of data (what every export's footer says)."""
    lines = []
    for key in keys:
        s = catalog.source(key)
        lines.append(f"{s.publisher}, {s.title[lang]} · {t('data_as_of', lang)} {s.date_of_data[lang]}")
    return lines


def date_of_data(keys: tuple[str, ...], lang: str) -> str:
    """The dates of data of `keys`, each once, in order ("end-2025")."""
    return ", ".join(dict.fromkeys(catalog.source(key).date_of_data[lang] for key in keys))
