"""Baseline Support Platform page, the idiomatic way: chairs, members in each published list, solidarity
events and pledges, the MIRPS Fund and the commitments awaiting funding, from `st.connection("sql").query`
into pandas."""

import pandas as pd
import streamlit as st
from common import connection

FUND = ("F17", "F21", "F22")

st.set_page_config(page_title="Support Platform", layout="wide")
conn = connection()
chairs = conn.query("SELECT * FROM support_platform_chair", ttl=600)
members = conn.query("SELECT * FROM support_platform_member", ttl=600)
facts = conn.query("SELECT * FROM fact", ttl=600)
commitments = conn.query("SELECT * FROM commitment", ttl=600)
indicators = conn.query("SELECT * FROM indicator", ttl=600)
funding = conn.query("SELECT * FROM funding", ttl=600)

st.title("Support Platform")
st.subheader("Platform chairs")
st.dataframe(chairs[["chair", "term_start", "term_end"]].fillna("date not found"), hide_index=True)

st.subheader("Members in each published list")
members = members.sort_values("id")
versions = list(members["source"].unique())
labels = {version: f"v{number}" for number, version in enumerate(versions, start=1)}
listed = pd.crosstab([members["role"], members["member"], members["member_type"]], members["source"]).astype(bool)
st.markdown("Members per version of the list: " + ", ".join(f"{labels[v]}: {listed[v].sum()}" for v in versions))
st.dataframe(listed[versions].rename(columns=labels).droplevel("role"))
st.caption("Versions: " + " · ".join(f"[{labels[v]}]({v.partition(' (')[0]})" for v in versions))
st.divider()


def line(fact):
    bound = "at least " if fact.metric.endswith("_min") or str(fact.note).startswith("lower bound") else ""
    link = fact.source_url.split(" ; ")[0]
    return f"- **{bound}{fact.value:,.0f} {fact.unit or ''}** · {fact.date} · {fact.description} ([source]({link}))"


money = facts[facts["category"] == "funding"].sort_values("fact_id")
st.subheader("Solidarity events and pledges")
for fact in money[~money["fact_id"].isin(FUND)].itertuples():
    st.markdown(line(fact))
st.subheader("MIRPS Fund (OAS)")
for fact in money[money["fact_id"].isin(FUND)].itertuples():
    st.markdown(line(fact))
st.divider()

st.subheader("Commitments awaiting funding")
measured = commitments[commitments["id"].isin(indicators["commitment_id"])]
if measured.empty:
    st.info("No commitment has a costed need yet.")
else:
    paid = funding.pivot_table(index="commitment_id", columns="kind", values="amount_usd", aggfunc="sum")
    table = measured.merge(
        paid.reindex(columns=["pledged", "committed", "paid"]), left_on="id", right_index=True, how="left"
    )
    table[["pledged", "committed", "paid"]] = table[["pledged", "committed", "paid"]].fillna(0)
    table["gap_usd"] = table["costed_need_usd"] - table["committed"] - table["paid"]
    table = table.sort_values("gap_usd", ascending=False)
    if table["is_illustrative"].astype(bool).any():
        st.warning("Illustrative data: invented to show the product, no country's figures.")
    sums = ["costed_need_usd", "pledged", "committed", "paid", "gap_usd"]
    st.markdown("**By country and focus area**")
    st.dataframe(
        table.groupby(["country_iso3", "focus_area"], as_index=False)[sums]
        .sum()
        .sort_values("gap_usd", ascending=False),
        hide_index=True,
    )
    st.markdown("**By commitment**")
    st.dataframe(table[["country_iso3", "text_en", *sums]], hide_index=True)
