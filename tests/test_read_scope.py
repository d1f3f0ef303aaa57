"""Who reads unpublished figures: a national team reads its own country's work in progress and everyone's
published figures, never another country's unpublished values; a viewer and the public read published
figures only; the PPT and the Secretariat read everything. Held below the UI (every read function) and
through the pages, cache keys included."""

from __future__ import annotations

import json
import secrets
import struct

import pytest
from sqlalchemy import text

from mirps_dash import access, accounts, auth, briefing, cache, cuts, database, demo, i18n, load, queries, writes
from tests.conftest import ROOT, app_pointed_at, new_app

PASSWORD = "correct horse battery"
PERIOD = 2026  # a period the illustrative data has no value for: only the values written here are in it
GTM_VALUE, HND_VALUE = 97531.0, 86420.0  # figures nothing else on a page shows
GTM_TEAM = access.Actor("ntt-gtm", "ntt", "GTM")
HND_TEAM = access.Actor("ntt-hnd", "ntt", "HND")
PPT = access.Actor("ppt", "ppt")
ADMIN = access.Actor("sec", "admin")
VIEWER = access.Actor("donor", "viewer")
ACTORS = {"ntt-gtm": GTM_TEAM, "ntt-hnd": HND_TEAM, "ppt": PPT, "sec": ADMIN, "donor": VIEWER}


def first_code(engine, country: str) -> str:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT MIN(i.code) FROM indicator i JOIN commitment c ON c.id = i.commitment_id "
                "WHERE c.country_iso3 = :country"
            ),
            {"country": country},
        ).scalar_one()


def submit_both(engine) -> dict[str, str]:
    """Each national team submits one value for `PERIOD`, not yet approved nor published."""
    codes = {country: first_code(engine, country) for country in ("GTM", "HND")}
    writes.apply(engine, GTM_TEAM, [writes.ValueRow(2, codes["GTM"], PERIOD, GTM_VALUE, None, None)])
    writes.apply(engine, HND_TEAM, [writes.ValueRow(2, codes["HND"], PERIOD, HND_VALUE, None, None)])
    with engine.begin() as connection:  # and each country a chapter for the period, still a draft
        for country in ("GTM", "HND"):
            connection.execute(
                text(
                    "INSERT INTO narrative (country_iso3, period, text_es, text_en, status, is_illustrative) "
                    "VALUES (:c, :p, :t, :t, 'submitted', false)"
                ),
                {"c": country, "p": PERIOD, "t": f"draft chapter of {country}"},
            )
    return codes


def publish(engine, country: str) -> None:
    """The PPT's approval and publication of the country's period, as they leave the database (the
    workflow itself is `test_workflow`'s)."""
    with engine.begin() as connection:
        ids = text(
            "SELECT v.id FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id "
            "JOIN commitment c ON c.id = i.commitment_id WHERE c.country_iso3 = :c AND v.period = :p"
        )
        for (value_id,) in connection.execute(ids, {"c": country, "p": PERIOD}).all():
            connection.execute(
                text("UPDATE indicator_value SET status = 'published', version = version + 1 WHERE id = :id"),
                {"id": value_id},
            )
            connection.execute(
                text(
                    "INSERT INTO indicator_value_history (indicator_id, period, version, old_value, new_value, "
                    "status, changed_by, changed_at) SELECT indicator_id, period, version, value, value, status, "
                    "'ppt', CURRENT_TIMESTAMP FROM indicator_value WHERE id = :id"
                ),
                {"id": value_id},
            )


@pytest.fixture
def engine(demo_engine):
    """Shipped and illustrative data, on SQLite and PostgreSQL, with both teams' unpublished values."""
    submit_both(demo_engine)
    return demo_engine


# --- the rule itself --------------------------------------------------------------------------------


def test_each_role_reads_published_figures_everywhere_and_unpublished_ones_where_it_works():
    unpublished = ("draft", "submitted", "returned", "approved")
    expected = {
        None: {"GTM": ("published",), "HND": ("published",)},
        VIEWER: {"GTM": ("published",), "HND": ("published",)},
        HND_TEAM: {"GTM": ("published",), "HND": ("published", *unpublished)},
        access.Actor("lost", "ntt", None): {"GTM": ("published",), "HND": ("published",)},
        PPT: {"GTM": ("published", *unpublished), "HND": ("published", *unpublished)},
        ADMIN: {"GTM": ("published", *unpublished), "HND": ("published", *unpublished)},
    }
    for actor, by_country in expected.items():
        scope = access.read_scope(actor)
        for country, statuses in by_country.items():
            assert set(scope.statuses_of(country)) == set(statuses), (actor, country)
    assert access.read_scope(GTM_TEAM) != access.read_scope(HND_TEAM)  # two cache keys, never one
    assert access.read_scope(VIEWER) == access.read_scope(None) == access.PUBLIC_SCOPE
    assert hash(access.read_scope(HND_TEAM)) == hash(access.read_scope(access.Actor("other", "ntt", "HND")))


# --- every read function below the UI ---------------------------------------------------------------


def values_read(engine, actor) -> set[tuple[int, float]]:
    reader = queries.Reader(engine.url.render_as_string(hide_password=False))
    frame = queries.indicator_values(reader, access.read_scope(actor)).filter(period=PERIOD)
    return set(zip(frame["period"], frame["value"], strict=True))


@pytest.mark.parametrize(
    ("username", "gtm", "hnd"),
    [
        ("ntt-hnd", False, True),
        ("ntt-gtm", True, False),
        ("donor", False, False),
        ("ppt", True, True),
        (None, False, False),
    ],
)
def test_the_values_read_are_the_readers_own_unpublished_and_everyones_published(engine, username, gtm, hnd):
    read = values_read(engine, ACTORS.get(username))
    assert ((PERIOD, GTM_VALUE) in read) is gtm
    assert ((PERIOD, HND_VALUE) in read) is hnd


def test_a_published_value_is_read_by_every_role(engine):
    publish(engine, "GTM")
    for actor in (None, VIEWER, HND_TEAM, GTM_TEAM, PPT):
        assert (PERIOD, GTM_VALUE) in values_read(engine, actor)


@pytest.mark.parametrize(("actor", "countries"), [(HND_TEAM, {"HND"}), (VIEWER, set()), (PPT, {"GTM", "HND"})])
def test_the_national_chapters_read_follow_the_same_rule(engine, actor, countries):
    reader = queries.Reader(engine.url.render_as_string(hide_password=False))
    chapters = queries.narratives(reader, access.read_scope(actor)).filter(period=PERIOD)
    assert set(chapters["country_iso3"]) == countries


def test_the_values_a_team_edits_show_another_countrys_published_values_only(engine):
    def period_values(actor, country):
        return {r["value"] for r in writes.current_values(engine, actor, country) if r["period"] == PERIOD}

    assert period_values(HND_TEAM, "GTM") == set()  # the GTM team's submitted value stays theirs
    assert period_values(HND_TEAM, "HND") == {HND_VALUE}
    assert period_values(GTM_TEAM, "GTM") == {GTM_VALUE}
    assert period_values(PPT, "GTM") == {GTM_VALUE}
    _header, *rows = writes.template_rows(engine, HND_TEAM, "GTM", "en", PERIOD)  # the template is built on it
    assert GTM_VALUE not in {row[3] for row in rows}
    assert len(rows) == len({r["code"] for r in writes.current_values(engine, PPT, "GTM")})  # every indicator


def test_a_teams_history_of_another_countrys_value_has_its_published_versions_only(engine):
    code = first_code(engine, "GTM")
    assert [v["new_value"] for v in writes.history(engine, HND_TEAM, code, PERIOD)] == []
    assert [v["new_value"] for v in writes.history(engine, GTM_TEAM, code, PERIOD)] == [GTM_VALUE]
    assert [v["new_value"] for v in writes.history(engine, PPT, code, PERIOD)] == [GTM_VALUE]
    publish(engine, "GTM")
    seen = writes.history(engine, HND_TEAM, code, PERIOD)
    assert [(v["status"], v["new_value"]) for v in seen] == [("published", GTM_VALUE)]
    assert len(writes.history(engine, PPT, code, PERIOD)) == 2


def test_a_teams_review_queue_holds_its_own_country_only(engine):
    assert {entry["country_iso3"] for entry in writes.review_queue(engine, HND_TEAM)} == {"HND"}
    assert {"GTM", "HND"} <= {entry["country_iso3"] for entry in writes.review_queue(engine, PPT)}
    with pytest.raises(access.Refused):
        writes.review_queue(engine, VIEWER)


def test_slides_factsheets_and_cuts_read_no_unpublished_value(engine):
    """Presentation mode, the factsheet, the deck and every cut draw from `briefing.Data`; a cut records
    every read of every deck, so the figures it holds are all the files and slides can show."""
    reader = queries.Reader(engine.url.render_as_string(hide_password=False))
    content = json.dumps(cuts.snapshot(briefing.FromReader(reader)))
    for value in (GTM_VALUE, HND_VALUE):
        assert str(int(value)) not in content


def test_the_cached_values_are_kept_apart_by_scope(engine, monkeypatch):
    """Read first as the GTM team, then as the HND team: the second read is not the first one's entry;
    another member of the HND team shares the HND team's."""
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("MIRPS_DATABASE_URL", url)
    cache.clear()
    try:
        gtm = cache.indicator_values(url, access.read_scope(GTM_TEAM))
        hnd = cache.indicator_values(url, access.read_scope(HND_TEAM))
        shared = cache.indicator_values(url, access.read_scope(access.Actor("ntt-hnd-2", "ntt", "HND")))
        chapters = cache.narratives(url, access.read_scope(HND_TEAM)).filter(period=PERIOD)
    finally:
        cache.clear()
    assert set(gtm.filter(period=PERIOD)["value"]) == {GTM_VALUE}
    assert set(hnd.filter(period=PERIOD)["value"]) == {HND_VALUE}
    assert shared is hnd
    assert set(chapters["country_iso3"]) == {"HND"}


# --- through the pages ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scoped_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('scope') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    demo.load(engine)
    for username, actor in ACTORS.items():
        accounts.add_user(engine, username, actor.role, PASSWORD, actor.country_iso3)
    submit_both(engine)
    return url


@pytest.fixture
def scoped_app(scoped_url, monkeypatch):
    yield from app_pointed_at(scoped_url, monkeypatch)


def open_as(url: str, username: str | None, script: str, **query: str):
    """A page opened by a browser that carries a live session of `username` (None: signed out)."""
    app = new_app()
    if username:
        token = secrets.token_urlsafe(32)
        accounts.open_session(database.make_engine(url), username, token)
        app.session_state[auth.SIGNED_IN_KEY] = token
    for key, value in {"lang": "en", **query}.items():
        app.query_params[key] = value
    if script != "app.py":
        app.switch_page(script)
    return app.run()


def page_bytes(app) -> bytes:
    """Everything the page sent to the browser: texts, chart specs and the tables' Arrow data."""
    found: list[bytes] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(proto.SerializeToString())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    return b"".join(found)


def shows(app, value: float) -> bool:
    """Whether the page shows `value` anywhere: as text (any language's format) or inside a chart or table."""
    sent = page_bytes(app)
    written = {i18n.number(value, lang).encode() for lang in i18n.LANGS}
    return struct.pack("<d", value) in sent or any(text in sent for text in written)


def test_a_national_team_does_not_see_another_countrys_unpublished_value_on_plans(scoped_app):
    app = open_as(scoped_app, "ntt-hnd", "pages/plans.py", country="GTM", period=str(PERIOD))
    assert not app.exception
    assert i18n.country_name("GTM", "en") in [s.value for s in app.subheader]
    assert not shows(app, GTM_VALUE)
    assert "draft chapter of GTM" not in page_bytes(app).decode("utf-8", "replace")
    own = open_as(scoped_app, "ntt-hnd", "pages/plans.py", country="HND", period=str(PERIOD))
    assert shows(own, HND_VALUE)  # its own work in progress it does see
    assert "draft chapter of HND" in page_bytes(own).decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("username", "gtm"), [("ntt-gtm", True), ("ppt", True), ("sec", True), ("donor", False), (None, False)]
)
def test_plans_show_the_unpublished_value_to_its_team_and_the_ppt_only(scoped_app, username, gtm):
    app = open_as(scoped_app, username, "pages/plans.py", country="GTM", period=str(PERIOD))
    assert not app.exception
    assert shows(app, GTM_VALUE) is gtm
    assert not shows(app, HND_VALUE)  # the HND value is on HND's plan only, whoever reads


PAGES = ["app.py", *sorted(f"pages/{path.name}" for path in (ROOT / "pages").glob("*.py"))]


@pytest.mark.parametrize("script", PAGES)
def test_no_page_shows_another_countrys_unpublished_value_to_a_national_team(scoped_app, script):
    """Every page, as the HND team, on GTM's view and its own: the GTM team's submitted value is nowhere
    (texts, charts, tables), nor in presentation mode, whose slides the factsheet and deck are made of."""
    for query in ({"country": "GTM"}, {"country": "HND"}, {"country": "GTM", "present": "1"}):
        app = open_as(scoped_app, "ntt-hnd", script, period=str(PERIOD), **query)
        assert not app.exception, (script, query)
        assert not shows(app, GTM_VALUE), (script, query)


@pytest.mark.parametrize(("username", "gtm"), [("ntt-hnd", False), ("donor", False), (None, False), ("ntt-gtm", True)])
def test_a_team_indicators_own_page_shows_its_unpublished_value_to_its_team_only(scoped_app, username, gtm):
    code = first_code(database.make_engine(scoped_app), "GTM")
    app = open_as(scoped_app, username, "pages/indicator.py", code=code, country="GTM")
    assert not app.exception
    assert shows(app, GTM_VALUE) is gtm
