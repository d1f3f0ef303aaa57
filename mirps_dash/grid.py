"""The on-screen grid of a template (one country, one period): its rows for the editor, and the edits back
as the file an upload would be, so a grid entry takes the same checks, preview and write as a file.

The grid shows people what they need (the indicator, the value reported now, a cell for the new value and
one for a comment) and keeps what they must not retype out of it: the code and the version read are taken
from the rows the grid was built from, never from the cells, so the editor's types (a version shown as
"1.0", an empty cell as "None") cannot reach the import.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from mirps_dash import intake, writes

EDITABLE = ("new_value", "comment")


@dataclass(frozen=True)
class GridRow:
    code: str
    name: str
    period: int
    current: float | None  # the value reported now for this period, if any
    version: int | None  # its version, read when the grid was built


def rows_from_template(template: list[list]) -> list[GridRow]:
    """`writes.template_rows` (a header, then code, name, period, value, version, comment) as grid rows."""
    _, *body = template
    return [
        GridRow(
            code, name, int(period), None if value is None else float(value), None if version is None else int(version)
        )
        for code, name, period, value, version, _ in body
    ]


def editor_rows(rows: list[GridRow]) -> list[dict]:
    """What the editor shows: one dict per indicator, numbered as the template's rows are (the header is row
    1); the new value and the comment start empty, so an untouched row is no change."""
    return [
        {"row": number, "code": row.code, "name": row.name, "current": row.current, "new_value": None, "comment": None}
        for number, row in enumerate(rows, start=2)
    ]


def _blank(cell) -> bool:
    return (
        cell is None or (isinstance(cell, float) and math.isnan(cell)) or (isinstance(cell, str) and not cell.strip())
    )


def number_text(value: float) -> str:
    """A number from the editor as import text that reads back as the same number: whole numbers without
    ".0", the rest as `intake.number_text` writes them ("0.00001", not "1e-05"; "1.2340", since "1.234" in
    a file is refused as ambiguous but a grid cell holds a number)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return intake.number_text(value)


def import_bytes(rows: list[GridRow], edited: list[dict], lang: str) -> bytes | None:
    """The edited rows as a CSV in the template's format and the user's language, or None when nothing was
    edited. A row counts as edited when its new value or its comment is filled; a comment without a value is
    refused by the import's checks like an empty cell in a file. Untouched rows are blank lines, so a
    problem's row number is the grid's row number (the header is row 1, as in the template). The version is
    the one read when the grid was built: a value someone else changed in the meantime is a version conflict,
    not a silent overwrite."""
    code, _, period, value, version, comment = writes.TEMPLATE_HEADERS[lang]
    lines: list[list[str]] = []
    for row, cells in zip(rows, edited, strict=True):
        if cells.get("code") != row.code:  # the editor cannot add, delete or reorder rows
            raise ValueError(f"the grid's rows moved: {cells.get('code')!r} where {row.code!r} was")
        new_value, note = cells.get("new_value"), cells.get("comment")
        if _blank(new_value) and _blank(note):
            lines.append([])
            continue
        text = (
            ""
            if _blank(new_value)
            else number_text(new_value)
            if isinstance(new_value, int | float)
            else str(new_value)
        )
        version_read = "" if row.version is None else str(row.version)
        lines.append([row.code, str(row.period), text, version_read, "" if _blank(note) else str(note).strip()])
    if not any(lines):
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([code, period, value, version, comment])
    writer.writerows(lines)
    return buffer.getvalue().encode()
