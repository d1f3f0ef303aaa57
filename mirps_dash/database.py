"""The connection to the database and bringing its schema to head with Alembic.

No wait on the database is unbounded: a new connection gives up after `settings.db_connect_timeout()`, a
statement after `settings.db_statement_timeout()` (PostgreSQL cancels it), a SQLite lock held by another
connection after `settings.db_busy_timeout()`, a free connection of the pool after
`settings.db_pool_timeout()`. A frozen server (stopped, or a machine paused) still accepts connections in
the kernel and takes every byte sent, and answers nothing, which no server-side timeout can end: the check
each page makes first (`ping`) and every read (`bounded`) give up on it from this side.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url, text

from mirps_dash import settings

T = TypeVar("T")


class DatabaseTimeout(TimeoutError):
    """The database did not answer in time: a frozen or unreachable server."""


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: `settings.database_url()`); SQLite gets its folder, foreign keys and a
    busy timeout, PostgreSQL a connect and a statement timeout; both a pool timeout."""
    url = url or settings.database_url()
    parsed = make_url(url)
    pool_timeout = settings.db_pool_timeout()
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": settings.db_busy_timeout()}, pool_timeout=pool_timeout)
        event.listen(engine, "connect", _sqlite_foreign_keys)
        return engine
    connect_args = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": libpq_connect_timeout(parsed), "options": _postgres_options(parsed)}
    return create_engine(
        url, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_timeout=pool_timeout, connect_args=connect_args
    )


def libpq_connect_timeout(parsed=None) -> int:
    """The URL's own `connect_timeout`, else the setting; libpq takes whole seconds, and at least 2."""
    own = parsed.query.get("connect_timeout") if parsed is not None else None
    if isinstance(own, str) and own.isdigit():
        return int(own)
    return max(2, math.ceil(settings.db_connect_timeout()))


def _postgres_options(parsed) -> str:
    """The server options of every connection: the URL's own, then the statement timeout."""
    own = parsed.query.get("options", "")
    own = " ".join(own) if isinstance(own, tuple) else own
    return f"{own} -c statement_timeout={round(settings.db_statement_timeout() * 1000)}".strip()


def adbc_postgres_uri(url: str) -> str:
    """The libpq URI an ADBC connection opens, with the same connect and statement timeouts."""
    parsed = make_url(url)
    base = parsed.set(drivername="postgresql").difference_update_query(["connect_timeout", "options"])
    rendered = base.render_as_string(hide_password=False)
    # libpq decodes %20 in a URI but not "+", which is how SQLAlchemy writes a space.
    timeouts = f"connect_timeout={libpq_connect_timeout(parsed)}&options={quote(_postgres_options(parsed), safe='')}"
    return f"{rendered}{'&' if '?' in rendered else '?'}{timeouts}"


def adbc_sqlite_busy_timeout(connection):
    """An ADBC SQLite connection that waits for another connection's lock as the engine's do."""
    cursor = connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {round(settings.db_busy_timeout() * 1000)}")
    finally:
        cursor.close()
    return connection


def bounded(work: Callable[[], T], seconds: float) -> T:
    """`work()`, or `DatabaseTimeout` when it has not returned after `seconds`.

    A call into a driver waiting on a frozen server cannot be interrupted, so it runs on a thread of its
    own that is left to finish (or fail) when the server comes back or goes away; nothing waits for it.
    Only for reads: a write given up on might still commit.
    """
    done = threading.Event()
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the caller as it is
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, name="mirps-bounded-read", daemon=True).start()
    if not done.wait(seconds):
        raise DatabaseTimeout(f"no answer from the database in {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def read_timeout() -> float:
    """How long a read may wait for its answer: a connection, then the longest statement."""
    return settings.db_connect_timeout() + settings.db_statement_timeout()


def ping(engine: Engine) -> None:
    """Raise the driver's error if the database cannot be reached now, or `DatabaseTimeout` if it does not
    answer within `settings.db_connect_timeout()`. Cached reads would otherwise let a page draw figures
    from before an outage and fail halfway down; one round trip per page run is cheap."""

    def select_one() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    bounded(select_one, settings.db_connect_timeout())


def is_busy(error: BaseException) -> bool:
    """Whether `error` means "busy" rather than "unreachable": a SQLite lock held past the busy timeout,
    or a PostgreSQL statement cancelled by its timeout or waiting for a lock."""
    seen = error
    while seen is not None:
        if getattr(seen, "sqlstate", None) in ("57014", "55P03"):  # query_canceled, lock_not_available
            return True
        message = str(seen).lower()
        if "database is locked" in message or "database table is locked" in message:
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


def _sqlite_foreign_keys(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(settings.MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest migration (a no-op when it is there already)."""
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@functools.cache
def head_revision() -> str | None:
    """The newest migration shipped with this code. It cannot change while the process runs, and reading
    the migration scripts took a tenth of a page's first run after the caches were cleared."""
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def is_at_head(engine: Engine) -> bool:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head_revision()
