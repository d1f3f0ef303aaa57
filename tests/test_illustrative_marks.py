"""Illustrative values say so wherever they leave the app as a spreadsheet: the command line's export and
template, the template files a team downloads; and real values alone carry no such column."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import text

from mirps_dash import access, cli, database, i18n, writes

ADMIN = access.Actor("t", "admin")


def command(capsys, url: str, *args: str, lang: str = "en") -> list[dict[str, str]]:
    assert cli.main(["--database-url", url, "--lang", lang, *args]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def illustrative_rows(url: str) -> set[tuple[str, str]]:
    """The test's own reading of the database: (code, period) of every illustrative value."""
    with database.make_engine(url).connect() as connection:
        rows = connection.execute(
            text(
                "SELECT i.code, v.period FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id "
                "WHERE v.is_illustrative"
            )
        ).all()
    return {(code, str(period)) for code, period in rows}


def test_the_export_marks_every_illustrative_row_and_reads_back(demo_sqlite_url, capsys):
    rows = command(capsys, demo_sqlite_url, "export", "--kind", "indicator_values")
    expected = illustrative_rows(demo_sqlite_url)
    assert expected and len(rows) == len(expected)
    assert {(row["indicator_code"], row["period"]) for row in rows if row["illustrative"] == "illustrative"} == expected
    # The column is read back (and ignored): the export stays an import file.
    exported = writes.export_csv(database.make_engine(demo_sqlite_url))
    assert len(writes.parse(exported.encode(), writes.known_codes(database.make_engine(demo_sqlite_url)))) == len(rows)


def test_real_values_alone_carry_no_illustrative_column(loaded_sqlite_url, capsys):
    engine = database.make_engine(loaded_sqlite_url)
    assert next(csv.reader(io.StringIO(writes.export_csv(engine)))) == [
        "indicator_code",
        "period",
        "value",
        "version",
        "status",
    ]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_templates_mark_the_illustrative_values_they_carry(demo_sqlite_url, capsys, lang):
    engine = database.make_engine(demo_sqlite_url)
    with engine.connect() as connection:
        country, period = connection.execute(
            text(
                "SELECT c.country_iso3, v.period FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id "
                "JOIN commitment c ON c.id = i.commitment_id WHERE v.is_illustrative ORDER BY c.country_iso3, "
                "v.period DESC LIMIT 1"
            )
        ).one()
    mark = writes.ILLUSTRATIVE[lang]
    rows = command(
        capsys, demo_sqlite_url, "template", "--kind", "indicator_values", "--country", country, "--period",
        str(period), lang=lang,
    )  # fmt: skip
    code = writes.TEMPLATE_HEADERS[lang][0]
    value = writes.TEMPLATE_HEADERS[lang][3]
    marked = {(row[code], str(period)) for row in rows if row[mark] == mark}
    assert marked and marked <= illustrative_rows(demo_sqlite_url)
    assert all(row[mark] == mark for row in rows if row[value])  # every value the demo filled in
    csv_file, xlsx_file = writes.template_files(engine, ADMIN, country, lang, period)
    assert next(csv.reader(io.StringIO(csv_file.decode("utf-8-sig"))))[-1] == mark
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_file)).worksheets[0]
    assert [cell.value for cell in sheet[1]][-1] == mark


def test_the_template_of_a_country_without_illustrative_values_has_no_mark(loaded_sqlite_url, capsys):
    rows = command(capsys, loaded_sqlite_url, "template", "--kind", "indicator_values", "--country", "HND")
    assert all("illustrative" not in row for row in rows)
