"""The read side: SQLAlchemy Core statements with bound parameters, returned as polars frames.

One data-access object, `Reader`, runs every statement. Where the database's dialect has an ADBC driver
(SQLite, PostgreSQL) the statement is compiled to that driver's parameter style and read through ADBC
into Arrow, which is several times faster than going through SQLAlchemy rows; otherwise SQLAlchemy runs it.
"""

from __future__ import annotations

import threading
from contextlib import closing
from datetime import datetime

import polars as pl
from sqlalchemy import BigInteger, ColumnElement, Engine, Select, and_, cast, func, make_url, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from mirps_dash import access, database, settings
from mirps_dash.schema import (
    AnnualMeeting,
    AsylumApplication,
    AsylumDecision,
    City,
    Commitment,
    CommitmentCount,
    DataFile,
    Fact,
    Funding,
    GrfPledge,
    IdmcDisplacement,
    Indicator,
    IndicatorValue,
    Narrative,
    Population,
    PopulationPair,
    PopulationTotal,
    Presidency,
    Solution,
    SupportPlatformChair,
    SupportPlatformMember,
    WorkingGroup,
    WorkplanEvent,
    WorkplanOutcome,
    WorkplanPartnership,
    WorkplanWorkingGroup,
)

ROW_CAP = 2_000_000  # no screen needs more; a query that returns more is a bug, not a view


def _adbc_connect(url: str):
    """A function opening an ADBC connection for `url`, or None where no ADBC driver fits."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite" and parsed.database and parsed.database != ":memory:":
            import adbc_driver_sqlite.dbapi as driver

            return lambda: database.adbc_sqlite_busy_timeout(driver.connect(parsed.database, autocommit=True))
        if backend == "postgresql":
            import adbc_driver_postgresql.dbapi as driver

            uri = database.adbc_postgres_uri(url)  # with the engine's connect and statement timeouts
            return lambda: driver.connect(uri, autocommit=True)
    except ImportError:
        return None
    return None


_ADBC_DIALECTS = {
    "sqlite": sqlite.dialect(paramstyle="qmark"),
    "postgresql": postgresql.dialect(paramstyle="numeric_dollar"),
}


class Reader:
    """Runs read statements against one database; `adbc=False` forces the SQLAlchemy path."""

    def __init__(self, url: str | None = None, adbc: bool = True):
        self.engine: Engine = database.make_engine(url)
        self.url = self.engine.url.render_as_string(hide_password=False)
        connect = _adbc_connect(self.url) if adbc else None
        self._pool = ConnectionPool(connect) if connect else None
        # A server may freeze and never answer: reads give up on it (`database.bounded`). SQLite's only wait
        # is for a lock, which its busy timeout ends.
        self._bounded = self.engine.dialect.name != "sqlite"

    @property
    def uses_adbc(self) -> bool:
        return self._pool is not None

    def frame(self, statement: Select) -> pl.DataFrame:
        if self._bounded:
            return database.bounded(lambda: self._frame(statement), database.read_timeout())
        return self._frame(statement)

    def _frame(self, statement: Select) -> pl.DataFrame:
        statement = statement.limit(ROW_CAP)
        if self._pool is None:
            with self.engine.connect() as connection:
                result = pl.read_database(statement, connection)
        else:
            dialect = _ADBC_DIALECTS[self.engine.dialect.name]
            compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
            parameters = [compiled.params[name] for name in compiled.positiontup or ()]
            result = self._pool.run(
                lambda connection: pl.read_database(
                    str(compiled), connection, execute_options={"parameters": parameters}
                )
            )
        return result if result.height else _empty(statement)


class ConnectionPool:
    """Idle ADBC connections kept for the next read. Opening one costs a round trip and a sign-in on
    PostgreSQL (a few milliseconds, more than most of our aggregate reads). Connections are in autocommit,
    so an idle one holds no transaction, no snapshot and no lock a writer or a migration would wait on.
    A kept connection may have died with a database restart: a read that fails on one drops every kept
    connection and tries once more on a new one, so an outage ends for readers when the database is back."""

    def __init__(self, connect, keep: int = 4):
        self._connect = connect
        self._keep = keep
        self._idle: list = []
        self._lock = threading.Lock()

    def run(self, read):
        """`read(connection)` on a kept connection, or a new one."""
        with self._lock:
            kept = self._idle.pop() if self._idle else None
        connection = kept or self._connect()
        try:
            result = read(connection)
        except Exception:
            connection.close()
            self.close()
            if kept is None:
                raise
            with closing(self._connect()) as fresh:
                return read(fresh)
        with self._lock:
            if len(self._idle) < self._keep:
                self._idle.append(connection)
                return result
        connection.close()
        return result

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def _empty(statement: Select) -> pl.DataFrame:
    """No rows tells a driver nothing about types (SQLite says Int64 for everything): take them from the
    statement, so joins and filters on an empty result behave as on a full one."""
    schema = {}
    for column in statement.selected_columns:
        try:
            kind = column.type.python_type
        except NotImplementedError:
            kind = str
        schema[column.name] = _POLARS_TYPES.get(kind, pl.String)
    return pl.DataFrame(schema=schema)


_POLARS_TYPES = {int: pl.Int64, float: pl.Float64, str: pl.String, bool: pl.Boolean, datetime: pl.Datetime("us")}


def population_totals(reader: Reader, countries: tuple[str, ...]) -> pl.DataFrame:
    """Year, role and type summed over `countries`; `countries_reporting` says how many had a value."""
    p = Population
    return reader.frame(
        select(
            p.year,
            p.role,
            p.population_type,
            # PostgreSQL sums bigints as numeric; the cast keeps every driver on 64-bit integers.
            cast(func.sum(p.value), BigInteger).label("value"),
            func.count(p.value).label("countries_reporting"),
        )
        .where(p.country_iso3.in_(countries))
        .group_by(p.year, p.role, p.population_type)
        .order_by(p.year, p.role, p.population_type)
    )


def population_by_country(reader: Reader, years: tuple[int, ...]) -> pl.DataFrame:
    """The MIRPS States' stocks in `years` (the table holds no other country; the filter makes sure)."""
    p = Population
    return reader.frame(
        select(p.year, p.country_iso3, p.role, p.population_type, p.value)
        .where(p.year.in_(years), p.country_iso3.in_(settings.MIRPS_COUNTRIES))
        .order_by(p.year, p.country_iso3, p.role, p.population_type)
    )


def population_year_span(reader: Reader) -> tuple[int, int] | None:
    """First and last year of the UNHCR population data, or None on an empty database."""
    # Two subqueries, not min and max in one select: SQLite answers each alone from the index on the year,
    # but scans the whole table for both together.
    earliest, latest = (select(f(Population.year)).scalar_subquery() for f in (func.min, func.max))
    row = reader.frame(select(earliest.label("first"), latest.label("last")))
    first, last = row["first"][0], row["last"][0]
    return None if first is None else (int(first), int(last))


def idmc_idp_stocks(reader: Reader) -> pl.DataFrame:
    d = IdmcDisplacement
    return reader.frame(
        select(d.year, d.country_iso3, d.cause, d.value, d.source_id)
        .where(d.metric == "idps_stock")
        .order_by(d.year, d.country_iso3)
    )


def presidencies(reader: Reader) -> pl.DataFrame:
    p = Presidency
    return reader.frame(select(p.year, p.country_iso3, p.note, p.source_url).order_by(p.year))


def support_platform_chairs(reader: Reader) -> pl.DataFrame:
    c = SupportPlatformChair
    return reader.frame(select(c.chair, c.iso3, c.term_start, c.term_end, c.note, c.source_url))


def annual_meetings(reader: Reader) -> pl.DataFrame:
    m = AnnualMeeting
    return reader.frame(select(m.meeting, m.date, m.place, m.host_iso3, m.note, m.source_url).order_by(m.date))


def loaded_files(reader: Reader) -> pl.DataFrame:
    """Shipped files as loaded, the time to the minute (drivers differ on datetime types)."""
    frame = reader.frame(select(DataFile.name, DataFile.rows, DataFile.loaded_at).order_by(DataFile.name))
    return frame.with_columns(pl.col("loaded_at").cast(pl.String).str.slice(0, 16))


def population_series(
    reader: Reader, countries: tuple[str, ...], role: str, types: tuple[str, ...], years: tuple[int, int]
) -> pl.DataFrame:
    """Year x country x type for one role, within an inclusive year range."""
    p = Population
    return reader.frame(
        select(p.year, p.country_iso3, p.population_type, p.value)
        .where(
            p.country_iso3.in_(countries),
            p.role == role,
            p.population_type.in_(types),
            p.year.between(*years),
        )
        .order_by(p.year, p.country_iso3, p.population_type)
    )


def partners(reader: Reader, country: str, direction: str, year: int, types: tuple[str, ...]) -> pl.DataFrame:
    """For `direction="origin"`: where people from `country` are (its countries of asylum);
    for `"asylum"`: where the people `country` hosts come from. Summed over `types`."""
    pair = PopulationPair
    own, partner, partner_name = (
        (pair.origin_iso3, pair.asylum_iso3, pair.asylum_name)
        if direction == "origin"
        else (pair.asylum_iso3, pair.origin_iso3, pair.origin_name)
    )
    return reader.frame(
        select(
            partner.label("partner_iso3"),
            func.min(partner_name).label("partner_name"),
            cast(func.sum(pair.value), BigInteger).label("value"),
        )
        .where(own == country, pair.year == year, pair.population_type.in_(types))
        .group_by(partner)
        .order_by(func.sum(pair.value).desc(), partner)
    )


def solutions(reader: Reader, countries: tuple[str, ...], years: tuple[int, int]) -> pl.DataFrame:
    s = Solution
    return reader.frame(
        select(s.year, s.country_iso3, s.role, s.solution_type, s.value)
        .where(s.country_iso3.in_(countries), s.year.between(*years))
        .order_by(s.year, s.country_iso3, s.role, s.solution_type)
    )


def idmc_year_span(reader: Reader) -> tuple[int, int] | None:
    """First and last year of IDMC's new displacements for any State: a State's chart runs over them all,
    so a year the source has for others but not for it shows as a gap, not as the end of its series."""
    d = IdmcDisplacement
    row = reader.frame(
        select(func.min(d.year).label("first"), func.max(d.year).label("last")).where(d.metric == "new_displacements")
    )
    first, last = row["first"][0], row["last"][0]
    return None if first is None else (int(first), int(last))


def idmc_new_displacements(reader: Reader, countries: tuple[str, ...]) -> pl.DataFrame:
    d = IdmcDisplacement
    return reader.frame(
        select(d.year, d.country_iso3, d.cause, d.hazard, d.value)
        .where(d.metric == "new_displacements", d.country_iso3.in_(countries))
        .order_by(d.year, d.country_iso3, d.cause, d.hazard)
    )


def commitment_counts(reader: Reader) -> pl.DataFrame:
    c = CommitmentCount
    return reader.frame(
        select(c.country_iso3, c.focus_area, c.commitments, c.count_type, c.source_url, c.note).order_by(
            c.country_iso3, c.focus_area
        )
    )


def cities(reader: Reader) -> pl.DataFrame:
    c = City
    return reader.frame(
        select(
            c.city,
            c.municipality,
            c.country_iso3,
            c.status,
            c.status_date,
            c.lat,
            c.lon,
            c.population,
            c.geonameid,
            c.source_url,
            c.note,
        ).order_by(c.country_iso3, c.city)
    )


def working_groups(reader: Reader) -> pl.DataFrame:
    w = WorkingGroup
    return reader.frame(
        select(w.working_group, w.lead_country_iso3, w.participating, w.year_reference, w.note, w.source).order_by(
            w.working_group
        )
    )


def workplan_years(reader: Reader) -> pl.DataFrame:
    return reader.frame(select(WorkplanEvent.plan_year).distinct().order_by(WorkplanEvent.plan_year))


def workplan_events(reader: Reader, plan_year: int) -> pl.DataFrame:
    e = WorkplanEvent
    frame = reader.frame(
        select(
            e.event_no,
            e.title,
            e.title_es,
            e.category,
            e.start_date,
            e.end_date,
            e.date_text,
            e.date_text_es,
            e.tbc,
            e.related_working_group,
        )
        .where(e.plan_year == plan_year)
        .order_by(e.event_no)
    )
    return frame.with_columns(pl.col("tbc").cast(pl.Boolean))  # SQLite stores booleans as integers


def workplan_groups(reader: Reader, plan_year: int) -> pl.DataFrame:
    g = WorkplanWorkingGroup
    return reader.frame(
        select(
            g.wg_id,
            g.name,
            g.name_es,
            g.created,
            g.focus,
            g.focus_es,
            g.suggested_members,
            g.suggested_members_es,
            g.partners,
            g.partners_es,
            g.first_session,
        )
        .where(g.plan_year == plan_year)
        .order_by(g.first_session, g.wg_id)
    )


def workplan_outcomes(reader: Reader, plan_year: int) -> pl.DataFrame:
    o = WorkplanOutcome
    return reader.frame(
        select(o.outcome_id, o.kind, o.title, o.title_es, o.description, o.description_es, o.cadence).where(
            o.plan_year == plan_year
        )
    )


def facts(reader: Reader, category: str) -> pl.DataFrame:
    f = Fact
    return reader.frame(
        select(
            f.fact_id, f.date, f.scope, f.metric, f.value, f.unit, f.description, f.description_es, f.source_url, f.note
        )
        .where(f.category == category)
        .order_by(f.fact_id)
    )


def support_platform_members(reader: Reader) -> pl.DataFrame:
    m = SupportPlatformMember
    return reader.frame(select(m.id, m.member, m.member_type, m.iso3, m.role, m.source).order_by(m.id))


# National plans are the MIRPS States' own: the plan reads never carry another country's rows.
MIRPS_PLAN = Commitment.country_iso3.in_(settings.MIRPS_COUNTRIES)


def plan_indicators(reader: Reader) -> pl.DataFrame:
    """Every indicator with its commitment (no values: those depend on who may see them)."""
    c, i = Commitment, Indicator
    frame = reader.frame(
        select(
            c.code.label("commitment_code"),
            c.country_iso3,
            c.focus_area,
            c.text_es.label("commitment_es"),
            c.text_en.label("commitment_en"),
            c.working_group,
            c.costed_need_usd,
            i.id.label("indicator_id"),
            i.code.label("indicator_code"),
            i.name_es,
            i.name_en,
            i.unit,
            i.baseline_year,
            i.baseline_value,
            i.target_year,
            i.target_value,
            i.direction,
            i.definition_es,
            i.definition_en,
            i.formula_es,
            i.formula_en,
            i.data_source,
            i.periodicity,
            i.caveats_es,
            i.caveats_en,
            (c.is_illustrative | i.is_illustrative).label("is_illustrative"),
        )
        .join(i, i.commitment_id == c.id)
        .where(MIRPS_PLAN)
        .order_by(c.country_iso3, c.focus_area, c.code, i.code)
    )
    return frame.with_columns(pl.col("is_illustrative").cast(pl.Boolean))


def in_scope(status, country, scope: access.ReadScope) -> ColumnElement[bool]:
    """The rows `scope` may read, as a condition on a row's workflow `status` and `country` columns:
    published ones of every country, unpublished ones of the scope's countries only. Every read of
    values or chapters that may be unpublished goes through it, so a national team never reads another
    country's work in progress, whatever a page asks for."""
    published = status.in_(scope.published)
    if not scope.unpublished:
        return published
    if scope.countries is None:
        return status.in_(scope.published + scope.unpublished)
    return or_(published, and_(status.in_(scope.unpublished), country.in_(scope.countries)))


def indicator_values(reader: Reader, scope: access.ReadScope) -> pl.DataFrame:
    """Reported values `scope` may read (`access.read_scope` of the reader)."""
    v = IndicatorValue
    frame = reader.frame(
        select(v.indicator_id, v.period, v.value, v.status, v.validated_by, v.validated_at, v.is_illustrative)
        .join(Indicator, Indicator.id == v.indicator_id)
        .join(Commitment, Commitment.id == Indicator.commitment_id)
        .where(in_scope(v.status, Commitment.country_iso3, scope), MIRPS_PLAN)
        .order_by(v.indicator_id, v.period)
    )
    return frame.with_columns(pl.col("is_illustrative").cast(pl.Boolean))


def narratives(reader: Reader, scope: access.ReadScope) -> pl.DataFrame:
    """The national chapters `scope` may read."""
    n = Narrative
    frame = reader.frame(
        select(n.country_iso3, n.period, n.text_es, n.text_en, n.is_illustrative)
        .where(in_scope(n.status, n.country_iso3, scope), n.country_iso3.in_(settings.MIRPS_COUNTRIES))
        .order_by(n.country_iso3, n.period)
    )
    return frame.with_columns(pl.col("is_illustrative").cast(pl.Boolean))


def funding(reader: Reader) -> pl.DataFrame:
    f, c = Funding, Commitment
    frame = reader.frame(
        select(c.code.label("commitment_code"), f.donor, f.kind, f.amount_usd, f.year, f.is_illustrative)
        .join(c, c.id == f.commitment_id)
        .where(MIRPS_PLAN)
        .order_by(c.code, f.kind, f.year)
    )
    return frame.with_columns(pl.col("is_illustrative").cast(pl.Boolean))


def workplan_partnerships(reader: Reader, plan_year: int) -> pl.DataFrame:
    p = WorkplanPartnership
    return reader.frame(
        select(p.partnership_id, p.partner, p.partner_es, p.planned_actions, p.planned_actions_es, p.levels)
        .where(p.plan_year == plan_year)
        .order_by(p.id)
    )


def asylum_applications(reader: Reader) -> pl.DataFrame:
    """The MIRPS States' asylum applications, both roles, as the source keys them ("NA" is a level code)."""
    a = AsylumApplication
    return reader.frame(
        select(a.year, a.country_iso3, a.role, a.procedure_type, a.app_type, a.dec_level, a.app_pc, a.applied)
        .where(a.country_iso3.in_(settings.MIRPS_COUNTRIES))
        .order_by(a.year, a.country_iso3, a.role, a.procedure_type, a.app_type, a.dec_level, a.app_pc)
    )


def asylum_decisions(reader: Reader) -> pl.DataFrame:
    d = AsylumDecision
    return reader.frame(
        select(
            d.year,
            d.country_iso3,
            d.role,
            d.procedure_type,
            d.dec_level,
            d.dec_pc,
            d.dec_recognized,
            d.dec_other,
            d.dec_rejected,
            d.dec_closed,
            d.dec_total,
        )
        .where(d.country_iso3.in_(settings.MIRPS_COUNTRIES))
        .order_by(d.year, d.country_iso3, d.role, d.procedure_type, d.dec_level, d.dec_pc)
    )


def population_total(reader: Reader) -> pl.DataFrame:
    """Total population per State and year, with the source of each (estimate or projection)."""
    p = PopulationTotal
    return reader.frame(
        select(p.year, p.country_iso3, p.population, p.source_id)
        .where(p.country_iso3.in_(settings.MIRPS_COUNTRIES))
        .order_by(p.year, p.country_iso3)
    )


def stocks_all_years(reader: Reader) -> pl.DataFrame:
    """The MIRPS States' UNHCR stocks of every year (the per-capita and backlog indicators' numerators)."""
    p = Population
    return reader.frame(
        select(p.year, p.country_iso3, p.role, p.population_type, p.value)
        .where(p.country_iso3.in_(settings.MIRPS_COUNTRIES))
        .order_by(p.year, p.country_iso3, p.role, p.population_type)
    )


def public_indicator_sources(reader: Reader) -> tuple[pl.DataFrame, ...]:
    """What `public_indicators.compute` reads, in its arguments' order: every year of the MIRPS States'
    asylum applications and decisions, stocks, solutions and total population."""
    return (
        asylum_applications(reader),
        asylum_decisions(reader),
        stocks_all_years(reader),
        solutions(reader, settings.MIRPS_COUNTRIES, (1900, 2100)),
        population_total(reader),
    )


def grf_pledges(reader: Reader) -> pl.DataFrame:
    g = GrfPledge
    return reader.frame(
        select(
            g.row_id,
            g.grf_year,
            g.pledge_level,
            g.submitting_entity,
            g.entity_iso3,
            g.lead_state_iso3,
            g.title,
            g.area,
            g.linked_to,
            g.stage_of_implementation,
            g.source_url,
        ).order_by(g.grf_year, g.row_id)
    )
