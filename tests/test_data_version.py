"""The data version: every write of shown data gives it a new value in the write's own transaction, and
the app's cache reads it, so a figure written anywhere (another process, the command line, a restore, a
replica) is on the next page run, not up to the cache's time-to-live later."""

from __future__ import annotations

import ast
import inspect
import secrets
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from mirps_dash import (
    access,
    accounts,
    auth,
    backup,
    cache,
    cuts,
    database,
    datastamp,
    demo,
    i18n,
    load,
    queries,
    reference,
    writes,
)
from tests.conftest import ROOT, app_pointed_at, new_app
from tests.test_cli import run_cli

HND_TEAM = access.Actor("ntt-hnd", "ntt", "HND")
PPT = access.Actor("ppt", "ppt")
ADMIN = access.Actor("sec", "admin")
PERIOD = 2026  # no illustrative value is of this period: only what the tests write is in it
PASSWORD = "correct horse battery"


def hnd_code(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT MIN(i.code) FROM indicator i JOIN commitment c ON c.id = i.commitment_id "
                "WHERE c.country_iso3 = 'HND'"
            )
        ).scalar_one()


def decide(engine, step: str, *extra):
    """`writes.approve`, `send_back` or `publish` of HND's period by the PPT, naming the versions reviewed
    where the function asks for them."""
    function = getattr(writes, step)
    if "seen" in inspect.signature(function).parameters:
        seen = writes.review_batch(engine, PPT, "HND", PERIOD).versions
        return function(engine, PPT, "HND", PERIOD, seen, *extra)
    return function(engine, PPT, "HND", PERIOD, *extra)


# --- below the UI -----------------------------------------------------------------------------------


def test_a_database_without_the_table_has_the_empty_version_and_a_migrated_one_a_stamp(empty_url):
    engine = database.make_engine(empty_url)
    assert datastamp.current(engine) == datastamp.NONE  # a fresh database the first run has not migrated
    database.upgrade(engine)
    first = datastamp.current(engine)
    assert first != datastamp.NONE
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM data_version"))  # as a restore of a file without the row
        datastamp.bump(connection)
    assert datastamp.current(engine) not in (first, datastamp.NONE)


def test_every_write_of_shown_data_gives_a_new_version_and_nothing_else_does(demo_engine, tmp_path):
    """Each write path, in turn, on SQLite and PostgreSQL; refused, rejected and unchanged writes keep it."""
    engine = demo_engine
    code = hnd_code(engine)
    seen = [datastamp.current(engine)]

    def moved(label: str) -> None:
        now = datastamp.current(engine)
        assert now not in seen, f"{label} kept the data version"
        seen.append(now)

    def kept(label: str) -> None:
        assert datastamp.current(engine) == seen[-1], f"{label} changed the data version"

    writes.apply(engine, HND_TEAM, [writes.ValueRow(2, code, PERIOD, 10.0, None, None)])
    moved("an import")
    with pytest.raises(access.Refused):
        writes.apply(engine, access.Actor("ntt-gtm", "ntt", "GTM"), [writes.ValueRow(2, code, PERIOD, 1.0, 1, None)])
    kept("a refused import")
    with pytest.raises(writes.Rejected):
        writes.apply(engine, HND_TEAM, [writes.ValueRow(2, code, PERIOD, 1.0, 99, None)])
    kept("a version conflict")
    decide(engine, "approve")
    moved("an approval")
    writes.unlock(engine, ADMIN, "HND", PERIOD, "a correction")
    moved("an unlock")
    writes.apply(engine, HND_TEAM, [writes.ValueRow(2, code, PERIOD, 20.0, 2, None)])
    moved("a second import")
    decide(engine, "send_back", "check the source")
    moved("a return")
    writes.revert(engine, HND_TEAM, code, PERIOD, 1)
    moved("a revert")
    decide(engine, "approve")
    decide(engine, "publish")
    moved("a publication")
    cities = reference.kinds()["cities"]
    rows = reference.parse(cities, reference.export(engine, cities).encode())
    reference.apply(engine, ADMIN, cities, rows[:-1])
    moved("a reference import")
    reference.restore_version(engine, ADMIN, cities, 1)
    moved("a reference version brought back")
    reader = queries.Reader(engine.url.render_as_string(hide_password=False))
    cuts.create(reader, "Plenary", date(2026, 12, 1), actor=PPT)
    moved("a new data cut")
    saved = tmp_path / "backup.json"
    saved.write_bytes(backup.dump(engine))
    kept("a backup")
    restored = run_cli("restore", str(saved), url=engine.url.render_as_string(hide_password=False))
    assert restored.returncode == 0, restored.stderr
    moved("a restore")
    demo.purge(engine)
    moved("removing the illustrative data")
    demo.load(engine)
    moved("loading the illustrative data")
    load.load_shipped_data(engine)
    kept("a load of unchanged files")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM data_file WHERE name = 'cities_of_solidarity.csv'"))
    load.load_shipped_data(engine)
    moved("a load of a changed file")


# Modules whose transactions write nothing a page shows: sign-in accounts and sessions, the schema itself.
NOT_SHOWN_MODULES = {"accounts", "database"}
NOT_SHOWN_TABLES = {"AuditEntry"}  # read fresh by the audit page, never cached
WRITES = ("insert", "update", "delete")


def _transaction_openers(tree: ast.Module) -> set[str]:
    """Names of this module's context managers that yield a connection inside `engine.begin()`."""
    found = set()
    for node in ast.walk(tree):
        managed = isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Name) and d.id == "contextmanager" for d in node.decorator_list
        )
        if managed and any(_opens_transaction(w, set()) for w in ast.walk(node) if isinstance(w, ast.With)):
            found.add(node.name)
    return found


def _opens_transaction(node: ast.With, openers: set[str]) -> bool:
    for item in node.items:
        call = item.context_expr
        if isinstance(call, ast.Call):
            if isinstance(call.func, ast.Attribute) and call.func.attr == "begin":
                return True
            if isinstance(call.func, ast.Name) and call.func.id in openers:
                return True
    return False


def _writes_shown_data(block: ast.With) -> bool:
    """Whether a transaction may write rows a page shows: it inserts, updates or deletes rows of such a
    table, runs raw SQL, or hands its connection to another function (which may)."""
    names = {item.optional_vars.id for item in block.items if isinstance(item.optional_vars, ast.Name)}
    for node in ast.walk(block):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in WRITES:
            target = node.args[0] if node.args else None
            if not (isinstance(target, ast.Name) and target.id in NOT_SHOWN_TABLES):
                return True
        if isinstance(node.func, ast.Attribute) and node.func.attr == "exec_driver_sql":
            return True
        if any(isinstance(argument, ast.Name) and argument.id in names for argument in node.args):
            return True
    return False


def _bumps(block: ast.With) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "bump"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "datastamp"
        for node in ast.walk(block)
    )


def unbumped_write_transactions(package: Path = ROOT / "mirps_dash") -> list[str]:
    """Every write transaction of the package that writes shown data without `datastamp.bump`."""
    missing = []
    for path in sorted(package.glob("*.py")):
        if path.stem in NOT_SHOWN_MODULES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        openers = _transaction_openers(tree)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef) or function.name in openers:
                continue
            for block in ast.walk(function):
                transaction = isinstance(block, ast.With) and _opens_transaction(block, openers)
                if transaction and _writes_shown_data(block) and not _bumps(block):
                    missing.append(f"{path.stem}.{function.name} (line {block.lineno})")
    return missing


def test_every_write_transaction_in_the_package_bumps_the_data_version():
    """A new write path that forgets `datastamp.bump(connection)` fails here, naming itself: without it,
    every other app process serves the old figures until its cache expires."""
    assert unbumped_write_transactions() == []


def test_the_scan_finds_a_write_without_a_bump(tmp_path):
    (tmp_path / "forgetful.py").write_text(
        "def save(engine):\n"
        "    with engine.begin() as connection:\n"
        "        connection.execute(insert(City).values(city='x'))\n"
        "def load(engine):\n"
        "    with engine.begin() as connection:\n"
        "        _insert(connection, City, [])\n"
        "def log(engine):\n"
        "    with engine.begin() as connection:\n"
        "        connection.execute(insert(AuditEntry).values(detail='x'))\n",
        encoding="utf-8",
    )
    assert set(unbumped_write_transactions(tmp_path)) == {"forgetful.save (line 2)", "forgetful.load (line 5)"}


# --- through a page that stays open -----------------------------------------------------------------


@pytest.fixture
def live_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    demo.load(engine)
    for username, role, country in (("ppt", "ppt", None), ("ntt-hnd", "ntt", "HND")):
        accounts.add_user(engine, username, role, PASSWORD, country)
    with engine.connect() as connection:  # a value of another indicator, so the page offers the period
        other = connection.execute(
            text(
                "SELECT MAX(i.code) FROM indicator i JOIN commitment c ON c.id = i.commitment_id "
                "WHERE c.country_iso3 = 'HND'"
            )
        ).scalar_one()
    assert other != hnd_code(engine)
    writes.apply(engine, HND_TEAM, [writes.ValueRow(2, other, PERIOD, 11.0, None, None)])
    yield from app_pointed_at(url, monkeypatch)


def sign_in_as_ppt(app, url: str) -> None:
    token = secrets.token_urlsafe(32)
    accounts.open_session(database.make_engine(url), "ppt", token)
    app.session_state[auth.SIGNED_IN_KEY] = token


def plans_as_ppt(url: str):
    app = new_app()
    sign_in_as_ppt(app, url)
    for key, value in {"lang": "en", "country": "HND", "period": str(PERIOD)}.items():
        app.query_params[key] = value
    app.switch_page("pages/plans.py")
    return app.run()


def shown_text(app) -> str:
    assert i18n.t("section_matrix", "en", period=PERIOD) in [element.value for element in app.subheader]
    kinds = ("markdown", "caption", "info", "subheader")
    return "\n".join(str(element.value) for kind in kinds for element in getattr(app, kind))


def after_the_version_is_read_again() -> None:
    time.sleep(cache.VERSION_SECONDS * 1.5)


def test_an_import_from_another_process_is_on_the_open_page_at_its_next_run(live_url, tmp_path):
    engine = database.make_engine(live_url)
    code = hnd_code(engine)
    app = plans_as_ppt(live_url)
    assert not app.exception
    figure = i18n.number(54321, "en")
    assert figure not in shown_text(app)
    upload = tmp_path / "hnd.csv"
    upload.write_text(f"indicator_code,period,value\n{code},{PERIOD},54321\n", encoding="utf-8")
    before = backup.dump(engine)
    result = run_cli("import", "--kind", "indicator_values", "--as", "ntt-hnd", str(upload), url=live_url)
    assert result.returncode == 0, result.stderr
    after_the_version_is_read_again()
    app.run()  # the same open page, no cache cleared by hand
    assert not app.exception
    assert figure in shown_text(app)
    (tmp_path / "before.json").write_bytes(before)
    restored = run_cli("restore", str(tmp_path / "before.json"), url=live_url)
    assert restored.returncode == 0, restored.stderr
    sign_in_as_ppt(app, live_url)  # a restore ends every sign-in session
    after_the_version_is_read_again()
    app.run()
    assert figure not in shown_text(app)  # the restore took it away, and the page knows at once


def test_a_write_through_another_connection_is_on_the_open_page_at_its_next_run(live_url):
    """The same in one process, as another replica's write looks to this one: its own engine and
    connection, and nothing said to this process's cache."""
    app = plans_as_ppt(live_url)
    figure = i18n.number(65432, "en")
    assert figure not in shown_text(app)
    elsewhere = database.make_engine(live_url)
    writes.apply(elsewhere, HND_TEAM, [writes.ValueRow(2, hnd_code(elsewhere), PERIOD, 65432.0, None, None)])
    elsewhere.dispose()
    after_the_version_is_read_again()
    app.run()
    assert figure in shown_text(app)


def test_the_version_is_read_at_most_once_a_second_per_process(live_url, monkeypatch):
    reads = []
    current = datastamp.current
    monkeypatch.setattr(datastamp, "current", lambda engine: reads.append(1) or current(engine))
    cache.clear()
    for _ in range(20):
        cache.cities(live_url)
        cache.population_years(live_url)
    assert len(reads) == 1
    after_the_version_is_read_again()
    cache.cities(live_url)
    assert len(reads) == 2
