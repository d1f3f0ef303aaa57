"""Downloads: tables as CSV and XLSX that are safe to open in a spreadsheet, charts as PNG and SVG rendered
offline by vl-convert, and the file names they are saved under. Pure functions returning bytes or text.
"""

from __future__ import annotations

import copy
import io
import math
import re
import textwrap
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import altair as alt
import polars as pl
import vl_convert
import xlsxwriter

from mirps_dash import memo, safecells

# The one rule for cells a spreadsheet would run as formulas (`safecells`), named here as well for callers.
FORMULA_PREFIXES = safecells.FORMULA_PREFIXES
neutralise = safecells.neutralise

# Charts are drawn with width="container", which only a browser can resolve: vl-convert draws the trend
# 300 px wide. A 900 px plot fills a 16:9 slide at 1280x720 with room for axis labels and legend.
EXPORT_WIDTH = 900
PNG_SCALE = 2.0  # twice the pixels: sharp on high-density screens and when a slide is projected
TITLE_FONT_SIZE = 18
CAPTION_FONT_SIZE = 12
CAPTION_COLOUR = "#555555"
# Keys Vega-Lite accepts only on the outermost spec: they move outside when a title or caption wraps a chart.
_TOP_LEVEL_ONLY = ("$schema", "config", "datasets", "background", "padding", "autosize", "usermeta")

_MAX_COLUMN_WIDTH = 60  # characters: longer text wraps in the cell instead of pushing the next column away
_MAX_STEM = 180  # characters: file systems refuse names over 255 bytes; leave room for browsers' " (1)"

Chart = alt.TopLevelMixin | dict[str, Any]


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with a byte-order mark, which Excel needs to read "Panamá" as UTF-8 rather
    than as the local code page. Header row, commas, nulls as empty cells (an empty string is written as "").
    Text cells and column names a spreadsheet would run as formulas get an apostrophe (`safecells`).
    """
    buffer = io.BytesIO()
    safecells.neutralised_frame(frame).write_csv(buffer, include_bom=True)
    return buffer.getvalue()


def table_frame(rows: list[dict[str, Any]], headers: dict[str, str]) -> pl.DataFrame:
    """Rows as a frame for `csv_bytes`/`xlsx_bytes`: the columns of `headers` (column -> header shown), in
    its order, under their headers; a column of numbers stays numeric, a column of times stays times."""
    frame = pl.DataFrame(rows, infer_schema_length=None, strict=False)
    return frame.select([pl.col(column).alias(header) for column, header in headers.items() if column in frame.columns])


def _cell_text(value: Any) -> str:
    """How wide a value looks in a cell, for column widths."""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _column_width(header: str, values: list[Any]) -> float:
    longest = max((len(_cell_text(v)) for v in values if v is not None), default=0)
    return min(max(len(header), longest, 6) + 2, _MAX_COLUMN_WIDTH)


def _write_cell(sheet, row: int, col: int, value: Any, formats: dict[str, Any]) -> None:
    """Numbers as numbers, dates as dates, everything else as neutralised text: never as a formula."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value, formats["datetime"])
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, formats["date"])
    else:
        text = value if isinstance(value, str) else str(value)
        sheet.write_string(row, col, neutralise(text), formats["text"])


def xlsx_bytes(
    frame: pl.DataFrame,
    metadata: list[tuple[str, str]],
    sheet_name: str = "data",
    metadata_sheet_name: str = "metadata",
) -> bytes:
    """An Excel workbook: the frame on one sheet (bold, frozen header; numbers as numbers; nulls empty) and
    where it comes from on another (source, publisher, date of data, licence, filters, exported at...).

    Every string goes through `write_string`, so nothing becomes a formula, and is neutralised as in the
    CSV, so a copy re-saved as CSV by another program is still safe.
    """
    buffer = io.BytesIO()
    # nan_inf_to_errors: NaN and infinity become #NUM!/#DIV/0! cells instead of an exception (never 0).
    # remove_timezone: Excel has no time zones; the naive wall-clock time is kept.
    options = {"in_memory": True, "nan_inf_to_errors": True, "remove_timezone": True, "strings_to_formulas": False}
    with xlsxwriter.Workbook(buffer, options) as workbook:
        formats = {
            "header": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
            "key": workbook.add_format({"bold": True, "valign": "top"}),
            "text": workbook.add_format({"valign": "top"}),
            "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        }
        data = workbook.add_worksheet(sheet_name)
        for col, name in enumerate(frame.columns):
            data.write_string(0, col, neutralise(name), formats["header"])
            values = frame[name].to_list()
            data.set_column(col, col, _column_width(name, values))
            for row, value in enumerate(values, start=1):
                _write_cell(data, row, col, value, formats)
        data.freeze_panes(1, 0)
        if frame.width:
            data.autofilter(0, 0, frame.height, frame.width - 1)

        about = workbook.add_worksheet(metadata_sheet_name)
        about.set_column(0, 0, _column_width("", [key for key, _ in metadata]))
        about.set_column(1, 1, _MAX_COLUMN_WIDTH + 20, formats["wrap"])
        for row, (key, value) in enumerate(metadata):
            about.write_string(row, 0, neutralise(key), formats["key"])
            about.write_string(row, 1, neutralise(value), formats["wrap"])
    return buffer.getvalue()


def _specs(spec: Any) -> Iterator[dict[str, Any]]:
    """Every dict in a chart spec except inline data rows (a row may well have a "width" or "url" column)."""
    if isinstance(spec, dict):
        yield spec
        for key, value in spec.items():
            if key not in ("datasets", "values"):
                yield from _specs(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _specs(value)


def _export_spec(chart: Chart) -> dict[str, Any]:
    """A copy of the spec that renders outside a browser: fixed width, and data that must be inline.

    vl-convert refuses a remote URL under `allowed_base_urls=[]`, but a `file://` URL or a missing file
    still renders silently as an empty chart: an export would show no bars and no error. So any URL data
    is refused here, before rendering.
    """
    spec = copy.deepcopy(chart) if isinstance(chart, dict) else chart.to_dict()
    for part in _specs(spec):
        data = part.get("data")
        if isinstance(data, dict) and "url" in data:
            raise ValueError(f"chart data must be embedded for export, not loaded from {data['url']!r}")
        if part.get("width") == "container":
            part["width"] = EXPORT_WIDTH
    return spec


def _wrapped(text: str, font_size: int) -> list[str]:
    """Vega titles never wrap by themselves: break the text into lines that fit the export width."""
    per_line = int(EXPORT_WIDTH / (font_size * 0.55))  # average glyph width of a sans-serif font
    return [line for paragraph in text.splitlines() for line in textwrap.wrap(paragraph, per_line) or [""]]


def _titled(spec: dict[str, Any], title: str | None, caption: str | None) -> dict[str, Any]:
    """The spec with `title` above it and `caption` (the source) under it, so an image taken out of the
    dashboard still says what it shows and where the figures come from (DESIGN, data rules).

    The chart goes inside a one-element vconcat for each, which leaves its own layout, legend and
    selections untouched; what only a top-level spec may carry moves to the outside.
    """
    if not title and not caption:
        return spec
    top = {key: spec.pop(key) for key in _TOP_LEVEL_ONLY if key in spec}
    if caption:
        lines = _wrapped(caption, CAPTION_FONT_SIZE)
        spec = {
            "vconcat": [spec],
            "title": {
                "text": lines,
                "orient": "bottom",
                "anchor": "start",
                "fontSize": CAPTION_FONT_SIZE,
                "fontWeight": "normal",
                "color": CAPTION_COLOUR,
                "offset": 12,
            },
        }
    if title:
        lines = _wrapped(title, TITLE_FONT_SIZE)
        spec = {"vconcat": [spec], "title": {"text": lines, "anchor": "start", "fontSize": TITLE_FONT_SIZE}}
    return {**top, **spec}


def _vl_version(spec: dict[str, Any]) -> str | None:
    """The Vega-Lite version the spec was written for (Altair's $schema), if vl-convert bundles it."""
    found = re.search(r"/v(\d+)\.(\d+)(?:\.\d+)?\.json$", spec.get("$schema", ""))
    version = f"{found[1]}.{found[2]}" if found else None
    return version if version in vl_convert.get_vegalite_versions() else None


def chart_png(chart: Chart, scale: float = PNG_SCALE, *, title: str | None = None, caption: str | None = None) -> bytes:
    """The chart as a PNG, `scale` times its size in CSS pixels, drawn offline with its own locale; with
    `title` above and `caption` (its sources) below when given."""
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number, not {scale!r}")
    spec = _titled(_export_spec(chart), title, caption)
    return vl_convert.vegalite_to_png(spec, vl_version=_vl_version(spec), scale=scale, allowed_base_urls=[])


def chart_svg(chart: Chart, *, title: str | None = None, caption: str | None = None) -> str:
    """The chart as SVG text (text stays text: searchable, and editable in a slide), drawn offline; with
    `title` above and `caption` (its sources) below when given."""
    spec = _titled(_export_spec(chart), title, caption)
    return vl_convert.vegalite_to_svg(spec, vl_version=_vl_version(spec), allowed_base_urls=[])


def _slug(part: str | int) -> str:
    ascii_text = unicodedata.normalize("NFKD", str(part)).encode("ascii", "ignore").decode("ascii")
    dashed = re.sub(r"[^A-Za-z0-9._]+", "-", ascii_text.strip())
    return re.sub(r"-{2,}", "-", dashed).strip("-._")


def file_name(*parts: str | int | None, extension: str) -> str:
    """A safe, descriptive download name: "mirps_" + the non-empty parts, ASCII, joined by "_".

    ("displacement", "trend", "HND", "2016-2025", "en"), "png" -> "mirps_displacement_trend_HND_2016-2025_en.png".
    Accents are dropped ("Panamá" -> "Panama"), spaces and anything else outside letters, digits, "." and
    "_" become "-", so no part can carry a path separator or start a hidden file.
    """
    suffix = extension.lstrip(".").lower()
    if not suffix.isascii() or not suffix.isalnum():
        raise ValueError(f"not a file extension: {extension!r}")
    slugs = [_slug(part) for part in parts if part is not None]
    stem = "_".join(["mirps", *(slug for slug in slugs if slug)])
    return f"{stem[:_MAX_STEM].rstrip('-._')}.{suffix}"


def marked_illustrative(
    table: pl.DataFrame, metadata: list[tuple[str, str]], title: str, lang: str
) -> tuple[pl.DataFrame, list[tuple[str, str]], str]:
    """The same export, marked as illustrative in each place a file can carry it: a column on every row
    (CSV, XLSX), the first metadata row (XLSX) and the title (PNG, SVG)."""
    from mirps_dash import i18n

    mark = i18n.t("illustrative_mark", lang)
    return (
        _with_mark_column(table, mark),
        [(mark, i18n.t("illustrative_banner", lang)), *metadata],
        f"{mark} · {title}",
    )


@memo.by_content
def _with_mark_column(table: pl.DataFrame, mark: str) -> pl.DataFrame:
    """Remembered: the chart block marks the same table on every rerun of a page with illustrative data."""
    return table.with_columns(pl.lit(mark).alias(mark))
