"""Baseline about page, the idiomatic way: the sources with their licences and dates, definitions, how to
cite, the status rule, illustrative data, the gaps and the files loaded, from `st.connection("sql").query`
into pandas."""

import streamlit as st
from common import connection

DEFINITIONS = (
    "**Country of asylum** is where people are now; **country of origin** is where they fled from.",
    "**Refugees**: people recognised as refugees, including people in refugee-like situations.",
    "**Asylum-seekers**: people whose claim for asylum has not yet been decided.",
    "**Other people in need of international protection**: outside their country, not reported as refugees or "
    "asylum-seekers.",
    "**Internally displaced people**: displaced within their own country. UNHCR and IDMC count them by different "
    "definitions; the figures are never added.",
    "UNHCR figures are end-year stocks, not flows. UNHCR revises past years.",
    "Headline figures quoted at MIRPS meetings use different definitions and are not a time series.",
)

st.set_page_config(page_title="Sources and definitions", layout="wide")
conn = connection()
sources = conn.query("SELECT * FROM source", ttl=600)
files = conn.query("SELECT * FROM data_file", ttl=600)

st.title("Sources and definitions")
st.markdown("Every figure in the dashboard comes from a public source. Aggregated statistics only.")
st.header("Sources")
st.dataframe(
    sources[["publisher", "key", "date_of_data", "licence", "url"]],
    hide_index=True,
    column_config={"url": st.column_config.LinkColumn()},
)

st.header("Definitions")
for definition in DEFINITIONS:
    st.markdown(f"- {definition}")

st.header("How to cite")
st.markdown("Cite the original source of each figure, for example:")
for source in sources.iloc[[0, 3]].itertuples():
    st.code(f"{source.publisher}, {source.key}, data as of {source.date_of_data}. {source.url} ({source.licence}).")

st.header("How the status is computed")
st.markdown("The share of the way from baseline to target covered is compared with the share of the time elapsed.")
st.header("Illustrative data")
st.markdown("Rows marked 'illustrative' are invented to show the product and are no country's figures.")
st.header("What could not be found")
st.markdown(
    "Costing of national plans in USD; commitment counts for Mexico and Panama; Cities of Solidarity in Costa "
    "Rica, El Salvador, Panama and Belize; IDMC flows after 2023."
)
st.caption("The boundaries and names shown on maps do not imply official endorsement by the United Nations or the OAS.")

st.header("Data loaded in this database")
loaded = files.assign(loaded_at=files["loaded_at"].astype(str).str[:16])  # to the minute
st.dataframe(loaded[["name", "rows", "loaded_at"]].sort_values("name"), hide_index=True)
st.caption("Files built from archived copies of public sources (data/SOURCES.md).")
