"""The presentation slides as a PowerPoint deck, for presenters who cannot share the dashboard itself.

The same slides as presentation mode (`briefing.deck`): an editable title placeholder, the headline
figures as text or the chart as a picture, the sources under it and the slide number; the full
citations and the date of data go in the speaker notes. Returns bytes.
"""

from __future__ import annotations

import io
import math
import struct

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from mirps_dash import briefing, catalog, exports, i18n, slides
from mirps_dash.i18n import t

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9, the shape of a shared screen
MARGIN = Inches(0.5)
PX_PER_INCH = 96  # a chart's 20 px type (briefing.SLIDE_FONT_SIZE) prints at 15 pt
NOTE_HEIGHT = Inches(0.6)  # under a chart for its note: two lines at 16 pt
FOOTER_LINE = 0.2  # inches: a line of the sources footer at 12 pt
FOOTER_CHARS = 120  # characters a footer line holds at 12 pt, counted short so that a wide font fits too
TITLE_ONLY = 5  # the default template's "Title Only" layout
INK = RGBColor(0x21, 0x25, 0x29)
GREY = RGBColor(0x5F, 0x63, 0x68)
ACCENT = RGBColor(0x00, 0x72, 0xB2)
WARNING = RGBColor(0xA8, 0x4A, 0x00)  # charts.WARNING_TEXT: 5.8:1 on white
TEXT_COLOURS = {"ink": INK, "grey": GREY, "accent": ACCENT, "warning": WARNING}  # all on the white slide
SLIDE_NUMBER_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # any GUID; PowerPoint renumbers the field


def _text(slide, left, top, width, height, lines: list[tuple[str, int, bool, RGBColor]], align=PP_ALIGN.LEFT):
    """A text box of (text, size in pt, bold, colour) paragraphs that wraps inside its width."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE  # the box keeps its size: cards of a row line up
    for index, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
    return frame


def _cards(slide, cards: tuple[briefing.Card, ...], top: int, bottom: int) -> None:
    """Two cards a row, as on screen: label, exact value, change and notes, all editable text."""
    columns, gap = 2, Inches(0.3)
    width = (WIDTH - 2 * MARGIN - gap) // columns
    rows = (len(cards) + columns - 1) // columns
    height = (bottom - top - gap * (rows - 1)) // rows
    for index, card in enumerate(cards):
        left = MARGIN + (index % columns) * (width + gap)
        y = top + (index // columns) * (height + gap)
        lines = [(card.label, 20, True, INK), (card.value, 44 if card.delta or card.notes else 28, True, ACCENT)]
        if card.delta:
            lines.append((card.delta, 18, False, INK))
        lines += [(note, 14, False, GREY) for note in card.notes]
        frame = _text(slide, left, y, width, height, lines)
        frame.margin_left = frame.margin_right = Inches(0.15)
        box = slide.shapes[-1]
        box.line.color.rgb = RGBColor(0xC8, 0xCC, 0xD0)


def _picture(slide, chart, title: str, top: int, bottom: int) -> None:
    """The chart as a PNG drawn to the shape of the space it gets (legend and axes inside), at PX_PER_INCH so
    that its type prints at the size a room reads on screen; centred. Where a grouped bar chart needs more
    height for its bars' labels than the space has, it is drawn taller and shrunk to fit."""
    width, height = WIDTH - 2 * MARGIN, bottom - top
    drawn = briefing.on_slide(chart)  # fitted inside its size, each grouped bar with room for its label
    pixels = (round(width / Inches(1) * PX_PER_INCH), round(height / Inches(1) * PX_PER_INCH))
    png = exports.chart_png(drawn.properties(width=pixels[0], height=max(pixels[1], drawn.height)))
    pixels_wide, pixels_high = struct.unpack(">II", png[16:24])
    if width * pixels_high / pixels_wide > height:
        width = Emu(int(height * pixels_wide / pixels_high))
    else:
        height = Emu(int(width * pixels_high / pixels_wide))
    picture = slide.shapes.add_picture(io.BytesIO(png), (WIDTH - width) // 2, top, width, height)
    picture.name = title[:120]


def _slide_number(slide, number: int, total: int, lang: str) -> None:
    """ "n / total" bottom right, n a slide-number field, so it stays right when slides are moved."""
    box = slide.shapes.add_textbox(WIDTH - MARGIN - Inches(1.2), HEIGHT - Inches(0.85), Inches(1.2), Inches(0.4))
    paragraph = box.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    before, after = t("present_slide", lang, n="\0", total=total).split("\0")
    for text, field in ((before, False), (str(number), True), (after, False)):
        if not text:
            continue
        run = paragraph.add_run()
        run.text = text
        run.font.size, run.font.color.rgb = Pt(14), GREY
        if field:  # python-pptx has no field API: the run becomes the standard <a:fld type="slidenum">
            element = OxmlElement("a:fld")
            element.set("id", SLIDE_NUMBER_FIELD_ID)
            element.set("type", "slidenum")
            element.append(run._r.get_or_add_rPr())
            element.append(run._r.t)
            run._r.addprevious(element)
            paragraph._p.remove(run._r)


def _notes(content: briefing.Content, lang: str, filters: str, stamp: str | None) -> str:
    """Speaker notes: the date of data, each source's full citation (publisher, date, link, licence), the
    filters the deck was made with and, for a data cut, its name."""
    lines = [t("factsheet_date_of_data", lang, date=briefing.date_of_data(content.sources, lang)), ""]
    lines.append(f"{t('source' if len(content.sources) == 1 else 'sources', lang)}:")
    lines += [f"- {catalog.source(key).citation(lang)}" for key in content.sources]
    lines += ["", f"{t('meta_filters', lang)}: {filters}"]
    if stamp:
        lines.append(stamp)
    if content.illustrative:
        lines += ["", t("illustrative_banner", lang)]
    return "\n".join(lines)


def render(contents: list[briefing.Content], lang: str, filters: str = "", stamp: str | None = None) -> bytes:
    """One slide per content, in order; `stamp` (a data cut's name and date) in every footer and note."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = t("app_title", lang)
    deck.core_properties.language = lang
    total = len(contents)
    for number, content in enumerate(contents, start=1):
        slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(1.0)
        title.text = content.title
        paragraph = title.text_frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.runs[0].font.size, paragraph.runs[0].font.bold = Pt(36), True
        label = t("source", lang) if len(content.sources) == 1 else t("sources", lang)
        footer = f"{label}: " + " · ".join([*briefing.source_lines(content.sources, lang), t("credit", lang)])
        # The footer takes three lines at 12 pt (four with a cut's name); a longer list of sources takes more.
        extra = Inches(FOOTER_LINE) * max(math.ceil(len(footer) / FOOTER_CHARS) - 3, 0)
        top, bottom = Inches(1.45), HEIGHT - Inches(1.15 if stamp else 0.95) - extra
        if content.illustrative:
            _text(
                slide,
                MARGIN,
                Inches(1.2),
                WIDTH - 2 * MARGIN,
                Inches(0.4),
                [(t("illustrative_watermark", lang), 16, True, WARNING)],
            )
            top += Inches(0.3)
        if content.note:
            bottom -= NOTE_HEIGHT
            _text(slide, MARGIN, bottom, WIDTH - 2 * MARGIN, NOTE_HEIGHT, [(content.note, 16, False, INK)])
        if content.cards:
            _cards(slide, content.cards, top, bottom)
        if content.chart is not None:
            _picture(slide, content.chart, content.title, top, bottom)
        lines = [(stamp, 12, True, ACCENT)] if stamp else []
        _text(
            slide,
            MARGIN,
            HEIGHT - Inches(1.05 if stamp else 0.85) - extra,
            WIDTH - 2 * MARGIN - Inches(1.3),
            Inches(0.9 if stamp else 0.7) + extra,
            [*lines, (footer, 12, False, GREY)],
        )
        _slide_number(slide, number, total, lang)
        slide.notes_slide.notes_text_frame.text = _notes(content, lang, filters, stamp)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def pptx(data: briefing.Data, lang: str, deck: str = slides.REGION, stamp: str | None = None) -> bytes:
    """The deck named `deck` (`region` or a MIRPS ISO3 code) of `data` in `lang`; `stamp` names the data
    cut `data` is (`cuts.Cut.stamp`)."""
    return render(briefing.deck(data, deck, lang), lang, filters(data, deck, lang), stamp)


def filters(data: briefing.Data, deck: str, lang: str) -> str:
    """What the deck was made for, as the notes say it: the deck and the year of data."""
    name = t("deck_region", lang) if deck == slides.REGION else i18n.country_name(deck, lang)
    span = data.population_years()
    parts = [f"{t('meta_deck', lang)}: {name}"]
    if span:
        parts.append(f"{t('meta_year', lang)}: {span[1]}")
    return " · ".join(parts)
