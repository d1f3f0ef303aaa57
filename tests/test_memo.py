"""`memo`: results remembered by the content of their arguments, never by identity, and never stale."""

from __future__ import annotations

import gc
import traceback
from pathlib import Path

import polars as pl
import pytest

from mirps_dash import access, cache, charts, memo, metrics, ui
from tests.conftest import open_page


def test_equal_frames_share_a_key_and_any_difference_parts_them():
    frame = pl.DataFrame({"year": [2024, 2025], "value": [1, 2]})
    assert memo.content_key(frame) == memo.content_key(pl.DataFrame({"year": [2024, 2025], "value": [1, 2]}))
    others = [
        frame.reverse(),  # row order draws a different chart
        frame.with_columns(pl.col("value").cast(pl.Float64)),
        frame.rename({"value": "count"}),
        frame.head(1),
        frame.with_columns(pl.lit(3).alias("value")),
    ]
    keys = {memo.content_key(other) for other in others} | {memo.content_key(frame)}
    assert len(keys) == len(others) + 1


def test_a_result_is_computed_once_per_content():
    calls = []

    @memo.by_content
    def total(frame: pl.DataFrame, lang: str) -> int:
        calls.append(lang)
        return int(frame["value"].sum())

    first = pl.DataFrame({"value": [1, 2]})
    assert total(first, "es") == 3
    assert total(pl.DataFrame({"value": [1, 2]}), "es") == 3  # a new object, the same content
    assert total(first, "en") == 3
    assert total(pl.DataFrame({"value": [5]}), "es") == 5
    assert calls == ["es", "en", "es"]


def test_a_frame_is_digested_once_and_its_digest_goes_with_it(monkeypatch):
    digested = []
    dumps = memo.pickle.dumps
    monkeypatch.setattr(memo.pickle, "dumps", lambda value: digested.append(type(value)) or dumps(value))
    frame = pl.DataFrame({"value": [1, 2]})
    assert memo.content_key(frame) == memo.content_key(frame) == memo.content_key(pl.DataFrame({"value": [1, 2]}))
    assert digested == [pl.DataFrame, pl.DataFrame]  # the second object is digested; the first only once
    gone = id(frame)
    del frame
    gc.collect()
    assert gone not in memo._DIGESTS


def test_cached_reads_hand_out_one_frame_until_a_write_clears_them(app_database):
    reader = cache.reader(app_database)
    first = cache.cities(app_database)
    assert cache.cities(app_database) is first  # no copy on a hit: memo finds its digest again
    cache.clear()
    again = cache.cities(app_database)
    assert again is not first and again.equals(first)
    assert cache.reader(app_database) is reader  # clearing reads keeps the connections


def test_an_argument_without_a_content_key_is_computed_every_time():
    calls = []

    @memo.by_content
    def length(items) -> int:
        calls.append(len(items))
        return len(items)

    assert length([{"a": 1}]) == 1 and length([{"a": 1}]) == 1  # a dict in a list: keyed by its items
    assert length({1, 2}) == 2 and length({1, 2}) == 2  # a set has no hash: computed each time
    assert calls == [1, 2, 2]


def test_at_most_a_bounded_number_of_results_are_kept():
    @memo.by_content
    def double(value: int) -> int:
        return 2 * value

    for value in range(memo.REMEMBER + 50):
        double(value)
    assert double.cache_size() == memo.REMEMBER


def test_remembered_pages_functions_give_what_they_computed():
    series = pl.DataFrame(
        {
            "year": [2024, 2024, 2025],
            "country_iso3": ["HND", "GTM", "HND"],
            "population_type": ["refugees"] * 3,
            "value": [10, 20, 30],
        }
    )
    ranking = metrics.country_totals(series, 2025)
    assert metrics.country_totals(series.clone(), 2025) is ranking
    chart = charts.country_ranking(ranking, "en")
    assert charts.country_ranking(ranking.clone(), "en") is chart
    assert charts.country_ranking(ranking, "es") is not chart


def test_forget_drops_what_every_function_remembered():
    calls = []

    @memo.by_content
    def echo(value: int) -> int:
        calls.append(value)
        return value

    echo(1)
    echo(1)
    memo.forget()
    echo(1)
    assert calls == [1, 1]


def _polars_queries(monkeypatch) -> list[str]:
    """Every query polars runs from now on, named by the project line that asked for it. Eager frame calls
    go through one method of LazyFrame; a check that it still does keeps the count from going blind."""
    ran: list[str] = []
    method = "_collect_eager" if hasattr(pl.LazyFrame, "_collect_eager") else "collect"
    original = getattr(pl.LazyFrame, method)

    def counted(self, *args, **kwargs):
        ours = [f for f in traceback.extract_stack() if "/mirps_dash/" in f.filename or "/pages/" in f.filename]
        ran.append(f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pl.LazyFrame, method, counted)
    pl.DataFrame({"a": [1, 2]}).select("a")
    assert ran, f"polars no longer runs eager calls through LazyFrame.{method}"
    ran.clear()
    return ran


@pytest.mark.parametrize("page", [p for p in ui.PAGES if access.can_open(access.PUBLIC, p.key)], ids=lambda p: p.key)
def test_a_rerun_of_a_page_with_the_same_view_asks_polars_for_nothing(app_database, monkeypatch, page):
    """Each polars call costs 0.4-1 ms on a rerun after a pause (the CPU's caches gone cold): what a page
    shows of a frame is remembered (`tables.view`, `metrics.partitions`...), never recomputed per click."""
    app = open_page(page.script, lang="en")
    app.run()
    ran = _polars_queries(monkeypatch)
    app.run()
    assert not app.exception
    assert ran == []
