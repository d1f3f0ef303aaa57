"""Accounts, passwords, lockout and the server's record of signed-in sessions. No Streamlit here.

Passwords are kept only as bcrypt hashes. A sign-in cookie is worth nothing on its own: `session_user` also
needs a live `AuthSession` row, which signing out, disabling the account or resetting its password revokes,
so this record is what really signs a browser out.

`sign_in` answers only yes or no, and takes as long for an unknown name as for a wrong password, so a
refusal never tells whether an account exists. Guessing is held back twice: an account locks for
`LOCK_MINUTES` after `MAX_FAILED_ATTEMPTS` failures (by itself it unlocks; `unlock` ends it sooner), and a
client (its address, `client_address`) that fails `MAX_CLIENT_FAILURES` times within `CLIENT_WINDOW_MINUTES`
is refused whatever it sends, without its tries counting against the accounts it names — so one address
cannot lock every account. Both counts live in the database, so they hold across restarts and replicas.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import bcrypt
from sqlalchemy import Engine, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from mirps_dash import access
from mirps_dash.schema import AppUser, AuditEntry, AuthSession

MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15  # an account locked by failures opens again by itself after this
MAX_CLIENT_FAILURES = 20  # failed sign-ins one address may make within the window; an office behind one NAT
CLIENT_WINDOW_MINUTES = 15  # shares it, so it is four accounts' worth of attempts
SESSION_HOURS = 12  # a working day; the issue asks for a day or less
MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")


class AccountError(ValueError):
    """A user-management request that cannot be done; `code` names an i18n message (`acct_<code>`)."""

    def __init__(self, code: str, **detail):
        self.code = code
        self.detail = detail
        super().__init__(code)


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str
    country_iso3: str | None
    is_active: bool
    failed_attempts: int
    locked: bool

    @property
    def actor(self) -> access.Actor:
        return access.Actor(self.username, self.role, self.country_iso3)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("weak_password", minimum=MIN_PASSWORD_LENGTH)
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything here is UTC."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def _lock_start() -> datetime:
    """A lock set before this moment is over."""
    return _now() - timedelta(minutes=LOCK_MINUTES)


def _locked(locked_at: datetime | None) -> bool:
    return locked_at is not None and _aware(locked_at) > _lock_start()


def _user(row) -> User:
    return User(
        row.username,
        row.display_name,
        row.role,
        row.country_iso3,
        bool(row.is_active),
        row.failed_attempts or 0,
        _locked(row.locked_at),
    )


def _audit(connection, username: str, action: str, detail: str, outcome: str = "ok") -> None:
    connection.execute(insert(AuditEntry).values(username=username, action=action, outcome=outcome, detail=detail))


def add_user(
    engine: Engine,
    username: str,
    role: str,
    password: str,
    country_iso3: str | None = None,
    display_name: str | None = None,
    by: str = "cli",
) -> User:
    """An account with a role; a national technical team needs its country."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError("bad_username")
    if role not in access.ROLES:
        raise AccountError("bad_role", role=role)
    if role == "ntt" and not country_iso3:
        raise AccountError("ntt_needs_country")
    password_hash = hash_password(password)
    try:
        with engine.begin() as connection:
            if connection.execute(select(AppUser.id).where(AppUser.username == username)).first():
                raise AccountError("user_exists", username=username)
            connection.execute(
                insert(AppUser).values(
                    username=username,
                    display_name=display_name or username,
                    role=role,
                    country_iso3=country_iso3 if role == "ntt" else None,
                    password_hash=password_hash,
                    password_changed_at=_now(),
                )
            )
            _audit(connection, by, "user_add", f"{username} ({role}{' ' + country_iso3 if country_iso3 else ''})")
    except IntegrityError:  # the same name added by someone else between the check and the insert
        if get_user(engine, username) is None:
            raise
        raise AccountError("user_exists", username=username) from None
    return get_user(engine, username)


def get_user(engine: Engine, username: str) -> User | None:
    with engine.connect() as connection:
        row = connection.execute(select(AppUser).where(AppUser.username == username.strip().lower())).first()
    return _user(row) if row else None


def list_users(engine: Engine) -> list[User]:
    with engine.connect() as connection:
        return [_user(row) for row in connection.execute(select(AppUser).order_by(AppUser.username))]


def _change(engine: Engine, username: str, action: str, by: str, **values) -> User:
    """Update one account and end its sessions, in one transaction."""
    with engine.begin() as connection:
        changed = connection.execute(update(AppUser).where(AppUser.username == username).values(**values))
        if changed.rowcount != 1:
            raise AccountError("unknown_user", username=username)
        connection.execute(
            update(AuthSession)
            .where(AuthSession.username == username, AuthSession.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
        _audit(connection, by, action, username)
    return get_user(engine, username)


def disable(engine: Engine, username: str, by: str = "cli") -> User:
    return _change(engine, username, "user_disable", by, is_active=False)


def enable(engine: Engine, username: str, by: str = "cli") -> User:
    return _change(engine, username, "user_enable", by, is_active=True, failed_attempts=0, locked_at=None)


def reset_password(engine: Engine, username: str, password: str, by: str = "cli") -> User:
    return _change(
        engine,
        username,
        "user_reset",
        by,
        password_hash=hash_password(password),
        password_changed_at=_now(),
        failed_attempts=0,
        locked_at=None,
    )


def unlock(engine: Engine, username: str, by: str = "cli") -> User:
    return _change(engine, username, "user_unlock", by, failed_attempts=0, locked_at=None)


def credentials(engine: Engine) -> dict:
    """The accounts a password may open now: active, not locked, with a password."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(AppUser.username, AppUser.display_name, AppUser.password_hash).where(
                AppUser.is_active.is_(True),
                or_(AppUser.locked_at.is_(None), AppUser.locked_at <= _lock_start()),
                AppUser.password_hash.is_not(None),
            )
        )
        return {"usernames": {r.username: {"name": r.display_name, "password": r.password_hash} for r in rows}}


# Checked when there is no real hash to check (an unknown name, a locked or disabled account), so every
# refusal costs one bcrypt check: a fast "no" would tell which names exist.
_NO_ACCOUNT_HASH = bcrypt.hashpw(b"no account has this password", bcrypt.gensalt()).decode()


def client_address(peer: str | None, forwarded_for: str | None) -> str:
    """Who is signing in, for holding back guessing: the connection's address (`peer`, None when it is the
    loopback interface). On loopback the connection is the project's own nginx (deploy/), which appends the
    address it was reached from to X-Forwarded-For, so the last entry there is the client; a header that
    arrives from anywhere else is the sender's to write and is ignored."""
    if peer:
        return peer
    last = (forwarded_for or "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return "local"


def _client_note(client: str) -> str:
    return f"client {client}: "


def client_failures(engine: Engine, client: str) -> int:
    """Failed sign-ins from `client` within the last `CLIENT_WINDOW_MINUTES`, from the audit log."""
    since = _now() - timedelta(minutes=CLIENT_WINDOW_MINUTES)
    with engine.connect() as connection:
        return connection.execute(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "sign_in",
                AuditEntry.outcome == "refused",
                AuditEntry.at >= since,
                AuditEntry.detail.startswith(_client_note(client), autoescape=True),
            )
        ).scalar_one()


def sign_in(engine: Engine, username: str, password: str, client: str) -> User | None:
    """The account `username` opens with `password` from `client`, or None, whatever the reason: an unknown
    name, a wrong password, a disabled or locked account, or a client held back. Every refusal is counted
    (the account's only while its client is not held back) and audited with the client."""
    username = (username or "").strip().lower()[:80]
    held_back = client_failures(engine, client) >= MAX_CLIENT_FAILURES
    user = get_user(engine, username) if username else None
    with engine.connect() as connection:
        stored = (
            connection.execute(select(AppUser.password_hash).where(AppUser.username == username)).scalar()
            if user and user.is_active and not user.locked
            else None
        )
    try:
        matches = bcrypt.checkpw((password or "").encode()[:72], (stored or _NO_ACCOUNT_HASH).encode())
    except ValueError:  # a stored value that is not a bcrypt hash opens nothing
        matches = False
    if matches and stored and not held_back:
        return user
    if held_back:
        with engine.begin() as connection:
            _audit(connection, username or "?", "sign_in", _client_note(client) + "client held back", "refused")
    else:
        record_failure(engine, username, client)
    return None


def record_failure(engine: Engine, username: str, client: str = "local") -> bool:
    """Count a failed sign-in from `client`; True when the account is locked after it. A lock whose
    period is over starts the count again."""
    username = (username or "").strip().lower()[:80]
    note = _client_note(client)
    with engine.begin() as connection:
        row = connection.execute(
            select(AppUser.failed_attempts, AppUser.locked_at).where(AppUser.username == username)
        ).first()
        if row is None:
            _audit(connection, username or "?", "sign_in", note + "unknown user", "refused")
            return False
        if _locked(row.locked_at):
            _audit(connection, username, "sign_in", note + "account locked", "refused")
            return True
        attempts = (0 if row.locked_at is not None else row.failed_attempts or 0) + 1
        locks = attempts >= MAX_FAILED_ATTEMPTS
        connection.execute(
            update(AppUser)
            .where(AppUser.username == username)
            .values(failed_attempts=attempts, locked_at=_now() if locks else None)
        )
        detail = f"{note}failed attempt {attempts}" + (f", locked for {LOCK_MINUTES} minutes" if locks else "")
        _audit(connection, username, "sign_in", detail, "refused")
    return locks


def is_locked(engine: Engine, username: str) -> bool:
    user = get_user(engine, username or "")
    return bool(user and user.locked)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    engine: Engine, username: str, token: str, hours: float = SESSION_HOURS, how: str = "password"
) -> None:
    """Record a sign-in: the token `token` now opens this account until it expires or is revoked."""
    with engine.begin() as connection:
        connection.execute(
            insert(AuthSession).values(
                username=username, token_hash=token_hash(token), expires_at=_now() + timedelta(hours=hours)
            )
        )
        connection.execute(update(AppUser).where(AppUser.username == username).values(failed_attempts=0))
        _audit(connection, username, "sign_in", how)


TICKET_SECONDS = 60


def _ticket_hash(ticket: str) -> str:
    """Kept apart from session tokens' hashes: a ticket never opens a page as a cookie would."""
    return token_hash(f"ticket:{ticket}")


def issue_ticket(engine: Engine, username: str) -> str:
    """A one-time ticket, good for `TICKET_SECONDS`, that the browser that just signed in trades at the
    server's cookie route (`cookie_routes`) for a session of its own in an HttpOnly cookie. Kept as a
    session record of its own, never a cookie's."""
    ticket = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        connection.execute(
            insert(AuthSession).values(
                username=username,
                token_hash=_ticket_hash(ticket),
                expires_at=_now() + timedelta(seconds=TICKET_SECONDS),
            )
        )
    return ticket


def redeem_ticket(engine: Engine, ticket: str | None) -> str | None:
    """A new session token for the account of `ticket`, or None: unknown, used, expired, or its account
    since disabled or locked. A ticket is used once: redeeming it revokes it, in the same transaction."""
    if not ticket:
        return None
    with engine.begin() as connection:
        row = connection.execute(
            select(AuthSession.id, AuthSession.username, AuthSession.expires_at).where(
                AuthSession.token_hash == _ticket_hash(ticket), AuthSession.revoked_at.is_(None)
            )
        ).first()
        if row is None or _aware(row.expires_at) <= _now():
            return None
        used = connection.execute(
            update(AuthSession)
            .where(AuthSession.id == row.id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=_now())
        )
        if used.rowcount != 1:  # redeemed at the same moment elsewhere
            return None
    user = get_user(engine, row.username)
    if user is None or not user.is_active or user.locked:
        return None
    token = secrets.token_urlsafe(32)
    open_session(engine, user.username, token, how="cookie")
    return token


def session_user(engine: Engine, token: str | None) -> User | None:
    """The account a cookie token opens, or None: unknown, expired, revoked, disabled or locked."""
    if not token:
        return None
    with engine.connect() as connection:
        row = connection.execute(
            select(AuthSession.expires_at, AuthSession.revoked_at, AppUser)
            .join(AppUser, AppUser.username == AuthSession.username)
            .where(AuthSession.token_hash == token_hash(token))
        ).first()
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= _now():
        return None
    user = _user(row)
    return user if user.is_active and not user.locked else None


def close_session(engine: Engine, token: str | None, username: str) -> None:
    """Sign out: the token opens nothing from now on, whoever kept a copy."""
    with engine.begin() as connection:
        if token:
            connection.execute(
                update(AuthSession)
                .where(AuthSession.token_hash == token_hash(token), AuthSession.revoked_at.is_(None))
                .values(revoked_at=_now())
            )
        _audit(connection, username, "sign_out", "")
