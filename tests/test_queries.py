"""The read side on SQLite and PostgreSQL: ADBC and SQLAlchemy give the same frames, equal to the CSV."""

from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy import event, insert, select

from mirps_dash import access, database, load, queries, settings
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


def test_a_kept_connection_sees_later_writes_and_blocks_no_writer(loaded_url):
    """The reader keeps its ADBC connections between reads; in autocommit they hold no snapshot and no
    lock, so a write (even a table rewrite) goes through at once and the next read sees it."""
    from sqlalchemy import text

    reader = queries.Reader(loaded_url)
    before = queries.population_totals(reader, ("HND",))
    engine = database.make_engine(loaded_url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL lock_timeout = '2s'"))
            connection.execute(text("LOCK TABLE population IN ACCESS EXCLUSIVE MODE"))  # as a migration would
        connection.execute(text("DELETE FROM population WHERE country_iso3 = 'HND'"))
    after = queries.population_totals(reader, ("HND",))
    assert before.height > 0
    assert after.height == 0


def test_a_read_survives_the_server_closing_a_kept_connection(empty_postgres_url):
    """A database restart closes every kept connection: the next read opens a new one instead of failing."""
    from sqlalchemy import text

    load.load_shipped_data(database.make_engine(empty_postgres_url))
    reader = queries.Reader(empty_postgres_url)
    first = queries.population_totals(reader, ("HND",))
    engine = database.make_engine(empty_postgres_url)
    with engine.connect() as connection:
        closed = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    engine.dispose()
    assert closed >= 1
    assert queries.population_totals(reader, ("HND",)).equals(first)


def test_plan_reads_carry_the_mirps_states_rows_only(loaded_url):
    """A commitment filed under another country (as the 1000x benchmark data has thousands of) reaches no
    plan read: not its indicators, its values, its funding nor its chapter."""
    from mirps_dash import demo
    from mirps_dash.schema import Commitment, Funding, Indicator, IndicatorValue, Narrative

    engine = database.make_engine(loaded_url)
    demo.load(engine)
    reader = queries.Reader(loaded_url)
    scope = access.PUBLIC_SCOPE
    before = [queries.plan_indicators(reader), queries.indicator_values(reader, scope), queries.funding(reader)]
    with engine.begin() as connection:
        source = connection.execute(select(Commitment).limit(1)).mappings().one()
        commitment = {**source, "code": "OTHER-1", "country_iso3": "XA1"}
        commitment.pop("id")
        commitment_id = connection.execute(insert(Commitment).values(commitment)).inserted_primary_key[0]
        indicator = (
            connection.execute(select(Indicator).where(Indicator.commitment_id == source["id"])).mappings().first()
        )
        indicator = {**indicator, "code": "OTHER-1-I", "commitment_id": commitment_id}
        indicator.pop("id")
        indicator_id = connection.execute(insert(Indicator).values(indicator)).inserted_primary_key[0]
        connection.execute(
            insert(IndicatorValue).values(indicator_id=indicator_id, period=2024, value=1, status="published")
        )
        connection.execute(
            insert(Funding).values(commitment_id=commitment_id, donor="x", kind="paid", amount_usd=1, year=2024)
        )
        connection.execute(
            insert(Narrative).values(country_iso3="XA1", period=2024, text_es="x", text_en="x", status="published")
        )
    after = [queries.plan_indicators(reader), queries.indicator_values(reader, scope), queries.funding(reader)]
    assert all(frame.height > 0 for frame in before)
    for old, new in zip(before, after, strict=True):
        assert new.equals(old)
    assert "XA1" not in queries.narratives(reader, scope)["country_iso3"].to_list()


def test_the_regional_reads_search_indexes_and_scan_no_table(loaded_sqlite_url):
    """At a thousand times the data a scan of the population table cost the overview 0.2 s for its totals
    and as much again for the first and last year; searched in an index, a few milliseconds. The plan's
    indicators scanned every commitment for the MIRPS States' (7 ms at 1000x; searched, 0.2 ms)."""
    reader = queries.Reader(loaded_sqlite_url, adbc=False)
    statements = []
    with reader.engine.connect() as connection:

        def note(_connection, _cursor, statement, parameters, _context, _many) -> None:
            statements.append((statement, parameters))

        event.listen(reader.engine, "before_cursor_execute", note)
        try:
            queries.population_totals(reader, settings.MIRPS_COUNTRIES)
            queries.population_year_span(reader)
            queries.plan_indicators(reader)
        finally:
            event.remove(reader.engine, "before_cursor_execute", note)
        assert len(statements) == 3
        for statement, parameters in statements:
            steps = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
            assert any(step.startswith("SEARCH") for step in steps), steps
            assert not any(step.startswith("SCAN") and step != "SCAN CONSTANT ROW" for step in steps), steps
