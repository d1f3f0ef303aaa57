"""One member state on one screen: figures, flows, commitments, cities and its role in the MIRPS."""

from datetime import date

import streamlit as st

from mirps_dash import (
    cache,
    charts,
    i18n,
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


def default_country(frame: ui.Frame) -> str:
    """The current Pro-Tempore Presidency, whose country a plenary most often shows; else the first state."""
    presidency = metrics.presidency_for(cache.presidencies(frame.database_url), date.today().year)
    return presidency["country_iso3"] if presidency else settings.MIRPS_COUNTRIES[0]


def choose(frame: ui.Frame, span: tuple[int, int], country_column, year_column) -> tuple[str, int]:
    lang = frame.lang
    country = widgets.country_picker(country_column, lang, default=default_country(frame))
    year = widgets.url_widget(
        year_column,
        "selectbox",
        t("filter_year", lang),
        list(range(span[1], span[0] - 1, -1)),
        key="year",
        default=span[1],
        cast=int,
    )
    return country, year


def headline(frame: ui.Frame, country: str, year: int) -> None:
    lang = frame.lang
    widgets.headline(frame.database_url, lang, year, country)
    st.caption(t("country_idps_note", lang))
    widgets.source_footer(("unhcr_population", "unhcr_refugees_pkg_idmc"), lang)


def trends(frame: ui.Frame, country: str, span: tuple[int, int]) -> None:
    lang, name = frame.lang, i18n.country_name(country, frame.lang)
    for column, role in zip(st.columns(2), ("asylum", "origin"), strict=True):
        series = metrics.country_series(
            cache.population_series(frame.database_url, (country,), role, metrics.PROTECTION_TYPES, span)
        )
        key = "country_hosted" if role == "asylum" else "country_from"
        title = t(key, lang, country=name)
        with column:
            st.markdown(f"**{title}**")
            widgets.chart_block(
                charts.type_trend(series, lang) if series.height else None,
                series,
                key=f"country_trend_{role}",
                title=title,
                sources=("unhcr_population",),
                filters=[(t("filter_country", lang), name)],
                lang=lang,
                summary=summaries.trend(series, lang),
                name=("country", country, "trend", role),
            )
            widgets.embed_item("trend", lang, country=country, role=role)


def partners(frame: ui.Frame, country: str, year: int) -> None:
    lang, name = frame.lang, i18n.country_name(country, frame.lang)
    for column, direction, heading in zip(
        st.columns(2), ("origin", "asylum"), ("section_destinations", "section_origins"), strict=True
    ):
        top = metrics.top_partners(
            cache.partners(frame.database_url, country, direction, year, metrics.PROTECTION_TYPES)
        )
        with column:
            st.subheader(t(heading, lang, year=year))
            widgets.chart_block(
                charts.partner_bars(top, lang) if top.height else None,
                top,
                key=f"country_partners_{direction}",
                title=f"{name}: {t(heading, lang, year=year)}",
                sources=("unhcr_population_pairs",),
                filters=[(t("filter_country", lang), name), (t("filter_year", lang), str(year))],
                lang=lang,
                summary=summaries.flows(top, country, direction, lang),
                name=("country", country, direction, year),
            )
            widgets.embed_item("flows", lang, flow_country=country, direction=direction, flow_year=year)


def destinations_map(frame: ui.Frame, country: str, year: int) -> None:
    lang = frame.lang
    st.subheader(f"{t('section_flows_map', lang)} · {t('section_destinations', lang, year=year)}")
    partners = cache.partners(frame.database_url, country, "origin", year, metrics.PROTECTION_TYPES)
    widgets.flows_map(metrics.partner_flows(partners, country, "origin"), key="country_flows_map", lang=lang)
    widgets.embed_item("flows-map", lang, flow_country=country, direction="origin", flow_year=year)


def internal_displacement(frame: ui.Frame, country: str) -> None:
    lang = frame.lang
    st.subheader(t("section_country_idmc", lang))
    st.caption(t("idmc_flows_note", lang))
    flows = metrics.idmc_flows_by_year(cache.idmc_new_displacements(frame.database_url, (country,)))
    widgets.chart_block(
        charts.idmc_flows(flows, lang, cache.idmc_years(frame.database_url)) if flows.height else None,
        flows,
        key="country_idmc",
        title=t("section_country_idmc", lang),
        sources=("iom_gdidata_idmc_flows",),
        filters=[(t("filter_country", lang), i18n.country_name(country, lang))],
        lang=lang,
        summary=summaries.idmc_flows(flows, lang),
        name=("country", country, "idmc"),
    )
    widgets.embed_item("idmc-flows", lang, country=country)
    disaster = metrics.where(cache.idmc_idp_stocks(frame.database_url), country_iso3=country, cause="disaster")
    for row in disaster.iter_rows(named=True):  # in years' order, as the query reads them
        st.markdown(t("disaster_stock", lang, year=row["year"], value=i18n.number(row["value"], lang)))
    if disaster.height:
        widgets.source_footer(("iom_gdidata_idmc_stocks",), lang)


def commitments_and_role(frame: ui.Frame, country: str) -> None:
    lang = frame.lang
    commitments_column, cities_column, role_column = st.columns(3)
    with commitments_column:
        st.subheader(t("section_commitments", lang))
        areas, total = metrics.focus_area_counts(cache.commitment_counts(frame.database_url), country)
        if areas.height:
            widgets.draw(charts.focus_areas(areas, lang), summary=summaries.focus_areas(areas, lang))
        if total is not None:
            st.markdown(t("commitments_total", lang, value=i18n.number(total, lang)))
        if not areas.height and total is None:
            st.info(t("commitments_none", lang))
        widgets.source_footer(("mirps_commitments",), lang)
        st.page_link(
            "pages/plans.py",
            label=t("country_plan_link", lang, country=i18n.country_name(country, lang)),
            query_params={"country": country, "lang": lang},
        )
    with cities_column:
        st.subheader(t("section_country_cities", lang))
        cities = metrics.where(cache.cities(frame.database_url), country_iso3=country)
        if cities.height:
            source = t("source", lang).lower()
            st.markdown(  # one list, one element
                "\n".join(
                    f"- **{markup.plain(city['city'])}** · {t('status_' + city['status'], lang)} · "
                    + markup.link(source, tables.first_url(city["source_url"]))
                    for city in cities.iter_rows(named=True)
                )
            )
        else:
            st.info(t("cities_none", lang))
        widgets.source_footer(("cities_of_solidarity",), lang)
    with role_column:
        st.subheader(t("section_role", lang))
        years = metrics.presidency_years(cache.presidencies(frame.database_url), country)
        presidency = (
            t("presidency_years", lang, years=", ".join(map(str, years))) if years else t("presidency_never", lang)
        )
        groups = metrics.groups_led(cache.working_groups(frame.database_url), country)
        leads = t("leads_groups", lang, groups=markup.plain(", ".join(groups))) if groups else t("leads_none", lang)
        st.markdown(f"{presidency}\n\n{leads}")
        widgets.source_footer(("mirps_governance",), lang)


# The headline figures stay above the tabs; only the open tab runs and draws (a first visit drew seven
# charts at once).
def public_progress(frame: ui.Frame, country: str, year: int) -> None:
    """The State's public-statistics indicators for the year, each with its change since the baseline and a
    link to its page: the same table as /plans leads with."""
    lang = frame.lang
    widgets.public_indicator_summary(cache.public_indicator_table(frame.database_url), country, year, lang)
    sources = tuple(dict.fromkeys(key for i in public_indicators.INDICATORS for key in i.sources))
    widgets.source_footer(sources, lang)


def pledges(frame: ui.Frame, country: str) -> None:
    """The Global Refugee Forum pledges found for the State and the joint MIRPS ones, with their pages; no
    status was published for any of them, and the list says so rather than guess."""
    lang = frame.lang
    found = cache.grf_pledges(frame.database_url)
    own = indicator_views.pledges_of(found, country)
    st.subheader(t("grf_title", lang))
    if own.is_empty():
        st.info(t("grf_none", lang, country=i18n.country_name(country, lang)))
    else:
        st.markdown(indicator_views.pledge_list(own, lang))
    widgets.source_footer(("grf_pledges",), lang)


SECTIONS = ("trend", "progress", "flows", "internal", "mirps")


def body(frame: ui.Frame) -> None:
    span = cache.population_years(frame.database_url)
    if span is None:
        st.info(t("no_data_reported", frame.lang))
        return
    # The pickers beside the State's name, not above it: the headline figures and the tabs stay above the
    # fold at 1280x720 with the sidebar open. On a phone they stack below the name.
    title_column, country_column, year_column = st.columns([3, 2, 1], vertical_alignment="bottom")
    country, year = choose(frame, span, country_column, year_column)
    title_column.title(i18n.country_name(country, frame.lang))
    st.markdown(t("country_lead", frame.lang, year=year))
    headline(frame, country, year)
    labels = {code: t(f"tab_{code}", frame.lang) for code in SECTIONS}
    section, tabs = widgets.url_tabs(labels, key="section", default="trend")
    with tabs[section]:
        match section:
            case "trend":
                trends(frame, country, span)
            case "flows":
                partners(frame, country, year)
                destinations_map(frame, country, year)
            case "internal":
                internal_displacement(frame, country)
            case "progress":
                public_progress(frame, country, year)
                pledges(frame, country)
            case "mirps":
                commitments_and_role(frame, country)


ui.run("country", body)
