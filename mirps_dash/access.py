"""Roles and what each may see and do, checked below the UI whatever the UI shows.

The frame asks which pages a role may open; `writes` asks before every write and every read of
unpublished values. What an actor may read of reported values is its `read_scope`: published figures of
every country, and unpublished ones only of the countries it works on (a national team its own; the PPT
and the Secretariat all). `queries.in_scope` turns a scope into the condition every such read carries,
and `cache` keys those reads by the scope. A visitor who has not signed in is the public role, which sees
published figures only where the deployment allows public viewing (`settings.public_viewing`).
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
    """The statuses `role` may read somewhere (a national team: of its own country only; `read_scope`)."""
    return VISIBLE_STATUSES.get(role, VISIBLE_STATUSES[PUBLIC])


PUBLISHED = ("published",)
# Roles that read unpublished values of every country; a national team reads its own country's only.
READS_EVERY_COUNTRY = ("admin", "ppt")


@dataclass(frozen=True)
class ReadScope:
    """What one actor may read of reported values and national chapters: `published` statuses of every
    country, and `unpublished` statuses too of `countries` (None: of every country).

    Plain sorted tuples, so it is a cache key equal for equal scopes (the cache shares entries between
    sessions with the same scope, never between a national team and another country's)."""

    published: tuple[str, ...] = PUBLISHED
    unpublished: tuple[str, ...] = ()
    countries: tuple[str, ...] | None = ()

    def statuses_of(self, country: str) -> tuple[str, ...]:
        """The statuses readable of `country`'s values."""
        if self.countries is None or country in self.countries:
            return self.published + self.unpublished
        return self.published

    def allows(self, country: str, status: str) -> bool:
        return status in self.statuses_of(country)


PUBLIC_SCOPE = ReadScope()


def read_scope(actor: Actor | None) -> ReadScope:
    """The read scope of `actor` (None: a visitor who has not signed in). The PPT and the Secretariat read
    everything; a national team its own country's work in progress and everyone's published figures; a
    viewer and the public published figures only."""
    if actor is None:
        return PUBLIC_SCOPE
    statuses = visible_statuses(actor.role)
    unpublished = tuple(s for s in statuses if s not in PUBLISHED)
    if not unpublished:
        return PUBLIC_SCOPE
    if actor.role in READS_EVERY_COUNTRY:
        return ReadScope(PUBLISHED, unpublished, None)
    own = (actor.country_iso3,) if actor.country_iso3 else ()
    return ReadScope(PUBLISHED, unpublished, own) if own else PUBLIC_SCOPE


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
