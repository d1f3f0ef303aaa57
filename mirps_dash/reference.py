"""Reference data (cities, commitment counts, work-plan events, facts with the pledges and needs they
record) replaced by the Technical Secretariat through the same path as reported values: every problem
with row and column, a preview of what changes, then one transaction, audited, with the previous
content kept as a version that can be brought back.

A file has the columns of its shipped CSV (`data/`), which is also the template (`export`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select

from mirps_dash import access, intake, load, safecells, settings
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
    }
    return {kind: Kind(kind, by_name[file]) for kind, file in chosen.items() if file}


def parse(kind: Kind, raw: bytes, file_name: str = "upload.csv") -> list[dict]:
    """The rows of a reference file, validated as the shipped file is, or `Rejected` with every problem."""
    table = intake.read_table(raw, file_name)
    columns = load._columns(kind.spec)
    names = [c.name for c in columns]
    problems = [Problem(1, name, "missing_column") for name in names if name not in table.header]
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
                parsed[column.name] = load._parse_cell(record[column.name], column, kind.spec, number)
            except load.DataFileError as error:
                problems.append(Problem(number, column.name, f"ref_{error.problem}", error.detail))
        if len(parsed) < len(columns):
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
