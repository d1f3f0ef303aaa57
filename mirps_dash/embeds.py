"""Embeddable charts: `/embed/{figure}?lang=&country=&year=`, one self-contained HTML page per public chart.

The page carries the same Vega-Lite spec the app draws (built by `charts` from the same `metrics`), its
title, a one-sentence summary, the source line with licence and date of data, and a link to the full
view. The server draws the chart into the page as SVG (vl-convert), so it is on screen at once; the copy of
Vega, Vega-Lite and vega-embed kept in `static/vega/` (bundled from the installed vl-convert, licences
beside it) and served from this server then draws it again, interactive, at the iframe's width. The page's
Content-Security-Policy lets it fetch nothing from anywhere else, so an embed works offline and tells no
third party who reads it.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import altair as alt
import polars as pl

from mirps_dash import (
    api,
    catalog,
    charts,
    i18n,
    indicator_texts,
    indicator_views,
    maps,
    metrics,
    public_indicators,
    queries,
    settings,
    summaries,
    translations,
)
from mirps_dash.i18n import t
from mirps_dash.schema import POPULATION_TYPES

PREFIX = "/embed"
STATIC = Path(__file__).resolve().parent / "static" / "vega"
BUNDLE_NAME = "vega-bundle.js"
BOOT_NAME = "embed.js"
# Scripts from this server only ('unsafe-eval': Vega compiles its expressions); data, styles and images
# inline; no connection, font or frame anywhere. No frame-ancestors: any page may frame it, a page opened
# from a file too (which "frame-ancestors *" would refuse).
CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; "
    "base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class Drawn:
    """What an embed shows: the chart, its sentence, sources and the full view's address."""

    title: str
    chart: alt.TopLevelMixin | None  # None: nothing to draw for this selection, which the page says
    summary: str | None
    sources: tuple[str, ...]
    full_view: str
    legend: tuple[tuple[str, str], ...] = ()  # a map's (label, colour): the app draws it beside the map
    is_map: bool = False  # carries the UN disclaimer on boundaries and the outlines' source


def _year(params: Mapping[str, Sequence[str]], reader: queries.Reader) -> int:
    span = queries.population_year_span(reader)
    if span is None:
        raise api.ApiError(404, "embed_no_data")
    chosen = api.years(params.get("year", ()), "year")
    if len(chosen) > 1:
        raise api.ApiError(
            400, "api_bad_year", parameter="year", value=",".join(params["year"])[:20], low=span[0], high=span[1]
        )
    year = chosen[0] if chosen else span[1]
    if not span[0] <= year <= span[1]:
        raise api.ApiError(400, "api_bad_year", parameter="year", value=str(year), low=span[0], high=span[1])
    return year


def _country(params: Mapping[str, Sequence[str]]) -> str | None:
    codes = api.iso3_codes(params.get("country", ()), "country")
    if len(codes) > 1 or (codes and codes[0] not in settings.MIRPS_COUNTRIES):
        shown = ",".join(codes)[:20]
        raise api.ApiError(
            400, "api_bad_choice", parameter="country", value=shown, allowed=", ".join(settings.MIRPS_COUNTRIES)
        )
    return codes[0] if codes else None


def _full_view(path: str, lang: str, **params: object) -> str:
    """`path` with `lang` and `params` in its query; a list or tuple value repeats its key, as pages write them."""
    pairs = []
    for name, value in {"lang": lang, **params}.items():
        for each in value if isinstance(value, (list, tuple)) else [value]:
            if each is not None:
                pairs.append((name, str(each)))
    return f"{path}?{urlencode(pairs, safe=',')}"


def _countries(params: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """`countries` (the pages' parameter: MIRPS States, one or several), all of them by default."""
    codes = api.iso3_codes(params.get("countries", ()), "countries")
    strangers = [code for code in codes if code not in settings.MIRPS_COUNTRIES]
    if strangers:
        allowed = ", ".join(settings.MIRPS_COUNTRIES)
        raise api.ApiError(400, "api_bad_choice", parameter="countries", value=strangers[0], allowed=allowed)
    return tuple(code for code in settings.MIRPS_COUNTRIES if code in codes) or settings.MIRPS_COUNTRIES


def _types(params: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """`types`, stocks only, as /displacement keeps them: returns are flows during the year, never added into
    a stock total (a link that names them draws the stocks it names)."""
    chosen = api.choices(POPULATION_TYPES)(params.get("types", ()), "types")
    return tuple(code for code in metrics.STOCK_TYPES if code in chosen) or metrics.PROTECTION_TYPES


def _years(params: Mapping[str, Sequence[str]], reader: queries.Reader) -> tuple[int, int]:
    """`years` as the displacement page writes it (its first and last year) or as a range, within the data."""
    span = queries.population_year_span(reader)
    if span is None:
        raise api.ApiError(404, "embed_no_data")
    chosen = api.years(params.get("years", ()), "years")
    first, last = (chosen[0], chosen[-1]) if chosen else span
    if not span[0] <= first <= last <= span[1]:
        raise api.ApiError(400, "api_bad_year", parameter="years", value=f"{first}-{last}", low=span[0], high=span[1])
    return first, last


def trend(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """People hosted (`role=asylum`, the default) or from (`role=origin`) the region or one State, by year."""
    role = (api.choices(("asylum", "origin"))(params.get("role", ()), "role") or ["asylum"])[-1]
    country = _country(params)
    countries = (country,) if country else settings.MIRPS_COUNTRIES
    frame = metrics.protection_trend(queries.population_totals(reader, countries), role)
    if country:
        title = t(f"embed_trend_{role}", lang, country=i18n.country_name(country, lang))
    else:
        title = t("trend_hosted", lang) if role == "asylum" else t("trend_from", lang)
    view = _full_view("/country", lang, country=country) if country else _full_view("/", lang)
    return Drawn(title, charts.type_trend(frame, lang), summaries.trend(frame, lang), ("unhcr_population",), view)


def by_country(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """Hosted and from, per MIRPS State, in one year (the latest by default)."""
    year = _year(params, reader)
    frame = metrics.protection_by_country(queries.population_by_country(reader, (year,)), year)
    summary = summaries.hosted_and_from(frame, year, lang)
    title = f"{t('embed_by_country', lang)} {year}"
    return Drawn(
        title, charts.protection_by_country(frame, lang), summary, ("unhcr_population",), _full_view("/", lang)
    )


def idp_comparison(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """UNHCR's and IDMC's internally displaced people per State, side by side, never added."""
    year = _year(params, reader)
    by_country = queries.population_by_country(reader, (year,))
    comparison = metrics.idp_comparison(by_country, queries.idmc_idp_stocks(reader), year)
    shown, missing = metrics.split_by_reporting(comparison, settings.MIRPS_COUNTRIES)
    return Drawn(
        t("idp_compare_title", lang, year=year),
        charts.idp_comparison(shown, lang),
        summaries.idp_comparison(missing, lang),
        ("unhcr_population", "unhcr_refugees_pkg_idmc"),
        _full_view("/", lang),
    )


def _one(params: Mapping[str, Sequence[str]], name: str, allowed: Sequence[str], default: str) -> str:
    chosen = api.choices(allowed)(params.get(name, ()), name)
    if len(chosen) > 1:
        raise api.ApiError(
            400, "api_bad_choice", parameter=name, value=",".join(chosen)[:40], allowed=", ".join(allowed)
        )
    return chosen[0] if chosen else default


def _series(params: Mapping[str, Sequence[str]], reader: queries.Reader) -> tuple[pl.DataFrame, str, int]:
    """The displacement page's view: `countries` (MIRPS States), `types` (the protection types by default),
    one `role` and one `year`."""
    role = _one(params, "role", ("asylum", "origin"), "asylum")
    year = _year(params, reader)
    series = queries.population_series(reader, _countries(params), role, _types(params), (year, year))
    return series, role, year


def ranking(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """The MIRPS States ranked by the people they host (`role=asylum`) or who come from them, in one year."""
    series, role, year = _series(params, reader)
    # a State the source counts none of these people in (its 0) is named under the chart, never a 0 bar
    totals, unranked = metrics.split_by_reporting(metrics.country_totals(series, year), _countries(params))
    view = _full_view("/displacement", lang, section="states", role=role)
    title = f"{t('section_ranking', lang, year=year)} · {t(f'role_{role}', lang)}"
    summary = summaries.ranking(totals, year, lang, unranked)
    return Drawn(title, charts.country_ranking(totals, lang), summary, ("unhcr_population",), view)


def choropleth(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """The same figures as `ranking`, on the map of the MIRPS States."""
    series, role, year = _series(params, reader)
    totals, unranked = metrics.split_by_reporting(metrics.country_totals(series, year), _countries(params))
    view = _full_view("/displacement", lang, section="states", role=role)
    title = f"{t('section_choropleth', lang, year=year)} · {t(f'role_{role}', lang)}"
    legend = tuple(maps.choropleth_legend(totals, lang))
    summary = summaries.ranking(totals, year, lang, unranked)
    return Drawn(title, maps.choropleth_map(totals, lang), summary, ("unhcr_population",), view, legend, True)


def solutions(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """Returns, resettlement and naturalisation in the MIRPS States by year."""
    role = _one(params, "role", ("asylum", "origin"), "asylum")
    span = _years(params, reader)
    found = metrics.solutions_by_year(queries.solutions(reader, _countries(params), span), role)
    title = f"{t('section_solutions', lang, start=span[0], end=span[1])} · {t(f'role_{role}', lang)}"
    view = _full_view("/displacement", lang, section="solutions", role=role)
    chart = charts.solutions(found, lang) if found.height else None
    return Drawn(title, chart, t("solutions_role_note", lang), ("unhcr_solutions",), view)


def idmc_flows(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """IDMC's new internal displacements by conflict and by disaster hazard, per year."""
    country = _country(params)
    countries = (country,) if country else _countries(params)
    found = metrics.idmc_flows_by_year(queries.idmc_new_displacements(reader, countries))
    title = t("section_idmc", lang) + (f" · {i18n.country_name(country, lang)}" if country else "")
    view = (
        _full_view("/country", lang, country=country)
        if country
        else _full_view("/displacement", lang, section="internal")
    )
    chart = charts.idmc_flows(found, lang, queries.idmc_year_span(reader)) if found.height else None
    return Drawn(title, chart, summaries.idmc_flows(found, lang), ("iom_gdidata_idmc_flows",), view)


def cities_map(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """The Cities of Solidarity on the map of the region, or of one State (`country`)."""
    country = _country(params)
    statuses = tuple(api.choices(tuple(maps.STATUS_COLOURS))(params.get("status", ()), "status")) or tuple(
        maps.STATUS_COLOURS
    )
    countries = (country,) if country else _countries(params)
    country = country or (countries[0] if len(countries) == 1 else None)  # as the page: one State, its map
    shown = metrics.cities_filtered(queries.cities(reader), countries, statuses)
    where = i18n.country_name(country, lang) if country else t("embed_region", lang)
    summary = summaries.cities(shown, lang)
    view = _full_view("/cities", lang, country=country)
    chart = maps.cities_map(shown, lang, selected_country=country)
    legend = tuple(maps.status_legend(lang))
    return Drawn(t("cities_title", lang) + f" · {where}", chart, summary, ("cities_of_solidarity",), view, legend, True)


def _flows(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader):
    """The displacement page's flows view: `flow_country` (a MIRPS State, the first by default), `direction`
    (origin: where its people are; asylum: where the people it hosts come from) and `flow_year`."""
    codes = api.iso3_codes(params.get("flow_country", ()), "flow_country")
    if len(codes) > 1 or (codes and codes[0] not in settings.MIRPS_COUNTRIES):
        allowed = ", ".join(settings.MIRPS_COUNTRIES)
        raise api.ApiError(400, "api_bad_choice", parameter="flow_country", value=",".join(codes)[:20], allowed=allowed)
    country = codes[0] if codes else settings.MIRPS_COUNTRIES[0]
    direction = _one(params, "direction", ("origin", "asylum"), "origin")
    year = _year({"year": params.get("flow_year", ())}, reader)
    partners = queries.partners(reader, country, direction, year, metrics.PROTECTION_TYPES)
    key = "flows_from" if direction == "origin" else "flows_to"
    heading = t(key, lang, country=i18n.country_name(country, lang))
    view = _full_view("/displacement", lang, section="flows", flow_country=country, direction=direction, flow_year=year)
    return partners, country, direction, f"{heading}, {year}", view


def flows(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """A State's largest partners: where its people are, or where the people it hosts come from."""
    partners, country, direction, title, view = _flows(params, lang, reader)
    top = metrics.top_partners(partners)
    chart = charts.partner_bars(top, lang) if top.height else None
    summary = summaries.flows(top, country, direction, lang)
    return Drawn(title, chart, summary, ("unhcr_population_pairs",), view)


def flows_map(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """The same flows on the map of the Americas, from origin to asylum."""
    partners, country, direction, title, view = _flows(params, lang, reader)
    arcs = metrics.partner_flows(partners, country, direction)
    legend = (
        (t("arc_origin_end", lang), charts.ROLE_COLOURS["origin"]),
        (t("arc_asylum_end", lang), charts.ROLE_COLOURS["asylum"]),
    )
    chart = maps.flows_map(arcs, lang) if arcs.height else None
    note = maps.flows_off_map_note(arcs, lang)  # what the map leaves out and why, as under the page's map
    summary = " ".join(part for part in (summaries.flows_map(arcs, lang), note) if part) or None
    return Drawn(title, chart, summary, ("unhcr_population_pairs",), view, legend, True)


def types_trend(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """The displacement page's trend: the chosen States (`countries`) and types (`types`), one `role`, by
    year over `years`."""
    role = _one(params, "role", ("asylum", "origin"), "asylum")
    span = _years(params, reader)
    series = queries.population_series(reader, _countries(params), role, _types(params), span)
    totals = metrics.totals_by_year_and_type(series)
    title = f"{t('section_trend', lang, start=span[0], end=span[1])} · {t(f'role_{role}', lang)}"
    countries, types = _countries(params), _types(params)
    view = _full_view(
        "/displacement", lang, section="trend", role=role, countries=countries, types=types, years=list(span)
    )
    chart = charts.type_trend(totals, lang) if totals.height else None
    return Drawn(title, chart, summaries.trend(series, lang), ("unhcr_population",), view)


def workplan(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """The timeline of a Pro-Tempore Presidency's work plan (`plan_year`, the latest loaded by default)."""
    loaded = queries.workplan_years(reader)["plan_year"].to_list()
    if not loaded:
        raise api.ApiError(404, "embed_no_data")
    chosen = api.years(params.get("plan_year", ()), "plan_year")
    plan_year = chosen[-1] if chosen else max(loaded)
    if plan_year not in loaded or len(chosen) > 1:
        raise api.ApiError(
            400, "api_bad_year", parameter="plan_year", value=str(plan_year), low=min(loaded), high=max(loaded)
        )
    events = metrics.event_status(queries.workplan_events(reader, plan_year), date.today())
    events = translations.in_language(events, lang)  # the titles in Spanish on a Spanish page, as /workplan
    title = t("section_timeline", lang, n=events.height)
    view = _full_view("/workplan", lang, plan_year=plan_year)
    return Drawn(title, charts.workplan_timeline(events, lang), t("timeline_note", lang), ("workplan",), view)


def _with_notes(summary: str | None, notes: list[str]) -> str | None:
    """The sentence with the notes its figures carry (the 2025 population's change of source)."""
    return " ".join(part for part in (summary, *(f"({note})" for note in notes)) if part) or None


def indicator(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """One public-statistics indicator over the years for the seven States, one of them (`country`)
    highlighted, as /indicator and /plans draw it."""
    codes = [i.code for i in public_indicators.INDICATORS]
    code = _one(params, "code", codes, "asy_protection_rate")
    country = _country(params)
    found = public_indicators.BY_CODE[code]
    table = public_indicators.compute(*queries.public_indicator_sources(reader))
    series = public_indicators.series(table, code)
    latest = int(series["year"].max()) if series.height else None
    summary = summaries.extremes(indicator_views.ranked_labels(table, code, latest, lang), lang) if latest else None
    summary = _with_notes(summary, indicator_views.notes_of(series.to_dicts(), lang))
    name = indicator_texts.name(code, lang)
    lines = series.select("country_iso3", "year", "value")
    chart = charts.public_indicator_lines(lines, found.unit, lang, country) if series.height else None
    view = _full_view("/indicator", lang, code=code, country=country)
    return Drawn(t("ind_chart_title", lang, indicator=name), chart, summary, found.sources, view)


def host_per_1000(params: Mapping[str, Sequence[str]], lang: str, reader: queries.Reader) -> Drawn:
    """The seven States by the people they host per 1,000 inhabitants in one year (the latest by default),
    as the overview ranks them."""
    table = public_indicators.compute(*queries.public_indicator_sources(reader))
    year = _year(params, reader)
    ranked = indicator_views.ranking(table, "host_per_1000", year, lang)  # as the overview draws it
    summary = _with_notes(summaries.extremes(ranked.labelled, lang), ranked.notes)
    chart = charts.public_indicator_ranking(ranked.bars, "per_1000", lang)
    sources = public_indicators.BY_CODE["host_per_1000"].sources
    view = _full_view("/indicator", lang, code="host_per_1000")
    return Drawn(t("host_rank_title", lang, year=year), chart, summary, sources, view)


FIGURES: dict[str, tuple[Callable[[Mapping[str, Sequence[str]], str, queries.Reader], Drawn], tuple[str, ...]]] = {
    "trend": (trend, ("country", "role")),
    "by-country": (by_country, ("year",)),
    "idp-comparison": (idp_comparison, ("year",)),
    "ranking": (ranking, ("role", "year", "types", "countries")),
    "choropleth": (choropleth, ("role", "year", "types", "countries")),
    "solutions": (solutions, ("role", "years", "countries")),
    "idmc-flows": (idmc_flows, ("country", "countries")),
    "cities-map": (cities_map, ("country", "countries", "status")),
    "flows": (flows, ("flow_country", "direction", "flow_year")),
    "flows-map": (flows_map, ("flow_country", "direction", "flow_year")),
    "indicator": (indicator, ("code", "country")),
    "types-trend": (types_trend, ("role", "years", "types", "countries")),
    "workplan": (workplan, ("plan_year",)),
    "host-per-1000": (host_per_1000, ("year",)),
}


def source_line(keys: Sequence[str], lang: str) -> str:
    """Publisher, dataset, date of data and licence of each source, as HTML with its link."""
    cited = []
    for key in keys:
        source = catalog.source(key)
        name = html.escape(f"{source.publisher[lang]}, {source.title[lang]}")
        if "://" in source.url:
            name = f'<a href="{html.escape(source.url)}" target="_blank" rel="noopener noreferrer">{name}</a>'
        date = html.escape(source.dated(lang))
        cited.append(f"{name} · {date} · {html.escape(t('embed_licence', lang))} {html.escape(source.licence[lang])}")
    label = t("source", lang) if len(cited) == 1 else t("sources", lang)
    return f"<strong>{html.escape(label)}:</strong> " + " · ".join(cited)


def _legend(legend: Sequence[tuple[str, str]]) -> str:
    swatch = '<span class="swatch" style="background:{}"></span> {}'
    items = " ".join(f"<li>{swatch.format(html.escape(colour), html.escape(label))}</li>" for label, colour in legend)
    return f'<ul class="legend">{items}</ul>' if legend else ""


def _disclaimer(drawn: Drawn, lang: str) -> str:
    return f"<p>{html.escape(t('map_disclaimer', lang))}</p>" if drawn.is_map else ""


def _script_json(document: object) -> str:
    """JSON safe inside a <script> element: no "</script>" or "<!--" can close it."""
    return json.dumps(document, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


FIRST_PAINT_WIDTH = 640  # the width of the picture drawn on the server; it shrinks to a narrower iframe


def warm_up() -> None:
    """Start vl-convert's engine (2.5 s the first time in a process), so the first embed a visitor opens
    does not wait for it. Called once when the server starts (`routes.lifespan`)."""
    first_paint(
        {"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x", "type": "quantitative"}}}
    )


def first_paint(spec: dict) -> str:
    """The chart drawn on the server as SVG (vl-convert, no URL allowed), shown until the bundled Vega has
    loaded and draws it again, interactive, at the iframe's width: a first visit sees the chart without
    waiting for 0.9 MB of script to be parsed. Empty when it cannot be drawn here (the script still draws it)."""
    import vl_convert

    fixed = {**spec, "width": FIRST_PAINT_WIDTH}
    try:
        svg = vl_convert.vegalite_to_svg(fixed, vl_version="6.4", allowed_base_urls=[])
    except Exception:  # a picture is a nicety; the page draws the chart regardless
        return ""
    return svg.replace("<svg ", '<svg class="first-paint" aria-hidden="true" ', 1) if svg.startswith("<svg") else ""


def page(drawn: Drawn, lang: str, data_url: str) -> str:
    if drawn.chart is None:
        empty = f'<p class="summary">{html.escape(t("no_rows", lang))}</p>'
        drawing = ""
    else:
        spec = drawn.chart.to_dict()
        empty = first_paint(spec)
        drawing = f'<script type="application/json" id="spec">{_script_json(spec)}</script>'
    summary = f'<p class="summary">{html.escape(drawn.summary)}</p>' if drawn.summary else ""
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(drawn.title)} · MIRPS</title>
<style>
body {{ font-family: sans-serif; color: #1A1A1A; background: #FFFFFF; margin: 8px; }}
h1 {{ font-size: 1.15rem; margin: 0 0 0.3rem; }}
.summary {{ margin: 0 0 0.5rem; }}
#chart {{ width: 100%; }}
#chart.vega-embed {{ display: block; }}
#chart > svg.first-paint {{ max-width: 100%; height: auto; }}
footer {{ font-size: 0.8rem; color: #595959; margin-top: 0.5rem; }}
a {{ color: #0072B2; }}
.legend {{ list-style: none; padding: 0; margin: 0.3rem 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; }}
.swatch {{ display: inline-block; width: 12px; height: 12px; border: 1px solid #555; vertical-align: middle; }}
</style>
<script src="{PREFIX}/{BUNDLE_NAME}" defer></script>
<script src="{PREFIX}/{BOOT_NAME}" defer></script>
</head>
<body>
<h1>{html.escape(drawn.title)}</h1>
{summary}
<div id="chart" role="img" aria-label="{html.escape(drawn.title)}">{empty}</div>
<footer>
{_legend(drawn.legend)}{_disclaimer(drawn, lang)}
<p>{source_line((*drawn.sources, "natural_earth") if drawn.is_map else drawn.sources, lang)}</p>
<p><a href="{html.escape(drawn.full_view)}" target="_blank" rel="noopener">{html.escape(t("embed_full_view", lang))}</a>
· <a href="{html.escape(data_url)}" target="_blank" rel="noopener">{html.escape(t("embed_data", lang))}</a></p>
</footer>
{drawing}
</body>
</html>
"""


_PAGES: OrderedDict[tuple, str] = OrderedDict()
_KEEP = 256


def embed_reply(figure: str, params: Mapping[str, Sequence[str]], lang: str, database_url: str) -> api.Reply:
    found = FIGURES.get(figure)
    if found is None:
        raise api.ApiError(404, "embed_unknown_figure", name=figure[:60], known=", ".join(FIGURES))
    build, accepted = found
    for name, raw in params.items():
        if any(len(value) > api.MAX_PARAMETER_LENGTH for value in raw):
            raise api.ApiError(400, "api_parameter_too_long", parameter=name[:40], limit=api.MAX_PARAMETER_LENGTH)
        if name not in (*accepted, "lang"):
            raise api.ApiError(
                400, "api_unknown_parameter", parameter=name[:40], allowed=", ".join((*accepted, "lang"))
            )
    api.ensure_loaded(database_url)
    version = api.data_version(api.reader(database_url).engine)
    key = (database_url, version.stamp, figure, lang, tuple(sorted((k, tuple(v)) for k, v in params.items())))
    document = _PAGES.get(key)
    if document is None:
        drawn = build(params, lang, api.reader(database_url))
        document = page(drawn, lang, _data_url(figure, params, lang))
        _PAGES[key] = document
        while len(_PAGES) > _KEEP:
            _PAGES.popitem(last=False)
    headers = {"Content-Security-Policy": CSP, "Cache-Control": "public, max-age=60", "X-MIRPS-Cut": api.LIVE}
    headers["ETag"] = api.etag(version.stamp, figure, lang, repr(key[-1]))
    return api.Reply(200, document.encode(), "text/html; charset=utf-8", headers)


def _data_url(figure: str, params: Mapping[str, Sequence[str]], lang: str) -> str:
    """The open-data address of the rows behind the figure, with the figure's own filters (checked already
    by the figure's builder), in the datasets' parameter names."""
    names = ("country", "countries", "role", "year", "years", "types", "status")
    given = {name: ",".join(params.get(name, ())) or None for name in names}
    country = given["country"] or given["countries"]
    datasets = f"{api.PREFIX}/datasets"
    if figure == "trend":
        return _full_view(f"{datasets}/population.csv", lang, country=country, role=given["role"])
    if figure == "idp-comparison":
        return _full_view(f"{datasets}/idmc.csv", lang, metric="idps_stock", year=given["year"])
    if figure == "idmc-flows":
        return _full_view(f"{datasets}/idmc.csv", lang, metric="new_displacements", country=country)
    if figure == "solutions":
        return _full_view(
            f"{datasets}/solutions.csv", lang, role=given["role"] or "asylum", country=country, year=given["years"]
        )
    if figure in ("flows", "flows-map"):
        code = ",".join(params.get("flow_country", ())) or settings.MIRPS_COUNTRIES[0]
        side = "asylum" if ",".join(params.get("direction", ())) == "asylum" else "origin"
        year = ",".join(params.get("flow_year", ())) or None
        types = ",".join(metrics.PROTECTION_TYPES)
        return _full_view(f"{datasets}/pairs.csv", lang, **{side: code}, year=year, type=types)
    if figure == "cities-map":
        return _full_view(f"{datasets}/cities.csv", lang, country=country, status=given["status"])
    if figure == "workplan":
        return _full_view(f"{datasets}/events.csv", lang, plan_year=",".join(params.get("plan_year", ())) or None)
    if figure == "types-trend":
        types = given["types"] or ",".join(metrics.PROTECTION_TYPES)
        return _full_view(
            f"{datasets}/population.csv",
            lang,
            role=given["role"] or "asylum",
            year=given["years"],
            type=types,
            country=country,
        )
    if figure in ("indicator", "host-per-1000"):  # the rows the indicator is computed from
        code = ",".join(params.get("code", ())) or (
            "host_per_1000" if figure == "host-per-1000" else "asy_protection_rate"
        )
        return _full_view(f"{datasets}/{_INDICATOR_ROWS.get(code, 'population')}.csv", lang, country=country)
    if figure in ("ranking", "choropleth"):
        types = given["types"] or ",".join(metrics.PROTECTION_TYPES)
        role = given["role"] or "asylum"
        return _full_view(
            f"{datasets}/population.csv", lang, role=role, year=given["year"], type=types, country=country
        )
    return _full_view(f"{datasets}/population.csv", lang, year=given["year"])


# Which dataset holds the rows a public-statistics indicator is computed from (its numerator's; the
# population stocks for the rest).
_INDICATOR_ROWS = {"asy_new_applications": "asylum_applications"}
_INDICATOR_ROWS |= {code: "asylum_decisions" for code in ("asy_decisions_first", "asy_decisions_appeal")}
_INDICATOR_ROWS |= {code: "asylum_decisions" for code in ("asy_protection_rate", "asy_protection_rate_first")}
_INDICATOR_ROWS |= {code: "asylum_decisions" for code in ("asy_protection_rate_appeal", "asy_closed_share")}
_INDICATOR_ROWS |= {
    code: "solutions" for code in ("sol_naturalisations", "sol_resettled_from", "sol_returned_refugees")
}

# The height an iframe needs to show a figure whole at a page's usual width (a chart fits the width itself).
HEIGHTS = {"by-country": 760, "idp-comparison": 620, "ranking": 560, "choropleth": 640, "cities-map": 680}
HEIGHTS |= {"flows": 620, "flows-map": 680}


def embed_code(base: str, figure: str, lang: str, **params: object) -> tuple[str, str]:
    """The `<iframe>` code that embeds `figure` from the server at `base` (scheme and host), and the
    address of the figure's data: what the app's "Embed" item offers beside the chart."""
    given = {
        name: [str(each) for each in value] if isinstance(value, (list, tuple)) else [str(value)]
        for name, value in params.items()
        if value is not None
    }
    address = base + _full_view(f"{PREFIX}/{figure}", lang, **given)
    data = base + _data_url(figure, given, lang)
    height = HEIGHTS.get(figure, 520)
    title = html.escape(t("embed_iframe_title", lang))
    iframe = (
        f'<iframe src="{html.escape(address)}" width="100%" height="{height}" style="border:0" '
        f'title="{title}" loading="lazy"></iframe>'
    )
    return iframe, data


@cache
def _static(name: str) -> tuple[bytes, bytes, str]:
    """The file, gzip-compressed once (the bundle is 0.9 MB: compressing it on every first visit cost the
    server tens of milliseconds each), and its ETag."""
    body = (STATIC / name).read_bytes()
    return body, gzip.compress(body, compresslevel=9, mtime=0), '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def static_reply(name: str, if_none_match: str | None, accept_encoding: str | None = None) -> api.Reply:
    """The bundled Vega libraries or the boot script, cached by clients for a day and revalidated by ETag."""
    body, compressed, tag = _static(name)
    headers = {"ETag": tag, "Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
    if if_none_match == tag:
        return api.Reply(304, b"", "text/javascript", headers)
    if "gzip" in (accept_encoding or ""):
        return api.Reply(200, compressed, "text/javascript; charset=utf-8", headers | {"Content-Encoding": "gzip"})
    return api.Reply(200, body, "text/javascript; charset=utf-8", headers)
