"""One-sentence summaries under charts, written from the data in the page's language.

Each function takes the same small frame its chart draws and returns a sentence, or None when the frame
has nothing to say (an empty selection); pages then show nothing rather than a sentence about zero."""

from __future__ import annotations

import polars as pl

from mirps_dash import i18n, memo, metrics
from mirps_dash.i18n import t


def idp_comparison(missing: list[str], lang: str) -> str:
    """Under the UNHCR/IDMC comparison: never added up, and which States it leaves out for want of a figure."""
    note = t("idp_compare_note", lang)
    if missing:
        note += " " + t("idp_compare_missing", lang, countries=i18n.country_names(missing, lang))
    return note


def _type(code: str, lang: str) -> str:
    """A type's name inside a sentence: its first letter lowered, its acronyms kept ("internally displaced
    (UNHCR)")."""
    name = i18n.population_type(code, lang)
    return name[:1].lower() + name[1:]


def _types(codes: list[str], lang: str) -> str:
    return ", ".join(_type(code, lang) for code in codes)


def _direction(first: int, last: int) -> str:
    return (
        "summary_direction_up"
        if last > first
        else "summary_direction_down"
        if last < first
        else "summary_direction_flat"
    )


def not_counted(pairs: dict[int, list[tuple[str, str]]], lang: str) -> str:
    """What a change leaves out, by the year the source did not count it: "Not counted in 2016, so not in
    the change: internally displaced (UNHCR) in Guatemala, Mexico." (`pairs`: year -> (country, type); a
    country "" where the figures are already summed over countries, a type "" where they are of one type.)"""
    sentences = []
    for year, found in sorted(pairs.items()):
        by_type: dict[str, list[str]] = {}
        for country, code in sorted(found, key=lambda pair: (pair[1], pair[0])):
            by_type.setdefault(code, []).extend([country] if country else [])
        items = [
            i18n.country_names(cs, lang)  # the figure is one type: the countries alone
            if not code
            else t("summary_type_in", lang, type=_type(code, lang), countries=i18n.country_names(cs, lang))
            if cs
            else _type(code, lang)
            for code, cs in by_type.items()
        ]
        if items:
            sentences.append(t("summary_not_counted_in", lang, year=year, items="; ".join(items)))
    return " ".join(sentences)


@memo.by_content
def trend(series: pl.DataFrame, lang: str) -> str | None:
    """The last year against the first, like for like (columns: year, population_type, value, and
    country_iso3 where the series is by country): a type or country counted in only one of the two years is
    a change of coverage, named, never growth (Mexico's IDPs, counted from 2022)."""
    if series.is_empty():
        return None
    start, end = series["year"].min(), series["year"].max()
    if start == end:
        return None
    covered = metrics.coverage(series, start, end)
    types = _types(sorted(series["population_type"].unique().to_list()), lang)
    total = i18n.number(covered.total, lang)
    if not covered.entered and not covered.left:
        return t(
            "summary_trend",
            lang,
            end=end,
            total=total,
            types=types,
            direction=t(_direction(covered.first, covered.last), lang),
            start=start,
            first=i18n.number(covered.first, lang),
        )
    if covered.first or covered.last:
        head = t(
            "summary_trend_like",
            lang,
            end=end,
            total=total,
            types=types,
            last=i18n.number(covered.last, lang),
            direction=t(_direction(covered.first, covered.last), lang),
            start=start,
            first=i18n.number(covered.first, lang),
        )
    else:
        head = t("summary_trend_nothing_both", lang, end=end, total=total, types=types, start=start)
    return f"{head} {not_counted({start: list(covered.entered), end: list(covered.left)}, lang)}".strip()


@memo.by_content
def ranking(frame: pl.DataFrame, year: int, lang: str, unranked: list[str] | None = None) -> str | None:
    """The leading country and its share (columns: country_iso3, value; sorted largest first), and the
    `unranked` countries, with no figure (the source's 0, or no row), named."""
    total = frame["value"].sum() if frame.height else 0
    missing = t("summary_unranked", lang, countries=i18n.country_names(unranked, lang)) if unranked else None
    if not total:
        return missing
    top = frame.row(0, named=True)
    leader = t(
        "summary_ranking",
        lang,
        country=i18n.country_name(top["country_iso3"], lang),
        value=i18n.number(top["value"], lang),
        share=i18n.percent(top["value"] / total, lang),
        year=year,
    )
    return f"{leader} {missing}" if missing else leader


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
    sentences = [t("summary_change", lang, n=both.filter(pl.col("change") > 0).height, total=both.height)]
    if both.is_empty():
        sentences = []
    if "not_in_change" in frame.columns:  # `metrics.year_on_year`: like for like, and what it leaves out
        left_out: dict[int, list[tuple[str, str]]] = {}
        nothing = []
        for row in frame.drop_nulls("not_in_change").iter_rows(named=True):
            if row["not_in_change"] == metrics.NOTHING_COUNTED:
                nothing.append(row["country_iso3"])
            for code, year in metrics.not_in_change(row["not_in_change"]):
                left_out.setdefault(year, []).append((row["country_iso3"], code))
        sentences.append(not_counted(left_out, lang))
        if nothing:
            sentences.append(t("summary_change_nothing", lang, countries=i18n.country_names(sorted(nothing), lang)))
    return " ".join(s for s in sentences if s) or None


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
    """The latest year's total and main category (columns: year, category, displacements)."""
    if frame.is_empty():
        return None
    year = frame["year"].max()
    latest = frame.filter(pl.col("year") == year).sort("displacements", descending=True)
    return t(
        "summary_idmc",
        lang,
        year=year,
        total=i18n.number(latest["displacements"].sum(), lang),
        top=t(f"hazard_{latest['category'][0]}", lang).lower(),
    )


@memo.by_content
def flows_map(arcs: pl.DataFrame, lang: str) -> str | None:
    """The map's largest curve, of how many (columns origin_iso3, asylum_iso3, value; origin_name and
    asylum_name optional, for codes CLDR does not know)."""
    drawn = arcs.filter(pl.col("value") > 0, pl.col("origin_iso3") != pl.col("asylum_iso3"))
    if drawn.is_empty():
        return None
    top = drawn.sort("value", descending=True).row(0, named=True)
    return t(
        "summary_flows_map",
        lang,
        n=drawn.height,
        value=i18n.number(top["value"], lang),
        origin=i18n.country_name(top["origin_iso3"], lang, top.get("origin_name")),
        asylum=i18n.country_name(top["asylum_iso3"], lang, top.get("asylum_name")),
    )


@memo.by_content
def cities(shown: pl.DataFrame, lang: str) -> str:
    """How many cities the map shows, in how many States (columns as `queries.cities`)."""
    return t("summary_cities", lang, n=shown.height, countries=shown["country_iso3"].n_unique())


@memo.by_content
def focus_areas(areas: pl.DataFrame, lang: str) -> str | None:
    """The focus area with the most commitments, of the total (columns focus_area, commitments)."""
    total = areas["commitments"].sum() if areas.height else 0
    if not total:
        return None
    top = areas.sort("commitments", descending=True).row(0, named=True)
    area = t(f"focus_{top['focus_area']}", lang)
    return t("summary_focus_areas", lang, area=area, n=top["commitments"], total=total)


@memo.by_content
def hosted_and_from(frame: pl.DataFrame, year: int, lang: str) -> str | None:
    """The country hosting the most and the one most people come from (columns country_iso3, role, value)."""
    leaders = {}
    for role in ("asylum", "origin"):
        rows = frame.filter(pl.col("role") == role, pl.col("value") > 0).sort("value", descending=True)
        if rows.is_empty():
            return None
        leaders[role] = rows.row(0, named=True)
    host, origin = leaders["asylum"], leaders["origin"]
    return t(
        "summary_hosted_and_from",
        lang,
        year=year,
        host=i18n.country_name(host["country_iso3"], lang),
        hosted=i18n.number(host["value"], lang),
        origin=i18n.country_name(origin["country_iso3"], lang),
        origin_value=i18n.number(origin["value"], lang),
    )


def extremes(labelled: list[tuple[str, str]], lang: str) -> str | None:
    """The first and last of a ranking, as (country code, value as shown) pairs largest first; those
    without a figure left out."""
    if not labelled:
        return None
    (top, top_value), (bottom, bottom_value) = labelled[0], labelled[-1]
    return t(
        "summary_extremes",
        lang,
        top=i18n.country_name(top, lang),
        top_value=top_value,
        bottom=i18n.country_name(bottom, lang),
        bottom_value=bottom_value,
    )
