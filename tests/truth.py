"""Figures computed straight from the shipped CSV files with the standard library: the tests' oracle.

Deliberately independent of mirps_dash, so a bug in the app's queries or metrics cannot hide here."""

from __future__ import annotations

import csv
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
MIRPS = {"BLZ", "CRI", "SLV", "GTM", "HND", "MEX", "PAN"}
PROTECTION = {"refugees", "asylum_seekers", "oip"}


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def geojson(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def first_year() -> int:
    return min(int(r["year"]) for r in rows("unhcr_population.csv"))


def latest_year() -> int:
    return max(int(r["year"]) for r in rows("unhcr_population.csv"))


def protection_total(role: str, year: int) -> int:
    return sum(
        int(r["value"])
        for r in rows("unhcr_population.csv")
        if r["role"] == role and int(r["year"]) == year and r["population_type"] in PROTECTION
    )


def unhcr_idps(year: int) -> int:
    return sum(
        int(r["value"])
        for r in rows("unhcr_population.csv")
        if r["role"] == "asylum" and int(r["year"]) == year and r["population_type"] == "idps"
    )


def idmc_conflict_stock(year: int) -> int:
    return sum(
        int(r["value"])
        for r in rows("idmc_displacement.csv")
        if r["source_id"] == "unhcr_refugees_pkg_idmc" and int(r["year"]) == year
    )


def value(year: int, country: str, role: str, population_type: str) -> int | None:
    for r in rows("unhcr_population.csv"):
        key = (int(r["year"]), r["country_iso3"], r["role"], r["population_type"])
        if key == (year, country, role, population_type):
            return int(r["value"])
    return None


def grouped(number: int, lang: str) -> str:
    """Digit grouping as the page shows it: 1,234,567 in English, 1.234.567 in Spanish."""
    text = f"{number:,}"
    return text if lang == "en" else text.replace(",", ".")


def unhcr_idps_country(year: int, country: str) -> int | None:
    return value(year, country, "asylum", "idps")


def idmc_stock_country(year: int, country: str) -> int | None:
    for r in rows("idmc_displacement.csv"):
        key = (r["source_id"], int(r["year"]), r["country_iso3"])
        if key == ("unhcr_refugees_pkg_idmc", year, country):
            return int(r["value"])
    return None


def protection_total_country(role: str, year: int, country: str) -> int:
    return sum(
        int(r["value"])
        for r in rows("unhcr_population.csv")
        if r["role"] == role
        and int(r["year"]) == year
        and r["country_iso3"] == country
        and r["population_type"] in PROTECTION
    )


def first_source_url(city: dict[str, str]) -> str:
    """The first of the addresses a row of the cities file lists in its source column (" ; " between them)."""
    return city["source_url"].split(" ; ")[0].strip()


def workplan_years() -> list[int]:
    """The plan years the data folder holds a calendar for."""
    return sorted(int(path.name.split("_")[1]) for path in DATA.glob("workplan_*_events.csv"))


def without_idp_figure(year: int) -> list[str]:
    """The MIRPS States with neither a UNHCR nor an IDMC internal-displacement figure above zero in `year`."""
    return sorted(
        code
        for code in MIRPS
        if not (unhcr_idps_country(year, code) or 0) > 0 and not (idmc_stock_country(year, code) or 0) > 0
    )
