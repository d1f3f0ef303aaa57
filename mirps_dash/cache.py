"""Where query results are cached: `queries` wrapped in `st.cache_resource` for frames (`_shared`) and
`st.cache_data` for other values; the reader in `st.cache_resource`.
(What pages derive from the results is remembered by `memo`.)

Every cached read takes the database URL as its first argument, so two databases never share entries.
Only public, non-personal aggregates are cached here: the cache is shared by all sessions.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import polars as pl
import streamlit as st

from mirps_dash import access, briefing, cuts, load, queries, settings

TTL = settings.CACHE_TTL_SECONDS
MAX_ENTRIES = 64


def url() -> str:
    return settings.database_url()


@st.cache_resource(show_spinner=False)
def reader(database_url: str) -> queries.Reader:
    return queries.Reader(database_url)


@st.cache_resource(show_spinner=False)
def load_lock(database_url: str) -> threading.Lock:
    """One first-run load at a time per process; the load itself is idempotent."""
    return threading.Lock()


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def needs_load(database_url: str) -> bool:
    return load.needs_load(reader(database_url).engine)


_SHARED: list = []  # the functions `_shared` made, for `clear`


def _shared(max_entries: int = MAX_ENTRIES):
    """Cache a read's frame and hand every caller that same frame: no copy on a hit, and `memo` knows it
    again by identity. Safe because polars frames are never changed in place here; values of other
    types stay in `st.cache_data`, which copies."""

    def decorate(function):
        cached = st.cache_resource(ttl=TTL, max_entries=max_entries, show_spinner=False)(function)
        _SHARED.append(cached)
        return cached

    return decorate


def clear() -> None:
    """Forget every cached read (after a write), keeping the reader and its connections."""
    st.cache_data.clear()
    for cached in _SHARED:
        cached.clear()


@_shared()
def population_totals(database_url: str, countries: tuple[str, ...]) -> pl.DataFrame:
    return queries.population_totals(reader(database_url), countries)


@_shared()
def population_by_country(database_url: str, years: tuple[int, ...]) -> pl.DataFrame:
    return queries.population_by_country(reader(database_url), years)


@_shared(8)
def idmc_idp_stocks(database_url: str) -> pl.DataFrame:
    return queries.idmc_idp_stocks(reader(database_url))


@_shared(8)
def presidencies(database_url: str) -> pl.DataFrame:
    return queries.presidencies(reader(database_url))


@_shared(8)
def support_platform_chairs(database_url: str) -> pl.DataFrame:
    return queries.support_platform_chairs(reader(database_url))


@_shared(8)
def annual_meetings(database_url: str) -> pl.DataFrame:
    return queries.annual_meetings(reader(database_url))


@_shared(8)
def loaded_files(database_url: str) -> pl.DataFrame:
    return queries.loaded_files(reader(database_url))


@_shared()
def population_series(
    database_url: str, countries: tuple[str, ...], role: str, types: tuple[str, ...], years: tuple[int, int]
) -> pl.DataFrame:
    return queries.population_series(reader(database_url), countries, role, types, years)


@_shared()
def partners(database_url: str, country: str, direction: str, year: int, types: tuple[str, ...]) -> pl.DataFrame:
    return queries.partners(reader(database_url), country, direction, year, types)


@_shared()
def solutions(database_url: str, countries: tuple[str, ...], years: tuple[int, int]) -> pl.DataFrame:
    return queries.solutions(reader(database_url), countries, years)


@_shared()
def idmc_new_displacements(database_url: str, countries: tuple[str, ...]) -> pl.DataFrame:
    return queries.idmc_new_displacements(reader(database_url), countries)


@_shared(8)
def commitment_counts(database_url: str) -> pl.DataFrame:
    return queries.commitment_counts(reader(database_url))


@_shared(8)
def cities(database_url: str) -> pl.DataFrame:
    return queries.cities(reader(database_url))


@_shared(8)
def working_groups(database_url: str) -> pl.DataFrame:
    return queries.working_groups(reader(database_url))


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def population_years(database_url: str) -> tuple[int, int] | None:
    return queries.population_year_span(reader(database_url))


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def workplan_years(database_url: str) -> list[int]:
    return queries.workplan_years(reader(database_url))["plan_year"].to_list()


@_shared(16)
def workplan_events(database_url: str, plan_year: int) -> pl.DataFrame:
    return queries.workplan_events(reader(database_url), plan_year)


@_shared(16)
def workplan_groups(database_url: str, plan_year: int) -> pl.DataFrame:
    return queries.workplan_groups(reader(database_url), plan_year)


@_shared(16)
def workplan_outcomes(database_url: str, plan_year: int) -> pl.DataFrame:
    return queries.workplan_outcomes(reader(database_url), plan_year)


@_shared(16)
def facts(database_url: str, category: str) -> pl.DataFrame:
    return queries.facts(reader(database_url), category)


@_shared(8)
def support_platform_members(database_url: str) -> pl.DataFrame:
    return queries.support_platform_members(reader(database_url))


@_shared(8)
def plan_indicators(database_url: str) -> pl.DataFrame:
    return queries.plan_indicators(reader(database_url))


@_shared(16)
def indicator_values(database_url: str, role: str) -> pl.DataFrame:
    """The values `role` may read (`access` decides: unpublished ones only for the teams that work on
    them). Keyed by role, never by user: the same role gives the same rows."""
    return queries.indicator_values(reader(database_url), access.visible_statuses(role))


@_shared(16)
def narratives(database_url: str, role: str) -> pl.DataFrame:
    return queries.narratives(reader(database_url), access.visible_statuses(role))


@_shared(8)
def funding(database_url: str) -> pl.DataFrame:
    return queries.funding(reader(database_url))


@_shared(16)
def workplan_partnerships(database_url: str, plan_year: int) -> pl.DataFrame:
    return queries.workplan_partnerships(reader(database_url), plan_year)


@dataclass(frozen=True)
class Cached:
    """`briefing.Data` from the cached reads above, so slides and files share the app's cache."""

    database_url: str

    def population_totals(self, countries: tuple[str, ...]) -> pl.DataFrame:
        return population_totals(self.database_url, countries)

    def population_by_country(self, years: tuple[int, ...]) -> pl.DataFrame:
        return population_by_country(self.database_url, years)

    def idmc_idp_stocks(self) -> pl.DataFrame:
        return idmc_idp_stocks(self.database_url)

    def partners(self, country: str, direction: str, year: int, types: tuple[str, ...]) -> pl.DataFrame:
        return partners(self.database_url, country, direction, year, types)

    def population_years(self) -> tuple[int, int] | None:
        return population_years(self.database_url)

    def commitment_counts(self) -> pl.DataFrame:
        return commitment_counts(self.database_url)

    def cities(self) -> pl.DataFrame:
        return cities(self.database_url)

    def workplan_years(self) -> pl.DataFrame:
        return queries.workplan_years(reader(self.database_url))

    def workplan_events(self, plan_year: int) -> pl.DataFrame:
        return workplan_events(self.database_url, plan_year)

    def facts(self, category: str) -> pl.DataFrame:
        return facts(self.database_url, category)


# Data cuts never change once made: only the list grows (`cut_created` clears what a new cut outdates).
@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def cut_list(database_url: str) -> list[cuts.Info]:
    return cuts.list_cuts(reader(database_url).engine)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def cut(database_url: str, name: str) -> cuts.Cut | None:
    return cuts.load(reader(database_url).engine, name)


def cut_created() -> None:
    cut_list.clear()
    cut.clear()


def figures_of(database_url: str, cut_name: str | None) -> briefing.Data:
    """The named cut's frozen figures, or the live ones (None); an unknown name raises `cuts.CutError`."""
    if cut_name is None:
        return Cached(database_url)
    found = cut(database_url, cut_name)
    if found is None:
        raise cuts.CutError("unknown", name=cut_name)
    return found


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def live_figures(database_url: str) -> dict:
    return cuts.figures(Cached(database_url))


# Whole files: a few per language, deck and cut, built on the first click (rendering charts takes seconds).
@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def factsheet_pdf(database_url: str, lang: str, cut_name: str | None = None) -> bytes:
    from mirps_dash import factsheet  # fpdf2 and vl-convert load only when a file is asked for

    data = figures_of(database_url, cut_name)
    return factsheet.pdf(data, lang, data.stamp(lang) if cut_name else None)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def deck_pptx(database_url: str, lang: str, deck: str, cut_name: str | None = None) -> bytes:
    from mirps_dash import pptx_deck

    data = figures_of(database_url, cut_name)
    return pptx_deck.pptx(data, lang, deck, data.stamp(lang) if cut_name else None)


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def cut_xlsx(database_url: str, lang: str, cut_name: str) -> bytes:
    return cuts.xlsx(figures_of(database_url, cut_name), lang)
