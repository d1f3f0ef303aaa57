"""The factsheet PDF: a regional page and one per MIRPS state, in either language, with the figures of
the database, the sources and the date of data in every footer, and a watermark only on illustrative pages."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import sys

import pypdf
import pytest

from mirps_dash import briefing, catalog, factsheet, i18n, queries, settings, slides
from tests import truth
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def data(loaded_sqlite_url) -> briefing.Data:
    return briefing.FromReader(queries.Reader(loaded_sqlite_url))


@pytest.fixture(scope="module")
def texts(data) -> dict[str, list[str]]:
    """Each language's factsheet, as the text of each page."""
    return {lang: page_texts(factsheet.pdf(data, lang)) for lang in i18n.LANGS}


def page_texts(pdf: bytes) -> list[str]:
    # Line breaks fall wherever a line is full: compare with single spaces.
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def state_pages(pages: list[str]) -> list[str]:
    """Each State's first page (its protection page follows it: tests/test_protection_slides.py)."""
    return pages[1::2]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_regional_page_then_two_pages_per_member_state(texts, lang):
    pages = texts[lang]
    assert len(pages) == 1 + 2 * len(settings.MIRPS_COUNTRIES)
    year = truth.latest_year()
    assert i18n.t("factsheet_title", lang, year=year) in pages[0]
    for page, code in zip(state_pages(pages), settings.MIRPS_COUNTRIES, strict=True):
        assert i18n.t("slide_country", lang, country=i18n.country_name(code, lang), year=year) in page


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_figures_are_the_csv_figures_in_the_language_s_style(texts, lang):
    year = truth.latest_year()
    regional = texts[lang][0]
    assert truth.grouped(truth.protection_total("asylum", year), lang) in regional
    assert truth.grouped(truth.protection_total("origin", year), lang) in regional
    assert truth.grouped(truth.unhcr_idps(year), lang) in regional
    for page, code in zip(state_pages(texts[lang]), settings.MIRPS_COUNTRIES, strict=True):
        hosted = truth.protection_total_country("asylum", year, code)
        assert truth.grouped(hosted, lang) in page, code


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_page_names_its_sources_and_the_date_of_data(texts, lang):
    population = catalog.source("unhcr_population")
    pairs = catalog.source("unhcr_population_pairs")
    dated = i18n.t("factsheet_date_of_data", lang, date=population.date_of_data[lang])
    for number, page in enumerate(texts[lang], start=1):
        assert population.title[lang] in page, number
        assert population.publisher[lang] in page
        assert dated in page
        assert i18n.t("factsheet_page", lang, n=number, total=len(texts[lang])) in page
    assert all(pairs.title[lang] in page for page in state_pages(texts[lang]))
    assert i18n.t("illustrative_watermark", lang) not in " ".join(texts[lang])  # the shipped data is all real


def test_a_page_that_shows_illustrative_data_carries_the_watermark(data):
    pages = factsheet.pages(data, "es")
    marked = dataclasses.replace(pages[1], blocks=(dataclasses.replace(pages[1].blocks[0], illustrative=True),))
    texts = page_texts(factsheet.render([pages[0], marked], "es"))
    assert i18n.t("illustrative_watermark", "es") not in texts[0]
    assert i18n.t("illustrative_watermark", "es") in texts[1]


def test_an_empty_database_gives_one_page_that_says_so(empty_sqlite_url):
    from mirps_dash import database

    database.upgrade(database.make_engine(empty_sqlite_url))
    texts = page_texts(factsheet.pdf(briefing.FromReader(queries.Reader(empty_sqlite_url)), "en"))
    assert len(texts) == 1
    assert i18n.t("no_data_reported", "en") in texts[0]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_the_first_page_renders_to_an_image(data, tmp_path):
    """Poppler draws the page (fonts embedded, images readable); the PNG is left for a person to look at."""
    path = tmp_path / "factsheet.pdf"
    path.write_bytes(factsheet.pdf(data, "es"))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", path, tmp_path / "page"], check=True)
    png = next(tmp_path.glob("page*.png")).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # text and two charts, not a blank page
    fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert {"DejaVuSansBook", "DejaVuSansBold"} <= {row.split()[0].split("+")[-1] for row in rows}
    assert all(row.split()[-5] == "yes" for row in rows)  # embedded: accents print on any machine


def test_the_command_writes_the_factsheet(loaded_sqlite_url, tmp_path):
    out = tmp_path / "ficha.pdf"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mirps_dash",
            "--database-url",
            loaded_sqlite_url,
            "factsheet",
            "--lang",
            "es",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    texts = page_texts(out.read_bytes())
    assert len(texts) == 1 + 2 * len(settings.MIRPS_COUNTRIES)
    assert i18n.t("factsheet_title", "es", year=truth.latest_year()) in texts[0]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_block_s_note_is_printed_under_its_chart(data, lang):
    """The internal-displacement comparison names the States it leaves out; in print as on a slide."""
    span = data.population_years()
    block = briefing.slide(data, slides.Slide("idps"), lang, span)
    assert block.note and block.chart is not None
    page = factsheet.Page(block.title, "", (block,))
    text = page_texts(factsheet.render([page], lang))
    assert len(text) == 1 and " ".join(block.note.split()) in text[0]
    assert all(i18n.country_name(code, lang) in text[0] for code in truth.without_idp_figure(span[1]))


def line_heights(pdf: bytes, number: int) -> dict[str, float]:
    """Each line of text on page `number` (1-based) and how high it stands on the page (mm from the bottom)."""
    found: dict[str, float] = {}

    def seen(text, cm, tm, font, size):
        if text.strip():
            found.setdefault(text.strip(), (tm[5] * cm[3] + cm[5]) * 25.4 / 72)

    pypdf.PdfReader(io.BytesIO(pdf)).pages[number - 1].extract_text(visitor_text=seen)
    return found


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_page_citing_more_sources_keeps_them_above_the_date_line(data, lang):
    """A State's protection page cites five sources, one of them two lines long: the footer grows to hold them
    (it had room for three, and the last line was printed over the date of data)."""
    pages = factsheet.pages(data, lang)
    protection = pages[2]
    assert len(protection.sources) == 5
    pdf = factsheet.render([protection], lang)
    heights = line_heights(pdf, 1)
    date_line = min(
        height for text, height in heights.items() if text.startswith(i18n.t("factsheet_date_of_data", lang, date=""))
    )
    source_lines = [
        heights[text]
        for text in heights
        if any(text.startswith(line[:30]) for line in briefing.source_lines(protection.sources, lang))
    ]
    assert len(source_lines) == 5
    assert min(source_lines) - date_line >= 2.5  # a line of 7 pt type apart, at least


def chart_placements(pdf: bytes, number: int) -> list[tuple[float, float, int]]:
    """Each image drawn on page `number` (1-based): its printed width and height in mm and its width in pixels."""
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[number - 1]
    xobjects = page["/Resources"].get_object().get("/XObject")
    images = dict(xobjects.get_object().items()) if xobjects else {}
    found, matrix = [], None

    def seen(operator, operands, cm, tm):
        nonlocal matrix
        if operator == b"cm":
            matrix = [float(value) for value in operands]
        elif operator == b"Do" and operands[0] in images:
            image = images[operands[0]].get_object()
            found.append((matrix[0] * 25.4 / 72, matrix[3] * 25.4 / 72, int(image["/Width"])))

    page.extract_text(visitor_operand_before=seen)
    return found


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_chart_type_prints_at_a_legible_size(data, lang):
    """A chart's type prints at 8 pt at least on every page (the regional page's trend chart was shrunk to half
    the page's width, its 16 px labels under 5 pt)."""
    pdf = factsheet.pdf(data, lang)
    sheets = factsheet.pages(data, lang)
    checked = 0
    for number, sheet in enumerate(sheets, start=1):
        placements = chart_placements(pdf, number)
        assert len(placements) == sum(block.chart is not None for block in sheet.blocks), number
        for width_mm, _height_mm, pixels in placements:
            pixel_mm = width_mm / (pixels / factsheet.CHART_PNG_SCALE)
            assert factsheet.CHART_FONT_PX * pixel_mm * 72 / 25.4 >= 8, (number, width_mm, pixels)
            checked += 1
    assert checked >= 3


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_the_regional_and_state_pages_use_their_space(data, tmp_path):
    """As rendered: no band of blank paper taller than a tenth of the page between the heading and the footer
    (a State's page was 40% blank under one small chart)."""
    from PIL import Image

    path = tmp_path / "factsheet.pdf"
    path.write_bytes(factsheet.pdf(data, "en"))
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "4", path, tmp_path / "page"], check=True)
    for number in (1, 2, 4):  # the regional page and two States' first pages
        image = Image.open(next(tmp_path.glob(f"page*{number}.png"))).convert("L")
        width, height = image.size
        pixels = image.load()
        blank = [all(pixels[x, y] > 245 for x in range(width // 10, width - width // 10)) for y in range(height)]
        longest = run = 0
        for y in range(height // 10, height - height // 10):  # inside the margins and the footer's rule
            run = run + 1 if blank[y] else 0
            longest = max(longest, run)
        assert longest / height < 0.1, (number, longest / height)
