"""Who is displaced, from where, to where and since when (UNHCR, IDMC, solutions)."""

import streamlit as st

from mirps_dash import cache, charts, i18n, maps, metrics, settings, summaries, tables, ui, widgets
from mirps_dash.i18n import t

UNHCR_SOURCES = ("unhcr_population",)


def filters(frame: ui.Frame, span: tuple[int, int]) -> tuple[tuple[str, ...], str, tuple[str, ...], tuple[int, int]]:
    """The page's controls, each bound to its URL parameter so a copied link reproduces the view."""
    lang = frame.lang
    types_column, countries_column = st.columns(2)
    role_column, years_column = st.columns(2)
    types = widgets.url_widget(
        types_column,
        "multiselect",
        t("filter_types", lang),
        metrics.TABLE_TYPES,
        key="types",
        default=metrics.PROTECTION_TYPES,
        format_func=lambda code: i18n.population_type(code, lang),
    )
    role = widgets.url_widget(
        role_column,
        "segmented_control",
        t("filter_role", lang),
        ("asylum", "origin"),
        key="role",
        default="asylum",
        required=True,
        format_func=lambda code: t(f"role_{code}_short", lang),
    )
    countries = widgets.countries_picker(countries_column, lang)
    years = widgets.url_widget(
        years_column,
        "select_slider",
        t("filter_years", lang),
        list(range(span[0], span[1] + 1)),
        key="years",
        default=span,
        cast=int,
    )
    return tuple(types), role or "asylum", tuple(countries), tuple(years)


def filter_labels(types, role, countries, years, lang: str) -> list[tuple[str, str]]:
    return [
        (t("filter_types", lang), ", ".join(i18n.population_type(c, lang) for c in types)),
        (t("filter_role", lang), t(f"role_{role}_short", lang)),
        (t("filter_countries", lang), i18n.country_names(countries, lang)),
        (t("filter_years", lang), f"{years[0]}–{years[1]}"),
    ]


@st.fragment
def flows(frame: ui.Frame, latest: int, picked: str | None) -> None:
    """The flows of one State. A fragment: its country, direction and year govern only this section, so
    changing one reruns and redraws the section alone, not the page's other charts and map. A country
    picked on the ranking or the map above comes in through `picked`, from the page's own run."""
    lang = frame.lang
    st.subheader(t("section_flows", lang, year=st.session_state.get("flow_year", latest)))
    if picked and picked != st.session_state.get("displacement_applied_pick"):
        st.session_state["displacement_applied_pick"] = picked
        st.session_state["flow_country"] = picked
    country_column, direction_column, year_column = st.columns([2, 3, 1])
    country = widgets.country_picker(country_column, lang, key="flow_country")
    direction = widgets.url_widget(
        direction_column,
        "segmented_control",
        t("filter_direction", lang),
        ("origin", "asylum"),
        key="direction",
        default="origin",
        required=True,
        format_func=lambda code: t(f"direction_{code}", lang),
    )
    year = widgets.url_widget(
        year_column,
        "selectbox",
        t("filter_year", lang),
        list(range(latest, 2015, -1)),
        key="flow_year",
        default=latest,
        cast=int,
    )
    types = metrics.PROTECTION_TYPES
    partners = cache.partners(frame.database_url, country, direction, year, types)
    top = metrics.top_partners(partners)
    heading = "flows_from" if direction == "origin" else "flows_to"
    st.markdown(f"**{t(heading, lang, country=i18n.country_name(country, lang))}**")
    chart_column, map_column = st.columns(2)
    with map_column:
        widgets.flows_map(metrics.partner_flows(partners, country, direction), key="displacement_flows_map", lang=lang)
    with chart_column:
        partner_chart(top, country, direction, year, types, heading, lang)


def partner_chart(top, country: str, direction: str, year: int, types, heading: str, lang: str) -> None:
    widgets.chart_block(
        charts.partner_bars(top, lang) if top.height else None,
        top,
        key="displacement_flows",
        title=t(heading, lang, country=i18n.country_name(country, lang)),
        sources=("unhcr_population_pairs",),
        filters=[
            (t("filter_country", lang), i18n.country_name(country, lang)),
            (t("filter_direction", lang), t(f"direction_{direction}", lang)),
            (t("filter_year", lang), str(year)),
            (t("filter_types", lang), ", ".join(i18n.population_type(c, lang) for c in types)),
        ],
        lang=lang,
        summary=summaries.flows(top, country, direction, lang),
        name=("flows", country, direction, year),
    )


def choropleth(ranking, year: int, lang: str):
    """The MIRPS States coloured by the selected figure; clicking one selects it for the flows below."""
    st.subheader(t("section_choropleth", lang, year=year))
    st.caption(t("click_map_to_select", lang))
    return widgets.chart_map(
        maps.choropleth_map(ranking, lang),
        maps.choropleth_legend(ranking, lang),
        key="displacement_choropleth",
        lang=lang,
        sources=UNHCR_SOURCES,
        selectable=True,
    )


def body(frame: ui.Frame) -> None:
    lang, url = frame.lang, frame.database_url
    st.title(t("displacement_title", lang))
    st.markdown(t("displacement_lead", lang))
    span = cache.population_years(url)
    if span is None:
        st.info(t("no_data_reported", lang))
        return
    types, role, countries, years = filters(frame, span)
    if not types or not countries:
        st.warning(t("pick_types" if not types else "pick_countries", lang))
        return
    used = filter_labels(types, role, countries, years, lang)
    series = cache.population_series(url, countries, role, types, years)
    year = years[1]

    trend = metrics.totals_by_year_and_type(series)
    st.subheader(t("section_trend", lang, start=years[0], end=years[1]))
    widgets.chart_block(
        charts.type_trend(trend, lang),
        trend,
        key="displacement_trend",
        title=t("section_trend", lang, start=years[0], end=years[1]),
        sources=UNHCR_SOURCES,
        filters=used,
        lang=lang,
        summary=summaries.trend(trend, lang),
        name=("displacement", "trend", role, f"{years[0]}-{years[1]}"),
    )

    ranking_column, shares_column = st.columns(2)
    with ranking_column:
        ranking = metrics.country_totals(series, year)
        st.subheader(t("section_ranking", lang, year=year))
        st.caption(t("click_to_select", lang))
        event = widgets.chart_block(
            charts.country_ranking(ranking, lang),
            ranking,
            key="displacement_ranking",
            title=t("section_ranking", lang, year=year),
            sources=UNHCR_SOURCES,
            filters=used,
            lang=lang,
            summary=summaries.ranking(ranking, year, lang),
            name=("displacement", "ranking", role, year),
            selectable=True,
        )
    with shares_column:
        shares = metrics.type_shares(series, year)
        st.subheader(t("section_shares", lang, year=year))
        widgets.chart_block(
            charts.type_shares(shares, lang),
            shares,
            key="displacement_shares",
            title=t("section_shares", lang, year=year),
            sources=UNHCR_SOURCES,
            filters=used,
            lang=lang,
            summary=summaries.shares(shares, year, lang),
            name=("displacement", "shares", role, year),
        )

    map_event = choropleth(ranking, year, lang)

    change = metrics.year_on_year(series, year)
    st.subheader(t("section_change", lang, previous=year - 1, year=year))
    st.markdown(tables.as_markdown(change, lang))
    widgets.chart_block(
        None,
        change,
        key="displacement_change",
        title=t("section_change", lang, previous=year - 1, year=year),
        sources=UNHCR_SOURCES,
        filters=used,
        lang=lang,
        summary=summaries.change(change, lang),
        name=("displacement", "change", role, year),
    )

    st.divider()
    picked = widgets.picked_country(map_event) or widgets.picked_country(event)
    flows(frame, span[1], picked if picked in settings.MIRPS_COUNTRIES else None)

    st.divider()
    solutions = metrics.solutions_by_year(cache.solutions(url, countries, years), role)
    st.subheader(t("section_solutions", lang, start=years[0], end=years[1]))
    st.caption(t("solutions_role_note", lang))
    widgets.chart_block(
        charts.solutions(solutions, lang) if solutions.height else None,
        solutions,
        key="displacement_solutions",
        title=t("section_solutions", lang, start=years[0], end=years[1]),
        sources=("unhcr_solutions",),
        filters=used,
        lang=lang,
        name=("displacement", "solutions", role, f"{years[0]}-{years[1]}"),
    )

    st.divider()
    idmc = metrics.idmc_flows_by_year(cache.idmc_new_displacements(url, countries))
    st.subheader(t("section_idmc", lang))
    st.caption(t("idmc_flows_note", lang))
    widgets.chart_block(
        charts.idmc_flows(idmc, lang) if idmc.height else None,
        idmc,
        key="displacement_idmc",
        title=t("section_idmc", lang),
        sources=("iom_gdidata_idmc_flows",),
        filters=[(t("filter_countries", lang), i18n.country_names(countries, lang))],
        lang=lang,
        summary=summaries.idmc_flows(idmc, lang),
        name=("displacement", "idmc", "new-displacements"),
    )

    with st.expander(t("definitions", lang)):
        st.markdown(i18n.definitions(lang))


ui.run("displacement", body)
