"""The restore reader against any bytes (hypothesis): each file is either refused, with nothing in the
database changed and no copy of it kept, or accepted, and then the database holds exactly the file's tables
(plus the audit entry the restore writes about itself)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mirps_dash import accounts, backup, database
from tests.test_load import fingerprint


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small database (schema, two accounts, an audit log) and a valid backup of it."""
    engine = database.make_engine(f"sqlite:///{tmp_path_factory.mktemp('reader') / 'mirps.sqlite'}")
    database.upgrade(engine)
    accounts.add_user(engine, "sec", "admin", "a long enough password")
    accounts.add_user(engine, "ntt-hnd", "ntt", "a long enough password", "HND")
    return engine, backup.dump(engine)


def sealed(document: dict) -> bytes:
    document["manifest"] = {
        name: {"rows": len(content["rows"]), "sha256": backup._checksum(content)}
        for name, content in document["tables"].items()
        if isinstance(content, dict) and isinstance(content.get("rows"), list)
    }
    return json.dumps(document).encode()


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([2**63, -(2**63) - 1, 2**31]),  # past what the drivers and an INTEGER column take
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["admin", "\ud800", "a\x00b"]),  # a role; a lone surrogate; a NUL no database stores
)


@st.composite
def files(draw, valid: bytes) -> bytes:
    """Anything: random bytes, or a valid backup cut, with bytes changed, a table or key gone, or a cell
    changed (with its manifest made to match again, as someone editing the file could)."""
    how = draw(st.sampled_from(["bytes", "cut", "flip", "drop", "cell", "cell sealed", "whole"]))
    if how == "bytes":
        return draw(st.binary(max_size=400))
    if how == "whole":
        return valid
    if how == "cut":
        return valid[: draw(st.integers(0, len(valid)))]
    if how == "flip":
        at = draw(st.integers(0, len(valid) - 1))
        return valid[:at] + bytes([draw(st.integers(0, 255))]) + valid[at + 1 :]
    document = json.loads(valid)
    if how == "drop":
        where = draw(st.sampled_from(["tables", "manifest", "document"]))
        holder = document if where == "document" else document[where]
        holder.pop(draw(st.sampled_from(sorted(holder))))
        return json.dumps(document).encode()
    filled = sorted(name for name, content in document["tables"].items() if content["rows"])
    table = document["tables"][draw(st.sampled_from(filled))]
    row = draw(st.integers(0, len(table["rows"]) - 1))
    table["rows"][row][draw(st.integers(0, len(table["columns"]) - 1))] = draw(CELLS)
    return sealed(document) if how == "cell sealed" else json.dumps(document).encode()


def content(tables: dict) -> dict:
    """The tables as sets of rows (a backup lists them in key order, an edited file may not; a float column
    gives back 5 as 5.0), without the audit entries restores write about themselves."""

    def plain(row):
        return repr([float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in row])

    action = tables["audit_log"]["columns"].index("action")
    log = [row for row in tables["audit_log"]["rows"] if row[action] != "restore"]
    tables = tables | {"audit_log": tables["audit_log"] | {"rows": log}}
    return {name: (table["columns"], sorted(map(plain, table["rows"]))) for name, table in tables.items()}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_file_is_refused_with_nothing_changed_or_restored_exactly(small, data):
    engine, valid = small
    raw = data.draw(files(valid))
    before = fingerprint(engine)
    with tempfile.TemporaryDirectory() as keep:
        try:
            restored = backup.restore(engine, raw, Path(keep))
        except backup.BackupError as refused:
            event(f"refused: {refused.code}")
            assert refused.message("es") and refused.message("en")
            assert fingerprint(engine) == before
            assert not list(Path(keep).iterdir())
            return
        event("accepted")
        assert restored.kept.exists()
    after = json.loads(backup.dump(engine))["tables"]
    assert content(after) == content(json.loads(raw)["tables"])
    with tempfile.TemporaryDirectory() as keep:
        backup.restore(engine, valid, Path(keep))  # back to the valid content for the next example
