"""A database that stops answering never hangs a page: a frozen PostgreSQL server (one stopped with
SIGSTOP, or a machine paused) gives the plain "cannot reach the database" message within 10 s and the
pages recover by themselves when it answers again; a SQLite lock held by another connection gives a
"busy" message after the busy timeout.

The freeze is a TCP proxy in front of the test server that, frozen, does what a stopped server does:
connections are still accepted (the kernel's backlog does that for a stopped process) and every byte
sent is taken, but nothing is answered, on new connections and on those already open, until it thaws.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import event, func, make_url, select, text

from mirps_dash import database, i18n, load, queries
from mirps_dash.schema import Population
from tests.conftest import clear_streamlit_caches, fresh_postgres_database, open_page

PAGE_BOUND = 10.0  # seconds: the bound for the page's message
CONNECT, STATEMENT = 2.0, 3.0  # the timeouts these tests run with (the defaults are 5 s and 30 s)


class FreezableProxy:
    """Forwards 127.0.0.1:`port` to `target`; `freeze()` stops answering, `thaw()` goes on."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thawed = threading.Event()
        self.thawed.set()
        self.closed = False
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self.thawed.clear()

    def thaw(self) -> None:
        self.thawed.set()

    def close(self) -> None:
        self.closed = True
        self.thawed.set()
        for sock in [self.listener, *self.sockets]:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.sockets.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        self.thawed.wait()  # accepted, but a frozen server does not start the session
        try:
            upstream = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        self.sockets.append(upstream)
        threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()
        self._pump(client, upstream)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                self.thawed.wait()  # taken, but not answered while frozen
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def outcome_within(seconds: float, work: Callable[[], object]) -> tuple[float, BaseException | None]:
    """How long `work()` took and what it raised; a test failure (not a hung test) if it takes longer than
    `seconds`, which is what today's unbounded waits do."""
    result: dict = {}

    def run() -> None:
        started = time.monotonic()
        try:
            work()
        except BaseException as error:  # reported to the test
            result["error"] = error
        result["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting for the database after {seconds} s"
    return result["elapsed"], result.get("error")


@pytest.fixture(scope="module")
def loaded_postgres(postgres_server):
    with fresh_postgres_database(postgres_server, prefix="mirps_frozen") as url:
        engine = database.make_engine(url)
        load.load_shipped_data(engine)
        engine.dispose()
        yield url


@pytest.fixture
def frozen_server(loaded_postgres, monkeypatch):
    """The loaded test database behind a freezable proxy: (proxy, URL through it)."""
    monkeypatch.setenv("MIRPS_DB_CONNECT_TIMEOUT", str(CONNECT))
    monkeypatch.setenv("MIRPS_DB_STATEMENT_TIMEOUT", str(STATEMENT))
    parsed = make_url(loaded_postgres)
    proxy = FreezableProxy((parsed.host or "127.0.0.1", parsed.port or 5432))
    try:
        yield proxy, parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    finally:
        proxy.close()


TOTAL = select(func.count()).select_from(Population)


@pytest.mark.postgres
@pytest.mark.parametrize("adbc", [True, False], ids=["adbc", "sqlalchemy"])
def test_reads_on_a_frozen_server_give_up_in_time_and_recover(frozen_server, adbc):
    proxy, url = frozen_server
    reader = queries.Reader(url, adbc=adbc)
    assert reader.uses_adbc is adbc
    database.ping(reader.engine)
    rows = reader.frame(TOTAL).item()  # the pools now hold connections that will freeze
    assert rows > 0
    proxy.freeze()
    try:
        elapsed, error = outcome_within(CONNECT + 5, lambda: database.ping(reader.engine))
        assert isinstance(error, database.DatabaseTimeout) and elapsed < CONNECT + 1
        # On the connection the pool kept (it waits for the statement), or a new one (it waits to connect).
        elapsed, error = outcome_within(CONNECT + STATEMENT + 5, lambda: reader.frame(TOTAL))
        assert error is not None and not database.is_busy(error), error
        assert elapsed < CONNECT + STATEMENT + 1
        fresh = database.make_engine(url)  # a new connection: accepted, never answered
        elapsed, error = outcome_within(CONNECT + 5, lambda: fresh.connect().close())
        assert error is not None and elapsed < CONNECT + 1.5, (elapsed, error)
        assert not database.is_busy(error)
    finally:
        proxy.thaw()
    deadline = time.monotonic() + 15  # the reads left waiting finish; nothing to restart
    while True:
        try:
            database.ping(reader.engine)
            assert reader.frame(TOTAL).item() == rows
            break
        except (database.DatabaseTimeout, OSError):
            assert time.monotonic() < deadline, "no recovery after the server answered again"
    reader.engine.dispose()


@pytest.mark.postgres
def test_the_page_says_the_database_cannot_be_reached_within_ten_seconds_and_recovers(frozen_server, monkeypatch):
    proxy, url = frozen_server
    monkeypatch.setenv("MIRPS_DATABASE_URL", url)
    clear_streamlit_caches()
    try:
        before = open_page(lang="en")  # warm, as a running server is: pools and cached figures
        assert not before.exception and not before.error and before.metric
        proxy.freeze()
        drawn = {}  # AppTest itself waits without end for a script stuck in the driver: bounded here
        elapsed, error = outcome_within(PAGE_BOUND + 20, lambda: drawn.setdefault("app", open_page(lang="en")))
        assert error is None, error
        frozen = drawn["app"]
        assert [e.value for e in frozen.error] == [i18n.t("db_unreachable", "en")]
        assert not frozen.metric, "no figures from before the freeze as if they were current"
        assert elapsed < PAGE_BOUND, f"the message took {elapsed:.1f} s"
        proxy.thaw()
        deadline = time.monotonic() + 20
        while True:
            after = open_page(lang="en")
            if not after.error:
                break
            assert time.monotonic() < deadline, "the page did not recover by itself"
            time.sleep(0.5)
        assert not after.exception and after.metric
    finally:
        proxy.thaw()
        clear_streamlit_caches()


@contextlib.contextmanager
def sqlite_locked(path: str):
    """Another process holding SQLite's exclusive lock (a command-line import, say): no one else reads or
    writes until it ends. Another process, because SQLite's locks are the process's file locks: a second
    copy of the library in the same process (the ADBC driver's) would not see them."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.communicate("", timeout=30)


HOLD_LOCK = """
import sqlite3, sys
holder = sqlite3.connect(sys.argv[1], isolation_level=None)
holder.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
holder.execute("ROLLBACK")
"""


BUSY = 1.0  # seconds: the busy timeout these tests run with (the default is 5 s)


@pytest.fixture
def locked_sqlite(loaded_sqlite_url, monkeypatch):
    monkeypatch.setenv("MIRPS_DB_BUSY_TIMEOUT", str(BUSY))
    return loaded_sqlite_url


@pytest.mark.parametrize("adbc", [True, False], ids=["adbc", "sqlalchemy"])
def test_a_sqlite_lock_gives_busy_after_the_busy_timeout_not_a_hang(locked_sqlite, adbc):
    reader = queries.Reader(locked_sqlite, adbc=adbc)
    assert reader.uses_adbc is adbc
    expected = reader.frame(TOTAL).item()
    with sqlite_locked(make_url(locked_sqlite).database):
        elapsed, error = outcome_within(BUSY + 10, lambda: reader.frame(TOTAL))
        assert error is not None and database.is_busy(error), error
        assert BUSY * 0.8 <= elapsed < BUSY + 2, elapsed  # it waited for the lock, and not for long
        with reader.engine.connect() as connection:
            elapsed, error = outcome_within(BUSY + 10, lambda: connection.execute(text("DELETE FROM audit_log")))
            assert error is not None and database.is_busy(error) and elapsed < BUSY + 2
    assert reader.frame(TOTAL).item() == expected  # the lock ended: reads go on
    reader.engine.dispose()


def test_a_locked_sqlite_database_gives_the_busy_message_on_the_page(locked_sqlite, monkeypatch):
    monkeypatch.setenv("MIRPS_DATABASE_URL", locked_sqlite)
    clear_streamlit_caches()
    try:
        assert not open_page(lang="en").error
        clear_streamlit_caches()  # figures cached before the lock would be drawn without asking
        with sqlite_locked(make_url(locked_sqlite).database):
            started = time.monotonic()
            page = open_page(lang="es")
            assert time.monotonic() - started < PAGE_BOUND
        assert [e.value for e in page.error] == [i18n.t("db_busy", "es")]
        assert not page.exception
        assert not open_page(lang="en").error
    finally:
        clear_streamlit_caches()


def test_timeouts_come_from_the_settings_and_reach_both_postgres_drivers(monkeypatch):
    monkeypatch.setenv("MIRPS_DB_CONNECT_TIMEOUT", "7")
    monkeypatch.setenv("MIRPS_DB_STATEMENT_TIMEOUT", "12.5")
    monkeypatch.setenv("MIRPS_DB_POOL_TIMEOUT", "3")
    engine = database.make_engine("postgresql+psycopg://u@h:1/db?options=-c%20search_path%3Dx")
    arguments = {}

    def capture(_dialect, _record, _args, parameters):
        arguments.update(parameters)
        raise ConnectionAbortedError("captured")

    event.listen(engine, "do_connect", capture)
    with pytest.raises(ConnectionAbortedError):
        engine.connect()
    assert arguments["connect_timeout"] == 7
    assert arguments["options"] == "-c search_path=x -c statement_timeout=12500"
    assert engine.pool.timeout() == 3
    uri = database.adbc_postgres_uri("postgresql+psycopg://u@h:1/db")
    assert uri.endswith("?connect_timeout=7&options=-c%20statement_timeout%3D12500")
    monkeypatch.setenv("MIRPS_DB_STATEMENT_TIMEOUT", "nonsense")
    assert database.make_engine("postgresql+psycopg://u@h:1/db").pool.timeout() == 3
    assert "statement_timeout%3D30000" in database.adbc_postgres_uri("postgresql+psycopg://u@h:1/db")
