"""What a cell must be, for every kind of import: numbers written in ASCII digits (not Arabic-Indic or
full-width ones, not "5 5"), countries that are MIRPS States where the data is per State, coordinates on
the region's map, counts that are not negative, dates that are dates. Each refusal names its row and
column in both languages; a file that keeps the rules (the shipped one) still passes."""

from __future__ import annotations

import csv
import io

import pytest

from mirps_dash import i18n, intake, reference, settings, writes

CODE = "MIRPS-HND-01"
HEADER = "indicator_code,period,value,version"


def values_file(value: str = "5", period: str = "2024", version: str = "") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([HEADER.split(","), [CODE, period, value, version]])
    return buffer.getvalue().encode()


def refused(call) -> list[intake.Problem]:
    with pytest.raises(intake.Rejected) as raised:
        call()
    problems = raised.value.problems
    for problem in problems:
        for lang in i18n.LANGS:
            line = i18n.import_problem(problem, lang)
            assert line and "{" not in line
    return problems


# ---------------------------------------------------------------- indicator values

NOT_NUMBERS = [
    "٥",  # Arabic-Indic five
    "١٢٣",
    "۱۲۳",  # Extended Arabic-Indic (Persian) digits
    "５",  # full-width five
    "１２,５",
    "१२",  # Devanagari
    "5 5",
    "1 2 3",
    "12 34",
    "1 2345",
    "5\u00a05",
    "1 234 5",
    "1 234.567,5",
    "٥٫٥",  # Arabic decimal separator
    "1٬234",  # Arabic thousands separator
    "1_000",
    "𝟓",  # mathematical bold five
]


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_digits_that_are_not_ascii_and_spaces_inside_a_number_are_not_numbers(typed):
    assert writes.parse_number(typed) is None
    assert not writes.is_ambiguous(typed)
    problems = refused(lambda: writes.parse(values_file(typed), {CODE}, file_name="values.csv"))
    assert [(p.row, p.column, p.code) for p in problems] == [(2, "value", "not_a_number")]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1 234", 1234.0),
        ("1 234,5", 1234.5),
        ("12 345 678", 12345678.0),
        ("1\u00a0234.5", 1234.5),
        ("1\u202f234", 1234),
    ],
)
def test_a_space_between_groups_of_three_digits_is_still_a_thousands_separator(typed, value):
    assert writes.parse_number(typed) == value


@pytest.mark.parametrize("typed", ["٢٠٢٤", "２０２４", "2 024", "20 24"])
def test_a_period_in_other_digits_is_refused(typed):
    problems = refused(lambda: writes.parse(values_file(period=typed), {CODE}))
    assert [(p.row, p.column, p.code) for p in problems] == [(2, "period", "bad_period")]


@pytest.mark.parametrize("typed", ["٢", "２", "2 2", "-1"])
def test_a_version_in_other_digits_is_refused(typed):
    problems = refused(lambda: writes.parse(values_file(version=typed), {CODE}))
    assert [(p.row, p.column, p.code) for p in problems] == [(2, "version", "bad_version")]


# ---------------------------------------------------------------- reference data


def shipped(kind_name: str) -> tuple[reference.Kind, list[dict]]:
    kind = reference.kinds()[kind_name]
    with (settings.DATA_DIR / kind.spec.name).open(encoding="utf-8", newline="") as handle:
        return kind, list(csv.DictReader(handle))


def as_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.mark.parametrize("kind_name", ["cities", "commitments", "facts", "events"])
def test_the_shipped_files_keep_every_rule(kind_name):
    kind, rows = shipped(kind_name)
    assert len(reference.parse(kind, as_csv(rows))) == len(rows)


def one_bad_cell(kind_name: str, column: str, value: str, row: int = 0) -> list[tuple]:
    kind, rows = shipped(kind_name)
    rows[row][column] = value
    problems = refused(lambda: reference.parse(kind, as_csv(rows), f"{kind_name}.csv"))
    return [(p.row, p.column, p.code) for p in problems]


@pytest.mark.parametrize(
    ("kind_name", "column", "value", "code"),
    [
        # countries: the MIRPS States only, in the tables that are per State
        ("cities", "country_iso3", "XXX", "not_mirps_state"),
        ("cities", "country_iso3", "COL", "not_mirps_state"),
        ("cities", "country_iso3", "hnd", "ref_not_iso3"),
        ("commitments", "country_iso3", "XXX", "not_mirps_state"),
        ("commitments", "country_iso3", "USA", "not_mirps_state"),
        # coordinates: on the map of the region, never 999
        ("cities", "lat", "999", "out_of_range"),
        ("cities", "lat", "-91", "out_of_range"),
        ("cities", "lon", "999", "out_of_range"),
        ("cities", "lon", "87.2", "out_of_range"),  # the sign dropped: a point in the Indian Ocean
        ("cities", "lat", "-14.08", "out_of_range"),
        # numbers: ASCII digits, no exponents of infinity, no spaces or underscores inside
        ("cities", "lat", "١٤٫٠٨", "ref_not_number"),
        ("cities", "lat", "１４.０８", "ref_not_number"),
        ("cities", "lat", "14_08", "ref_not_number"),
        ("cities", "lat", "1e999", "ref_not_number"),
        ("cities", "population", "٨٥٠٨٤٨", "ref_not_integer"),
        ("cities", "population", "８５０８４８", "ref_not_integer"),
        ("cities", "population", "850 848", "ref_not_integer"),
        ("cities", "geonameid", "３６００９４９", "ref_not_integer"),
        ("commitments", "commitments", "٦", "ref_not_integer"),
        ("commitments", "commitments", "5 5", "ref_not_integer"),
        ("commitments", "commitments", "-6", "ref_negative"),
        ("events", "event_no", "٣", "ref_not_integer"),
        # counts are not negative
        ("facts", "value", "-180", "negative"),
        ("facts", "value", "-0.5", "negative"),
        ("facts", "value", "٣", "ref_not_number"),
        ("facts", "value", "5 5", "ref_not_number"),
        # dates are dates
        ("cities", "status_date", "2023-13", "bad_partial_date"),
        ("cities", "status_date", "2023-02-30", "bad_partial_date"),
        ("cities", "status_date", "next year", "bad_partial_date"),
        ("cities", "status_date", "٢٠٢٣-١١", "bad_partial_date"),
        ("facts", "date", "2019-7", "bad_date_range"),
        ("facts", "date", "2018/2004", "bad_date_range"),
        ("facts", "date", "2018/xx", "bad_date_range"),
        ("events", "start_date", "2021-03", "bad_date"),
        ("events", "start_date", "03/03/2021", "bad_date"),
        ("events", "end_date", "2021-02-29", "bad_date"),
        ("events", "end_date", "２０２１-０３-０３", "bad_date"),
        # links are web links, not javascript: or a formula
        ("cities", "source_url", "javascript:alert(1)", "bad_url"),
        ("commitments", "source_url", '=HYPERLINK("https://example.invalid")', "bad_url"),
        ("facts", "source_url", "https://example.org ; ftp://example.org", "bad_url"),
    ],
)
def test_a_bad_reference_cell_is_refused_with_its_row_and_column(kind_name, column, value, code):
    assert one_bad_cell(kind_name, column, value) == [(2, column, code)]


def test_an_event_that_ends_before_it_starts_is_refused():
    kind, rows = shipped("events")
    index = next(i for i, row in enumerate(rows) if row["start_date"] and row["end_date"])
    rows[index]["end_date"] = "2020-01-01"
    problems = refused(lambda: reference.parse(kind, as_csv(rows)))
    assert [(p.row, p.column, p.code) for p in problems] == [(index + 2, "end_date", "end_before_start")]


@pytest.mark.parametrize(
    ("kind_name", "column", "value"),
    [
        ("cities", "status_date", "2024"),
        ("cities", "status_date", "2024-05"),
        ("cities", "status_date", "2024-02-29"),
        ("facts", "date", "2004/2018"),
        ("facts", "date", "2014/"),
        ("facts", "date", "2019-07"),
        ("facts", "value", "0"),
        ("facts", "value", "1e+16"),  # how the export writes a figure this large
        ("cities", "lat", "7.2"),
        ("cities", "lon", "-117.1"),
        ("commitments", "source_url", "https://example.org/a ; http://example.org/b"),
        ("events", "end_date", ""),
    ],
)
def test_values_that_keep_the_rules_pass(kind_name, column, value):
    kind, rows = shipped(kind_name)
    rows[0][column] = value
    assert reference.parse(kind, as_csv(rows))[0][column] == load_value(kind, column, value)


def load_value(kind: reference.Kind, column: str, value: str):
    python_type = kind.spec.model.__table__.c[column].type.python_type
    return None if value == "" else python_type(value)


# ---------------------------------------------------------------- numbers read from a link


@pytest.mark.parametrize("auto", ["²", "1²", "³⁰"])
def test_a_slide_timer_in_superscript_digits_in_the_link_is_ignored_not_a_traceback(app_database, auto):
    """str.isdigit() says yes to "²" and int() then raises: the page died on a link anyone can make."""
    from tests.conftest import open_page

    app = open_page(lang="en", present="1", auto=auto)
    assert not app.exception
    assert app.selectbox(key="auto").value == 0
