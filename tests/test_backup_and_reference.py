"""Backup and restore round trip (SQLite and PostgreSQL), and reference data through the validated,
versioned, admin-only path, from the shell as a technical team would use it."""

from __future__ import annotations

import csv
import io
import json
import secrets
import threading

import pytest
from sqlalchemy import text

from mirps_dash import access, accounts, backup, database, demo, i18n, load, reference, writes
from mirps_dash.intake import Rejected
from tests.test_cli import run_cli
from tests.test_load import fingerprint

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


def tables_of(raw: bytes) -> dict:
    return json.loads(raw)["tables"]


def without_restore_entries(tables: dict) -> dict:
    """The tables with the audit log's "restore" entries left out: a restore writes one about itself."""
    log = tables["audit_log"]
    action = log["columns"].index("action")
    return tables | {"audit_log": log | {"rows": [row for row in log["rows"] if row[action] != "restore"]}}


def sealed(document: dict) -> bytes:
    """A backup document with its manifest made to match its tables again (as an editor of the file could)."""
    document["manifest"] = {
        name: {"rows": len(content["rows"]), "sha256": backup._checksum(content)}
        for name, content in document["tables"].items()
    }
    return json.dumps(document).encode()


def test_a_restored_backup_backs_up_to_the_same_tables(engine, empty_url, tmp_path):
    code = sorted(writes.known_codes(engine))[0]
    writes.apply(engine, ADMIN, [writes.ValueRow(2, code, 2020, 42.0, None, "before the backup")])
    saved = tmp_path / "backup.json"
    assert run_cli("backup", str(saved), url=empty_url).returncode == 0
    first = saved.read_bytes()
    assert backup.dump(engine) == first  # nothing in a backup changes from one to the next

    writes.apply(engine, ADMIN, [writes.ValueRow(2, code, 2020, 43.0, None, "after the backup")])
    assert backup.dump(engine) != first
    done = run_cli("restore", str(saved), url=empty_url)
    assert done.returncode == 0, done.stderr
    after = tables_of(backup.dump(engine))
    assert without_restore_entries(after) == tables_of(first)
    assert len(after["audit_log"]["rows"]) == len(tables_of(first)["audit_log"]["rows"]) + 1  # the restore's own
    # the restored database keeps working: new rows get fresh ids
    writes.apply(engine, ADMIN, [writes.ValueRow(2, code, 2021, 44.0, None, "after the restore")])


def test_a_broken_backup_changes_nothing(engine, empty_url, tmp_path):
    before = fingerprint(engine)
    whole = backup.dump(engine)
    for content in (b"not json", b'{"format": "something else"}', whole[: len(whole) // 2], b"[]", b"\xff\xfe"):
        broken = tmp_path / "broken.json"
        broken.write_bytes(content)
        done = run_cli("restore", str(broken), url=empty_url, lang="es")
        assert done.returncode == 1
        assert "no se cambió nada" in done.stderr and "Traceback" not in done.stderr
        assert fingerprint(engine) == before
    assert not list(tmp_path.glob("mirps-before-restore-*"))


def test_a_backup_without_tables_or_without_the_accounts_is_refused_and_changes_nothing(engine, empty_url, tmp_path):
    """The issue's files: the right format and revision with `"tables": {}`, and one without the users."""
    before = fingerprint(engine)
    document = json.loads(backup.dump(engine))
    no_users = json.loads(backup.dump(engine))
    del no_users["tables"]["app_user"], no_users["manifest"]["app_user"]
    old_empty = {"format": backup.FORMAT_WITHOUT_MANIFEST, "revision": document["revision"], "tables": {}}
    cases = {
        "empty": {**document, "tables": {}, "manifest": {}},
        "empty, old format": old_empty,
        "no users": no_users,
        "no users, old format": {key: value for key, value in no_users.items() if key != "manifest"}
        | {"format": backup.FORMAT_WITHOUT_MANIFEST},
    }
    for name, case in cases.items():
        file = tmp_path / "partial.json"
        file.write_text(json.dumps(case))
        done = run_cli("restore", str(file), url=empty_url)
        assert done.returncode == 1, name
        assert "incomplete" in done.stderr and "app_user" in done.stderr and "nothing was changed" in done.stderr
        assert fingerprint(engine) == before, name
    assert accounts.get_user(engine, "sec") is not None


def test_an_edited_or_damaged_backup_is_refused_by_its_manifest(engine, tmp_path):
    before = fingerprint(engine)
    original = backup.dump(engine)
    role = json.loads(original)["tables"]["app_user"]["columns"].index("role")
    promoted = json.loads(original)
    promoted["tables"]["app_user"]["rows"][-1][role] = "admin"  # the national team made an administrator
    dropped = json.loads(original)
    dropped["tables"]["indicator_value"]["rows"].pop()
    for document, code in ((promoted, "checksum"), (dropped, "count")):
        with pytest.raises(backup.BackupError) as refused:
            backup.restore(engine, json.dumps(document).encode(), tmp_path)
        assert refused.value.code == code
        for lang in i18n.LANGS:
            assert refused.value.message(lang)
    assert fingerprint(engine) == before


def test_a_backup_with_a_bad_row_rolls_back_whole(engine, tmp_path):
    before = fingerprint(engine)
    parsed = json.loads(backup.dump(engine))
    parsed["tables"]["app_user"]["rows"].append(parsed["tables"]["app_user"]["rows"][0])  # a duplicate key
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(engine, sealed(parsed), tmp_path)
    assert refused.value.code == "refused_rows"
    assert fingerprint(engine) == before
    assert not list(tmp_path.glob("mirps-before-restore-*"))  # nothing replaced: no copy of it either


def test_a_cell_of_the_wrong_type_is_refused_before_the_database_sees_it(engine, tmp_path):
    parsed = json.loads(backup.dump(engine))
    values = parsed["tables"]["indicator_value"]
    values["rows"][0][values["columns"].index("value")] = "lots"  # SQLite itself would store the text
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(engine, sealed(parsed), tmp_path)
    assert (refused.value.code, refused.value.detail["column"]) == ("bad_cell", "value")


def test_a_restore_keeps_what_it_replaced_says_what_it_restored_and_ends_every_session(engine, empty_url, tmp_path):
    before_backup = secrets.token_urlsafe(32)
    accounts.open_session(engine, "sec", before_backup)
    saved = tmp_path / "backup.json"
    saved.write_bytes(backup.dump(engine))
    code = sorted(writes.known_codes(engine))[0]
    writes.apply(engine, ADMIN, [writes.ValueRow(2, code, 2020, 43.0, None, "after the backup")])
    after_backup = secrets.token_urlsafe(32)
    accounts.open_session(engine, "ntt-hnd", after_backup)
    replaced = backup.dump(engine)

    kept_in = tmp_path / "kept"
    done = run_cli("restore", str(saved), "--keep-dir", str(kept_in), url=empty_url)
    assert done.returncode == 0, done.stderr
    kept = list(kept_in.glob("mirps-before-restore-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == replaced
    assert str(kept[0]) in done.stdout
    printed = {line.split()[0]: line.split()[1] for line in done.stdout.splitlines() if len(line.split()) == 2}
    for name, content in tables_of(saved.read_bytes()).items():
        assert printed[name] == str(len(content["rows"]))
    assert "Sessions ended: 2" in done.stdout
    assert accounts.session_user(engine, before_backup) is None
    assert accounts.session_user(engine, after_backup) is None
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM auth_session")).scalar_one() == 0
        logged = connection.execute(text("SELECT detail FROM audit_log WHERE action = 'restore'")).scalars().all()
    assert len(logged) == 1 and kept[0].name in logged[0]

    # what was replaced comes back from the kept file
    assert backup.restore(engine, kept[0].read_bytes(), tmp_path / "again").counts["indicator_value"] == len(
        tables_of(replaced)["indicator_value"]["rows"]
    )
    assert without_restore_entries(tables_of(backup.dump(engine))) == without_restore_entries(tables_of(replaced))


def test_an_old_backup_without_a_manifest_is_read_once_complete(engine, tmp_path):
    document = json.loads(backup.dump(engine))
    old = {"format": backup.FORMAT_WITHOUT_MANIFEST, "revision": document["revision"], "tables": document["tables"]}
    old["tables"]["auth_session"] = {"columns": [], "rows": []}  # format 1 carried the sessions: not restored
    restored = backup.restore(engine, json.dumps(old).encode(), tmp_path)
    assert not restored.checked
    assert restored.counts["app_user"] == len(document["tables"]["app_user"]["rows"])
    assert i18n.t("bak_unchecked", "es") and i18n.t("bak_unchecked", "en")


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
        header = done.stdout.splitlines()[0].split(",")  # and "ilustrativo" where it carries illustrative values
        assert header[:6] == list(writes.TEMPLATE_HEADERS[lang]) and header[6:] in ([], [writes.ILLUSTRATIVE[lang]])


def test_two_reference_imports_at_once_get_a_conflict_not_a_traceback(engine, monkeypatch):
    """Both read "latest kept version: none" and then both keep version 1: the second is refused with the
    version-conflict message, audited, and nothing of it is written."""
    kind = reference.kinds()["cities"]
    rows = reference.parse(kind, reference.export(engine, kind).encode())
    both_read = threading.Barrier(2, timeout=30)
    real_insert = reference.insert

    def insert_after_both_read(table, *args, **kwargs):
        if table is reference.ReferenceVersion:
            both_read.wait()
        return real_insert(table, *args, **kwargs)

    monkeypatch.setattr(reference, "insert", insert_after_both_read)
    outcomes = []

    def replace():
        try:
            reference.apply(engine, ADMIN, kind, rows)
            outcomes.append("ok")
        except Rejected as rejected:
            outcomes.append(rejected.problems[0].code)
        except Exception as error:  # the test reports whatever escaped
            outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=replace) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["conflict", "ok"]
    assert [v["version"] for v in reference.versions(engine, kind)] == [1]
    with engine.connect() as connection:
        logged = connection.execute(
            text("SELECT outcome FROM audit_log WHERE action = 'import_cities' ORDER BY id")
        ).scalars()
        assert sorted(logged) == ["ok", "rejected"]


def test_a_restore_that_cannot_keep_a_copy_of_what_it_replaces_changes_nothing(engine, empty_url, tmp_path):
    saved = tmp_path / "backup.json"
    saved.write_bytes(backup.dump(engine))
    before = fingerprint(engine)
    not_a_folder = tmp_path / "a file"
    not_a_folder.write_text("")
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(engine, saved.read_bytes(), not_a_folder)
    assert refused.value.code == "keep_failed"
    missing = run_cli("restore", str(tmp_path / "no such file.json"), url=empty_url, lang="es")
    assert missing.returncode == 1 and "no se cambió nada" in missing.stderr
    assert fingerprint(engine) == before
