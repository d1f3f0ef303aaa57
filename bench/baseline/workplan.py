"""Baseline work-plan page, the idiomatic way: the plan year, the timeline of events by status, the working
groups, the strategic partnerships and the expected outcomes, from `st.connection("sql").query` into pandas."""

from datetime import date, timedelta

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
from common import connection

st.set_page_config(page_title="Work plan", layout="wide")
conn = connection()
events = conn.query("SELECT * FROM workplan_event", ttl=600)
groups = conn.query("SELECT * FROM workplan_working_group", ttl=600)
partnerships = conn.query("SELECT * FROM workplan_partnership", ttl=600)
outcomes = conn.query("SELECT * FROM workplan_outcome", ttl=600)

years = sorted(events["plan_year"].unique())
if not years:
    st.title("The Presidency's work plan")
    st.info("No data reported")
    st.stop()
year = st.columns([1, 5])[0].selectbox("Work plan", years, index=len(years) - 1)
st.title(f"The Presidency's work plan {year}")

plan = events[events["plan_year"] == year].sort_values("event_no")
when = plan["start_date"]
status = np.select(
    [when.isna(), plan["tbc"].astype(bool), when >= date.today().isoformat()], ["no date", "tbc", "upcoming"], "past"
)
plan = plan.assign(status=status, event=plan["event_no"].astype(str) + ". " + plan["title"])
st.subheader(f"Timeline: {len(plan)} events")
counts = plan["status"].value_counts().reindex(["past", "upcoming", "tbc", "no date"], fill_value=0)
st.markdown(" · ".join(f"{n} {label}" for label, n in counts.items()))
dated = plan[when.notna()].assign(
    start=pd.to_datetime(when), end=pd.to_datetime(plan["end_date"].fillna(when)) + timedelta(days=1)
)
bars = alt.Chart(dated).mark_bar().encode(x="start:T", x2="end:T", y=alt.Y("event:N", sort=None), color="status:N")
st.altair_chart(bars.encode(tooltip=["event", "date_text", "status"]), width="stretch")
undated = plan[plan["status"] == "no date"]
if len(undated):
    st.markdown("**Events with no date**")
    st.markdown("\n".join(f"- {row.event}" for row in undated.itertuples()))
st.divider()

st.subheader("Working groups")
own = groups[groups["plan_year"] == year].sort_values(["first_session", "wg_id"])
for column, group in zip(st.columns(max(len(own), 1)), own.itertuples(), strict=False):
    with column.container(border=True):
        st.markdown(f"**{group.name}**")
        st.caption(
            f"Created in {group.created}" + (f" · First session: {group.first_session}" if group.first_session else "")
        )
        st.markdown(f"*Focus:* {group.focus}")
        st.markdown(f"*Suggested members:* {group.suggested_members}")
        if group.partners:
            st.markdown(f"*Partners:* {group.partners}")
st.divider()

st.subheader("Strategic partnerships")
own = partnerships[partnerships["plan_year"] == year].sort_values("id")
if own.empty:
    st.info("No data reported")
for column, partnership in zip(st.columns(max(len(own), 1)), own.itertuples(), strict=False):
    with column.container(border=True):
        st.markdown(f"**{partnership.partner}**")
        st.caption(f"Level: {partnership.levels.replace(';', ', ')}")
        st.markdown(partnership.planned_actions)
st.divider()

st.subheader("Expected outcomes")
own = outcomes[outcomes["plan_year"] == year]
for column, kind in zip(st.columns(3), ("deliverable", "event", "visibility"), strict=True):
    column.markdown(f"**{kind.capitalize()}**")
    for outcome in own[own["kind"] == kind].itertuples():
        cadence = f" ({outcome.cadence})" if outcome.cadence else ""
        column.markdown(f"- **{outcome.title}**{cadence}: {outcome.description}")
st.caption("Status: not yet reported.")
