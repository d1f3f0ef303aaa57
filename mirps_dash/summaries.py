"""One-sentence summaries under charts, written from the data in the page's language.

Each function takes the same small frame its chart draws and returns a sentence, or None when the frame
has nothing to say (an empty selection); pages then show nothing rather than a sentence about zero."""

from __future__ import annotations

import polars as pl

from mirps_dash import i18n, memo
from mirps_dash.i18n import t


def idp_comparison(missing: list[str], lang: str) -> str:
    """Under the UNHCR/IDMC comparison: never added up, and which States it leaves out for want of a figure."""
    note = t("idp_compare_note", lang)
    if missing:
        note += " " + t("idp_compare_missing", lang, countries=i18n.country_names(missing, lang))
    return note


def _types(codes: list[str], lang: str) -> str:
    return ", ".join(i18n.population_type(code, lang).lower() for code in codes)


@memo.by_content
def trend(totals: pl.DataFrame, lang: str) -> str | None:
    """Total of the last year against the first (columns: year, population_type, value)."""
    if totals.is_empty():
        return None
    by_year = totals.group_by("year").agg(pl.col("value").sum()).sort("year")
    start, first = by_year.row(0)
    end, last = by_year.row(-1)
    if start == end:
        return None
    direction = (
        "summary_direction_up"
        if last > first
        else "summary_direction_down"
        if last < first
        else "summary_direction_flat"
    )
    return t(
        "summary_trend",
        lang,
        end=end,
        total=i18n.number(last, lang),
        types=_types(sorted(totals["population_type"].unique().to_list()), lang),
        direction=t(direction, lang),
        start=start,
        first=i18n.number(first, lang),
    )


@memo.by_content
def ranking(frame: pl.DataFrame, year: int, lang: str) -> str | None:
    """The leading country and its share (columns: country_iso3, value; sorted largest first)."""
    total = frame["value"].sum() if frame.height else 0
    if not total:
        return None
    top = frame.row(0, named=True)
    return t(
        "summary_ranking",
        lang,
        country=i18n.country_name(top["country_iso3"], lang),
        value=i18n.number(top["value"], lang),
        share=i18n.percent(top["value"] / total, lang),
        year=year,
    )


@memo.by_content
def shares(frame: pl.DataFrame, year: int, lang: str) -> str | None:
    if frame.is_empty():
        return None
    top = frame.row(0, named=True)
    return t(
        "summary_shares",
        lang,
        type=i18n.population_type(top["population_type"], lang),
        share=i18n.percent(top["share"], lang),
        year=year,
    )


@memo.by_content
def change(frame: pl.DataFrame, lang: str) -> str | None:
    """How many countries grew, among those reporting both years (columns: change)."""
    both = frame.filter(pl.col("change").is_not_null())
    if both.is_empty():
        return None
    return t("summary_change", lang, n=both.filter(pl.col("change") > 0).height, total=both.height)


@memo.by_content
def flows(frame: pl.DataFrame, country: str, direction: str, lang: str) -> str | None:
    """The largest partner of `country` (columns: partner_iso3, partner_name, share; largest first)."""
    named = frame.filter(pl.col("partner_iso3") != "OTHERS")
    if named.is_empty():
        return None
    top = named.row(0, named=True)
    return t(
        f"summary_flows_{direction}",
        lang,
        country=i18n.country_name(country, lang),
        partner=i18n.country_name(top["partner_iso3"], lang, top["partner_name"]),
        share=i18n.percent(top["share"], lang),
    )


@memo.by_content
def idmc_flows(frame: pl.DataFrame, lang: str) -> str | None:
    """The latest year's total and main category (columns: year, category, value)."""
    if frame.is_empty():
        return None
    year = frame["year"].max()
    latest = frame.filter(pl.col("year") == year).sort("value", descending=True)
    return t(
        "summary_idmc",
        lang,
        year=year,
        total=i18n.number(latest["value"].sum(), lang),
        top=t(f"hazard_{latest['category'][0]}", lang).lower(),
    )
