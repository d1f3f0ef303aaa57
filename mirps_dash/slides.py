"""The decks a presenter steps through in presentation mode: which slides, in which order.

A slide is a kind and, for country slides, the country. The default deck tells the regional story;
a country deck shows one member state. Pure data, so the order is tested without a browser."""

from __future__ import annotations

from dataclasses import dataclass

from mirps_dash import settings

REGION = "region"


@dataclass(frozen=True)
class Slide:
    kind: str  # headline, trend_asylum, trend_origin, by_country, hosting, idps, country, country_flows,
    # country_hosts, protection, protection_people, plans, cities, workplan, support
    country: str | None = None


def deck(name: str, *, workplan: bool = True) -> list[Slide]:
    """`region` (the default) or a MIRPS ISO3 code; anything else falls back to the regional deck. The
    regional deck has the work plan's slide only with `workplan` (a plan for this year is loaded)."""
    if name in settings.MIRPS_COUNTRIES:
        kinds = ("country", "country_flows", "country_hosts", "protection", "protection_people")
        return [Slide(kind, name) for kind in kinds]
    regional = [
        Slide("headline"),
        Slide("trend_asylum"),
        Slide("trend_origin"),
        Slide("by_country"),
        Slide("hosting"),  # the same people per 1,000 inhabitants: the effort beside the size of the country
        Slide("idps"),
    ]
    story = [Slide("plans"), Slide("cities"), *([Slide("workplan")] if workplan else []), Slide("support")]
    return regional + [Slide("country", code) for code in settings.MIRPS_COUNTRIES] + story


def position(requested: str | None, slides: list[Slide]) -> int:
    """A 1-based slide number from the URL, kept inside the deck."""
    try:
        number = int(requested or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), len(slides))
