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
}


def _sums(frame: pl.DataFrame, keys: list[str], values: list[str]) -> dict[tuple, dict[str, int]]:
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
    }


def _level_group(level: str) -> str:
    if level in FIRST_LEVEL:
        return "first"
    return "appeal" if level in APPEAL_LEVELS else "other"


def _decision_cells(decisions: pl.DataFrame, country: str, year: int) -> list[dict]:
    """Decisions taken (first instance, appeal), the total protection rate over every level and per level
    group, and the otherwise-closed share, from persons only."""
    rows = decisions.filter(
        pl.col("country_iso3") == country, pl.col("year") == year, pl.col("role") == "asylum"
    ).with_columns(pl.col("dec_level").map_elements(_level_group, return_dtype=pl.String).alias("group"))
    persons, cases = rows.filter(pl.col("dec_pc") == "P"), rows.filter(pl.col("dec_pc") == "C")
    outcome = ["dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total"]
    if persons.is_empty():
        reason = "cases_only" if not cases.is_empty() else "no_data"
        codes = ("asy_decisions_first", "asy_decisions_appeal", "asy_protection_rate")
        codes += ("asy_protection_rate_first", "asy_protection_rate_appeal", "asy_closed_share")
        return [_cell(code, country, year, reason=reason) for code in codes]
    note = "cases_left_out" if not cases.is_empty() else None
    by_group = _sums(persons, ["group"], outcome)
    every = {key: int(persons[key].sum()) for key in outcome}

    def rate(sums: dict | None, code: str) -> dict:
        if sums is None:
            return _cell(code, country, year, reason="no_data", note=note)
        granted = sums["dec_recognized"] + sums["dec_other"]
        substantive = granted + sums["dec_rejected"]
        if substantive == 0:
            return _cell(code, country, year, numerator=granted, denominator=0, reason="no_decisions", note=note)
        return _cell(code, country, year, granted / substantive, granted, substantive, note=note)

    def taken(sums: dict | None, code: str) -> dict:
        if sums is None:
            return _cell(code, country, year, reason="no_data", note=note)
        return _cell(code, country, year, sums["dec_total"], note=note)

    first, appeal = by_group.get(("first",)), by_group.get(("appeal",))
    closed = (
        _cell("asy_closed_share", country, year, reason="no_decisions", note=note)
        if every["dec_total"] == 0
        else _cell(
            "asy_closed_share",
            country,
            year,
            every["dec_closed"] / every["dec_total"],
            every["dec_closed"],
            every["dec_total"],
            note=note,
        )
    )
    return [
        taken(first, "asy_decisions_first"),
        taken(appeal, "asy_decisions_appeal"),
        rate(every, "asy_protection_rate"),
        rate(first, "asy_protection_rate_first"),
        rate(appeal, "asy_protection_rate_appeal"),
        closed,
    ]


def _applications_cell(applications: pl.DataFrame, country: str, year: int) -> dict:
    rows = applications.filter(
        pl.col("country_iso3") == country,
        pl.col("year") == year,
        pl.col("role") == "asylum",
        pl.col("app_type") == "N",
    )
    persons = rows.filter(pl.col("app_pc") == "P")
    if persons.is_empty():
        reason = "cases_only" if rows.height else "no_data"
        return _cell("asy_new_applications", country, year, reason=reason)
    note = "cases_left_out" if rows.height > persons.height else None
    return _cell("asy_new_applications", country, year, persons["applied"].sum(), note=note)


def _stock(stocks: pl.DataFrame, country: str, year: int, role: str, types: tuple[str, ...]) -> int | None:
    rows = stocks.filter(
        pl.col("country_iso3") == country,
        pl.col("year") == year,
        pl.col("role") == role,
        pl.col("population_type").is_in(types),
    )
    return int(rows["value"].sum()) if rows.height else None


def _flow(solutions: pl.DataFrame, country: str, year: int, role: str, kind: str) -> int | None:
    rows = solutions.filter(
        pl.col("country_iso3") == country,
        pl.col("year") == year,
        pl.col("role") == role,
        pl.col("solution_type") == kind,
    )
    return int(rows["value"].sum()) if rows.height else None


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
    people = {(r["country_iso3"], r["year"]): r for r in population.iter_rows(named=True)}
    cells: list[dict] = []
    for country in settings.MIRPS_COUNTRIES:
        for year in years:
            cells.append(_applications_cell(applications, country, year))
            decided = _decision_cells(decisions, country, year)
            cells += decided
            awaiting = _stock(stocks, country, year, "asylum", ("asylum_seekers",))
            cells.append(_cell("asy_awaiting", country, year, awaiting, reason="no_data"))
            first, appeal = decided[0], decided[1]
            taken = [c["value"] for c in (first, appeal) if c["value"] is not None]
            if awaiting is None or not taken:
                reason = "no_data" if awaiting is None else (first["reason"] or "no_data")
                cells.append(_cell("asy_awaiting_years", country, year, reason=reason))
            elif sum(taken) == 0:
                cells.append(_cell("asy_awaiting_years", country, year, None, awaiting, 0, reason="no_decisions"))
            else:
                cells.append(_cell("asy_awaiting_years", country, year, awaiting / sum(taken), awaiting, sum(taken)))
            for code, role, kind in (
                ("sol_naturalisations", "asylum", "naturalisation"),
                ("sol_resettled_from", "origin", "resettlement"),
                ("sol_returned_refugees", "origin", "returned_refugees"),
            ):
                flow = _flow(solutions, country, year, role, kind)
                cells.append(_cell(code, country, year, flow, reason="no_data"))
            inhabitants = people.get((country, year))
            note = (
                "population_projection" if inhabitants and inhabitants["source_id"] == POPULATION_PROJECTION else None
            )
            for code, role in (("host_per_1000", "asylum"), ("from_per_1000", "origin")):
                count = _stock(stocks, country, year, role, PROTECTION_TYPES)
                if count is None:
                    cells.append(_cell(code, country, year, reason="no_data", note=note))
                elif not inhabitants:
                    cells.append(_cell(code, country, year, numerator=count, reason="no_population"))
                else:
                    total = inhabitants["population"]
                    cells.append(_cell(code, country, year, count / total * 1000, count, total, note=note))
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
        change = None if latest["value"] is None or base["value"] is None else latest["value"] - base["value"]
        rows.append(
            {
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
