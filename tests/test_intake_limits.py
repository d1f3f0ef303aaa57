"""A small file must not cost a minute and a gigabyte: a workbook is refused by the rows it reaches (its
declared dimension, and the row numbers actually read), not only by its size on disk, and reading has a
deadline. The attacking files are built here (openpyxl, and the sheet XML edited where a test needs a
dimension that is missing or lies)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile

import pytest
from openpyxl import Workbook

from mirps_dash import i18n, intake
from tests.conftest import ROOT
from tests.fixtures import make_bad_inputs

HEADER = ["indicator_code", "period", "value"]
FAR = 5_000_000
EXCEL_ROWS = 1_048_576
PLACEHOLDER = 987_654


def workbook(cells: dict[tuple[int, int], object]) -> bytes:
    """A workbook whose first sheet has the header in row 1 and `cells` ((row, column) -> value).

    Excel (and openpyxl) stop at row 1,048,576 but a sheet's XML can say any row: cells past that are
    written at a placeholder row and renumbered in the XML."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    far = {row for row, _ in cells if row > EXCEL_ROWS}
    assert len(far) <= 1
    for (row, column), value in cells.items():
        sheet.cell(row=PLACEHOLDER if row in far else row, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    if not far:
        return buffer.getvalue()
    xml = zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml")
    assert xml.count(str(PLACEHOLDER).encode()) == 5  # the dimension, the row and its three cells
    xml = xml.replace(str(PLACEHOLDER).encode(), str(far.pop()).encode())
    return make_bad_inputs.rezip(buffer.getvalue(), {}, replace={"xl/worksheets/sheet1.xml": xml})


def with_dimension(raw: bytes, ref: str | None) -> bytes:
    """The same workbook with the sheet's `<dimension ref=...>` replaced by `ref`, or removed (None)."""
    sheet = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    replacement = b"" if ref is None else f'<dimension ref="{ref}"/>'.encode()
    sheet, count = re.subn(rb"<dimension [^>]*/>", replacement, sheet)
    assert count == 1
    return make_bad_inputs.rezip(raw, {}, replace={"xl/worksheets/sheet1.xml": sheet})


def data_row(row: int, code: str = "B") -> dict[tuple[int, int], object]:
    return {(row, 1): code, (row, 2): 2024, (row, 3): 2}


def codes_in_a_subprocess(raw: bytes, tmp_path, timeout: int = 30) -> list[str]:
    """The problem codes `read_table` gives, read in a child process so that a reader that walks millions
    of empty rows fails this test by its timeout instead of holding the suite for a minute."""
    path = tmp_path / "far.xlsx"
    path.write_bytes(raw)
    script = (
        "import json, sys\n"
        "from mirps_dash import intake\n"
        "try:\n"
        "    table = intake.read_table(open(sys.argv[1], 'rb').read(), 'far.xlsx')\n"
        "    print(json.dumps({'accepted': len(table.rows)}))\n"
        "except intake.Rejected as rejected:\n"
        "    print(json.dumps({'codes': [p.code for p in rejected.problems]}))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading a {len(raw)}-byte workbook took more than {timeout} s")
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert "codes" in outcome, f"accepted: {outcome}"
    return outcome["codes"]


def refusal(raw: bytes) -> list[intake.Problem]:
    with pytest.raises(intake.Rejected) as raised:
        intake.read_table(raw, "upload.xlsx")
    return raised.value.problems


def test_a_tiny_workbook_with_a_cell_five_million_rows_down_is_refused_by_its_dimension(tmp_path):
    raw = workbook({(2, 1): "A", (2, 2): 2024, (2, 3): 1, **data_row(FAR)})
    assert len(raw) < 10_000  # it passes every size check
    assert f'<dimension ref="A1:C{FAR}"/>'.encode() in zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    assert codes_in_a_subprocess(raw, tmp_path) == ["sheet_too_large"]


def test_without_a_dimension_the_rows_read_are_counted_and_the_walk_stops(tmp_path):
    raw = with_dimension(workbook({(2, 1): "A", (2, 2): 2024, (2, 3): 1, **data_row(FAR)}), None)
    assert codes_in_a_subprocess(raw, tmp_path) == ["sheet_too_large"]


def test_a_row_just_past_the_limit_is_refused_even_when_the_dimension_says_otherwise():
    far = intake.MAX_SHEET_ROWS + 1
    for ref in (None, "A1:C2"):
        raw = with_dimension(workbook({(2, 1): "A", (2, 2): 2024, (2, 3): 1, **data_row(far)}), ref)
        problems = refusal(raw)
        assert [p.code for p in problems] == ["sheet_too_large"]
        assert problems[0].detail == {
            "rows": intake.MAX_SHEET_ROWS,
            "columns": intake._column_letter(intake.MAX_COLUMNS - 1),
        }


def test_data_spread_over_blank_rows_up_to_the_limit_is_read_whole():
    last = intake.MAX_SHEET_ROWS
    raw = workbook({**data_row(2, "A"), **data_row(3_000, "M"), **data_row(last, "Z")})
    table = intake.read_table(raw, "upload.xlsx")
    assert table.rows == [(2, ["A", "2024", "2"]), (3_000, ["M", "2024", "2"]), (last, ["Z", "2024", "2"])]


def test_a_dimension_that_declares_too_few_rows_does_not_drop_the_rest():
    """openpyxl stops reading at the declared last row: a sheet written by a tool that leaves a stale
    dimension would lose rows without a word."""
    raw = with_dimension(workbook({**data_row(2, "A"), **data_row(3, "B"), **data_row(4, "C")}), "A1:C2")
    table = intake.read_table(raw, "upload.xlsx")
    assert [cells[0] for _, cells in table.rows] == ["A", "B", "C"]


def test_a_dimension_wider_than_the_column_limit_is_refused():
    raw = with_dimension(workbook(data_row(2)), "A1:ZZ3")
    assert [p.code for p in refusal(raw)] == ["sheet_too_large"]


def test_blank_rows_are_not_kept_in_memory_on_the_way():
    """Thousands of blank rows between data: the table holds the data rows only, and the header's
    columns."""
    raw = workbook({**data_row(2, "A"), **data_row(intake.MAX_ROWS, "B")})
    assert [number for number, _ in intake.read_table(raw, "upload.xlsx").rows] == [2, intake.MAX_ROWS]


def test_a_csv_of_blank_lines_is_empty_and_its_lines_are_not_kept():
    raw = b"indicator_code,period,value\n" + b"\n" * (intake.MAX_BYTES - 40)
    lines = intake._csv(raw)
    assert lines == [(1, ["indicator_code", "period", "value"])]


def test_reading_has_a_deadline(monkeypatch):
    """Not a timed test: with no time allowed at all, a good workbook is refused by the deadline."""
    raw = workbook(data_row(2))
    assert intake.read_table(raw, "upload.xlsx").rows == [(2, ["B", "2024", "2"])]
    monkeypatch.setattr(intake, "MAX_READ_SECONDS", 0)
    problems = refusal(raw)
    assert [(p.code, p.detail) for p in problems] == [("too_slow", {"limit": 0})]


@pytest.mark.parametrize("code", ["sheet_too_large", "too_slow", "too_many_cells"])
def test_the_new_refusals_speak_both_languages(code):
    problem = intake.Problem(None, None, code, {"rows": 11_000, "columns": "AX", "limit": 15})
    lines = {lang: i18n.import_problem(problem, lang) for lang in i18n.LANGS}
    assert lines["es"] != lines["en"]
    assert all("{" not in line for line in lines.values())


def test_a_workbook_of_more_xml_elements_than_a_full_sheet_is_refused_before_openpyxl_reads_it(monkeypatch):
    """Every part counts (a second sheet, shared strings, styles): openpyxl parses them all when it opens
    the workbook, before any row is read, so their size is bounded up front."""
    raw = workbook({(row, column): row * column for row in range(2, 22) for column in range(1, 6)})
    assert len(intake.read_table(raw, "upload.xlsx").rows) == 20
    monkeypatch.setattr(intake, "MAX_XML_ELEMENTS", 200)
    assert [p.code for p in refusal(raw)] == ["too_many_cells"]
    monkeypatch.setattr(intake, "MAX_XML_ELEMENTS", 1_000)
    small = workbook(data_row(2))
    assert intake.read_table(small, "upload.xlsx").rows == [(2, ["B", "2024", "2"])]
    padded = make_bad_inputs.rezip(small, {"xl/extra.xml": b"<a>" + b"<b/>" * 1_000 + b"</a>"})
    assert [p.code for p in refusal(padded)] == ["too_many_cells"]


def test_control_characters_are_exactly_unicodes_cc_but_tab_and_line_breaks_plus_the_bidi_controls():
    import unicodedata

    expected = {
        chr(code)
        for code in range(0x110000)
        if unicodedata.category(chr(code)) == "Cc" and chr(code) not in intake.ALLOWED_CONTROLS
    } | intake.BIDI_CONTROLS
    assert {chr(code) for code in range(0x110000) if intake.INVISIBLE.fullmatch(chr(code))} == expected
