"""Backup and restore of the whole database as one JSON file, portable between SQLite and PostgreSQL.

The file holds the schema revision and every table's rows in key order, and nothing that changes from
one backup to the next (no timestamp of its own), so backing up a restored database gives the same bytes.
A restore replaces everything in one transaction: a broken file or a different schema changes nothing.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Date, DateTime, Engine, delete, func, insert, select

from mirps_dash import database, datastamp
from mirps_dash.schema import Base

FORMAT = "mirps-dashboard-backup/1"


class BackupError(ValueError):
    """The file is not a backup this version can restore; nothing was changed."""


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def dump(engine: Engine) -> bytes:
    database.upgrade(engine)
    tables = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            keys = [c for c in table.primary_key.columns]
            rows = connection.execute(select(table).order_by(*keys)).all()
            tables[table.name] = {
                "columns": [c.name for c in table.columns],
                "rows": [[_plain(v) for v in row] for row in rows],
            }
    document = {"format": FORMAT, "revision": _revision(engine), "tables": tables}
    return json.dumps(document, ensure_ascii=False, indent=0, sort_keys=True).encode()


def _typed(column, value):
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def restore(engine: Engine, raw: bytes) -> dict[str, int]:
    """Replace every table with the file's rows; returns the row count per table."""
    try:
        document = json.loads(raw)
        tables = document["tables"]
        revision = document["revision"]
        assert document["format"] == FORMAT
    except (ValueError, KeyError, TypeError, AssertionError):
        raise BackupError("not a MIRPS Dashboard backup") from None
    database.upgrade(engine)
    if revision != _revision(engine):
        raise BackupError(f"the backup is of schema {revision}, this database is at {_revision(engine)}")
    counts = {}
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
        for table in Base.metadata.sorted_tables:
            content = tables.get(table.name, {"columns": [], "rows": []})
            columns = [table.c[name] for name in content["columns"]]
            rows = [{c.name: _typed(c, v) for c, v in zip(columns, row, strict=True)} for row in content["rows"]]
            if rows:
                connection.execute(insert(table), rows)
            counts[table.name] = len(rows)
        if engine.dialect.name == "postgresql":  # explicit ids leave the sequences behind
            for table in Base.metadata.sorted_tables:
                if "id" in table.c and table.c.id.autoincrement is not False:
                    last = func.coalesce(select(func.max(table.c.id)).scalar_subquery(), 0)
                    sequence = func.pg_get_serial_sequence(table.name, "id")
                    connection.execute(select(func.setval(sequence, last + 1, False)))
        datastamp.bump(connection)
    return counts
