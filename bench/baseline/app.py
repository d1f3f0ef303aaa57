"""The baseline pages as one app, for the browser benchmark: `streamlit run bench/baseline/app.py` serves each
page at the dashboard's own address (`/`, `/displacement`, `/country`, …), as a Streamlit developer would
put separate page scripts together."""

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent
NAMES = ("overview", "displacement", "country", "plans", "cities", "workplan", "support", "about")

pages = [st.Page(HERE / f"{name}.py", url_path=name, default=name == "overview") for name in NAMES]
st.navigation(pages).run()
