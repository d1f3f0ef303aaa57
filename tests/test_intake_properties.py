"""Property-based tests of the import parser: whatever bytes arrive, the answer is either `Rejected` with
problems that all have a message in both languages (naming row and column where a cell is at fault) and
nothing changed in the database, or rows that, once written, come back from the export unchanged and read
back the same. Example counts stay modest so the file runs in seconds."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import make_url

from mirps_dash import access, database, demo, i18n, intake, reference, safecells, writes

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WITH_DATABASE = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
ADMIN = access.Actor("sec", "admin")

# Problems about one cell name its row and column; problems about one row name the row.
CELL_CODES = {
    "control_character",
    "cell_too_long",
    "formula",
    "unknown_indicator",
    "bad_period",
    "not_a_number",
    "ambiguous_number",
    "negative",
    "bad_version",
    "duplicate_row",
    "missing_column",
    "unexpected_column",
    "duplicate_column",
}
ROW_CODES = CELL_CODES | {"wrong_cell_count", "too_many_columns", "bad_csv"}


def check_problems(rejected: intake.Rejected) -> None:
    assert rejected.problems
    for problem in rejected.problems:
        for lang in i18n.LANGS:
            line = i18n.import_problem(problem, lang)
            assert line and "{" not in line, (problem, lang)
        if problem.code in ROW_CODES:
            assert problem.row, problem
        if problem.code in CELL_CODES:
            assert problem.column, problem


# ---------------------------------------------------------------- any bytes


@FAST
@given(st.binary(max_size=3_000), st.sampled_from(["upload.csv", "upload.xlsx", "upload.txt"]))
def test_any_bytes_are_read_or_refused_with_messages(raw, name):
    try:
        table = intake.read_table(raw, name)
    except intake.Rejected as rejected:
        check_problems(rejected)
        return
    assert table.header
    assert all(len(cells) <= intake.MAX_COLUMNS for _, cells in table.rows)


ZIP_MAGIC = b"PK\x03\x04"


@FAST
@given(st.binary(max_size=2_000))
def test_bytes_that_start_like_a_workbook_are_refused_as_one(raw):
    with pytest.raises(intake.Rejected) as raised:
        intake.read_table(ZIP_MAGIC + raw, "upload.xlsx")
    check_problems(raised.value)


# ---------------------------------------------------------------- indicator-values files, cell by cell

CODES = ["MIRPS-HND-01", "MIRPS-GTM-02"]
JUNK = "0123456789.,-+eE %' \u00a0\u202f\t٠١٢٣٤٥٦٧٨٩۰۱۲۳۴٥٦٧٨٩０１２３４５６７８９٫٬²=@\"\\;"

digits = st.text(alphabet="0123456789", min_size=1, max_size=10)
typed_numbers = st.one_of(
    st.builds(
        lambda whole, mark, fraction: f"{whole}{mark}{fraction}", digits, st.sampled_from(["", ".", ","]), digits
    ),
    st.builds(
        lambda groups, mark, fraction: mark.join(groups) + fraction,
        st.lists(st.text(alphabet="0123456789", min_size=3, max_size=3), min_size=1, max_size=4).map(
            lambda groups: ["1", *groups]
        ),
        st.sampled_from([".", ",", " ", "\u00a0"]),
        st.sampled_from(["", ",5", ".25"]),
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=0, max_value=1e20).map(str),
    st.text(alphabet=JUNK, max_size=12),
).map(lambda text: text if len(text) < 40 else text[:40])
periods = st.one_of(st.integers(1995, 2030).map(str), st.text(alphabet=JUNK, max_size=6))
versions = st.one_of(st.just(""), st.integers(0, 9).map(str), st.text(alphabet=JUNK, max_size=3))
comments = st.one_of(st.just(""), st.text(max_size=30))


# Values people type that should pass: whole numbers, decimals with either mark, thousands grouped.
good_numbers = st.one_of(
    st.integers(0, 10**9).map(str),
    st.floats(min_value=0, max_value=1e12).map(intake.number_text),
    st.floats(min_value=0, max_value=1e6).map(lambda value: intake.number_text(value).replace(".", ",")),
    st.integers(1_000, 10**9).map(lambda value: f"{value:,}.5"),
    st.integers(1_000, 10**9).map(lambda value: f"{value:,}".replace(",", ".") + ",25"),
    st.integers(1_000, 10**9).map(lambda value: f"{value:,}".replace(",", "\u00a0")),
)
good_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)


@st.composite
def value_files(draw, codes: list[str]) -> bytes:
    """An indicator-values file as a person or a spreadsheet might save it: rows that keep the rules, or,
    about half the time, rows where anything goes."""
    header = draw(
        st.sampled_from(
            [
                ["indicator_code", "period", "value", "version", "comment"],
                ["codigo_indicador", "periodo", "valor", "version", "comentario"],
            ]
        )
    )
    if draw(st.booleans()):
        row = st.tuples(st.sampled_from(codes), st.integers(2000, 2025).map(str), good_numbers, st.just(""), good_text)
        rows = draw(st.lists(row, min_size=1, max_size=6, unique_by=lambda row: (row[0], row[1])))
    else:
        row = st.tuples(st.sampled_from([*codes, "NOPE", ""]), periods, typed_numbers, versions, comments)
        rows = draw(st.lists(row, max_size=6))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(
        [header, *map(list, rows)]
    )
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


@FAST
@given(value_files(CODES))
def test_a_values_file_parses_to_rows_that_keep_the_rules_or_is_refused_with_messages(raw):
    try:
        rows = writes.parse(raw, set(CODES))
    except intake.Rejected as rejected:
        check_problems(rejected)
        return
    for row in rows:
        assert row.indicator_code in CODES
        assert row.period >= writes.FIRST_PERIOD
        assert row.value >= 0 and row.value == row.value and row.value != float("inf")
        assert str(row.value) != "-0.0"


@FAST
@given(typed_numbers)
def test_a_number_is_read_only_from_the_digits_0_to_9(typed):
    value = writes.parse_number(typed)
    if value is not None:
        assert any(char in "0123456789" for char in typed)
        assert not any(char.isdigit() and char not in "0123456789" for char in typed)
        assert not any(char in "eE+_" for char in typed)


# ---------------------------------------------------------------- through the database and back


@pytest.fixture(scope="module")
def engine(loaded_sqlite_url, tmp_path_factory):
    """A copy of the loaded database with the illustrative indicators, for this module alone."""
    path = tmp_path_factory.mktemp("properties") / "mirps.sqlite"
    shutil.copyfile(make_url(loaded_sqlite_url).database, path)
    engine = database.make_engine(f"sqlite:///{path}")
    demo.load(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def known(engine) -> list[str]:
    codes = sorted(writes.known_codes(engine))
    return [code for code in codes if "-HND-" in code][:2] + [code for code in codes if "-GTM-" in code][:1]


def exported(engine) -> dict[tuple[str, int], tuple[float, int]]:
    """(indicator, period) -> (value, version), read back from the export through the import parser."""
    text = writes.export_csv(engine)
    rows = writes.parse(text.encode(), writes.known_codes(engine)) if text.count("\n") > 1 else []
    return {(row.indicator_code, row.period): (row.value, row.version) for row in rows}


@WITH_DATABASE
@given(data=st.data())
def test_a_file_is_refused_with_nothing_changed_or_written_and_exported_unchanged(engine, known, data):
    raw = data.draw(value_files(known))
    before = writes.export_csv(engine)
    try:
        rows = writes.parse(raw, set(known))
        writes.apply(engine, ADMIN, rows)
    except intake.Rejected as rejected:
        check_problems(rejected)
        assert writes.export_csv(engine) == before
        event("refused")
        return
    event("written")
    after = exported(engine)
    for row in rows:
        assert after[(row.indicator_code, row.period)][0] == row.value
    again = writes.parse(writes.export_csv(engine).encode(), writes.known_codes(engine))
    assert len(writes.preview(engine, again).unchanged) == len(again)  # the export imports as "no change"


# ---------------------------------------------------------------- reference files


def shipped(kind: reference.Kind) -> list[list[str]]:
    with (reference.settings.DATA_DIR / kind.spec.name).open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


REFERENCE_CELLS = st.one_of(typed_numbers, st.text(alphabet=JUNK + "ABCDEFGHIJKLMNOPQRSTUVWXYZ/:", max_size=12))


@settings(FAST, max_examples=50)
@given(
    kind_name=st.sampled_from(["cities", "commitments", "facts", "events", "pledges"]),
    edits=st.lists(st.tuples(st.integers(0, 100), st.integers(0, 20), REFERENCE_CELLS), max_size=4),
)
def test_a_reference_file_is_refused_with_messages_or_read_back_the_same_from_its_export(kind_name, edits):
    kind = reference.kinds()[kind_name]
    header, *body = shipped(kind)
    for row, column, value in edits:
        body[row % len(body)][column % len(header)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *body])
    try:
        rows = reference.parse(kind, buffer.getvalue().encode())
    except intake.Rejected as rejected:
        check_problems(rejected)
        for problem in rejected.problems:
            if problem.row and problem.row > 1:
                assert problem.column or problem.code == "wrong_cell_count", problem
        return
    assume(rows)
    assert reference.parse(kind, reference.to_csv(kind, rows, raw=True).encode()) == rows

    # What a person downloads reads back the same, but for the apostrophe that keeps a spreadsheet from
    # running a text cell as a formula.
    def as_downloaded(name: str, value):
        formula_like = isinstance(value, str) and value.startswith(safecells.FORMULA_PREFIXES)
        return "'" + value if name in kind.columns and formula_like else value

    downloaded = reference.parse(kind, reference.to_csv(kind, rows).encode())
    assert downloaded == [{name: as_downloaded(name, value) for name, value in row.items()} for row in rows]


@pytest.mark.parametrize("value", [1.234, 999.123, 0.00001, 1.5e-7, 1e20, 123456789012345678.0, 0.1, 61.5, 70.0, 0.0])
def test_the_export_writes_every_value_so_that_it_imports_back_the_same(engine, known, value):
    """The export is the import format: "1e-05" is not a number there, and "1.234" is refused as ambiguous."""
    writes.apply(engine, ADMIN, [writes.ValueRow(2, known[0], 2020, value, None, None)])
    assert exported(engine)[(known[0], 2020)][0] == value


@pytest.mark.parametrize("value", [1.234, 999.123, 0.00001, 1e20, 2.5, 7])
def test_a_number_cell_of_a_workbook_reads_as_the_number_it_holds(value):
    from tests.fixtures.make_bad_inputs import xlsx

    raw = xlsx([["indicator_code", "period", "value"], ["MIRPS-HND-01", 2024, value]])
    assert writes.parse(raw, {"MIRPS-HND-01"}, file_name="values.xlsx")[0].value == value
