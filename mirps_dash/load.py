"""Load the shipped public data (data/*.csv) into the database: validated first, then one transaction.

Every file is parsed and checked against its table before anything is written, so a missing or corrupt
file stops the load with a `DataFileError` naming file, row and column, and the database stays as it was.
Loading is idempotent: a file whose content hash matches the last load is not touched, so running it twice
changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Column, Engine, delete, func, insert, select

from mirps_dash import catalog, database, datastamp, demo, settings
from mirps_dash.schema import (
    AnnualMeeting,
    AsylumApplication,
    AsylumDecision,
    Base,
    City,
    CommitmentCount,
    Country,
    DataFile,
    Fact,
    GrfPledge,
    IdmcDisplacement,
    Population,
    PopulationPair,
    PopulationTotal,
    Presidency,
    Solution,
    Source,
    SupportPlatformChair,
    SupportPlatformMember,
    WorkingGroup,
    WorkplanEvent,
    WorkplanOutcome,
    WorkplanPartnership,
    WorkplanWorkingGroup,
)

ISO3 = re.compile(r"^[A-Z]{3}$")
INTEGER = re.compile(r"^-?\d+$")
TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")


@dataclass(frozen=True)
class ShippedFile:
    """One file of data/ and the table it fills; `fixed` gives columns the file does not carry."""

    name: str
    model: type[Base]
    fixed: dict[str, object] = field(default_factory=dict)

    @property
    def source_keys(self) -> tuple[str, ...]:
        return catalog.sources_of_file(self.name)


SHIPPED_FILES: tuple[ShippedFile, ...] = (
    ShippedFile("unhcr_population.csv", Population),
    ShippedFile("unhcr_population_pairs.csv", PopulationPair),
    ShippedFile("unhcr_solutions.csv", Solution),
    ShippedFile("unhcr_asylum_applications.csv", AsylumApplication),
    ShippedFile("unhcr_asylum_decisions.csv", AsylumDecision),
    ShippedFile("population_total.csv", PopulationTotal),
    ShippedFile("grf_pledges.csv", GrfPledge),
    ShippedFile("idmc_displacement.csv", IdmcDisplacement),
    ShippedFile("cities_of_solidarity.csv", City),
    ShippedFile("mirps_commitments.csv", CommitmentCount),
    ShippedFile("mirps_facts.csv", Fact),
    ShippedFile("mirps_pro_tempore_presidency.csv", Presidency),
    ShippedFile("mirps_annual_meetings.csv", AnnualMeeting),
    ShippedFile("mirps_support_platform_members.csv", SupportPlatformMember),
    ShippedFile("mirps_support_platform_chairs.csv", SupportPlatformChair),
    ShippedFile("mirps_working_groups.csv", WorkingGroup),
)
WORKPLAN_PARTS = (
    ("events", WorkplanEvent),
    ("working_groups", WorkplanWorkingGroup),
    ("outcomes", WorkplanOutcome),
    ("partnerships", WorkplanPartnership),
)
WORKPLAN_EVENTS = re.compile(r"^workplan_(\d{4})_events\.csv$")


def workplan_files(data_dir: Path) -> tuple[ShippedFile, ...]:
    """The four files of every plan year found in `data_dir` (a year is added by adding its files)."""
    years = sorted(
        int(m.group(1)) for p in data_dir.glob("workplan_*_events.csv") if (m := WORKPLAN_EVENTS.match(p.name))
    )
    return tuple(
        ShippedFile(f"workplan_{year}_{part}.csv", model, {"plan_year": year})
        for year in years
        for part, model in WORKPLAN_PARTS
    )


def shipped_files(data_dir: Path = settings.DATA_DIR) -> tuple[ShippedFile, ...]:
    return SHIPPED_FILES + workplan_files(data_dir)


class DataFileError(ValueError):
    """A problem in one shipped file. `row` counts as a spreadsheet does: the header is row 1."""

    def __init__(self, file: str, problem: str, row: int | None = None, column: str | None = None, **detail):
        self.file, self.problem, self.row, self.column, self.detail = file, problem, row, column, detail
        where = ", ".join(p for p in (file, row and f"row {row}", column and f"column {column}") if p)
        super().__init__(f"{where}: {problem} {detail or ''}".strip())


@dataclass(frozen=True)
class FileReport:
    name: str
    table: str
    rows: int
    changed: bool


Progress = Callable[[float, str], None]


def _columns(spec: ShippedFile) -> list[Column]:
    """The table columns a file must carry: all but the surrogate key and the fixed ones.

    `source_id` is a column of the file only where the file mixes sources (IDMC)."""
    skip = {"id", *spec.fixed}
    if len(spec.source_keys) == 1:
        skip.add("source_id")
    return [c for c in spec.model.__table__.columns if c.name not in skip]


def is_translation(column: Column) -> bool:
    """A Spanish translation beside a source's English (`title_es` beside `title`, data/SOURCES.md): a file
    may leave it out, and its rows then show the English."""
    return column.name.endswith("_es") and column.nullable and column.name[:-3] in column.table.columns


def _parse_cell(text: str, column: Column, spec: ShippedFile, row: int) -> object:
    def fail(problem: str, **detail) -> DataFileError:
        return DataFileError(spec.name, problem, row, column.name, value=text[:60], **detail)

    text = text.strip()
    if text == "":
        if column.nullable:
            return None
        raise fail("empty")
    kind = column.type.python_type
    if column.name == "source_id" and text not in spec.source_keys:
        raise fail("not_allowed", allowed=", ".join(spec.source_keys))
    if column.info.get("choices") and text not in column.info["choices"]:
        raise fail("not_allowed", allowed=", ".join(column.info["choices"]))
    if column.info.get("iso3") and not ISO3.match(text):
        raise fail("not_iso3")
    if kind is int:
        if not INTEGER.match(text):
            raise fail("not_integer")
        value = int(text)
        if value < 0:
            raise fail("negative")
        return value
    if kind is float:
        try:
            value = float(text)
        except ValueError:
            raise fail("not_number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise fail("not_number")
        return value
    if kind is bool:
        if text.lower() not in TRUE + FALSE:
            raise fail("not_boolean")
        return text.lower() in TRUE
    length = getattr(column.type, "length", None)
    if length and len(text) > length:
        raise fail("too_long", limit=length)
    return text


def read_shipped_file(spec: ShippedFile, data_dir: Path) -> tuple[list[dict], str]:
    """The validated rows of one file and the SHA-256 of its bytes."""
    path = data_dir / spec.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(spec.name, "missing_file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataFileError(spec.name, "not_utf8", row=line) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise DataFileError(spec.name, "empty_file", row=1)
    columns = _columns(spec)
    names = [c.name for c in columns]
    for column in columns:
        if column.name not in header and not is_translation(column):
            raise DataFileError(spec.name, "missing_column", row=1, column=column.name)
    for name in header:
        if name not in names:
            raise DataFileError(spec.name, "unexpected_column", row=1, column=name)
    if len(set(header)) != len(header):
        duplicate = next(n for n in header if header.count(n) > 1)
        raise DataFileError(spec.name, "duplicate_column", row=1, column=duplicate)
    rows = []
    for row_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise DataFileError(spec.name, "wrong_cell_count", row=row_number, expected=len(header), found=len(cells))
        record = dict(zip(header, cells, strict=False))
        parsed = {c.name: _parse_cell(record.get(c.name, ""), c, spec, row_number) for c in columns}
        parsed.update(spec.fixed)
        if "source_id" not in parsed:
            parsed["source_id"] = spec.source_keys[0]
        rows.append((row_number, parsed))
    _check_unique(spec, rows)
    return [r for _, r in rows], hashlib.sha256(raw).hexdigest()


def _check_unique(spec: ShippedFile, rows: list[tuple[int, dict]]) -> None:
    for constraint in spec.model.__table__.constraints:
        if constraint.__class__.__name__ != "UniqueConstraint":
            continue
        keys = [c.name for c in constraint.columns]
        seen: dict[tuple, int] = {}
        for row_number, row in rows:
            key = tuple(row[k] for k in keys)
            if key in seen:
                raise DataFileError(
                    spec.name, "duplicate_row", row=row_number, column=", ".join(keys), first_row=seen[key]
                )
            seen[key] = row_number


def _countries(parsed: dict[str, list[dict]]) -> list[dict]:
    """Every country named in the data, with the name the data gives it."""
    names: dict[str, str] = {}
    for row in parsed.get("unhcr_population_pairs.csv", []):
        names.setdefault(row["origin_iso3"], row["origin_name"])
        names.setdefault(row["asylum_iso3"], row["asylum_name"])
    for row in parsed.get("unhcr_population.csv", []):
        names.setdefault(row["country_iso3"], row["country_name"])
    return [
        {"iso3": code, "name": name, "is_mirps": code in settings.MIRPS_COUNTRIES}
        for code, name in sorted(names.items())
    ]


def _source_rows() -> list[dict]:
    return [
        {
            "key": s.key,
            "publisher": s.publisher["en"],
            "licence": s.licence["en"],
            "url": s.url,
            "date_of_data": s.date_of_data["en"],
        }
        for s in catalog.SOURCES
    ]


def load_shipped_data(
    engine: Engine,
    data_dir: Path = settings.DATA_DIR,
    progress: Progress | None = None,
    files: Iterable[ShippedFile] | None = None,
) -> list[FileReport]:
    """Validate every file, then write the changed ones in one transaction. Returns one report per file."""
    files = tuple(files) if files is not None else shipped_files(data_dir)
    report = progress or (lambda fraction, label: None)
    parsed: dict[str, list[dict]] = {}
    hashes: dict[str, str] = {}
    for index, spec in enumerate(files):
        report(index / (2 * len(files)), spec.name)
        parsed[spec.name], hashes[spec.name] = read_shipped_file(spec, data_dir)

    database.upgrade(engine)
    reports = []
    with engine.begin() as connection:
        known = dict(connection.execute(select(DataFile.name, DataFile.sha256)).all())
        sources_changed = _write_sources(connection)
        changed = [spec for spec in files if known.get(spec.name) != hashes[spec.name]]
        if changed:
            connection.execute(delete(Country))
            connection.execute(insert(Country), _countries(parsed))
        for index, spec in enumerate(files):
            report(0.5 + index / (2 * len(files)), spec.name)
            if spec in changed:
                # A table filled by one file per year (work plans) loses only that year's rows.
                mine = [spec.model.__table__.c[column] == value for column, value in spec.fixed.items()]
                connection.execute(delete(spec.model).where(*mine))
                if parsed[spec.name]:
                    connection.execute(insert(spec.model), parsed[spec.name])
                connection.execute(delete(DataFile).where(DataFile.name == spec.name))
                connection.execute(
                    insert(DataFile).values(name=spec.name, sha256=hashes[spec.name], rows=len(parsed[spec.name]))
                )
            mine = [spec.model.__table__.c[column] == value for column, value in spec.fixed.items()]
            count = connection.execute(select(func.count()).select_from(spec.model).where(*mine)).scalar_one()
            reports.append(FileReport(spec.name, spec.model.__tablename__, count, spec in changed))
        if changed or sources_changed:  # an unchanged load changes nothing, the data version included
            datastamp.bump(connection)
    report(1.0, "")
    return reports


def _write_sources(connection) -> bool:
    """Insert or update the registry's sources; rows equal to the registry are left alone. True when any
    row was written."""
    stored = {row.key: row._asdict() for row in connection.execute(select(*Source.__table__.columns))}
    written = False
    for row in _source_rows():
        if row["key"] not in stored:
            connection.execute(insert(Source).values(**row))
        elif stored[row["key"]] != row:
            connection.execute(Source.__table__.update().where(Source.key == row["key"]).values(**row))
        else:
            continue
        written = True
    return written


def needs_load(engine: Engine) -> bool:
    """True when the schema is behind or a shipped file was never loaded (a fresh database)."""
    if not database.is_at_head(engine):
        return True
    with engine.connect() as connection:
        loaded = set(connection.execute(select(DataFile.name)).scalars())
    return any(spec.name not in loaded for spec in shipped_files())


def first_load(engine: Engine, progress: Progress | None = None) -> list[FileReport]:
    """Load the shipped data; on a database that never had any, add the illustrative data if the setting
    asks for it (see `settings.illustrative_data`)."""
    fresh = not _has_loaded_files(engine)
    reports = load_shipped_data(engine, progress=progress)
    if fresh and settings.illustrative_data():
        demo.load(engine)
    return reports


def _has_loaded_files(engine: Engine) -> bool:
    from sqlalchemy import inspect

    if "data_file" not in inspect(engine).get_table_names():
        return False
    with engine.connect() as connection:
        return bool(connection.execute(select(func.count()).select_from(DataFile)).scalar_one())
