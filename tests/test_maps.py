"""Map specs: the cities deck through `deck.to_json()` (offline base, layers, one point per city, colours,
tooltips), the Altair cities map, choropleth and flows through their Vega-Lite spec (validated by
`to_dict()`)."""

from __future__ import annotations

import json
import math

import polars as pl
import pytest

from mirps_dash import charts, i18n, maps, queries, schema, settings
from tests import truth
from tests.conftest import open_page, shown_table

YEAR = 2025


def spec(deck) -> dict:
    return json.loads(deck.to_json())


def layer(deck_spec: dict, layer_id: str) -> dict:
    return next(item for item in deck_spec["layers"] if item["id"] == layer_id)


def vega(chart) -> dict:
    """The chart's Vega-Lite spec, validated against the schema."""
    return chart.to_dict()


def marks(chart_spec: dict) -> list[str]:
    units = chart_spec.get("layer", [chart_spec])
    return [unit["mark"]["type"] if isinstance(unit["mark"], dict) else unit["mark"] for unit in units]


def rows(chart_spec: dict, mark: str) -> list[dict]:
    """The data drawn by the chart's (first) layer of that mark."""
    unit = next(u for u in chart_spec.get("layer", [chart_spec]) if marks(u) == [mark])
    data = unit["data"]
    return data["values"] if "values" in data else chart_spec["datasets"][data["name"]]


def fitted(chart_spec: dict) -> tuple[float, float, float, float]:
    """(west, south, east, north) of what the map's projection is fitted to."""
    (west, south), (east, north) = chart_spec["projection"]["fit"]["geometry"]["coordinates"]
    return west, south, east, north


def contains(box: tuple[float, float, float, float], lon: float, lat: float) -> bool:
    west, south, east, north = box
    return west < lon < east and south < lat < north


def grouped(value: int, lang: str) -> str:
    """Digits grouped as each language writes them, without babel: the oracle for i18n.number."""
    return f"{value:,}".replace(",", "." if lang == "es" else ",")


@pytest.fixture(scope="module")
def cities(loaded_sqlite_url) -> pl.DataFrame:
    return queries.cities(queries.Reader(loaded_sqlite_url))


@pytest.fixture(scope="module")
def csv_cities() -> dict[str, dict[str, str]]:
    return {row["city"]: row for row in truth.rows("cities_of_solidarity.csv")}


@pytest.fixture(scope="module")
def pairs() -> pl.DataFrame:
    return pl.read_csv(settings.DATA_DIR / "unhcr_population_pairs.csv")


@pytest.fixture(scope="module")
def honduran_refugees(pairs) -> pl.DataFrame:
    return pairs.filter(pl.col("year") == YEAR, pl.col("origin_iso3") == "HND", pl.col("population_type") == "refugees")


@pytest.fixture(scope="module")
def into_costa_rica(pairs) -> pl.DataFrame:
    """Everyone hosted in Costa Rica by origin, all types summed: includes UNHCR's UNK and XXA."""
    return (
        pairs.filter(pl.col("year") == YEAR, pl.col("asylum_iso3") == "CRI")
        .group_by("origin_iso3", "asylum_iso3")
        .agg(pl.col("value").sum())
    )


@pytest.fixture(scope="module")
def americas_codes() -> set[str]:
    """ISO3 codes of the outlines file, read straight from it (not through maps)."""
    geojson = json.loads((settings.DATA_DIR / "americas_ne110m.geojson").read_text(encoding="utf-8"))
    return {feature["properties"]["iso_a3"] for feature in geojson["features"]}


def altair_maps(honduran_refugees, lang: str = "es") -> dict:
    values = honduran_refugees.select(pl.col("asylum_iso3").alias("country_iso3"), "value")
    return {"flows": maps.flows_map(honduran_refugees, lang), "choropleth": maps.choropleth_map(values, lang)}


# -- offline ---------------------------------------------------------------------------------------------


def test_offline_cities_deck_asks_for_no_tiles(cities):
    deck = maps.cities_deck(cities, "es")
    text = deck.to_json()
    data = json.loads(text)
    assert deck.map_provider is None
    assert "mapProvider" not in data
    # Streamlit draws a Carto base map when mapStyle is missing (that is what map_style=None gives);
    # pydeck's untouched placeholder is the value Streamlit reads as "no base map".
    assert data["mapStyle"] == "__MAP_STYLE__"
    for word in ("http", "mapbox", "carto", "tile"):
        assert word not in text.lower()


@pytest.mark.parametrize("kind", ["flows", "choropleth"])
def test_altair_maps_draw_the_shipped_outlines_and_fetch_nothing(honduran_refugees, americas_codes, kind):
    data = vega(altair_maps(honduran_refugees)[kind])
    assert "url" not in json.dumps([unit.get("data") for unit in data.get("layer", [data])])
    text = json.dumps({key: value for key, value in data.items() if key != "$schema"}).lower()
    assert not [word for word in ("http", "mapbox", "carto", "tile") if word in text]
    assert marks(data)[0] == "geoshape"
    drawn = {row["country_iso3"] for row in rows(data, "geoshape")}
    assert truth.MIRPS | {"USA", "COL", "CUB"} <= drawn <= americas_codes
    assert data["projection"]["type"] == "mercator"


def test_a_ring_is_cut_at_the_edge_of_the_box_and_stays_closed():
    square = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    half = maps._clip_ring(square, (2, -1, 10, 10))  # the box takes the square's right half
    assert half[0] == half[-1]
    assert {tuple(point) for point in half} == {(2, 0), (4, 0), (4, 4), (2, 4)}
    assert maps._clip_ring(square, (-1, -1, 5, 5)) == square  # wholly inside: unchanged
    assert maps._clip_ring(square, (5, 5, 6, 6)) == []  # wholly outside: nothing


def test_land_far_outside_the_view_is_cut_and_the_mirps_states_are_whole(honduran_refugees):
    """A map's outlines stop where nothing can be seen (Streamlit handles its data on every run): the
    choropleth has no Argentina and no Arctic, while the seven states keep every point of the file."""
    values = honduran_refugees.select(pl.col("asylum_iso3").alias("country_iso3"), "value")
    shapes = rows(vega(maps.choropleth_map(values, "en")), "geoshape")
    codes = {row["country_iso3"] for row in shapes}
    assert not codes & {"ARG", "CHL", "URY", "GRL"}
    rings = [ring for row in shapes for polygon in row["geometry"]["coordinates"] for ring in polygon]
    latitudes = [lat for ring in rings for _, lat in ring]
    assert max(latitudes) < 60 and min(latitudes) > -20
    assert all(ring[0] == ring[-1] and len(ring) >= 4 for ring in rings)
    source = {feature["properties"]["iso_a3"]: feature["geometry"] for feature in maps.outlines()["features"]}
    for row in shapes:
        if row["country_iso3"] in truth.MIRPS:
            kept = sum(len(ring) for polygon in row["geometry"]["coordinates"] for ring in polygon)
            whole = source[row["country_iso3"]]["coordinates"]
            nested = whole if source[row["country_iso3"]]["type"] == "MultiPolygon" else [whole]
            assert kept == sum(len(ring) for polygon in nested for ring in polygon), row["country_iso3"]


def test_online_base_map_is_an_explicit_choice(cities):
    data = spec(maps.cities_deck(cities, "es", online_base_map=True))
    assert data["mapProvider"] == "carto"
    assert data["mapStyle"].startswith("https://basemaps.cartocdn.com/")
    fills = [f["properties"]["fill"] for f in layer(data, "outlines")["data"]["features"]]
    assert any(fill[3] == 0 for fill in fills), "outside the MIRPS states the tiles must show through"


def test_deck_json_is_compact_and_tooltip_reads_the_precomputed_text(cities):
    deck = maps.cities_deck(cities, "en")
    assert "\n  " not in deck.to_json()  # pydeck indents; five times the bytes on every rerun
    assert deck._tooltip["text"] == "{tooltip}"  # Streamlit reads the tooltip from here, not from the JSON


def test_cities_layers_in_order_outlines_first(cities):
    data = spec(maps.cities_deck(cities, "es"))
    assert [(item["@@type"], item["id"]) for item in data["layers"]] == [
        ("GeoJsonLayer", "outlines"),
        ("ScatterplotLayer", "cities"),
        ("TextLayer", "city_groups"),  # a count by cities that share a dot
    ]
    assert layer(data, "outlines")["pickable"] is False
    assert data["layers"][1]["pickable"] is True


def test_altair_maps_layers_outlines_first_and_only_the_choropleth_is_clickable(honduran_refugees):
    drawn = {kind: vega(chart) for kind, chart in altair_maps(honduran_refugees).items()}
    assert marks(drawn["flows"]) == ["geoshape", "line", "circle"]
    assert marks(drawn["choropleth"]) == ["geoshape"]
    assert "params" not in json.dumps(drawn["flows"]["layer"])
    [selection] = drawn["choropleth"]["params"]
    assert selection["name"] == charts.SELECTION  # the pages read a click on the map as on a bar
    assert selection["select"] == {"type": "point", "fields": ["country_iso3"]}


def outline_styles(rows_drawn: list[dict]) -> tuple[dict, list[dict]]:
    mirps = {row["country_iso3"]: row for row in rows_drawn if row["country_iso3"] in truth.MIRPS}
    return mirps, [row for row in rows_drawn if row["country_iso3"] not in truth.MIRPS]


def test_outlines_cover_the_americas_and_highlight_the_mirps_states(cities, honduran_refugees, americas_codes):
    features = layer(spec(maps.cities_deck(cities, "en")), "outlines")["data"]["features"]
    assert {f["properties"]["iso_a3"] for f in features} == americas_codes
    mirps = {f["properties"]["iso_a3"]: f["properties"] for f in features if f["properties"]["iso_a3"] in truth.MIRPS}
    assert set(mirps) == truth.MIRPS
    others = [f["properties"] for f in features if f["properties"]["iso_a3"] not in truth.MIRPS]
    assert {tuple(p["fill"]) for p in mirps.values()} == {tuple(maps.rgb(maps.MIRPS_COLOUR))}
    assert {tuple(p["fill"]) for p in others} == {tuple(maps.rgb(maps.LAND_COLOUR))}
    assert all(p["line"] == maps.rgb(maps.MIRPS_LINE) for p in mirps.values())
    assert min(p["line_width"] for p in mirps.values()) > max(p["line_width"] for p in others)
    # the same look on the Altair flows map
    mirps, others = outline_styles(rows(vega(maps.flows_map(honduran_refugees, "en")), "geoshape"))
    assert set(mirps) == truth.MIRPS
    assert {row["fill"] for row in mirps.values()} == {maps.MIRPS_COLOUR}
    assert {row["fill"] for row in others} == {maps.LAND_COLOUR}
    assert {row["stroke"] for row in mirps.values()} == {maps.MIRPS_LINE}
    assert min(row["stroke_width"] for row in mirps.values()) > max(row["stroke_width"] for row in others)
    assert all(row["tooltip"] is None for row in [*mirps.values(), *others])  # the flows answer, not the land


def test_string_options_are_strings_not_expressions(cities):
    """pydeck makes "pixels" the JavaScript expression "@@=pixels" (undefined): units must arrive as words."""
    data = spec(maps.cities_deck(cities, "en"))
    points = layer(data, "cities")
    assert points["radiusUnits"] == points["lineWidthUnits"] == "pixels"
    assert layer(data, "outlines")["lineWidthUnits"] == "pixels"
    assert points["getFillColor"] == "@@=fill"  # a column name is meant as an accessor


# -- centroids and views ------------------------------------------------------------------------------------


def test_centroids_of_the_mirps_states_lie_inside_them():
    centroids = maps.country_centroids(maps.outlines())
    assert set(centroids) >= truth.MIRPS
    lon, lat = centroids["HND"]
    assert -89.5 < lon < -83 and 12.9 < lat < 16.5
    lon, lat = centroids["SLV"]
    assert -90.2 < lon < -87.6 and 13.1 < lat < 14.5
    lon, lat = centroids["BLZ"]
    assert -89.3 < lon < -87.4 and 15.8 < lat < 18.6
    lon, lat = centroids["USA"]  # the largest polygon: the contiguous states, not Alaska
    assert -105 < lon < -90 and 35 < lat < 43


def test_centroid_is_area_weighted_on_the_largest_polygon_and_minus_99_is_skipped():
    big = [[[0, 0], [4, 0], [4, 2], [0, 2], [0, 0]]]
    small = [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]]
    triangle = [[[0, 0], [3, 0], [0, 3], [0, 0]]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"properties": {"iso_a3": "AAA"}, "geometry": {"type": "MultiPolygon", "coordinates": [small, big]}},
            {"properties": {"iso_a3": "BBB"}, "geometry": {"type": "Polygon", "coordinates": triangle}},
            {"properties": {"iso_a3": "-99"}, "geometry": {"type": "Polygon", "coordinates": big}},
        ],
    }
    centroids = maps.country_centroids(geojson)
    assert set(centroids) == {"AAA", "BBB"}
    assert centroids["AAA"] == pytest.approx((2.0, 1.0))
    assert centroids["BBB"] == pytest.approx((1.0, 1.0))


def test_outlines_are_read_once():
    assert maps.outlines() is maps.outlines()


def visible_box(view: dict) -> tuple[float, float, float, float]:
    """What the assumed 700x500 viewport shows around a view (deck.gl's world is 512 * 2**zoom px wide)."""
    scale = 512 * 2 ** view["zoom"]
    half_lon = maps.VIEW_WIDTH_PIXELS / 2 * 360 / scale
    y = math.log(math.tan(math.pi / 4 + math.radians(view["latitude"]) / 2))
    half_y = maps.VIEW_HEIGHT_PIXELS / 2 * 2 * math.pi / scale

    def lat(value):
        return math.degrees(2 * math.atan(math.exp(value)) - math.pi / 2)

    return view["longitude"] - half_lon, lat(y - half_y), view["longitude"] + half_lon, lat(y + half_y)


def test_region_view_shows_every_city_and_all_seven_states(cities):
    view = spec(maps.cities_deck(cities, "en"))["initialViewState"]
    west, south, east, north = visible_box(view)
    for row in cities.iter_rows(named=True):  # Tijuana in the far north-west included
        assert west < row["lon"] < east and south < row["lat"] < north, row["city"]
    assert west < -117.1 and east > -77.2 and south < 7.2 and north > 32.7  # Baja California to Darién
    assert view["zoom"] > 3.2, "zoomed out so far that Belize and El Salvador shrink to a few pixels"


def test_selected_country_centres_on_it_closer_in_and_marks_its_outline(cities):
    region = spec(maps.cities_deck(cities, "en"))
    data = spec(maps.cities_deck(cities, "en", selected_country="SLV"))
    view = data["initialViewState"]
    lon, lat = maps.country_centroids(maps.outlines())["SLV"]
    assert abs(view["longitude"] - lon) < 0.5 and abs(view["latitude"] - lat) < 0.5
    assert view["zoom"] > region["initialViewState"]["zoom"] + 2
    widths = {
        f["properties"]["iso_a3"]: f["properties"]["line_width"] for f in layer(data, "outlines")["data"]["features"]
    }
    assert widths["SLV"] > widths["HND"]


# -- cities -------------------------------------------------------------------------------------------------


def test_one_point_per_city(cities, csv_cities):
    points = layer(spec(maps.cities_deck(cities, "es")), "cities")["data"]
    assert len(points) == cities.height == len(csv_cities)
    assert sorted(p["city"] for p in points) == sorted(csv_cities)
    for point in points:
        row = csv_cities[point["city"]]
        assert (point["lon"], point["lat"]) == (float(row["lon"]), float(row["lat"]))


def test_every_status_has_a_colour_and_both_labels():
    assert set(maps.STATUS_COLOURS) == set(schema.CITY_STATUSES)
    assert len(set(maps.STATUS_COLOURS.values())) == len(maps.STATUS_COLOURS)
    for lang in i18n.LANGS:
        labels = [label for label, _ in maps.status_legend(lang)]
        assert len(set(labels)) == len(labels) == len(schema.CITY_STATUSES)
    assert maps.status_legend("es") != maps.status_legend("en")


def test_points_are_coloured_by_status(cities, csv_cities):
    points = layer(spec(maps.cities_deck(cities, "en")), "cities")["data"]
    for point in points:
        status = csv_cities[point["city"]]["status"]
        assert point["fill"] == maps.rgb(maps.STATUS_COLOURS[status])
    assert {tuple(p["fill"]) for p in points} == {
        tuple(maps.rgb(maps.STATUS_COLOURS[s])) for s in ("recognized", "agreement_to_implement", "in_progress")
    }


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_city_tooltip_in_each_language(cities, csv_cities, lang):
    points = {p["city"]: p for p in layer(spec(maps.cities_deck(cities, lang)), "cities")["data"]}
    tegucigalpa = points["Tegucigalpa"]["tooltip"]
    population = int(csv_cities["Tegucigalpa"]["population"])
    assert grouped(population, lang) in tegucigalpa
    assert {"es": "850.848", "en": "850,848"}[lang] in tegucigalpa  # the CSV's value today, spelled out once
    assert i18n.t("status_recognized", lang) in tegucigalpa
    assert csv_cities["Tegucigalpa"]["status_date"] == ""
    assert f"{i18n.t('no_data', lang)}\n" in tegucigalpa  # no date reported: "no data", never a made-up date
    tijuana = points["Tijuana"]["tooltip"]
    assert i18n.t("status_agreement_to_implement", lang) in tijuana
    assert "2025" in tijuana and i18n.t("no_data", lang) not in tijuana
    assert grouped(int(csv_cities["Tijuana"]["population"]), lang) in tijuana


def test_city_without_population_says_no_data_and_keeps_the_smallest_size(cities):
    frame = cities.with_columns(
        pl.when(pl.col("city") == "Flores").then(None).otherwise(pl.col("population")).alias("population")
    )
    points = {p["city"]: p for p in layer(spec(maps.cities_deck(frame, "es")), "cities")["data"]}
    assert points["Flores"]["tooltip"].endswith(i18n.t("no_data", "es"))
    assert points["Flores"]["radius"] == maps.CITY_MIN_PIXELS
    assert " 0" not in points["Flores"]["tooltip"]


def test_point_size_grows_with_population_with_a_clickable_minimum(cities):
    data = layer(spec(maps.cities_deck(cities, "en")), "cities")
    points = sorted(data["data"], key=lambda p: p["population"])
    radii = [p["radius"] for p in points]
    assert radii == sorted(radii) and radii[-1] > radii[0]
    assert min(radii) >= maps.CITY_MIN_PIXELS == data["radiusMinPixels"]
    mexico, tijuana = (next(p for p in points if p["city"] == c) for c in ("Ciudad de México", "Tijuana"))
    ratio = (mexico["radius"] / tijuana["radius"]) ** 2  # area, not radius, follows population
    assert ratio == pytest.approx(mexico["population"] / tijuana["population"], rel=0.01)
    # larger first, so small towns are drawn on top and stay clickable
    assert [p["population"] for p in data["data"]] == sorted((p["population"] for p in points), reverse=True)


# -- cities on the fixed map ------------------------------------------------------------------------------------


def fixed_points(chart) -> list[dict]:
    return rows(vega(chart), "circle")


def test_the_fixed_cities_map_draws_every_city_on_the_shipped_outlines_and_fetches_nothing(
    cities, csv_cities, americas_codes
):
    data = vega(maps.cities_map(cities, "en"))
    assert marks(data) == ["geoshape", "rule", "circle"]  # the rules join dots drawn apart to their places
    text = json.dumps({key: value for key, value in data.items() if key != "$schema"}).lower()
    assert not [word for word in ("http", "mapbox", "carto", "tile") if word in text]
    assert truth.MIRPS <= {row["country_iso3"] for row in rows(data, "geoshape")} <= americas_codes
    assert data["projection"]["type"] == "mercator"
    points = fixed_points(maps.cities_map(cities, "en"))
    assert sorted(point["city"] for point in points) == sorted(csv_cities)
    box = fitted(data)
    for point in points:
        row = csv_cities[point["city"]]
        assert (point["lon"], point["lat"]) == (float(row["lon"]), float(row["lat"]))
        assert contains(box, point["lon"], point["lat"]), point["city"]
    assert box[0] < -117.1 and box[2] > -77.2 and box[1] < 7.2 and box[3] > 32.7  # Baja California to Darién


def test_the_fixed_cities_map_colours_and_sizes_its_points_as_the_deck_does(cities, csv_cities):
    data = vega(maps.cities_map(cities, "en"))
    circle = next(unit for unit in data["layer"] if marks(unit) == ["circle"])
    colour = circle["encoding"]["color"]
    assert dict(zip(colour["scale"]["domain"], colour["scale"]["range"], strict=True)) == maps.STATUS_COLOURS
    deck = {p["city"]: p for p in layer(spec(maps.cities_deck(cities, "en")), "cities")["data"]}
    points = fixed_points(maps.cities_map(cities, "en"))
    for point in points:
        assert point["status_code"] == csv_cities[point["city"]]["status"]
        assert point["area"] == pytest.approx(math.pi * deck[point["city"]]["radius"] ** 2, abs=0.1)
    assert circle["encoding"]["size"]["scale"] is None  # the area in square pixels, as computed
    populations = [int(csv_cities[point["city"]]["population"]) for point in points]
    assert populations == sorted(populations, reverse=True), "a small town must be drawn over a big city"


def test_a_click_on_the_fixed_cities_map_selects_a_city_by_its_geonames_id(cities, csv_cities):
    data = vega(maps.cities_map(cities, "es"))
    circle = next(unit for unit in data["layer"] if marks(unit) == ["circle"])
    [selection] = data["params"]
    assert selection["name"] == maps.CITY_PICK
    assert selection["select"] == {"type": "point", "fields": ["geonameid"], "on": "click"}
    assert selection["views"] == [circle["name"]]  # the points answer a click; the land does not
    for point in fixed_points(maps.cities_map(cities, "es")):
        assert str(point["geonameid"]) == csv_cities[point["city"]]["geonameid"]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_fixed_cities_map_tooltip_in_each_language(cities, csv_cities, lang):
    data = vega(maps.cities_map(cities, lang))
    circle = next(unit for unit in data["layer"] if marks(unit) == ["circle"])
    titles = [item["title"] for item in circle["encoding"]["tooltip"]]
    assert titles == [i18n.t(f"col_{field}", lang) for field in ("city", "status", "date", "population")]
    points = {point["city"]: point for point in fixed_points(maps.cities_map(cities, lang))}
    tegucigalpa = points["Tegucigalpa"]
    assert tegucigalpa["status"] == i18n.t("status_recognized", lang)
    assert tegucigalpa["date"] == i18n.t("no_data", lang)  # none reported: never a made-up date
    assert tegucigalpa["population"] == grouped(int(csv_cities["Tegucigalpa"]["population"]), lang)
    assert points["Tijuana"]["status"] == i18n.t("status_agreement_to_implement", lang)
    assert "2025" in points["Tijuana"]["date"]


def test_the_fixed_cities_map_of_one_state_is_fitted_to_it_and_thickens_its_outline(cities):
    region = fitted(vega(maps.cities_map(cities, "en")))
    data = vega(maps.cities_map(cities, "en", selected_country="SLV"))
    box = fitted(data)
    assert contains(box, *maps.country_centroids(maps.outlines())["SLV"])
    assert (box[2] - box[0]) * 4 < region[2] - region[0], "not closer in than the region"
    widths = {row["country_iso3"]: row["stroke_width"] for row in rows(data, "geoshape")}
    assert widths["SLV"] == maps.HIGHLIGHT_LINE_PIXELS > widths["HND"]
    assert maps.HIGHLIGHT_LINE_PIXELS not in {
        row["stroke_width"] for row in rows(vega(maps.cities_map(cities, "en")), "geoshape")
    }


def test_the_fixed_cities_map_with_no_city_still_draws_the_land(cities):
    data = vega(maps.cities_map(cities.clear(), "en"))
    assert fixed_points(maps.cities_map(cities.clear(), "en")) == []
    assert {row["country_iso3"] for row in rows(data, "geoshape")} >= truth.MIRPS


# -- flows ----------------------------------------------------------------------------------------------------


def curves(chart) -> dict[tuple[str, str], list[dict]]:
    """The flows map's curves: (origin, asylum) -> its points in order."""
    found = {}
    for row in rows(vega(chart), "line"):
        found.setdefault(tuple(row["pair"].split("-")), []).append(row)
    return {pair: sorted(points, key=lambda p: p["step"]) for pair, points in found.items()}


def test_one_curve_per_pair_with_a_place_on_the_map(honduran_refugees, americas_codes):
    drawn = curves(maps.flows_map(honduran_refugees, "es"))
    on_map = honduran_refugees.filter(pl.col("asylum_iso3").is_in(americas_codes))
    assert 0 < len(drawn) == on_map.height < honduran_refugees.height
    assert {asylum for _, asylum in drawn} == set(on_map["asylum_iso3"].to_list())
    centroids = maps.country_centroids(maps.outlines())
    for (origin, asylum), points in drawn.items():
        assert origin == "HND"
        assert (points[0]["lon"], points[0]["lat"]) == pytest.approx(centroids["HND"], abs=1e-3)
        assert (points[-1]["lon"], points[-1]["lat"]) == pytest.approx(centroids[asylum], abs=1e-3)
    off_map = set(honduran_refugees["asylum_iso3"].to_list()) - americas_codes
    assert off_map and maps.flows_without_centroid(honduran_refugees) == sorted(off_map)


def test_both_ends_are_marked_in_the_role_colours(honduran_refugees):
    data = vega(maps.flows_map(honduran_refugees, "es"))
    ends = {(row["end"], row["tooltip"]) for row in rows(data, "circle")}
    assert ("origin", "Honduras") in ends and ("asylum", "Estados Unidos") in ends
    [dots] = [unit for unit in data["layer"] if marks(unit) == ["circle"]]
    scale = dots["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "origin": charts.ROLE_COLOURS["origin"],
        "asylum": charts.ROLE_COLOURS["asylum"],
    }


def test_curves_bow_so_opposite_flows_stay_apart():
    frame = pl.DataFrame({"origin_iso3": ["HND", "MEX"], "asylum_iso3": ["MEX", "HND"], "value": [10, 20]})
    drawn = curves(maps.flows_map(frame, "en"))
    there, back = drawn[("HND", "MEX")], drawn[("MEX", "HND")]
    middle = len(there) // 2
    assert (there[middle]["lon"], there[middle]["lat"]) != pytest.approx((back[middle]["lon"], back[middle]["lat"]))


def test_the_view_is_fitted_to_every_flow_and_to_the_region_without_any(honduran_refugees):
    data = vega(maps.flows_map(honduran_refugees, "en"))
    box = fitted(data)
    assert all(contains(box, row["lon"], row["lat"]) for row in rows(data, "line"))
    empty = pl.DataFrame({"origin_iso3": ["HND"], "asylum_iso3": ["HND"], "value": [5]})
    nothing = vega(maps.flows_map(empty, "en"))
    assert marks(nothing) == ["geoshape"]
    assert fitted(nothing) == fitted(vega(maps.choropleth_map(empty.rename({"origin_iso3": "country_iso3"}), "en")))


def test_curve_widths_grow_with_value(honduran_refugees):
    drawn = curves(maps.flows_map(honduran_refugees, "en"))
    value = {row["asylum_iso3"]: row["value"] for row in honduran_refugees.to_dicts()}
    widths = [points[0]["width"] for _, points in sorted(drawn.items(), key=lambda item: value[item[0][1]])]
    assert widths == sorted(widths)
    assert widths[0] >= maps.ARC_MIN_PIXELS and widths[-1] == maps.ARC_MAX_PIXELS
    assert widths[0] < widths[-1]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_flow_tooltip_names_both_countries_and_the_csv_value(honduran_refugees, lang):
    drawn = curves(maps.flows_map(honduran_refugees, lang))
    to_usa = honduran_refugees.filter(pl.col("asylum_iso3") == "USA")["value"].item()
    tooltips = {point["tooltip"] for point in drawn[("HND", "USA")]}
    assert len(tooltips) == 1
    [tooltip] = tooltips
    assert tooltip.startswith({"es": "Honduras → Estados Unidos: ", "en": "Honduras → United States: "}[lang])
    assert grouped(to_usa, lang) in tooltip


def test_unknown_origins_are_left_out_and_reported(into_costa_rica, americas_codes):
    drawn = curves(maps.flows_map(into_costa_rica, "es"))
    missing = maps.flows_without_centroid(into_costa_rica)
    assert {"UNK", "XXA"} <= set(missing)
    assert not {origin for origin, _ in drawn} & set(missing)
    expected = into_costa_rica.filter(pl.col("origin_iso3").is_in(americas_codes), pl.col("origin_iso3") != "CRI")
    assert len(drawn) == expected.height > 0


def test_flows_without_value_or_within_a_country_draw_no_curve():
    frame = pl.DataFrame(
        {
            "origin_iso3": ["HND", "HND", "SLV", "GTM"],
            "asylum_iso3": ["MEX", "HND", "CRI", "PAN"],
            "value": [10, 500, None, 0],
        }
    )
    assert list(curves(maps.flows_map(frame, "en"))) == [("HND", "MEX")]
    assert maps.flows_without_centroid(frame) == []


# -- choropleth -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hosted(pairs) -> pl.DataFrame:
    """People hosted per MIRPS country in 2025, El Salvador left out so it has no value."""
    return (
        pairs.filter(pl.col("year") == YEAR, pl.col("asylum_iso3").is_in(sorted(truth.MIRPS - {"SLV"})))
        .group_by(pl.col("asylum_iso3").alias("country_iso3"))
        .agg(pl.col("value").sum())
    )


def choropleth_rows(values: pl.DataFrame, lang: str) -> dict[str, dict]:
    return {row["country_iso3"]: row for row in rows(vega(maps.choropleth_map(values, lang)), "geoshape")}


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_country_without_value_is_grey_and_says_no_data_never_zero(hosted, lang):
    by_code = choropleth_rows(hosted, lang)
    salvador = by_code["SLV"]
    assert salvador["fill"] == maps.NO_DATA_COLOUR
    assert salvador["tooltip"] == f"El Salvador: {i18n.t('no_data', lang)}"
    assert {"es": "sin datos", "en": "no data"}[lang] in salvador["tooltip"]
    assert "0" not in salvador["tooltip"]
    for code in truth.MIRPS - {"SLV"}:
        assert by_code[code]["fill"] not in (maps.NO_DATA_COLOUR, maps.MIRPS_COLOUR, maps.LAND_COLOUR)
        value = hosted.filter(pl.col("country_iso3") == code)["value"].item()
        assert by_code[code]["tooltip"].endswith(grouped(value, lang))
    outside = [row for code, row in by_code.items() if code not in truth.MIRPS]
    assert outside and all(row["fill"] == maps.LAND_COLOUR and row["tooltip"] is None for row in outside)


def test_choropleth_ramp_runs_light_to_dark_with_value(hosted):
    by_code = choropleth_rows(hosted, "en")
    value = dict(hosted.iter_rows())
    steps = [maps.CHOROPLETH_RAMP.index(by_code[code]["fill"]) for code in sorted(value, key=value.get)]
    assert steps == sorted(steps)
    assert steps[0] == 0 and steps[-1] == len(maps.CHOROPLETH_RAMP) - 1
    legend = maps.choropleth_legend(hosted, "en")
    assert legend[-1] == ("no data", maps.NO_DATA_COLOUR)
    assert [colour for _, colour in legend[:-1]] == [maps.CHOROPLETH_RAMP[i] for i in sorted(set(steps))]


def test_the_choropleth_shows_all_seven_states_baja_california_to_darien(hosted):
    box = fitted(vega(maps.choropleth_map(hosted, "en")))
    assert contains(box, -117.1, 32.7) and contains(box, -77.2, 7.2)
    centroids = maps.country_centroids(maps.outlines())
    assert all(contains(box, *centroids[code]) for code in truth.MIRPS)
    west, south, east, north = box
    assert east - west < 60 and north - south < 40, "zoomed out so far that Belize and El Salvador are specks"


def test_null_value_counts_as_no_data_and_duplicates_are_refused():
    values = pl.DataFrame({"country_iso3": ["HND", "GTM"], "value": [1200, None]}, schema_overrides={"value": pl.Int64})
    by_code = choropleth_rows(values, "es")
    assert by_code["GTM"]["fill"] == maps.NO_DATA_COLOUR and by_code["GTM"]["tooltip"].endswith("sin datos")
    assert by_code["HND"]["fill"] == maps.CHOROPLETH_RAMP[0]
    with pytest.raises(ValueError, match="one row per country"):
        maps.choropleth_map(pl.DataFrame({"country_iso3": ["HND", "HND"], "value": [1, 2]}), "es")


def test_a_map_is_remembered_by_content(honduran_refugees, cities):
    import pydeck

    first, same, other = (maps.flows_map(honduran_refugees.clone(), lang) for lang in ("en", "en", "es"))
    assert first is same and first is not other  # the same content hands back the same chart
    fixed, fixed_again = (maps.cities_map(cities.clone(), "en") for _ in range(2))
    assert fixed is fixed_again
    deck, again, spanish = (maps.cities_deck(cities.clone(), lang) for lang in ("en", "en", "es"))
    assert deck is again and deck is not spanish
    assert deck.to_json() is again.to_json()  # the deck's JSON is made once
    assert deck.to_json() != spanish.to_json()
    # what is remembered is what pydeck itself would say, without its indentation
    assert json.loads(spanish.to_json()) == json.loads(pydeck.Deck.to_json(spanish))
    assert "\n" not in spanish.to_json()


# -- figures that must not mislead --------------------------------------------------------------------------


def americas_by_time_zone(iso3: str) -> bool | None:
    """Whether CLDR places the territory in the Americas (a time zone "America/…"), None if CLDR does not know
    the code: an oracle independent of the map's own list."""
    from babel import core

    iso2 = (core.get_global("territory_aliases").get(iso3) or [None])[0]
    zones = core.get_global("territory_zones").get(iso2) if iso2 else None
    return None if not zones else any(zone.startswith("America/") for zone in zones)


@pytest.fixture(scope="module")
def every_origin(pairs) -> pl.DataFrame:
    """Every origin UNHCR reports with a MIRPS asylum, all years and types summed: Caribbean islands too."""
    return (
        pairs.filter(pl.col("asylum_iso3").is_in(sorted(truth.MIRPS)))
        .group_by("origin_iso3", "asylum_iso3")
        .agg(pl.col("value").sum())
    )


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_flows_note_says_why_each_place_is_off_the_map(every_origin, americas_codes, lang):
    """The note said places in the Caribbean (Dominica, Saint Lucia, Guadeloupe) had "no place in the
    Americas": they are in the Americas, but the map's 1:110m outlines draw no shape of their own for them."""
    left_out = maps.flows_off_map(every_origin)
    codes = set(every_origin["origin_iso3"].to_list()) | set(every_origin["asylum_iso3"].to_list())
    assert sorted(code for codes_ in left_out.values() for code in codes_) == sorted(codes - americas_codes)
    for code in left_out["outside_americas"]:
        assert americas_by_time_zone(code) is False, code
    assert left_out["no_outline"], "the data holds Caribbean origins the outlines do not draw"
    for code in left_out["no_outline"]:
        assert americas_by_time_zone(code) is True, code
    assert set(left_out["no_country"]) == {"UNK", "XXA"}
    note = maps.flows_off_map_note(every_origin, lang)
    for reason, found in left_out.items():
        assert i18n.t(f"flows_off_map_{reason}", lang, places=i18n.country_names(found, lang)) in note
    assert i18n.country_name("DMA", lang) not in i18n.t(
        "flows_off_map_outside_americas", lang, places=i18n.country_names(left_out["outside_americas"], lang)
    )
    assert maps.flows_off_map_note(every_origin.filter(pl.col("origin_iso3") == "HND"), lang) is None


def dot_gap(a: tuple[float, float], b: tuple[float, float], pixels_per_degree: float) -> float:
    """Pixels between two points on a Mercator map of that scale (the test's own projection)."""

    def xy(lon, lat):
        y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
        return lon * pixels_per_degree, y * pixels_per_degree

    (x0, y0), (x1, y1) = xy(*a), xy(*b)
    return math.hypot(x1 - x0, y1 - y0)


def test_points_whose_dots_would_touch_are_spread_around_their_middle_and_the_rest_stay():
    scale = 20.0  # pixels per degree
    points = [(-89.90, 16.92, 5), (-89.92, 16.92, 5), (-89.91, 16.93, 5), (-80.0, 10.0, 8)]
    drawn = maps.spread(points, scale)
    assert drawn[3] == (points[3][0], points[3][1])  # alone: where it is
    for i in range(3):
        for j in range(i + 1, 3):
            assert dot_gap(drawn[i], drawn[j], scale) >= 10 + maps.CITY_GAP_PIXELS - 0.01
    middle = (sum(p[0] for p in points[:3]) / 3, sum(p[1] for p in points[:3]) / 3)
    assert all(dot_gap(point, middle, scale) < 20 for point in drawn[:3])  # nearby, not far away
    assert drawn[0][0] > drawn[1][0]  # each keeps its side: the eastern one stays east,
    assert drawn[2][1] > max(drawn[0][1], drawn[1][1])  # the northern one north
    assert maps.spread(points, scale) == drawn  # the same every time


def drawn_points(chart) -> dict[str, dict]:
    return {point["city"]: point for point in fixed_points(chart)}


def test_cities_a_few_km_apart_are_drawn_apart_with_a_line_to_each_true_place(cities, csv_cities):
    """Flores and San Benito (Petén) are 2 km apart: at the region's scale they drew as one dot."""
    chart = maps.cities_map(cities, "en")
    data = vega(chart)
    scale = maps.NARROWEST_MAP_PIXELS / (fitted(data)[2] - fitted(data)[0])  # at least this many pixels a degree
    points = drawn_points(chart)
    circle = next(unit for unit in data["layer"] if marks(unit) == ["circle"])
    assert (circle["encoding"]["longitude"]["field"], circle["encoding"]["latitude"]["field"]) == ("x", "y")
    names = sorted(points)
    close = [
        (a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if dot_gap(*((float(csv_cities[c]["lon"]), float(csv_cities[c]["lat"])) for c in (a, b)), scale)
        < maps.city_radius(int(csv_cities[a]["population"])) + maps.city_radius(int(csv_cities[b]["population"]))
    ]
    assert ("Flores", "San Benito") in close
    for a, b in close:
        apart = dot_gap((points[a]["x"], points[a]["y"]), (points[b]["x"], points[b]["y"]), scale)
        assert apart >= math.sqrt(points[a]["area"] / math.pi) + math.sqrt(points[b]["area"] / math.pi), (a, b)
    lines = {row["city"]: row for row in rows(data, "rule")}
    moved = {city for city, point in points.items() if (point["x"], point["y"]) != (point["lon"], point["lat"])}
    assert {city for pair in close for city in pair} <= moved == set(lines)
    for city in moved:
        line = lines[city]
        assert (line["lon"], line["lat"]) == (float(csv_cities[city]["lon"]), float(csv_cities[city]["lat"]))
        assert (line["x"], line["y"]) == (points[city]["x"], points[city]["y"])
    assert maps.cities_drawn_apart(cities) == sorted(moved)


def test_the_zoomable_map_labels_cities_that_share_a_dot_at_its_first_zoom_with_their_count(cities):
    deck = spec(maps.cities_deck(cities, "es"))
    groups = layer(deck, "city_groups")
    assert groups["@@type"] == "TextLayer"
    labels = {row["text"]: row for row in groups["data"]}
    petén = next(row for row in groups["data"] if "Flores" in row["tooltip"])
    assert petén["text"] == "2" and "San Benito" in petén["tooltip"]
    assert "Tegucigalpa" not in " ".join(row["tooltip"] for row in labels.values())
    assert [item["id"] for item in deck["layers"]] == ["outlines", "cities", "city_groups"]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_choropleth_classes_have_round_bounds_and_say_which_values_they_hold(hosted, lang):
    """The legend read "510–711 | 2.183 | 5.674–64.109": the lowest and highest values of each class."""
    legend = maps.choropleth_legend(hosted, lang)[:-1]
    breaks = maps.class_breaks(hosted["value"].to_list())
    assert len(legend) == len(breaks) + 1 >= 3
    for bound in breaks:
        digits = f"{bound:.0f}".rstrip("0")
        assert len(digits) <= 1 or bound < 1, bound  # one significant digit: 1.000, 5.000, 300.000
    written = [i18n.number(bound, lang) for bound in breaks]
    assert legend[0][0] == i18n.t("class_below", lang, high=written[0])
    assert legend[-1][0] == i18n.t("class_above", lang, low=written[-1])
    for (label, _), low, high in zip(legend[1:-1], written[:-1], written[1:], strict=True):
        assert label == i18n.t("class_between", lang, low=low, high=high)
    by_code = choropleth_rows(hosted, lang)
    colours = [colour for _, colour in legend]
    for code, value in hosted.iter_rows():
        index = sum(value >= bound for bound in breaks)
        assert by_code[code]["fill"] == colours[index], code


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_cities_page_names_the_cities_drawn_apart_and_lists_each_with_its_status(app_database, cities, lang):
    app = open_page("pages/cities.py", lang=lang)
    assert not app.exception
    apart = maps.cities_drawn_apart(cities)
    assert {"Flores", "San Benito"} <= set(apart)
    expected = i18n.t("cities_drawn_apart", lang, cities=", ".join(apart))
    assert expected in [caption.value for caption in app.caption]
    table = {row[i18n.t("col_city", lang)]: row for row in shown_table(app, i18n.t("col_city", lang))}
    for city in apart:
        status = cities.filter(pl.col("city") == city)["status"].item()
        assert table[city][i18n.t("col_status", lang)] == i18n.t(f"status_{status}", lang)
