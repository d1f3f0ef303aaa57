"""Baseline Cities of Solidarity page, the idiomatic way: countries and statuses, then in tabs of which only
the open one runs a map of the cities coloured by status and sized by population, as ours: an Altair map
first, a plain pydeck map to zoom into on the second tab; the city clicked, cities per country and the
table, from `st.connection("sql").query` into pandas."""

import altair as alt
import pydeck as pdk
import streamlit as st
from common import MIRPS, connection

COLOURS = {"recognized": [0, 114, 178], "agreement_to_implement": [204, 121, 167], "in_progress": [230, 159, 0]}

st.set_page_config(page_title="Cities of Solidarity", layout="wide")
conn = connection()
cities = conn.query("SELECT * FROM city", ttl=600)

st.title("Cities of Solidarity")
left, right = st.columns(2)
countries = left.multiselect("MIRPS countries", list(MIRPS), default=list(MIRPS))
statuses = right.multiselect("Status", list(COLOURS), default=list(COLOURS))
shown = cities[cities["country_iso3"].isin(countries) & cities["status"].isin(statuses)]
shown = shown.sort_values(["country_iso3", "city"])

points = shown[["city", "municipality", "country_iso3", "status", "lon", "lat"]].assign(
    fill=shown["status"].map(COLOURS), radius=(28 * (shown["population"].fillna(0) / 12_000_000) ** 0.5).clip(5)
)
# Only the open tab runs, as on ours; `?section=` opens one, as ours does.
SECTIONS = {"map": "Map", "zoom": "Zoom and pan"}
fixed, zoomable = st.tabs(
    list(SECTIONS.values()), default=SECTIONS.get(st.query_params.get("section")), on_change="rerun"
)
picked = []
if fixed.open:
    with fixed:
        chart = (
            alt.Chart(points.drop(columns="fill"))
            .mark_circle(opacity=1)
            .encode(longitude="lon:Q", latitude="lat:Q", color="status:N", size="radius:Q", tooltip=["city", "status"])
            .project("mercator")
            .add_params(alt.selection_point(name="city", fields=["city", "status"]))
        )
        event = st.altair_chart(chart, on_select="rerun", key="cities_fixed_map", width="stretch")
        picked = event.selection.get("city") or []
if zoomable.open:
    with zoomable:
        layer = pdk.Layer(
            "ScatterplotLayer",
            points,
            id="cities",
            pickable=True,
            get_position=["lon", "lat"],
            get_fill_color="fill",
            get_radius="radius",
            radius_units="'pixels'",  # pydeck reads a bare string as an expression
        )
        view = pdk.ViewState(latitude=20.5, longitude=-97.2, zoom=3.4)
        deck = pdk.Deck(layers=[layer], initial_view_state=view, tooltip={"text": "{city}\n{municipality}\n{status}"})
        event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="cities_map")
        picked = event.selection.get("objects", {}).get("cities") or []
st.markdown(":blue[●] recognized · :violet[●] agreement to implement · :orange[●] in progress")
if picked:
    st.markdown(f"**Selected city: {picked[0]['city']}** · {picked[0]['status']}")

per_country = cities.groupby("country_iso3").size().reindex(list(MIRPS), fill_value=0)
st.markdown(
    "**Cities per country:** " + " · ".join(f"{iso3} {n or '(no city reported)'}" for iso3, n in per_country.items())
)
if shown.empty:
    st.info("No city with these filters.")
else:
    table = shown[["city", "country_iso3", "status", "status_date", "population"]]
    table = table.assign(link=shown["source_url"].str.split(" ; ").str[0])  # the first of its sources
    st.dataframe(table, hide_index=True, column_config={"link": st.column_config.LinkColumn()})
