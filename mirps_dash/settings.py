"""Where things are: project paths and the database URL.

The default database is an embedded SQLite file under data/ (git-ignored), so a newcomer needs no server;
`MIRPS_DATABASE_URL` points the same code at PostgreSQL (`postgresql+psycopg://...`).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_SQLITE = DATA_DIR / "mirps.sqlite"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

MIRPS_COUNTRIES: tuple[str, ...] = ("BLZ", "CRI", "SLV", "GTM", "HND", "MEX", "PAN")

# How long a cached read may live; data entry (later) clears the caches on every write.
CACHE_TTL_SECONDS = 600


def database_url() -> str:
    """The database this process uses: `MIRPS_DATABASE_URL`, else the embedded SQLite file."""
    return os.environ.get("MIRPS_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def _seconds(name: str, default: float) -> float:
    """A positive number of seconds from the environment variable `name`, else `default`."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


def db_connect_timeout() -> float:
    """`MIRPS_DB_CONNECT_TIMEOUT` (default 5 s): how long to wait for the database to answer at all, for a
    new connection and for the check every page makes first. A stopped or frozen server accepts the
    connection and never answers; past this the page says plainly that the database cannot be reached."""
    return _seconds("MIRPS_DB_CONNECT_TIMEOUT", 5.0)


def db_statement_timeout() -> float:
    """`MIRPS_DB_STATEMENT_TIMEOUT` (default 30 s): the longest one statement may run. PostgreSQL cancels
    it itself; a read the server never answers is given up on after as long again as a connection may take."""
    return _seconds("MIRPS_DB_STATEMENT_TIMEOUT", 30.0)


def db_busy_timeout() -> float:
    """`MIRPS_DB_BUSY_TIMEOUT` (default 5 s): how long SQLite waits for another connection's lock before
    the change or read is refused as "busy" (our transactions hold it for milliseconds)."""
    return _seconds("MIRPS_DB_BUSY_TIMEOUT", 5.0)


def db_pool_timeout() -> float:
    """`MIRPS_DB_POOL_TIMEOUT` (default 10 s): how long to wait for a free connection of the pool."""
    return _seconds("MIRPS_DB_POOL_TIMEOUT", 10.0)


def illustrative_data() -> bool:
    """Whether a fresh database gets the illustrative indicator data (`MIRPS_ILLUSTRATIVE_DATA=1|0`).

    On by default for the embedded SQLite demo, so a newcomer sees the whole product; off by default
    for a configured database, so a real deployment starts with real data only."""
    flag = os.environ.get("MIRPS_ILLUSTRATIVE_DATA")
    if flag in ("0", "1"):
        return flag == "1"
    return embedded_demo()


def online_base_map() -> bool:
    """`MIRPS_ONLINE_BASE_MAP=1` draws a tile base map under the outlines; off by default, because plenary
    rooms and government networks often block tile servers and the maps must work with no network."""
    return os.environ.get("MIRPS_ONLINE_BASE_MAP") == "1"


def embedded_demo() -> bool:
    """The embedded SQLite demo a newcomer runs with no configuration."""
    return "MIRPS_DATABASE_URL" not in os.environ


def public_viewing() -> bool:
    """`MIRPS_PUBLIC_VIEWING=1|0`: may visitors who have not signed in see the published figures?
    On by default: the published figures are public data; a deployment can require sign-in for all."""
    return os.environ.get("MIRPS_PUBLIC_VIEWING", "1") != "0"


MIN_COOKIE_KEY_BYTES = 32
_DEMO_COOKIE_KEY = secrets.token_hex(MIN_COOKIE_KEY_BYTES)  # per process: demo sign-ins end on restart


class WeakCookieKey(RuntimeError):
    """The sign-in cookie key is missing or shorter than 32 bytes outside the embedded demo."""


def cookie_key(configured: str | None = None) -> str:
    """The key that signs sign-in cookies: `configured` (from Streamlit secrets), else `MIRPS_COOKIE_KEY`.
    Every replica of a deployment must share it. The embedded demo may run without one."""
    key = configured or os.environ.get("MIRPS_COOKIE_KEY")
    if key and len(key.encode()) >= MIN_COOKIE_KEY_BYTES:
        return key
    if key is None and embedded_demo():
        return _DEMO_COOKIE_KEY
    raise WeakCookieKey(f"MIRPS_COOKIE_KEY must hold at least {MIN_COOKIE_KEY_BYTES} random bytes")
