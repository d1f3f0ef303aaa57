"""Cells that are safe to open in a spreadsheet: the one rule every CSV and XLSX the product writes uses.

Kept apart, with no heavy imports, so the command line (`export`, `template`) applies the same rule as the
pages' downloads without loading the chart libraries that `exports` brings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

# OWASP "CSV Injection": a cell starting with one of these is read as a formula by Excel, LibreOffice or
# Google Sheets (tab and carriage return because some programs strip them and then see the next character).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a string that a spreadsheet would run as a formula with an apostrophe; pass anything else.

    Numbers are written as numbers, never as text, so they are never touched: a negative number in a
    numeric column is data. A *string* that happens to look like a negative number ("-12") is neutralised
    all the same: text is text, and "-2+3" shows that a leading minus can start a formula too.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_text(header: Sequence[str] | None, rows: Iterable[Sequence[Any]], *, raw: bool = False) -> str:
    """Rows as CSV text ("\\n" line ends, None as an empty cell), every text cell and header neutralised;
    `raw` keeps the text as it is, for a copy only the product itself reads back (a kept version).

    Python's writer quotes a cell holding the line terminator but not a lone carriage return, which every
    reader takes for the end of the row: a row with one is written with every cell quoted.
    """
    buffer = io.StringIO()
    plain = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def write(cells: list[Any]) -> None:
        (quoted if any(isinstance(cell, str) and "\r" in cell for cell in cells) else plain).writerow(cells)

    cell = (lambda value: value) if raw else neutralise
    if header is not None:
        write([cell(name) for name in header])
    for row in rows:
        write(["" if value is None else cell(value) for value in row])
    return buffer.getvalue()


def neutralised_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text column (String, Categorical, Enum, as String) and every column name
    neutralised as `neutralise` does, column-wise (a cell at a time would take seconds on a large table)."""
    import polars as pl

    columns = []
    for name, dtype in frame.schema.items():
        if dtype in (pl.String, pl.Categorical, pl.Enum):
            value = pl.col(name).cast(pl.String)
            risky = pl.any_horizontal(value.str.starts_with(prefix) for prefix in FORMULA_PREFIXES)
            columns.append(pl.when(risky).then(pl.lit("'") + value).otherwise(value).alias(name))
    safe = frame.with_columns(columns)
    return safe.rename({name: neutralise(name) for name in safe.columns if neutralise(name) != name})
