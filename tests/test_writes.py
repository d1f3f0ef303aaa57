"""Writes of reported values: validated with row and column, all-or-nothing, versioned, audited, and
authorised below the UI (a Honduran team calling the write functions for Guatemala is refused and logged)."""

from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy import text

from mirps_dash import access, accounts, i18n, writes
from tests.test_cli import run_cli
from tests.test_load import fingerprint

HND_TEAM = access.Actor("ntt-hnd", "ntt", "HND")


@pytest.fixture
def engine(demo_engine):
    return demo_engine


def code_of(engine, country: str) -> str:
    with engine.connect() as connection:
        return (
            connection.execute(
                text(
                    "SELECT i.code FROM indicator i JOIN commitment c ON c.id = i.commitment_id "
                    "WHERE c.country_iso3 = :country ORDER BY i.code"
                ),
                {"country": country},
            )
            .scalars()
            .first()
        )


def audit(engine) -> pl.DataFrame:
    with engine.connect() as connection:
        return pl.read_database("SELECT username, action, outcome, detail FROM audit_log ORDER BY id", connection)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_a_team_writes_its_own_country_with_history_and_audit(engine):
    code = code_of(engine, "HND")
    rows = writes.parse(csv_bytes("indicator_code,period,value", f"{code},2025,61.5"), writes.known_codes(engine))
    before = writes.preview(engine, rows)
    result = writes.apply(engine, HND_TEAM, rows, reason="annual report")
    assert len(result.new) + len(result.changed) == 1 == len(before.new) + len(before.changed)
    with engine.connect() as connection:
        history = connection.execute(text("SELECT new_value, changed_by, reason FROM indicator_value_history")).all()
    assert history == [(61.5, "ntt-hnd", "annual report")]
    assert audit(engine)["outcome"].to_list() == ["ok"]
    again = writes.apply(engine, HND_TEAM, rows)
    assert len(again.unchanged) == 1 and not again.new and not again.changed


def test_a_honduran_team_writing_for_guatemala_is_refused_logged_and_writes_nothing(engine):
    rows = writes.parse(
        csv_bytes(
            "indicator_code,period,value", f"{code_of(engine, 'HND')},2025,50", f"{code_of(engine, 'GTM')},2025,50"
        ),
        writes.known_codes(engine),
    )
    before = fingerprint(engine)
    with pytest.raises(access.Refused, match="GTM"):
        writes.apply(engine, HND_TEAM, rows)
    log = audit(engine)
    assert log["outcome"].to_list() == ["refused"] and "row 3" in log["detail"][0]
    with engine.connect() as connection:
        connection.execute(text("DELETE FROM audit_log"))
        connection.commit()
    assert fingerprint(engine) == before


@pytest.mark.parametrize("role", ["viewer", "public"])
def test_readers_may_not_write(engine, role):
    rows = writes.parse(
        csv_bytes("indicator_code,period,value", f"{code_of(engine, 'HND')},2025,50"), writes.known_codes(engine)
    )
    with pytest.raises(access.Refused):
        writes.apply(engine, access.Actor("someone", role), rows)


def test_two_people_editing_the_same_value_get_a_conflict_not_an_overwrite(engine):
    code = code_of(engine, "HND")
    known = writes.known_codes(engine)
    writes.apply(engine, HND_TEAM, writes.parse(csv_bytes("indicator_code,period,value", f"{code},2024,10"), known))
    with engine.connect() as connection:
        version = connection.execute(
            text(
                "SELECT v.version FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id "
                "WHERE i.code = :code AND v.period = 2024"
            ),
            {"code": code},
        ).scalar_one()
    first = writes.parse(csv_bytes("indicator_code,period,value,version", f"{code},2024,11,{version}"), known)
    second = writes.parse(csv_bytes("indicator_code,period,value,version", f"{code},2024,12,{version}"), known)
    writes.apply(engine, HND_TEAM, first)
    with pytest.raises(writes.Rejected) as raised:
        writes.apply(engine, access.Actor("ppt", "ppt"), second)
    assert raised.value.problems[0].code == "conflict"
    assert "version" in i18n.import_problem(raised.value.problems[0], "en")


BAD = [
    (b"", None, None, "empty_file"),
    (b"code,period,value\nX,2025,1\n", 1, "code", "unexpected_column"),
    (b"indicator_code,value\nX,1\n", 1, "period", "missing_column"),
    (b"indicator_code,period,value\nNOPE,2025,1\n", 2, "indicator_code", "unknown_indicator"),
    (b"indicator_code,period,value\n{code},1999,1\n", 2, "period", "bad_period"),
    (b"indicator_code,period,value\n{code},2099,1\n", 2, "period", "bad_period"),
    (b"indicator_code,period,value\n{code},2025,abc\n", 2, "value", "not_a_number"),
    (b"indicator_code,period,value\n{code},2025,NaN\n", 2, "value", "not_a_number"),
    (b"indicator_code,period,value\n{code},2025,inf\n", 2, "value", "not_a_number"),
    (b"indicator_code;period;value\n{code};2025;1,234\n", 2, "value", "ambiguous_number"),
    (b"indicator_code,period,value\n{code},2025,-4\n", 2, "value", "negative"),
    (b"indicator_code,period,value\n{code},2025,1\n{code},2025,2\n", 3, "indicator_code", "duplicate_row"),
    (b"indicator_code,period,value\n{code},2025\n", 2, None, "wrong_cell_count"),
    (b"indicator_code,period,value,version\n{code},2025,1,v2\n", 2, "version", "bad_version"),
    (b"indicator_code,period,value\n", None, None, "no_rows"),
]


@pytest.mark.parametrize(("content", "row", "column", "problem"), BAD)
def test_bad_input_names_row_and_column_in_both_languages_and_changes_nothing(engine, content, row, column, problem):
    content = content.replace(b"{code}", code_of(engine, "HND").encode())
    before = fingerprint(engine)
    with pytest.raises(writes.Rejected) as raised:
        writes.parse(content, writes.known_codes(engine))
    found = raised.value.problems[0]
    assert (found.row, found.column, found.code) == (row, column, problem)
    for lang in i18n.LANGS:
        assert i18n.import_problem(found, lang)
    assert fingerprint(engine) == before


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1234.5", 1234.5),
        ("1234,5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("12", 12.0),
        ("1,234", None),
        ("1.234", None),
        ("0.125", 0.125),
    ],
)
def test_numbers_as_people_type_them(typed, value):
    assert writes.parse_number(typed) == value


def test_spanish_headers_semicolons_and_cp1252_are_read(engine):
    code = code_of(engine, "HND")
    content = f"código_indicador;periodo;valor;comentario\n{code};2025;45,5;revisión anual\n".encode("cp1252")
    rows = writes.parse(content, writes.known_codes(engine))
    assert (rows[0].value, rows[0].comment) == (45.5, "revisión anual")


def test_cli_import_and_export_round_trip(engine, empty_url, tmp_path):
    accounts.add_user(engine, "ntt-hnd", "ntt", "a long enough password", "HND")
    code = code_of(engine, "HND")
    good = tmp_path / "values.csv"
    good.write_text(f"indicator_code,period,value\n{code},2025,70\n", encoding="utf-8")
    done = run_cli("import", "--kind", "indicator_values", "--as", "ntt-hnd", str(good), url=empty_url, lang="es")
    assert done.returncode == 0, done.stderr
    assert "nuevos" in done.stdout
    other = tmp_path / "gtm.csv"
    other.write_text(f"indicator_code,period,value\n{code_of(engine, 'GTM')},2025,70\n", encoding="utf-8")
    refused = run_cli("import", "--kind", "indicator_values", "--as", "ntt-hnd", str(other), url=empty_url, lang="es")
    assert refused.returncode == 3 and "No autorizado" in refused.stderr
    exported = run_cli("export", "--kind", "indicator_values", url=empty_url)
    assert f"{code},2025,70.0" in exported.stdout
    rows = writes.parse(exported.stdout.encode(), writes.known_codes(engine))
    assert len(writes.preview(engine, rows).unchanged) == len(rows)


def test_two_imports_adding_the_same_new_rows_at_once_get_a_conflict_not_a_traceback(engine, monkeypatch):
    """Both imports read "no value yet"; the other one commits first. The second is the usual version
    conflict in the user's language, with a rejected entry in the audit log, and writes nothing."""
    code = code_of(engine, "HND")
    known = writes.known_codes(engine)
    mine = writes.parse(csv_bytes("indicator_code,period,value", f"{code},2025,10"), known)
    theirs = writes.parse(csv_bytes("indicator_code,period,value", f"{code},2025,20"), known)
    real_write = writes._write
    calls = []

    def other_import_first(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # the other import runs from its own read to its commit, right now
            writes.apply(engine, access.Actor("ppt", "ppt"), theirs)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(writes, "_write", other_import_first)
    with pytest.raises(writes.Rejected) as raised:
        writes.apply(engine, HND_TEAM, mine)
    problem = raised.value.problems[0]
    assert (problem.row, problem.column, problem.code) == (2, "version", "conflict")
    for lang in i18n.LANGS:
        assert "version" in i18n.import_problem(problem, lang).replace("versión", "version")
    with engine.connect() as connection:
        values = (
            connection.execute(
                text(
                    "SELECT v.value FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id WHERE i.code = :c "
                    "AND v.period = 2025"
                ),
                {"c": code},
            )
            .scalars()
            .all()
        )
        history = connection.execute(text("SELECT new_value FROM indicator_value_history")).scalars().all()
    assert values == [20.0] and history == [20.0]
    assert audit(engine)["outcome"].to_list() == ["ok", "rejected"]
