"""Backup and restore round trip (SQLite and PostgreSQL), and reference data through the validated,
versioned, admin-only path, from the shell as a technical team would use it."""

from __future__ import annotations

import csv
import io
import json

import pytest

from mirps_dash import access, accounts, backup, database, demo, i18n, load, reference, writes
from mirps_dash.intake import Rejected
from tests.test_cli import run_cli

ADMIN = access.Actor("sec", "admin")
PASSWORD = "a long enough password"


@pytest.fixture
def engine(empty_url):
    engine = database.make_engine(empty_url)
    load.load_shipped_data(engine)
    demo.load(engine)
    accounts.add_user(engine, "sec", "admin", PASSWORD)
    accounts.add_user(engine, "ntt-hnd", "ntt", PASSWORD, "HND")
    return engine


def cities(engine) -> list[dict]:
    return list(csv.DictReader(io.StringIO(reference.export(engine, reference.kinds()["cities"]))))


def by_city(row: dict) -> tuple[str, str]:
    return row["country_iso3"], row["city"]


def as_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def test_a_restored_backup_backs_up_to_the_same_bytes(engine, empty_url, tmp_path):
    code = sorted(writes.known_codes(engine))[0]
    writes.apply(engine, ADMIN, [writes.ValueRow(2, code, 2020, 42.0, None, "before the backup")])
    saved = tmp_path / "backup.json"
    assert run_cli("backup", str(saved), url=empty_url).returncode == 0
    first = saved.read_bytes()

    writes.apply(engine, ADMIN, [writes.ValueRow(2, code, 2020, 43.0, None, "after the backup")])
    assert backup.dump(engine) != first
    done = run_cli("restore", str(saved), url=empty_url)
    assert done.returncode == 0, done.stderr
    assert backup.dump(engine) == first
    # the restored database keeps working: new rows get fresh ids
    writes.apply(engine, ADMIN, [writes.ValueRow(2, code, 2021, 44.0, None, "after the restore")])


def test_a_broken_backup_changes_nothing(engine, empty_url, tmp_path):
    before = backup.dump(engine)
    for content in (b"not json", b'{"format": "something else"}', before[: len(before) // 2]):
        broken = tmp_path / "broken.json"
        broken.write_bytes(content)
        done = run_cli("restore", str(broken), url=empty_url)
        assert done.returncode == 1
        assert backup.dump(engine) == before


def test_a_backup_with_a_bad_row_rolls_back_whole(engine):
    before = backup.dump(engine)
    parsed = json.loads(before)
    parsed["tables"]["app_user"]["rows"].append(parsed["tables"]["app_user"]["rows"][0])  # a duplicate key
    with pytest.raises(Exception):  # noqa: B017 (the database's own integrity error, whatever the driver)
        backup.restore(engine, json.dumps(parsed).encode())
    assert backup.dump(engine) == before


def test_reference_data_is_replaced_versioned_and_brought_back(engine, empty_url, tmp_path):
    original = cities(engine)
    edited = [dict(row) for row in original]
    edited[0]["note"] = "checked with the municipality"
    upload = tmp_path / "cities.csv"
    upload.write_bytes(as_csv(edited[:-1]))  # one note changed, the last city removed

    done = run_cli("import", "--kind", "cities", "--as", "sec", str(upload), url=empty_url)
    assert done.returncode == 0, done.stderr
    assert "1 changed" in done.stdout and "1 removed" in done.stdout
    assert sorted(cities(engine), key=by_city) == sorted(edited[:-1], key=by_city)

    kind = reference.kinds()["cities"]
    assert [v["version"] for v in reference.versions(engine, kind)] == [1]
    reference.restore_version(engine, ADMIN, kind, 1)
    assert cities(engine) == original


def test_only_the_secretariat_replaces_reference_data(engine, empty_url, tmp_path):
    upload = tmp_path / "cities.csv"
    upload.write_bytes(as_csv(cities(engine)))
    done = run_cli("import", "--kind", "cities", "--as", "ntt-hnd", str(upload), url=empty_url)
    assert done.returncode == 3
    assert cities(engine) == list(csv.DictReader(io.StringIO(upload.read_text())))


def test_a_bad_reference_file_names_every_problem_and_changes_nothing(engine, empty_url, tmp_path):
    rows = cities(engine)
    rows[0]["lat"] = "north"
    rows[1]["country_iso3"] = "Honduras"
    rows[2]["status"] = "maybe"
    upload = tmp_path / "cities.csv"
    upload.write_bytes(as_csv(rows))
    before = backup.dump(engine)
    done = run_cli("import", "--kind", "cities", "--as", "sec", str(upload), url=empty_url, lang="es")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        i18n.t("imp_where_row_column", "es", row=2, column="lat"),
        i18n.t("imp_where_row_column", "es", row=3, column="country_iso3"),
        i18n.t("imp_where_row_column", "es", row=4, column="status"),
    ]
    assert backup.dump(engine) == before


def test_reference_parse_reports_renamed_columns(engine):
    kind = reference.kinds()["facts"]
    text = reference.export(engine, kind).replace("fact_id", "id_hecho", 1)
    with pytest.raises(Rejected) as rejected:
        reference.parse(kind, text.encode())
    assert {(p.code, p.column) for p in rejected.value.problems} == {
        ("missing_column", "fact_id"),
        ("unexpected_column", "id_hecho"),
    }


def test_the_template_speaks_the_users_language(engine, empty_url):
    for lang in ("es", "en"):
        done = run_cli("template", "--kind", "indicator_values", "--country", "HND", url=empty_url, lang=lang)
        assert done.stdout.splitlines()[0] == ",".join(writes.TEMPLATE_HEADERS[lang])
