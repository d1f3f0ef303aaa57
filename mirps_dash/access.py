"""Roles and what each may see. Sign-in arrives later; until then every visitor is the public role.

This is the seam the frame asks: which pages a role may open. Writes and unpublished reads will be
checked here too, below the UI, whatever the UI shows.
"""

from __future__ import annotations

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
