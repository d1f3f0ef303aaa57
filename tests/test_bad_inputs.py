"""Bad input gets a clear answer and nothing is lost: every malformed file in tests/fixtures/bad_inputs/ is
refused by the real command line, in Spanish (a sample in English too), naming row and column, and the
export of what it would have replaced (reported values, or the reference table of its kind) is the same
byte for byte afterwards. Good files do import, so the corpus cannot pass by refusing everything, and an
import killed inside its transaction leaves nothing behind."""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from mirps_dash import accounts, database, demo, i18n, intake, reference, writes
from tests.conftest import ROOT
from tests.fixtures import make_bad_inputs

FIXTURES = ROOT / "tests" / "fixtures"
BAD = FIXTURES / "bad_inputs"
GOOD = FIXTURES / "good_inputs"
USER = "ntt-hnd"  # the Honduran team: the corpus's indicators are Honduran, one file is Guatemalan
ADMIN = "sec"  # the Technical Secretariat, who replaces reference files


def expected() -> list[dict]:
    with (BAD / "EXPECTED.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CASES = expected()


def run(*args: str, url: str, lang: str = "es", env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mirps_dash", "--lang", lang, "--database-url", url, *args],
        cwd=ROOT,
        env={**os.environ, "MIRPS_DATABASE_URL": url, **(env or {})},
        capture_output=True,
        timeout=120,
        **kwargs,
    )


def export(url: str, kind: str = "indicator_values") -> bytes:
    """What `export --kind KIND` prints, read in this process: the command line's own function, without
    a second interpreter per file (the corpus runs hundreds of imports; each is still the real command)."""
    engine = database.make_engine(url)
    try:
        text = (
            writes.export_csv(engine)
            if kind == "indicator_values"
            else reference.export(engine, reference.kinds()[kind])
        )
    finally:
        engine.dispose()
    return text.encode()


def test_the_export_read_here_is_the_command_lines(template, tmp_path):
    url = copy_of(template, tmp_path)
    for kind in ("indicator_values", "cities"):
        done = run("export", "--kind", kind, url=url)
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout.replace(b"\r\n", b"\n") == export(url, kind).replace(b"\r\n", b"\n")


def import_file(path: Path, url: str, lang: str = "es", kind: str = "indicator_values") -> subprocess.CompletedProcess:
    user = USER if kind == "indicator_values" else ADMIN
    return run("import", "--kind", kind, "--as", user, str(path), url=url, lang=lang)


@pytest.fixture(scope="module")
def template(loaded_sqlite_url, tmp_path_factory) -> Path:
    """A copy of the loaded database with the illustrative indicators and a Honduran team account."""
    path = tmp_path_factory.mktemp("bad_inputs") / "template.sqlite"
    shutil.copyfile(make_url(loaded_sqlite_url).database, path)
    engine = database.make_engine(f"sqlite:///{path}")
    demo.load(engine)
    accounts.add_user(engine, USER, "ntt", "a long enough password", "HND")
    accounts.add_user(engine, ADMIN, "admin", "a long enough password")
    engine.dispose()
    return path


def copy_of(template: Path, folder: Path) -> str:
    path = folder / "mirps.sqlite"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def corpus_url(template, tmp_path_factory) -> str:
    """One database for the whole corpus: every file is refused, so it must never change."""
    return copy_of(template, tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def baselines(corpus_url) -> dict[str, bytes]:
    """The export of each kind before the corpus, read once per kind."""
    return {kind: export(corpus_url, kind) for kind in {case["kind"] for case in CASES}}


@pytest.fixture
def fresh_url(template, tmp_path) -> str:
    return copy_of(template, tmp_path)


def fixture_path(name: str, tmp_path: Path) -> Path:
    """The committed file, or the one too large to commit, built now."""
    path = BAD / name
    if not path.exists():
        path = tmp_path / name
        path.write_bytes(make_bad_inputs.at_test_time(name))
    return path


def message_key(code: str) -> str:
    """A reference file's cell is checked as the shipped files are, and speaks their messages (`err_`)."""
    return f"err_{code.removeprefix('ref_')}" if code.startswith("ref_") else f"imp_{code}"


def where(case: dict, lang: str) -> str:
    """Where the problem is, as the command line prints it: `i18n.import_problem` of a problem at that row
    and column (whose message, that of a placeholder code, is cut off)."""
    placeholder = intake.Problem(int(case["row"]) if case["row"] else None, case["column"] or None, "no_rows")
    line = i18n.import_problem(placeholder, lang)
    return line.removesuffix(": " + i18n.t("imp_no_rows", lang))


def message_pattern(case: dict, lang: str) -> re.Pattern:
    """The whole line the command prints for the expected problem: where (row, column) and the message, with
    the message's placeholders (the offending value, a limit) left open."""
    parts = re.split(r"\{\w+\}", i18n.STRINGS[message_key(case["code"])][lang])
    message = ".*?".join(re.escape(part) for part in parts)
    if case["code"] == "refused":
        return re.compile(f"^{message}$", re.MULTILINE)
    return re.compile(f"^{re.escape(where(case, lang))}: {message}$", re.MULTILINE)


def test_the_corpus_is_large_listed_and_every_code_speaks_both_languages():
    names = {case["file"] for case in CASES}
    on_disk = {path.name for path in BAD.iterdir()} - {"EXPECTED.csv"}
    assert len(CASES) >= 120
    assert on_disk <= names and names - on_disk == {make_bad_inputs.OVERSIZE_NAME}
    assert {case["kind"] for case in CASES} == {"indicator_values", "cities", "commitments", "facts", "events"}
    for case in CASES:
        assert all(i18n.STRINGS[message_key(case["code"])][lang] for lang in i18n.LANGS)


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_a_bad_file_is_refused_in_spanish_with_row_and_column_and_changes_nothing(
    case, corpus_url, baselines, tmp_path
):
    done = import_file(fixture_path(case["file"], tmp_path), corpus_url, kind=case["kind"])
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == (3 if case["code"] == "refused" else 1), stderr
    assert message_pattern(case, "es").search(stderr), stderr
    assert "Traceback" not in stderr
    assert done.stdout == b""
    assert export(corpus_url, case["kind"]) == baselines[case["kind"]]


ENGLISH_SAMPLE = [
    "enc_cp1252_unknown_accented.csv",
    "num_semicolon_ambiguous_thousands.csv",
    "xlsx_formula_value.xlsx",
    "xlsx_zip_bomb_size.xlsx",
    "text_bidi_override_comment.csv",
    "version_conflict.csv",
    "value_arabic_indic_digits.csv",
    "xlsx_cell_five_million_rows_down.xlsx",
    "ref_cities_lat_999.csv",
    "ref_commitments_country_xxx.csv",
    "ref_facts_negative_count.csv",
]


@pytest.mark.parametrize("name", ENGLISH_SAMPLE)
def test_a_sample_is_refused_in_english_too(name, corpus_url, baselines, tmp_path):
    case = next(case for case in CASES if case["file"] == name)
    done = import_file(fixture_path(name, tmp_path), corpus_url, lang="en", kind=case["kind"])
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 1
    assert message_pattern(case, "en").search(stderr), stderr
    assert not message_pattern(case, "es").search(stderr)
    assert export(corpus_url, case["kind"]) == baselines[case["kind"]]


@pytest.mark.parametrize("name", sorted(path.name for path in GOOD.iterdir()))
def test_a_good_file_imports_and_changes_the_export(name, fresh_url):
    before = export(fresh_url)
    done = import_file(GOOD / name, fresh_url)
    assert done.returncode == 0, done.stderr.decode()
    assert export(fresh_url) != before


def test_html_script_and_formula_text_in_comments_is_stored_as_plain_text(fresh_url):
    path = GOOD / "text_in_comments.csv"
    assert import_file(path, fresh_url).returncode == 0
    with path.open(encoding="utf-8", newline="") as handle:
        comments = sorted(row["comment"] for row in csv.DictReader(handle))
    engine = database.make_engine(fresh_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT reason FROM indicator_value_history")).scalars().all()
    engine.dispose()
    assert sorted(stored) == comments


def test_the_export_neutralises_text_that_a_spreadsheet_would_run(fresh_url):
    injected = '=HYPERLINK("https://example.invalid","ver")'
    engine = database.make_engine(fresh_url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE indicator SET code = :code WHERE id = (SELECT MIN(indicator_id) FROM indicator_value)"),
            {"code": injected},
        )
    engine.dispose()
    cells = [cell for row in csv.reader(export(fresh_url).decode().splitlines()) for cell in row]
    assert "'" + injected in cells and injected not in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]


def test_an_import_killed_inside_its_transaction_leaves_the_export_unchanged(fresh_url, template, tmp_path):
    engine = database.make_engine(f"sqlite:///{template}")
    codes = sorted(code for code in writes.known_codes(engine) if "-HND-" in code)
    engine.dispose()
    last = max(int(line.split(",")[1]) for line in export(fresh_url).decode().splitlines()[1:])
    big = tmp_path / "big.csv"
    rows = [
        f"{code},{period},{index % 97}.5"
        for index, (code, period) in enumerate(
            (code, period) for code in codes for period in range(writes.FIRST_PERIOD, last + 1)
        )
    ]
    big.write_text("indicator_code,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    before = export(fresh_url)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mirps_dash",
            "--database-url",
            fresh_url,
            "import",
            "--kind",
            "indicator_values",
            "--as",
            USER,
            str(big),
        ],
        cwd=ROOT,
        env={**os.environ, "MIRPS_DATABASE_URL": fresh_url, "MIRPS_TEST_SLOW_WRITE_SECONDS": "60"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    in_transaction = threading.Event()

    def watch() -> None:
        for line in process.stderr:
            if b"transaction open" in line:
                in_transaction.set()

    threading.Thread(target=watch, daemon=True).start()
    try:
        assert in_transaction.wait(timeout=60), "the import never reached its transaction"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert export(fresh_url) == before
    again = import_file(big, fresh_url)  # the file itself was fine: without the kill it changes the export
    assert again.returncode == 0, again.stderr.decode()
    assert export(fresh_url) != before


def test_the_generator_is_deterministic(tmp_path):
    done = subprocess.run(
        [sys.executable, str(FIXTURES / "make_bad_inputs.py"), str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    for folder in ("bad_inputs", "good_inputs"):
        made = {path.name: path.read_bytes() for path in (tmp_path / folder).iterdir()}
        committed = {path.name: path.read_bytes() for path in (FIXTURES / folder).iterdir()}
        assert made == committed, folder


def test_a_file_with_many_problems_lists_the_first_ones_and_counts_the_rest():
    rows = "".join(f"X{n},2020,1,ding\x07\n" for n in range(intake.MAX_PROBLEMS + 20))
    with pytest.raises(intake.Rejected) as raised:
        intake.read_table(("indicator_code,period,value,comment\n" + rows).encode())
    problems = raised.value.problems
    assert len(problems) == intake.MAX_PROBLEMS + 1
    assert problems[-1].code == "more_problems" and problems[-1].detail == {"count": 20}


def test_xlsx_numbers_and_dates_read_as_people_see_them():
    raw = make_bad_inputs.xlsx(
        [
            ["Indicator_Code", "Period", "Value", "Comment"],
            ["A", 2024, 61.5, date(2024, 3, 1)],
            ["B", 2024.0, 7, datetime(2024, 3, 1, 14, 30)],
            ["C", 2024, 0.1, True],
        ]
    )
    table = intake.read_table(raw, "values.xlsx")
    assert table.header == ["indicator_code", "period", "value", "comment"]
    assert [cells for _, cells in table.rows] == [
        ["A", "2024", "61.5", "2024-03-01"],
        ["B", "2024", "7", "2024-03-01 14:30:00"],
        ["C", "2024", "0.1", "TRUE"],
    ]


def test_utf32_and_utf16_without_a_bom_are_read():
    content = "indicator_code,period,value\nA,2024,1\n"
    for raw in (content.encode("utf-32"), content.encode("utf-16-le"), content.encode("utf-16-be")):
        assert intake.read_table(raw).rows == [(2, ["A", "2024", "1"])]
