"""Writers at the same moment: an approval clicked while an import is being written, and importers,
approvers and a restore running together against one PostgreSQL database. Afterwards every value's history
is one unbroken chain ending at the value, and the audit log holds every action the restore did not undo."""

from __future__ import annotations

import itertools
import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from mirps_dash import access, backup, database, demo, load, writes
from mirps_dash.intake import Rejected

PPT = access.Actor("ppt", "ppt")
ADMIN = access.Actor("sec", "admin")
PERIOD = 2021


def codes(engine, country: str) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                text(
                    "SELECT i.code FROM indicator i JOIN commitment c ON c.id = i.commitment_id "
                    "WHERE c.country_iso3 = :country ORDER BY i.code"
                ),
                {"country": country},
            ).scalars()
        )


def current(engine, code: str, period: int) -> tuple[float, str, int] | None:
    with engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT v.value, v.status, v.version FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id "
                "WHERE i.code = :code AND v.period = :period"
            ),
            {"code": code, "period": period},
        ).one_or_none()
    return tuple(found) if found else None


def broken_chains(engine) -> list[str]:
    """Every value whose history is not one chain: versions consecutive without gaps or repeats, each old
    value the previous new one, the newest equal to the value itself (value, status and version)."""
    with engine.connect() as connection:
        values = connection.execute(text("SELECT indicator_id, period, value, status, version FROM indicator_value"))
        now = {(r.indicator_id, r.period): r for r in values}
        history = connection.execute(
            text(
                "SELECT indicator_id, period, version, old_value, new_value, status FROM indicator_value_history "
                "ORDER BY indicator_id, period, version, id"
            )
        ).all()
    problems = []
    for key, rows in itertools.groupby(history, key=lambda r: (r.indicator_id, r.period)):
        rows = list(rows)
        versions = [r.version for r in rows]
        value = now.get(key)
        if value is None:
            problems.append(f"{key}: history without a value")
            continue
        if versions != list(range(versions[0], versions[0] + len(versions))) or versions[0] not in (1, 2):
            problems.append(f"{key}: versions {versions}")
        if any(later.old_value != earlier.new_value for earlier, later in itertools.pairwise(rows)):
            problems.append(f"{key}: a link of the chain is broken")
        newest = rows[-1]
        if (newest.version, newest.new_value, newest.status) != (value.version, value.value, value.status):
            problems.append(f"{key}: newest history {tuple(newest)} but value {tuple(value)}")
    return problems


def test_an_approval_clicked_while_an_import_is_being_written_waits_and_refuses(demo_engine, monkeypatch):
    """The issue's race: the reviewer saw 111; an import of 999 is mid-write when "approve" is clicked. The
    approval waits for the import, then finds the version moved: 999 stays submitted, one history row per
    version."""
    engine = demo_engine
    code = codes(engine, "HND")[0]
    hnd = access.Actor("ntt-hnd", "ntt", "HND")
    writes.apply(engine, hnd, [writes.ValueRow(2, code, PERIOD, 111.0, current(engine, code, PERIOD)[2], None)])
    seen = writes.review_batch(engine, PPT, "HND", PERIOD).versions
    written, release = threading.Event(), threading.Event()
    monkeypatch.setattr(writes, "_test_only_pause", lambda: (written.set(), release.wait(30)))
    outcomes: dict[str, object] = {}

    def run(name, work):
        try:
            outcomes[name] = work()
        except Exception as error:  # the test looks at whatever came out
            outcomes[name] = error

    version = current(engine, code, PERIOD)[2]
    importer = threading.Thread(
        target=run,
        args=("import", lambda: writes.apply(engine, hnd, [writes.ValueRow(2, code, PERIOD, 999.0, version, None)])),
    )
    importer.start()
    assert written.wait(30)
    approver = threading.Thread(target=run, args=("approve", lambda: writes.approve(engine, PPT, "HND", PERIOD, seen)))
    approver.start()
    time.sleep(0.5)  # the approval has begun and waits for the import's transaction
    release.set()
    importer.join(60)
    approver.join(60)
    assert not isinstance(outcomes["import"], Exception), outcomes["import"]
    assert isinstance(outcomes["approve"], Rejected), outcomes["approve"]
    assert {p.code for p in outcomes["approve"].problems} == {"changed_since_review"}
    assert current(engine, code, PERIOD)[:2] == (999.0, "submitted")
    assert ("HND", PERIOD) not in writes.locked_periods(engine)
    assert broken_chains(engine) == []


# --- everything at once, on PostgreSQL ------------------------------------------------------------------

SECONDS = 8.0


@dataclass
class Done:
    """One action a worker took: what, its tag (in the history or the audit detail), when, and the outcome."""

    action: str
    tag: str
    started: float
    ended: float
    outcome: str  # ok, rejected, or the name of an exception nobody expected


def _worker(name: str, deadline: float, log: list[Done], step) -> None:
    rng = random.Random(name)
    for number in itertools.count():
        if time.monotonic() > deadline:
            return
        tag = f"{name}-{number}"
        started = time.monotonic()
        try:
            action = step(rng, tag)
            outcome = "ok"
        except Rejected as rejected:
            action, outcome = getattr(rejected, "action", "?"), "rejected"
        except Exception as error:  # recorded, and the test fails on it
            action, outcome = "?", f"{type(error).__name__}: {error}"
        log.append(Done(action, tag, started, time.monotonic(), outcome))


@pytest.fixture
def busy_engine(empty_postgres_url):
    engine = database.make_engine(empty_postgres_url)
    load.load_shipped_data(engine)
    demo.load(engine)
    return engine


def test_importers_approvers_and_a_restore_at_once_leave_every_chain_whole(busy_engine, tmp_path):
    engine = busy_engine
    periods = (PERIOD, PERIOD + 1)
    saved = backup.dump(engine)
    teams = {"HND": access.Actor("ntt-hnd", "ntt", "HND"), "GTM": access.Actor("ntt-gtm", "ntt", "GTM")}
    country_codes = {country: codes(engine, country)[:4] for country in teams}
    counter = itertools.count(1000)
    log: list[Done] = []
    restores: list[tuple[float, float]] = []

    def import_one(country):
        def step(rng, tag):
            code, period = rng.choice(country_codes[country]), rng.choice(periods)
            now = current(engine, code, period)
            version = None if now is None or rng.random() < 0.2 else now[2]  # some write blind, as a CSV may
            row = writes.ValueRow(2, code, period, float(next(counter)), version, tag)
            try:
                writes.apply(engine, teams[country], [row])
            except Rejected as rejected:
                rejected.action = "import_indicator_values"
                raise
            return "import_indicator_values"

        return step

    def review(rng, tag):
        country, period = rng.choice(list(teams)), rng.choice(periods)
        action = rng.choice(["approve", "publish", "unlock"])
        try:
            if action == "unlock":
                writes.unlock(engine, ADMIN, country, period, tag)
            else:
                seen = writes.review_batch(engine, PPT, country, period).versions
                if action == "approve":
                    writes.approve(engine, PPT, country, period, seen, tag)
                else:
                    writes.publish(engine, PPT, country, period, seen)
        except Rejected as rejected:
            rejected.action = action
            raise
        return action

    def restore_twice():
        for _ in range(2):
            time.sleep(SECONDS / 3)
            started = time.monotonic()
            backup.restore(engine, saved, tmp_path / "kept", by="restorer")
            restores.append((started, time.monotonic()))

    deadline = time.monotonic() + SECONDS
    threads = [
        threading.Thread(target=_worker, args=(f"hnd{n}", deadline, log, import_one("HND"))) for n in range(2)
    ] + [
        threading.Thread(target=_worker, args=("gtm", deadline, log, import_one("GTM"))),
        threading.Thread(target=_worker, args=("ppt", deadline, log, review)),
        threading.Thread(target=restore_twice),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + 120)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    assert len(restores) == 2
    assert [d for d in log if d.outcome not in ("ok", "rejected")] == []
    assert sum(d.outcome == "ok" for d in log) > 10  # the workers did work, not only wait
    assert broken_chains(engine) == []

    # The audit log since the last restore: what finished after it is there, what finished before it was undone.
    restored_at, restore_done = restores[-1]
    with engine.connect() as connection:
        since = connection.execute(text("SELECT max(id) FROM audit_log WHERE action = 'restore'")).scalar_one()
        audit = connection.execute(
            text("SELECT action, outcome, detail FROM audit_log WHERE id > :since ORDER BY id"), {"since": since}
        ).all()
        reasons = set(connection.execute(text("SELECT reason FROM indicator_value_history")).scalars())
    for action in ("import_indicator_values", "approve", "publish", "unlock"):
        for outcome in ("ok", "rejected"):
            mine = [d for d in log if (d.action, d.outcome) == (action, outcome)]
            after = sum(d.started > restore_done for d in mine)
            overlapping = sum(d.ended > restored_at and d.started <= restore_done for d in mine)
            logged = sum((a.action, a.outcome) == (action, outcome) for a in audit)
            assert after <= logged <= after + overlapping, (action, outcome, after, overlapping, logged)
    for done in log:
        if done.action == "import_indicator_values" and done.outcome == "ok" and done.started > restore_done:
            assert done.tag in reasons
        if done.action in ("approve", "unlock") and done.outcome == "ok" and done.started > restore_done:
            assert any(done.tag in a.detail for a in audit if a.action == done.action)
        if done.ended < restored_at and done.outcome == "ok" and done.action == "import_indicator_values":
            assert done.tag not in reasons  # undone by the restore, history and all
    assert Path(tmp_path / "kept").is_dir() and len(list((tmp_path / "kept").iterdir())) == 2


def test_a_restore_that_meets_a_writer_in_the_other_order_starts_again(empty_postgres_url, tmp_path):
    """A writer that does not take turns holds one table and then wants one the restore locked already:
    PostgreSQL ends the restore's attempt as a deadlock (the restore waited first, so it finds the cycle),
    and the restore runs again once the writer is done."""
    engine = database.make_engine(empty_postgres_url)
    database.upgrade(engine)
    saved = backup.dump(engine)
    holding, outcomes = threading.Event(), {}

    def writer():
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM period_lock WHERE country_iso3 = 'XXX'"))  # holds period_lock
            holding.set()
            waiting = (
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'period_lock' AND NOT l.granted"
            )
            with engine.connect() as watcher:  # until the restore has locked audit_log and waits for period_lock
                while not watcher.execute(text(waiting)).scalar_one():
                    time.sleep(0.05)
            connection.execute(
                text(
                    "INSERT INTO audit_log (at, username, action, outcome, detail) VALUES (now(), 'w', 'w', 'ok', 'w')"
                )
            )
        outcomes["writer"] = "committed"

    def restorer():
        try:
            outcomes["restore"] = backup.restore(engine, saved, tmp_path)
        except Exception as error:  # the test looks at whatever came out
            outcomes["restore"] = error

    threads = [threading.Thread(target=writer)]
    threads[0].start()
    assert holding.wait(30)
    threads.append(threading.Thread(target=restorer))
    threads[1].start()
    for thread in threads:
        thread.join(60)
    assert isinstance(outcomes.get("restore"), backup.Restored), outcomes
    assert outcomes.get("writer") == "committed"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_log WHERE action = 'restore'")).scalar_one() == 1
    assert len(list(tmp_path.iterdir())) == 1  # the attempt that was ended kept no copy


def test_two_admins_adding_the_same_account_at_once_get_the_usual_message(empty_url, monkeypatch):
    """The name is checked, then inserted: another admin's insert of the same name committed between the two
    (here, by the clock read for the new row) is refused as "already exists", not a database traceback."""
    from sqlalchemy.exc import IntegrityError

    from mirps_dash import accounts

    engine = database.make_engine(empty_url)
    database.upgrade(engine)
    other = database.make_engine(empty_url)
    real_now = accounts._now

    def now_after_the_other_admin():
        monkeypatch.setattr(accounts, "_now", real_now)
        accounts.add_user(other, "team-hnd", "ntt", "a long enough password", "HND")
        return real_now()

    monkeypatch.setattr(accounts, "_now", now_after_the_other_admin)
    try:
        accounts.add_user(engine, "team-hnd", "ntt", "another long password", "HND")
    except IntegrityError as error:  # the defect: the database's own error
        pytest.fail(f"raw database error: {error}")
    except accounts.AccountError as error:
        assert error.code == "user_exists"
    else:
        pytest.fail("the second add was not refused")
    assert [user.username for user in accounts.list_users(engine)] == ["team-hnd"]
