"""The public-statistics indicators as people read them: tables for /plans, /country and /indicator and the
frame a download carries, in the page's language. Pure: the numbers come from `public_indicators`."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import polars as pl

from mirps_dash import (
    catalog,
    charts,
    i18n,
    indicator_texts,
    markup,
    memo,
    public_indicators,
    safecells,
    settings,
    tables,
)
from mirps_dash.i18n import t


def page_link(code: str, lang: str, country: str | None = None) -> str:
    """The indicator page's address relative to the app, as the sidebar's links are written."""
    query = {"code": code, "lang": lang} | ({"country": country} if country else {})
    return f"indicator?{urlencode(query)}"


def figure_text(value: float | None, unit: str, reason: str | None, lang: str) -> str:
    """A figure, or a dash with the reason it is missing: never a zero for no data."""
    if value is None:
        return f"{i18n.NO_FIGURE} ({t('pi_reason_' + (reason or 'no_data'), lang)})"
    return charts.public_label(value, unit, lang)


def change_text(change: float | None, unit: str, lang: str) -> str:
    if change is None:
        return i18n.NO_FIGURE
    if unit == "share":  # a difference of two rates is in percentage points
        points = i18n.number(abs(change) * 100, lang, 1)
        sign = "+" if change > 0 else "-" if change < 0 else "±"
        return f"{sign}{points} {t('unit_points', lang)}"
    digits = 0 if unit == "people" else 2 if 0 < abs(change) < 1 else 1  # +0.07 per 1,000 is not "+0.1"
    return i18n.signed(change, lang, digits)


def notes_of(rows: list[dict], lang: str) -> list[str]:
    """The notes the rows carry, once each (cases left out, the population projection)."""
    seen = []
    for row in rows:
        if row.get("note") and row["note"] not in seen:
            seen.append(row["note"])
    return [t(f"pi_note_{note}", lang) for note in seen]


CHANGE_MARK = " ‡"  # a change like for like: some of the figure's types are counted in one year only


def outside_change_note(row: dict, year: int, lang: str) -> str:
    """What a like-for-like change leaves out (`public_indicators.change_since_baseline`), in words."""
    types = ", ".join(i18n.population_type(code, lang).lower() for code in row["outside_change"])
    return t("pi_note_outside_change", lang, baseline=row["baseline_year"], year=year, types=types)


def change_notes(rows: list[dict], lang: str) -> list[str]:
    """The rows' like-for-like notes, marked as their changes are."""
    mark = CHANGE_MARK.strip()
    return [
        f"{mark} {indicator_texts.name(row['code'], lang)}: {outside_change_note(row, row['year'], lang)}"
        for row in rows
        if row.get("outside_change")
    ]


def summary_markdown(rows: list[dict], country: str, lang: str) -> str:
    """/plans and /country: one line per indicator (linked to its page), its value, baseline, change and
    assessment, as one Markdown table."""
    year, baseline = rows[0]["year"], rows[0]["baseline_year"]
    header = [
        t("pi_col_area", lang),
        t("pi_col_indicator", lang),
        t("pi_col_value_year", lang, year=year),
        t("pi_col_baseline", lang, year=baseline),
        t("pi_col_change", lang),
        t("pi_col_assessment", lang),
    ]
    body = []
    for row in rows:
        name = indicator_texts.name(row["code"], lang)
        mark = " †" if row["note"] else ""
        body.append(
            [
                t(f"pi_focus_{row['focus_area']}", lang),
                f"[{name}]({page_link(row['code'], lang, country)}){mark}",
                figure_text(row["value"], row["unit"], row["reason"], lang),
                figure_text(row["baseline_value"], row["unit"], row["baseline_reason"], lang),
                change_text(row["change"], row["unit"], lang) + (CHANGE_MARK if row.get("outside_change") else ""),
                t(f"pi_assess_{row['assessment']}", lang),
            ]
        )
    return tables.markdown_table(header, body, right=(2, 3, 4))


@memo.by_content
def by_state(table: pl.DataFrame, code: str, lang: str) -> list[dict]:
    """/indicator: each State's baseline, latest year with a figure, its value, the change and the
    assessment."""
    indicator = public_indicators.BY_CODE[code]
    rows = []
    for country in settings.MIRPS_COUNTRIES:
        own = table.filter(pl.col("code") == code, pl.col("country_iso3") == country)
        figures = own.filter(pl.col("value").is_not_null()).sort("year")
        latest = figures.row(-1, named=True) if figures.height else None
        base = public_indicators.value_at(table, code, country, indicator.baseline_year)
        base_value = base["value"] if base else None
        latest_value = latest["value"] if latest else None
        change, outside = public_indicators.change_since_baseline(latest, base)
        left_out = {"outside_change": outside, "baseline_year": indicator.baseline_year}
        rows.append(
            {
                "outside": outside_change_note(left_out, latest["year"], lang) if outside else None,
                "country": i18n.country_name(country, lang),
                "baseline": figure_text(base_value, indicator.unit, base["reason"] if base else None, lang),
                "latest_year": str(latest["year"]) if latest else i18n.NO_FIGURE,
                "latest": figure_text(latest_value, indicator.unit, None, lang),
                "change": change_text(change, indicator.unit, lang) + (CHANGE_MARK if outside else ""),
                "assessment": t(f"pi_assess_{public_indicators.assessment(indicator, base_value, latest_value)}", lang),
                "note": latest["note"] if latest else None,
            }
        )
    return rows


@memo.by_content
def export_frame(table: pl.DataFrame, code: str, lang: str) -> pl.DataFrame:
    """Every State and year of one indicator, as downloaded: figures as numbers, a missing one empty with
    its reason in words, headers in the page's language."""
    indicator = public_indicators.BY_CODE[code]
    rows = table.filter(pl.col("code") == code).sort("country_iso3", "year")
    return pl.DataFrame(
        {
            t("col_country", lang): [i18n.country_name(c, lang) for c in rows["country_iso3"]],
            "iso3": rows["country_iso3"],
            t("col_year", lang): rows["year"],
            f"{indicator_texts.name(code, lang)} ({t('pi_unit_' + indicator.unit, lang)})": rows["value"],
            t("pi_col_numerator", lang): rows["numerator"],
            t("pi_col_denominator", lang): rows["denominator"],
            t("pi_col_reason", lang): [t(f"pi_reason_{r}", lang) if r else "" for r in rows["reason"]],
            t("pi_col_note", lang): [t(f"pi_note_{n}", lang) if n else "" for n in rows["note"]],
        }
    )


def metadata_rows(code: str, lang: str) -> list[tuple[str, str]]:
    """What travels with an indicator's download: what it is, how it is computed, its sources and caveats."""
    text, indicator = indicator_texts.TEXTS[code], public_indicators.BY_CODE[code]
    rows = [
        (t("ind_pick", lang), text["name"][lang]),
        (t("ind_definition", lang), text["definition"][lang]),
        (t("ind_formula", lang), text["formula"][lang]),
        (t("ind_unit", lang), t(f"pi_unit_{indicator.unit}", lang)),
        (t("ind_direction", lang), t(f"pi_direction_{indicator.direction}", lang)),
        (t("ind_baseline", lang), str(indicator.baseline_year)),
        (t("ind_periodicity", lang), t("ind_periodicity_text", lang)),
    ]
    rows += [(t("meta_source", lang), catalog.source(key).citation(lang)) for key in indicator.sources]
    rows += [(t("ind_caveats", lang), caveat[lang]) for caveat in text["caveats"]]
    return rows


def csv_with_metadata(frame: pl.DataFrame, metadata: list[tuple[str, str]]) -> bytes:
    """The metadata rows (label, text), a blank line, then the data: one file that says what it holds,
    formula-safe, with the byte-order mark Excel needs for "Panamá"."""
    head = safecells.csv_text(None, metadata)
    body = safecells.csv_text(frame.columns, frame.rows())
    return ("\ufeff" + head + "\n" + body).encode()


def pledge_list(pledges: pl.DataFrame, lang: str) -> str:
    """GRF pledges as one Markdown list: year, who, title linked to the page it was found on, and the status
    as published ("status not published" where none was: never read as "not started"). Joint MIRPS pledges
    say so; an umbrella pledge is listed as such, not counted with the pledges it groups."""
    lines = []
    for p in pledges.iter_rows(named=True):
        who = t("grf_joint", lang) if p["entity_iso3"] == "REGION" else markup.plain(p["submitting_entity"])
        if p["pledge_level"] == "regional_umbrella":  # groups the joint pledges above it: not one more
            who = t("grf_umbrella", lang)
        status = markup.plain(p["stage_of_implementation"]) or t("grf_status_unpublished", lang)
        lead = (
            f" · {t('grf_lead', lang, country=i18n.country_name(p['lead_state_iso3'], lang))}"
            if p["lead_state_iso3"]
            else ""
        )
        lines.append(f"- **{p['grf_year']}** · {who}{lead} · {markup.link(p['title'], p['source_url'])} · {status}")
    return "\n".join(lines)


def team_metadata_rows(row: dict, lang: str) -> list[tuple[str, str]]:
    """What a national team's indicator page says of it, and its download carries: each field as the team
    documented it, or "not yet documented" (never a guess)."""
    missing = t("ind_not_documented", lang)

    def text(field: str) -> str:
        value = row.get(f"{field}_{lang}") or row.get(field)
        return str(value) if value not in (None, "") else missing

    unit = t(f"unit_{row['unit']}", lang)
    return [
        (t("ind_pick", lang), row[f"name_{lang}"]),
        (t("filter_country", lang), i18n.country_name(row["country_iso3"], lang)),
        (t("col_commitment", lang), row[f"commitment_{lang}"]),
        (t("ind_definition", lang), text("definition")),
        (t("ind_formula", lang), text("formula")),
        (t("ind_unit", lang), unit),
        (t("ind_direction", lang), t(f"ind_team_direction_{row['direction']}", lang)),
        (t("ind_baseline", lang), f"{i18n.number(row['baseline_value'], lang, 1)} ({row['baseline_year']})"),
        (t("col_target", lang), f"{i18n.number(row['target_value'], lang, 1)} ({row['target_year']})"),
        (t("ind_periodicity", lang), text("periodicity")),
        (t("ind_team_source", lang), text("data_source")),
        (t("ind_caveats", lang), text("caveats")),
    ]


def team_values_frame(values: pl.DataFrame, row: dict, lang: str) -> pl.DataFrame:
    """A team indicator's reported values by period, as shown and downloaded."""
    unit = t(f"unit_{row['unit']}", lang)
    return pl.DataFrame(
        {
            t("col_period", lang): values["period"],
            f"{row[f'name_{lang}']} ({unit})": values["value"],
        }
    )


def ranked_labels(table: pl.DataFrame, code: str, year: int, lang: str) -> list[tuple[str, str]]:
    """(State, figure as shown) for one indicator and year, largest first, States without a figure left
    out: what a ranking's one-sentence summary names (`summaries.extremes`)."""
    unit = public_indicators.BY_CODE[code].unit
    ranked = public_indicators.ranking(table, code, year).drop_nulls("value")
    return [(r["country_iso3"], charts.public_label(r["value"], unit, lang)) for r in ranked.iter_rows(named=True)]


@dataclass(frozen=True)
class Ranking:
    """What a ranking of the States by one indicator shows: the bars' data, the sentence's pairs and the
    notes under it (the figures' own, and which States have none)."""

    bars: pl.DataFrame  # country_iso3, value
    labelled: list[tuple[str, str]]
    notes: list[str]


@memo.by_content
def ranking(table: pl.DataFrame, code: str, year: int, lang: str) -> Ranking:
    ranked = public_indicators.ranking(table, code, year)
    notes = notes_of(ranked.to_dicts(), lang)
    missing = ranked.filter(pl.col("value").is_null())["country_iso3"].to_list()
    if missing:
        notes.append(t("pi_missing_states", lang, states=", ".join(i18n.country_name(c, lang) for c in missing)))
    return Ranking(ranked.select("country_iso3", "value"), ranked_labels(table, code, year, lang), notes)


@memo.by_content
def pledges_of(pledges: pl.DataFrame, country: str) -> pl.DataFrame:
    """The State's own GRF pledges and the joint MIRPS ones."""
    return pledges.filter(pl.col("entity_iso3").is_in([country, "REGION"]))
