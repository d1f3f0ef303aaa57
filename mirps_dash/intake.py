"""Bytes of an uploaded file -> a header and rows of text cells, or every problem found.

This is the one place that knows file formats: CSV in the encodings and delimiters people's
spreadsheets save (UTF-8 with or without BOM, UTF-16, cp1252; comma, semicolon, tab) and XLSX read
with openpyxl. What the cells mean is for the caller (`writes`) to check.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

MAX_BYTES = 2_000_000
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Problem:
    """One problem in a file; `row` counts as a spreadsheet does (the header is row 1)."""

    row: int | None
    column: str | None
    code: str
    detail: dict = field(default_factory=dict)


class Rejected(ValueError):
    """The file or the write cannot be accepted; `problems` says why, row by row."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(p.code for p in problems[:5]))


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells as text)


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # what Excel on Windows saves as "CSV" in Spanish


def _csv(raw: bytes) -> list[list[str]]:
    text = _decode(raw)
    if not text.strip():
        raise Rejected([Problem(None, None, "empty_file")])
    first_line = text.splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if value is None else str(value) for value in values])
    workbook.close()
    return rows


def read_table(raw: bytes, file_name: str = "upload.csv") -> Table:
    """The header (lower-cased, trimmed) and the non-blank rows of a CSV or XLSX file."""
    if len(raw) > MAX_BYTES:
        raise Rejected([Problem(None, None, "too_large", {"limit": MAX_BYTES // 1_000_000})])
    if not raw.strip():
        raise Rejected([Problem(None, None, "empty_file")])
    lines = _xlsx(raw) if file_name.lower().endswith(".xlsx") else _csv(raw)
    if not lines:
        raise Rejected([Problem(None, None, "empty_file")])
    header = [cell.strip().lower() for cell in lines[0]]
    rows = [(number, cells) for number, cells in enumerate(lines[1:], start=2) if any(c.strip() for c in cells)]
    if len(rows) > MAX_ROWS:
        raise Rejected([Problem(None, None, "too_many_rows", {"limit": MAX_ROWS})])
    return Table(header, rows)
