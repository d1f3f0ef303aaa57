"""Baseline Cities of Solidarity page, the idiomatic way: countries and statuses, a plain pydeck map of the
cities coloured by status and sized by population, the city clicked, cities per country and the table, from
`st.connection("sql").query` into pandas."""

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
st.markdown(":blue[●] recognized · :violet[●] agreement to implement · :orange[●] in progress")
picked = event.selection.get("objects", {}).get("cities") or []
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
