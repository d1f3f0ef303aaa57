"""What the idiomatic baseline pages share: the connection, as the Streamlit docs show it."""

import os

import streamlit as st

MIRPS = ("BLZ", "CRI", "SLV", "GTM", "HND", "MEX", "PAN")
PROTECTION = ("refugees", "asylum_seekers", "oip")


def connection():
    return st.connection("sql", type="sql", url=os.environ["MIRPS_DATABASE_URL"])
