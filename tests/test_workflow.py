"""Submit -> approve or return -> publish, period locks, history and revert, on SQLite and PostgreSQL.
What the public reads is what was published, and nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from mirps_dash import access, accounts, database, demo, i18n, load, queries, writes
from mirps_dash.intake import Rejected
from tests.conftest import clear_streamlit_caches
from tests.test_auth import open_as

HND_TEAM = access.Actor("ntt-hnd", "ntt", "HND")
PPT = access.Actor("ppt", "ppt")
ADMIN = access.Actor("sec", "admin")
PERIOD = 2021


@pytest.fixture
def engine(demo_engine):
    return demo_engine


def hnd_codes(engine) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                text(
                    "SELECT i.code FROM indicator i JOIN commitment c ON c.id = i.commitment_id "
                    "WHERE c.country_iso3 = 'HND' ORDER BY i.code"
                )
            ).scalars()
        )


def value_of(engine, code: str, period: int = PERIOD) -> tuple[float, str, int]:
    with engine.connect() as connection:
        return tuple(
            connection.execute(
                text(
                    "SELECT v.value, v.status, v.version FROM indicator_value v "
                    "JOIN indicator i ON i.id = v.indicator_id WHERE i.code = :code AND v.period = :period"
                ),
                {"code": code, "period": period},
            ).one()
        )


def public_values(engine, code: str) -> dict[int, float]:
    reader = queries.Reader(engine.url.render_as_string(hide_password=False))
    values = queries.indicator_values(reader, access.PUBLIC_SCOPE)
    with engine.connect() as connection:
        indicator_id = connection.execute(text("SELECT id FROM indicator WHERE code = :c"), {"c": code}).scalar_one()
    rows = values.filter(values["indicator_id"] == indicator_id).iter_rows(named=True)
    return {row["period"]: row["value"] for row in rows}


def seen(engine, period: int = PERIOD) -> dict[int, int]:
    """What the reviewer is shown of HND's period: every value's version."""
    return writes.review_batch(engine, PPT, "HND", period).versions


def submit(engine, code: str, value: float, version: int | None = None):
    return writes.apply(engine, HND_TEAM, [writes.ValueRow(2, code, PERIOD, value, version, None)])


def test_submitted_values_reach_the_public_only_when_published(engine):
    code = hnd_codes(engine)[0]
    before = public_values(engine, code).get(PERIOD)
    submit(engine, code, 1234.0, value_of(engine, code)[2] if before is not None else None)
    assert value_of(engine, code)[:2] == (1234.0, "submitted")
    assert public_values(engine, code).get(PERIOD) is None  # no longer published, not yet approved

    assert writes.approve(engine, PPT, "HND", PERIOD, seen(engine), "checked against the national report") >= 1
    assert value_of(engine, code)[1] == "approved"
    assert ("HND", PERIOD) in writes.locked_periods(engine)
    assert public_values(engine, code).get(PERIOD) is None

    assert writes.publish(engine, PPT, "HND", PERIOD, seen(engine)) >= 1
    assert public_values(engine, code)[PERIOD] == 1234.0


def test_an_approved_period_is_locked_until_an_admin_unlocks_it(engine):
    code = hnd_codes(engine)[0]
    submit(engine, code, 10.0, value_of(engine, code)[2])
    writes.approve(engine, PPT, "HND", PERIOD, seen(engine))
    version = value_of(engine, code)[2]
    with pytest.raises(Rejected) as rejected:
        submit(engine, code, 11.0, version)
    assert [(p.code, p.column) for p in rejected.value.problems] == [("locked", "period")]
    assert value_of(engine, code)[0] == 10.0

    with pytest.raises(access.Refused):
        writes.unlock(engine, PPT, "HND", PERIOD, "typo")  # only the Secretariat unlocks
    assert writes.unlock(engine, ADMIN, "HND", PERIOD, "typo in the national report")
    submit(engine, code, 11.0, version)
    assert value_of(engine, code)[:2] == (11.0, "submitted")


def test_returning_needs_a_comment_and_the_team_sees_it_in_the_history(engine):
    code = hnd_codes(engine)[0]
    submit(engine, code, 10.0, value_of(engine, code)[2])
    with pytest.raises(Rejected):
        writes.send_back(engine, PPT, "HND", PERIOD, seen(engine), "  ")
    assert writes.send_back(engine, PPT, "HND", PERIOD, seen(engine), "the 2021 figure is the 2020 one") >= 1
    assert value_of(engine, code)[1] == "returned"
    newest = writes.history(engine, HND_TEAM, code, PERIOD)[0]
    assert (newest["status"], newest["reason"]) == ("returned", "the 2021 figure is the 2020 one")


def test_a_national_team_may_not_approve_its_own_figures(engine):
    code = hnd_codes(engine)[0]
    submit(engine, code, 10.0, value_of(engine, code)[2])
    for step in (writes.approve, writes.publish):
        with pytest.raises(access.Refused):
            step(engine, HND_TEAM, "HND", PERIOD, seen(engine))
    assert value_of(engine, code)[1] == "submitted"


def test_history_keeps_every_version_and_revert_makes_a_new_one(engine):
    code = hnd_codes(engine)[0]
    original, _, version = value_of(engine, code)
    submit(engine, code, original + 5, version)
    submit(engine, code, original + 7, version + 1)
    versions = writes.history(engine, HND_TEAM, code, PERIOD)
    assert [v["new_value"] for v in versions[:2]] == [original + 7, original + 5]
    assert versions[0]["old_value"] == original + 5

    writes.revert(engine, HND_TEAM, code, PERIOD, to_version=version + 1, reason="the first correction was right")
    assert value_of(engine, code)[:3] == (original + 5, "submitted", version + 3)
    newest = writes.history(engine, HND_TEAM, code, PERIOD)[0]
    assert (newest["old_value"], newest["new_value"]) == (original + 7, original + 5)


def test_a_team_may_not_revert_another_countrys_value(engine):
    code = hnd_codes(engine)[0]
    gtm_team = access.Actor("ntt-gtm", "ntt", "GTM")
    with pytest.raises(access.Refused):
        writes.revert(engine, gtm_team, code, PERIOD, to_version=1)


def test_the_template_lists_the_countrys_indicators_with_their_versions_in_the_users_language(engine):
    codes = hnd_codes(engine)
    for lang in ("es", "en"):
        header, *rows = writes.template_rows(engine, HND_TEAM, "HND", lang, PERIOD)
        assert header == list(writes.TEMPLATE_HEADERS[lang])
        assert [row[0] for row in rows] == codes
        first = rows[0]
        assert (first[3], first[4]) == value_of(engine, codes[0])[::2]


def test_an_edited_template_goes_back_in_through_the_same_path(engine):
    csv_file, xlsx_file = writes.template_files(engine, HND_TEAM, "HND", "es", PERIOD)
    for raw, name in ((csv_file, "plantilla.csv"), (xlsx_file, "plantilla.xlsx")):
        rows = writes.parse(raw, writes.known_codes(engine), file_name=name)
        preview = writes.preview(engine, rows)
        assert len(preview.unchanged) == len(rows) and not preview.changed  # untouched: nothing to write


# --- approving what the reviewer saw, and nothing else ----------------------------------------------------


def history_versions(engine, code: str, period: int = PERIOD) -> list[int]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                text(
                    "SELECT h.version FROM indicator_value_history h JOIN indicator i ON i.id = h.indicator_id "
                    "WHERE i.code = :code AND h.period = :period ORDER BY h.id"
                ),
                {"code": code, "period": period},
            ).scalars()
        )


def last_audit(engine) -> tuple[str, str, str]:
    with engine.connect() as connection:
        return tuple(
            connection.execute(text("SELECT action, outcome, detail FROM audit_log ORDER BY id DESC LIMIT 1")).one()
        )


def test_the_batch_to_review_lists_every_value_with_its_version(engine):
    code = hnd_codes(engine)[0]
    submit(engine, code, 111.0, value_of(engine, code)[2])
    batch = writes.review_batch(engine, PPT, "HND", PERIOD)
    assert (batch.country, batch.period) == ("HND", PERIOD)
    shown = {value.indicator_code: value for value in batch.values}
    assert (shown[code].value, shown[code].status, shown[code].version) == value_of(engine, code)
    assert batch.versions == {value.id: value.version for value in batch.values}
    with pytest.raises(access.Refused):  # another country's unpublished batch is not a team's to read
        writes.review_batch(engine, access.Actor("ntt-gtm", "ntt", "GTM"), "HND", PERIOD)


@pytest.mark.parametrize("step", ["approve", "send_back", "publish"])
def test_a_value_changed_since_the_review_is_not_approved(engine, step):
    """The reviewer saw 111; an import wrote 999 before the click: nothing moves, the reviewer is told."""
    code = hnd_codes(engine)[0]
    submit(engine, code, 111.0, value_of(engine, code)[2])
    if step == "publish":
        writes.approve(engine, PPT, "HND", PERIOD, writes.review_batch(engine, PPT, "HND", PERIOD).versions)
        writes.unlock(engine, ADMIN, "HND", PERIOD, "one more correction")
    seen = writes.review_batch(engine, PPT, "HND", PERIOD).versions
    submit(engine, code, 999.0, value_of(engine, code)[2])  # committed between the review and the click
    before = value_of(engine, code)
    moves = {
        "approve": lambda: writes.approve(engine, PPT, "HND", PERIOD, seen),
        "send_back": lambda: writes.send_back(engine, PPT, "HND", PERIOD, seen, "please check"),
        "publish": lambda: writes.publish(engine, PPT, "HND", PERIOD, seen),
    }
    with pytest.raises(Rejected) as rejected:
        moves[step]()
    assert {p.code for p in rejected.value.problems} == {"changed_since_review"}
    for lang in ("es", "en"):
        assert i18n.import_problem(rejected.value.problems[0], lang)
    assert value_of(engine, code) == before == (999.0, "submitted", before[2])
    assert ("HND", PERIOD) not in writes.locked_periods(engine)
    assert last_audit(engine)[:2] == ({"send_back": "return"}.get(step, step), "rejected")
    versions = history_versions(engine, code)
    assert len(versions) == len(set(versions))  # never two rows of one version


def test_a_value_added_since_the_review_is_not_approved(engine):
    first, second = hnd_codes(engine)[:2]
    submit(engine, first, 5.0, value_of(engine, first)[2])
    with engine.begin() as connection:  # the second indicator has no value for the period yet
        connection.execute(
            text(
                "DELETE FROM indicator_value WHERE period = :p AND indicator_id = (SELECT id FROM indicator "
                "WHERE code = :c)"
            ),
            {"p": PERIOD, "c": second},
        )
    seen = writes.review_batch(engine, PPT, "HND", PERIOD).versions
    submit(engine, second, 6.0)  # a new value appears after the review
    with pytest.raises(Rejected) as rejected:
        writes.approve(engine, PPT, "HND", PERIOD, seen)
    assert {p.code for p in rejected.value.problems} == {"changed_since_review"}
    assert value_of(engine, first)[1] == value_of(engine, second)[1] == "submitted"


def test_approval_of_what_was_seen_moves_exactly_that(engine):
    code = hnd_codes(engine)[0]
    submit(engine, code, 111.0, value_of(engine, code)[2])
    batch = writes.review_batch(engine, PPT, "HND", PERIOD)
    submitted = [value for value in batch.values if value.status == "submitted"]
    assert writes.approve(engine, PPT, "HND", PERIOD, batch.versions, "as seen") == len(submitted)
    assert value_of(engine, code)[:2] == (111.0, "approved")
    assert (
        history_versions(engine, code)[-1]
        == batch.versions[next(v.id for v in submitted if v.indicator_code == code)] + 1
    )


def test_an_import_that_read_the_period_open_is_refused_once_it_is_approved(engine, monkeypatch):
    """The import checked the lock, then the PPT approved: the import must not write into the locked period."""
    code = hnd_codes(engine)[0]
    submit(engine, code, 111.0, value_of(engine, code)[2])
    version = value_of(engine, code)[2]
    real_write = writes._write

    def approved_meanwhile(*args, **kwargs):
        writes.approve(engine, PPT, "HND", PERIOD, writes.review_batch(engine, PPT, "HND", PERIOD).versions)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(writes, "_write", approved_meanwhile)
    with pytest.raises(Rejected) as rejected:
        submit(engine, code, 999.0, version)
    assert {p.code for p in rejected.value.problems} <= {"locked", "conflict"}
    assert value_of(engine, code)[:2] == (111.0, "approved")
    versions = history_versions(engine, code)
    assert len(versions) == len(set(versions))
    assert last_audit(engine)[:2] == ("import_indicator_values", "rejected")


@pytest.fixture
def page_engine(tmp_path, monkeypatch):
    """A database of its own for the Data page, with a PPT account, and the app pointed at it."""
    url = f"sqlite:///{tmp_path / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    demo.load(engine)
    accounts.add_user(engine, "ppt", "ppt", "correct horse battery")
    monkeypatch.setenv("MIRPS_DATABASE_URL", url)
    clear_streamlit_caches()
    yield engine
    clear_streamlit_caches()


def shown_value(app, code: str) -> float:
    """The value of `code` in the batch the review section shows."""
    batch = next(frame.value for frame in app.dataframe if "version" in frame.value.columns)
    return batch[batch["code"] == code]["value"].iloc[0]


def test_the_review_page_approves_what_it_showed_and_nothing_changed_since(page_engine):
    engine = page_engine
    code = hnd_codes(engine)[0]
    submit(engine, code, 111.0, value_of(engine, code)[2])
    app = open_as("ppt", engine, "pages/data.py")
    app.main.get("button_group")[0].set_value("review").run()
    app.selectbox(key="data_batch").set_value(("HND", PERIOD)).run()
    assert shown_value(app, code) == 111

    submit(engine, code, 999.0, value_of(engine, code)[2])  # behind the reviewer's back
    app.button(key="data_approve").click().run()
    assert not app.exception
    assert i18n.t("data_changed_since_review", "en") in [error.value for error in app.error]
    assert value_of(engine, code)[:2] == (999.0, "submitted")
    assert shown_value(app, code) == 999  # the page now shows what changed: what a second click approves

    app.button(key="data_approve").click().run()
    assert not app.error
    assert value_of(engine, code)[:2] == (999.0, "approved")
