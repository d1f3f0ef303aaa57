"""Streamlit alone, for the browser benchmark (`bench/browser.py`): what a first visit costs before any page of
ours draws. `/` is a title alone; `/?charts=N` adds N small Altair charts (the refugees hosted in the MIRPS
States by year, from the shipped UNHCR file): one makes the browser load and start Streamlit's chart code,
eight are as many as `/displacement` drew at once before its sections became tabs. Its replies leave at
once, as ours do (`mirps_dash.sockets`): without that every request waits 40 ms."""

import sys
from pathlib import Path

import altair as alt
import polars as pl
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from mirps_dash import sockets

sockets.send_without_delay()
st.title("Streamlit alone")
charts = int(st.query_params.get("charts", 0))
if charts:
    hosted = (
        pl.read_csv(Path(__file__).parent.parent / "data" / "unhcr_population.csv")
        .filter(role="asylum", population_type="refugees")
        .group_by("year")
        .agg(pl.col("value").sum())
    )
    for number in range(charts):
        st.altair_chart(alt.Chart(hosted).mark_bar().encode(x="year:O", y="value:Q"), key=f"chart_{number}")
