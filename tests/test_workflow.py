"""Submit -> approve or return -> publish, period locks, history and revert, on SQLite and PostgreSQL.
What the public reads is what was published, and nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from mirps_dash import access, queries, writes
from mirps_dash.intake import Rejected

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


def submit(engine, code: str, value: float, version: int | None = None):
    return writes.apply(engine, HND_TEAM, [writes.ValueRow(2, code, PERIOD, value, version, None)])


def test_submitted_values_reach_the_public_only_when_published(engine):
    code = hnd_codes(engine)[0]
    before = public_values(engine, code).get(PERIOD)
    submit(engine, code, 1234.0, value_of(engine, code)[2] if before is not None else None)
    assert value_of(engine, code)[:2] == (1234.0, "submitted")
    assert public_values(engine, code).get(PERIOD) is None  # no longer published, not yet approved

    assert writes.approve(engine, PPT, "HND", PERIOD, "checked against the national report") >= 1
    assert value_of(engine, code)[1] == "approved"
    assert ("HND", PERIOD) in writes.locked_periods(engine)
    assert public_values(engine, code).get(PERIOD) is None

    assert writes.publish(engine, PPT, "HND", PERIOD) >= 1
    assert public_values(engine, code)[PERIOD] == 1234.0


def test_an_approved_period_is_locked_until_an_admin_unlocks_it(engine):
    code = hnd_codes(engine)[0]
    submit(engine, code, 10.0, value_of(engine, code)[2])
    writes.approve(engine, PPT, "HND", PERIOD)
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
        writes.send_back(engine, PPT, "HND", PERIOD, "  ")
    assert writes.send_back(engine, PPT, "HND", PERIOD, "the 2021 figure is the 2020 one") >= 1
    assert value_of(engine, code)[1] == "returned"
    newest = writes.history(engine, HND_TEAM, code, PERIOD)[0]
    assert (newest["status"], newest["reason"]) == ("returned", "the 2021 figure is the 2020 one")


def test_a_national_team_may_not_approve_its_own_figures(engine):
    code = hnd_codes(engine)[0]
    submit(engine, code, 10.0, value_of(engine, code)[2])
    for step in (writes.approve, writes.publish):
        with pytest.raises(access.Refused):
            step(engine, HND_TEAM, "HND", PERIOD)
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
