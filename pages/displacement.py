"""Who is displaced, from where, to where and since when (UNHCR, IDMC, solutions).

One section at a time, in tabs of which only the open one runs and draws: eight charts and maps at once
took a first visit over 2 s on 2 cores (bench/RESULTS.md), and a section fits a shared screen."""

from typing import NamedTuple

import streamlit as st

from mirps_dash import cache, charts, i18n, maps, metrics, settings, summaries, tables, ui, widgets
from mirps_dash.i18n import t

UNHCR_SOURCES = ("unhcr_population",)
SECTIONS = ("trend", "states", "flows", "solutions", "internal")  # the tabs, by their code in the URL
FLOWS_PARAMETERS = ("flow_country", "direction", "flow_year")


# The page's controls each tab follows, in the order they are laid out; the flows have their own.
CONTROLS = {
    "trend": ("types", "countries", "role", "years"),
    "states": ("types", "countries", "role", "years"),
    "solutions": ("countries", "role", "years"),
    "internal": ("countries",),
}
# One row of controls: at 1280x720 with the sidebar open, two rows pushed the chart below the fold.
WIDTHS = {"types": 4, "countries": 4, "role": 6, "years": 3}


class Choice(NamedTuple):
    """What the open tab's controls chose (a control the tab does not show keeps its default), and the
    shown ones as label and value pairs for exports."""

    types: tuple[str, ...]
    role: str
    countries: tuple[str, ...]
    years: tuple[int, int]
    labels: list[tuple[str, str]]


def filters(frame: ui.Frame, span: tuple[int, int], controls: tuple[str, ...]) -> Choice | None:
    """The open tab's controls, each bound to its URL parameter so a copied link reproduces the view; None,
    with a message, when a list is left empty."""
    lang = frame.lang
    slots = iter(st.columns([WIDTHS[control] for control in controls]))
    types, role, countries, years = metrics.PROTECTION_TYPES, "asylum", settings.MIRPS_COUNTRIES, span
    labels = []
    if "types" in controls:
        types = widgets.url_widget(
            next(slots),
            "multiselect",
            t("filter_types", lang),
            metrics.STOCK_TYPES,  # returns are flows during the year: on the solutions tab, never in a stock total
            key="types",
            default=metrics.PROTECTION_TYPES,
            format_func=lambda code: i18n.population_type(code, lang),
        )
        labels.append((t("filter_types", lang), ", ".join(i18n.population_type(c, lang) for c in types)))
    if "countries" in controls:
        countries = widgets.countries_picker(next(slots), lang)
        labels.append((t("filter_countries", lang), i18n.country_names(countries, lang)))
    if "role" in controls:
        role = widgets.url_widget(
            next(slots),
            "segmented_control",
            t("filter_role", lang),
            ("asylum", "origin"),
            key="role",
            default="asylum",
            required=True,
            format_func=lambda code: t(f"role_{code}_short", lang),
            wrap=True,  # the two options one above the other where the row is narrow
        )
        labels.append((t("filter_role", lang), t(f"role_{role}_short", lang)))
    if "years" in controls:
        years = widgets.url_widget(
            next(slots),
            "select_slider",
            t("filter_years", lang),
            list(range(span[0], span[1] + 1)),
            key="years",
            default=span,
            cast=int,
        )
        labels.append((t("filter_years", lang), f"{years[0]}–{years[1]}"))
    if not types or not countries:
        st.warning(t("pick_countries", lang) if types else t("pick_types", lang))
        return None
    notes = [t("idps_either_role_note", lang)] if "idps" in types else []
    notes += [t("ooc_origin_role_note", lang)] if "ooc" in types and role == "origin" else []
    if notes:  # labels that fit the type: IDPs are never hosted, in-country others of concern never "from"
        st.caption(" ".join(notes))
    return Choice(tuple(types), role or "asylum", tuple(countries), tuple(years), labels)


def show_flows_of(chart_key: str):
    """What a click on a State in the ranking or the map does: open the flows on that State, through the
    URL as a link to them would."""

    def clicked() -> None:
        picked = widgets.picked_country(st.session_state.get(chart_key))
        if picked in settings.MIRPS_COUNTRIES:
            st.query_params["flow_country"] = picked
            st.query_params["section"] = "flows"

    return clicked


@st.fragment
def flows(frame: ui.Frame, latest: int) -> None:
    """The flows of one State. A fragment: its country, direction and year govern only this section, so
    changing one reruns and redraws the section alone."""
    lang = frame.lang
    title = st.empty()  # above the controls, titled with the year they hold (from the URL on arrival)
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
    title.subheader(t("section_flows", lang, year=year))
    types = metrics.PROTECTION_TYPES
    partners = cache.partners(frame.database_url, country, direction, year, types)
    top = metrics.top_partners(partners)
    heading = "flows_from" if direction == "origin" else "flows_to"
    st.markdown(f"**{t(heading, lang, country=i18n.country_name(country, lang))}**")
    chart_column, map_column = st.columns(2)
    with map_column:
        widgets.flows_map(metrics.partner_flows(partners, country, direction), key="displacement_flows_map", lang=lang)
        widgets.embed_item("flows-map", lang, flow_country=country, direction=direction, flow_year=year)
    with chart_column:
        partner_chart(top, country, direction, year, types, heading, lang)
        widgets.embed_item("flows", lang, flow_country=country, direction=direction, flow_year=year)


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


def choropleth(ranking, unranked: list[str], year: int, lang: str) -> None:
    """The MIRPS States coloured by the selected figure (`unranked`, without one, named); clicking one opens
    its flows."""
    st.subheader(t("section_choropleth", lang, year=year))
    st.caption(t("click_map_to_select", lang))
    widgets.chart_map(
        maps.choropleth_map(ranking, lang),
        maps.choropleth_legend(ranking, lang),
        summary=summaries.ranking(ranking, year, lang, unranked),
        key="displacement_choropleth",
        lang=lang,
        sources=UNHCR_SOURCES,
        on_select=show_flows_of("displacement_choropleth"),
    )


def population(frame: ui.Frame, shown: Choice):
    return cache.population_series(frame.database_url, shown.countries, shown.role, shown.types, shown.years)


def trend(frame: ui.Frame, shown: Choice) -> None:
    lang, (start, end) = frame.lang, shown.years
    series = population(frame, shown)
    totals = metrics.totals_by_year_and_type(series)
    st.subheader(t("section_trend", lang, start=start, end=end))
    widgets.chart_block(
        charts.type_trend(totals, lang),
        totals,
        key="displacement_trend",
        title=t("section_trend", lang, start=start, end=end),
        sources=UNHCR_SOURCES,
        filters=shown.labels,
        lang=lang,
        summary=summaries.trend(series, lang),  # like for like, State by State
        name=("displacement", "trend", shown.role, f"{start}-{end}"),
    )
    widgets.embed_item(
        "types-trend", lang, role=shown.role, years=f"{start}-{end}", types=shown.types, countries=shown.countries
    )


def states(frame: ui.Frame, shown: Choice) -> None:
    """The States side by side in the last year chosen: ranked, by type, on the map, and against the year before."""
    lang, year, role = frame.lang, shown.years[1], shown.role
    series = population(frame, shown)
    ranking_column, shares_column = st.columns(2)
    with ranking_column:
        # A State the source counts none of these people in (its 0) is named under the chart, never a 0 bar.
        ranking, unranked = metrics.split_by_reporting(metrics.country_totals(series, year), shown.countries)
        st.subheader(t("section_ranking", lang, year=year))
        st.caption(t("click_to_select", lang))
        widgets.chart_block(
            charts.country_ranking(ranking, lang),
            ranking,
            key="displacement_ranking",
            title=t("section_ranking", lang, year=year),
            sources=UNHCR_SOURCES,
            filters=shown.labels,
            lang=lang,
            summary=summaries.ranking(ranking, year, lang, unranked),
            name=("displacement", "ranking", role, year),
            on_select=show_flows_of("displacement_ranking"),
        )
        widgets.embed_item("ranking", lang, role=role, year=year, types=shown.types, countries=shown.countries)
    with shares_column:
        shares = metrics.type_shares(series, year)
        st.subheader(t("section_shares", lang, year=year))
        widgets.chart_block(
            charts.type_shares(shares, lang),
            shares,
            key="displacement_shares",
            title=t("section_shares", lang, year=year),
            sources=UNHCR_SOURCES,
            filters=shown.labels,
            lang=lang,
            summary=summaries.shares(shares, year, lang),
            name=("displacement", "shares", role, year),
        )
    choropleth(ranking, unranked, year, lang)
    widgets.embed_item("choropleth", lang, role=role, year=year, types=shown.types, countries=shown.countries)
    change = metrics.year_on_year(series, year)
    st.subheader(t("section_change", lang, previous=year - 1, year=year))
    st.markdown(tables.as_markdown(change, lang))
    widgets.chart_block(
        None,
        change,
        key="displacement_change",
        title=t("section_change", lang, previous=year - 1, year=year),
        sources=UNHCR_SOURCES,
        filters=shown.labels,
        lang=lang,
        summary=summaries.change(change, lang),
        name=("displacement", "change", role, year),
    )


def solutions(frame: ui.Frame, shown: Choice) -> None:
    lang, (start, end) = frame.lang, shown.years
    found = metrics.solutions_by_year(cache.solutions(frame.database_url, shown.countries, shown.years), shown.role)
    st.subheader(t("section_solutions", lang, start=start, end=end))
    st.caption(f"{t('solutions_flows_note', lang)} {t('solutions_role_note', lang)}")
    widgets.chart_block(
        charts.solutions(found, lang) if found.height else None,
        found,
        key="displacement_solutions",
        title=t("section_solutions", lang, start=start, end=end),
        sources=("unhcr_solutions",),
        filters=shown.labels,
        lang=lang,
        name=("displacement", "solutions", shown.role, f"{start}-{end}"),
    )
    widgets.embed_item("solutions", lang, role=shown.role, years=f"{start}-{end}", countries=shown.countries)


def internal(frame: ui.Frame, shown: Choice) -> None:
    lang = frame.lang
    idmc = metrics.idmc_flows_by_year(cache.idmc_new_displacements(frame.database_url, shown.countries))
    st.subheader(t("section_idmc", lang))
    st.caption(t("idmc_flows_note", lang))
    widgets.chart_block(
        charts.idmc_flows(idmc, lang, cache.idmc_years(frame.database_url)) if idmc.height else None,
        idmc,
        key="displacement_idmc",
        title=t("section_idmc", lang),
        sources=("iom_gdidata_idmc_flows",),
        filters=shown.labels,
        lang=lang,
        summary=summaries.idmc_flows(idmc, lang),
        name=("displacement", "idmc", "new-displacements"),
    )
    widgets.embed_item("idmc-flows", lang, countries=shown.countries)


VIEWS = {"trend": trend, "states": states, "solutions": solutions, "internal": internal}  # the flows apart


def body(frame: ui.Frame) -> None:
    lang = frame.lang
    st.title(t("displacement_title", lang))
    st.markdown(t("displacement_lead", lang))
    span = cache.population_years(frame.database_url)
    if span is None:
        st.info(t("no_data_reported", lang))
        return
    # A link made before the sections were tabs, with the flows' parameters, opens on the flows.
    default = "flows" if any(name in st.query_params for name in FLOWS_PARAMETERS) else "trend"
    labels = {code: t(f"tab_{code}", lang) for code in SECTIONS}
    section, tabs = widgets.url_tabs(labels, key="section", default=default)
    with tabs[section]:
        if section == "flows":
            flows(frame, span[1])
        elif shown := filters(frame, span, CONTROLS[section]):
            VIEWS[section](frame, shown)
    with st.expander(t("definitions", lang)):
        st.markdown(i18n.definitions(lang))


ui.run("displacement", body)
