"""The factsheet PDF: a regional page and one page per MIRPS state, in Spanish or English.

Every block comes from `briefing`, so the factsheet says what the slides say; charts are the same
builders rendered offline by `exports.chart_png`. Each page's footer names its sources (publisher,
dataset, date of data); a page that shows illustrative data carries a watermark. Returns bytes.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from pathlib import Path

import altair as alt
from fpdf import FPDF

from mirps_dash import briefing, charts, exports, i18n, public_indicators, settings, slides
from mirps_dash.i18n import t

# Debian's fonts-dejavu-core: a Unicode TrueType font, so "Panamá" and "Bélgica" print (the PDF core
# fonts are Latin-1 only and have no "–" or "·").
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"

MARGIN = 15  # mm
FOOTER_HEIGHT = 30  # mm kept free at the bottom of every page for the sources
FOOTER_LINES = 4  # lines of sources FOOTER_HEIGHT holds (the "Sources:" line too); each more takes SOURCE_LINE
SOURCE_LINE = 3.2  # mm
STAMP_LINE = 4  # mm more for the name of a data cut
CHART_PNG_SCALE = 2.0
# A chart is drawn at PX_PER_MM of the page, whatever room it gets, so its type prints at one size: 16 px
# type at 5 px a millimetre is 3.2 mm, 9 pt, as legible as the page's own notes.
PX_PER_MM = 5
CHART_FONT_PX = 16
MIN_CHART_MM = 35  # a chart given less room than this is drawn at it and shrunk (its type with it)
BAR_FRAME_PX = 130  # what a grouped bar chart draws around its bars: legend above, axis and its title below
INK = (33, 37, 41)
GREY = (95, 99, 104)
RULE = (200, 204, 208)
ACCENT = (0, 114, 178)  # the charts' blue
WATERMARK = (213, 94, 0)  # drawn at 18% opacity across the page; the banner says the same in WARNING_TEXT
WARNING_TEXT = (168, 74, 0)  # charts.WARNING_TEXT: the watermark's colour darkened to 5.8:1 on white
TEXT_COLOURS = {"ink": INK, "grey": GREY, "accent": ACCENT, "warning": WARNING_TEXT}  # all on white


@dataclass(frozen=True)
class Page:
    title: str
    lead: str
    blocks: tuple[briefing.Content, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for block in self.blocks for key in block.sources))

    @property
    def illustrative(self) -> bool:
        return any(block.illustrative for block in self.blocks)


COUNTRY_PAGE = ("country", "country_flows", "country_hosts")  # its figures, where its people are, whom it hosts


def pages(data: briefing.Data, lang: str) -> list[Page]:
    """The regional page (headline, trend of people hosted, by country), then for each state its page
    (headline, where its people are, where the people it hosts come from) and its protection page (the key
    public-statistics indicators against their baseline). Empty when the database holds no population data."""
    span = data.population_years()
    if span is None:
        return []
    year = span[1]

    def blocks(*items: slides.Slide) -> tuple[briefing.Content, ...]:
        return tuple(briefing.slide(data, item, lang, span) for item in items)

    regional = Page(
        t("factsheet_title", lang, year=year),
        t("factsheet_lead", lang, year=year),
        blocks(slides.Slide("headline"), slides.Slide("trend_asylum"), slides.Slide("by_country")),
    )
    protection_lead = t("factsheet_protection_lead", lang, year=year, baseline=public_indicators.BASELINE_YEAR)
    countries = []
    for code in settings.MIRPS_COUNTRIES:
        name = i18n.country_name(code, lang)
        countries += [
            Page(
                name,
                t("factsheet_country_lead", lang, year=year),
                blocks(*(slides.Slide(kind, code) for kind in COUNTRY_PAGE)),
            ),
        ]
        protection = [slides.Slide(kind, code) for kind in briefing.PROTECTION]
        if all(briefing.readable(data, item) for item in protection):
            countries.append(Page(name, protection_lead, blocks(*protection)))
    return [regional, *countries]


def printable(chart: alt.TopLevelMixin, width: int, height: int) -> alt.TopLevelMixin:
    """The chart `width` x `height` px as a whole (legend, axes and their titles inside), with type of
    CHART_FONT_PX and legends across, not down."""
    fitted = chart.properties(width=width, height=height, autosize=alt.AutoSizeParams(type="fit", contains="padding"))
    return charts.resized(fitted, CHART_FONT_PX)


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])  # IHDR follows the 8-byte signature


class _Sheet(FPDF):
    """An A4 page with the sources of the page in its footer and, where needed, a watermark."""

    def __init__(self, lang: str, stamp: str | None = None):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.lang, self.stamp = lang, stamp
        self.page_info: Page | None = None
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.footer_height = self.footer_for(())
        self.set_auto_page_break(True, margin=self.footer_height)
        self.set_lang(lang)
        self.set_creator(t("app_title", lang))
        self.set_title(t("factsheet_name", lang))

    def footer_for(self, sources: tuple[str, ...]) -> float:
        """The room a page's footer takes: its source lines, and a cut's name on a line of its own above the
        credit line."""
        lines = 1  # "Sources:"
        if sources:
            self.set_font(FONT, "", 7)
            for line in briefing.source_lines(sources, self.lang):  # a long one wraps
                lines += len(self.multi_cell(0, SOURCE_LINE, line, dry_run=True, output="LINES"))
        extra = max(lines - FOOTER_LINES, 0) * SOURCE_LINE
        return FOOTER_HEIGHT + extra + (STAMP_LINE if self.stamp else 0)

    def footer(self) -> None:
        lang, info = self.lang, self.page_info
        if info is not None and info.illustrative:
            self._watermark()
        self.set_y(-self.footer_height + 4)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.ln(1.5)
        self.set_text_color(*GREY)
        if info is not None and info.sources:
            label = t("source", lang) if len(info.sources) == 1 else t("sources", lang)
            self.set_font(FONT, "B", 7)
            self.multi_cell(0, SOURCE_LINE, f"{label}:", new_x="LMARGIN", new_y="NEXT")
            self.set_font(FONT, "", 7)
            for line in briefing.source_lines(info.sources, lang):
                self.multi_cell(0, SOURCE_LINE, line, new_x="LMARGIN", new_y="NEXT")
            dated = t("factsheet_date_of_data", lang, date=briefing.date_of_data(info.sources, lang))
        else:
            dated = ""
        if self.stamp:
            self.set_font(FONT, "B", 7)
            self.set_text_color(*ACCENT)
            self.set_y(-MARGIN + 3 - STAMP_LINE)
            self.cell(0, 3.2, self.stamp, align="L")
            self.set_text_color(*GREY)
        self.set_font(FONT, "", 7)
        self.set_y(-MARGIN + 3)
        self.cell(0, 3.2, " · ".join(part for part in (dated, t("credit", lang)) if part), align="L")
        self.set_x(MARGIN)
        self.cell(0, 3.2, t("factsheet_page", lang, n=self.page_no(), total="{nb}"), align="R")

    def _watermark(self) -> None:
        text = t("illustrative_watermark", self.lang)
        with self.local_context(fill_opacity=0.18, text_color=WATERMARK):
            self.set_font(FONT, "B", 54)
            width = self.get_string_width(text)
            with self.rotation(45, self.w / 2, self.h / 2):
                self.text(self.w / 2 - width / 2, self.h / 2 + 8, text)


def _heading(pdf: _Sheet, page: Page) -> None:
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FONT, "B", 8.5)
    pdf.cell(0, 4, f"{t('factsheet_name', pdf.lang)} · {t('app_subtitle', pdf.lang)}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.line(MARGIN, pdf.get_y() + 1, pdf.w - MARGIN, pdf.get_y() + 1)
    pdf.set_line_width(0.2)
    pdf.ln(4)
    if pdf.stamp:  # on top too: whoever holds a printed page sees at once that its figures are frozen
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(0, 4.5, pdf.stamp, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 19)
    pdf.multi_cell(0, 8.5, page.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*GREY)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, page.lead, align="L", new_x="LMARGIN", new_y="NEXT")
    if page.illustrative:
        pdf.set_text_color(*WARNING_TEXT)
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(0, 4.5, t("illustrative_banner", pdf.lang), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _block_title(pdf: _Sheet, text: str) -> None:
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _cards(pdf: _Sheet, cards: tuple[briefing.Card, ...]) -> None:
    """Two cards a row, each in a light frame as tall as the taller card of its row: label, exact value,
    change, notes."""
    gap, pad = 4, 2.5
    width = (pdf.w - 2 * MARGIN - gap) / 2
    top = pdf.get_y()
    for start in range(0, len(cards), 2):
        bottoms = []
        for column, card in enumerate(cards[start : start + 2]):
            x = MARGIN + column * (width + gap)
            inner = width - 2 * pad - 1
            pdf.set_xy(x + pad + 0.5, top + pad)
            pdf.set_text_color(*INK)
            pdf.set_font(FONT, "B", 9)
            pdf.multi_cell(inner, 4, card.label, align="L", new_x="LEFT", new_y="NEXT")
            pdf.set_font(FONT, "B", 18 if card.delta is not None or card.notes else 12)
            pdf.set_text_color(*ACCENT)
            pdf.multi_cell(inner, 8, card.value, new_x="LEFT", new_y="NEXT")
            pdf.set_font(FONT, "", 8)
            pdf.set_text_color(*INK)
            if card.delta:
                pdf.multi_cell(inner, 3.8, card.delta, align="L", new_x="LEFT", new_y="NEXT")
            pdf.set_text_color(*GREY)
            pdf.set_font(FONT, "", 7)
            for note in card.notes:
                pdf.multi_cell(inner, 3.2, note, align="L", new_x="LEFT", new_y="NEXT")
            bottoms.append(pdf.get_y())
        height = max(bottoms) + pad - top
        pdf.set_draw_color(*RULE)
        for column in range(len(bottoms)):
            pdf.rect(MARGIN + column * (width + gap), top, width, height, round_corners=True, corner_radius=1.5)
        top += height + gap
    pdf.set_xy(MARGIN, top)
    pdf.ln(1)


def _note(pdf: _Sheet, text: str) -> None:
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _chart(pdf: _Sheet, chart: alt.TopLevelMixin, title: str, room: float) -> None:
    """The chart as a PNG across the page, filling `room` mm of height, its type at 9 pt (`PX_PER_MM`)."""
    width, height = pdf.w - 2 * MARGIN, max(room, MIN_CHART_MM)
    drawn = printable(chart, round(width * PX_PER_MM), round(height * PX_PER_MM))
    png = exports.chart_png(drawn, scale=CHART_PNG_SCALE)
    pixels_wide, pixels_high = _png_size(png)
    height = width * pixels_high / pixels_wide
    if height > room:  # only where the page had less than MIN_CHART_MM left
        width, height = width * room / height, room
    pdf.image(io.BytesIO(png), x=MARGIN, y=pdf.get_y(), w=width, h=height, alt_text=title)
    pdf.set_y(pdf.get_y() + height + 3)


def _needs(chart: alt.TopLevelMixin) -> float:
    """The least height (mm) a chart is drawn at: a grouped bar chart's bars each hold their value label."""
    usermeta = chart.usermeta if isinstance(chart.usermeta, dict) else {}
    bars = usermeta.get(charts.GROUPED_BARS, 0)
    return max(MIN_CHART_MM, (BAR_FRAME_PX + bars * (CHART_FONT_PX + 4)) / PX_PER_MM)


def _note_height(pdf: _Sheet, text: str) -> float:
    pdf.set_font(FONT, "", 9)
    return len(pdf.multi_cell(0, 4.5, text, dry_run=True, output="LINES")) * 4.5 + 2


def _page(pdf: _Sheet, page: Page) -> None:
    pdf.add_page()
    # After add_page: the previous page's footer has been drawn with its own sources and height.
    pdf.page_info = page
    pdf.footer_height = pdf.footer_for(page.sources)
    pdf.set_auto_page_break(True, margin=pdf.footer_height)
    _heading(pdf, page)
    # A note says once on a page what two blocks share (the overlap of hosted and from).
    notes = [
        block.note if block.note not in [b.note for b in page.blocks[:i]] else "" for i, block in enumerate(page.blocks)
    ]
    needs = [_needs(block.chart) for block in page.blocks if block.chart is not None]
    notes_left = sum(_note_height(pdf, note) for note in notes if note)
    for block, note in zip(page.blocks, notes, strict=True):
        _block_title(pdf, block.title)
        if block.cards:
            _cards(pdf, block.cards)
        if block.chart is not None:
            # What is left of the page, headings and notes kept free, goes to the charts still to come: each
            # gets what it needs and an equal share of the rest (less than it needs only where all do).
            room = (pdf.h - pdf.footer_height - pdf.get_y()) - (len(needs) - 1) * 12 - len(needs) * 3.5 - notes_left
            spare = room - sum(needs)
            _chart(
                pdf,
                block.chart,
                block.title,
                needs[0] + spare / len(needs) if spare > 0 else room * needs[0] / sum(needs),
            )
            needs.pop(0)
        if note:
            notes_left -= _note_height(pdf, note)
            _note(pdf, note)


def render(sheets: list[Page], lang: str, stamp: str | None = None) -> bytes:
    """The pages as a PDF, with `stamp` (a data cut's name and date) on every page when given; a database
    with no population data gives one page that says so."""
    pdf = _Sheet(lang, stamp)
    if not sheets:
        _page(pdf, Page(t("factsheet_name", lang), t("no_data_reported", lang), ()))
    for page in sheets:
        _page(pdf, page)
    return bytes(pdf.output())


def pdf(data: briefing.Data, lang: str, stamp: str | None = None) -> bytes:
    """The factsheet of `data` in `lang`; `stamp` names the data cut `data` is (`cuts.Cut.stamp`)."""
    return render(pages(data, lang), lang, stamp)
