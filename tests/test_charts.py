"""Chart specs through `to_dict()`: colours, labels, locale and the data each chart embeds."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest
import vl_convert

from mirps_dash import briefing, charts, i18n, metrics, queries, settings, slides, widgets
from tests import truth


@pytest.fixture(scope="module")
def totals(loaded_sqlite_url) -> pl.DataFrame:
    return queries.population_totals(queries.Reader(loaded_sqlite_url), settings.MIRPS_COUNTRIES)


@pytest.fixture(scope="module")
def latest(loaded_sqlite_url) -> pl.DataFrame:
    return queries.population_by_country(queries.Reader(loaded_sqlite_url), (truth.latest_year(),))


def embedded_rows(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def find(spec: dict, key: str):
    """The first value of `key` anywhere in the spec (encodings sit in layers for layered charts)."""
    if isinstance(spec, dict):
        if key in spec:
            return spec[key]
        values = spec.values()
    elif isinstance(spec, list):
        values = spec
    else:
        return None
    for value in values:
        found = find(value, key)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_trend_gives_each_type_its_colour_and_embeds_only_the_aggregate(totals, lang):
    frame = metrics.protection_trend(totals, "asylum")
    spec = charts.type_trend(frame, lang).to_dict()
    scale = spec["encoding"]["color"]["scale"]
    for label, colour in zip(scale["domain"], scale["range"], strict=True):
        code = next(c for c in charts.TYPE_COLOURS if i18n.population_type(c, lang) == label)
        assert charts.TYPE_COLOURS[code] == colour
    assert len(embedded_rows(spec)) == frame.height <= 3 * 10
    assert spec["encoding"]["y"]["title"] == i18n.t("axis_people", lang)
    assert spec["config"]["locale"]["number"] == charts.NUMBER_LOCALES[lang]


def drawn_texts(chart, width: int = 250) -> dict[str, str]:
    """Every text the chart draws (vl-convert's SVG), by what it reads, its lines joined by a space."""
    svg = vl_convert.vegalite_to_svg(chart.to_dict() | {"width": width})
    return {" ".join(re.sub(r"<[^>]+>", " ", text).split()): text for text in re.findall(r"<text.*?</text>", svg)}


def test_a_long_legend_label_is_drawn_on_two_lines_and_a_short_one_on_one(totals):
    """At 1280 px, in half a page, the legend's longest type ran past the chart's edge and was cut."""
    drawn = drawn_texts(charts.type_trend(metrics.protection_trend(totals, "asylum"), "es"))
    long, short = i18n.population_type("oip", "es"), i18n.population_type("refugees", "es")
    assert len(re.findall("<tspan", drawn[long])) == 2
    assert "<tspan" not in drawn[short]


def test_a_long_type_beside_its_bar_is_drawn_whole_on_two_lines(totals):
    """'Otras con necesidad de protección in…': the shares chart cut the type it names."""
    frame = metrics.type_shares(metrics.protection_trend(totals, "asylum"), truth.latest_year())
    assert "oip" in frame["population_type"].to_list()
    drawn = drawn_texts(charts.type_shares(frame, "es"))
    assert len(re.findall("<tspan", drawn[i18n.population_type("oip", "es")])) == 2
    assert "…" not in " ".join(drawn)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_an_abbreviated_axis_reads_zero_as_0_in_no_unit(totals, lang):
    """Ticks in thousands or millions share the unit: the first tick read '0k' or '0M'."""
    drawn = drawn_texts(charts.type_trend(metrics.protection_trend(totals, "asylum"), lang))
    ticks = [text for text in drawn if re.fullmatch(r"[\d.,]+[kM]?", text)]
    assert "0" in ticks
    assert any(tick.endswith(("k", "M")) for tick in ticks)
    assert not {"0k", "0M"} & set(ticks)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_count_axis_on_a_slide_ticks_whole_numbers_once_each(loaded_sqlite_url, lang):
    """The Cities of Solidarity slide, 1100 px wide, read "0 0 0 1 1 1 1 1 2 2…" under bars of 5, 4 and 1."""
    data = briefing.FromReader(queries.Reader(loaded_sqlite_url))
    content = briefing.slide(data, slides.Slide("cities"), lang, data.population_years())
    svg = vl_convert.vegalite_to_svg(briefing.on_slide(content.chart, frame_inside=False).to_dict() | {"width": 1100})
    axis = re.search(r'<g class="mark-text role-axis-label".*?</g>', svg, re.S).group(0)
    ticks = [re.sub(r"<[^>]+>", "", text) for text in re.findall(r"<text.*?</text>", axis)]
    assert len(ticks) > 1
    assert len(set(ticks)) == len(ticks)


def test_every_event_of_the_work_plan_timeline_is_named_whole(loaded_sqlite_url):
    """The longest titles were cut ('4. Private sector roundtables on opportunities and positive effects of th…')
    and left the months 300 px of a 1280 px screen: they now take two lines."""
    reader = queries.Reader(loaded_sqlite_url)
    plan_year = queries.workplan_years(reader)["plan_year"].to_list()[0]
    events = metrics.event_status(queries.workplan_events(reader, plan_year), date(plan_year, 7, 1))
    drawn = drawn_texts(charts.workplan_timeline(events, "en"), width=450)
    dated = events.filter(pl.col("start_date").is_not_null())
    titles = [f"{row['event_no']}. {row['title']}" for row in dated.iter_rows(named=True)]
    shown = {" ".join(title.split()) for title in titles}
    assert shown <= set(drawn)
    assert any(len(re.findall("<tspan", drawn[title])) == 2 for title in shown)
    assert not [text for text in drawn if "…" in text]


def plot_height(spec: dict, width: int) -> float:
    """The plot's height in the drawn SVG: where the lowest tick of the vertical axis sits."""
    svg = vl_convert.vegalite_to_svg(spec | {"width": width})
    ticks = re.findall(r'<g class="mark-rule role-axis-tick".*?</g>', svg, re.S)
    return max(float(y) for y in re.findall(r"translate\(0,([\d.]+)\)", ticks[-1]))


def test_on_screen_a_chart_has_its_plot_height_and_its_legend_and_title_on_top():
    """Streamlit fitted legend, title and axes into the height: in a plan's card, whose chart has a two-line
    legend and a title, that left a trajectory a plot of a few pixels. A slide still fits all in its height."""
    chart = charts.indicator_trajectory(
        pl.DataFrame({"period": [2020, 2021, 2022], "value": [54.0, 54.5, 53.9]}),
        [(2019, 54.8), (2023, 70.0), (2027, 87.7)],
        (2027, 87.7),
        "en",
        illustrative=True,
    )
    on_screen = widgets.screen_spec(chart)
    assert on_screen["autosize"] == {"type": "fit-x", "contains": "padding"}
    drawn = chart.to_dict() | {"autosize": on_screen["autosize"]}
    assert plot_height(drawn, 231) == charts.TRAJECTORY_HEIGHT
    slide = briefing.on_slide(chart)
    assert widgets.screen_spec(slide)["autosize"]["type"] == "fit"
    assert plot_height(slide.to_dict(), 900) < slide.height
    assert "autosize" not in briefing.on_slide(chart, frame_inside=False).to_dict()  # vl-convert's pictures: pad


def test_a_vertical_axis_sets_its_labels_beside_their_ticks_whatever_the_host_theme(totals):
    """Streamlit's theme flushes an axis's end labels inward: "0" stood above the bars' baseline."""
    spec = charts.type_trend(metrics.protection_trend(totals, "asylum"), "en").to_dict()
    assert spec["config"]["axisY"]["labelFlush"] is False


def test_trend_total_for_a_year_equals_the_csv(totals):
    spec = charts.type_trend(metrics.protection_trend(totals, "origin"), "en").to_dict()
    year = truth.latest_year()
    shown = sum(row["value"] for row in embedded_rows(spec) if row["year"] == year)
    assert shown == truth.protection_total("origin", year)


@pytest.mark.parametrize(("lang", "written"), [("es", ["52%", "27,8%", "20,2%"]), ("en", ["52%", "27.8%", "20.2%"])])
def test_share_labels_are_percentages_as_the_language_writes_them(lang, written):
    """A Spanish page wrote "27.8%" here while its tables wrote "27,8%"."""
    types = ["refugees", "asylum_seekers", "oip"]
    frame = pl.DataFrame({"population_type": types, "value": [520, 278, 202], "share": [0.52, 0.278, 0.202]})
    spec = charts.type_shares(frame, lang).to_dict()
    assert [row["label"] for row in embedded_rows(spec)] == written


def test_country_bars_carry_value_labels_and_country_names(latest):
    year = truth.latest_year()
    frame = metrics.protection_by_country(latest, year)
    spec = charts.protection_by_country(frame, "es").to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["bar", "text"]
    assert spec["layer"][1]["encoding"]["text"]["format"] == ",d"
    countries = {row["country"] for row in embedded_rows(spec)}
    assert "Belice" in countries and "México" in countries
    assert spec["height"] == {"step": charts.BAND_STEP}
    mexico_hosted = next(r for r in embedded_rows(spec) if r["country_iso3"] == "MEX" and r["role"] == "asylum")
    assert mexico_hosted["value"] == sum(
        truth.value(year, "MEX", "asylum", t) or 0 for t in ("refugees", "asylum_seekers", "oip")
    )


def test_idp_comparison_labels_both_sources_and_never_adds_them(loaded_sqlite_url, latest):
    year = truth.latest_year()
    stocks = queries.idmc_idp_stocks(queries.Reader(loaded_sqlite_url))
    frame = metrics.idp_comparison(latest, stocks, year)
    spec = charts.idp_comparison(frame, "en").to_dict()
    domain = find(spec, "color")["scale"]["domain"]
    assert domain == [i18n.t("idp_source_unhcr", "en"), i18n.t("idp_source_idmc", "en")]
    rows = embedded_rows(spec)
    assert len(rows) == frame.height
    assert {r["source"] for r in rows} == {"unhcr", "idmc"}
    hnd = {r["source"]: r["value"] for r in rows if r["country_iso3"] == "HND"}
    assert hnd == {"unhcr": truth.unhcr_idps_country(year, "HND"), "idmc": truth.idmc_stock_country(year, "HND")}
