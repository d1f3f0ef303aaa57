"""Metrics: headline figures equal the CSV, roles are never added, missing stays missing."""

from __future__ import annotations

from datetime import date

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from mirps_dash import metrics, queries
from tests import truth


def by_country(url: str, years: tuple[int, ...]) -> pl.DataFrame:
    return queries.population_by_country(queries.Reader(url), years)


def test_headline_equals_the_csv(loaded_sqlite_url):
    year = truth.latest_year()
    reader = queries.Reader(loaded_sqlite_url)
    figures = metrics.headline(by_country(loaded_sqlite_url, (year - 1, year)), queries.idmc_idp_stocks(reader), year)
    assert figures["hosted"].value == truth.protection_total("asylum", year)
    assert figures["abroad"].value == truth.protection_total("origin", year)
    assert figures["idps_unhcr"].value == truth.unhcr_idps(year)
    assert figures["idps_idmc"].value == truth.idmc_conflict_stock(year)
    assert figures["hosted"].delta == truth.protection_total("asylum", year) - truth.protection_total(
        "asylum", year - 1
    )


def frame(rows: list[tuple[int, str, str, str, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["year", "country_iso3", "role", "population_type", "value"], orient="row")


def test_delta_is_like_for_like():
    rows = frame(
        [
            (2024, "HND", "asylum", "refugees", 100),
            (2025, "HND", "asylum", "refugees", 150),
            (2025, "GTM", "asylum", "refugees", 1000),  # first report: not growth
        ]
    )
    figure = metrics.figure(lambda y: metrics.protection(rows, "asylum", y), 2025)
    assert (figure.value, figure.delta, figure.countries_reporting, figure.delta_countries) == (1150, 50, 2, 1)


def test_missing_is_none_not_zero():
    empty = frame([(2025, "HND", "origin", "refugees", 5)])
    figure = metrics.figure(lambda y: metrics.protection(empty, "asylum", y), 2025)
    assert figure.value is None and figure.delta is None and figure.countries_reporting == 0
    table = metrics.by_type(empty, 2025)
    assert table.filter(pl.col("population_type") == "refugees")["hosted"].item() is None
    assert table.filter(pl.col("population_type") == "refugees")["from"].item() == 5


def test_by_type_keeps_roles_apart_and_leaves_out_the_host_community(loaded_sqlite_url):
    year = truth.latest_year()
    table = metrics.by_type(by_country(loaded_sqlite_url, (year,)), year)
    assert "hst" not in table["population_type"].to_list()
    idps = table.filter(pl.col("population_type") == "idps").row(0, named=True)
    assert idps["hosted"] == idps["from"] == truth.unhcr_idps(year)  # the same people, listed under both roles


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from([2024, 2025]),
        st.sampled_from(["BLZ", "CRI", "GTM", "HND"]),
        st.sampled_from(["asylum", "origin"]),
        st.sampled_from(["refugees", "asylum_seekers", "oip", "idps", "hst"]),
        st.integers(min_value=0, max_value=10**7),
    ),
    unique_by=lambda r: r[:4],
    max_size=40,
)


@given(rows_strategy)
def test_protection_totals_sum_only_their_role_and_types(rows):
    data = frame(rows) if rows else frame([]).cast({"year": pl.Int64, "value": pl.Int64})
    for role in ("asylum", "origin"):
        expected = [v for (y, _, r, t, v) in rows if y == 2025 and r == role and t in metrics.PROTECTION_TYPES]
        figure = metrics.figure(lambda y, role=role: metrics.protection(data, role, y), 2025)
        assert figure.value == (sum(expected) if expected else None)


def test_latest_chair_and_presidency(loaded_sqlite_url):
    reader = queries.Reader(loaded_sqlite_url)
    chairs = queries.support_platform_chairs(reader)
    latest_start = max(r["term_start"] for r in truth.rows("mirps_support_platform_chairs.csv") if r["term_start"])
    assert metrics.latest_chair(chairs)["term_start"] == latest_start
    presidencies = queries.presidencies(reader)
    expected = {int(r["year"]): r["country_iso3"] for r in truth.rows("mirps_pro_tempore_presidency.csv")}
    for year, country in expected.items():
        assert metrics.presidency_for(presidencies, year)["country_iso3"] == country
    assert metrics.presidency_for(presidencies, max(expected) + 1) is None


def test_meetings_are_ordered_by_their_number_not_their_partial_dates():
    meetings = pl.DataFrame(
        {"meeting": ["VI", "VII", "VIII", "IX"], "date": ["2024-01-24", "2024", "2025-11", "2027-01"]}
    )
    upcoming, latest = metrics.upcoming_and_latest(meetings, date(2026, 11, 28), latest=2)
    assert upcoming["meeting"].to_list() == ["IX"]
    assert latest["meeting"].to_list() == ["VIII", "VII"]
    assert [metrics.roman_to_int(n) for n in ("II", "IV", "IX", "XIV")] == [2, 4, 9, 14]
