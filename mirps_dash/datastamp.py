"""The data version: one row in the database that every write of shown data changes, in the write's own
transaction, and that `cache` reads (cheaply, about once a second) to know its cached reads are stale.

A CLI import, a restore or an approval on another replica commits a new stamp with its rows; the next
page run anywhere sees the stamp move and reads afresh, instead of serving figures up to the cache's
time-to-live old. Every function that writes shown data calls `bump(connection)` inside its
`with engine.begin()` block, just before the block ends (a test lists them all).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import OperationalError, ProgrammingError

from mirps_dash import database
from mirps_dash.schema import DataVersion

ROW = 1
NONE = ""  # the version of a database without the table yet (before its first migration)


def bump(connection: Connection) -> str:
    """Give the data a new version, committed with the caller's transaction or not at all."""
    stamp = secrets.token_hex(16)
    values = {"stamp": stamp, "changed_at": datetime.now(UTC)}
    changed = connection.execute(update(DataVersion).where(DataVersion.id == ROW).values(**values)).rowcount
    if not changed:  # the row went with a restore of a file without it
        connection.execute(insert(DataVersion).values(id=ROW, **values))
    return stamp


def current(engine: Engine) -> str:
    """The data's version now: one primary-key read of one row, given up on as every read is when a
    server does not answer (`database.bounded`)."""
    if engine.dialect.name == "sqlite":  # its only wait is for a lock, which its busy timeout ends
        return _read(engine)
    return database.bounded(lambda: _read(engine), database.read_timeout())


def _read(engine: Engine) -> str:
    try:
        with engine.connect() as connection:
            found = connection.execute(select(DataVersion.stamp).where(DataVersion.id == ROW)).scalar()
    except (OperationalError, ProgrammingError) as error:
        if not _no_table(error):
            raise
        return NONE
    return found or NONE


def _no_table(error: Exception) -> bool:
    """The table is missing: a fresh database the first run has not migrated yet."""
    original = getattr(error, "orig", None)
    return getattr(original, "sqlstate", None) == "42P01" or "no such table" in str(original)
