"""The database schema: SQLAlchemy 2.0 models for the shipped public data and its provenance.

Columns of the data tables carry the names of the shipped CSV headers, so the loader maps a file onto its
table by name. `info` on a column tells the loader how to validate it: `choices` (allowed values) and
`iso3` (a three-letter code). Every data row points at the `source` it came from.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

POPULATION_TYPES = (
    "refugees",
    "asylum_seekers",
    "oip",
    "idps",
    "returned_refugees",
    "returned_idps",
    "stateless",
    "ooc",
    "hst",
)
ROLES = ("asylum", "origin")
COUNT_UNITS = ("P", "C")  # persons or cases: never added together
SOLUTION_TYPES = ("returned_refugees", "resettlement", "naturalisation", "returned_idps")
CITY_STATUSES = ("recognized", "agreement_to_implement", "in_progress")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


def iso3(nullable: bool = False, *, index: bool = False) -> Mapped:
    return mapped_column(String(3), nullable=nullable, index=index, info={"iso3": True})


def choice(values: tuple[str, ...]) -> Mapped:
    return mapped_column(String(40), info={"choices": values})


class Source(Base):
    """One publisher's dataset, as registered in `catalog`."""

    __tablename__ = "source"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    publisher: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    date_of_data: Mapped[str] = mapped_column(Text)


class DataFile(Base):
    """A shipped file as last loaded: its hash tells `load` whether the file changed since."""

    __tablename__ = "data_file"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Country(Base):
    __tablename__ = "country"
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    is_mirps: Mapped[bool] = mapped_column(Boolean, default=False)


class Sourced:
    """Every data row: a surrogate key and the source it came from."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.key"), index=True)


class Population(Sourced, Base):
    """UNHCR end-year stocks for a MIRPS country, summed over partners, as country of asylum or origin."""

    __tablename__ = "population"
    __table_args__ = (UniqueConstraint("year", "country_iso3", "role", "population_type"),)
    year: Mapped[int] = mapped_column(Integer)
    # Indexed: the regional totals sum the MIRPS States' rows; the unique key leads with the year.
    country_iso3: Mapped[str] = iso3(index=True)
    country_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = choice(ROLES)
    population_type: Mapped[str] = choice(POPULATION_TYPES)
    value: Mapped[int] = mapped_column(BigInteger)


class PopulationPair(Sourced, Base):
    __tablename__ = "population_pair"
    __table_args__ = (UniqueConstraint("year", "origin_iso3", "asylum_iso3", "population_type"),)
    year: Mapped[int] = mapped_column(Integer)
    origin_iso3: Mapped[str] = iso3()
    origin_name: Mapped[str] = mapped_column(Text)
    asylum_iso3: Mapped[str] = iso3()
    asylum_name: Mapped[str] = mapped_column(Text)
    population_type: Mapped[str] = choice(POPULATION_TYPES)
    value: Mapped[int] = mapped_column(BigInteger)


class Solution(Sourced, Base):
    __tablename__ = "solution"
    __table_args__ = (UniqueConstraint("year", "country_iso3", "role", "solution_type"),)
    year: Mapped[int] = mapped_column(Integer)
    country_iso3: Mapped[str] = iso3()
    country_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = choice(ROLES)
    solution_type: Mapped[str] = choice(SOLUTION_TYPES)
    value: Mapped[int] = mapped_column(BigInteger)


class AsylumApplication(Sourced, Base):
    """UNHCR asylum applications lodged in (role asylum) or by people from (role origin) a MIRPS country,
    summed over the other country, kept apart by procedure, application type, decision level and unit.
    `dec_level` "NA" is a code (new applications), not a missing value; persons (P) and cases (C) are
    never added."""

    __tablename__ = "asylum_application"
    __table_args__ = (
        UniqueConstraint("year", "country_iso3", "role", "procedure_type", "app_type", "dec_level", "app_pc"),
    )
    year: Mapped[int] = mapped_column(Integer)
    country_iso3: Mapped[str] = iso3(index=True)
    country_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = choice(ROLES)
    procedure_type: Mapped[str] = mapped_column(String(4))
    app_type: Mapped[str] = mapped_column(String(4))
    dec_level: Mapped[str] = mapped_column(String(4))
    app_pc: Mapped[str] = choice(COUNT_UNITS)
    applied: Mapped[int] = mapped_column(BigInteger)


class AsylumDecision(Sourced, Base):
    """UNHCR asylum decisions, as `AsylumApplication` is keyed; `dec_total` as published (not always the sum
    of the four outcomes)."""

    __tablename__ = "asylum_decision"
    __table_args__ = (UniqueConstraint("year", "country_iso3", "role", "procedure_type", "dec_level", "dec_pc"),)
    year: Mapped[int] = mapped_column(Integer)
    country_iso3: Mapped[str] = iso3(index=True)
    country_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = choice(ROLES)
    procedure_type: Mapped[str] = mapped_column(String(4))
    dec_level: Mapped[str] = mapped_column(String(4))
    dec_pc: Mapped[str] = choice(COUNT_UNITS)
    dec_recognized: Mapped[int] = mapped_column(BigInteger)
    dec_other: Mapped[int] = mapped_column(BigInteger)
    dec_rejected: Mapped[int] = mapped_column(BigInteger)
    dec_closed: Mapped[int] = mapped_column(BigInteger)
    dec_total: Mapped[int] = mapped_column(BigInteger)


class PopulationTotal(Sourced, Base):
    """Total population (mid-year) for per-capita figures; `source_id` tells the World Bank's estimates from
    the UN's projection (a series break)."""

    __tablename__ = "population_total"
    __table_args__ = (UniqueConstraint("year", "country_iso3"),)
    year: Mapped[int] = mapped_column(Integer)
    country_iso3: Mapped[str] = iso3(index=True)
    population: Mapped[int] = mapped_column(BigInteger)


class GrfPledge(Sourced, Base):
    """Global Refugee Forum pledges that could be found, with the page each comes from; no status was
    published for any of them (an empty stage is "not published", never "not started")."""

    __tablename__ = "grf_pledge"
    __table_args__ = (UniqueConstraint("row_id"),)
    row_id: Mapped[str] = mapped_column(String(20))
    pledge_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    grf_year: Mapped[int] = mapped_column(Integer)
    pledge_level: Mapped[str] = mapped_column(String(40))
    submitting_entity: Mapped[str] = mapped_column(Text)
    entity_iso3: Mapped[str] = mapped_column(String(6))  # a MIRPS state, or REGION for joint pledges
    lead_state_iso3: Mapped[str | None] = iso3(nullable=True)
    title: Mapped[str] = mapped_column(Text)
    area: Mapped[str] = mapped_column(Text)
    pledge_type: Mapped[str] = mapped_column(Text)
    linked_to: Mapped[str | None] = mapped_column(Text, nullable=True)
    stage_of_implementation: Mapped[str | None] = mapped_column(Text, nullable=True)
    source_url: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class IdmcDisplacement(Sourced, Base):
    """IDMC stocks and flows; `source_id` tells the three IDMC extracts apart."""

    __tablename__ = "idmc_displacement"
    __table_args__ = (UniqueConstraint("year", "country_iso3", "cause", "hazard", "metric", "source_id"),)
    year: Mapped[int] = mapped_column(Integer)
    country_iso3: Mapped[str] = iso3()
    country_name: Mapped[str] = mapped_column(Text)
    cause: Mapped[str] = choice(("conflict", "disaster"))
    hazard: Mapped[str] = mapped_column(String(40))
    metric: Mapped[str] = choice(("idps_stock", "new_displacements"))
    value: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)


class City(Sourced, Base):
    __tablename__ = "city"
    __table_args__ = (UniqueConstraint("geonameid"),)
    city: Mapped[str] = mapped_column(Text)
    municipality: Mapped[str] = mapped_column(Text)
    country_iso3: Mapped[str] = iso3()
    status: Mapped[str] = choice(CITY_STATUSES)
    status_date: Mapped[str | None] = mapped_column(String(10))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(BigInteger)
    coord_source: Mapped[str] = mapped_column(Text)
    geonameid: Mapped[int] = mapped_column(BigInteger)
    source_url: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class CommitmentCount(Sourced, Base):
    __tablename__ = "commitment_count"
    __table_args__ = (UniqueConstraint("country_iso3", "focus_area", "count_type"),)
    country_iso3: Mapped[str] = iso3()
    country_name: Mapped[str] = mapped_column(Text)
    focus_area: Mapped[str] = mapped_column(String(60))
    commitments: Mapped[int] = mapped_column(Integer)
    count_type: Mapped[str] = mapped_column(String(60))
    source_url: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Fact(Sourced, Base):
    """A sourced statement; `date` keeps the precision the source gives ("2021", "2022-12", "2004/2018")."""

    __tablename__ = "fact"
    __table_args__ = (UniqueConstraint("fact_id"),)
    fact_id: Mapped[str] = mapped_column(String(10))
    date: Mapped[str | None] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(40))
    metric: Mapped[str] = mapped_column(String(80))
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    description_es: Mapped[str | None] = mapped_column(Text)  # a translation (data/SOURCES.md)
    source_url: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Presidency(Sourced, Base):
    __tablename__ = "presidency"
    __table_args__ = (UniqueConstraint("year"),)
    year: Mapped[int] = mapped_column(Integer)
    country_iso3: Mapped[str] = iso3()
    country_name: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(Text)


class AnnualMeeting(Sourced, Base):
    __tablename__ = "annual_meeting"
    __table_args__ = (UniqueConstraint("meeting"),)
    meeting: Mapped[str] = mapped_column(String(10))
    date: Mapped[str] = mapped_column(String(10))
    place: Mapped[str | None] = mapped_column(Text)
    host_iso3: Mapped[str] = iso3()
    note: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(Text)


class SupportPlatformMember(Sourced, Base):
    """One member as listed in one published version of the member list (`source`)."""

    __tablename__ = "support_platform_member"
    __table_args__ = (UniqueConstraint("member", "source"),)
    member: Mapped[str] = mapped_column(Text)
    member_type: Mapped[str] = mapped_column(String(40))
    iso3: Mapped[str | None] = mapped_column(String(3))
    role: Mapped[str] = choice(("member", "secretariat"))
    source: Mapped[str] = mapped_column(Text)


class SupportPlatformChair(Sourced, Base):
    __tablename__ = "support_platform_chair"
    __table_args__ = (UniqueConstraint("iso3", "term_start", "term_end"),)
    chair: Mapped[str] = mapped_column(Text)
    iso3: Mapped[str] = iso3()
    term_start: Mapped[str | None] = mapped_column(String(10))
    term_end: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(Text)


class WorkingGroup(Sourced, Base):
    __tablename__ = "working_group"
    __table_args__ = (UniqueConstraint("working_group"),)
    working_group: Mapped[str] = mapped_column(Text)
    lead_country_iso3: Mapped[str | None] = iso3(nullable=True)
    participating: Mapped[str] = mapped_column(Text)
    year_reference: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)


class WorkplanEvent(Sourced, Base):
    __tablename__ = "workplan_event"
    __table_args__ = (UniqueConstraint("plan_year", "event_no"),)
    plan_year: Mapped[int] = mapped_column(Integer, info={"fixed": True})
    event_no: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    title_es: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[str | None] = mapped_column(String(10))
    end_date: Mapped[str | None] = mapped_column(String(10))
    date_text: Mapped[str | None] = mapped_column(String(40))
    date_text_es: Mapped[str | None] = mapped_column(String(40))
    tbc: Mapped[bool] = mapped_column(Boolean)
    related_working_group: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)


class WorkplanWorkingGroup(Sourced, Base):
    __tablename__ = "workplan_working_group"
    __table_args__ = (UniqueConstraint("plan_year", "wg_id"),)
    plan_year: Mapped[int] = mapped_column(Integer, info={"fixed": True})
    wg_id: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(Text)
    name_es: Mapped[str | None] = mapped_column(Text)
    created: Mapped[int] = mapped_column(Integer)
    focus: Mapped[str] = mapped_column(Text)
    focus_es: Mapped[str | None] = mapped_column(Text)
    suggested_members: Mapped[str] = mapped_column(Text)
    suggested_members_es: Mapped[str | None] = mapped_column(Text)
    partners: Mapped[str | None] = mapped_column(Text)
    partners_es: Mapped[str | None] = mapped_column(Text)
    first_session: Mapped[str | None] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(Text)


class WorkplanOutcome(Sourced, Base):
    __tablename__ = "workplan_outcome"
    __table_args__ = (UniqueConstraint("plan_year", "outcome_id"),)
    plan_year: Mapped[int] = mapped_column(Integer, info={"fixed": True})
    outcome_id: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    title_es: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    description_es: Mapped[str | None] = mapped_column(Text)
    cadence: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(Text)


class WorkplanPartnership(Sourced, Base):
    __tablename__ = "workplan_partnership"
    __table_args__ = (UniqueConstraint("plan_year", "partnership_id"),)
    plan_year: Mapped[int] = mapped_column(Integer, info={"fixed": True})
    partnership_id: Mapped[str] = mapped_column(String(60))
    partner: Mapped[str] = mapped_column(Text)
    partner_es: Mapped[str | None] = mapped_column(Text)
    planned_actions: Mapped[str] = mapped_column(Text)
    planned_actions_es: Mapped[str | None] = mapped_column(Text)
    levels: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(Text)


# --- The indicator framework: what each state committed to and how it is measured ------------------------

VALUE_STATUSES = ("draft", "submitted", "returned", "approved", "published")
DIRECTIONS = ("increase", "decrease")
FUNDING_KINDS = ("pledged", "committed", "paid")


class Commitment(Base):
    """A national-plan commitment. No public per-commitment data exists: rows come from the national
    teams, or are illustrative (`is_illustrative`) so the product can be seen whole."""

    __tablename__ = "commitment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    # Indexed: the plans read the MIRPS States' commitments, and other rows may be stored beside them.
    country_iso3: Mapped[str] = iso3(index=True)
    focus_area: Mapped[str] = mapped_column(String(60))
    text_es: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    national_plan: Mapped[str] = mapped_column(Text)
    period_start: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[int] = mapped_column(Integer)
    working_group: Mapped[str | None] = mapped_column(Text)
    costed_need_usd: Mapped[int | None] = mapped_column(BigInteger)
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)


class Indicator(Base):
    __tablename__ = "indicator"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    name_es: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(40))
    baseline_year: Mapped[int] = mapped_column(Integer)
    baseline_value: Mapped[float] = mapped_column(Float)
    target_year: Mapped[int] = mapped_column(Integer)
    target_value: Mapped[float] = mapped_column(Float)
    direction: Mapped[str] = choice(DIRECTIONS)
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the indicator page says of it; empty until the national team documents it.
    definition_es: Mapped[str | None] = mapped_column(Text, nullable=True)
    definition_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    formula_es: Mapped[str | None] = mapped_column(Text, nullable=True)
    formula_en: Mapped[str | None] = mapped_column(Text, nullable=True)
    data_source: Mapped[str | None] = mapped_column(Text, nullable=True)
    periodicity: Mapped[str | None] = mapped_column(String(40), nullable=True)
    caveats_es: Mapped[str | None] = mapped_column(Text, nullable=True)
    caveats_en: Mapped[str | None] = mapped_column(Text, nullable=True)


class IndicatorValue(Base):
    """A reported value for one period, with its workflow status and who validated it.

    `version` grows with every change, so two people editing the same value get a conflict instead of a
    silent overwrite."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    period: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = choice(VALUE_STATUSES)
    reported_by: Mapped[str | None] = mapped_column(String(80))
    validated_by: Mapped[str | None] = mapped_column(String(80))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)


class Narrative(Base):
    """The qualitative chapter of one country for one period, beside its indicators."""

    __tablename__ = "narrative"
    __table_args__ = (UniqueConstraint("country_iso3", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    country_iso3: Mapped[str] = iso3()
    period: Mapped[int] = mapped_column(Integer)
    text_es: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = choice(VALUE_STATUSES)
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)


class Funding(Base):
    """Money against a commitment. Pledged, committed and paid stay apart: only the last two are funding."""

    __tablename__ = "funding"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    donor: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = choice(FUNDING_KINDS)
    amount_usd: Mapped[int] = mapped_column(BigInteger)
    year: Mapped[int] = mapped_column(Integer)
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)


# --- People, history and audit: who may write, what changed, who tried -----------------------------------

USER_ROLES = ("admin", "ppt", "ntt", "viewer")


class AppUser(Base):
    """An account. Passwords are stored only as bcrypt hashes; repeated failures lock it until an admin
    unlocks it; a password reset or a disable ends every session (`password_changed_at`)."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = choice(USER_ROLES)
    country_iso3: Mapped[str | None] = iso3(nullable=True)
    password_hash: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuthSession(Base):
    """The server's record of a signed-in browser. The sign-in cookie opens nothing without a live record
    here: signing out, disabling the account or resetting its password revokes it."""

    __tablename__ = "auth_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PeriodLock(Base):
    """A country's period approved by the PPT: its values cannot change until an admin unlocks it."""

    __tablename__ = "period_lock"
    __table_args__ = (UniqueConstraint("country_iso3", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    country_iso3: Mapped[str] = iso3()
    period: Mapped[int] = mapped_column(Integer)
    locked_by: Mapped[str] = mapped_column(String(80))
    locked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IndicatorValueHistory(Base):
    """Every version of every reported value: who, when, old and new, and why."""

    __tablename__ = "indicator_value_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    period: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    old_value: Mapped[float | None] = mapped_column(Float)
    new_value: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = choice(VALUE_STATUSES)
    changed_by: Mapped[str] = mapped_column(String(80))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)


class AuditEntry(Base):
    """Every write and every refused attempt, kept even when the write itself was rolled back."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = choice(("ok", "refused", "rejected"))
    detail: Mapped[str] = mapped_column(Text)


class ReferenceVersion(Base):
    """The content a reference import replaced (cities, commitments, events, facts), kept as its CSV so
    any earlier version can be brought back."""

    __tablename__ = "reference_version"
    __table_args__ = (UniqueConstraint("kind", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[str] = mapped_column(String(80))
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DataVersion(Base):
    """One row: a stamp that every write of shown data changes in its own transaction (`datastamp`), so
    each app process, on any replica, knows its cached reads are out of date the moment the write commits.
    A random stamp, not a counter: a restore may bring back an older row, and a stamp seen before must
    never stand for other data."""

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    stamp: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DataCut(Base):
    """Figures frozen under a name for a meeting, so the numbers on screen do not move while it runs.

    `content` is JSON (`cuts.Cut`): the frames the slides are drawn from, as records, the headline figures
    and each slide's title and sources. A cut is never edited: a new one is made under another name."""

    __tablename__ = "data_cut"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    as_of: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    content: Mapped[str] = mapped_column(Text)
