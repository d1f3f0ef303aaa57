"""Progress measured with public statistics: indicators computed for every MIRPS State and year from UNHCR's
asylum, population and solutions data and total population, each with a stable code, its definition and
the rule that says whether a change is progress.

Data rules (the issue's and UNHCR's):
- persons and cases are never added: a year a State reports only in cases has no figure, with that reason;
  where some levels are in persons and others in cases, the persons are used and the note says so;
- rates follow UNHCR: the total protection rate is (recognized + complementary protection) /
  (recognized + complementary protection + rejected), otherwise-closed decisions left out (and shown apart as a
  share of all decisions); over every decision level the source reports, and each level group apart;
- a missing figure is None with a reason, never 0; a zero denominator is no rate, with a reason;
- solutions are flows during the year, never added to stocks;
- per-1,000 figures of 2025 divide by a UN projection where earlier years divide by World Bank estimates:
  the note says so wherever they appear.

Direction rule (written on /plans and each indicator page): the change since the baseline year is
"improving" when it goes the indicator's way by more than the threshold (5% of the baseline value for counts;
1 percentage point for rates), "worsening" when it goes the other way by more than that, "stable" otherwise.
Indicators whose direction is "neutral" (applications, rates, hosting) show their change without a verdict:
more claims or a lower recognition rate is not in itself progress or regress.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from mirps_dash import memo, settings

BASELINE_YEAR = 2018  # the year before the national plans' start is not in the shipped data: the issue's default
FIRST_LEVEL = ("FI",)
APPEAL_LEVELS = ("AR", "JR", "RA")  # administrative and judicial review, repeat/reopened
PROTECTION_TYPES = ("refugees", "asylum_seekers", "oip")
POPULATION_PROJECTION = "un_wpp2024_medium"
STABLE_SHARE = 0.05  # counts: within 5% of the baseline value is stable
STABLE_POINTS = 0.01  # rates (held as shares): within 1 percentage point is stable
ASSESSMENTS = ("improving", "worsening", "stable", "no_verdict", "not_comparable")

# Why a cell has no figure: i18n keys "pi_reason_" + reason.
REASONS = ("no_data", "cases_only", "no_decisions", "no_population")


@dataclass(frozen=True)
class PublicIndicator:
    code: str
    focus_area: str  # protection | solutions | hosting
    direction: str  # increase | decrease | neutral
    unit: str  # people | share | per_1000 | years
    sources: tuple[str, ...]
    baseline_year: int = BASELINE_YEAR

    @property
    def is_rate(self) -> bool:
        return self.unit == "share"


APPLICATIONS = ("unhcr_asylum_applications",)
DECISIONS = ("unhcr_asylum_decisions",)
POPULATION = ("wb_wdi_sp_pop_totl", POPULATION_PROJECTION)

INDICATORS: tuple[PublicIndicator, ...] = (
    PublicIndicator("asy_new_applications", "protection", "neutral", "people", APPLICATIONS),
    PublicIndicator("asy_decisions_first", "protection", "increase", "people", DECISIONS),
    PublicIndicator("asy_decisions_appeal", "protection", "increase", "people", DECISIONS),
    PublicIndicator("asy_protection_rate", "protection", "neutral", "share", DECISIONS),
    PublicIndicator("asy_protection_rate_first", "protection", "neutral", "share", DECISIONS),
    PublicIndicator("asy_protection_rate_appeal", "protection", "neutral", "share", DECISIONS),
    PublicIndicator("asy_closed_share", "protection", "neutral", "share", DECISIONS),
    PublicIndicator("asy_awaiting", "protection", "decrease", "people", ("unhcr_population",)),
    PublicIndicator("asy_awaiting_years", "protection", "decrease", "years", ("unhcr_population", *DECISIONS)),
    PublicIndicator("sol_naturalisations", "solutions", "increase", "people", ("unhcr_solutions",)),
    PublicIndicator("sol_resettled_from", "solutions", "neutral", "people", ("unhcr_solutions",)),
    PublicIndicator("sol_returned_refugees", "solutions", "neutral", "people", ("unhcr_solutions",)),
    PublicIndicator("host_per_1000", "hosting", "neutral", "per_1000", ("unhcr_population", *POPULATION)),
    PublicIndicator("from_per_1000", "hosting", "neutral", "per_1000", ("unhcr_population", *POPULATION)),
)
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
COLUMNS = {
    "code": pl.String,
    "country_iso3": pl.String,
    "year": pl.Int64,
    "value": pl.Float64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "reason": pl.String,
    "note": pl.String,
    # per 1,000 only: the change since the baseline over the types counted in both years, and the types
    # counted in one of the two only (comma-separated), which that change leaves out
    "baseline_change": pl.Float64,
    "outside_change": pl.String,
}


OUTCOMES = ("dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total")
SOLUTION_FLOWS = (
    ("sol_naturalisations", "asylum", "naturalisation"),
    ("sol_resettled_from", "origin", "resettlement"),
    ("sol_returned_refugees", "origin", "returned_refugees"),
)
DECISION_CODES = (
    "asy_decisions_first",
    "asy_decisions_appeal",
    "asy_protection_rate",
    "asy_protection_rate_first",
    "asy_protection_rate_appeal",
    "asy_closed_share",
)


def _sums(frame: pl.DataFrame, keys: list[str], values: list[str]) -> dict[tuple, dict[str, int]]:
    """`values` summed by `keys`, as a lookup: one group-by up front, where a filter per cell was a
    thousand."""
    if frame.is_empty():
        return {}
    grouped = frame.group_by(keys).agg(pl.col(v).sum() for v in values)
    return {tuple(row[k] for k in keys): {v: row[v] for v in values} for row in grouped.iter_rows(named=True)}


def _cell(code, country, year, value=None, numerator=None, denominator=None, reason=None, note=None) -> dict:
    return {
        "code": code,
        "country_iso3": country,
        "year": year,
        "value": None if value is None else float(value),
        "numerator": None if numerator is None else float(numerator),
        "denominator": None if denominator is None else float(denominator),
        "reason": reason if value is None else None,
        "note": note,
        "baseline_change": None,
        "outside_change": None,
    }


def _level_group(level: str) -> str:
    if level in FIRST_LEVEL:
        return "first"
    return "appeal" if level in APPEAL_LEVELS else "other"


@dataclass(frozen=True)
class _Lookups:
    """The sources summed once by the keys the indicators read them by."""

    applications: dict  # (country, year, unit) -> new claims
    decisions: dict  # (country, year, unit, level group) -> outcome sums
    decision_totals: dict  # (country, year, unit) -> outcome sums over every level
    stocks: dict  # (country, year, role, population type) -> people
    flows: dict  # (country, year, role, solution type) -> people
    population: dict  # (country, year) -> {"population", "source_id"}


def _lookups(applications, decisions, stocks, solutions, population) -> _Lookups:
    claims = applications.filter(pl.col("role") == "asylum", pl.col("app_type") == "N")
    asylum = decisions.filter(pl.col("role") == "asylum").with_columns(
        pl.col("dec_level").map_elements(_level_group, return_dtype=pl.String).alias("group")
    )
    return _Lookups(
        applications={
            k: v["applied"] for k, v in _sums(claims, ["country_iso3", "year", "app_pc"], ["applied"]).items()
        },
        decisions=_sums(asylum, ["country_iso3", "year", "dec_pc", "group"], list(OUTCOMES)),
        decision_totals=_sums(asylum, ["country_iso3", "year", "dec_pc"], list(OUTCOMES)),
        stocks={
            k: v["value"]
            for k, v in _sums(stocks, ["country_iso3", "year", "role", "population_type"], ["value"]).items()
        },
        flows={
            k: v["value"]
            for k, v in _sums(solutions, ["country_iso3", "year", "role", "solution_type"], ["value"]).items()
        },
        population={(r["country_iso3"], r["year"]): r for r in population.iter_rows(named=True)},
    )


def _unit_reason(persons: bool, cases: bool) -> tuple[str | None, str | None]:
    """(reason there is no figure, note on the figure) from which units the source holds for a cell."""
    if not persons:
        return ("cases_only" if cases else "no_data"), None
    return None, ("cases_left_out" if cases else None)


def _applications_cell(data: _Lookups, country: str, year: int) -> dict:
    persons, cases = data.applications.get((country, year, "P")), data.applications.get((country, year, "C"))
    reason, note = _unit_reason(persons is not None, cases is not None)
    return _cell("asy_new_applications", country, year, persons, reason=reason, note=note)


def _decision_cells(data: _Lookups, country: str, year: int) -> list[dict]:
    """Decisions taken (first instance, appeal), the total protection rate over every level and per level
    group, and the otherwise-closed share, from persons only."""
    every = data.decision_totals.get((country, year, "P"))
    reason, note = _unit_reason(every is not None, (country, year, "C") in data.decision_totals)
    if every is None:
        return [_cell(code, country, year, reason=reason) for code in DECISION_CODES]

    def rate(sums: dict | None, code: str) -> dict:
        if sums is None:
            return _cell(code, country, year, reason="no_data", note=note)
        granted = sums["dec_recognized"] + sums["dec_other"]
        substantive = granted + sums["dec_rejected"]
        if substantive == 0:
            return _cell(code, country, year, numerator=granted, denominator=0, reason="no_decisions", note=note)
        return _cell(code, country, year, granted / substantive, granted, substantive, note=note)

    def taken(sums: dict | None, code: str) -> dict:
        value = None if sums is None else sums["dec_total"]
        return _cell(code, country, year, value, reason="no_data", note=note)

    first = data.decisions.get((country, year, "P", "first"))
    appeal = data.decisions.get((country, year, "P", "appeal"))
    closed, total = every["dec_closed"], every["dec_total"]
    return [
        taken(first, "asy_decisions_first"),
        taken(appeal, "asy_decisions_appeal"),
        rate(every, "asy_protection_rate"),
        rate(first, "asy_protection_rate_first"),
        rate(appeal, "asy_protection_rate_appeal"),
        _cell(
            "asy_closed_share",
            country,
            year,
            closed / total if total else None,
            closed,
            total,
            reason="no_decisions",
            note=note,
        ),
    ]


def _stock(data: _Lookups, country: str, year: int, role: str, types: tuple[str, ...]) -> int | None:
    found = [data.stocks[key] for t in types if (key := (country, year, role, t)) in data.stocks]
    return sum(found) if found else None


def _awaiting_cells(data: _Lookups, country: str, year: int, decided: list[dict]) -> list[dict]:
    """People awaiting a decision, and the years of decisions they stand for at the year's pace."""
    awaiting = _stock(data, country, year, "asylum", ("asylum_seekers",))
    cells = [_cell("asy_awaiting", country, year, awaiting, reason="no_data")]
    first, appeal = decided[0], decided[1]
    taken = [c["value"] for c in (first, appeal) if c["value"] is not None]
    if awaiting is None or not taken:
        reason = "no_data" if awaiting is None else (first["reason"] or "no_data")
        cells.append(_cell("asy_awaiting_years", country, year, reason=reason))
    elif sum(taken) == 0:
        cells.append(_cell("asy_awaiting_years", country, year, None, awaiting, 0, reason="no_decisions"))
    else:
        cells.append(_cell("asy_awaiting_years", country, year, awaiting / sum(taken), awaiting, sum(taken)))
    return cells


def _counted(data: _Lookups, country: str, year: int, role: str) -> dict[str, int]:
    """The protection types the source counts (more than 0) for a State, year and role, with their counts."""
    found = {t: data.stocks.get((country, year, role, t)) or 0 for t in PROTECTION_TYPES}
    return {t: n for t, n in found.items() if n > 0}


def _like_for_like(data: _Lookups, country: str, year: int, role: str) -> tuple[float | None, str | None]:
    """The change per 1,000 since the baseline over the types counted in both years, and the types counted in
    one year only (left out of that change). Costa Rica's other people in need of international protection
    are counted from 2019: against 2018, their arrival in the count is not growth."""
    now, then = _counted(data, country, year, role), _counted(data, country, BASELINE_YEAR, role)
    inhabitants, before = data.population.get((country, year)), data.population.get((country, BASELINE_YEAR))
    both = [t for t in PROTECTION_TYPES if t in now and t in then]
    outside = ",".join(t for t in PROTECTION_TYPES if (t in now) != (t in then)) or None
    if not both or not inhabitants or not before:
        return None, outside
    per_1000 = [
        sum(counts[t] for t in both) / people["population"] * 1000
        for counts, people in ((now, inhabitants), (then, before))
    ]
    return per_1000[0] - per_1000[1], outside


def _per_1000_cells(data: _Lookups, country: str, year: int) -> list[dict]:
    inhabitants = data.population.get((country, year))
    projected = inhabitants is not None and inhabitants["source_id"] == POPULATION_PROJECTION
    note = "population_projection" if projected else None
    cells = []
    for code, role in (("host_per_1000", "asylum"), ("from_per_1000", "origin")):
        count = _stock(data, country, year, role, PROTECTION_TYPES)
        if count is None:
            cells.append(_cell(code, country, year, reason="no_data", note=note))
        elif not inhabitants:
            cells.append(_cell(code, country, year, numerator=count, reason="no_population"))
        else:
            total = inhabitants["population"]
            cell = _cell(code, country, year, count / total * 1000, count, total, note=note)
            cell["baseline_change"], cell["outside_change"] = _like_for_like(data, country, year, role)
            cells.append(cell)
    return cells


def change_since_baseline(latest: dict | None, base: dict | None) -> tuple[float | None, list[str]]:
    """The change from the baseline cell to the latest, like for like where the cells say what the count
    covered (per 1,000: the types counted in both years), and the types left out of it. A table from a data
    cut made before the cells said so gives the plain difference."""
    if not latest or not base or latest["value"] is None or base["value"] is None:
        return None, []
    outside = latest.get("outside_change") if base["year"] == BASELINE_YEAR else None
    if outside:
        return latest.get("baseline_change"), outside.split(",")
    return latest["value"] - base["value"], []


@memo.by_content
def compute(
    applications: pl.DataFrame,
    decisions: pl.DataFrame,
    stocks: pl.DataFrame,
    solutions: pl.DataFrame,
    population: pl.DataFrame,
) -> pl.DataFrame:
    """Every indicator for every MIRPS State and every year any source covers: one row per code, State and
    year (columns as `COLUMNS`), a missing figure a null value with its reason."""
    years = sorted(
        set(applications["year"].to_list())
        | set(decisions["year"].to_list())
        | set(stocks["year"].to_list())
        | set(solutions["year"].to_list())
    )
    data = _lookups(applications, decisions, stocks, solutions, population)
    cells: list[dict] = []
    for country in settings.MIRPS_COUNTRIES:
        for year in years:
            cells.append(_applications_cell(data, country, year))
            decided = _decision_cells(data, country, year)
            cells += decided
            cells += _awaiting_cells(data, country, year, decided)
            for code, role, kind in SOLUTION_FLOWS:
                cells.append(_cell(code, country, year, data.flows.get((country, year, role, kind)), reason="no_data"))
            cells += _per_1000_cells(data, country, year)
    return pl.DataFrame(cells, schema=COLUMNS, orient="row")


def assessment(indicator: PublicIndicator, baseline: float | None, latest: float | None) -> str:
    """The direction rule of the module docstring, for one change."""
    if baseline is None or latest is None:
        return "not_comparable"
    if indicator.direction == "neutral":
        return "no_verdict"
    change = latest - baseline
    threshold = STABLE_POINTS if indicator.is_rate else STABLE_SHARE * abs(baseline)
    if abs(change) <= threshold:
        return "stable"
    towards = change > 0 if indicator.direction == "increase" else change < 0
    return "improving" if towards else "worsening"


def value_at(table: pl.DataFrame, code: str, country: str, year: int) -> dict | None:
    rows = table.filter(pl.col("code") == code, pl.col("country_iso3") == country, pl.col("year") == year)
    return rows.row(0, named=True) if rows.height else None


@memo.by_content
def summary(table: pl.DataFrame, country: str, year: int) -> list[dict]:
    """One row per indicator for `country`: the value in `year`, the baseline value, the change and the
    assessment, with the reasons where a figure is missing."""
    rows = []
    for indicator in INDICATORS:
        latest = value_at(table, indicator.code, country, year) or _cell(
            indicator.code, country, year, reason="no_data"
        )
        base = value_at(table, indicator.code, country, indicator.baseline_year) or _cell(
            indicator.code, country, indicator.baseline_year, reason="no_data"
        )
        change, outside = change_since_baseline(latest, base)
        rows.append(
            {
                "outside_change": outside,
                "code": indicator.code,
                "focus_area": indicator.focus_area,
                "unit": indicator.unit,
                "year": year,
                "value": latest["value"],
                "reason": latest["reason"],
                "note": latest["note"],
                "baseline_year": indicator.baseline_year,
                "baseline_value": base["value"],
                "baseline_reason": base["reason"],
                "change": change,
                "assessment": assessment(indicator, base["value"], latest["value"]),
            }
        )
    return rows


@memo.by_content
def series(table: pl.DataFrame, code: str, countries: tuple[str, ...] | None = None) -> pl.DataFrame:
    """One indicator over the years, for `countries` (every MIRPS State by default), figures only."""
    countries = countries or settings.MIRPS_COUNTRIES
    return table.filter(
        pl.col("code") == code, pl.col("country_iso3").is_in(countries), pl.col("value").is_not_null()
    ).select("country_iso3", "year", "value", "note")


@memo.by_content
def ranking(table: pl.DataFrame, code: str, year: int) -> pl.DataFrame:
    """The seven States by one indicator in `year`, highest first; States without a figure last, with
    their reason."""
    rows = table.filter(pl.col("code") == code, pl.col("year") == year)
    return rows.sort(["value", "country_iso3"], descending=[True, False], nulls_last=True)


@memo.by_content
def years(table: pl.DataFrame) -> list[int]:
    """The years the table covers, latest first (a year picker's options)."""
    return sorted(table["year"].unique().to_list(), reverse=True)


@memo.by_content
def lines(table: pl.DataFrame, code: str) -> pl.DataFrame:
    """One indicator's figures for every State (country_iso3, year, value): what its chart draws."""
    return series(table, code).select("country_iso3", "year", "value")
