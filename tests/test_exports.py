"""Exports: CSV and XLSX that round-trip and cannot run formulas, charts rendered offline in the page's
language at slide width, remote data refused, and safe file names."""

from __future__ import annotations

import io
import re
import struct
from datetime import date
from xml.etree import ElementTree

import openpyxl
import polars as pl
import pytest
import vl_convert

from mirps_dash import charts, exports, metrics, queries, settings
from tests import truth

RISKY = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", "-12"]
REMOTE = "https://example.com/x.csv"


@pytest.fixture(scope="module")
def reader(loaded_sqlite_url) -> queries.Reader:
    return queries.Reader(loaded_sqlite_url)


@pytest.fixture(scope="module")
def trend_chart(reader):
    totals = queries.population_totals(reader, settings.MIRPS_COUNTRIES)
    return charts.type_trend(metrics.protection_trend(totals, "asylum"), "es")


@pytest.fixture(scope="module")
def hosted_by_country(reader) -> pl.DataFrame:
    year = truth.latest_year()
    return metrics.protection_by_country(queries.population_by_country(reader, (year,)), year)


def plain_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "country": ["Panamá", "México", None, ""],
            "year": [2024, 2025, 2025, None],
            "value": [64_109, None, 12, -7],
            "share": [0.125, -1.5, None, 1e-9],
        }
    )


def risky_frame() -> pl.DataFrame:
    return pl.DataFrame({"text": RISKY, "number": list(range(-3, len(RISKY) - 3))})


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always follows the 8-byte signature."""
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def remote_spec(**extra) -> dict:
    return {
        "data": {"url": REMOTE},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
        **extra,
    }


# neutralise


@pytest.mark.parametrize("text", RISKY)
def test_formula_like_strings_get_an_apostrophe(text):
    assert exports.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Panamá", "a=b", "", " =x", "'=quoted", -12, -1.5, None, date(2025, 1, 1)])
def test_everything_else_passes_unchanged(value):
    assert exports.neutralise(value) == value


# CSV


def test_csv_has_a_bom_keeps_accents_and_round_trips():
    frame = plain_frame()
    data = exports.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Panamá".encode() in data and "México".encode() in data
    assert data.splitlines()[0] == b"\xef\xbb\xbfcountry,year,value,share"
    again = pl.read_csv(data[3:])
    assert again.columns == frame.columns
    assert again.equals(frame)  # null stays null, "" stays "", -7 and -1.5 stay numbers


def test_csv_neutralises_text_cells_but_not_numbers():
    frame = risky_frame()
    again = pl.read_csv(exports.csv_bytes(frame)[3:])
    assert again["text"].to_list() == ["'" + text for text in RISKY]
    assert again["number"].to_list() == frame["number"].to_list()
    assert again["number"].dtype == pl.Int64


def test_csv_neutralises_categorical_text():
    frame = pl.DataFrame({"label": ["=HYPERLINK(1)", "ok"]}, schema={"label": pl.Categorical})
    assert pl.read_csv(exports.csv_bytes(frame)[3:])["label"].to_list() == ["'=HYPERLINK(1)", "ok"]


# XLSX

METADATA = [
    ("Fuente", "UNHCR, Refugee Data Finder, datos a fin de 2025 (CC BY 4.0)"),
    ("Filtros: país", "Panamá"),
    ("Nota", "=not a formula"),
    ("Exportado", "2026-11-28 16:00 UTC"),
]


def open_workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def all_cells(workbook: openpyxl.Workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_xlsx_has_data_and_metadata_sheets():
    workbook = open_workbook(exports.xlsx_bytes(plain_frame(), METADATA))
    assert workbook.sheetnames == ["data", "metadata"]
    data, about = workbook["data"], workbook["metadata"]
    assert [cell.value for cell in data[1]] == plain_frame().columns
    assert all(cell.font.bold for cell in data[1])
    assert data.freeze_panes == "A2"
    rows = [tuple(cell.value for cell in row) for row in about.iter_rows()]
    assert rows == [(key, value.replace("=", "'=", 1) if value.startswith("=") else value) for key, value in METADATA]


def test_xlsx_keeps_numbers_numeric_and_nulls_empty():
    data = open_workbook(exports.xlsx_bytes(plain_frame(), METADATA))["data"]
    rows = [[cell.value for cell in row] for row in data.iter_rows(min_row=2)]
    assert rows == [
        ["Panamá", 2024, 64_109, 0.125],
        ["México", 2025, None, -1.5],
        [None, 2025, 12, None],
        ["", None, -7, 1e-9],
    ]
    assert isinstance(rows[0][2], int) and isinstance(rows[1][3], float)
    assert data.cell(row=3, column=3).data_type == "n"  # the null value: an empty cell, not text or zero


def test_xlsx_sheet_names_can_be_chosen():
    workbook = open_workbook(exports.xlsx_bytes(plain_frame(), [], sheet_name="datos", metadata_sheet_name="fuente"))
    assert workbook.sheetnames == ["datos", "fuente"]


def test_xlsx_neutralises_text_and_holds_no_formula():
    workbook = open_workbook(exports.xlsx_bytes(risky_frame(), [("=cmd", "@SUM(1)")]))
    # openpyxl leaves the OOXML escape of a carriage return as it is; Excel reads it back as "\r".
    texts = [row[0].value.replace("_x000D_", "\r") for row in workbook["data"].iter_rows(min_row=2)]
    assert texts == ["'" + text for text in RISKY]
    numbers = [row[1].value for row in workbook["data"].iter_rows(min_row=2)]
    assert numbers == risky_frame()["number"].to_list()
    assert [cell.value for cell in workbook["metadata"][1]] == ["'=cmd", "'@SUM(1)"]
    kinds = {cell.data_type for cell in all_cells(workbook)}
    assert "f" not in kinds
    assert kinds <= {"s", "n"}


def test_xlsx_writes_dates_as_dates():
    frame = pl.DataFrame({"start": [date(2025, 3, 14), None]})
    sheet = open_workbook(exports.xlsx_bytes(frame, []))["data"]
    assert sheet["A2"].is_date and sheet["A2"].value.date() == date(2025, 3, 14)
    assert sheet["A3"].value is None


# charts


def test_png_is_a_png_at_slide_width_and_twice_the_pixels(trend_chart):
    png = exports.chart_png(trend_chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = png_size(png)
    assert width >= 2 * exports.EXPORT_WIDTH
    assert width < 2 * (exports.EXPORT_WIDTH + 200)  # the plot is 900 px, plus axis and legend, not more
    assert height > 2 * 300  # the chart's own height survives
    single, _ = png_size(exports.chart_png(trend_chart, scale=1))
    assert abs(width - 2 * single) <= 2


def test_png_refuses_a_meaningless_scale(trend_chart):
    with pytest.raises(ValueError, match="scale"):
        exports.chart_png(trend_chart, scale=0)


def test_container_width_is_replaced_without_touching_the_chart(trend_chart):
    spec = trend_chart.to_dict()
    assert spec["width"] == "container"
    exports.chart_svg(spec)
    assert spec["width"] == "container"  # the caller's dict is copied, not edited
    svg = exports.chart_svg(spec)
    assert int(re.search(r'<svg[^>]* width="(\d+)"', svg)[1]) >= exports.EXPORT_WIDTH


def test_svg_keeps_the_spanish_axis_title_and_digit_grouping(hosted_by_country):
    mexico = hosted_by_country.filter(pl.col("country_iso3") == "MEX", pl.col("role") == "asylum")["value"].item()
    assert mexico >= 1000  # so grouping shows
    spanish = exports.chart_svg(charts.protection_by_country(hosted_by_country, "es"))
    assert spanish.lstrip().startswith("<svg")
    assert ">Personas<" in spanish
    assert ">México<" in spanish
    assert f">{truth.grouped(mexico, 'es')}<" in spanish
    assert f">{truth.grouped(mexico, 'en')}<" not in spanish
    english = exports.chart_svg(charts.protection_by_country(hosted_by_country, "en"))
    assert ">People<" in english and f">{truth.grouped(mexico, 'en')}<" in english


def parse_svg(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - vl-convert's output from our own specs, not untrusted input


def text_heights(svg: str) -> dict[str, float]:
    """Each text of an SVG with the page y of its anchor (group translations added up), first one wins."""
    found: dict[str, float] = {}

    def walk(element: ElementTree.Element, y: float) -> None:
        shift = re.match(r"translate\(([-\d.e]+)[ ,]([-\d.e]+)\)", element.get("transform", ""))
        y += float(shift[2]) if shift else 0.0
        if element.tag.endswith("}text"):
            found.setdefault("".join(element.itertext()), y)
        for child in element:
            walk(child, y)

    walk(parse_svg(svg), 0.0)
    return found


def test_title_goes_above_and_the_source_below(trend_chart):
    caption = "UNHCR, Refugee Data Finder, data as of end-2025. https://www.unhcr.org/refugee-statistics/ (CC BY 4.0)"
    heights = text_heights(exports.chart_svg(trend_chart, title="Hosted in MIRPS countries", caption=caption))
    title = heights["Hosted in MIRPS countries"]
    legend = heights["Personas refugiadas"]
    axis = heights["Año"]
    source = next(y for text, y in heights.items() if text.startswith("UNHCR, Refugee Data Finder"))
    assert title < legend < axis < source
    plain = png_size(exports.chart_png(trend_chart))
    captioned = png_size(exports.chart_png(trend_chart, title="T", caption=caption))
    assert captioned[1] > plain[1]


def test_a_long_source_wraps_instead_of_running_off_the_image(trend_chart):
    caption = " · ".join(["UNHCR, Refugee Data Finder, data as of end-2025 (CC BY 4.0)"] * 6)
    svg = exports.chart_svg(trend_chart, caption=caption)
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg)[1])
    assert width < exports.EXPORT_WIDTH + 200
    texts = parse_svg(svg).iter("{http://www.w3.org/2000/svg}text")
    source = next(text for text in texts if "".join(text.itertext()).startswith("UNHCR"))
    lines = [line.text for line in source if line.tag.endswith("}tspan")]
    assert len(lines) >= 3
    assert " ".join(lines) == caption  # every word, in order, over several lines


def test_vl_convert_refuses_remote_data_but_draws_a_file_url_as_an_empty_chart(tmp_path):
    """What vl-convert itself does (1.9): the reason exports checks the spec before rendering."""
    with pytest.raises(ValueError, match="External data url not allowed"):
        vl_convert.vegalite_to_svg(remote_spec(), allowed_base_urls=[])
    local = tmp_path / "x.csv"
    local.write_text("a,b\nx,5\ny,7\n")
    from_file = vl_convert.vegalite_to_svg(remote_spec(data={"url": local.as_uri()}), allowed_base_urls=[])
    empty = vl_convert.vegalite_to_svg(remote_spec(data={"values": []}), allowed_base_urls=[])
    assert from_file == empty  # no error, no bars


@pytest.mark.parametrize(
    "spec",
    [
        remote_spec(),
        remote_spec(data={"url": "file:///etc/hosts"}),
        remote_spec(data={"url": "data/local.csv"}),
        {"layer": [remote_spec()]},
        {"vconcat": [remote_spec(data={"values": [{"a": "x", "b": 1}]}), remote_spec()]},
        remote_spec(
            data={"values": [{"a": "x", "b": 1}]},
            transform=[{"lookup": "a", "from": {"data": {"url": REMOTE}, "key": "a", "fields": ["c"]}}],
        ),
    ],
)
def test_exports_refuse_data_that_is_not_embedded(spec):
    with pytest.raises(ValueError, match="must be embedded"):
        exports.chart_png(spec)
    with pytest.raises(ValueError, match="must be embedded"):
        exports.chart_svg(spec)


def test_a_url_inside_embedded_rows_is_only_data():
    spec = remote_spec(data={"values": [{"a": "x", "b": 1, "url": REMOTE, "width": "container"}]})
    assert exports.chart_svg(spec).lstrip().startswith("<svg")


# file names


@pytest.mark.parametrize(
    ("parts", "extension", "expected"),
    [
        (("displacement", "trend", "HND", "2016-2025", "en"), "png", "mirps_displacement_trend_HND_2016-2025_en.png"),
        (("country", "Panamá", None, "", 2025, "es"), "csv", "mirps_country_Panama_2025_es.csv"),
        (("Costa Rica", "a/b\\c", "  "), ".XLSX", "mirps_Costa-Rica_a-b-c.xlsx"),
        (("../../etc/passwd",), "svg", "mirps_etc-passwd.svg"),
        (("Ñandutí: 1/2",), "png", "mirps_Nanduti-1-2.png"),
        (("東京",), "csv", "mirps.csv"),
        ((), "csv", "mirps.csv"),
    ],
)
def test_file_names_are_ascii_descriptive_and_safe(parts, extension, expected):
    name = exports.file_name(*parts, extension=extension)
    assert name == expected
    assert name.isascii() and "/" not in name and "\\" not in name and " " not in name


def test_file_names_stay_short():
    name = exports.file_name("x" * 400, "y", extension="csv")
    assert len(name) <= 200 and name.endswith(".csv")


@pytest.mark.parametrize("extension", ["", "p/ng", "tar gz", "pñg"])
def test_file_name_refuses_a_strange_extension(extension):
    with pytest.raises(ValueError, match="extension"):
        exports.file_name("x", extension=extension)


def test_illustrative_data_is_marked_in_every_export_format():
    from mirps_dash import i18n

    table = pl.DataFrame({"Indicator": ["Illustrative indicator"], "Latest value": [44.0]})
    for lang in i18n.LANGS:
        mark = i18n.t("illustrative_mark", lang)
        marked, metadata, title = exports.marked_illustrative(table, [("Source", "MIRPS")], "Indicators", lang)
        csv_text = exports.csv_bytes(marked).decode("utf-8-sig")
        assert csv_text.splitlines()[0].endswith(mark) and csv_text.splitlines()[1].endswith(mark)
        workbook = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(marked, metadata)))
        assert workbook["metadata"]["A1"].value == mark
        assert title.startswith(mark)
        chart = {
            "data": {"values": [{"x": 1}]},
            "mark": "point",
            "encoding": {"x": {"field": "x", "type": "quantitative"}},
        }
        assert mark in exports.chart_svg(chart, title=title)
