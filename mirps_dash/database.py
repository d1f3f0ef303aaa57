"""The connection to the database and bringing its schema to head with Alembic."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url, text

from mirps_dash import settings


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: `settings.database_url()`); SQLite gets its folder and foreign keys."""
    url = url or settings.database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_foreign_keys)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def ping(engine: Engine) -> None:
    """Raise the driver's error if the database cannot be reached now. Cached reads would otherwise let a
    page draw figures from before an outage and fail halfway down; one round trip per page run is cheap."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


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
