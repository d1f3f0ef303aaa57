"""Roles and what each may see and do, checked below the UI whatever the UI shows.

The frame asks which pages a role may open; `writes` asks before every write and every read of
unpublished values. A visitor who has not signed in is the public role, which sees published figures
only where the deployment allows public viewing (`settings.public_viewing`).
"""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC = "public"
ROLES = ("admin", "ppt", "ntt", "viewer")

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
    "ntt": ("draft", "submitted", "returned", "approved", "published"),
    "ppt": ("draft", "submitted", "returned", "approved", "published"),
    "admin": ("draft", "submitted", "returned", "approved", "published"),
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


APPROVERS = ("admin", "ppt")


def check_approve(actor: Actor) -> None:
    """Approving, returning and publishing a country's period is the PPT's (and the Secretariat's)."""
    if actor.role not in APPROVERS:
        raise Refused(f"{actor.username} ({actor.role}) may not approve or publish")


def check_admin(actor: Actor) -> None:
    """Unlocking periods, reference data and accounts are the Technical Secretariat's."""
    if actor.role != "admin":
        raise Refused(f"{actor.username} ({actor.role}) is not an administrator")


def check_read(actor: Actor, statuses: tuple[str, ...]) -> None:
    """Reading values in `statuses`: anything not yet published is for the teams that work on it."""
    hidden = set(statuses) - set(visible_statuses(actor.role))
    if hidden:
        raise Refused(f"{actor.username} ({actor.role}) may not read {', '.join(sorted(hidden))} values")
