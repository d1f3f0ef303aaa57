"""The written status rule, checked over random trajectories."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from mirps_dash import progress
from mirps_dash.progress import Target

targets = st.builds(
    Target,
    baseline_year=st.integers(2015, 2020),
    baseline=st.floats(0, 1000, allow_nan=False),
    target_year=st.integers(2024, 2030),
    target=st.floats(0, 1000, allow_nan=False),
    direction=st.sampled_from(["increase", "decrease"]),
)


def consistent(target: Target) -> bool:
    """The target lies in the indicator's direction from the baseline (data entry rejects the rest)."""
    return (target.target - target.baseline) * (1 if target.direction == "increase" else -1) >= 0


@given(targets, st.integers(2015, 2030))
def test_being_on_the_needed_path_is_on_track(target, year):
    assume(consistent(target) and target.baseline_year <= year <= target.target_year)
    on_path = dict(progress.needed_path(target, range(year, year + 1)))[year]
    assert progress.status(target, year, on_path) == "on_track"


@given(targets, st.integers(2016, 2030), st.floats(0, 1000, allow_nan=False), st.floats(0, 1000, allow_nan=False))
def test_a_better_value_never_gets_a_worse_status(target, year, a, b):
    rank = {"on_track": 0, "at_risk": 1, "off_track": 2}
    better, worse = (a, b) if (a - b) * (1 if target.direction == "increase" else -1) >= 0 else (b, a)
    assert rank[progress.status(target, year, better)] <= rank[progress.status(target, year, worse)]


@given(targets, st.integers(2016, 2030))
def test_moving_away_from_the_target_is_off_track(target, year):
    sign = 1 if target.direction == "increase" else -1
    assume((target.target - target.baseline) * sign > 1 and year > target.baseline_year)
    away = target.baseline - (target.target - target.baseline) * 0.1
    assert progress.status(target, year, away) == "off_track"


def test_missing_is_not_reported_and_reaching_the_target_is_on_track():
    target = Target(2019, 40.0, 2026, 80.0, "increase")
    assert progress.status(target, None, None) == "not_reported"
    assert progress.status(target, 2020, 80.0) == "on_track"
    assert progress.status(target, 2024, 55.0) == "at_risk"  # 37.5% of the way, 71% of the time: above half
    assert progress.status(target, 2025, 45.0) == "off_track"


def test_trend_arrow_follows_the_direction():
    falling = Target(2019, 30.0, 2026, 10.0, "decrease")
    assert progress.trend(falling, 25.0, 20.0) == "towards"
    assert progress.trend(falling, 20.0, 25.0) == "away"
    assert progress.trend(falling, 20.0, 20.0) == "flat"
    assert progress.trend(falling, None, 20.0) is None


def test_an_indicators_series_is_its_own_values_in_period_order():
    import polars as pl

    values = pl.DataFrame(
        {"indicator_id": [2, 1, 2, 1], "period": [2023, 2023, 2024, 2024], "value": [5.0, 1.0, 6.0, 2.0]}
    ).sort("indicator_id", "period")
    assert progress.series_of(values, 1).to_dicts() == [{"period": 2023, "value": 1.0}, {"period": 2024, "value": 2.0}]
    assert progress.series_of(values, 2)["value"].to_list() == [5.0, 6.0]
    missing = progress.series_of(values, 3)
    assert missing.is_empty() and missing.schema == values.select("period", "value").schema
