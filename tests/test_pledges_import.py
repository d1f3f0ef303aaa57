"""GRF pledges as reference data the Secretariat completes (`import --kind pledges`): the shipped file goes
round trip; a bad row is refused with its row and column in both languages and nothing written; a published
status shows where "status not published" stood; every replacement is versioned and audited, and only the
Secretariat makes one."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from mirps_dash import (
    access,
    accounts,
    auth,
    backup,
    database,
    i18n,
    indicator_views,
    load,
    queries,
    reference,
    settings,
)
from mirps_dash.intake import Rejected
from mirps_dash.schema import AuditEntry
from tests.conftest import app_pointed_at, new_app
from tests.test_auth import signed_in_token
from tests.test_cli import run_cli

ADMIN = access.Actor("sec", "admin")
PASSWORD = "a long enough password"
SHIPPED = settings.DATA_DIR / "grf_pledges.csv"


@pytest.fixture
def engine(empty_url):
    engine = database.make_engine(empty_url)
    load.load_shipped_data(engine)
    accounts.add_user(engine, "sec", "admin", PASSWORD)
    accounts.add_user(engine, "ntt-hnd", "ntt", PASSWORD, "HND")
    return engine


def kind() -> reference.Kind:
    return reference.kinds()["pledges"]


def pledges(engine) -> list[dict]:
    return list(csv.DictReader(io.StringIO(reference.export(engine, kind()))))


def shipped() -> list[dict]:
    with SHIPPED.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def as_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def audit(engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(AuditEntry.action, AuditEntry.outcome))]


def test_the_pledges_are_a_reference_kind_named_in_both_languages():
    assert kind().spec.name == "grf_pledges.csv"
    assert kind().columns == list(shipped()[0])  # the shipped file is the template
    assert {i18n.t("data_kind_pledges", lang) for lang in i18n.LANGS} == {
        "Compromisos del Foro Mundial sobre los Refugiados",
        "Global Refugee Forum pledges",
    }


def test_the_shipped_file_goes_round_trip(engine, empty_url):
    """Parsed as the shipped file, exported as loaded, imported back with nothing changed."""
    assert pledges(engine) == shipped()
    done = run_cli("import", "--kind", "pledges", "--as", "sec", str(SHIPPED), url=empty_url)
    assert done.returncode == 0, done.stderr
    assert i18n.t("imp_summary", "en", new=0, changed=0, unchanged=len(shipped())) in done.stdout
    assert pledges(engine) == shipped()
    exported = run_cli("export", "--kind", "pledges", url=empty_url)
    assert list(csv.DictReader(io.StringIO(exported.stdout))) == shipped()
    assert ("import_pledges", "ok") in audit(engine)
    assert [v["version"] for v in reference.versions(engine, kind())] == [1]


def test_a_published_status_and_a_new_pledge_are_shown_as_imported(engine, empty_url, tmp_path):
    rows = shipped()
    rows[0]["stage_of_implementation"] = "In progress"
    added = dict(rows[1], row_id="P99", title="Asylum capacity, phase two", source_url="https://example.org/p99")
    upload = tmp_path / "pledges.csv"
    upload.write_bytes(as_csv([*rows, added]))
    done = run_cli("import", "--kind", "pledges", "--as", "sec", str(upload), url=empty_url)
    assert done.returncode == 0, done.stderr
    assert i18n.t("imp_summary", "en", new=1, changed=1, unchanged=len(rows) - 1) in done.stdout
    stored = queries.grf_pledges(queries.Reader(empty_url))
    shown = indicator_views.pledge_list(stored.filter(stored["entity_iso3"] == "BLZ"), "en")
    first, second, third = shown.splitlines()
    assert first.endswith("· In progress")
    assert second.endswith(i18n.t("grf_status_unpublished", "en"))  # empty: never "not started"
    assert "Asylum capacity, phase two" in third and "https://example.org/p99" in third
    reference.restore_version(engine, ADMIN, kind(), 1)  # the previous list comes back
    assert pledges(engine) == shipped()


BAD_ROWS = [
    ("entity_iso3", "USA", "not_mirps_state_or_joint"),
    ("lead_state_iso3", "COL", "not_mirps_state"),
    ("pledge_level", "global", "not_pledge_level"),
    ("grf_year", "2015", "not_grf_year"),
    ("grf_year", "20233", "not_grf_year"),
    ("source_url", "javascript:alert(1)", "bad_url"),
    ("source_url", "ftp://example.org/pledge", "bad_url"),
    ("entity_iso3", "REGION", "pledge_level_entity"),  # a national pledge is one State's
]


@pytest.mark.parametrize(("column", "value", "code"), BAD_ROWS)
def test_a_bad_row_is_refused_with_its_row_and_column_and_nothing_changes(
    engine, empty_url, tmp_path, column, value, code
):
    rows = shipped()
    assert rows[1]["pledge_level"] == "national"  # the row edited below
    rows[1][column] = value
    upload = tmp_path / "pledges.csv"
    upload.write_bytes(as_csv(rows))
    before = backup.dump(engine)
    with pytest.raises(Rejected) as rejected:
        reference.parse(kind(), upload.read_bytes(), upload.name)
    assert [(p.row, p.column, p.code) for p in rejected.value.problems] == [(3, column, code)]
    for lang in i18n.LANGS:
        done = run_cli("import", "--kind", "pledges", "--as", "sec", str(upload), url=empty_url, lang=lang)
        assert done.returncode == 1
        where = i18n.t("imp_where_row_column", lang, row=3, column=column)
        message = i18n.import_problem(rejected.value.problems[0], lang)
        assert done.stderr.strip() == message and message.startswith(where) and value[:20] in message
        assert "{" not in message  # every placeholder filled
    assert backup.dump(engine) == before


def test_a_joint_pledge_names_region_and_an_empty_title_is_refused(engine):
    rows = shipped()
    joint = next(index for index, row in enumerate(rows) if row["pledge_level"] == "regional_joint")
    rows[joint]["entity_iso3"] = "MEX"
    rows[0]["title"] = ""
    with pytest.raises(Rejected) as rejected:
        reference.parse(kind(), as_csv(rows))
    assert [(p.row, p.column) for p in rejected.value.problems] == [(2, "title"), (joint + 2, "entity_iso3")]


def test_only_the_secretariat_replaces_the_pledges(engine, empty_url):
    before = pledges(engine)
    done = run_cli("import", "--kind", "pledges", "--as", "ntt-hnd", str(SHIPPED), url=empty_url)
    assert done.returncode == 3
    assert pledges(engine) == before
    assert ("import_pledges", "refused") in audit(engine)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_data_page_offers_the_pledges_among_the_reference_tables(tmp_path, monkeypatch, lang):
    url = f"sqlite:///{tmp_path / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    accounts.add_user(engine, "sec", "admin", PASSWORD)
    for _ in app_pointed_at(url, monkeypatch):
        app = new_app()
        app.session_state[auth.SIGNED_IN_KEY] = signed_in_token(engine, "sec")
        app.session_state["data_section"] = "reference"
        app.query_params["lang"] = lang
        app.switch_page("pages/data.py")
        app.run()
        picker = app.selectbox(key="data_kind")
        assert i18n.t("data_kind_pledges", lang) in picker.options
        picker.set_value("pledges").run()
        assert not app.exception
        labels = [button.proto.label for button in app.get("download_button")]
        assert i18n.t("data_reference_current", lang) in labels
