"""The visual language: one colour per population type in every chart and map, from the colour-blind-safe
Okabe-Ito palette; text and marks that reach WCAG contrast on their background; the theme; and the
MIRPS / OAS-UNHCR credit line on every page, slide and file."""

from __future__ import annotations

import io
import re
import tomllib
from datetime import date

import polars as pl
import pypdf
import pytest
from pptx import Presentation

from mirps_dash import (
    briefing,
    charts,
    exports,
    factsheet,
    i18n,
    maps,
    metrics,
    pptx_deck,
    queries,
    settings,
    ui,
)
from mirps_dash.schema import POPULATION_TYPES
from tests.conftest import ROOT, open_page

TEXT = 4.5  # WCAG 2.x 1.4.3: normal-size text
MARKS = 3.0  # WCAG 2.x 1.4.11: graphical objects needed to read a chart
WHITE = "#FFFFFF"
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
NEUTRAL_GREY = "#999999"  # "other people of concern": no hue, so it never reads as another type
THIN_MARKS = {"line", "point", "rule", "tick", "trail", "circle", "square"}
FILLED_MARKS = {"bar", "rect", "area", "arc"}
DOTS = {"circle", "point", "square"}


def luminance(colour: str | tuple[int, int, int]) -> float:
    """Relative luminance as WCAG defines it, from "#RRGGBB", "#RGB" or an (r, g, b) triple."""
    if isinstance(colour, str):
        digits = colour.lstrip("#")
        digits = "".join(c * 2 for c in digits) if len(digits) == 3 else digits
        colour = tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
    channels = [c / 255 for c in colour]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground, background) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_gives_the_published_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert contrast("#0072B2", WHITE) == pytest.approx(5.19, abs=0.01)


# The theme ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def theme() -> dict:
    with open(ROOT / ".streamlit" / "config.toml", "rb") as handle:
        return tomllib.load(handle)["theme"]


def test_the_theme_sets_its_colours_and_font(theme):
    assert {"primaryColor", "backgroundColor", "secondaryBackgroundColor", "textColor", "font"} <= set(theme)
    assert theme["primaryColor"] == charts.BAR_COLOUR  # the app's accent is the charts' blue
    assert [c.upper() for c in theme["chartCategoricalColors"]] == [c.upper() for c in charts.TYPE_COLOURS.values()]


@pytest.mark.parametrize("key", ["textColor", "primaryColor", "linkColor", "orangeTextColor", "grayTextColor"])
@pytest.mark.parametrize("background", ["backgroundColor", "secondaryBackgroundColor"])
def test_theme_text_colours_reach_4_5_on_both_backgrounds(theme, key, background):
    assert contrast(theme[key], theme[background]) >= TEXT, (key, background)


def test_every_coloured_text_directive_in_the_code_has_a_legible_theme_colour(theme):
    """`:orange[...]` and its kind take their colour from the theme: each one used must be set and legible."""
    code = [*ROOT.glob("app.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("mirps_dash/*.py")]
    used = {match for path in code for match in re.findall(r":(\w+)\[", path.read_text(encoding="utf-8"))}
    used &= {"red", "orange", "yellow", "blue", "green", "violet", "gray", "grey"}
    assert used, "the illustrative mark uses :orange[...]"
    for colour in used:
        assert contrast(theme[f"{colour}TextColor"], theme["backgroundColor"]) >= TEXT, colour


# Palette consistency ---------------------------------------------------------------------------------------


def palettes() -> dict[str, dict[str, str]]:
    """Every colour mapping of the chart and map builders, by name."""
    found = {}
    for module in (charts, maps):
        for name, value in vars(module).items():
            if name.endswith("_COLOURS") and isinstance(value, dict):
                found[f"{module.__name__}.{name}"] = value
    return found


def test_population_types_have_one_distinct_okabe_ito_colour():
    colours = charts.TYPE_COLOURS
    assert set(colours) == set(metrics.TABLE_TYPES)  # every type a chart can show (host communities are not)
    assert set(colours) <= set(POPULATION_TYPES)
    assert len(set(colours.values())) == len(colours)
    assert set(colours.values()) <= OKABE_ITO | {NEUTRAL_GREY}


def test_a_population_type_has_the_same_colour_in_every_palette():
    for name, palette in palettes().items():
        for key, colour in palette.items():
            if key in charts.TYPE_COLOURS:
                assert colour == charts.TYPE_COLOURS[key], (name, key)
    assert charts.IDP_SOURCE_COLOURS["unhcr"] == charts.TYPE_COLOURS["idps"]  # UNHCR's IDPs are the type
    assert maps.ROLE_COLOURS is charts.ROLE_COLOURS  # the flows' ends are the bars' hosted/from colours


@pytest.fixture(scope="module")
def built(loaded_sqlite_url) -> dict[str, dict]:
    """Every chart builder's spec, from the shipped data (the trajectory from a small frame of its shape)."""
    reader = queries.Reader(loaded_sqlite_url)
    first, year = queries.population_year_span(reader)
    countries = settings.MIRPS_COUNTRIES
    types = metrics.TABLE_TYPES
    series = queries.population_series(reader, countries, "asylum", types, (first, year))
    latest = queries.population_by_country(reader, (year,))
    totals = queries.population_totals(reader, countries)
    plan_year = queries.workplan_years(reader)["plan_year"].to_list()[0]
    areas, _ = metrics.focus_area_counts(queries.commitment_counts(reader), "HND")
    stocks = queries.idmc_idp_stocks(reader)
    partners = queries.partners(reader, "HND", "origin", year, metrics.PROTECTION_TYPES)
    shapes = {
        "type_trend": charts.type_trend(metrics.protection_trend(totals, "asylum"), "en"),
        "type_trend_all": charts.type_trend(metrics.totals_by_year_and_type(series), "en"),
        "protection_by_country": charts.protection_by_country(metrics.protection_by_country(latest, year), "en"),
        "idp_comparison": charts.idp_comparison(metrics.idp_comparison(latest, stocks, year), "en"),
        "country_ranking": charts.country_ranking(metrics.country_totals(series, year), "en"),
        "type_shares": charts.type_shares(metrics.type_shares(series, year), "en"),
        "partner_bars": charts.partner_bars(metrics.top_partners(partners), "en"),
        "solutions": charts.solutions(
            metrics.solutions_by_year(queries.solutions(reader, countries, (first, year)), "asylum"), "en"
        ),
        "idmc_flows": charts.idmc_flows(
            metrics.idmc_flows_by_year(queries.idmc_new_displacements(reader, countries)), "en"
        ),
        "focus_areas": charts.focus_areas(areas, "en"),
        "workplan_timeline": charts.workplan_timeline(
            metrics.event_status(queries.workplan_events(reader, plan_year), date(plan_year, 7, 1)), "en"
        ),
        # The spec's shape only (lines, target point, mark); these numbers are never shown to anyone.
        "indicator_trajectory": charts.indicator_trajectory(
            pl.DataFrame({"period": [2022, 2023], "value": [1.0, 2.0]}),
            [(2022, 1.0), (2025, 4.0)],
            (2025, 4.0),
            "en",
            illustrative=True,
        ),
    }
    specs = {name: chart.to_dict() for name, chart in shapes.items()}
    # The same charts sized for a slide and for the printed factsheet keep their colours.
    specs |= {f"{name} on a slide": briefing.on_slide(chart).to_dict() for name, chart in shapes.items()}
    specs |= {f"{name} printed": factsheet.printable(chart, 300, 200).to_dict() for name, chart in shapes.items()}
    return specs


def units(spec: dict):
    """Every single-view spec inside a chart (layers and concatenations opened)."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for part in spec.get(key, []):
            yield from units(part)


def colour_scales(spec):
    """(domain, range) of every colour scale with an explicit range, anywhere in the spec."""
    if isinstance(spec, dict):
        scale = (spec.get("color") or {}).get("scale") if isinstance(spec.get("color"), dict) else None
        if scale and "range" in scale:
            yield scale.get("domain", []), scale["range"]
        for value in spec.values():
            yield from colour_scales(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from colour_scales(value)


def test_every_chart_colours_a_population_type_with_its_colour(built):
    labels = {i18n.population_type(code, "en"): colour for code, colour in charts.TYPE_COLOURS.items()}
    checked = 0
    for name, spec in built.items():
        for domain, colours in colour_scales(spec):
            for label, colour in zip(domain, colours, strict=True):
                if label in labels:
                    assert colour == labels[label], (name, label)
                    checked += 1
    assert checked >= 8  # the trend and the shares show every type


def mark_of(unit: dict) -> dict:
    mark = unit["mark"]
    return mark if isinstance(mark, dict) else {"type": mark}


def unit_colours(unit: dict, spec: dict) -> set[str]:
    """The colours a single view draws with: its mark colour and its colour scale (or fixed value)."""
    mark = mark_of(unit)
    found = {mark[key] for key in ("color", "fill") if isinstance(mark.get(key), str)}
    encoding = unit.get("encoding") or (spec.get("encoding") if "layer" in spec else None) or {}
    colour = encoding.get("color") or {}
    if "value" in colour:
        found.add(colour["value"])
    found |= set((colour.get("scale") or {}).get("range", []))
    return found


def test_chart_text_reaches_4_5_on_white(built):
    for name, spec in built.items():
        config = spec["config"]
        for part in ("axis", "legend"):
            for key in ("labelColor", "titleColor"):
                assert contrast(config[part][key], WHITE) >= TEXT, (name, part, key)
        for unit in units(spec):
            if mark_of(unit)["type"] == "text":
                colours = unit_colours(unit, spec)
                assert colours, (name, "a text mark with no colour of its own takes the scale's")
                assert all(contrast(c, WHITE) >= TEXT for c in colours), (name, colours)
        title = spec.get("title")
        if isinstance(title, dict) and "color" in title:
            assert contrast(title["color"], WHITE) >= TEXT, name
    assert contrast(exports.CAPTION_COLOUR, WHITE) >= TEXT  # the source line under an exported image


def test_thin_marks_reach_3_and_lighter_fills_carry_a_dark_outline(built):
    """Lines, points and rules must stand out from the white page by themselves; a bar may be lighter than
    3:1 only with an outline that is not (its legend swatch too)."""
    for name, spec in built.items():
        for unit in units(spec):
            mark = mark_of(unit)
            colours = unit_colours(unit, spec)
            # a large dot with an outline is a filled shape, not a line
            dot = mark["type"] in DOTS and mark.get("size", 0) >= 100 and "stroke" in mark
            if mark["type"] in THIN_MARKS and not dot:
                assert all(contrast(c, WHITE) >= MARKS for c in colours), (name, colours)
            elif (mark["type"] in FILLED_MARKS or dot) and any(contrast(c, WHITE) < MARKS for c in colours):
                assert contrast(mark.get("stroke", WHITE), WHITE) >= MARKS, (name, sorted(colours))
                assert mark.get("strokeWidth", 0) > 0, name
                assert contrast(spec["config"]["legend"]["symbolStrokeColor"], WHITE) >= MARKS, name


def blended(hex_colour: str, opacity: float, ground: str) -> str:
    """What a colour drawn at `opacity` shows on `ground`."""
    parts = [
        round(opacity * int(hex_colour[i : i + 2], 16) + (1 - opacity) * int(ground[i : i + 2], 16)) for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{part:02X}" for part in parts)


def test_map_lines_and_arcs_reach_3_and_fills_are_outlined():
    assert all(contrast(colour, WHITE) >= MARKS for colour in charts.ROLE_COLOURS.values())  # the flows' ends
    for ground in (WHITE, maps.LAND_COLOUR, maps.MIRPS_COLOUR):  # a flow crosses sea, land and the MIRPS states
        assert contrast(blended(maps.FLOW_COLOUR, maps.FLOW_OPACITY, ground), ground) >= MARKS, ground
    for outline in (maps.POINT_LINE, maps.MIRPS_LINE):  # around city points and choropleth states
        assert contrast(outline, WHITE) >= MARKS
        assert contrast(outline, maps.MIRPS_COLOUR) >= MARKS  # the sand of the MIRPS states
        assert contrast(outline, maps.LAND_COLOUR) >= MARKS


@pytest.mark.parametrize("module", [factsheet, pptx_deck], ids=["pdf", "pptx"])
def test_file_text_colours_reach_4_5_on_white(module):
    for name, colour in module.TEXT_COLOURS.items():
        rgb = tuple(colour) if not isinstance(colour, str) else colour
        assert contrast(rgb, (255, 255, 255)) >= TEXT, (module.__name__, name)


# The credit line ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_page_and_slide_shows_the_credit_line(app_database, lang):
    credit = i18n.t("credit", lang)
    for page in ui.PAGES:
        app = open_page(page.script, lang=lang)
        assert not app.exception, page.script
        shown = [c.value for c in app.sidebar.caption] + [c.value for c in app.caption]
        assert credit in shown, page.script
    for number in (1, 4):
        slide = open_page(lang=lang, present="1", slide=str(number))
        # a slide's notes, sources and credit stand in one caption, the credit on its own last line
        assert any(c.value.splitlines()[-1] == credit for c in slide.caption), number


def test_the_files_carry_the_credit_line():
    lang = "en"
    pdf = pypdf.PdfReader(io.BytesIO(factsheet.render([], lang)))
    assert i18n.t("credit", lang) in pdf.pages[0].extract_text()
    content = briefing.Content(title="Title", sources=("unhcr_population",))
    deck = Presentation(io.BytesIO(pptx_deck.render([content], lang)))
    texts = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert i18n.t("credit", lang) in texts
