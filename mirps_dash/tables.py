"""Tables as people read them: codes turned into names and headers into words, in the page's language.

The same localised frame is shown on screen and exported, so a downloaded CSV equals the table shown."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection

import polars as pl

from mirps_dash import i18n, markup, memo, metrics

HEADERS = {
    "country_iso3": "col_country",
    "partner_name": "col_partner",
    "year": "col_year",
    "value": "col_value",
    "displacements": "col_displacements",  # IDMC's new displacements: events, not people
    "previous": "col_previous",
    "change": "col_change",
    "change_share": "col_change_share",
    "not_in_change": "col_not_in_change",
    "share": "col_share",
    "population_type": "col_type",
    "solution_type": "col_solution",
    "category": "col_category",
    "role": "col_role",
    "focus_area": "col_focus_area",
    "commitments": "col_commitments",
    "city": "col_city",
    "status": "col_status",
    "status_date": "col_date",
    "event_status": "col_status",
    "event_no": "col_number",
    "title": "col_event",
    "date_text": "col_date",
    "source_url": "col_link",
    "municipality": "col_municipality",
    "population": "col_population",
    "member_type": "col_member_type",
    "commitment": "col_commitment",
    "need_usd": "costed_need",
    "pledged": "funding_pledged",
    "committed": "funding_committed",
    "paid": "funding_paid",
    "gap_usd": "col_gap",
    "name": "col_indicator",
    "unit": "col_unit",
    "baseline_value": "col_baseline",
    "latest_value": "col_latest",
    "latest_period": "col_latest_period",
    "target_value": "col_target",
    "target_year": "col_target_year",
    "validated_by": "col_validated_by",
}


def _labels(column: str, codes: list[str], lang: str) -> dict[str, str]:
    if column == "country_iso3":
        return {code: i18n.country_name(code, lang) for code in codes}
    if column == "population_type":
        return {code: i18n.population_type(code, lang) for code in codes}
    if column == "solution_type":
        return {code: i18n.t(f"solution_{code}", lang) for code in codes}
    if column == "category":
        return {code: i18n.t(f"hazard_{code}", lang) if f"hazard_{code}" in i18n.STRINGS else code for code in codes}
    if column == "focus_area":
        return {code: i18n.t(f"focus_{code}", lang) if f"focus_{code}" in i18n.STRINGS else code for code in codes}
    if column == "status":
        return {code: i18n.t(f"status_{code}", lang) for code in codes}
    if column == "event_status":
        return {code: i18n.t(f"event_{code}", lang) for code in codes}
    if column == "member_type":
        return {code: i18n.t(f"member_{code}", lang) for code in codes}
    if column == "unit":  # an indicator's unit, a code in the data ("people", "days")
        return {code: i18n.t(f"unit_{code}", lang) if f"unit_{code}" in i18n.STRINGS else code for code in codes}
    if column == "status" and any(code in ("on_track", "at_risk", "off_track", "not_reported") for code in codes):
        return {code: i18n.t(f"status_{code}", lang) for code in codes}
    if column == "role":
        return {code: i18n.t(f"role_{code}", lang) for code in codes}
    if column == "not_in_change":
        return {code: not_in_change(code, lang) for code in codes}
    return {}


def not_in_change(note: str, lang: str) -> str:
    """`metrics.year_on_year`'s note in words: which types the change leaves out, and the year each was not
    counted; or that the source counts none of them."""
    if not note:
        return ""
    if note == metrics.NOTHING_COUNTED:
        return i18n.t("not_counted", lang)
    by_year: dict[int, list[str]] = {}
    for code, year in metrics.not_in_change(note):
        by_year.setdefault(year, []).append(i18n.population_type(code, lang))
    return "; ".join(
        i18n.t("cell_not_counted_in", lang, types=", ".join(types), year=year)
        for year, types in sorted(by_year.items())
    )


@memo.by_content
def localise(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Names for codes and headers in `lang`; shares become percentages rounded to one decimal."""
    if "partner_iso3" in frame.columns:
        names = {
            row["partner_iso3"]: (
                i18n.t("others", lang, n=row["partner_name"])
                if row["partner_iso3"] == "OTHERS"
                else i18n.country_name(row["partner_iso3"], lang, row["partner_name"])
            )
            for row in frame.select("partner_iso3", "partner_name").iter_rows(named=True)
        }
        frame = frame.with_columns(pl.col("partner_iso3").replace_strict(names).alias("partner_name")).drop(
            "partner_iso3"
        )
    replaced = []
    for column in frame.columns:
        if frame.schema[column] == pl.String:
            labels = _labels(column, frame[column].unique().drop_nulls().to_list(), lang)
            if labels:
                replaced.append(pl.col(column).replace_strict(labels, default=pl.col(column)))
        if column in ("share", "change_share"):
            replaced.append((pl.col(column) * 100).round(1))
    if replaced:
        frame = frame.with_columns(replaced)
    return frame.rename({c: i18n.t(HEADERS[c], lang) for c in frame.columns if c in HEADERS})


@memo.by_content
def formatted(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Every number as text in the locale's style (94,449 / 94.449), a change with its sign (+998, as the
    headline figures' deltas), a date in words, nulls as "no data" (a change's note blank): for screens
    only; exports keep the numbers numeric and the dates ISO."""
    changes = (i18n.t("col_change", lang), i18n.t("col_change_share", lang))
    columns = []
    for column, dtype in frame.schema.items():
        if column in changes and dtype.is_numeric():
            digits = 0 if dtype.is_integer() else 1
            sign = functools.partial(i18n.signed, lang=lang, digits=digits)
            columns.append(pl.col(column).map_elements(sign, return_dtype=pl.String))
        elif dtype.is_integer() and column not in (i18n.t("col_year", lang),):
            columns.append(pl.col(column).map_elements(lambda v: i18n.number(v, lang), return_dtype=pl.String))
        elif dtype.is_float():
            columns.append(pl.col(column).map_elements(lambda v: i18n.number(v, lang, 1), return_dtype=pl.String))
        elif column == i18n.t("col_date", lang) and dtype == pl.String:  # "2023-11" -> "noviembre de 2023"
            columns.append(pl.col(column).map_elements(lambda v: i18n.source_date(v, lang), return_dtype=pl.String))
    formatted = frame.with_columns(columns) if columns else frame
    note = i18n.t("col_not_in_change", lang)  # blank where a change leaves nothing out: nothing is missing
    if note in formatted.columns:
        formatted = formatted.with_columns(pl.col(note).fill_null(""))
    return formatted.with_columns(pl.col(pl.String).fill_null(i18n.t("no_data", lang)))


OOC_MARK = " ¹"  # beside others of concern "from" MIRPS countries: some are in their own country


@memo.by_content
def population_types(by_type: pl.DataFrame, year: int, lang: str) -> tuple[str, str, bool]:
    """`metrics.by_type` as two Markdown tables: the end-year stocks in and from MIRPS countries, and apart
    the returns during the year (flows, never added to a stock). Labels fit each type: internally displaced
    people are in their own country (one figure, "the same people" under origin), and others of concern
    "from" MIRPS countries carry a mark (`ooc_origin_note`: some are in their own country). A source's 0
    for every State reads "not counted", never a figure; the third value says whether a cell does."""
    stocks, flows = [], []
    zeros = False

    def cell(value: int | None) -> str:
        nonlocal zeros
        zeros = zeros or value == 0
        return i18n.t("cell_not_counted", lang) if value == 0 else i18n.number(value, lang)

    for row in by_type.iter_rows(named=True):
        code, name = row["population_type"], i18n.population_type(row["population_type"], lang)
        hosted, origin = cell(row["hosted"]), cell(row["from"])
        if code in metrics.FLOW_TYPES:
            flows.append([name, hosted, origin])
        elif code == "idps":
            stocks.append([i18n.t("type_in_own_country", lang, type=name), hosted, i18n.t("same_people", lang)])
        else:
            stocks.append([name + (OOC_MARK if code == "ooc" else ""), hosted, origin])
    stock_header = [i18n.t("col_stock_type", lang, year=year), i18n.t("col_in_mirps", lang), i18n.t("col_from", lang)]
    flow_header = [
        i18n.t("col_flow_type", lang, year=year),
        i18n.t("col_by_asylum", lang),
        i18n.t("col_by_origin", lang),
    ]
    return markdown_table(stock_header, stocks, right=(1, 2)), markdown_table(flow_header, flows, right=(1, 2)), zeros


_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")  # a pipe after an even number of backslashes ends a cell


def markdown_table(header: list[str], rows: list[list[str]], *, right: Collection[int] = ()) -> str:
    """A small table as one Markdown element (one message to the browser, where a grid of metrics or a
    dataframe is many or heavy); the columns at the indices `right` are right-aligned, for figures."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(_UNESCAPED_PIPE.sub(r"\1\\|", str(cell)) for cell in cells) + " |"

    rule = "|" + "|".join("---:" if index in right else "---" for index in range(len(header))) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


LISTED = "✓"  # a member in a version of the list; blank where it is not


def version_labels(versions: list[str]) -> dict[str, str]:
    """'v1', 'v2'... for the published versions of a list, oldest first: its addresses mean nothing to a donor."""
    return {version: f"v{number}" for number, version in enumerate(versions, start=1)}


@memo.by_content
def membership(matrix: pl.DataFrame, versions: tuple[str, ...], lang: str) -> str:
    """Who is in each published list of the Support Platform, as one Markdown table with a mark where a
    member is listed: members by name in `lang`, then the Technical Secretariat. A data grid here showed
    ten rows at a time and cut the longer names at 1280 px; a screen share reads this whole."""
    rows = []
    for row in matrix.iter_rows(named=True):
        name = i18n.member_name(row["member"], row["iso3"], lang)
        secretariat = row["role"] == "secretariat"
        if secretariat:
            name = i18n.t("member_as_secretariat", lang, name=name)
        cells = [markup.plain(name), i18n.t(f"member_{row['member_type']}", lang)]
        cells += [LISTED if row[v] else "" for v in versions]
        rows.append(((secretariat, _sort_key(name)), cells))
    header = [i18n.t("col_member", lang), i18n.t("col_member_type", lang), *version_labels(list(versions)).values()]
    return markdown_table(header, [cells for _, cells in sorted(rows)])


def _sort_key(text: str) -> str:
    """Alphabetical as a reader expects it: 'Á' beside 'A', not after 'Z'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()


@memo.by_content
def as_markdown(frame: pl.DataFrame, lang: str, *, link: str | None = None) -> str:
    """A short table (a screenful of rows) as one Markdown table, read as `localise` and `formatted` show
    it; the column `link` holds addresses, shown as links. Where a data grid would first load 1.2 MB of
    code in the browser (0.3-0.6 s of a first visit here), and a screen share reads it whole."""
    localised = localise(frame, lang)
    link_header = i18n.t(HEADERS.get(link, link), lang) if link else None
    numeric = [i for i, dtype in enumerate(localised.dtypes) if dtype.is_numeric()]
    shown = formatted(localised, lang)
    no_data = i18n.t("no_data", lang)

    def cell(column: str, value: str) -> str:  # a cell's text may be a file the Secretariat uploaded
        if column == link_header and value != no_data:
            return markup.link(i18n.t("open_link", lang), value)
        return markup.plain(value)

    rows = [[cell(c, v) for c, v in zip(shown.columns, row, strict=True)] for row in shown.iter_rows()]
    return markdown_table(shown.columns, rows, right=numeric)


def first_url(source_urls: str) -> str:
    """The shipped files list several sources in one cell, separated by " ; ": the first is the link to show."""
    return source_urls.split(" ; ")[0].strip()


@memo.by_content
def with_first_url(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """The column cut to its first address, for a link column."""
    return frame.with_columns(pl.col(column).map_elements(first_url, return_dtype=pl.String))


@memo.by_content
def view(
    frame: pl.DataFrame, keep: tuple[str, ...] = (), *, drop: tuple[str, ...] = (), rename: dict[str, str] | None = None
) -> pl.DataFrame:
    """The frame narrowed to `keep` (in that order; every column when empty), without `drop`, renamed.

    What a page shows of a remembered frame. Remembered itself, so each rerun hands the same frame to the
    tables and downloads below (whose own remembering then knows its content) instead of a new copy: each
    polars call on a page's rerun cost 0.4-1 ms (py-spy on /support)."""
    shown = frame.select(keep) if keep else frame
    return shown.drop(drop).rename(rename or {})
