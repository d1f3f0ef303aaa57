"""Baseline country page, the idiomatic way: one state's headline figures, then in tabs of which only the
open one runs, its trend and where its people are, from `st.connection("sql").query` into pandas."""

import altair as alt
import streamlit as st
from common import MIRPS, PROTECTION, connection

st.set_page_config(page_title="Country", layout="wide")
conn = connection()
population = conn.query("SELECT * FROM population", ttl=600)

country = st.selectbox("Country", list(MIRPS), index=list(MIRPS).index(st.query_params.get("country", "BLZ")))
own = population[population["country_iso3"] == country]
latest = int(own["year"].max())
st.title(country)
columns = st.columns(3)
for column, (label, role, types) in zip(
    columns,
    [("Hosted", "asylum", PROTECTION), ("From", "origin", PROTECTION), ("IDPs", "asylum", ("idps",))],
    strict=True,
):
    rows = own[(own["role"] == role) & own["population_type"].isin(types)]
    now = int(rows[rows["year"] == latest]["value"].sum())
    before = int(rows[rows["year"] == latest - 1]["value"].sum())
    column.metric(label, f"{now:,}", f"{now - before:+,}")
# Only the open tab runs, as on ours; `?section=` opens one, as ours does.
SECTIONS = {"trend": "Over time", "flows": "Flows"}
over_time, flows = st.tabs(
    list(SECTIONS.values()), default=SECTIONS.get(st.query_params.get("section")), on_change="rerun"
)
if over_time.open:
    with over_time:
        trend = own[own["population_type"].isin(PROTECTION)].groupby(["year", "role"], as_index=False)["value"].sum()
        st.altair_chart(alt.Chart(trend).mark_line().encode(x="year:O", y="value:Q", color="role:N"), width="stretch")
if flows.open:
    with flows:
        pairs = conn.query("SELECT * FROM population_pair", ttl=600)
        for column, other in (("origin_iso3", "asylum_name"), ("asylum_iso3", "origin_name")):
            partners = pairs[(pairs[column] == country) & (pairs["year"] == latest)]
            top = partners.groupby(other, as_index=False)["value"].sum().sort_values("value", ascending=False).head(10)
            st.altair_chart(alt.Chart(top).mark_bar().encode(y=alt.Y(f"{other}:N", sort="-x"), x="value:Q"))
