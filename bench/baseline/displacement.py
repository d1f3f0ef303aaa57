"""Baseline displacement page, the idiomatic way: filters, then in tabs of which only the open one runs, trend
by type; ranking, shares and a table; partners of a country; solutions; IDMC flows; from
`st.connection("sql").query` into pandas."""

import altair as alt
import streamlit as st
from common import MIRPS, PROTECTION, connection

st.set_page_config(page_title="Displacement", layout="wide")
conn = connection()
population = conn.query("SELECT * FROM population", ttl=600)

st.title("Displacement")
years = sorted(population["year"].unique())
left, middle, right = st.columns(3)
types = left.multiselect("Population types", list(PROTECTION), default=list(PROTECTION))
role = middle.radio("Count by", ["asylum", "origin"], horizontal=True)
countries = right.multiselect("MIRPS countries", list(MIRPS), default=list(MIRPS))
start, end = st.select_slider("Years", options=years, value=(years[0], years[-1]))

chosen = population[
    (population["role"] == role)
    & (population["population_type"].isin(types))
    & (population["country_iso3"].isin(countries))
    & (population["year"].between(start, end))
]
# Only the open tab runs, as on ours; `?section=` opens one, as ours does.
SECTIONS = {"trend": "Over time", "states": "By State", "flows": "Flows", "solutions": "Solutions", "internal": "IDMC"}
over_time, by_state, flows, solved_tab, internal = st.tabs(
    list(SECTIONS.values()), default=SECTIONS.get(st.query_params.get("section")), on_change="rerun"
)
if over_time.open:
    with over_time:
        trend = chosen.groupby(["year", "population_type"], as_index=False)["value"].sum()
        st.altair_chart(
            alt.Chart(trend).mark_bar().encode(x="year:O", y="value:Q", color="population_type:N"), width="stretch"
        )
if by_state.open:
    with by_state:
        latest = chosen[chosen["year"] == end]
        ranking = latest.groupby("country_name", as_index=False)["value"].sum().sort_values("value", ascending=False)
        shares = latest.groupby("population_type", as_index=False)["value"].sum()
        one, two = st.columns(2)
        one.altair_chart(alt.Chart(ranking).mark_bar().encode(y=alt.Y("country_name:N", sort="-x"), x="value:Q"))
        two.altair_chart(alt.Chart(shares).mark_arc().encode(theta="value:Q", color="population_type:N"))
        st.dataframe(ranking, hide_index=True)
if flows.open:
    with flows:
        pairs = conn.query("SELECT * FROM population_pair", ttl=600)
        country = st.selectbox("Country", list(MIRPS))
        column = "origin_iso3" if role == "origin" else "asylum_iso3"
        other = "asylum_name" if role == "origin" else "origin_name"
        partners = pairs[(pairs[column] == country) & (pairs["year"] == end) & (pairs["population_type"].isin(types))]
        top = partners.groupby(other, as_index=False)["value"].sum().sort_values("value", ascending=False).head(10)
        st.altair_chart(alt.Chart(top).mark_bar().encode(y=alt.Y(f"{other}:N", sort="-x"), x="value:Q"))
if solved_tab.open:
    with solved_tab:
        solutions = conn.query("SELECT * FROM solution", ttl=600)
        solved = solutions[solutions["country_iso3"].isin(countries) & solutions["year"].between(start, end)]
        st.altair_chart(
            alt.Chart(solved.groupby(["year", "solution_type"], as_index=False)["value"].sum())
            .mark_bar()
            .encode(x="year:O", y="value:Q", color="solution_type:N"),
            width="stretch",
        )
if internal.open:
    with internal:
        idmc = conn.query("SELECT * FROM idmc_displacement", ttl=600)
        new = idmc[(idmc["metric"] == "new_displacements") & idmc["country_iso3"].isin(countries)]
        st.altair_chart(
            alt.Chart(new.groupby(["year", "cause"], as_index=False)["value"].sum())
            .mark_bar()
            .encode(x="year:O", y="value:Q", color="cause:N"),
            width="stretch",
        )
