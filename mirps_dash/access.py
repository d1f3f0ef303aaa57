"""Roles and what each may see. Sign-in arrives later; until then every visitor is the public role.

This is the seam the frame asks: which pages a role may open. Writes and unpublished reads will be
checked here too, below the UI, whatever the UI shows.
"""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC = "public"
ROLES = ("admin", "ppt", "ntt", "viewer")
SIGNED_IN = ROLES

# Pages open to a role; a page not listed is open to everyone, the public included.
PAGE_ROLES: dict[str, tuple[str, ...]] = {"data": ("admin", "ppt", "ntt")}


def can_open(role: str, page_key: str) -> bool:
    allowed = PAGE_ROLES.get(page_key)
    return allowed is None or role in allowed


# Which workflow statuses of reported values each role may read. The public and donors see published
# figures only; the teams who enter and approve data see their work in progress too.
VISIBLE_STATUSES: dict[str, tuple[str, ...]] = {
    PUBLIC: ("published",),
    "viewer": ("published",),
    "ntt": ("draft", "submitted", "approved", "published"),
    "ppt": ("draft", "submitted", "approved", "published"),
    "admin": ("draft", "submitted", "approved", "published"),
}


def visible_statuses(role: str) -> tuple[str, ...]:
    return VISIBLE_STATUSES.get(role, VISIBLE_STATUSES[PUBLIC])


class Refused(PermissionError):
    """An actor tried something its role or country does not allow; the attempt is logged."""


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    country_iso3: str | None = None


WRITERS = ("admin", "ppt", "ntt")


def check_write(actor: Actor, country_iso3: str) -> None:
    """May `actor` write figures of `country_iso3`? National teams write their own country's only."""
    if actor.role not in WRITERS:
        raise Refused(f"{actor.username} ({actor.role}) may not write")
    if actor.role == "ntt" and actor.country_iso3 != country_iso3:
        raise Refused(f"{actor.username} (ntt {actor.country_iso3}) may not write {country_iso3}")


def add_user(engine, username: str, role: str, country_iso3: str | None = None) -> None:
    """An account with a role; a national technical team needs its country."""
    from sqlalchemy import insert

    from mirps_dash.schema import AppUser

    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role == "ntt" and not country_iso3:
        raise ValueError("a national technical team account needs its country")
    with engine.begin() as connection:
        connection.execute(
            insert(AppUser).values(username=username, display_name=username, role=role, country_iso3=country_iso3)
        )


def list_users(engine) -> list[dict]:
    from sqlalchemy import select

    from mirps_dash.schema import AppUser

    with engine.connect() as connection:
        rows = connection.execute(
            select(AppUser.username, AppUser.role, AppUser.country_iso3, AppUser.is_active).order_by(AppUser.username)
        )
        return [row._asdict() for row in rows]
