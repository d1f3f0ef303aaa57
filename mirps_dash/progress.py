"""Progress of an indicator against its target: a traffic light and a trend arrow, by a written rule.

The rule, as the SDG dashboards do it: compare the share of the distance from baseline to target that
has been covered (`progress`) with the share of the time from baseline year to target year that has
passed (`expected`).

- on track: progress >= expected (the target reached counts as on track)
- at risk: progress >= half of expected, and moving the right way
- off track: otherwise, including any move away from the target
- not reported: no value yet (never shown as zero)

The arrow compares the latest value with the one before it: towards the target, away from it, or flat.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from mirps_dash import memo

STATUSES = ("on_track", "at_risk", "off_track", "not_reported")
TRENDS = ("towards", "away", "flat")
AT_RISK_SHARE = 0.5
TOLERANCE = 1e-9  # a value exactly on the needed path must not fall off it through float rounding


@dataclass(frozen=True)
class Target:
    baseline_year: int
    baseline: float
    target_year: int
    target: float
    direction: str  # "increase" or "decrease"


def _sign(target: Target) -> int:
    return 1 if target.direction == "increase" else -1


def progress_share(target: Target, value: float) -> float:
    """Share of the baseline-to-target distance covered (1.0 = target reached; negative = wrong way)."""
    distance = (target.target - target.baseline) * _sign(target)
    moved = (value - target.baseline) * _sign(target)
    if distance <= 0:  # a target that only asks to hold the baseline
        return 1.0 if moved >= 0 else -1.0
    return moved / distance


def expected_share(target: Target, year: int) -> float:
    span = target.target_year - target.baseline_year
    if span <= 0:
        return 1.0
    return min(max((year - target.baseline_year) / span, 0.0), 1.0)


def status(target: Target, year: int | None, value: float | None) -> str:
    if year is None or value is None:
        return "not_reported"
    progress = progress_share(target, value)
    expected = expected_share(target, year)
    if progress >= 1.0 or progress >= expected - TOLERANCE:
        return "on_track"
    if progress > 0 and progress >= AT_RISK_SHARE * expected:
        return "at_risk"
    return "off_track"


def trend(target: Target, previous: float | None, latest: float | None) -> str | None:
    if previous is None or latest is None:
        return None
    change = (latest - previous) * _sign(target)
    if change > 0:
        return "towards"
    if change < 0:
        return "away"
    return "flat"


def needed_path(target: Target, years: range) -> list[tuple[int, float]]:
    """The straight line from baseline to target: the trajectory needed to arrive on time."""
    span = max(target.target_year - target.baseline_year, 1)
    return [
        (year, target.baseline + (target.target - target.baseline) * (year - target.baseline_year) / span)
        for year in years
    ]


def target_of(row: dict) -> Target:
    return Target(
        row["baseline_year"], row["baseline_value"], row["target_year"], row["target_value"], row["direction"]
    )


@memo.by_content
def indicator_progress(indicators: pl.DataFrame, values: pl.DataFrame, period: int) -> pl.DataFrame:
    """Each indicator with its latest value up to `period`, the value before, status and trend.

    `reported` says whether the indicator has a value for `period` itself (the coverage count)."""
    upto = values.filter(pl.col("period") <= period).sort("indicator_id", "period")
    latest = upto.group_by("indicator_id").agg(
        pl.col("period").last().alias("latest_period"),
        pl.col("value").last().alias("latest_value"),
        pl.when(pl.len() >= 2).then(pl.col("value").slice(-2, 1).first()).alias("previous_value"),
        pl.col("validated_by").last(),
        pl.col("validated_at").last(),
        pl.col("is_illustrative").any().alias("values_illustrative"),
    )
    joined = indicators.join(latest, on="indicator_id", how="left")
    computed = pl.DataFrame(
        [
            {
                "indicator_id": row["indicator_id"],
                "status": status(target_of(row), row["latest_period"], row["latest_value"]),
                "trend": trend(target_of(row), row["previous_value"], row["latest_value"]),
                "reported": row["latest_period"] == period,
            }
            for row in joined.iter_rows(named=True)
        ],
        schema={"indicator_id": pl.Int64, "status": pl.String, "trend": pl.String, "reported": pl.Boolean},
    )
    return joined.join(computed, on="indicator_id", how="left")


def series_of(values: pl.DataFrame, indicator_id: int) -> pl.DataFrame:
    """One indicator's values (period, value), from a split of `values` made once, not filtered per indicator."""
    found = _series_by_indicator(values).get(indicator_id)
    return values.select("period", "value").clear() if found is None else found


@memo.by_content
def _series_by_indicator(values: pl.DataFrame) -> dict[int, pl.DataFrame]:
    split = values.select("indicator_id", "period", "value").partition_by("indicator_id", as_dict=True)
    return {key[0]: frame.drop("indicator_id") for key, frame in split.items()}


def coverage(progress: pl.DataFrame) -> tuple[int, int]:
    """(indicators reported for the period, indicators in all)."""
    return int(progress["reported"].sum()), progress.height


@memo.by_content
def regional_matrix(counts: pl.DataFrame, progress: pl.DataFrame) -> pl.DataFrame:
    """Country x focus area x real or illustrative: the published commitment count (real rows only),
    indicators, reported, and share on track. Real and illustrative indicators are never counted together:
    a cell is one or the other."""
    published = counts.filter(pl.col("count_type") == "national_action_plan_focus_area").select(
        "country_iso3", "focus_area", "commitments", pl.lit(False).alias("is_illustrative")
    )
    measured = progress.group_by("country_iso3", "focus_area", "is_illustrative").agg(
        pl.len().alias("indicators"),
        pl.col("reported").sum().alias("reported"),
        (pl.col("status") == "on_track").sum().alias("on_track"),
        (pl.col("status") != "not_reported").sum().alias("with_status"),
    )
    keys = ["country_iso3", "focus_area", "is_illustrative"]
    return (
        published.join(measured, on=keys, how="full", coalesce=True)
        .with_columns(
            pl.when(pl.col("with_status") > 0).then(pl.col("on_track") / pl.col("with_status")).alias("share_on_track")
        )
        .sort(keys)
    )


@memo.by_content
def funding_sums(funding: pl.DataFrame, commitment_code: str) -> dict[str, int]:
    """Pledged, committed and paid for one commitment, kept apart (only the last two are funding)."""
    own = funding.filter(pl.col("commitment_code") == commitment_code)
    return {
        kind: int(own.filter(pl.col("kind") == kind)["amount_usd"].sum()) for kind in ("pledged", "committed", "paid")
    }


def funding_gap(need: int | None, sums: dict[str, int]) -> int | None:
    return None if need is None else need - sums["committed"] - sums["paid"]


@memo.by_content
def funding_by_commitment(plan: pl.DataFrame, funding: pl.DataFrame, lang: str) -> pl.DataFrame:
    """One row per commitment: costed need, pledged, committed, paid and the gap, largest gap first.

    The gap counts committed and paid money only: a pledge is a promise, not funding (as OCHA's FTS)."""
    commitments = plan.group_by("commitment_code", maintain_order=True).agg(
        pl.col("country_iso3").first(),
        pl.col("focus_area").first(),
        pl.col(f"commitment_{lang}").first().alias("commitment"),
        pl.col("costed_need_usd").first().alias("need_usd"),
        pl.col("is_illustrative").any(),
    )
    money = funding.pivot(on="kind", index="commitment_code", values="amount_usd", aggregate_function="sum")
    for kind in ("pledged", "committed", "paid"):
        if kind not in money.columns:
            money = money.with_columns(pl.lit(0, dtype=pl.Int64).alias(kind))
    joined = commitments.join(money, on="commitment_code", how="left").with_columns(
        pl.col("pledged", "committed", "paid").fill_null(0)
    )
    return joined.with_columns((pl.col("need_usd") - pl.col("committed") - pl.col("paid")).alias("gap_usd")).sort(
        "gap_usd", descending=True, nulls_last=True
    )


@memo.by_content
def funding_by_country_and_theme(by_commitment: pl.DataFrame) -> pl.DataFrame:
    """Needs, pledges, funding and gap summed per country and focus area (from `funding_by_commitment`)."""
    return (
        by_commitment.group_by("country_iso3", "focus_area")
        .agg(pl.col("need_usd", "pledged", "committed", "paid", "gap_usd").sum(), pl.col("is_illustrative").any())
        .sort("gap_usd", descending=True)
    )
