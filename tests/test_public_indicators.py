"""The public-statistics indicators against values worked out here, independently, from the shipped CSVs
with the csv module: a year reported only in cases, a year with no substantive decision, a missing year,
and the per-1,000 figures with the population series break."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from mirps_dash import database, load, public_indicators, queries, settings
from tests.conftest import ROOT

DATA = ROOT / "data"


def rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))  # "NA" stays the text "NA": the csv module has no missing values


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('pi') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    reader = queries.Reader(url)
    return public_indicators.compute(*queries.public_indicator_sources(reader))


def cell(table, code: str, country: str, year: int) -> dict:
    return public_indicators.value_at(table, code, country, year)


def decisions(country: str, year: int, unit: str = "P", levels: tuple[str, ...] | None = None) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    for r in rows("unhcr_asylum_decisions.csv"):
        if (r["country_iso3"], int(r["year"]), r["role"], r["dec_pc"]) != (country, year, "asylum", unit):
            continue
        if levels is not None and r["dec_level"] not in levels:
            continue
        for key in ("dec_recognized", "dec_other", "dec_rejected", "dec_closed", "dec_total"):
            sums[key] += int(r[key])
    return dict(sums)


def protection_years() -> list[tuple[str, int]]:
    """Every State and year with substantive decisions in persons (and some rejected or granted)."""
    found = set()
    for r in rows("unhcr_asylum_decisions.csv"):
        if r["role"] == "asylum" and r["dec_pc"] == "P":
            found.add((r["country_iso3"], int(r["year"])))
    return sorted(found)


@pytest.mark.parametrize(("country", "year"), protection_years())
def test_total_protection_rate_is_unhcrs_formula_over_every_level(table, country, year):
    d = decisions(country, year)
    substantive = d["dec_recognized"] + d["dec_other"] + d["dec_rejected"]
    found = cell(table, "asy_protection_rate", country, year)
    if substantive == 0:  # e.g. Belize 2020: only otherwise-closed decisions
        assert found["value"] is None and found["reason"] == "no_decisions"
    else:
        assert found["value"] == pytest.approx((d["dec_recognized"] + d["dec_other"]) / substantive)
    assert cell(table, "asy_closed_share", country, year)["value"] == pytest.approx(d["dec_closed"] / d["dec_total"])
    first = decisions(country, year, levels=("FI",))
    assert cell(table, "asy_decisions_first", country, year)["value"] == (first.get("dec_total") or None)


def test_a_zero_denominator_year_exists_and_has_no_rate(table):
    zero = [
        (c, y)
        for c, y in protection_years()
        if sum(decisions(c, y)[k] for k in ("dec_recognized", "dec_other", "dec_rejected")) == 0
    ]
    assert zero, "the shipped data has a year with only otherwise-closed decisions"
    for country, year in zero:
        assert cell(table, "asy_protection_rate", country, year)["reason"] == "no_decisions"


def test_a_year_reported_only_in_cases_is_not_comparable(table):
    cases_only = [
        (c, y)
        for c, y in {
            (r["country_iso3"], int(r["year"])) for r in rows("unhcr_asylum_decisions.csv") if r["role"] == "asylum"
        }
        if not decisions(c, y, "P") and decisions(c, y, "C")
    ]
    assert ("PAN", 2025) in cases_only  # as SOURCES.md says: Panama reports cases in 2022, 2023 and 2025
    for country, year in cases_only:
        for code in ("asy_protection_rate", "asy_decisions_first", "asy_closed_share"):
            found = cell(table, code, country, year)
            assert found["value"] is None and found["reason"] == "cases_only"


def test_a_missing_year_is_no_data_never_zero(table):
    # SOURCES.md: no decision rows for El Salvador as country of asylum in 2017 and 2023
    for year in (2017, 2023):
        assert not decisions("SLV", year) and not decisions("SLV", year, "C")
        found = cell(table, "asy_protection_rate", "SLV", year)
        assert found["value"] is None and found["reason"] == "no_data"


def test_new_applications_count_new_claims_in_persons_only(table):
    expected: dict[tuple[str, int], int] = defaultdict(int)
    for r in rows("unhcr_asylum_applications.csv"):
        if r["role"] == "asylum" and r["app_type"] == "N" and r["app_pc"] == "P":
            expected[(r["country_iso3"], int(r["year"]))] += int(r["applied"])
    for (country, year), value in expected.items():
        assert cell(table, "asy_new_applications", country, year)["value"] == value
    assert cell(table, "asy_new_applications", "PAN", 2023)["reason"] == "cases_only"


def test_per_1000_figures_divide_by_the_year_population_and_mark_the_projection(table):
    population = {
        (r["country_iso3"], int(r["year"])): (int(r["population"]), r["source_id"])
        for r in rows("population_total.csv")
    }
    hosted: dict[tuple[str, int], int] = defaultdict(int)
    for r in rows("unhcr_population.csv"):
        if r["role"] == "asylum" and r["population_type"] in ("refugees", "asylum_seekers", "oip"):
            hosted[(r["country_iso3"], int(r["year"]))] += int(r["value"])
    checked = 0
    for key, count in hosted.items():
        if key not in population:
            continue
        found = cell(table, "host_per_1000", *key)
        assert found["value"] == pytest.approx(count / population[key][0] * 1000)
        assert (found["note"] == "population_projection") == (population[key][1] == "un_wpp2024_medium")
        checked += 1
    assert checked >= 60


def test_the_direction_rule():
    awaiting = public_indicators.BY_CODE["asy_awaiting"]  # fewer people waiting is progress
    assert public_indicators.assessment(awaiting, 1000, 900) == "improving"
    assert public_indicators.assessment(awaiting, 1000, 1040) == "stable"
    assert public_indicators.assessment(awaiting, 1000, 1100) == "worsening"
    assert public_indicators.assessment(awaiting, None, 1100) == "not_comparable"
    rate = public_indicators.BY_CODE["asy_protection_rate"]
    assert public_indicators.assessment(rate, 0.5, 0.9) == "no_verdict"  # a rate is not progress by itself
    first = public_indicators.BY_CODE["asy_decisions_first"]
    assert public_indicators.assessment(first, 100, 200) == "improving"


def test_every_state_has_every_indicator_every_year(table):
    years = table["year"].n_unique()
    assert table.height == len(public_indicators.INDICATORS) * len(settings.MIRPS_COUNTRIES) * years
    missing = table.filter(table["value"].is_null())
    assert missing["reason"].is_null().sum() == 0  # a missing figure always says why


def counted_per_type(role: str) -> dict[tuple[str, int], dict[str, int]]:
    """From the shipped file: each State and year's protection types counted (more than 0), with their counts."""
    found: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for r in rows("unhcr_population.csv"):
        if r["role"] == role and r["population_type"] in public_indicators.PROTECTION_TYPES and int(r["value"]) > 0:
            found[(r["country_iso3"], int(r["year"]))][r["population_type"]] = int(r["value"])
    return found


@pytest.mark.parametrize(("code", "role"), [("host_per_1000", "asylum"), ("from_per_1000", "origin")])
def test_a_change_per_1000_since_the_baseline_is_like_for_like(table, code, role):
    """Costa Rica's other people in need of international protection are counted from 2019: against 2018 their
    arrival in the count read as +38 per 1,000 of growth. The change covers the types counted in both years
    and names the others; where both years count the same types, it is the plain difference."""
    population = {(r["country_iso3"], int(r["year"])): int(r["population"]) for r in rows("population_total.csv")}
    counted = counted_per_type(role)
    base_year = public_indicators.BASELINE_YEAR
    differing = 0
    for (country, year), now in counted.items():
        then = counted.get((country, base_year), {})
        if (country, year) not in population or (country, base_year) not in population or not then:
            continue
        both = set(now) & set(then)
        expected = (
            sum(now[t] for t in both) / population[(country, year)] * 1000
            - sum(then[t] for t in both) / population[(country, base_year)] * 1000
        )
        [row] = [r for r in public_indicators.summary(table, country, year) if r["code"] == code]
        assert row["change"] == pytest.approx(expected), (country, year)
        assert set(row["outside_change"]) == set(now) ^ set(then), (country, year)
        differing += bool(set(now) ^ set(then))
    if role == "asylum":
        assert differing >= 5  # Costa Rica's 2019-2025 and Guatemala's 2021, at least

    # a table frozen in a data cut before the cells said what they counted: the plain difference
    old = table.drop("baseline_change", "outside_change")
    for country, year in list(counted)[:20]:
        [row] = [r for r in public_indicators.summary(old, country, year) if r["code"] == code]
        latest, base = (cell(old, code, country, y) for y in (year, base_year))
        if latest and base and latest["value"] is not None and base["value"] is not None:
            assert row["change"] == pytest.approx(latest["value"] - base["value"]) and row["outside_change"] == []
