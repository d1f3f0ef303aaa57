"""Cities of Solidarity on a map that works offline, with status and sources: a fixed map drawn at once, and
on a tab of its own one to zoom into and pan."""

import streamlit as st

from mirps_dash import cache, i18n, maps, markup, metrics, settings, summaries, tables, ui, widgets
from mirps_dash.i18n import t

SOURCES = ("cities_of_solidarity",)
STATUSES = tuple(maps.STATUS_COLOURS)
SECTIONS = ("map", "zoom")  # a fixed map, drawn at once (no WebGL); one to zoom into and pan


def fixed_map(shown, focus: str | None, lang: str) -> dict | None:
    """The cities on the region, or on the one State picked; the city clicked, if any."""
    event = widgets.chart_map(
        maps.cities_map(shown, lang, selected_country=focus),
        maps.status_legend(lang),
        summary=summaries.cities(shown, lang),
        key="cities_fixed_map",
        lang=lang,
        sources=SOURCES,
        on_select="rerun",
    )
    picked = event.selection.get(maps.CITY_PICK) if event else None
    return metrics.city_by_geonameid(shown, picked[0].get("geonameid")) if picked else None


def zoomable_map(shown, focus: str | None, lang: str) -> dict | None:
    """The same cities on a pydeck map to zoom into and pan; the city clicked, if any."""
    event = widgets.map_block(
        maps.cities_deck(shown, lang, selected_country=focus, online_base_map=settings.online_base_map()),
        maps.status_legend(lang),
        summary=summaries.cities(shown, lang),
        key="cities_map",
        lang=lang,
        sources=SOURCES,
    )
    picked = (event.selection.get("objects", {}) if event else {}).get("cities") or []
    return metrics.city_by_geonameid(shown, picked[0].get("geonameid")) if picked else None


def body(frame: ui.Frame) -> None:
    lang = frame.lang
    st.title(t("cities_title", lang))
    st.markdown(t("cities_lead", lang))
    country_column, status_column = st.columns(2)
    countries = widgets.countries_picker(country_column, lang)
    statuses = widgets.url_widget(
        status_column,
        "multiselect",
        t("filter_status", lang),
        STATUSES,
        key="status",
        default=STATUSES,
        format_func=lambda code: t(f"status_{code}", lang),
    )
    all_cities = cache.cities(frame.database_url)
    shown = metrics.cities_filtered(all_cities, tuple(countries), tuple(statuses))
    focus = countries[0] if len(countries) == 1 else None
    labels = {code: t(f"tab_cities_{code}", lang) for code in SECTIONS}
    view, tabs = widgets.url_tabs(labels, key="section", default="map")
    with tabs[view]:
        picked = fixed_map(shown, focus, lang) if view == "map" else zoomable_map(shown, focus, lang)
    widgets.embed_item("cities-map", lang, countries=tuple(countries), status=tuple(statuses))
    st.caption(t("cities_point_note", lang))
    apart = maps.cities_drawn_apart(shown, focus) if view == "map" else []
    if apart:  # the table below gives each its status
        st.caption(t("cities_drawn_apart", lang, cities=", ".join(markup.plain(city) for city in apart)))
    if picked:
        city = markup.plain(picked["city"])
        st.markdown(f"**{t('cities_selected', lang)}: {city}** · {t('status_' + picked['status'], lang)}")
    counts = metrics.cities_per_country(all_cities, settings.MIRPS_COUNTRIES)
    st.markdown(
        f"**{t('cities_count_title', lang)}:** "
        + " · ".join(
            f"{i18n.country_name(row['country_iso3'], lang)} "
            + (str(row["cities"]) if row["cities"] else f"({t('cities_count_none', lang)})")
            for row in counts.iter_rows(named=True)
        )
    )
    if shown.is_empty():
        st.info(t("cities_none_selected", lang))
        return
    table = tables.view(
        shown, ("city", "municipality", "country_iso3", "status", "status_date", "population", "source_url")
    )
    on_screen = tables.with_first_url(tables.view(table, drop=("municipality",)), "source_url")  # fits 1280 px
    st.markdown(tables.as_markdown(on_screen, lang, link="source_url"))
    widgets.chart_block(
        None,
        table,
        key="cities_table",
        title=t("cities_title", lang),
        sources=SOURCES,
        filters=[
            (t("filter_countries", lang), i18n.country_names(countries, lang)),
            (t("filter_status", lang), ", ".join(t(f"status_{s}", lang) for s in statuses)),
        ],
        lang=lang,
        name=("cities",),
    )


ui.run("cities", body)
