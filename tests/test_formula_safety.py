"""Every CSV and XLSX the product writes is safe to open in a spreadsheet: text that a spreadsheet would
run as a formula (=, +, -, @, tab, carriage return first) gets an apostrophe, in every text column of every
exporter and template, while numbers, negative ones included, stay numbers."""

from __future__ import annotations

import csv
import io
import secrets
import tomllib
from datetime import datetime

import openpyxl
import polars as pl
import pytest
from sqlalchemy import String, select, update
from sqlalchemy.exc import IntegrityError

from mirps_dash import access, accounts, auth, cli, database, demo, exports, i18n, load, reference, safecells, writes
from mirps_dash.schema import Indicator
from tests.conftest import ROOT, app_pointed_at, new_app

PASSWORD = "a long enough passphrase 1"

HOSTILE = ('=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)", "\tTAB", "\rCR")
COUNTRY, PERIOD = "HND", 2023


def is_text(column) -> bool:
    return isinstance(column.type, String)


def text_columns(kind: reference.Kind) -> list[str]:
    table = kind.spec.model.__table__
    return [name for name in kind.columns if is_text(table.c[name])]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A loaded database where rows of every reference kind carry a hostile value in each text column
    (row k the k-th value; a column whose constraints refuse it is left as it is) and so do the names of
    the indicators in the template. Returns the URL and, by kind, the columns that hold hostile text."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    demo.load(engine)
    injected: dict[str, list[str]] = {}
    for name, kind in reference.kinds().items():
        table = kind.spec.model.__table__
        with engine.connect() as connection:
            ids = connection.execute(select(table.c.id).order_by(table.c.id).limit(len(HOSTILE))).scalars().all()
        assert len(ids) == len(HOSTILE), name
        for column in text_columns(kind):
            try:
                with engine.begin() as connection:
                    for row_id, value in zip(ids, HOSTILE, strict=True):
                        connection.execute(update(table).where(table.c.id == row_id).values({column: value}))
            except IntegrityError:
                continue
            injected.setdefault(name, []).append(column)
        assert injected.get(name), f"no text column of {name} took a hostile value"
    codes = [row[0] for row in writes.template_rows(engine, access.Actor("t", "admin"), COUNTRY, "en", PERIOD)[1:]]
    with engine.begin() as connection:
        named = list(zip(codes, HOSTILE, strict=False))
        for code, value in named:
            connection.execute(update(Indicator).where(Indicator.code == code).values(name_es=value, name_en=value))
    assert len(named) >= 4
    engine.dispose()
    return url, injected | {"indicator_names": [value for _, value in named]}


def assert_safe_csv(
    text: str, header: list[str], hostile_columns: list[str], text_names: list[str], values=HOSTILE
) -> None:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert rows[0] == header
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    for column in hostile_columns:
        cells = [record[column] for record in records]
        for value in values:
            assert "'" + value in cells, (column, value)
            assert value not in cells, (column, value)
    for column in text_names:
        risky = [record[column] for record in records if record[column].startswith(safecells.FORMULA_PREFIXES)]
        assert not risky, (column, risky[:3])


def assert_numbers_stay_numbers(text: str, numeric: list[str]) -> list[float]:
    """Every cell of a numeric column reads as a number (or is empty); returns them all."""
    records = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    numbers = []
    for column in numeric:
        for record in records:
            if record[column] != "":
                numbers.append(float(record[column]))  # "'-87.2" would raise here
    return numbers


def run_cli(capsys, url: str, *argv: str) -> str:
    assert cli.main(["--database-url", url, *argv]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("kind_name", ["cities", "commitments", "events", "facts", "pledges"])
@pytest.mark.parametrize("how", ["reference.export", "cli export", "cli template"])
def test_reference_downloads_neutralise_every_text_column(hostile, capsys, kind_name, how):
    url, injected = hostile
    kind = reference.kinds()[kind_name]
    if how == "reference.export":
        engine = database.make_engine(url)
        text = reference.export(engine, kind)
        engine.dispose()
    else:
        text = run_cli(capsys, url, how.split()[1], "--kind", kind_name)
    assert_safe_csv(text, kind.columns, injected[kind_name], text_columns(kind))
    table = kind.spec.model.__table__
    numeric = [name for name in kind.columns if table.c[name].type.python_type in (int, float)]
    numbers = assert_numbers_stay_numbers(text, numeric)
    if kind_name == "cities":  # longitudes west of Greenwich: negative numbers, data not formulas
        assert any(number < 0 for number in numbers)


def test_the_indicator_template_on_the_command_line_neutralises_names(hostile, capsys):
    url, injected = hostile
    text = run_cli(capsys, url, "--lang", "en", "template", "--kind", "indicator_values", "--country", COUNTRY,
                   "--period", str(PERIOD))  # fmt: skip
    header = [*writes.TEMPLATE_HEADERS["en"], writes.ILLUSTRATIVE["en"]]  # the demo's values are marked
    assert_safe_csv(text, header, [header[1]], [header[0], header[1]], injected["indicator_names"])
    assert_numbers_stay_numbers(text, [header[2], header[3], header[4]])


def test_the_indicator_template_files_neutralise_names_in_csv_and_xlsx(hostile):
    url, injected = hostile
    engine = database.make_engine(url)
    csv_file, xlsx_file = writes.template_files(engine, access.Actor("t", "admin"), COUNTRY, "en", PERIOD)
    engine.dispose()
    header = [*writes.TEMPLATE_HEADERS["en"], writes.ILLUSTRATIVE["en"]]  # the demo's values are marked
    names = injected["indicator_names"]
    assert_safe_csv(csv_file.decode("utf-8"), header, [header[1]], [header[0], header[1]], names)
    assert_safe_xlsx(xlsx_file, names, numeric_columns=(3, 5))  # period, version


def test_the_values_export_neutralises_text_and_keeps_numbers(hostile, capsys):
    url, _ = hostile
    text = run_cli(capsys, url, "export", "--kind", "indicator_values")
    header = ["indicator_code", "period", "value", "version", "status", "illustrative"]  # the demo's values
    assert_safe_csv(text, header, [], ["indicator_code", "status"])
    assert assert_numbers_stay_numbers(text, ["period", "value", "version"])


def assert_safe_xlsx(data: bytes, values=HOSTILE, numeric_columns: tuple[int, ...] = ()) -> None:
    """No cell is a formula; every text cell is inert; every hostile value is there with its apostrophe;
    the given columns (1-based) of the first sheet hold numbers."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    value = cell.value.replace("_x000D_", "\r")  # openpyxl keeps the OOXML escape of CR
                    assert not value.startswith(safecells.FORMULA_PREFIXES), (sheet.title, cell.coordinate, value)
                    texts.append(value)
    for value in values:
        assert "'" + value in texts, value
    first = workbook.worksheets[0]
    for column in numeric_columns:
        values = [row[0].value for row in first.iter_rows(min_row=2, min_col=column, max_col=column)]
        assert values and all(isinstance(v, int | float) for v in values if v is not None), (column, values[:5])


def hostile_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "text": list(HOSTILE),
            "number": [-1, -2, 3, -4, 5, -6],
            "share": [-0.5, 0.1, -1e-9, 2.0, None, -3.25],
            "category": pl.Series(list(HOSTILE), dtype=pl.Categorical),
        }
    )


def test_csv_and_xlsx_neutralise_headers_and_cells_and_keep_negative_numbers():
    frame = hostile_frame().rename({"text": "=cmd|' /C calc'!A0"})
    data = exports.csv_bytes(frame).decode("utf-8")
    assert data.lstrip("\ufeff").splitlines()[0].startswith("'=cmd")
    back = pl.read_csv(io.StringIO(data.lstrip("\ufeff")))
    assert back["number"].to_list() == [-1, -2, 3, -4, 5, -6]
    assert back["share"].to_list() == [-0.5, 0.1, -1e-9, 2.0, None, -3.25]
    assert back["category"].to_list() == ["'" + value for value in HOSTILE]
    assert_safe_xlsx(exports.xlsx_bytes(frame, [("=a", "+b")]), numeric_columns=(2, 3))


@pytest.mark.parametrize("value", [*HOSTILE, "plain", "", " =x", "'=x", -3, -2.5, 0, None])
def test_one_rule_cell_by_cell_and_column_by_column(value):
    """The column-wise form (downloads of tables) gives what the cell-wise form (command line) gives."""
    assert exports.neutralise is safecells.neutralise
    column = pl.DataFrame({"c": [value]})
    assert safecells.neutralised_frame(column)["c"][0] == safecells.neutralise(value)


# The /data page's tables of what users typed: our own downloads, not Streamlit's


def test_the_data_pages_tables_download_neutralised_with_numbers_and_times_kept():
    at = datetime(2026, 1, 2, 3, 4)
    rows = [
        {"version": 2, "old_value": -5.5, "new_value": 3, "changed_by": value, "changed_at": at, "reason": value}
        for value in HOSTILE
    ]
    headers = {"version": "Version", "old_value": "Old", "new_value": "New", "changed_by": "By", "reason": "=Reason"}
    frame = exports.table_frame(rows, headers)
    assert frame.columns == list(headers.values())
    text = exports.csv_bytes(frame).decode("utf-8")
    assert_safe_csv(text, ["Version", "Old", "New", "By", "'=Reason"], ["By", "'=Reason"], ["By", "'=Reason"])
    assert assert_numbers_stay_numbers(text, ["Version", "Old", "New"]).count(-5.5) == len(HOSTILE)
    assert_safe_xlsx(exports.xlsx_bytes(frame, [("Title", "=x")]), numeric_columns=(1, 2, 3))


def test_streamlits_own_table_download_is_off():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


@pytest.fixture(scope="module")
def data_page_db(tmp_path_factory):
    """A loaded database with an admin, a kept version of the cities and audit entries."""
    url = f"sqlite:///{tmp_path_factory.mktemp('data_page') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    accounts.add_user(engine, "sec", "admin", PASSWORD)
    kind = reference.kinds()["cities"]
    reference.apply(
        engine, access.Actor("sec", "admin"), kind, reference.parse(kind, reference.export(engine, kind).encode())
    )
    engine.dispose()
    return url


@pytest.mark.parametrize("section", ["audit", "reference"])
def test_the_data_pages_tables_of_typed_text_offer_our_own_downloads(data_page_db, monkeypatch, section):
    for _ in app_pointed_at(data_page_db, monkeypatch):
        engine = database.make_engine(data_page_db)
        token = secrets.token_urlsafe(32)
        accounts.open_session(engine, "sec", token)
        app = new_app()
        app.session_state[auth.SIGNED_IN_KEY] = token
        app.session_state["data_section"] = section
        app.query_params["lang"] = "en"
        app.switch_page("pages/data.py")
        app.run()
        assert not app.exception
        labels = [button.proto.label for button in app.get("download_button")]
        assert i18n.t("download_csv", "en") in labels and i18n.t("download_xlsx", "en") in labels
        engine.dispose()
