"""Backup and restore of the whole database as one JSON file, portable between SQLite and PostgreSQL.

The file holds the schema revision, every table's rows in key order and a manifest: each table's row count
and the SHA-256 of its content. Nothing in it changes from one backup to the next (no timestamp of its own),
so backing up a restored database gives the same tables again.

A restore checks the whole file before it touches anything: the format and schema revision, every table
the schema has (a file without the accounts, or with `"tables": {}`, would otherwise empty them), each
table's columns, each cell's type, and each table's count and checksum against the manifest. A partial,
damaged or edited file is refused with nothing changed. What it replaces is first written to a backup file
of its own (`keep_dir`), in the restore's own transaction, which also ends every sign-in session (a
restored session table would reopen sessions that were signed out since) and writes an audit entry.

Sessions (`auth_session`) and the data version (`data_version`) are never in a backup: the first ends
with a restore, the second is given a new value by it so every cache reads the restored figures afresh.

Files of format 1 (before the manifest) are still read, after the same completeness check: every table,
every column, every cell's type. Their content cannot be checked against checksums, which the restore
says; a new backup made afterwards has them.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Boolean, Date, DateTime, Engine, Float, Integer, String, Text, delete, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from mirps_dash import database, datastamp
from mirps_dash.i18n import t
from mirps_dash.schema import AuditEntry, Base
from mirps_dash.writes import RESTORE_LOCK_KEY

FORMAT = "mirps-dashboard-backup/2"
FORMAT_WITHOUT_MANIFEST = "mirps-dashboard-backup/1"
NOT_BACKED_UP = ("auth_session", "data_version")


class BackupError(ValueError):
    """The file is not a backup this version can restore, or the database refused it; nothing was changed.
    `code` names the message (`bak_err_<code>` in i18n)."""

    def __init__(self, code: str, **detail: object):
        super().__init__(t(f"bak_err_{code}", "en", **detail))
        self.code, self.detail = code, detail

    def message(self, lang: str) -> str:
        return t(f"bak_err_{self.code}", lang, **self.detail)


@dataclass(frozen=True)
class Restored:
    counts: dict[str, int]  # table -> rows restored
    kept: Path  # the file holding what the restore replaced
    sessions_ended: int
    checked: bool  # False for a file of format 1: complete, but without checksums to check against


def _tables() -> list:
    return [table for table in Base.metadata.sorted_tables if table.name not in NOT_BACKED_UP]


def _revision(connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _checksum(content: dict) -> str:
    """The SHA-256 of a table's columns and rows, written the one way JSON allows with sorted keys."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()  # an edited file may hold any


def _document(connection) -> dict:
    tables = {}
    for table in _tables():
        keys = list(table.primary_key.columns)
        rows = connection.execute(select(table).order_by(*keys)).all()
        tables[table.name] = {
            "columns": [c.name for c in table.columns],
            "rows": [[_plain(v) for v in r] for r in rows],
        }
    manifest = {name: {"rows": len(content["rows"]), "sha256": _checksum(content)} for name, content in tables.items()}
    return {"format": FORMAT, "revision": _revision(connection), "manifest": manifest, "tables": tables}


def _encode(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=0, sort_keys=True).encode()


@contextmanager
def _snapshot(engine: Engine):
    """One consistent read of every table, whatever is written meanwhile."""
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")  # reads inside one transaction see one state
        yield connection
        connection.rollback()


def dump(engine: Engine) -> bytes:
    database.upgrade(engine)
    with _snapshot(engine) as connection:
        return _encode(_document(connection))


# --- reading a file: everything is checked before anything is changed ---------------------------------


def _valid(column, value) -> bool:
    """Does `value` (as JSON gives it) fit `column`? Dates and times must parse; a bool is not a number."""
    if value is None:
        return column.nullable
    if "choices" in column.info:
        return value in column.info["choices"]
    kind = column.type
    if isinstance(kind, Boolean):
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if isinstance(kind, Integer):  # BigInteger too; past 64 bits no driver takes it
        return isinstance(value, int) and -(2**63) <= value < 2**63
    if isinstance(kind, Float):
        return isinstance(value, int | float) and value == value and abs(value) != float("inf")
    if isinstance(kind, DateTime | Date):
        if not isinstance(value, str):
            return False
        try:
            (datetime if isinstance(kind, DateTime) else date).fromisoformat(value)
        except ValueError:
            return False
        return True
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None)
        if not isinstance(value, str) or (length is not None and len(value) > length) or "\x00" in value:
            return False
        return value.encode("utf-8", "ignore").decode() == value  # no lone surrogate ("\ud800" in the JSON)
    return False


def _typed(column, value):
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def read(raw: bytes, revision: str | None) -> tuple[dict[str, list[dict]], bool]:
    """The rows to restore, table by table, from a file checked whole against the schema at `revision`;
    and whether it was checked against a manifest (format 2) or for completeness only (format 1).
    `BackupError` for anything else."""
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        raise BackupError("not_backup") from None
    if not isinstance(document, dict) or document.get("format") not in (FORMAT, FORMAT_WITHOUT_MANIFEST):
        raise BackupError("not_backup")
    tables, manifest = document.get("tables"), document.get("manifest")
    checked = document["format"] == FORMAT
    if not isinstance(tables, dict) or (checked and not isinstance(manifest, dict)):
        raise BackupError("not_backup")
    if document.get("revision") != revision:
        raise BackupError("revision", found=str(document.get("revision"))[:40], current=revision)
    expected = {table.name for table in _tables()}
    present = set(tables) - set(NOT_BACKED_UP)  # format 1 files carried the sessions: never restored
    if missing := expected - present:
        raise BackupError("missing_tables", tables=", ".join(sorted(missing)))
    if unknown := present - expected:
        raise BackupError("unknown_tables", tables=", ".join(sorted(str(name)[:40] for name in unknown)[:5]))
    if checked and set(manifest) != expected:
        raise BackupError("manifest", tables=", ".join(sorted(str(n)[:40] for n in set(manifest) ^ expected)[:5]))
    rows = {}
    for table in _tables():
        content = tables[table.name]
        columns = [c.name for c in table.columns]
        if not isinstance(content, dict) or set(content) != {"columns", "rows"} or content["columns"] != columns:
            raise BackupError("bad_table", table=table.name)
        if not isinstance(content["rows"], list):
            raise BackupError("bad_table", table=table.name)
        if checked:
            entry = manifest[table.name]
            if not isinstance(entry, dict) or entry.get("rows") != len(content["rows"]):
                found = len(content["rows"])
                expected_rows = entry.get("rows") if isinstance(entry, dict) else "?"
                raise BackupError("count", table=table.name, expected=str(expected_rows)[:20], found=found)
            if entry.get("sha256") != _checksum(content):
                raise BackupError("checksum", table=table.name)
        for number, row in enumerate(content["rows"], start=1):
            if not isinstance(row, list) or len(row) != len(columns):
                raise BackupError("bad_row", table=table.name, row=number)
            for column, value in zip(table.columns, row, strict=True):
                if not _valid(column, value):
                    raise BackupError("bad_cell", table=table.name, row=number, column=column.name)
        rows[table.name] = [
            {c.name: _typed(c, v) for c, v in zip(table.columns, row, strict=True)} for row in content["rows"]
        ]
    return rows, checked


# --- restoring ------------------------------------------------------------------------------------------


@contextmanager
def _alone(engine: Engine):
    """A transaction no other writer works beside: on PostgreSQL the restore key that every write of
    reported values holds shared (`writes.serialised`), then every table against writes (reads go on,
    and see the old content until the commit); on SQLite the database's write lock."""
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(RESTORE_LOCK_KEY)))
            names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
            connection.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
        yield connection


def _keep_path(keep_dir: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return Path(keep_dir) / f"mirps-before-restore-{stamp}.json"


def _write_kept(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as file:  # never over another file
        file.write(content)
        file.flush()
        os.fsync(file.fileno())


RETRIED = ("40P01", "40001", "55P03")  # deadlock, serialization failure, lock not available: try again
ATTEMPTS = 3


def restore(engine: Engine, raw: bytes, keep_dir: Path, *, by: str = "cli") -> Restored:
    """Replace every table with the file's rows, in one transaction, after checking the file whole; what
    it replaces is kept first in a new file under `keep_dir`. `BackupError` with nothing changed otherwise.

    A writer that does not take turns (a sign-in, a reference import) can meet the restore's table locks in
    the other order; the database then ends one of the two, and a restore it ended starts again."""
    database.upgrade(engine)
    with engine.connect() as connection:
        revision = _revision(connection)
    rows, checked = read(raw, revision)
    for attempt in range(1, ATTEMPTS + 1):
        kept = _keep_path(keep_dir)
        try:
            counts, sessions_ended = _replace(engine, rows, kept, by)
        except DBAPIError as error:  # rows the database refuses (keys, references) or a lock it gave up on
            _forget(kept)  # nothing was replaced: the copy is of what is still there
            if getattr(getattr(error, "orig", None), "sqlstate", None) in RETRIED and attempt < ATTEMPTS:
                continue
            reason = str(getattr(error, "orig", error)).splitlines()[0][:200]
            raise BackupError("refused_rows", why=reason) from None
        except BackupError:
            _forget(kept)
            raise
        return Restored(counts, kept, sessions_ended, checked)
    raise AssertionError("unreachable")  # the last attempt returns or raises


def _replace(engine: Engine, rows: dict[str, list[dict]], kept: Path, by: str) -> tuple[dict[str, int], int]:
    with _alone(engine) as connection:
        try:
            _write_kept(kept, _encode(_document(connection)))
        except OSError as error:
            raise BackupError("keep_failed", path=str(kept), why=error.strerror or type(error).__name__) from None
        sessions = connection.execute(select(func.count()).select_from(Base.metadata.tables["auth_session"]))
        sessions_ended = sessions.scalar_one()
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
        for table in _tables():
            if rows[table.name]:
                connection.execute(insert(table), rows[table.name])
        if engine.dialect.name == "postgresql":  # explicit ids leave the sequences behind
            for table in Base.metadata.sorted_tables:
                if "id" in table.c and table.c.id.autoincrement is not False:
                    last = func.coalesce(select(func.max(table.c.id)).scalar_subquery(), 0)
                    sequence = func.pg_get_serial_sequence(table.name, "id")
                    connection.execute(select(func.setval(sequence, last + 1, False)))
        counts = {name: len(table_rows) for name, table_rows in rows.items()}
        detail = f"{sum(counts.values())} rows in {len(counts)} tables; replaced content kept in {kept.name}"
        connection.execute(insert(AuditEntry).values(username=by, action="restore", outcome="ok", detail=detail))
        datastamp.bump(connection)
    return counts, sessions_ended


def _forget(kept: Path) -> None:
    with suppress(OSError):  # it was never written (the folder is not one)
        kept.unlink(missing_ok=True)


def default_keep_dir(engine: Engine, restored_file: Path) -> Path:
    """Where a restore keeps what it replaces unless told: beside an SQLite database's file, else beside
    the file being restored (a folder whoever restores can read and write)."""
    database_file = engine.url.database if engine.dialect.name == "sqlite" else None
    if database_file and database_file != ":memory:":
        return Path(database_file).resolve().parent
    return Path(restored_file).resolve().parent
