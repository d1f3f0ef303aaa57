"""Pure polars transforms behind the figures: headline totals, trends, comparisons, governance look-ups.

Two rules hold everywhere here. UNHCR lists internally displaced people under both roles (origin and
asylum are the same country), so roles are never added together and UNHCR IDPs are read under one role.
Missing stays missing: a figure with no rows is None ("no data"), never 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

from mirps_dash import memo


@memo.by_content
def where(frame: pl.DataFrame, **equals: object) -> pl.DataFrame:
    """The rows whose columns equal the given values: the one filter pages need, kept out of page code."""
    return frame.filter(*(pl.col(column) == value for column, value in equals.items())) if equals else frame


@memo.by_content
def where_in(frame: pl.DataFrame, column: str, values, *, keep: bool = True) -> pl.DataFrame:
    match = pl.col(column).is_in(list(values))
    return frame.filter(match if keep else ~match)


@memo.by_content
def distinct(frame: pl.DataFrame, column: str) -> list:
    """The column's values, each once, in ascending order (nulls left out)."""
    return frame[column].drop_nulls().unique().sort().to_list()


@memo.by_content
def partitions(frame: pl.DataFrame, column: str) -> list[pl.DataFrame]:
    """The rows split by the column's value, in the order each value first appears."""
    return frame.partition_by(column, maintain_order=True)


def up_to_year(frame: pl.DataFrame, year: int) -> pl.DataFrame:
    return frame.filter(pl.col("year") <= year)


# People in need of international protection outside their country: the headline's hosted/from figures.
PROTECTION_TYPES = ("refugees", "asylum_seekers", "oip")
# The per-type table: everything but the host community, which is not displaced.
TABLE_TYPES = ("refugees", "asylum_seekers", "oip", "idps", "returned_refugees", "returned_idps", "stateless", "ooc")
# Returns during the year (flows): never added to the end-year stocks, shown apart and labelled as flows.
FLOW_TYPES = ("returned_refugees", "returned_idps")
# The end-year stocks a reader may add up (within one role): the table's types but the flows.
STOCK_TYPES = tuple(code for code in TABLE_TYPES if code not in FLOW_TYPES)
IDMC_CONFLICT_STOCK = "unhcr_refugees_pkg_idmc"


@dataclass(frozen=True)
class Figure:
    """A headline figure for one year and its change since the year before.

    The change is like for like: it covers only the countries, and within them the population types, with
    people counted in both years, so a country or a type counted for the first time does not show up as
    growth; `left_out` names the (country, type) pairs counted in one of the two years only."""

    year: int
    value: int | None
    countries_reporting: int
    delta: int | None
    delta_countries: int
    # The source holds 0 for the year before where people are counted now: not counted then, not a base.
    previous_not_counted: bool = False
    entered: tuple[tuple[str, str], ...] = ()  # counted in `year`, not the year before
    left: tuple[tuple[str, str], ...] = ()  # counted the year before, not in `year`


def latest_year(frame: pl.DataFrame) -> int | None:
    return frame["year"].max() if frame.height else None


def protection(by_country: pl.DataFrame, role: str, year: int) -> pl.DataFrame:
    """Refugees, asylum-seekers and OIP per country for one role and year (country_iso3, population_type,
    value): summed by `figure`, which compares them type by type."""
    return (
        by_country.filter(
            pl.col("year") == year, pl.col("role") == role, pl.col("population_type").is_in(PROTECTION_TYPES)
        )
        .group_by("country_iso3", "population_type")
        .agg(pl.col("value").sum())
    )


def unhcr_idps(by_country: pl.DataFrame, year: int) -> pl.DataFrame:
    return by_country.filter(
        pl.col("year") == year, pl.col("role") == "asylum", pl.col("population_type") == "idps"
    ).select("country_iso3", "value")


def idmc_conflict(stocks: pl.DataFrame, year: int) -> pl.DataFrame:
    return stocks.filter(pl.col("year") == year, pl.col("source_id") == IDMC_CONFLICT_STOCK).select(
        "country_iso3", "value"
    )


def figure(per_country: Callable[[int], pl.DataFrame], year: int) -> Figure:
    """The value is what the source says, zeros included. But a country *reports* a headline figure only
    when it counts people (> 0), and the change is taken over what is counted in both years, country by
    country and, where `per_country` gives a population_type column, type by type: UNHCR stores 0 where it
    counted none (Guatemala's IDPs until 2024), and a first figure after a 0 is not growth."""
    current = per_country(year)
    previous = per_country(year - 1)
    keys = [key for key in ("country_iso3", "population_type") if key in current.columns]
    countries = current.group_by("country_iso3").agg(pl.col("value").sum())
    counted = countries.filter(pl.col("value") > 0)
    now, before = _counted(current, year, keys, dated=False), _counted(previous, year - 1, keys, dated=False)
    both = now.join(before, on=keys, suffix="_previous")
    sums_before = previous.group_by("country_iso3").agg(pl.col("value").sum())
    zero_before = counted.join(sums_before.filter(pl.col("value") <= 0), on="country_iso3", how="semi")
    return Figure(
        year=year,
        value=int(current["value"].sum()) if current.height else None,
        countries_reporting=counted.height,
        delta=int((both["value"] - both["value_previous"]).sum()) if both.height else None,
        delta_countries=both["country_iso3"].n_unique(),
        previous_not_counted=not both.height and zero_before.height > 0,
        entered=_pairs(now.join(before, on=keys, how="anti"), keys) if both.height else (),
        left=_pairs(before.join(now, on=keys, how="anti"), keys) if both.height else (),
    )


@memo.by_content
def headline(
    by_country: pl.DataFrame, idmc_stocks: pl.DataFrame, year: int, country: str | None = None
) -> dict[str, Figure]:
    """The four headline figures for the region, or for one `country` (`by_country` holds `year` and the
    year before).

    IDMC's figure is for IDMC's own latest year, which need not be UNHCR's; for one country, its figure
    for `year` or its latest before it (the card says which year)."""
    if country:
        by_country = where(by_country, country_iso3=country)
        idmc_stocks = up_to_year(where(idmc_stocks, country_iso3=country), year)
    idmc_year = latest_year(idmc_stocks.filter(pl.col("source_id") == IDMC_CONFLICT_STOCK)) or year
    return {
        "hosted": figure(lambda y: protection(by_country, "asylum", y), year),
        "abroad": figure(lambda y: protection(by_country, "origin", y), year),
        "idps_unhcr": figure(lambda y: unhcr_idps(by_country, y), year),
        "idps_idmc": figure(lambda y: idmc_conflict(idmc_stocks, y), idmc_year),
    }


@memo.by_content
def by_type(by_country: pl.DataFrame, year: int) -> pl.DataFrame:
    """One row per population type: hosted in (asylum) and from (origin) MIRPS countries; null = no data."""
    rows = by_country.filter(pl.col("year") == year)
    sums = rows.group_by("population_type", "role").agg(pl.col("value").sum())
    wide = sums.pivot(on="role", index="population_type", values="value")
    for role in ("asylum", "origin"):
        if role not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Int64).alias(role))
    order = pl.DataFrame({"population_type": TABLE_TYPES, "order": range(len(TABLE_TYPES))})
    return (
        order.join(wide, on="population_type", how="left")
        .sort("order")
        .select("population_type", pl.col("asylum").alias("hosted"), pl.col("origin").alias("from"))
    )


@memo.by_content
def protection_trend(totals: pl.DataFrame, role: str) -> pl.DataFrame:
    """Year x population type for one role, the protection types only."""
    return totals.filter(pl.col("role") == role, pl.col("population_type").is_in(PROTECTION_TYPES)).select(
        "year", "population_type", "value"
    )


@memo.by_content
def protection_by_country(by_country: pl.DataFrame, year: int) -> pl.DataFrame:
    """Country x role: hosted and from, for the protection types; countries without rows are left out."""
    return (
        by_country.filter(pl.col("year") == year, pl.col("population_type").is_in(PROTECTION_TYPES))
        .group_by("country_iso3", "role")
        .agg(pl.col("value").sum())
        .sort("country_iso3", "role")
    )


@memo.by_content
def idp_comparison(by_country: pl.DataFrame, idmc_stocks: pl.DataFrame, year: int) -> pl.DataFrame:
    """Country x source (unhcr, idmc) for `year`; zeros in UNHCR's data are real zeros and are kept."""
    unhcr = by_country.filter(
        pl.col("year") == year, pl.col("role") == "asylum", pl.col("population_type") == "idps"
    ).select("country_iso3", pl.lit("unhcr").alias("source"), "value")
    idmc = idmc_stocks.filter(pl.col("year") == year, pl.col("source_id") == IDMC_CONFLICT_STOCK).select(
        "country_iso3", pl.lit("idmc").alias("source"), "value"
    )
    return pl.concat([unhcr, idmc]).sort("country_iso3", "source")


@memo.by_content
def split_by_reporting(frame: pl.DataFrame, countries: tuple[str, ...]) -> tuple[pl.DataFrame, list[str]]:
    """The rows of the countries of `countries` with a positive value in `frame`, and the countries
    without one (named under the chart, never drawn as zero)."""
    present = set(frame.filter(pl.col("value") > 0)["country_iso3"].to_list())
    missing = [c for c in countries if c not in present]
    return where_in(frame, "country_iso3", missing, keep=False), missing


@memo.by_content
def presidency_for(presidencies: pl.DataFrame, year: int) -> dict | None:
    rows = presidencies.filter(pl.col("year") == year)
    return rows.row(0, named=True) if rows.height else None


@memo.by_content
def latest_chair(chairs: pl.DataFrame) -> dict | None:
    """The chair whose term is the most recent one recorded (by start, else by end)."""
    if not chairs.height:
        return None
    ranked = chairs.with_columns(pl.coalesce("term_start", "term_end").alias("_when")).sort("_when", nulls_last=True)
    return ranked.drop("_when").row(-1, named=True)


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_to_int(numeral: str) -> int:
    values = [ROMAN[c] for c in numeral.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@memo.by_content
def upcoming_and_latest(meetings: pl.DataFrame, today: date, latest: int = 3) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Meetings on or after `today`, and the `latest` most recent before it.

    Dates keep the source's precision ("2024", "2024-01-24"), so they cannot be sorted as text; the
    meetings' Roman numerals are their order."""
    stamp = today.isoformat()
    numbered = meetings.with_columns(
        pl.col("meeting").map_elements(roman_to_int, return_dtype=pl.Int64).alias("number")
    ).sort("number")
    upcoming = numbered.filter(pl.col("date") >= stamp)
    past = numbered.filter(pl.col("date") < stamp).reverse().head(latest)
    return upcoming, past


@memo.by_content
def totals_by_year_and_type(series: pl.DataFrame) -> pl.DataFrame:
    """Sum over countries: year x population_type (the trend chart's data)."""
    return series.group_by("year", "population_type").agg(pl.col("value").sum()).sort("year", "population_type")


@memo.by_content
def country_totals(series: pl.DataFrame, year: int) -> pl.DataFrame:
    """Per country, the sum of the selected types in `year`, largest first; countries without rows are absent."""
    return (
        series.filter(pl.col("year") == year)
        .group_by("country_iso3")
        .agg(pl.col("value").sum())
        .sort(["value", "country_iso3"], descending=[True, False])
    )


@memo.by_content
def type_shares(series: pl.DataFrame, year: int) -> pl.DataFrame:
    """Each type's total in `year` and its share of the selected types (0..1); empty when the total is 0."""
    by_type = series.filter(pl.col("year") == year).group_by("population_type").agg(pl.col("value").sum())
    total = by_type["value"].sum()
    if not total:
        return by_type.with_columns(pl.lit(None, dtype=pl.Float64).alias("share")).head(0)
    return by_type.with_columns((pl.col("value") / total).alias("share")).sort("value", descending=True)


@dataclass(frozen=True)
class Coverage:
    """Two years of a series compared like for like: `first` and `last` sum only what is counted (> 0) in
    both `start` and `end`, by country and type; `entered` and `left` are the (country, type) pairs counted
    in `end` only and in `start` only (country "" where the series is already summed over countries). A
    type counted for the first time (Mexico's IDPs from 2022) is a change of coverage, not growth."""

    start: int
    end: int
    first: int
    last: int
    total: int
    entered: tuple[tuple[str, str], ...]
    left: tuple[tuple[str, str], ...]


def _counted(series: pl.DataFrame, year: int, keys: list[str], *, dated: bool = True) -> pl.DataFrame:
    """The `keys` with people counted (> 0) in `year` (`dated=False`: `series` holds that year alone)."""
    rows = (series.filter(pl.col("year") == year) if dated else series).group_by(keys).agg(pl.col("value").sum())
    return rows.filter(pl.col("value") > 0)


def _pairs(frame: pl.DataFrame, keys: list[str]) -> tuple[tuple[str, str], ...]:
    for key in ("country_iso3", "population_type"):
        if key not in keys:
            frame = frame.with_columns(pl.lit("").alias(key))
    return tuple(frame.select("country_iso3", "population_type").sort("population_type", "country_iso3").iter_rows())


@memo.by_content
def coverage(series: pl.DataFrame, start: int, end: int) -> Coverage:
    """`start` against `end` like for like (columns year, population_type, value, and country_iso3 unless
    the series is one country's or summed over countries)."""
    keys = [key for key in ("country_iso3", "population_type") if key in series.columns]
    before, after = _counted(series, start, keys), _counted(series, end, keys)
    both = before.join(after, on=keys, suffix="_end")
    return Coverage(
        start=start,
        end=end,
        first=int(both["value"].sum()),
        last=int(both["value_end"].sum()),
        total=int(series.filter(pl.col("year") == end)["value"].sum()),
        entered=_pairs(after.join(before, on=keys, how="anti"), keys),
        left=_pairs(before.join(after, on=keys, how="anti"), keys),
    )


@memo.by_content
def year_on_year(series: pl.DataFrame, year: int) -> pl.DataFrame:
    """Per country: the selected types in `year` and in the year before, the change and the relative change,
    like for like, and what the change leaves out.

    The change covers only the types counted (> 0) in both years, so a type counted for the first time is
    not growth; `not_in_change` names the others as "type@year" codes ("idps@2021": not counted in 2021),
    "none" where the source counts none of them in either year, null where it leaves nothing out. A year where
    the source counts none of the types is null (its 0 is not a figure), and so is a year without rows:
    missing is not zero."""
    previous_year = year - 1
    keyed = series.filter(pl.col("year").is_in([previous_year, year]))
    wide = (
        keyed.group_by("country_iso3", "population_type", "year")
        .agg(pl.col("value").sum())
        .pivot(on="year", index=["country_iso3", "population_type"], values="value")
    )
    now, before = str(year), str(previous_year)
    for column in (now, before):
        if column not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Int64).alias(column))
    counted_now, counted_before = pl.col(now).fill_null(0) > 0, pl.col(before).fill_null(0) > 0
    both = counted_now & counted_before
    note = (
        pl.when(counted_now & ~counted_before)
        .then(pl.col("population_type") + f"@{previous_year}")
        .when(counted_before & ~counted_now)
        .then(pl.col("population_type") + f"@{year}")
    )
    per_country = (
        wide.with_columns(note.alias("note"))
        .group_by("country_iso3")
        .agg(
            pl.when(counted_now).then(pl.col(now)).sum().alias("value"),
            pl.when(counted_before).then(pl.col(before)).sum().alias("previous"),
            pl.when(both).then(pl.col(now) - pl.col(before)).sum().alias("change"),
            pl.when(both).then(pl.col(before)).sum().alias("base"),
            both.any().alias("comparable"),
            pl.col("note").drop_nulls().sort().str.join(";").alias("not_in_change"),
        )
    )
    nothing = (pl.col("value") == 0) & (pl.col("previous") == 0)
    return per_country.select(
        "country_iso3",
        pl.when(pl.col("value") > 0).then(pl.col("value")).alias("value"),
        pl.when(pl.col("previous") > 0).then(pl.col("previous")).alias("previous"),
        pl.when(pl.col("comparable")).then(pl.col("change")).alias("change"),
        pl.when(pl.col("comparable")).then(pl.col("change") / pl.col("base")).alias("change_share"),
        pl.when(nothing)
        .then(pl.lit(NOTHING_COUNTED))
        .when(pl.col("not_in_change") != "")
        .then(pl.col("not_in_change"))
        .alias("not_in_change"),
    ).sort(["value", "country_iso3"], descending=[True, False], nulls_last=True)


NOTHING_COUNTED = "none"  # `year_on_year`'s note where the source counts none of the types in either year


def not_in_change(note: str | None) -> list[tuple[str, int]]:
    """`year_on_year`'s note as (type, year not counted) pairs."""
    if not note or note == NOTHING_COUNTED:
        return []
    return [(code, int(year)) for code, year in (item.split("@") for item in note.split(";"))]


@memo.by_content
def top_partners(partners: pl.DataFrame, limit: int = 10) -> pl.DataFrame:
    """The `limit` largest partners and, when there are more, one row `OTHERS` with the rest summed."""
    ranked = partners.sort(["value", "partner_iso3"], descending=[True, False])
    top = ranked.head(limit)
    rest = ranked.slice(limit)
    if rest.height:
        others = pl.DataFrame(
            {"partner_iso3": ["OTHERS"], "partner_name": [f"{rest.height}"], "value": [int(rest["value"].sum())]},
            schema=top.schema,
        )
        top = pl.concat([top, others])
    return top.with_columns((pl.col("value") / partners["value"].sum()).alias("share"))


@memo.by_content
def solutions_by_year(solutions: pl.DataFrame, role: str) -> pl.DataFrame:
    return (
        solutions.filter(pl.col("role") == role)
        .group_by("year", "solution_type")
        .agg(pl.col("value").sum())
        .sort("year", "solution_type")
    )


@memo.by_content
def idmc_flows_by_year(flows: pl.DataFrame) -> pl.DataFrame:
    """New displacements per year by category: conflict, or disaster by hazard (flows, not people: one person
    displaced twice counts twice, so the column is `displacements`, headed so in tables and files)."""
    category = pl.when(pl.col("cause") == "conflict").then(pl.lit("conflict")).otherwise(pl.col("hazard"))
    return (
        flows.with_columns(category.alias("category"))
        .group_by("year", "category")
        .agg(pl.col("value").sum().alias("displacements"))
        .sort("year", "category")
    )


@memo.by_content
def country_series(series: pl.DataFrame) -> pl.DataFrame:
    """One country's rows as the trend chart wants them (year, population_type, value)."""
    return series.select("year", "population_type", "value").sort("year", "population_type")


@memo.by_content
def presidency_years(presidencies: pl.DataFrame, country: str) -> list[int]:
    return presidencies.filter(pl.col("country_iso3") == country)["year"].to_list()


@memo.by_content
def groups_led(groups: pl.DataFrame, country: str) -> list[str]:
    return groups.filter(pl.col("lead_country_iso3") == country)["working_group"].to_list()


@memo.by_content
def focus_area_counts(counts: pl.DataFrame, country: str) -> tuple[pl.DataFrame, int | None]:
    """Commitments per focus area for `country`, and its national-plan total where only that is published."""
    own = counts.filter(pl.col("country_iso3") == country)
    areas = own.filter(pl.col("count_type") == "national_action_plan_focus_area").select("focus_area", "commitments")
    totals = own.filter(pl.col("count_type") == "national_response_plan_total")["commitments"]
    return areas.sort("commitments", descending=True), (int(totals[0]) if totals.len() else None)


@memo.by_content
def regional_focus_areas(counts: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Commitments per focus area summed over the plans that publish them by area, and how many plans
    that is (a plan published only as a total cannot be split by area)."""
    by_area = counts.filter(pl.col("count_type") == "national_action_plan_focus_area")
    areas = by_area.group_by("focus_area").agg(pl.col("commitments").sum()).sort("commitments", descending=True)
    return areas, by_area["country_iso3"].n_unique()


EVENT_STATUSES = ("past", "upcoming", "tbc", "no_date")


@memo.by_content
def event_status(events: pl.DataFrame, today: date) -> pl.DataFrame:
    """Each planned event's status on `today`: no date, to be confirmed, upcoming, or past its planned date.

    "Past" says only that the planned date has passed; whether the event took place is reported elsewhere."""
    stamp = today.isoformat()
    status = (
        pl.when(pl.col("start_date").is_null())
        .then(pl.lit("no_date"))
        .when(pl.col("tbc"))
        .then(pl.lit("tbc"))
        .when(pl.col("start_date") >= stamp)
        .then(pl.lit("upcoming"))
        .otherwise(pl.lit("past"))
    )
    return events.with_columns(status.alias("status"))


def is_lower_bound(fact: dict) -> bool:
    """Sources often say "more than": the facts file marks those in the metric name or the note."""
    return fact["metric"].endswith("_min") or (fact["note"] or "").startswith("lower bound")


@memo.by_content
def membership_matrix(members: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Members x published list versions (in the order the versions appear), True where listed."""
    versions = members["source"].unique(maintain_order=True).to_list()
    wide = (
        members.with_columns(pl.lit(True).alias("listed"))
        .pivot(
            on="source", index=["member", "iso3", "member_type", "role"], values="listed", aggregate_function="first"
        )
        .with_columns(pl.col(v).fill_null(False) for v in versions)
    )
    return wide.sort(["role", "member"]), versions


@memo.by_content
def members_per_version(matrix: pl.DataFrame, versions: tuple[str, ...]) -> dict[str, int]:
    """How many members each version lists: the Technical Secretariat, listed beside them, is not a member."""
    members = matrix.filter(pl.col("role") == "member")
    return {version: int(members[version].sum()) for version in versions}


@memo.by_content
def cities_filtered(cities: pl.DataFrame, countries: tuple[str, ...], statuses: tuple[str, ...]) -> pl.DataFrame:
    return cities.filter(pl.col("country_iso3").is_in(countries), pl.col("status").is_in(statuses))


def city_by_geonameid(cities: pl.DataFrame, geonameid: object) -> dict | None:
    """The row of the city a map's click named, if it is still among `cities` (a filter may have dropped it)."""
    rows = cities.filter(pl.col("geonameid") == geonameid).to_dicts() if geonameid is not None else []
    return rows[0] if rows else None


@memo.by_content
def cities_per_country(cities: pl.DataFrame, countries: tuple[str, ...]) -> pl.DataFrame:
    """Every country of `countries`, with 0 cities where none is reported (a count, not a missing figure)."""
    counts = cities.group_by("country_iso3").agg(pl.len().alias("cities"))
    return (
        pl.DataFrame({"country_iso3": countries})
        .join(counts, on="country_iso3", how="left")
        .with_columns(pl.col("cities").fill_null(0))
    )


@memo.by_content
def partner_flows(partners: pl.DataFrame, country: str, direction: str) -> pl.DataFrame:
    """Partners of `country` as map arcs (origin_iso3, asylum_iso3, value), in the direction people moved."""
    if direction == "origin":
        return partners.select(
            pl.lit(country).alias("origin_iso3"), pl.col("partner_iso3").alias("asylum_iso3"), "value"
        )
    return partners.select(pl.col("partner_iso3").alias("origin_iso3"), pl.lit(country).alias("asylum_iso3"), "value")
