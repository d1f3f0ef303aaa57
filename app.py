"""Regional overview: where does the region stand?"""

from datetime import date

import streamlit as st

from mirps_dash import (
    cache,
    charts,
    cookie_routes,
    i18n,
    indicator_texts,
    indicator_views,
    markup,
    metrics,
    public_indicators,
    settings,
    summaries,
    tables,
    ui,
    widgets,
)
from mirps_dash.i18n import t


def headline(frame: ui.Frame, year: int) -> None:
    lang = frame.lang
    widgets.headline(frame.database_url, lang, year)
    st.caption(t("overlap_note", lang))
    with st.popover(t("definitions", lang)):
        st.markdown(i18n.definitions(lang))
    widgets.source_footer(("unhcr_population", "unhcr_refugees_pkg_idmc"), lang)


def trend(frame: ui.Frame, year: int) -> None:
    totals = cache.population_totals(frame.database_url, settings.MIRPS_COUNTRIES)
    span = cache.population_years(frame.database_url)
    st.subheader(t("trend_title", frame.lang, start=span[0]))
    for column, role, title in zip(st.columns(2), ("asylum", "origin"), ("trend_hosted", "trend_from"), strict=False):
        column.markdown(f"**{t(title, frame.lang)}**")
        series = metrics.protection_trend(totals, role)
        # The sentence compares like for like, State by State: a State's type counted in one year only is named.
        by_state = cache.population_series(
            frame.database_url, settings.MIRPS_COUNTRIES, role, metrics.PROTECTION_TYPES, span
        )
        with column:
            widgets.draw(charts.type_trend(series, frame.lang), summary=summaries.trend(by_state, frame.lang))
            widgets.embed_item("trend", frame.lang, role=role)
    widgets.source_footer(("unhcr_population",), frame.lang)


def by_country_and_type(frame: ui.Frame, year: int) -> None:
    by_country = cache.population_by_country(frame.database_url, (year,))
    left, right = st.columns(2)
    left.subheader(t("by_country_title", frame.lang, year=year))
    shown = metrics.protection_by_country(by_country, year)
    with left:
        widgets.draw(
            charts.protection_by_country(shown, frame.lang), summary=summaries.hosted_and_from(shown, year, frame.lang)
        )
        widgets.embed_item("by-country", frame.lang, year=year)
    right.subheader(t("by_type_title", frame.lang, year=year))
    # End-year stocks, and apart the returns during the year (flows): never one total.
    stocks, flows, zeros = tables.population_types(metrics.by_type(by_country, year), year, frame.lang)
    right.markdown(stocks)
    right.caption(f"{t('idps_both_roles_note', frame.lang)} {t('ooc_origin_note', frame.lang)}")
    right.markdown(flows)
    notes = [t("flows_apart_note", frame.lang), *([t("cell_not_counted_note", frame.lang)] if zeros else [])]
    right.caption(" ".join(notes))
    widgets.source_footer(("unhcr_population",), frame.lang)


def hosting_ranking(frame: ui.Frame, year: int) -> None:
    """The seven States by the people they host per 1,000 inhabitants: the size of the effort beside the
    size of the country."""
    lang = frame.lang
    table = cache.public_indicator_table(frame.database_url)
    ranked = indicator_views.ranking(table, "host_per_1000", year, lang)
    title = t("host_rank_title", lang, year=year)
    st.subheader(title)
    st.caption(t("host_rank_note", lang))
    chart = charts.public_indicator_ranking(ranked.bars, "per_1000", lang)
    widgets.draw(chart, summary=summaries.extremes(ranked.labelled, lang))
    widgets.embed_item("host-per-1000", lang, year=year)
    for note in ranked.notes:
        st.caption(note)
    st.page_link(
        "pages/indicator.py",
        label=f"{t('page_indicator', lang)}: {indicator_texts.name('host_per_1000', lang)}",
        query_params={"code": "host_per_1000", "lang": lang},
    )
    widgets.source_footer(public_indicators.BY_CODE["host_per_1000"].sources, lang)


def idp_comparison(frame: ui.Frame, year: int) -> None:
    by_country = cache.population_by_country(frame.database_url, (year,))
    comparison = metrics.idp_comparison(by_country, cache.idmc_idp_stocks(frame.database_url), year)
    st.subheader(t("idp_compare_title", frame.lang, year=year))
    shown, missing = metrics.split_by_reporting(comparison, settings.MIRPS_COUNTRIES)
    note = summaries.idp_comparison(missing, frame.lang)
    widgets.draw(charts.idp_comparison(shown, frame.lang), summary=note)
    st.caption(note)
    widgets.embed_item("idp-comparison", frame.lang, year=year)
    widgets.source_footer(("unhcr_population", "unhcr_refugees_pkg_idmc"), frame.lang)


def governance(frame: ui.Frame) -> None:
    st.subheader(t("governance_title", frame.lang))
    today = date.today()
    ppt_column, chair_column, events_column = st.columns(3)
    presidency = metrics.presidency_for(cache.presidencies(frame.database_url), today.year)
    if presidency:
        name = i18n.country_name(presidency["country_iso3"], frame.lang)
        widgets.figure_card(ppt_column, t("ppt_current", frame.lang, year=today.year), name)
    else:
        ppt_column.info(t("ppt_none", frame.lang, year=today.year))
    chair = metrics.latest_chair(cache.support_platform_chairs(frame.database_url))
    if chair:
        name = i18n.country_name(chair["iso3"], frame.lang, chair["chair"])
        start = i18n.source_date(chair["term_start"] or chair["term_end"], frame.lang)
        widgets.figure_card(
            chair_column, t("chair_latest", frame.lang), name, notes=(t("chair_term", frame.lang, start=start),)
        )
    upcoming, latest = metrics.upcoming_and_latest(cache.annual_meetings(frame.database_url), today)
    events_column.markdown(f"**{t('events_title', frame.lang)}**")
    if upcoming.is_empty():
        events_column.caption(t("events_none", frame.lang))
    lines = [f"**{t('events_latest', frame.lang)}**", ""]  # the heading and its list as one element
    for meeting in latest.iter_rows(named=True):
        place = (
            i18n.place_name(meeting["place"], frame.lang)
            if meeting["place"]
            else i18n.country_name(meeting["host_iso3"], frame.lang)
        )
        when = i18n.source_date(meeting["date"], frame.lang)
        label = t("meeting_label", frame.lang, meeting=meeting["meeting"])
        lines.append(f"- {markup.plain(label)}: {markup.plain(place)}, {markup.plain(when)}")
    events_column.markdown("\n".join(lines))
    widgets.source_footer(("mirps_governance",), frame.lang)


def body(frame: ui.Frame) -> None:
    span = cache.population_years(frame.database_url)
    st.title(t("overview_title", frame.lang))
    if span is None:
        st.info(t("no_data_reported", frame.lang))
        return
    year = span[1]
    st.markdown(t("overview_lead", frame.lang, year=year))
    headline(frame, year)
    st.divider()
    trend(frame, year)
    st.divider()
    by_country_and_type(frame, year)
    st.divider()
    hosting_ranking(frame, year)
    st.divider()
    idp_comparison(frame, year)
    st.divider()
    governance(frame)


if __name__ == "__main__":  # Streamlit runs this file as the overview page
    ui.run("overview", body)
else:
    # `streamlit run app.py` finds this `st.App` and serves the dashboard with it: the pages as always, plus
    # routes of our own that a page cannot be: the sign-in cookie's (cookie_routes: the server sets it
    # HttpOnly), and open data, embeddable charts and the health check (routes: /api/v1, /embed, /healthz).
    from mirps_dash import routes

    app = st.App(__file__, routes=[*cookie_routes.ROUTES, *routes.ROUTES], lifespan=routes.lifespan)
