"""Sign-in, sign-out and roles: the server's session record decides, not the library's cookie; lockout
survives restarts; every page asks for a sign-in when the page or the deployment needs one; and a role x
page x action matrix checked through the pages and below them."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update

from mirps_dash import access, accounts, auth, database, demo, i18n, load, settings, ui, writes
from mirps_dash.schema import AppUser, AuthSession
from tests.conftest import app_pointed_at, new_app, open_page

PASSWORD = "correct horse battery"
USERS = {  # username -> (role, country)
    "sec": ("admin", None),
    "ppt": ("ppt", None),
    "ntt-hnd": ("ntt", "HND"),
    "donor": ("viewer", None),
}


@pytest.fixture(scope="module")
def accounts_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('auth') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    demo.load(engine)
    for username, (role, country) in USERS.items():
        accounts.add_user(engine, username, role, PASSWORD, country)
    return url


@pytest.fixture
def engine(accounts_url):
    return database.make_engine(accounts_url)


@pytest.fixture
def app_db(accounts_url, monkeypatch):
    yield from app_pointed_at(accounts_url, monkeypatch)


def signed_in_token(engine, username: str) -> str:
    token = secrets.token_urlsafe(32)
    accounts.open_session(engine, username, token)
    return token


def open_as(username: str | None, engine, script: str = "app.py", **query):
    """A page opened by a browser that carries a live session of `username` (None: signed out)."""
    app = new_app()
    if username:
        app.session_state[auth.SIGNED_IN_KEY] = signed_in_token(engine, username)
    for key, value in {"lang": "en", **query}.items():
        app.query_params[key] = value
    if script != "app.py":
        app.switch_page(script)
    return app.run()


def sign_in_form_shown(app, lang: str = "en") -> bool:
    return [box.label for box in app.text_input] == [i18n.t("auth_username", lang), i18n.t("auth_password", lang)]


# --- accounts below the UI ---------------------------------------------------------------------------


def test_passwords_are_stored_as_bcrypt_hashes_only(engine):
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM app_user WHERE username = 'sec'")).scalar_one()
    assert stored.startswith("$2") and PASSWORD not in stored
    assert accounts.credentials(engine)["usernames"]["sec"]["password"] == stored


@pytest.mark.parametrize(
    ("username", "role", "password", "country", "code"),
    [
        ("short", "viewer", "too short", None, "weak_password"),
        ("Bad Name!", "viewer", PASSWORD, None, "bad_username"),
        ("team", "ntt", PASSWORD, None, "ntt_needs_country"),
        ("sec", "viewer", PASSWORD, None, "user_exists"),
        ("boss", "owner", PASSWORD, None, "bad_role"),
    ],
)
def test_bad_accounts_are_refused_with_a_message_in_both_languages(engine, username, role, password, country, code):
    with pytest.raises(accounts.AccountError) as refused:
        accounts.add_user(engine, username, role, password, country)
    assert refused.value.code == code
    for lang in i18n.LANGS:
        assert i18n.t(f"acct_{code}", lang, **refused.value.detail)


def test_a_session_ends_with_sign_out_disable_reset_and_expiry(engine):
    accounts.add_user(engine, "temp", "viewer", PASSWORD)
    token = signed_in_token(engine, "temp")
    assert accounts.session_user(engine, token).username == "temp"
    accounts.close_session(engine, token, "temp")
    assert accounts.session_user(engine, token) is None  # a copy of the cookie opens nothing

    token = signed_in_token(engine, "temp")
    accounts.disable(engine, "temp")
    assert accounts.session_user(engine, token) is None
    accounts.enable(engine, "temp")
    assert accounts.session_user(engine, token) is None  # enabling does not revive old sessions

    token = signed_in_token(engine, "temp")
    accounts.reset_password(engine, "temp", "another long password")
    assert accounts.session_user(engine, token) is None

    token = signed_in_token(engine, "temp")
    with engine.begin() as connection:
        connection.execute(
            update(AuthSession)
            .where(AuthSession.token_hash == accounts.token_hash(token))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert accounts.session_user(engine, token) is None
    assert accounts.session_user(engine, "forged") is None


def test_sessions_last_a_day_or_less():
    assert accounts.SESSION_HOURS <= 24


def _age_lock(engine, username: str, minutes: float) -> None:
    """Move an account's lock `minutes` into the past, as if that time had gone by."""
    with engine.begin() as connection:
        connection.execute(
            update(AppUser)
            .where(AppUser.username == username)
            .values(locked_at=datetime.now(UTC) - timedelta(minutes=minutes))
        )


def test_repeated_failures_lock_for_a_period_and_an_admin_can_unlock_sooner(engine):
    accounts.add_user(engine, "clumsy", "viewer", PASSWORD)
    results = [accounts.record_failure(engine, "clumsy", "198.51.100.1") for _ in range(accounts.MAX_FAILED_ATTEMPTS)]
    assert results == [False] * (accounts.MAX_FAILED_ATTEMPTS - 1) + [True]
    assert "clumsy" not in accounts.credentials(engine)["usernames"]
    assert accounts.sign_in(engine, "clumsy", PASSWORD, "198.51.100.2") is None  # the right password, locked
    token = signed_in_token(engine, "clumsy")
    assert accounts.session_user(engine, token) is None
    accounts.unlock(engine, "clumsy")
    assert "clumsy" in accounts.credentials(engine)["usernames"]
    assert accounts.get_user(engine, "clumsy").failed_attempts == 0

    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        accounts.record_failure(engine, "clumsy", "198.51.100.1")
    _age_lock(engine, "clumsy", accounts.LOCK_MINUTES - 1)
    assert accounts.get_user(engine, "clumsy").locked
    _age_lock(engine, "clumsy", accounts.LOCK_MINUTES + 1)  # the period is over: no admin needed
    assert not accounts.get_user(engine, "clumsy").locked
    assert accounts.sign_in(engine, "clumsy", PASSWORD, "198.51.100.2").username == "clumsy"
    assert accounts.record_failure(engine, "clumsy", "198.51.100.1") is False  # counting starts again


def test_a_client_that_fails_too_often_is_held_back_whatever_the_account(engine):
    """One address guessing across many names: held back before it locks them all, and its later tries,
    even with a right password, are refused; another address is not affected."""
    accounts.add_user(engine, "target", "viewer", PASSWORD)
    attacker, colleague = "203.0.113.7", "203.0.113.8"
    for number in range(accounts.MAX_CLIENT_FAILURES):
        assert accounts.sign_in(engine, f"name{number}", "guess", attacker) is None
    assert accounts.client_failures(engine, attacker) == accounts.MAX_CLIENT_FAILURES
    assert accounts.sign_in(engine, "target", PASSWORD, attacker) is None
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):  # held back: these no longer count against the account
        accounts.sign_in(engine, "target", "guess", attacker)
    assert not accounts.get_user(engine, "target").locked
    assert accounts.sign_in(engine, "target", PASSWORD, colleague).username == "target"


def test_every_refusal_costs_a_password_check(engine, monkeypatch):
    """An unknown name, a disabled or a locked account take as long to refuse as a wrong password: the
    time of the answer does not tell whether the account exists."""
    accounts.add_user(engine, "slow", "viewer", PASSWORD)
    accounts.add_user(engine, "gone", "viewer", PASSWORD)
    accounts.disable(engine, "gone")
    checks = []
    real = accounts.bcrypt.checkpw
    monkeypatch.setattr(accounts.bcrypt, "checkpw", lambda *a: checks.append(1) or real(*a))
    for username in ("nobody-here", "slow", "gone"):
        assert accounts.sign_in(engine, username, "wrong password", "192.0.2.1") is None
    assert len(checks) == 3


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.5", None, "203.0.113.5"),
        ("203.0.113.5", "10.0.0.1", "203.0.113.5"),  # a header from outside is anyone's to write
        (None, "10.9.9.9, 198.51.100.4", "198.51.100.4"),  # our nginx on loopback appends the real peer last
        (None, None, "local"),
        (None, "  ", "local"),
    ],
)
def test_the_client_is_the_peer_or_what_our_own_proxy_saw(peer, forwarded, client):
    assert accounts.client_address(peer, forwarded) == client


def test_the_cookie_key_must_be_long_outside_the_embedded_demo(monkeypatch):
    monkeypatch.setenv("MIRPS_DATABASE_URL", "postgresql+psycopg://example/db")
    monkeypatch.delenv("MIRPS_COOKIE_KEY", raising=False)
    with pytest.raises(settings.WeakCookieKey):
        settings.cookie_key()
    monkeypatch.setenv("MIRPS_COOKIE_KEY", "short")
    with pytest.raises(settings.WeakCookieKey):
        settings.cookie_key()
    monkeypatch.setenv("MIRPS_COOKIE_KEY", "k" * 32)
    assert settings.cookie_key() == "k" * 32
    monkeypatch.delenv("MIRPS_DATABASE_URL")
    monkeypatch.delenv("MIRPS_COOKIE_KEY")
    assert len(settings.cookie_key()) >= 32  # the embedded demo makes its own


# --- through the pages -------------------------------------------------------------------------------


def test_signing_in_with_the_form_then_out(app_db, engine):
    app = open_page("pages/data.py", lang="en")
    assert sign_in_form_shown(app)
    app.text_input[0].input("ntt-hnd")
    app.text_input[1].input(PASSWORD)
    app.button[0].click().run()
    assert not app.exception
    assert not sign_in_form_shown(app)
    assert app.title[0].value == i18n.t("page_data", "en")
    token = app.session_state[auth.SIGNED_IN_KEY]
    assert accounts.session_user(engine, token).username == "ntt-hnd"

    app.sidebar.button(key="auth_sign_out").click().run()
    assert sign_in_form_shown(app)
    assert accounts.session_user(engine, token) is None


def test_the_answer_never_tells_whether_an_account_exists_or_is_locked(app_db, engine):
    """An unknown name, a wrong password and a locked account (even with its right password) get the same
    words; five wrong passwords lock the account for a period."""
    accounts.add_user(engine, "guesser", "viewer", PASSWORD)
    app = open_page("pages/data.py", lang="es")
    answers = []
    for username, password in (
        [("nobody-here", PASSWORD)] + [("guesser", "not the password")] * 5 + [("guesser", PASSWORD)]
    ):
        app.text_input[0].input(username)
        app.text_input[1].input(password)
        app.button[0].click().run()
        answers.append([e.value for e in app.error])
    assert answers == [[i18n.t("auth_refused", "es", minutes=accounts.LOCK_MINUTES)]] * len(answers)
    assert sign_in_form_shown(app, "es")  # the right password does not open a locked account
    assert accounts.get_user(engine, "guesser").locked


def test_a_weak_cookie_key_stops_every_page(app_db, monkeypatch):
    monkeypatch.setenv("MIRPS_COOKIE_KEY", "short")
    for page in ui.PAGES:
        app = open_page(page.script, lang="en")
        assert [e.value for e in app.error] == [i18n.t("auth_weak_key", "en")]
        assert not app.metric and not app.title


@pytest.mark.parametrize("page", ui.PAGES, ids=lambda p: p.key)
def test_without_public_viewing_every_page_shows_only_the_sign_in(app_db, monkeypatch, page):
    monkeypatch.setenv("MIRPS_PUBLIC_VIEWING", "0")
    app = open_page(page.script, lang="en")
    assert sign_in_form_shown(app)
    assert not app.metric and not app.dataframe and not app.get("vega_lite_chart")


ROLES = (access.PUBLIC, "viewer", "ntt", "ppt", "admin")
USER_OF = {"viewer": "donor", "ntt": "ntt-hnd", "ppt": "ppt", "admin": "sec", access.PUBLIC: None}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ui.PAGES, ids=lambda p: p.key)
def test_role_by_page(app_db, engine, role, page):
    app = open_as(USER_OF[role], engine, page.script)
    assert not app.exception
    if access.can_open(role, page.key):
        assert not sign_in_form_shown(app)
        assert app.title  # the page itself
    elif role == access.PUBLIC:
        assert sign_in_form_shown(app)
    else:
        assert [w.value for w in app.warning] == [
            i18n.t("auth_role_refused", "en", role=i18n.t(f"userrole_{role}", "en"))
        ]


@pytest.mark.parametrize("role", ("ntt", "ppt", "admin"))
def test_data_page_sections_and_buttons_by_role(app_db, engine, role):
    writes.apply(
        engine, access.Actor("ntt-hnd", "ntt", "HND"), [writes.ValueRow(2, hnd_code(engine), 2020, 5.0, None, None)]
    )
    app = open_as(USER_OF[role], engine, "pages/data.py")
    sections = app.main.get("button_group")[0].proto.options
    labels = [o.content for o in sections]
    assert ("Audit log" in labels) == (role in access.APPROVERS)
    assert ("Reference data" in labels) == (role == "admin")
    app.main.get("button_group")[0].set_value("review").run()
    assert not app.exception
    keys = {button.key for button in app.button}
    assert ("data_approve" in keys) == (role in access.APPROVERS)
    assert ("data_unlock" in keys) == (role == "admin")


# --- below the UI: what each role may do, whatever a page shows ---------------------------------------

ACTIONS = {
    "write own country": lambda engine, actor, row: writes.apply(engine, actor, [row]),
    "approve": lambda engine, actor, row: writes.approve(engine, actor, "HND", row.period, seen(engine, row)),
    "publish": lambda engine, actor, row: writes.publish(engine, actor, "HND", row.period, seen(engine, row)),
    "unlock": lambda engine, actor, row: writes.unlock(engine, actor, "HND", row.period, "test"),
    "read audit": lambda engine, actor, row: writes.audit_log(engine, actor),
    "read unpublished": lambda engine, actor, row: writes.review_queue(engine, actor),
}
ALLOWED = {
    "public": set(),
    "viewer": set(),
    "ntt": {"write own country", "read unpublished"},
    "ppt": {"write own country", "approve", "publish", "read audit", "read unpublished"},
    "admin": set(ACTIONS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_role_by_action_below_the_ui(engine, role, action):
    actor = access.Actor(USER_OF[role] or "anonymous", role, "HND" if role == "ntt" else None)
    row = writes.ValueRow(2, hnd_code(engine), 2019, 1.0, None, None)
    before = _audit_count(engine)
    if action in ALLOWED[role]:
        ACTIONS[action](engine, actor, row)
    else:
        with pytest.raises(access.Refused):
            ACTIONS[action](engine, actor, row)
        assert _audit_count(engine) == before + 1  # the refused attempt is logged


def seen(engine, row) -> dict[int, int]:
    """The versions a reviewer is shown of HND's period (read as the PPT: the check under test is the step's)."""
    return writes.review_batch(engine, access.Actor("ppt", "ppt"), "HND", row.period).versions


def hnd_code(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT min(i.code) FROM indicator i JOIN commitment c ON c.id = i.commitment_id "
                "WHERE c.country_iso3 = 'HND'"
            )
        ).scalar_one()


def _audit_count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one()


def test_history_of_a_value_never_changed_here_says_so(app_db, engine):
    app = open_as("ntt-hnd", engine, "pages/data.py")
    app.main.get("button_group")[0].set_value("history").run()
    assert not app.exception
    picked = app.selectbox(key="data_history_value").value
    versions = writes.history(engine, access.Actor("ntt-hnd", "ntt", "HND"), picked["code"], picked["period"])
    if versions:
        assert app.dataframe
    else:
        assert i18n.t(
            "data_history_none", "en", value=i18n.number(picked["value"], "en"), version=picked["version"]
        ) in [info.value for info in app.info]


# --- the sign-in cookie, set by the server ----------------------------------------------------------------


def _request(path: str, *, query: str = "", headers: dict | None = None, peer: str = "127.0.0.1", scheme="http"):
    """A request as Starlette hands it to a route."""
    from starlette.requests import Request

    raw = [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    scope = {"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": raw}
    return Request(scope | {"client": (peer, 50000), "scheme": scheme, "server": ("127.0.0.1", 8501)})


@pytest.fixture
def routes(accounts_url, monkeypatch):
    from mirps_dash import cookie_routes

    monkeypatch.setenv("MIRPS_DATABASE_URL", accounts_url)
    cookie_routes._engine.cache_clear()
    yield cookie_routes
    cookie_routes._engine.cache_clear()


def _set_cookie(response) -> dict[str, str | bool]:
    """The Set-Cookie header's attributes, by lower-case name (flags as True)."""
    first, *attributes = response.headers["set-cookie"].split("; ")
    name, _, value = first.partition("=")
    parsed: dict[str, str | bool] = {"name": name, "value": value}
    for attribute in attributes:
        key, _, setting = attribute.partition("=")
        parsed[key.lower()] = setting or True
    return parsed


def test_the_server_sets_the_cookie_httponly_and_strict_once_per_ticket(routes, engine):
    ticket = accounts.issue_ticket(engine, "donor")
    assert accounts.session_user(engine, ticket) is None  # a ticket is no cookie
    response = routes.set_cookie(_request(routes.COOKIE_PATH, query=f"ticket={ticket}"))
    cookie = _set_cookie(response)
    assert response.status_code == 200 and cookie["name"] == "mirps_session"
    assert cookie["httponly"] is True and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert int(cookie["max-age"]) == accounts.SESSION_HOURS * 3600 and "secure" not in cookie  # plain http
    assert accounts.session_user(engine, cookie["value"]).username == "donor"
    again = routes.set_cookie(_request(routes.COOKIE_PATH, query=f"ticket={ticket}"))
    assert again.status_code == 403 and "set-cookie" not in again.headers  # used once


@pytest.mark.parametrize(
    ("scheme", "peer", "proto", "secure"),
    [
        ("https", "203.0.113.9", None, True),
        ("http", "127.0.0.1", "https", True),  # our nginx on loopback, reached over HTTPS
        ("http", "127.0.0.1", "http", False),
        ("http", "203.0.113.9", "https", False),  # anyone else's header is theirs to write
    ],
)
def test_the_cookie_is_secure_when_the_browser_came_over_https(routes, engine, scheme, peer, proto, secure):
    ticket = accounts.issue_ticket(engine, "donor")
    headers = {"X-Forwarded-Proto": proto} if proto else {}
    response = routes.set_cookie(
        _request(routes.COOKIE_PATH, query=f"ticket={ticket}", headers=headers, peer=peer, scheme=scheme)
    )
    assert ("secure" in _set_cookie(response)) is secure


def test_the_cookie_routes_answer_only_this_site_and_a_live_ticket(routes, engine):
    ticket = accounts.issue_ticket(engine, "donor")
    cross = _request(routes.COOKIE_PATH, query=f"ticket={ticket}", headers={"Sec-Fetch-Site": "cross-site"})
    assert routes.set_cookie(cross).status_code == 403
    assert routes.set_cookie(_request(routes.COOKIE_PATH, query="ticket=forged")).status_code == 403
    with engine.begin() as connection:
        connection.execute(
            update(AuthSession)
            .where(AuthSession.token_hash == accounts.token_hash(f"ticket:{ticket}"))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert routes.set_cookie(_request(routes.COOKIE_PATH, query=f"ticket={ticket}")).status_code == 403


def test_signing_out_ends_the_cookies_session_and_clears_it(routes, engine):
    token = signed_in_token(engine, "donor")
    response = routes.sign_out(_request(routes.SIGN_OUT_PATH, headers={"Cookie": f"mirps_session={token}"}))
    cookie = _set_cookie(response)
    assert cookie["value"] == "" and cookie["max-age"] == "0" and cookie["httponly"] is True
    assert accounts.session_user(engine, token) is None


def test_the_form_has_the_browser_trade_a_ticket_for_its_cookie_and_no_script_sets_it(app_db, engine, routes):
    app = open_page("pages/data.py", lang="en")
    app.text_input[0].input("donor")
    app.text_input[1].input(PASSWORD)
    app.button[0].click().run()
    assert not sign_in_form_shown(app)
    images = [element.proto.body for element in app.get("html") if "/auth/cookie?ticket=" in element.proto.body]
    assert len(images) == 1
    ticket = images[0].split("ticket=")[1].split('"')[0]
    cookie = _set_cookie(routes.set_cookie(_request(routes.COOKIE_PATH, query=f"ticket={ticket}")))
    assert accounts.session_user(engine, cookie["value"]).username == "donor"
    assert not app.get("iframe") and not app.get("custom_component")  # the library's cookie script is gone
