"""Baseline overview, written the idiomatic way: `st.connection("sql").query` into pandas, same figures
and charts as the dashboard's overview (four headline metrics with change, trend by type, by country)."""

import altair as alt
import streamlit as st
from common import MIRPS, PROTECTION, connection

st.set_page_config(page_title="Overview", layout="wide")
conn = connection()
population = conn.query("SELECT * FROM population", ttl=600)
idmc = conn.query("SELECT * FROM idmc_displacement", ttl=600)

latest = int(population["year"].max())
mirps = population[population["country_iso3"].isin(MIRPS)]


def total(frame, role, types, year):
    rows = frame[(frame["role"] == role) & (frame["population_type"].isin(types)) & (frame["year"] == year)]
    return int(rows["value"].sum())


st.title("Where does the region stand?")
columns = st.columns(4)
for column, (label, role, types) in zip(
    columns,
    [
        ("Hosted in MIRPS countries", "asylum", PROTECTION),
        ("From MIRPS countries", "origin", PROTECTION),
        ("Internally displaced (UNHCR)", "asylum", ("idps",)),
    ],
    strict=False,
):
    now, before = total(mirps, role, types, latest), total(mirps, role, types, latest - 1)
    column.metric(label, f"{now:,}", f"{now - before:+,}")
stock = idmc[(idmc["metric"] == "idps_stock") & (idmc["cause"] == "conflict") & (idmc["country_iso3"].isin(MIRPS))]
by_year = stock.groupby("year")["value"].sum()
columns[3].metric("Internally displaced (IDMC)", f"{int(by_year.get(latest, 0)):,}")

trend = (
    mirps[(mirps["role"] == "asylum") & (mirps["population_type"].isin(PROTECTION))]
    .groupby(["year", "population_type"], as_index=False)["value"]
    .sum()
)
st.altair_chart(
    alt.Chart(trend).mark_bar().encode(x="year:O", y="sum(value):Q", color="population_type:N"),
    width="stretch",
)
latest_rows = mirps[(mirps["year"] == latest) & (mirps["population_type"].isin(PROTECTION))]
by_country = latest_rows.groupby(["country_name", "role"], as_index=False)["value"].sum()
st.altair_chart(
    alt.Chart(by_country).mark_bar().encode(y="country_name:N", x="value:Q", color="role:N", yOffset="role:N"),
    width="stretch",
)
st.dataframe(by_country, hide_index=True)
