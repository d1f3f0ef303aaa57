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
