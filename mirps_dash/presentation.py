"""Presentation mode (`?present=1`): one message per slide, large type, the source on every slide.

The deck (`?deck=region` or an ISO3 code) and the slide number (`?slide=3`) live in the URL, so a
presenter can share the exact slide; the Left and Right keys step through it.
"""

from __future__ import annotations

import streamlit as st

from mirps_dash import cache, charts, i18n, metrics, settings, slides, widgets
from mirps_dash.i18n import t

# Sizes for a 1280x720 screen share: headline figures of at least 48 px, labels of at least 20 px.
STYLE = """
<style>
[data-testid='stSidebar'], [data-testid='stHeader'], [data-testid='stToolbar'] {display: none}
.block-container {padding-top: 0.6rem; padding-bottom: 0.2rem; max-width: 100%}
h1 {padding-top: 0.2rem !important}
[data-testid='stMetricValue'], [data-testid='stMetricValue'] * {font-size: 56px !important; line-height: 1.1}
[data-testid='stMetricDelta'], [data-testid='stMetricDelta'] * {font-size: 20px !important}
[data-testid='stMarkdownContainer'] p, [data-testid='stMarkdownContainer'] li {font-size: 22px}
[data-testid='stCaptionContainer'] {font-size: 18px}
h1 {font-size: 44px !important}
</style>
"""


SLIDE_CHART_HEIGHT = 430  # leaves room for the title, the legend and the source line at 720 px


def _on_slide(chart):
    """A chart sized to the slide (not to its data) with type a room can read."""
    return (
        chart.properties(height=SLIDE_CHART_HEIGHT)
        .configure_axis(labelFontSize=18, titleFontSize=18, grid=False)
        .configure_legend(labelFontSize=18, orient="top", direction="horizontal", labelLimit=0)
    )


def _headline(frame, year: int, country: str | None = None) -> tuple[str, ...]:
    # Two cards a row: at 1280 px four side by side cannot hold seven digits at slide size.
    widgets.headline(frame.database_url, frame.lang, year, country, per_row=2)
    return ("unhcr_population", "unhcr_refugees_pkg_idmc")


def _slide(frame, slide: slides.Slide, year: int, span: tuple[int, int]) -> tuple[str, tuple[str, ...]]:
    """Draw one slide; return its title and the sources to cite under it."""
    lang, url = frame.lang, frame.database_url
    if slide.kind == "headline":
        return t("slide_headline", lang, year=year), _headline(frame, year)
    if slide.kind in ("trend_asylum", "trend_origin"):
        role = slide.kind.removeprefix("trend_")
        totals = cache.population_totals(url, settings.MIRPS_COUNTRIES)
        widgets.draw(_on_slide(charts.type_trend(metrics.protection_trend(totals, role), lang)))
        return t(f"slide_{slide.kind}", lang, start=span[0], end=span[1]), ("unhcr_population",)
    if slide.kind == "by_country":
        latest = cache.population_by_country(url, (year,))
        widgets.draw(_on_slide(charts.protection_by_country(metrics.protection_by_country(latest, year), lang)))
        return t("slide_by_country", lang, year=year), ("unhcr_population",)
    if slide.kind == "idps":
        latest = cache.population_by_country(url, (year,))
        comparison = metrics.idp_comparison(latest, cache.idmc_idp_stocks(url), year)
        shown = metrics.where_in(
            comparison, "country_iso3", metrics.countries_without(comparison, settings.MIRPS_COUNTRIES), keep=False
        )
        widgets.draw(_on_slide(charts.idp_comparison(shown, lang)))
        return t("slide_idps", lang, year=year), ("unhcr_population", "unhcr_refugees_pkg_idmc")
    name = i18n.country_name(slide.country, lang)
    if slide.kind == "country":
        return t("slide_country", lang, country=name, year=year), _headline(frame, year, slide.country)
    partners = cache.partners(url, slide.country, "origin", year, metrics.PROTECTION_TYPES)
    widgets.draw(_on_slide(charts.partner_bars(metrics.top_partners(partners), lang)))
    return t("slide_country_flows", lang, country=name, year=year), ("unhcr_population_pairs",)


def _go(number: int) -> None:
    st.query_params["slide"] = str(number)


def show(frame, default_deck: str = slides.REGION) -> None:
    """The deck named in the URL (else `default_deck`), at the slide named in the URL."""
    lang = frame.lang
    st.markdown(STYLE, unsafe_allow_html=True)  # our own fixed CSS; no user text
    span = cache.population_years(frame.database_url)
    if span is None:
        st.info(t("no_data_reported", lang))
        return
    deck_name = st.query_params.get("deck") or default_deck
    deck = slides.deck(deck_name)
    number = slides.position(st.query_params.get("slide"), deck)
    st.query_params["deck"] = deck_name if deck_name in settings.MIRPS_COUNTRIES else slides.REGION
    st.query_params["slide"] = str(number)
    previous, counter, following = st.columns([1, 4, 1], vertical_alignment="center")
    previous.button(
        t("present_previous", lang), shortcut="Left", disabled=number == 1, on_click=_go, args=(number - 1,)
    )
    counter.markdown(
        f"<div style='text-align:center;font-size:16px'>{t('present_slide', lang, n=number, total=len(deck))} · "
        f"{t('credit', lang)}</div>",
        unsafe_allow_html=True,  # fixed strings of ours
    )
    following.button(
        t("present_next", lang), shortcut="Right", disabled=number == len(deck), on_click=_go, args=(number + 1,)
    )
    title_slot = st.empty()
    title, sources = _slide(frame, deck[number - 1], span[1], span)
    title_slot.title(title)
    widgets.source_footer(sources, lang)
