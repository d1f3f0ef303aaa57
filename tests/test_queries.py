"""The read side on SQLite and PostgreSQL: ADBC and SQLAlchemy give the same frames, equal to the CSV."""

from __future__ import annotations

import polars as pl
import pytest

from mirps_dash import database, load, queries, settings
from tests import truth


@pytest.fixture
def loaded_url(empty_url) -> str:
    load.load_shipped_data(database.make_engine(empty_url))
    return empty_url


def test_adbc_is_used_where_a_driver_exists(loaded_url):
    assert queries.Reader(loaded_url).uses_adbc
    assert not queries.Reader(loaded_url, adbc=False).uses_adbc


@pytest.mark.parametrize(
    "read",
    [
        lambda r: queries.population_totals(r, settings.MIRPS_COUNTRIES),
        lambda r: queries.population_totals(r, ("HND",)),
        lambda r: queries.population_by_country(r, (2024, 2025)),
        queries.idmc_idp_stocks,
        queries.presidencies,
        queries.annual_meetings,
        queries.support_platform_chairs,
    ],
)
def test_adbc_and_sqlalchemy_agree(loaded_url, read):
    fast, plain = read(queries.Reader(loaded_url)), read(queries.Reader(loaded_url, adbc=False))
    assert fast.height > 0
    assert fast.columns == plain.columns
    assert fast.cast({c: pl.Int64 for c, t in fast.schema.items() if t.is_integer()}).equals(
        plain.cast({c: pl.Int64 for c, t in plain.schema.items() if t.is_integer()})
    )


def test_totals_equal_the_csv(loaded_url):
    year = truth.latest_year()
    totals = queries.population_totals(queries.Reader(loaded_url), settings.MIRPS_COUNTRIES)
    for role in ("asylum", "origin"):
        for population_type in ("refugees", "asylum_seekers", "idps"):
            row = totals.filter(
                pl.col("year") == year, pl.col("role") == role, pl.col("population_type") == population_type
            )
            expected = sum(
                int(r["value"])
                for r in truth.rows("unhcr_population.csv")
                if (int(r["year"]), r["role"], r["population_type"]) == (year, role, population_type)
            )
            assert row["value"].item() == expected


def test_by_country_rows_equal_the_csv(loaded_url):
    frame = queries.population_by_country(queries.Reader(loaded_url), (2019,))
    assert frame.height == sum(1 for r in truth.rows("unhcr_population.csv") if r["year"] == "2019")
    for row in frame.sample(20, seed=7).iter_rows(named=True):
        assert row["value"] == truth.value(2019, row["country_iso3"], row["role"], row["population_type"])


def test_latest_year(loaded_url):
    assert queries.population_year_span(queries.Reader(loaded_url)) == (truth.first_year(), truth.latest_year())
