"""Where query results are cached: `queries` wrapped in `st.cache_resource` for frames (`_shared`) and
`st.cache_data` for other values (`_data`); the reader in `st.cache_resource`.
(What pages derive from the results is remembered by `memo`.)

Every cached read takes the database URL as its first argument, so two databases never share entries, and
is kept under the database's data version too (`datastamp`): a write committed anywhere (this process, a
command-line import, a restore, another replica) gives the data a new version, so the next read after it
misses and reads afresh. The version is read at most once every `VERSION_SECONDS` per process.

The cache is shared by all sessions: a read that depends on who asks (unpublished values) takes the
asker's `access.ReadScope` as its key, never a role, so a national team never gets another's entries.
"""

from __future__ import annotations

import functools
import threading
import time
from dataclasses import dataclass

import polars as pl
import streamlit as st

from mirps_dash import access, briefing, cuts, datastamp, load, public_indicators, queries, settings

TTL = settings.CACHE_TTL_SECONDS
MAX_ENTRIES = 64
VERSION_SECONDS = 1.0  # how stale a figure may be after a write elsewhere, for one tiny query a second


def url() -> str:
    return settings.database_url()


@st.cache_resource(show_spinner=False)
def reader(database_url: str) -> queries.Reader:
    return queries.Reader(database_url)


@st.cache_resource(show_spinner=False)
def load_lock(database_url: str) -> threading.Lock:
    """One first-run load at a time per process; the load itself is idempotent."""
    return threading.Lock()


_VERSIONS: dict[str, tuple[float, str]] = {}  # database URL -> (when read, data version)
_VERSIONS_LOCK = threading.Lock()


def data_version(database_url: str) -> str:
    """The database's data version, read again when the one known is over `VERSION_SECONDS` old. When it
    has moved, the entries of older versions are dropped (they could never be hit again)."""
    now = time.monotonic()
    known = _VERSIONS.get(database_url)
    if known is not None and now - known[0] < VERSION_SECONDS:
        return known[1]
    current = datastamp.current(reader(database_url).engine)
    with _VERSIONS_LOCK:
        _VERSIONS[database_url] = (now, current)
    if known is not None and known[1] != current:
        _clear_entries()
    return current


_CACHED: list = []  # every versioned cached function, for `clear`


def _versioned(cache, function):
    """`function(database_url, *args)` cached by `cache` under the database's data version as well."""

    def keyed(database_url, version, *args, **kwargs):
        return function(database_url, *args, **kwargs)

    # Streamlit keys a cached function by its module, name and source: `keyed`'s are the function's.
    keyed.__module__, keyed.__qualname__, keyed.__name__ = function.__module__, function.__qualname__, function.__name__
    keyed.__doc__ = function.__doc__
    cached = cache(keyed)
    _CACHED.append(cached)

    @functools.wraps(function)
    def call(database_url, *args, **kwargs):
        return cached(database_url, data_version(database_url), *args, **kwargs)

    call.clear = cached.clear
    return call


def _shared(max_entries: int = MAX_ENTRIES):
    """Cache a read's frame and hand every caller that same frame: no copy on a hit, and `memo` knows it
    again by identity. Safe because polars frames are never changed in place here; values of other
    types stay in `st.cache_data` (`_data`), which copies."""
    return functools.partial(_versioned, st.cache_resource(ttl=TTL, max_entries=max_entries, show_spinner=False))


def _data(max_entries: int):
    return functools.partial(_versioned, st.cache_data(ttl=TTL, max_entries=max_entries, show_spinner=False))


def _clear_entries() -> None:
    for cached in _CACHED:
        cached.clear()


def clear() -> None:
    """Forget every cached read and the data version known (after a write in this process), keeping the
    reader and its connections."""
    with _VERSIONS_LOCK:
        _VERSIONS.clear()
    _clear_entries()


@_data(8)
def needs_load(database_url: str) -> bool:
    return load.needs_load(reader(database_url).engine)


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


@_data(8)
def idmc_years(database_url: str) -> tuple[int, int] | None:
    return queries.idmc_year_span(reader(database_url))


@_shared(8)
def commitment_counts(database_url: str) -> pl.DataFrame:
    return queries.commitment_counts(reader(database_url))


@_shared(8)
def cities(database_url: str) -> pl.DataFrame:
    return queries.cities(reader(database_url))


@_shared(8)
def working_groups(database_url: str) -> pl.DataFrame:
    return queries.working_groups(reader(database_url))


@_data(8)
def population_years(database_url: str) -> tuple[int, int] | None:
    return queries.population_year_span(reader(database_url))


@_data(8)
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
def indicator_values(database_url: str, scope: access.ReadScope) -> pl.DataFrame:
    """The values `scope` may read (`access.read_scope` of the signed-in actor). Keyed by scope, never by
    role or user: a national team shares entries with its own country's team only."""
    return queries.indicator_values(reader(database_url), scope)


@_shared(16)
def narratives(database_url: str, scope: access.ReadScope) -> pl.DataFrame:
    return queries.narratives(reader(database_url), scope)


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

    def public_indicator_table(self) -> pl.DataFrame:
        return public_indicator_table(self.database_url)


# Data cuts never change once made: only the list grows (`cut_created` clears what a new cut outdates).
@_data(8)
def cut_list(database_url: str) -> list[cuts.Info]:
    return cuts.list_cuts(reader(database_url).engine)


@_data(16)
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


@_data(8)
def live_figures(database_url: str) -> dict:
    return cuts.figures(Cached(database_url))


@_shared(4)
def grf_pledges(database_url: str) -> pl.DataFrame:
    return queries.grf_pledges(reader(database_url))


@_shared(4)
def public_indicator_table(database_url: str) -> pl.DataFrame:
    """Every public-statistics indicator for every State and year (`public_indicators.compute`): a few
    hundred rows, computed once per data version."""
    return public_indicators.compute(*queries.public_indicator_sources(reader(database_url)))


# Whole files: a few per language, deck and cut, built on the first click (rendering charts takes seconds).
@_data(4)
def factsheet_pdf(database_url: str, lang: str, cut_name: str | None = None) -> bytes:
    from mirps_dash import factsheet  # fpdf2 and vl-convert load only when a file is asked for

    data = figures_of(database_url, cut_name)
    return factsheet.pdf(data, lang, data.stamp(lang) if cut_name else None)


@_data(16)
def deck_pptx(database_url: str, lang: str, deck: str, cut_name: str | None = None) -> bytes:
    from mirps_dash import pptx_deck

    data = figures_of(database_url, cut_name)
    return pptx_deck.pptx(data, lang, deck, data.stamp(lang) if cut_name else None)


@_data(8)
def cut_xlsx(database_url: str, lang: str, cut_name: str) -> bytes:
    return cuts.xlsx(figures_of(database_url, cut_name), lang)
