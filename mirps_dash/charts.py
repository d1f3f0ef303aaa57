"""Altair chart builders: pure functions from small, already aggregated polars frames to `alt.Chart`.

One look for every chart: the palette below (Okabe-Ito, safe for colour-blind viewers) gives each
population type one colour everywhere, and `_finish` applies the shared config and the number locale.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from mirps_dash import i18n

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
IDP_SOURCE_COLOURS = {"unhcr": "#CC79A7", "idmc": "#6B4C9A"}

# d3-format locales, so axis ticks and labels group digits as the page's language does.
NUMBER_LOCALES = {
    "es": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " $"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
}
FONT_SIZE = 14
BAND_STEP = 40  # pixels per country in the grouped bar charts: two bars and their labels stay legible


def _finish(chart: alt.Chart, lang: str, height: int | dict) -> alt.Chart:
    return (
        chart.properties(height=height, width="container")
        .configure(locale={"number": NUMBER_LOCALES[lang]}, font="sans-serif")
        .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, grid=False)
        .configure_legend(
            labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="top", direction="vertical", labelLimit=0
        )
        .configure_view(stroke=None)
    )


def _scale(colours: dict[str, str], labels: dict[str, str], present: list[str]) -> alt.Scale:
    keys = [k for k in colours if k in present]
    return alt.Scale(domain=[labels[k] for k in keys], range=[colours[k] for k in keys])


def protection_trend(frame: pl.DataFrame, lang: str) -> alt.Chart:
    """Stacked bars by year and population type (columns: year, population_type, value)."""
    labels = {code: i18n.population_type(code, lang) for code in TYPE_COLOURS}
    present = frame["population_type"].unique().to_list()
    data = frame.with_columns(pl.col("population_type").replace_strict(labels).alias("type"))
    order = {labels[k]: i for i, k in enumerate(TYPE_COLOURS)}
    data = data.with_columns(pl.col("type").replace_strict(order).alias("stack_order"))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=i18n.t("axis_year", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(value):Q", title=i18n.t("axis_people", lang), axis=alt.Axis(format="~s")),
            color=alt.Color("type:N", title=None, scale=_scale(TYPE_COLOURS, labels, present)),
            order=alt.Order("stack_order:Q"),
            tooltip=[
                alt.Tooltip("year:O", title=i18n.t("axis_year", lang)),
                alt.Tooltip("type:N", title=i18n.t("legend_type", lang)),
                alt.Tooltip("value:Q", title=i18n.t("axis_people", lang), format=",d"),
            ],
        )
    )
    return _finish(chart, lang, height=300)


def _country_labels(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    codes = frame["country_iso3"].unique().to_list()
    names = {code: i18n.country_name(code, lang) for code in codes}
    return frame.with_columns(pl.col("country_iso3").replace_strict(names).alias("country"))


def _grouped_bars(data: pl.DataFrame, group: str, scale: alt.Scale, lang: str, title: str) -> alt.Chart:
    """Horizontal bars per country, one bar per `group`, each labelled with its exact value."""
    order = data.group_by("country").agg(pl.col("value").max()).sort("value", descending=True)["country"].to_list()
    y = alt.Y("country:N", title=None, sort=order)
    base = alt.Chart(data).encode(
        y=y,
        yOffset=alt.YOffset(f"{group}:N", sort=scale.domain),
        x=alt.X("value:Q", title=i18n.t("axis_people", lang), axis=alt.Axis(format="~s")),
        color=alt.Color(f"{group}:N", title=title, scale=scale),
        tooltip=[
            alt.Tooltip("country:N", title=i18n.t("axis_country", lang)),
            alt.Tooltip(f"{group}:N", title=title),
            alt.Tooltip("value:Q", title=i18n.t("axis_people", lang), format=",d"),
        ],
    )
    bars = base.mark_bar()
    labels = base.mark_text(align="left", dx=4, fontSize=12, color="#333").encode(
        text=alt.Text("value:Q", format=",d"), color=alt.value("#333")
    )
    return _finish(bars + labels, lang, height={"step": BAND_STEP})


def protection_by_country(frame: pl.DataFrame, lang: str) -> alt.Chart:
    """Hosted vs from, per country (columns: country_iso3, role, value)."""
    role_labels = {role: i18n.t(f"role_{role}", lang) for role in ROLE_COLOURS}
    data = _country_labels(frame, lang).with_columns(pl.col("role").replace_strict(role_labels).alias("role_label"))
    scale = _scale(ROLE_COLOURS, role_labels, frame["role"].unique().to_list())
    return _grouped_bars(data, "role_label", scale, lang, i18n.t("legend_role", lang))


def idp_comparison(frame: pl.DataFrame, lang: str) -> alt.Chart:
    """UNHCR and IDMC IDP figures side by side per country (columns: country_iso3, source, value)."""
    source_labels = {key: i18n.t(f"idp_source_{key}", lang) for key in IDP_SOURCE_COLOURS}
    data = _country_labels(frame, lang).with_columns(
        pl.col("source").replace_strict(source_labels).alias("source_label")
    )
    scale = _scale(IDP_SOURCE_COLOURS, source_labels, frame["source"].unique().to_list())
    return _grouped_bars(data, "source_label", scale, lang, i18n.t("legend_source", lang))
