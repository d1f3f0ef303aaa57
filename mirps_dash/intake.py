"""Bytes of an uploaded file -> a header and rows of text cells, or every problem found.

This is the one place that knows file formats: CSV in the encodings and delimiters people's
spreadsheets save (UTF-8 with or without BOM, UTF-16 with BOM, cp1252; comma, semicolon, tab) and XLSX read
with openpyxl. What the cells mean is for the caller (`writes`) to check.

Uploads come from outside, so nothing here trusts the file: size and row limits come first, a binary or
legacy file is named as such instead of being read as garbled text, and an XLSX is inspected as a zip
(sizes, compression ratio, macros, XML declarations) before openpyxl opens it. Python's zipfile never
inflates an entry past the size its directory declares, so checking the declared sizes bounds the work.

A few kilobytes of XML can still name a cell five million rows down, and openpyxl hands over every empty
row above it: a sheet is refused when its declared dimension, or the row numbers actually read, go past
MAX_SHEET_ROWS (blank rows are never kept). openpyxl parses every part when it opens a workbook, so the XML
elements of all parts are counted first (MAX_XML_ELEMENTS), and reading the rows stops at a deadline.
"""

from __future__ import annotations

import csv
import io
import re
import time as clock
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

MAX_BYTES = 2_000_000
MAX_ROWS = 10_000
MAX_COLUMNS = 50
MAX_SHEET_ROWS = MAX_ROWS + 1_000  # room for a header a few rows down and blank lines between blocks
# A cell is a few XML elements (the cell, its value, an inline or a shared string): a workbook at the row and
# column limits has about three million, and openpyxl's time goes with their number whatever the sheet says.
MAX_XML_ELEMENTS = 5 * MAX_SHEET_ROWS * MAX_COLUMNS
MAX_READ_SECONDS = 30  # a workbook of MAX_ROWS full rows reads in 5-15 s on a busy two-core host
MAX_CELL_CHARS = 2_000
MAX_PROBLEMS = 100  # more than this is one summary line: nobody reads ten thousand lines
MAX_UNZIPPED_BYTES = 50_000_000  # an XLSX of MAX_ROWS rows is a few MB of XML
MAX_ZIP_RATIO = 200  # real workbooks deflate 5-50x; a bomb does ~1000x
MAX_ZIP_ENTRIES = 1_000

XLSX_NAMES = (".xlsx",)
MACRO_NAMES = (".xlsm", ".xltm", ".xlam", ".xlsb")
ALLOWED_CONTROLS = frozenset("\t\n\r")  # tabs and line breaks inside a quoted comment are ordinary text
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # reorder what is shown
BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"MZ")
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003) and password-protected .xlsx
ZIP_SIGNATURE = b"PK\x03\x04"
# Unicode's control characters (category Cc, which is U+0000-U+001F and U+007F-U+009F and never changes) but the
# allowed ones, and the bidi controls: one search per cell rather than a category look-up per character.
CONTROLS = frozenset(chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))) - ALLOWED_CONTROLS
INVISIBLE = re.compile("[" + "".join(re.escape(char) for char in sorted(CONTROLS | BIDI_CONTROLS)) + "]")


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


def _reject(code: str, row: int | None = None, column: str | None = None, **detail) -> Rejected:
    return Rejected([Problem(row, column, code, detail)])


# ---------------------------------------------------------------- CSV


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 saved without a BOM shows as every other byte being NUL in ASCII text."""
    sample = raw[:400]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encodings = ["utf-32"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif guess := _utf16_without_bom(raw):
        encodings = [guess]
    elif b"\x00" in raw:
        raise _reject("binary_file")  # no text in these encodings has a NUL byte
    else:
        encodings = ["utf-8-sig", "cp1252"]  # cp1252 is what Excel on Windows saves as "CSV" in Spanish
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _reject("unknown_encoding")


def _delimiter(first_line: str) -> str:
    """The most frequent of comma, semicolon and tab in the header, counted outside quotes."""
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(",;\t", key=counts.__getitem__)  # ties (a one-column file) go to the comma


def _csv(raw: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(raw)
    if "\x00" in text:
        raise _reject("binary_file")
    if not text.strip():
        raise _reject("empty_file")
    delimiter = _delimiter(text.lstrip("\r\n").splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    lines: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if any(cell.strip() for cell in cells):  # a file of two million blank lines keeps none of them
                lines.append((number, cells))
                if len(lines) > MAX_ROWS + 1:
                    break  # enough to say "too many rows" without reading the rest
    except csv.Error:
        # an unclosed quote or a quote in the middle of a quoted cell; field_size_limit for a huge cell
        raise _reject("bad_csv", row=number + 1) from None
    return lines


# ---------------------------------------------------------------- XLSX


def _inspect_zip(raw: bytes, file_name: str) -> None:
    """Refuse before openpyxl reads anything: not a zip, macros, a zip bomb, XML with declarations."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _reject("not_xlsx") from None
    with archive:
        entries = archive.infolist()
        names = {entry.filename.lower() for entry in entries}
        if file_name.lower().endswith(MACRO_NAMES) or any(name.endswith("vbaproject.bin") for name in names):
            raise _reject("macros")
        if len(entries) > MAX_ZIP_ENTRIES:
            raise _reject("zip_bomb", limit=MAX_UNZIPPED_BYTES // 1_000_000)
        total = sum(entry.file_size for entry in entries)
        if total > MAX_UNZIPPED_BYTES or any(
            entry.file_size > 1_000_000 and entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1)
            for entry in entries
        ):
            raise _reject("zip_bomb", limit=MAX_UNZIPPED_BYTES // 1_000_000)
        if "xl/workbook.xml" not in names or "[content_types].xml" not in names:
            raise _reject("not_xlsx")  # a zip, an .ods or a .docx renamed
        if any(
            entry.flag_bits & 0x1 or entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            for entry in entries
        ):
            raise _reject("not_xlsx")
        try:
            content_types = archive.read("[Content_Types].xml")
            if b"macroEnabled" in content_types:
                raise _reject("macros")
            elements = 0
            for entry in entries:
                if entry.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with archive.open(entry) as part:
                        prolog = part.read(4096)  # a DTD can only come before the root element
                        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                            raise _reject("unsafe_xlsx")
                        elements += _start_tags(prolog, part)
                    if elements > MAX_XML_ELEMENTS:
                        raise _reject("too_many_cells", rows=MAX_SHEET_ROWS, columns=MAX_COLUMNS)
        except Rejected:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise _reject("not_xlsx") from None


def _start_tags(first: bytes, rest) -> int:
    """How many XML elements a part holds (start tags: "<" not followed by "/", "?" or "!"), read in
    chunks; a tag cut between two chunks may be miscounted by one, which does not matter against a limit
    in the millions."""
    count = 0
    chunk = first
    while chunk:
        count += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?") - chunk.count(b"<!")
        chunk = rest.read(1 << 20)
    return count


def number_text(value: float) -> str:
    """A number written so that `writes.parse_number` reads it back exactly: every digit written out
    ("0.00001", not "1e-05"), and a trailing zero where one to three digits and a point and three more
    ("1.234") would be refused as ambiguous. Whole numbers keep their ".0" (a float's repr does)."""
    text = format(Decimal(repr(float(value))), "f")
    whole, _, fraction = text.lstrip("-").partition(".")
    return text + "0" if len(fraction) == 3 and len(whole) <= 3 and whole != "0" else text


def _text(value) -> str:
    """A cell as the text a person sees: whole numbers without ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else number_text(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _sheet_too_large() -> Rejected:
    return _reject("sheet_too_large", rows=MAX_SHEET_ROWS, columns=_column_letter(MAX_COLUMNS - 1))


def _check_dimension(sheet) -> None:
    """Refuse at once a sheet whose `<dimension ref=...>` reaches past the limits, then forget the
    dimension: openpyxl would stop reading at a declared last row that is too small and drop the rest."""
    if (sheet.max_row or 0) > MAX_SHEET_ROWS or (sheet.max_column or 0) > MAX_COLUMNS:
        raise _sheet_too_large()
    sheet.reset_dimensions()


def _xlsx(raw: bytes, file_name: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """The first sheet's rows as text, and a problem for every formula (rejected: its value is not data)."""
    from openpyxl import load_workbook

    deadline = clock.monotonic() + MAX_READ_SECONDS
    _inspect_zip(raw, file_name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it ignores
            workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a broken workbook; all mean the same here
        raise _reject("not_xlsx") from None
    lines: list[tuple[int, list[str]]] = []
    formulas: list[Problem] = []
    try:
        if not workbook.worksheets:
            raise _reject("empty_file")
        sheet = workbook.worksheets[0]
        _check_dimension(sheet)
        # openpyxl yields an empty row for every missing one above a row it reads: the row number is the
        # count of rows yielded, so the walk stops at the limit whatever the sheet declares.
        rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS + 1, values_only=True)
        header: list[str] = []
        filled = 0
        for number, values in enumerate(rows, start=1):
            if number > MAX_SHEET_ROWS:
                raise _sheet_too_large()
            if clock.monotonic() > deadline:
                raise _reject("too_slow", limit=MAX_READ_SECONDS)
            values = list(values)
            while values and (values[-1] is None or values[-1] == ""):
                values.pop()
            if not values:
                continue  # blank rows are dropped by the caller anyway: never keep thousands of them
            for index, value in enumerate(values):
                if (isinstance(value, str) and value.startswith("=")) or "Formula" in type(value).__name__:
                    column = header[index] if lines and index < len(header) and header[index] else f"#{index + 1}"
                    formulas.append(Problem(number, column, "formula", {"cell": f"{_column_letter(index)}{number}"}))
            cells = [_text(value) for value in values]
            if not lines:
                header = [cell.strip().lower() for cell in cells]
            lines.append((number, cells + [""] * (len(header) - len(cells))))
            filled += any(cell.strip() for cell in cells)
            if filled > MAX_ROWS + 1 or len(formulas) > MAX_PROBLEMS:
                break
    except Rejected:
        raise
    except Exception:  # a sheet whose XML breaks halfway
        raise _reject("not_xlsx") from None
    finally:
        workbook.close()
    return lines, formulas


# ---------------------------------------------------------------- both


def _sniff(raw: bytes, file_name: str) -> str:
    """Which reader, from the content first and the name second; a clear refusal for anything else."""
    if raw.startswith(OLE2_SIGNATURE):
        raise _reject("legacy_excel")
    if raw.startswith(ZIP_SIGNATURE) or file_name.lower().endswith(XLSX_NAMES + MACRO_NAMES):
        return "xlsx"
    if raw.startswith(BINARY_SIGNATURES):
        raise _reject("binary_file")
    return "csv"


def _cell_problems(lines: list[tuple[int, list[str]]], header: list[str]) -> list[Problem]:
    """Cells too long to be a figure or a comment, and control characters nobody typed on purpose."""
    problems = []
    for position, (number, cells) in enumerate(lines):
        if len(cells) > MAX_COLUMNS:
            problems.append(Problem(number, None, "too_many_columns", {"limit": MAX_COLUMNS}))
            continue
        for index, cell in enumerate(cells):
            column = header[index] if position and index < len(header) and header[index] else f"#{index + 1}"
            if len(cell) > MAX_CELL_CHARS:
                problems.append(
                    Problem(number, column, "cell_too_long", {"length": len(cell), "limit": MAX_CELL_CHARS})
                )
                continue
            if bad := INVISIBLE.search(cell):
                problems.append(Problem(number, column, "control_character", {"char": f"U+{ord(bad.group()):04X}"}))
    return problems


def read_table(raw: bytes, file_name: str = "upload.csv") -> Table:
    """The header (lower-cased, trimmed) and the non-blank rows of a CSV or XLSX file."""
    if len(raw) > MAX_BYTES:
        raise _reject("too_large", limit=MAX_BYTES // 1_000_000)
    if not raw.strip():
        raise _reject("empty_file")
    problems: list[Problem] = []
    if _sniff(raw, file_name) == "xlsx":
        lines, problems = _xlsx(raw, file_name)
    else:
        lines = _csv(raw)
    lines = [(number, cells) for number, cells in lines if any(cell.strip() for cell in cells)]
    if not lines:
        raise _reject("empty_file")
    if len(lines) - 1 > MAX_ROWS:
        raise _reject("too_many_rows", limit=MAX_ROWS)
    header = [cell.replace("\ufeff", "").strip().lower() for cell in lines[0][1]]
    problems += _cell_problems(lines, header)
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        if len(problems) > MAX_PROBLEMS:
            problems = [
                *problems[:MAX_PROBLEMS],
                Problem(None, None, "more_problems", {"count": len(problems) - MAX_PROBLEMS}),
            ]
        raise Rejected(problems)
    return Table(header, lines[1:])
