"""Chart specs through `to_dict()`: colours, labels, locale and the data each chart embeds."""

from __future__ import annotations

import itertools
import re
from datetime import date

import polars as pl
import pytest
import vl_convert

from mirps_dash import briefing, charts, i18n, metrics, queries, settings, slides, tables, widgets
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
    [_, ticks] = axis_labels(charts.type_trend(metrics.protection_trend(totals, "asylum"), lang))
    assert "0" in ticks
    assert any(tick.endswith(COMPACT_SUFFIXES[lang]) for tick in ticks)
    assert not {"0" + suffix for suffix in COMPACT_SUFFIXES[lang]} & set(ticks)


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


# -- figures that must not mislead ----------------------------------------------------------------------------


def idmc_new_displacements(loaded_sqlite_url, countries: tuple[str, ...]) -> pl.DataFrame:
    reader = queries.Reader(loaded_sqlite_url)
    return metrics.idmc_flows_by_year(queries.idmc_new_displacements(reader, countries))


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_idmc_new_displacements_are_headed_displacements_never_people(loaded_sqlite_url, lang):
    """IDMC counts a person displaced twice in a year twice: its flows are displacements, in the chart's axis
    and tooltip and in the table and CSV beside it."""
    frame = idmc_new_displacements(loaded_sqlite_url, tuple(settings.MIRPS_COUNTRIES))
    people = {i18n.t("axis_people", lang), i18n.t("col_value", lang)}
    headers = set(tables.localise(frame, lang).columns)
    assert i18n.t("col_displacements", lang) in headers
    assert not headers & people
    spec = charts.idmc_flows(frame, lang).to_dict()
    assert spec["encoding"]["y"]["title"] == i18n.t("axis_new_displacements", lang)
    assert not {item["title"] for item in spec["encoding"]["tooltip"]} & people
    word = {"es": "desplazamientos", "en": "displacements"}[lang]
    assert word in i18n.t("col_displacements", lang).lower()


def test_a_year_without_an_idmc_figure_is_a_gap_on_the_axis_not_skipped(loaded_sqlite_url):
    """Belize has IDMC figures for a few years only: the axis ran 2008, 2013, 2015… as if they were next to
    each other. Every year from the first to the last has its place; a year without a figure stays empty."""
    frame = idmc_new_displacements(loaded_sqlite_url, ("BLZ",))
    years = sorted(set(frame["year"].to_list()))
    every_year = list(range(years[0], years[-1] + 1))
    assert len(years) < len(every_year)  # the source skips years
    for lang in i18n.LANGS:
        spec = charts.idmc_flows(frame, lang).to_dict()
        assert spec["encoding"]["x"]["scale"]["domain"] == every_year
        assert {row["year"] for row in embedded_rows(spec)} == set(years)  # nothing made up for the gaps


def axis_labels(chart, width: int = 600) -> list[list[str]]:
    """The labels of each axis the chart draws (vl-convert's SVG), axis by axis."""
    svg = vl_convert.vegalite_to_svg(chart.to_dict() | {"width": width})
    axes = re.findall(r'<g class="mark-text role-axis-label".*?</g>', svg, re.S)
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in re.findall(r"<text.*?</text>", axis)]
        for axis in axes
    ]


COMPACT_SUFFIXES = {"es": (" mil", " M"), "en": ("K", "M")}


def count_charts(loaded_sqlite_url, totals, latest, lang: str) -> dict:
    """Every chart whose axis counts people, places or commitments, with the data the pages give it."""
    reader = queries.Reader(loaded_sqlite_url)
    year = truth.latest_year()
    stocks = queries.idmc_idp_stocks(reader)
    data = briefing.FromReader(reader)
    return {
        "trend": charts.type_trend(metrics.protection_trend(totals, "asylum"), lang),
        "by_country": charts.protection_by_country(metrics.protection_by_country(latest, year), lang),
        "idps": charts.idp_comparison(metrics.idp_comparison(latest, stocks, year), lang),
        "idmc": charts.idmc_flows(idmc_new_displacements(loaded_sqlite_url, tuple(settings.MIRPS_COUNTRIES)), lang),
        "cities": briefing.slide(data, slides.Slide("cities"), lang, data.population_years()).chart,
    }


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_count_axis_ticks_a_few_round_values_in_one_unit_of_the_page_language(
    loaded_sqlite_url, totals, latest, lang
):
    """One axis read "800k" where another read "0,8M"; "3.5k" stood for 3,500; a slide's axis had ten ticks.
    Now each axis has at most six ticks, all in one unit (none, thousands or millions) written as the page's
    language abbreviates it (CLDR: "800 mil", "1,2 M"; "800K", "1.2M"), on screen and on a slide."""
    suffixes = COMPACT_SUFFIXES[lang]
    for name, chart in count_charts(loaded_sqlite_url, totals, latest, lang).items():
        for shown in (chart, briefing.on_slide(chart, frame_inside=False)):
            counts = [labels for labels in axis_labels(shown) if "0" in labels]
            assert counts, name
            for labels in counts:
                assert 2 <= len(labels) <= charts.MAX_TICKS + 1, (name, labels)
                assert len(set(labels)) == len(labels), (name, labels)
                units = {next((s for s in suffixes if label.endswith(s)), "") for label in labels if label != "0"}
                assert len(units) == 1, (name, labels)
                [unit] = units
                if not unit:  # whole numbers grouped as the language groups them
                    assert all(
                        label == i18n.number(int(label.replace(".", "").replace(",", "")), lang) for label in labels
                    ), (name, labels)
                assert not [
                    label for label in labels if re.search(r"\d[kKM]", label) and unit != suffixes[1] and lang == "es"
                ], (name, labels)


@pytest.mark.parametrize(
    ("largest", "lang", "labels"),
    [
        (823_000, "es", ["0", "0,2 M", "0,4 M", "0,6 M", "0,8 M", "1 M"]),
        (823_000, "en", ["0", "0.2M", "0.4M", "0.6M", "0.8M", "1M"]),
        (389_694, "es", ["0", "100 mil", "200 mil", "300 mil", "400 mil"]),
        (389_694, "en", ["0", "100K", "200K", "300K", "400K"]),
        (3_368, "es", ["0", "1.000", "2.000", "3.000", "4.000"]),
        (5, "en", ["0", "1", "2", "3", "4", "5"]),
    ],
)
def test_ticks_run_from_zero_past_the_largest_value_in_round_steps(largest, lang, labels):
    ticks = charts.count_ticks(largest)
    assert ticks[0] == 0 and ticks[-1] >= largest > ticks[-2]
    assert [label.replace("\xa0", " ") for label in charts.tick_labels(ticks, lang)] == labels


def test_an_indicator_trajectory_keeps_a_place_for_a_year_without_a_report():
    """Reports for 2020 and 2022 sat next to each other, as if a year apart."""
    values = pl.DataFrame({"period": [2020, 2022], "value": [54.0, 53.9]})
    chart = charts.indicator_trajectory(values, [(2019, 54.8), (2025, 70.0)], (2025, 70.0), "en", illustrative=False)
    spec = chart.to_dict()
    assert find(spec, "x")["scale"]["domain"] == list(range(2019, 2026))


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_rate_axis_ticks_round_numbers_without_needless_decimals(lang):
    """People hosted per 1,000 inhabitants: the axis read "0,0 10,0 20,0" while its bars read "45,3"."""
    frame = pl.DataFrame({"country_iso3": ["CRI", "PAN", "HND"], "value": [45.3, 13.9, 0.06]})
    for chart in (
        charts.public_indicator_ranking(frame, "per_1000", lang),
        charts.public_indicator_lines(frame.with_columns(pl.lit(2025).alias("year")), "per_1000", lang),
    ):
        ticks = next(labels for labels in axis_labels(chart) if "0" in labels)
        assert len(ticks) <= charts.MAX_TICKS + 1
        assert all(re.fullmatch(r"\d+", tick) for tick in ticks), ticks


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_states_names_at_the_end_of_their_lines_never_print_over_each_other(loaded_sqlite_url, lang):
    """People hosted per 1,000: five States end between 0 and 6, and their names at 2025 printed on one
    another ("Belice", "México", "Honduras"… as one smudge). Drawn with vl-convert, every name has its own line."""
    from mirps_dash import public_indicators

    table = public_indicators.compute(*queries.public_indicator_sources(queries.Reader(loaded_sqlite_url)))
    lines = public_indicators.lines(table, "host_per_1000")
    chart = charts.public_indicator_lines(lines, "per_1000", lang)
    svg = vl_convert.vegalite_to_svg(chart.to_dict() | {"width": 700})
    names = {i18n.country_name(code, lang) for code in settings.MIRPS_COUNTRIES}
    found = []
    for match in re.finditer(r'<text[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*>([^<]+)</text>', svg):
        if match[3] in names:
            found.append((float(match[2]), match[3]))
    assert {name for _, name in found} == names  # every State named once
    heights = sorted(y for y, _ in found)
    assert all(lower - upper >= charts.FONT_SIZE - 1 for upper, lower in itertools.pairwise(heights)), found


def test_names_at_the_end_of_lines_keep_their_order_and_stay_at_their_line_where_there_is_room():
    assert charts.spread_labels([], 200, 100) == []
    assert charts.spread_labels([0.0, 50.0, 100.0], 200, 100) == [0.0, 50.0, 100.0]
    placed = charts.spread_labels([0.1, 0.2, 0.3, 45.0], 200, 50, gap_px=14)
    gap = 14 / 200 * 50
    assert placed[0] == 0.1 and placed[-1] == 45.0
    assert all(b - a >= gap - 1e-9 for a, b in itertools.pairwise(placed))
