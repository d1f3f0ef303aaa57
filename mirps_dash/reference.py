"""Reference data (cities, commitment counts, work-plan events, facts with the pledges and needs they
record, Global Refugee Forum pledges) replaced by the Technical Secretariat through the same path as
reported values: every problem with row and column, a preview of what changes, then one transaction,
audited, with the previous content kept as a version that can be brought back.

A file has the columns of its shipped CSV (`data/`), which is also the template (`export`). Beyond the
types the shipped files are loaded with, a replacement keeps the rules the shipped data keeps (`RULES`):
numbers in the digits 0-9, MIRPS States where a table is per State, points on the region's map, counts
that are not negative, dates that are dates, links that are web links, GRF pledges made in a Forum's year by
a MIRPS State or by the States jointly (`REGION`), at a level the pages know.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from mirps_dash import access, datastamp, intake, load, safecells, settings
from mirps_dash.intake import Problem, Rejected
from mirps_dash.schema import AuditEntry, DataFile, ReferenceVersion


@dataclass(frozen=True)
class Kind:
    name: str
    spec: load.ShippedFile

    @property
    def key_columns(self) -> tuple[str, ...]:
        """What identifies a row: the table's unique constraint, else every column of the file."""
        for constraint in self.spec.model.__table__.constraints:
            if constraint.__class__.__name__ == "UniqueConstraint":
                return tuple(c.name for c in constraint.columns if c.name not in self.spec.fixed)
        return tuple(self.columns)

    @property
    def columns(self) -> list[str]:
        return [c.name for c in load._columns(self.spec)]


def kinds(data_dir=settings.DATA_DIR) -> dict[str, Kind]:
    """The reference kinds; `events` is the latest work plan's calendar."""
    by_name = {spec.name: spec for spec in load.shipped_files(data_dir)}
    events = sorted(name for name in by_name if name.endswith("_events.csv"))
    chosen = {
        "cities": "cities_of_solidarity.csv",
        "commitments": "mirps_commitments.csv",
        "facts": "mirps_facts.csv",
        "events": events[-1] if events else None,
        # The Secretariat completes the list and the statuses as they are published; an empty
        # stage_of_implementation is "status not published", never "not started".
        "pledges": "grf_pledges.csv",
    }
    return {kind: Kind(kind, by_name[file]) for kind, file in chosen.items() if file}


# Numbers as the shipped files and the export write them. Python's int() and float() would also read "٣",
# "３", "1_000" and " 5 ": none of them is a figure anybody typed on purpose in these tables.
INTEGER = re.compile(r"-?[0-9]+")
DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PARTIAL_DAY = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")  # "2023", "2023-11" or "2023-11-05"
WEB_LINK = re.compile(r"https?://[^\s]+")
LINKS_SEPARATOR = " ; "  # several sources of one row, as the shipped files list them
# The seven MIRPS States on the map, their islands included (Isla del Coco to Isla Guadalupe): a point
# outside is a typo (999 for "unknown", a dropped minus sign, latitude and longitude swapped).
REGION = {"lat": (4.0, 34.0), "lon": (-120.0, -76.0)}
# kind -> column -> rule (`_rule_problem`); `source_url` is a web link in every kind that has one.
RULES = {
    "cities": {"country_iso3": "mirps_state", "lat": "region", "lon": "region", "status_date": "partial_date"},
    "commitments": {"country_iso3": "mirps_state"},
    "facts": {"value": "not_negative", "date": "date_range"},
    "events": {"start_date": "date", "end_date": "date"},
    "pledges": {
        "grf_year": "grf_year",
        "pledge_level": "pledge_level",
        "entity_iso3": "mirps_state_or_region",
        "lead_state_iso3": "mirps_state",
    },
}
JOINT = "REGION"  # a pledge the MIRPS States made together (`entity_iso3`)
# What the pages tell apart: one State's pledge, a joint one, and a page grouping the joint ones (not counted).
PLEDGE_LEVELS = ("national", "regional_joint", "regional_umbrella")
FIRST_GRF = 2019  # the first Global Refugee Forum


def _is_date(text: str, pattern: re.Pattern = PARTIAL_DAY) -> bool:
    if not pattern.fullmatch(text):
        return False
    year, month, day = [*text.split("-"), "01", "01"][:3]
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _is_date_or_range(text: str) -> bool:
    """ "2019", "2022-12", or a range "2004/2018" whose end may be open ("2014/") and is not before its start."""
    start, slash, end = text.partition("/")
    return _is_date(start) and (not slash or not end or (_is_date(end) and end >= start))


def _rule_problem(rule: str, value, number: int, column: str) -> Problem | None:
    """The problem with one parsed, non-empty cell under `rule`, if any."""
    shown = {"value": str(value)[:60]}
    if rule == "mirps_state" and value not in settings.MIRPS_COUNTRIES:
        return Problem(number, column, "not_mirps_state", shown | {"allowed": ", ".join(settings.MIRPS_COUNTRIES)})
    if rule == "mirps_state_or_region" and value not in (*settings.MIRPS_COUNTRIES, JOINT):
        allowed = ", ".join((*settings.MIRPS_COUNTRIES, JOINT))
        return Problem(number, column, "not_mirps_state_or_joint", shown | {"allowed": allowed})
    if rule == "pledge_level" and value not in PLEDGE_LEVELS:
        return Problem(number, column, "not_pledge_level", shown | {"allowed": ", ".join(PLEDGE_LEVELS)})
    if rule == "grf_year" and not FIRST_GRF <= value <= date.today().year + 1:
        return Problem(number, column, "not_grf_year", shown | {"first": FIRST_GRF, "last": date.today().year + 1})
    if rule == "region" and not REGION[column][0] <= value <= REGION[column][1]:
        low, high = REGION[column]
        return Problem(number, column, "out_of_range", shown | {"low": f"{low:g}", "high": f"{high:g}"})
    if rule == "not_negative" and value < 0:
        return Problem(number, column, "negative", shown)
    checks = {"date": lambda v: _is_date(v, DAY), "partial_date": _is_date, "date_range": _is_date_or_range}
    if rule in checks and not checks[rule](value):
        return Problem(number, column, f"bad_{rule}", shown)
    return None


def _cell(text: str, column, kind: Kind, number: int):
    """One cell parsed as the shipped files are, after a stricter look at numbers."""
    python_type = column.type.python_type
    pattern = {int: INTEGER, float: DECIMAL}.get(python_type)
    if pattern is not None and text.strip() and not pattern.fullmatch(text.strip()):
        problem = "not_integer" if python_type is int else "not_number"
        raise load.DataFileError(kind.spec.name, problem, number, column.name, value=text.strip()[:60])
    return load._parse_cell(text, column, kind.spec, number)


def _row_problems(kind: Kind, parsed: dict, number: int) -> list[Problem]:
    """What the shipped data keeps beyond its types: `RULES`, web links, and events that end after they start."""
    problems = [
        problem
        for column, rule in RULES.get(kind.name, {}).items()
        if parsed.get(column) is not None and (problem := _rule_problem(rule, parsed[column], number, column))
    ]
    links = parsed.get("source_url")
    if links and not all(WEB_LINK.fullmatch(link) for link in links.split(LINKS_SEPARATOR)):
        problems.append(Problem(number, "source_url", "bad_url", {"value": links[:60]}))
    start, end = parsed.get("start_date"), parsed.get("end_date")
    if kind.name == "events" and start and end and not problems and end < start:
        problems.append(Problem(number, "end_date", "end_before_start", {"value": end, "start": start}))
    if (
        kind.name == "pledges"
        and not problems
        and (parsed["pledge_level"] == "national") == (parsed["entity_iso3"] == JOINT)
    ):
        problems.append(
            Problem(
                number,
                "entity_iso3",
                "pledge_level_entity",
                {"value": parsed["entity_iso3"], "level": parsed["pledge_level"]},
            )
        )
    return problems


def parse(kind: Kind, raw: bytes, file_name: str = "upload.csv") -> list[dict]:
    """The rows of a reference file, validated as the shipped file is, or `Rejected` with every problem."""
    table = intake.read_table(raw, file_name)
    columns = load._columns(kind.spec)
    names = [c.name for c in columns]
    problems = [
        Problem(1, c.name, "missing_column")
        for c in columns
        if c.name not in table.header and not load.is_translation(c)
    ]
    problems += [Problem(1, name or "?", "unexpected_column") for name in table.header if name not in names]
    problems += [Problem(1, name, "duplicate_column") for name in set(table.header) if table.header.count(name) > 1]
    if problems:
        raise Rejected(problems)
    rows, seen = [], {}
    for number, cells in table.rows:
        if len(cells) != len(table.header):
            found = len(cells)
            problems.append(Problem(number, None, "wrong_cell_count", {"expected": len(table.header), "found": found}))
            continue
        record = dict(zip(table.header, cells, strict=True))
        parsed = {}
        for column in columns:
            try:
                parsed[column.name] = _cell(record.get(column.name, ""), column, kind, number)
            except load.DataFileError as error:
                problems.append(Problem(number, column.name, f"ref_{error.problem}", error.detail))
        if len(parsed) < len(columns):
            continue
        if row_problems := _row_problems(kind, parsed, number):
            problems += row_problems
            continue
        key = tuple(parsed[k] for k in kind.key_columns)
        if key in seen:
            problems.append(Problem(number, kind.key_columns[0], "duplicate_row", {"first_row": seen[key]}))
            continue
        seen[key] = number
        rows.append(parsed | kind.spec.fixed | {"source_id": parsed.get("source_id") or kind.spec.source_keys[0]})
    if problems:
        raise Rejected(problems)
    if not rows:
        raise Rejected([Problem(None, None, "no_rows")])
    return rows


def _mine(kind: Kind) -> list:
    return [kind.spec.model.__table__.c[column] == value for column, value in kind.spec.fixed.items()]


def current(engine: Engine, kind: Kind) -> list[dict]:
    table = kind.spec.model.__table__
    wanted = [table.c[name] for name in kind.columns] + [table.c[name] for name in kind.spec.fixed]
    if "source_id" not in kind.columns:
        wanted.append(table.c.source_id)
    with engine.connect() as connection:
        return [row._asdict() for row in connection.execute(select(*wanted).where(*_mine(kind)))]


@dataclass(frozen=True)
class Preview:
    new: list[dict]
    changed: list[tuple[dict, dict]]
    unchanged: list[dict]
    removed: list[dict]


def preview(engine: Engine, kind: Kind, rows: list[dict]) -> Preview:
    def key(row):
        return tuple(row[k] for k in kind.key_columns)

    before = {key(row): row for row in current(engine, kind)}
    after = {key(row): row for row in rows}
    return Preview(
        new=[row for k, row in after.items() if k not in before],
        changed=[(before[k], row) for k, row in after.items() if k in before and before[k] != row],
        unchanged=[row for k, row in after.items() if k in before and before[k] == row],
        removed=[row for k, row in before.items() if k not in after],
    )


def to_csv(kind: Kind, rows: list[dict], *, raw: bool = False) -> str:
    """Rows in the shipped file's format: the template and the export, where text a spreadsheet would run
    as a formula gets an apostrophe; `raw` keeps the text as stored, for the versions kept in the database."""
    return safecells.csv_text(kind.columns, ([row[c] for c in kind.columns] for row in rows), raw=raw)


def export(engine: Engine, kind: Kind) -> str:
    """The current content as a person downloads it (the command line's `export` and `template` too)."""
    return to_csv(kind, current(engine, kind))


def _conflict_on_race(replace):
    """Two replacements at once both keep "the next version": the second one's unique-key error becomes the
    usual version conflict, audited, instead of a raw database error (its transaction has rolled back)."""

    @functools.wraps(replace)
    def guarded(engine: Engine, actor: access.Actor, kind: Kind, rows: list[dict]) -> Preview:
        try:
            return replace(engine, actor, kind, rows)
        except IntegrityError as error:
            with engine.begin() as connection:
                found = connection.execute(
                    select(func.max(ReferenceVersion.version)).where(ReferenceVersion.kind == kind.name)
                ).scalar()
                detail = f"replaced by someone else meanwhile (kept version {found})"
                connection.execute(
                    insert(AuditEntry).values(
                        username=actor.username, action=f"import_{kind.name}", outcome="rejected", detail=detail
                    )
                )
            conflict = Problem(None, "version", "conflict", {"expected": max((found or 1) - 1, 0), "found": found})
            raise Rejected([conflict]) from error

    return guarded


@_conflict_on_race
def apply(engine: Engine, actor: access.Actor, kind: Kind, rows: list[dict]) -> Preview:
    """Replace the kind's rows in one transaction, keeping the previous content as a version."""
    try:
        access.check_admin(actor)
    except access.Refused as refusal:
        with engine.begin() as connection:
            connection.execute(
                insert(AuditEntry).values(
                    username=actor.username, action=f"import_{kind.name}", outcome="refused", detail=str(refusal)
                )
            )
        raise
    result = preview(engine, kind, rows)
    previous = to_csv(kind, current(engine, kind), raw=True)  # brought back as it was
    shipped = settings.DATA_DIR / kind.spec.name
    with engine.begin() as connection:
        latest = connection.execute(
            select(ReferenceVersion.version)
            .where(ReferenceVersion.kind == kind.name)
            .order_by(ReferenceVersion.version.desc())
            .limit(1)
        ).scalar()
        connection.execute(
            insert(ReferenceVersion).values(
                kind=kind.name, version=(latest or 0) + 1, content=previous, saved_by=actor.username
            )
        )
        connection.execute(delete(kind.spec.model).where(*_mine(kind)))
        connection.execute(insert(kind.spec.model), rows)
        # Keep the shipped file's hash: `init` reloads the file only when a new release changes it.
        if shipped.exists():
            connection.execute(delete(DataFile).where(DataFile.name == kind.spec.name))
            connection.execute(
                insert(DataFile).values(
                    name=kind.spec.name, sha256=hashlib.sha256(shipped.read_bytes()).hexdigest(), rows=len(rows)
                )
            )
        connection.execute(
            insert(AuditEntry).values(
                username=actor.username,
                action=f"import_{kind.name}",
                outcome="ok",
                detail=f"{len(result.new)} new, {len(result.changed)} changed, {len(result.unchanged)} unchanged, "
                f"{len(result.removed)} removed; previous content kept as version {(latest or 0) + 1}",
            )
        )
        datastamp.bump(connection)
    return result


def versions(engine: Engine, kind: Kind) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(ReferenceVersion.version, ReferenceVersion.saved_by, ReferenceVersion.saved_at)
            .where(ReferenceVersion.kind == kind.name)
            .order_by(ReferenceVersion.version.desc())
        )
        return [row._asdict() for row in rows]


def restore_version(engine: Engine, actor: access.Actor, kind: Kind, version: int) -> Preview:
    """Bring back a kept version; the content it replaces is kept in turn."""
    with engine.connect() as connection:
        content = connection.execute(
            select(ReferenceVersion.content).where(
                ReferenceVersion.kind == kind.name, ReferenceVersion.version == version
            )
        ).scalar()
    if content is None:
        raise Rejected([Problem(None, "version", "bad_version", {"value": str(version)})])
    return apply(engine, actor, kind, parse(kind, content.encode()))
