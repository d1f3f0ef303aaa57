"""Shared fixtures: databases (a loaded SQLite per session, empty ones per test, PostgreSQL when given)
and AppTest helpers. CI sets MIRPS_REQUIRE_POSTGRES/MIRPS_REQUIRE_BROWSER so a missing server fails."""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import create_engine, make_url, text
from streamlit.testing.v1 import AppTest

from bench.run import as_served
from mirps_dash import database, demo, load

ROOT = Path(__file__).resolve().parent.parent
# Tests point the app at databases of their own (MIRPS_DATABASE_URL), which outside the embedded demo
# requires a sign-in cookie key; this one is for tests only and random per run.
os.environ.setdefault("MIRPS_COOKIE_KEY", uuid.uuid4().hex + uuid.uuid4().hex)


def skip_or_fail(requirement: str, reason: str) -> None:
    """Skip locally; fail where the environment promises the requirement (CI)."""
    if os.environ.get(requirement) == "1":
        pytest.fail(f"{reason} (required by {requirement}=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def loaded_sqlite_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('loaded') / 'mirps.sqlite'}"
    load.load_shipped_data(database.make_engine(url))
    return url


@pytest.fixture
def empty_sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'mirps.sqlite'}"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    url = os.environ.get("MIRPS_TEST_POSTGRES_URL")
    if not url:
        skip_or_fail("MIRPS_REQUIRE_POSTGRES", "no PostgreSQL server: set MIRPS_TEST_POSTGRES_URL")
    return url


@contextlib.contextmanager
def fresh_postgres_database(server: str, prefix: str = "mirps_test"):
    """A new, empty database on `server` (its URL), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_postgres_url(postgres_server):
    """A new, empty database on the test server, dropped afterwards."""
    with fresh_postgres_database(postgres_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request) -> str:
    """An empty database of each kind: the same test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("empty_sqlite_url")
    return request.getfixturevalue("empty_postgres_url")


@pytest.fixture
def demo_engine(empty_url):
    """An engine on an empty database of each kind, loaded with the shipped and the illustrative data."""
    from mirps_dash import demo

    engine = database.make_engine(empty_url)
    load.load_shipped_data(engine)
    demo.load(engine)
    return engine


def clear_streamlit_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def app_pointed_at(url: str, monkeypatch):
    """Point the app at `url`, with caches cleared before and after (a generator for fixtures)."""
    monkeypatch.setenv("MIRPS_DATABASE_URL", url)
    clear_streamlit_caches()
    yield url
    clear_streamlit_caches()


@pytest.fixture
def app_database(loaded_sqlite_url, monkeypatch) -> str:
    yield from app_pointed_at(loaded_sqlite_url, monkeypatch)


@pytest.fixture(scope="module")
def demo_sqlite_url(tmp_path_factory) -> str:
    """The shipped data and the illustrative indicators, values and funding."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    demo.load(engine)
    return url


@pytest.fixture
def demo_database(demo_sqlite_url, monkeypatch) -> str:
    yield from app_pointed_at(demo_sqlite_url, monkeypatch)


def new_app() -> AppTest:
    """The dashboard's entry script under AppTest, not yet run."""
    return as_served(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))


def open_page(script: str = "app.py", **query: str) -> AppTest:
    """Run a page the way a deep link does: the entry script with the page switched to and the query set."""
    app = new_app()
    for key, value in query.items():
        app.query_params[key] = value
    if script != "app.py":
        app.switch_page(script)
    return app.run()


def shown_table(app: AppTest, first_header: str) -> list[dict[str, str]]:
    """The rows of the Markdown table on the page whose first column is `first_header`, by header (a mark
    may stand above it)."""
    table = next(m.value for m in app.markdown if f"\n| {first_header} |" in f"\n{m.value}")
    header, _rule, *rows = [markdown_cells(line) for line in table.splitlines() if line.startswith("|")]
    return [dict(zip(header, row, strict=True)) for row in rows]


def markdown_cells(line: str) -> list[str]:
    """A Markdown table's line, cell by cell (empty ones too), at the pipes a cell does not escape."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
