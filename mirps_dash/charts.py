"""Altair chart builders: pure functions from small, already aggregated polars frames to `alt.Chart`.

One look for every chart: the palette below (Okabe-Ito, safe for colour-blind viewers) gives each
population type one colour everywhere (the solutions and IDP charts and the maps take theirs from
`TYPE_COLOURS`), and `finish` applies the shared config and the number locale.

Contrast (checked by tests/test_visual_language.py): every text colour reaches 4.5:1 on white; every
colour drawn as a line, a point or an arc reaches 3:1. Several palette colours are lighter than 3:1
(yellow, orange, sky blue, grey): they are drawn only as fills with a dark `OUTLINE` and a labelled legend.
"""

from __future__ import annotations

import json
import math

import altair as alt
import polars as pl
from babel import dates, numbers

from mirps_dash import i18n, memo

TYPE_COLOURS = {
    "refugees": "#0072B2",
    "asylum_seekers": "#E69F00",
    "oip": "#009E73",
    "idps": "#CC79A7",
    "returned_refugees": "#56B4E9",
    "returned_idps": "#F0E442",
    "stateless": "#D55E00",
    "ooc": "#999999",
}
ROLE_COLOURS = {"asylum": "#0072B2", "origin": "#D55E00"}
# UNHCR's IDP figure is the population type "idps": its colour; IDMC's, the same people counted by
# another definition, a darker purple beside it.
IDP_SOURCE_COLOURS = {"unhcr": TYPE_COLOURS["idps"], "idmc": "#6B4C9A"}
SOLUTION_COLOURS = {
    "resettlement": "#0072B2",
    "naturalisation": "#009E73",
    "returned_refugees": TYPE_COLOURS["returned_refugees"],
    "returned_idps": TYPE_COLOURS["returned_idps"],
}
HAZARD_COLOURS = {
    "conflict": "#D55E00",
    "flood": "#0072B2",
    "storm": "#56B4E9",
    "earthquake": "#8C6D31",
    "mass_movement": "#E69F00",
    "volcanic_activity": "#CC79A7",
    "extreme_temperature": "#F0E442",
    "wildfire": "#882255",
    "drought": "#999999",
}
BAR_COLOUR = "#0072B2"
TEXT_COLOUR = "#333333"  # axis, legend and value labels: 12.6:1 on white
WARNING_TEXT = "#A84A00"  # the "illustrative" mark as text: Okabe-Ito vermillion darkened to 5.8:1 on white
OUTLINE = "#4D4D4D"  # around colour-coded bars, so fills lighter than 3:1 still stand out from the page
OUTLINE_WIDTH = 0.6
STATUS_COLOURS = {"past": "#999999", "upcoming": "#0072B2", "tbc": "#E69F00", "no_date": "#CCCCCC"}
SELECTION = "pick"  # name of the click selection on country charts; pages read it from on_select

# d3-format locales, so axis ticks and labels group digits as the page's language does.
NUMBER_LOCALES = {
    "es": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " $"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
}


def _time_locale(lang: str) -> dict:
    """A d3-time-format locale from CLDR (Babel), so time axes name months in the page's language."""
    months = dates.get_month_names("wide", locale=lang)
    short_months = dates.get_month_names("abbreviated", locale=lang)
    days = dates.get_day_names("wide", locale=lang)
    short_days = dates.get_day_names("abbreviated", locale=lang)
    # Babel counts days from Monday (0); d3 from Sunday.
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    return {
        "dateTime": "%x %X",
        "date": "%d/%m/%Y" if lang == "es" else "%m/%d/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": [days[i] for i in sunday_first],
        "shortDays": [short_days[i] for i in sunday_first],
        "months": [months[i] for i in range(1, 13)],
        "shortMonths": [short_months[i].rstrip(".") for i in range(1, 13)],
    }


TIME_LOCALES = {lang: _time_locale(lang) for lang in i18n.LANGS}
FONT_SIZE = 14
# Plot heights, in pixels: legends, titles and axes come on top (widgets.screen_spec).
TREND_HEIGHT = 220
TRAJECTORY_HEIGHT = 120
BAND_STEP = 40  # pixels per country in the grouped bar charts: two bars and their labels stay legible


VALUE_LABEL_SIZE = 13
GROUPED_BARS = "grouped_bars"  # `usermeta` key: how many bars a grouped bar chart draws


# A legend starts where the plot does, after the y axis: at 1280 px, in half a page, "Otras con necesidad de
# protección internacional" ran past the chart's edge and was cut, as it was beside its bar. A long label
# breaks after its 20th character, at a space, into two lines (Vega draws a list as lines; a config cannot
# set this), in legends and on the bar charts' category axis.
WRAPPED_LABEL = (
    "length(datum.label) > 30 && indexof(datum.label, ' ', 20) > 0"
    " ? [slice(datum.label, 0, indexof(datum.label, ' ', 20)), slice(datum.label, indexof(datum.label, ' ', 20) + 1)]"
    " : datum.label"
)


def _legend(title: str = "", **options) -> alt.Legend:
    """A colour legend whose long labels wrap. No title is "": Streamlit turns a None title into " ", a
    blank line above the legend."""
    return alt.Legend(title=title, labelExpr=WRAPPED_LABEL, **options)


# A long event title breaks at its middle, at a space, into two lines: on one line the longest took 520 px
# of a 1280 px screen and were cut, and the months had the 300 px left.
_MIDDLE = "indexof(datum.label, ' ', floor(length(datum.label) / 2))"
HALVED_LABEL = (
    f"length(datum.label) > 48 && {_MIDDLE} > 0"
    f" ? [slice(datum.label, 0, {_MIDDLE}), slice(datum.label, {_MIDDLE} + 1)] : datum.label"
)


MAX_TICKS = 5  # steps on a count axis: six labels at most, legible on a slide and a printed page


def count_ticks(largest: float | None, count: int = MAX_TICKS, *, whole: bool = True) -> list[float]:
    """Ticks from 0 to the first round value at or above `largest`, at most `count` steps of 1, 2 or 5 times a
    power of ten, never less than 1 when `whole` (a count has no half cities; a rate has)."""
    if not largest or largest <= 0:
        return [0, 1]
    magnitude = 10 ** math.floor(math.log10(largest / count))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude * count >= largest)
    step = max(step, 1) if whole else step
    steps = math.ceil(round(largest / step, 9))
    return [round(i * step, 9) if step < 1 else int(i * step) for i in range(steps + 1)]


def _compact_unit(top: float, lang: str) -> tuple[int, str]:
    """The one unit a whole axis is written in, from its top tick: thousands from 10,000, millions from a
    million; the suffix as CLDR abbreviates it in the page's language ("mil", "M"; "K", "M")."""
    divisor = 1_000_000 if top >= 1_000_000 else 1_000 if top >= 10_000 else 1
    if divisor == 1:
        return 1, ""
    one = numbers.format_compact_decimal(divisor, locale=lang)  # "1 mil", "1K"
    return divisor, one[one.index("1") + 1 :]


def tick_labels(ticks: list[float], lang: str) -> list[str]:
    """Each tick as text, all in the unit of the largest: "0", "0,2 M" … "1 M" (es), "0", "200K" … (en)."""
    divisor, suffix = _compact_unit(max(ticks), lang)
    step = (ticks[1] - ticks[0]) / divisor if len(ticks) > 1 else 1
    digits = next((d for d in range(4) if round(step, d) == round(step, 9)), 3)
    return ["0" if tick == 0 else i18n.number(tick / divisor, lang, digits) + suffix for tick in ticks]


def _label_expression(ticks: list[float], labels: list[str]) -> str:
    """A Vega expression that writes each tick as Python wrote it (the label rule is tested here, not in
    the browser); a tick not listed keeps Vega's own label."""
    expression = "datum.label"
    for tick, label in reversed(list(zip(ticks, labels, strict=True))):
        expression = f"datum.value == {tick} ? {json.dumps(label)} : {expression}"
    return expression


def _count_axis(largest: float | None, lang: str, **axis) -> tuple[alt.Axis, alt.Scale]:
    """An axis of counts and its scale: `count_ticks` up to a round top, labelled by `tick_labels` in one
    unit. On a slide, ten ticks of "100k" crowded the axis; "3.5k" stood for 3,500; one chart wrote "800k"
    where another wrote "0,8M"."""
    ticks = count_ticks(largest)
    labels = tick_labels(ticks, lang)
    return (
        alt.Axis(values=ticks, labelExpr=_label_expression(ticks, labels), **axis),
        alt.Scale(domain=[0, ticks[-1]], nice=False),
    )


def _value_axis(largest: float | None, unit: str, lang: str) -> tuple[alt.Axis, alt.Scale]:
    """A count axis for people (`_count_axis`); for a rate or a number of years round ticks with no needless
    decimals ("10", not "10,0"); shares as percentages."""
    if unit == "people":
        return _count_axis(largest, lang)
    axis_format = PUBLIC_FORMATS[unit] if unit == "share" else ",~f"
    top = count_ticks(largest, whole=False)[-1]  # set, not left to Vega: names at line ends are placed by it
    return alt.Axis(format=axis_format, tickCount=MAX_TICKS), alt.Scale(domain=[0, top], nice=False)


def _largest_stack(data: pl.DataFrame, by: str) -> float | None:
    """The tallest stack of a stacked bar chart: the top its count axis must reach."""
    return data.group_by(by).agg(pl.col("value").sum())["value"].max() if data.height else None


def _year_axis(years: pl.Series, lang: str, span: tuple[int, int] | None = None) -> alt.X:
    """Years as places on an axis, every year from the first to the last (of `span`, the source's years,
    when given): a year without a figure is an empty place, not skipped (IDMC's series for Belize has six
    years out of fifteen, and ends a year before the source does)."""
    first, last = span if span else (int(years.min()), int(years.max())) if years.len() else (0, -1)
    every_year = list(range(first, last + 1))
    return alt.X(
        "year:O",
        title=i18n.t("axis_year", lang),
        axis=alt.Axis(labelAngle=0),
        scale=alt.Scale(domain=every_year),
    )


def finish(chart: alt.Chart, lang: str, height: int | dict, *, outlined: bool = False) -> alt.Chart:
    """Size, locale, type and text colours shared by every chart; `outlined` legends (bar charts) draw
    their swatches with the bars' outline, so a yellow swatch is visible on white too. One `configure`
    call: each `configure_*` copies the whole chart, data included, which cost a page 5 ms a chart."""
    symbols = {"symbolStrokeColor": OUTLINE, "symbolStrokeWidth": OUTLINE_WIDTH} if outlined else {}
    legend = {
        "labelFontSize": FONT_SIZE,
        "titleFontSize": FONT_SIZE,
        "orient": "top",
        "direction": "vertical",  # one label a line: across, the timeline's ran past its narrow plot at 1280 px
        "labelLimit": 0,
        "labelColor": TEXT_COLOUR,
        "titleColor": TEXT_COLOUR,
        **symbols,
    }
    axis = {
        "labelFontSize": FONT_SIZE,
        "titleFontSize": FONT_SIZE,
        "grid": False,
        "labelColor": TEXT_COLOUR,
        "titleColor": TEXT_COLOUR,
    }
    return chart.properties(height=height, width="container").configure(
        locale={"number": NUMBER_LOCALES[lang], "time": TIME_LOCALES[lang]},
        font="sans-serif",
        axis=alt.AxisConfig(**axis),
        # Streamlit's theme flushes the end labels into the plot: "0" stood above the bars' baseline.
        axisY=alt.AxisConfig(labelFlush=False),
        legend=alt.LegendConfig(**legend),
        view=alt.ViewConfig(stroke=None),
        text=alt.MarkConfig(fontSize=VALUE_LABEL_SIZE),  # value labels; slides and print set their own
    )


def _config_part(chart: alt.TopLevelMixin, part: str) -> dict:
    config = chart.config if isinstance(chart.config, alt.Config) else None
    found = getattr(config, part, alt.Undefined) if config is not None else alt.Undefined
    return {} if found is alt.Undefined else found.to_dict(validate=False)


def resized(chart: alt.TopLevelMixin, font_size: int) -> alt.TopLevelMixin:
    """The chart with larger type (a slide, a printed page), legends across the top. Altair's
    `configure_axis`/`configure_legend` replace the whole block: the text colours and legend outlines
    set by `finish` are carried over, so a slide keeps the contrast the screen has."""
    # No label limit: at slide size Vega's 180 px cut "El Salvador"; a chart that needs one sets it on its axis.
    axis = _config_part(chart, "axis") | {
        "labelFontSize": font_size,
        "titleFontSize": font_size,
        "grid": False,
        "labelLimit": 0,
    }
    legend = _config_part(chart, "legend") | {
        "labelFontSize": font_size,
        "titleFontSize": font_size,
        "orient": "top",
        "direction": "horizontal",
        "labelLimit": 0,
    }
    text = _config_part(chart, "text") | {"fontSize": font_size}
    return chart.configure_axis(**axis).configure_legend(**legend).configure_text(**text)


def _outlined_bar(chart: alt.Chart, **kwargs) -> alt.Chart:
    return chart.mark_bar(stroke=OUTLINE, strokeWidth=OUTLINE_WIDTH, **kwargs)


def _scale(colours: dict[str, str], labels: dict[str, str], present: list[str]) -> alt.Scale:
    keys = [k for k in colours if k in present]
    return alt.Scale(domain=[labels[k] for k in keys], range=[colours[k] for k in keys])


@memo.by_content
def type_trend(frame: pl.DataFrame, lang: str) -> alt.Chart:
    """Stacked bars by year and population type (columns: year, population_type, value)."""
    labels = {code: i18n.population_type(code, lang) for code in TYPE_COLOURS}
    present = frame["population_type"].unique().to_list()
    data = frame.with_columns(pl.col("population_type").replace_strict(labels).alias("type"))
    order = {labels[k]: i for i, k in enumerate(TYPE_COLOURS)}
    data = data.with_columns(pl.col("type").replace_strict(order).alias("stack_order"))
    axis, scale = _count_axis(_largest_stack(frame, "year"), lang)
    chart = _outlined_bar(alt.Chart(data)).encode(
        x=_year_axis(frame["year"], lang),
        y=alt.Y("sum(value):Q", title=i18n.t("axis_people", lang), axis=axis, scale=scale),
        color=alt.Color("type:N", scale=_scale(TYPE_COLOURS, labels, present), legend=_legend()),
        order=alt.Order("stack_order:Q"),
        tooltip=[
            alt.Tooltip("year:O", title=i18n.t("axis_year", lang)),
            alt.Tooltip("type:N", title=i18n.t("legend_type", lang)),
            alt.Tooltip("value:Q", title=i18n.t("axis_people", lang), format=",d"),
        ],
    )
    return finish(chart, lang, height=TREND_HEIGHT, outlined=True)


def _country_labels(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    codes = frame["country_iso3"].unique().to_list()
    names = {code: i18n.country_name(code, lang) for code in codes}
    return frame.with_columns(pl.col("country_iso3").replace_strict(names).alias("country"))


def _grouped_bars(data: pl.DataFrame, group: str, scale: alt.Scale, lang: str, title: str) -> alt.Chart:
    """Horizontal bars per country, one bar per `group`, each labelled with its exact value."""
    order = data.group_by("country").agg(pl.col("value").max()).sort("value", descending=True)["country"].to_list()
    y = alt.Y("country:N", title=None, sort=order)
    axis, value_scale = _count_axis(data["value"].max(), lang)
    base = alt.Chart(data).encode(
        y=y,
        yOffset=alt.YOffset(f"{group}:N", sort=scale.domain),
        x=alt.X("value:Q", title=i18n.t("axis_people", lang), axis=axis, scale=value_scale),
        color=alt.Color(f"{group}:N", scale=scale, legend=_legend(title)),
        tooltip=[
            alt.Tooltip("country:N", title=i18n.t("axis_country", lang)),
            alt.Tooltip(f"{group}:N", title=title),
            alt.Tooltip("value:Q", title=i18n.t("axis_people", lang), format=",d"),
        ],
    )
    bars = _outlined_bar(base)
    labels = base.mark_text(align="left", dx=4, color=TEXT_COLOUR).encode(
        text=alt.Text("value:Q", format=",d"), color=alt.value(TEXT_COLOUR)
    )
    # The bar count travels with the chart: a slide sizes it so that each bar holds its label (`GROUPED_BARS`).
    chart = finish(bars + labels, lang, height={"step": BAND_STEP}, outlined=True)
    return chart.properties(usermeta={GROUPED_BARS: len(order) * len(scale.domain)})


@memo.by_content
def protection_by_country(frame: pl.DataFrame, lang: str) -> alt.Chart:
    """Hosted vs from, per country (columns: country_iso3, role, value)."""
    role_labels = {role: i18n.t(f"role_{role}", lang) for role in ROLE_COLOURS}
    data = _country_labels(frame, lang).with_columns(pl.col("role").replace_strict(role_labels).alias("role_label"))
    scale = _scale(ROLE_COLOURS, role_labels, frame["role"].unique().to_list())
    return _grouped_bars(data, "role_label", scale, lang, i18n.t("legend_role", lang))


@memo.by_content
def idp_comparison(frame: pl.DataFrame, lang: str) -> alt.Chart:
    """UNHCR and IDMC IDP figures side by side per country (columns: country_iso3, source, value)."""
    source_labels = {key: i18n.t(f"idp_source_{key}", lang) for key in IDP_SOURCE_COLOURS}
    data = _country_labels(frame, lang).with_columns(
        pl.col("source").replace_strict(source_labels).alias("source_label")
    )
    scale = _scale(IDP_SOURCE_COLOURS, source_labels, frame["source"].unique().to_list())
    return _grouped_bars(data, "source_label", scale, lang, i18n.t("legend_source", lang))


def _bars_with_labels(
    data: pl.DataFrame,
    category: str,
    lang: str,
    *,
    label_format: str = ",d",
    colour: alt.Color | None = None,
    x_title: str | None = None,
    selection: alt.Parameter | None = None,
    tooltip: list | None = None,
    unit: str = "people",
) -> alt.LayerChart:
    """Horizontal bars, largest first, each labelled with its exact value (legible without hovering); a
    count axis (`_count_axis`), or for a public-statistics `unit` other than people its own format."""
    order = data.sort("value", descending=True)[category].to_list()
    if "partner_iso3" in data.columns:  # "n other countries" is a remainder, not a rank: it goes last
        others = data.filter(pl.col("partner_iso3") == "OTHERS")[category].to_list()
        order = [c for c in order if c not in others] + others
    axis, scale = _value_axis(data["value"].max(), unit, lang)
    base = alt.Chart(data).encode(
        y=alt.Y(f"{category}:N", title=None, sort=order, axis=alt.Axis(labelLimit=280, labelExpr=WRAPPED_LABEL)),
        x=alt.X("value:Q", title=x_title or i18n.t("axis_people", lang), axis=axis, scale=scale),
    )
    bars = base.mark_bar(color=BAR_COLOUR)
    if colour is not None:  # a palette may hold fills lighter than 3:1: outlined like every coloured bar
        bars = _outlined_bar(base, color=BAR_COLOUR).encode(color=colour)
    if selection is not None:
        bars = bars.add_params(selection).encode(opacity=alt.condition(selection, alt.value(1.0), alt.value(0.5)))
    if tooltip:
        bars = bars.encode(tooltip=tooltip)
    labels = base.mark_text(align="left", dx=4, color=TEXT_COLOUR).encode(
        text=alt.Text("label:N") if "label" in data.columns else alt.Text("value:Q", format=label_format)
    )
    return bars + labels


@memo.by_content
def country_ranking(frame: pl.DataFrame, lang: str) -> alt.LayerChart:
    """Countries by value (columns: country_iso3, value); clicking a bar selects the country."""
    pick = alt.selection_point(name=SELECTION, fields=["country_iso3"], on="click")
    tooltip = [
        alt.Tooltip("country:N", title=i18n.t("axis_country", lang)),
        alt.Tooltip("value:Q", title=i18n.t("axis_people", lang), format=",d"),
    ]
    chart = _bars_with_labels(_country_labels(frame, lang), "country", lang, selection=pick, tooltip=tooltip)
    return finish(chart, lang, height={"step": 34})


@memo.by_content
def type_shares(frame: pl.DataFrame, lang: str) -> alt.LayerChart:
    """Population types by share (columns: population_type, value, share), each in its own colour."""
    labels = {code: i18n.population_type(code, lang) for code in TYPE_COLOURS}
    data = frame.with_columns(
        pl.col("population_type").replace_strict(labels).alias("type"),
        pl.Series("label", [i18n.percent(share, lang) for share in frame["share"]], dtype=pl.String),
    )
    present = frame["population_type"].to_list()
    colour = alt.Color("type:N", title=None, scale=_scale(TYPE_COLOURS, labels, present), legend=None)
    return finish(_bars_with_labels(data, "type", lang, colour=colour), lang, height={"step": 40}, outlined=True)


@memo.by_content
def partner_bars(frame: pl.DataFrame, lang: str) -> alt.LayerChart:
    """Top partners (columns: partner_iso3, partner_name, value): names in `lang`, "others" last."""
    names = {
        row["partner_iso3"]: (
            i18n.t("others", lang, n=row["partner_name"])
            if row["partner_iso3"] == "OTHERS"
            else i18n.country_name(row["partner_iso3"], lang, row["partner_name"])
        )
        for row in frame.iter_rows(named=True)
    }
    data = frame.with_columns(pl.col("partner_iso3").replace_strict(names).alias("partner"))
    return finish(_bars_with_labels(data, "partner", lang), lang, height={"step": 30})


def _stacked_by_year(
    data: pl.DataFrame,
    field: str,
    colours: dict[str, str],
    labels: dict[str, str],
    lang: str,
    y_title: str,
    span: tuple[int, int] | None = None,
):
    present = data[field].unique().to_list()
    labelled = data.with_columns(pl.col(field).replace_strict(labels, default=pl.col(field)).alias("category"))
    axis, scale = _count_axis(_largest_stack(data, "year"), lang)
    chart = _outlined_bar(alt.Chart(labelled)).encode(
        x=_year_axis(data["year"], lang, span),
        y=alt.Y("sum(value):Q", title=y_title, axis=axis, scale=scale),
        color=alt.Color("category:N", scale=_scale(colours, labels, present), legend=_legend(columns=3)),
        tooltip=[
            alt.Tooltip("year:O", title=i18n.t("axis_year", lang)),
            alt.Tooltip("category:N", title=i18n.t("col_category", lang)),
            alt.Tooltip("value:Q", title=y_title, format=",d"),
        ],
    )
    return finish(chart, lang, height=TREND_HEIGHT, outlined=True)


@memo.by_content
def solutions(frame: pl.DataFrame, lang: str) -> alt.Chart:
    """Solutions per year by type (columns: year, solution_type, value)."""
    labels = {code: i18n.t(f"solution_{code}", lang) for code in SOLUTION_COLOURS}
    return _stacked_by_year(frame, "solution_type", SOLUTION_COLOURS, labels, lang, i18n.t("axis_people", lang))


@memo.by_content
def idmc_flows(frame: pl.DataFrame, lang: str, span: tuple[int, int] | None = None) -> alt.Chart:
    """IDMC new displacements per year by category (columns: year, category, displacements), headed as
    displacements: one person displaced twice counts twice. `span`: the source's years (`queries.idmc_year_span`)."""
    labels = {code: i18n.t(f"hazard_{code}", lang) for code in HAZARD_COLOURS}
    data = frame.rename({"displacements": "value"})
    title = i18n.t("axis_new_displacements", lang)
    return _stacked_by_year(data, "category", HAZARD_COLOURS, labels, lang, title, span)


@memo.by_content
def focus_areas(frame: pl.DataFrame, lang: str) -> alt.LayerChart:
    """Commitments per focus area (columns: focus_area, commitments)."""
    data = frame.with_columns(
        pl.col("focus_area")
        .map_elements(lambda code: i18n.t(f"focus_{code}", lang), return_dtype=pl.String)
        .alias("area"),
        pl.col("commitments").alias("value"),
    )
    chart = _bars_with_labels(data, "area", lang, x_title=i18n.t("col_commitments", lang))
    return finish(chart, lang, height={"step": 34})


@memo.by_content
def cities_by_country(frame: pl.DataFrame, lang: str) -> alt.LayerChart:
    """Cities of Solidarity per country (columns: country_iso3, value)."""
    data = _country_labels(frame, lang)
    chart = _bars_with_labels(data, "country", lang, x_title=i18n.t("col_cities", lang))
    return finish(chart, lang, height={"step": 40})


# The events' names take up to 520 px, and at most 60% of a narrower chart (a phone's): at a fixed 520 px
# they left no room for the dots. Where no container is measured (an exported image), 520 px.
EVENT_LABEL_LIMIT = {"expr": "containerSize()[0] ? min(520, containerSize()[0] * 0.6) : 520"}


@memo.by_content
def workplan_timeline(events: pl.DataFrame, lang: str) -> alt.LayerChart:
    """A Gantt of the dated events (columns: event_no, title, start_date, end_date, status)."""
    labels = {code: i18n.t(f"event_{code}", lang) for code in STATUS_COLOURS}
    dated = events.filter(pl.col("start_date").is_not_null()).with_columns(
        pl.col("start_date").str.to_date().alias("start"),
        # A one-day event still needs a visible bar: it ends the next day.
        (pl.coalesce("end_date", "start_date").str.to_date() + pl.duration(days=1)).alias("end"),
        pl.col("status").replace_strict(labels).alias("status_label"),
        pl.format("{}. {}", pl.col("event_no"), pl.col("title")).alias("event"),
    )
    order = dated.sort("event_no")["event"].to_list()
    present = dated["status"].unique().to_list()
    colour = alt.Color("status_label:N", scale=_scale(STATUS_COLOURS, labels, present), legend=_legend())
    tooltip = [
        alt.Tooltip("event:N", title=i18n.t("col_event", lang)),
        alt.Tooltip("date_text:N", title=i18n.t("col_date", lang)),
        alt.Tooltip("status_label:N", title=i18n.t("col_status", lang)),
    ]
    base = alt.Chart(dated).encode(
        y=alt.Y("event:N", title=None, sort=order, axis=alt.Axis(labelLimit=EVENT_LABEL_LIMIT, labelExpr=HALVED_LABEL)),
        x=alt.X("start:T", title=None, axis=alt.Axis(format="%b", tickCount="month"), scale=alt.Scale(padding=14)),
        color=colour,
        tooltip=tooltip,
    )
    # Most events last a day: a dot reads better than a one-day sliver of a bar; longer ones get a line.
    dots = base.mark_circle(size=150, opacity=1, stroke=OUTLINE, strokeWidth=OUTLINE_WIDTH)
    spans = (
        base.transform_filter("datum.end - datum.start > 86400000")
        .mark_rule(strokeWidth=5)
        .encode(x2="end:T", color=alt.value(OUTLINE))  # a line must reach 3:1 by itself; the dot says the status
    )
    return finish(alt.layer(spans, dots), lang, height={"step": 36}, outlined=True)  # room for two lines


@memo.by_content
def indicator_trajectory(
    values: pl.DataFrame, needed: list[tuple[int, float]], target: tuple[int, float], lang: str, *, illustrative: bool
) -> alt.LayerChart:
    """Reported values (columns: period, value) against the straight path needed to reach the target.

    Illustrative data carries its mark in the chart itself, so a screenshot or export cannot lose it."""
    series = pl.concat(
        [
            values.select(
                pl.col("period").alias("year"), "value", pl.lit(i18n.t("legend_reported", lang)).alias("line")
            ),
            pl.DataFrame(needed, schema=["year", "value"], orient="row").with_columns(
                pl.lit(i18n.t("legend_needed", lang)).alias("line")
            ),
        ],
        how="vertical_relaxed",
    )
    domain = [i18n.t("legend_reported", lang), i18n.t("legend_needed", lang)]
    colours = alt.Scale(domain=domain, range=[BAR_COLOUR, "#888888"])
    base = alt.Chart(series).encode(
        x=_year_axis(series["year"], lang).title(None),  # a year without a report keeps its place
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
        color=alt.Color("line:N", scale=colours, legend=_legend()),
        strokeDash=alt.StrokeDash("line:N", scale=alt.Scale(domain=domain, range=[[1, 0], [4, 4]]), legend=None),
    )
    lines = base.mark_line(point=True)
    goal = (
        alt.Chart(pl.DataFrame({"year": [target[0]], "value": [target[1]], "label": [i18n.t("legend_target", lang)]}))
        .mark_point(shape="diamond", size=140, filled=True, color="#009E73")
        .encode(x="year:O", y="value:Q", tooltip=["label:N", "year:O", "value:Q"])
    )
    chart = alt.layer(lines, goal)
    if illustrative:
        chart = chart.properties(title=alt.Title(i18n.t("illustrative_mark", lang), color=WARNING_TEXT, fontSize=13))
    return finish(chart, lang, height=TRAJECTORY_HEIGHT)


# How each unit of a public-statistics indicator reads on an axis and a label (d3 formats).
PUBLIC_FORMATS = {"people": ",d", "share": ".0%", "per_1000": ",.1f", "years": ",.1f"}


def public_label(value: float | None, unit: str, lang: str) -> str:
    """One figure of a public-statistics indicator as text: people whole, shares as a percent, rates and
    years with one decimal; None is a dash (the reason goes beside it)."""
    if value is None:
        return i18n.NO_FIGURE
    if unit == "share":
        return i18n.percent(value, lang)
    if unit == "people":
        return i18n.number(value, lang)
    return i18n.number(value, lang, 2 if 0 < abs(value) < 1 else 1)  # 0.04 per 1,000 is not "0"


LABEL_GAP_PX = FONT_SIZE  # one line of a label's type between two names at the end of the lines


def spread_labels(values: list[float], height_px: int, top: float, gap_px: int = LABEL_GAP_PX) -> list[float]:
    """Where to write the names at the end of lines ending at `values` (sorted, smallest first) on a chart
    `height_px` tall from 0 to `top`: each at its line's end or just above the name below it, so five small
    States ending near 0 do not print their names over each other."""
    gap = gap_px / height_px * (top or 1)
    placed: list[float] = []
    for value in values:
        placed.append(value if not placed else max(value, placed[-1] + gap))
    return placed


@memo.by_content
def public_indicator_lines(frame: pl.DataFrame, unit: str, lang: str, highlight: str | None = None) -> alt.LayerChart:
    """One indicator over the years for several States (columns: country_iso3, year, value): the highlighted
    State a thick blue line with its values, the others thin grey lines named at their last point. Years
    are numbers on the axis, so a year without a figure is a gap in the line, not a skipped tick."""
    data = _country_labels(frame, lang).with_columns(
        (pl.col("country_iso3") == (highlight or "")).alias("chosen"),
        pl.col("value").map_elements(lambda v: public_label(v, unit, lang), return_dtype=pl.String).alias("label"),
    )
    years = data["year"]
    axis_x = alt.Axis(format="d", values=list(range(int(years.min()), int(years.max()) + 1)), labelAngle=0)
    axis_y, scale_y = _value_axis(data["value"].max(), unit, lang)
    base = alt.Chart(data).encode(
        x=alt.X("year:Q", title=None, axis=axis_x, scale=alt.Scale(nice=False, padding=12)),
        y=alt.Y("value:Q", title=None, axis=axis_y, scale=scale_y),
        detail="country:N",
        tooltip=[
            alt.Tooltip("country:N", title=i18n.t("axis_country", lang)),
            alt.Tooltip("year:Q", format="d", title=i18n.t("axis_year", lang)),
            alt.Tooltip("label:N", title=i18n.t("pi_col_value", lang)),
        ],
    )
    others = base.transform_filter("!datum.chosen").mark_line(color="#999999", strokeWidth=1.2, point=False)
    chosen = base.transform_filter("datum.chosen").mark_line(color=BAR_COLOUR, strokeWidth=3, point=True)
    values = base.transform_filter("datum.chosen").mark_text(dy=-10, color=TEXT_COLOUR).encode(text="label:N")
    last = data.filter(pl.col("value").is_not_null()).sort("year").group_by("country_iso3", maintain_order=True).last()
    last = last.sort("value").with_columns(
        pl.Series("label_at", spread_labels(last.sort("value")["value"].to_list(), TREND_HEIGHT, scale_y.domain[1]))
    )
    names = (
        alt.Chart(last)
        .mark_text(align="left", dx=6, color=TEXT_COLOUR)
        .encode(x="year:Q", y="label_at:Q", text="country:N")
    )
    layers = [others, chosen, values] if highlight else [others.mark_line(color=BAR_COLOUR, strokeWidth=1.5), names]
    if highlight:
        layers.append(names.transform_filter(alt.datum.country_iso3 != highlight))
    return finish(alt.layer(*layers), lang, height=TREND_HEIGHT)  # seven lines and their names


@memo.by_content
def public_indicator_ranking(frame: pl.DataFrame, unit: str, lang: str) -> alt.LayerChart:
    """The States by one indicator in one year (columns: country_iso3, value), largest first, each bar
    labelled; States without a figure are left out (the caption names them)."""
    data = _country_labels(frame.filter(pl.col("value").is_not_null()), lang).with_columns(
        pl.col("value").map_elements(lambda v: public_label(v, unit, lang), return_dtype=pl.String).alias("label")
    )
    chart = _bars_with_labels(
        data,
        "country",
        lang,
        x_title=i18n.t(f"pi_unit_{unit}", lang),
        tooltip=[alt.Tooltip("country:N", title=i18n.t("axis_country", lang)), alt.Tooltip("label:N", title="")],
        unit=unit,
    )
    return finish(chart, lang, height={"step": 34})
