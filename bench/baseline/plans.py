"""Baseline national-plans page, the idiomatic way: period and country, the regional matrix (published
commitments, indicators with a value, share on track) and one country's indicators against their targets,
with funding and its national chapter, from `st.connection("sql").query` into pandas."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
from common import MIRPS, connection

st.set_page_config(page_title="National plans", layout="wide")
conn = connection()
population = conn.query("SELECT * FROM population", ttl=600)
counts = conn.query("SELECT * FROM commitment_count", ttl=600)
commitments = conn.query("SELECT * FROM commitment", ttl=600)
indicators = conn.query("SELECT * FROM indicator", ttl=600)
values = conn.query("SELECT * FROM indicator_value", ttl=600)
funding = conn.query("SELECT * FROM funding", ttl=600)
narratives = conn.query("SELECT * FROM narrative", ttl=600)

st.title("Progress against national plans")
values = values[values["status"] == "published"]  # what the public may see
periods = sorted(values["period"].unique(), reverse=True) or [int(population["year"].max())]
left, right, _ = st.columns([1, 2, 3])
period = left.selectbox("Period", periods)
country = right.selectbox("Country", list(MIRPS), index=list(MIRPS).index(st.query_params.get("country", "BLZ")))

latest = values[values["period"] <= period].sort_values("period").drop_duplicates("indicator_id", keep="last")
plan = indicators.merge(commitments.add_prefix("commitment_"), on="commitment_id")
plan = plan.merge(latest.add_prefix("latest_"), left_on="id", right_on="latest_indicator_id", how="left")
covered = (plan["latest_value"] - plan["baseline_value"]) / (plan["target_value"] - plan["baseline_value"])
elapsed = ((plan["latest_period"] - plan["baseline_year"]) / (plan["target_year"] - plan["baseline_year"])).clip(0, 1)
plan["status"] = np.select(
    [plan["latest_value"].isna(), covered >= elapsed, (covered > 0) & (covered >= elapsed / 2)],
    ["not reported", "on track", "at risk"],
    "off track",
)
if (plan["is_illustrative"].astype(bool) | plan["commitment_is_illustrative"].astype(bool)).any():
    st.warning("Illustrative data: invented to show the product, no country's figures.")

st.subheader(f"Regional matrix, {period}")
st.caption("Each cell: published commitments · indicators with a value up to the period / indicators · share on track.")
areas = counts[counts["count_type"] == "national_action_plan_focus_area"].set_index(["country_iso3", "focus_area"])
measured = plan.assign(with_data=plan["status"] != "not reported", on_track=plan["status"] == "on track")
measured = measured.groupby(["commitment_country_iso3", "commitment_focus_area"]).agg(
    indicators=("id", "size"), with_data=("with_data", "sum"), on_track=("on_track", "sum")
)
cells = areas[["commitments"]].join(measured.rename_axis(["country_iso3", "focus_area"]), how="outer")
cells = cells.fillna({"indicators": 0, "with_data": 0, "on_track": 0})
share = (cells["on_track"] / cells["with_data"]).map("{:.0%}".format).where(cells["with_data"] > 0, "—")
published = cells["commitments"].map("{:.0f}".format).where(cells["commitments"].notna(), "—")
cells["cell"] = published + " · " + cells["with_data"].map("{:.0f}/".format) + cells["indicators"].map("{:.0f}".format)
cells["cell"] += " · " + share
st.dataframe(cells["cell"].unstack().reindex(list(MIRPS)).fillna("—"))
with st.expander("How the status is computed"):
    st.markdown(
        "The share of the way from baseline to target covered against the share of the time elapsed. On track: "
        "progress ≥ time elapsed. At risk: progress ≥ half of it, in the right direction. Off track: the rest."
    )
st.divider()

st.subheader(country)
own = plan[plan["commitment_country_iso3"] == country]
if own.empty:
    st.info(f"{country} has not reported commitments with indicators yet.")
else:
    st.markdown(f"**{int((own['latest_period'] == period).sum())} of {len(own)} indicators reported for {period}**")
    shown = ["name_en", "unit", "baseline_value", "latest_value", "latest_period", "target_value", "target_year"]
    st.dataframe(own[[*shown, "status", "latest_validated_by"]], hide_index=True)
    indicators_column, narrative_column = st.columns([3, 2])
    grid = indicators_column.columns(2)
    for index, (commitment_id, commitment) in enumerate(own.groupby("commitment_id", sort=False)):
        first = commitment.iloc[0]
        with grid[index % 2].container(border=True):
            st.markdown(f"**{first['commitment_focus_area']} · {first['commitment_text_en']}**")
            for row in commitment.itertuples():
                st.markdown(f"**{row.name_en}** — {row.status}")
                path = pd.DataFrame(
                    {"period": [row.baseline_year, row.target_year], "value": [row.baseline_value, row.target_value]}
                )
                reported = alt.Chart(values[values["indicator_id"] == row.id]).mark_line(point=True)
                needed = alt.Chart(path).mark_line(strokeDash=[4, 4], color="gray")
                x, y = alt.X("period:Q", axis=alt.Axis(format="d")), alt.Y("value:Q", scale=alt.Scale(zero=False))
                st.altair_chart(alt.layer(reported, needed).encode(x=x, y=y))
            money = funding[funding["commitment_id"] == commitment_id].groupby("kind")["amount_usd"].sum()
            sums = {kind: money.get(kind, 0) for kind in ("pledged", "committed", "paid")}
            gap = first["commitment_costed_need_usd"] - sums["committed"] - sums["paid"]
            with st.expander(f"Commitment: {first['commitment_text_en']}"):
                amounts = [("Costed need", first["commitment_costed_need_usd"]), *sums.items(), ("Gap", gap)]
                for card, (label, amount) in zip(st.columns(5), amounts, strict=True):
                    card.metric(label, "—" if pd.isna(amount) else f"USD {amount:,.0f}")
    chapter = narratives[(narratives["country_iso3"] == country) & (narratives["period"] == period)]
    chapter = chapter[chapter["status"] == "published"]
    narrative_column.markdown(f"**National chapter, {period}**")
    narrative_column.markdown(chapter["text_en"].iloc[0] if len(chapter) else "No narrative published for this period.")
