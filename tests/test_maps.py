"""Map specs through `deck.to_json()`: offline base, layers, one point per city, colours, tooltips, arcs."""

from __future__ import annotations

import json
import math

import polars as pl
import pytest

from mirps_dash import i18n, maps, queries, schema, settings
from tests import truth

YEAR = 2025


def spec(deck) -> dict:
    return json.loads(deck.to_json())


def layer(deck_spec: dict, layer_id: str) -> dict:
    return next(item for item in deck_spec["layers"] if item["id"] == layer_id)


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


def all_decks(cities, honduran_refugees, online: bool = False) -> dict:
    values = honduran_refugees.select(pl.col("asylum_iso3").alias("country_iso3"), "value")
    return {
        "cities": maps.cities_deck(cities, "es", online_base_map=online),
        "flows": maps.flows_deck(honduran_refugees, "es", online_base_map=online),
        "choropleth": maps.choropleth_deck(values, "es", online_base_map=online),
    }


# -- offline ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["cities", "flows", "choropleth"])
def test_offline_decks_ask_for_no_tiles(cities, honduran_refugees, kind):
    deck = all_decks(cities, honduran_refugees)[kind]
    text = deck.to_json()
    data = json.loads(text)
    assert deck.map_provider is None
    assert "mapProvider" not in data
    # Streamlit draws a Carto base map when mapStyle is missing (that is what map_style=None gives);
    # pydeck's untouched placeholder is the value Streamlit reads as "no base map".
    assert data["mapStyle"] == "__MAP_STYLE__"
    for word in ("http", "mapbox", "carto", "tile"):
        assert word not in text.lower()


def test_online_base_map_is_an_explicit_choice(cities, honduran_refugees):
    for deck in all_decks(cities, honduran_refugees, online=True).values():
        data = spec(deck)
        assert data["mapProvider"] == "carto"
        assert data["mapStyle"].startswith("https://basemaps.cartocdn.com/")
        fills = [f["properties"]["fill"] for f in layer(data, "outlines")["data"]["features"]]
        assert any(fill[3] == 0 for fill in fills), "outside the MIRPS states the tiles must show through"


def test_deck_json_is_compact_and_tooltip_reads_the_precomputed_text(cities):
    deck = maps.cities_deck(cities, "en")
    assert "\n  " not in deck.to_json()  # pydeck indents; five times the bytes on every rerun
    assert deck._tooltip["text"] == "{tooltip}"  # Streamlit reads the tooltip from here, not from the JSON


@pytest.mark.parametrize("kind", ["cities", "flows", "choropleth"])
def test_layers_in_order_outlines_first(cities, honduran_refugees, kind):
    data = spec(all_decks(cities, honduran_refugees)[kind])
    assert [(item["@@type"], item["id"]) for item in data["layers"]] == [
        ("GeoJsonLayer", "outlines"),
        {
            "cities": ("ScatterplotLayer", "cities"),
            "flows": ("ArcLayer", "flows"),
            "choropleth": ("GeoJsonLayer", "choropleth"),
        }[kind],
    ]
    assert layer(data, "outlines")["pickable"] is False
    assert data["layers"][1]["pickable"] is True


def test_outlines_cover_the_americas_and_highlight_the_mirps_states(cities, americas_codes):
    features = layer(spec(maps.cities_deck(cities, "en")), "outlines")["data"]["features"]
    assert {f["properties"]["iso_a3"] for f in features} == americas_codes
    mirps = {f["properties"]["iso_a3"]: f["properties"] for f in features if f["properties"]["iso_a3"] in truth.MIRPS}
    assert set(mirps) == truth.MIRPS
    others = [f["properties"] for f in features if f["properties"]["iso_a3"] not in truth.MIRPS]
    assert {tuple(p["fill"]) for p in mirps.values()} == {tuple(maps.rgb(maps.MIRPS_COLOUR))}
    assert {tuple(p["fill"]) for p in others} == {tuple(maps.rgb(maps.LAND_COLOUR))}
    assert all(p["line"] == maps.rgb(maps.MIRPS_LINE) for p in mirps.values())
    assert min(p["line_width"] for p in mirps.values()) > max(p["line_width"] for p in others)


def test_string_options_are_strings_not_expressions(cities, honduran_refugees):
    """pydeck makes "pixels" the JavaScript expression "@@=pixels" (undefined): units must arrive as words."""
    decks = all_decks(cities, honduran_refugees)
    points = layer(spec(decks["cities"]), "cities")
    arcs = layer(spec(decks["flows"]), "flows")
    assert points["radiusUnits"] == points["lineWidthUnits"] == arcs["widthUnits"] == "pixels"
    assert layer(spec(decks["cities"]), "outlines")["lineWidthUnits"] == "pixels"
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


# -- flows ----------------------------------------------------------------------------------------------------


def test_one_arc_per_pair_with_a_place_on_the_map(honduran_refugees, americas_codes):
    arcs = layer(spec(maps.flows_deck(honduran_refugees, "es")), "flows")["data"]
    on_map = honduran_refugees.filter(pl.col("asylum_iso3").is_in(americas_codes))
    assert 0 < len(arcs) == on_map.height < honduran_refugees.height
    assert {a["asylum_iso3"] for a in arcs} == set(on_map["asylum_iso3"].to_list())
    assert sum(a["value"] for a in arcs) == on_map["value"].sum()
    centroids = maps.country_centroids(maps.outlines())
    for arc in arcs:
        assert arc["source"] == list(centroids["HND"])
        assert arc["target"] == list(centroids[arc["asylum_iso3"]])
    off_map = set(honduran_refugees["asylum_iso3"].to_list()) - americas_codes
    assert off_map and maps.flows_without_centroid(honduran_refugees) == sorted(off_map)


def test_arc_widths_grow_with_value(honduran_refugees):
    arcs = layer(spec(maps.flows_deck(honduran_refugees, "en")), "flows")["data"]
    by_value = sorted(arcs, key=lambda a: a["value"])
    widths = [a["width"] for a in by_value]
    assert widths == sorted(widths)
    assert widths[0] >= maps.ARC_MIN_PIXELS and widths[-1] == maps.ARC_MAX_PIXELS
    assert len({a["value"] for a in arcs}) > 1 and widths[0] < widths[-1]


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_flow_tooltip_names_both_countries_and_the_csv_value(honduran_refugees, lang):
    arcs = {a["asylum_iso3"]: a for a in layer(spec(maps.flows_deck(honduran_refugees, lang)), "flows")["data"]}
    to_usa = honduran_refugees.filter(pl.col("asylum_iso3") == "USA")["value"].item()
    tooltip = arcs["USA"]["tooltip"]
    assert tooltip.startswith({"es": "Honduras → Estados Unidos: ", "en": "Honduras → United States: "}[lang])
    assert grouped(to_usa, lang) in tooltip


def test_unknown_origins_are_left_out_and_reported(into_costa_rica, americas_codes):
    arcs = layer(spec(maps.flows_deck(into_costa_rica, "es")), "flows")["data"]
    missing = maps.flows_without_centroid(into_costa_rica)
    assert {"UNK", "XXA"} <= set(missing)
    assert not {a["origin_iso3"] for a in arcs} & set(missing)
    expected = into_costa_rica.filter(pl.col("origin_iso3").is_in(americas_codes), pl.col("origin_iso3") != "CRI")
    assert len(arcs) == expected.height > 0


def test_flows_without_value_or_within_a_country_draw_no_arc():
    frame = pl.DataFrame(
        {
            "origin_iso3": ["HND", "HND", "SLV", "GTM"],
            "asylum_iso3": ["MEX", "HND", "CRI", "PAN"],
            "value": [10, 500, None, 0],
        }
    )
    arcs = layer(spec(maps.flows_deck(frame, "en")), "flows")["data"]
    assert [(a["origin_iso3"], a["asylum_iso3"]) for a in arcs] == [("HND", "MEX")]
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


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_country_without_value_is_grey_and_says_no_data_never_zero(hosted, lang):
    features = layer(spec(maps.choropleth_deck(hosted, lang)), "choropleth")["data"]["features"]
    by_code = {f["properties"]["iso_a3"]: f["properties"] for f in features}
    assert set(by_code) == truth.MIRPS
    salvador = by_code["SLV"]
    assert salvador["fill"] == maps.rgb(maps.NO_DATA_COLOUR)
    assert salvador["value"] is None
    assert salvador["tooltip"] == f"El Salvador: {i18n.t('no_data', lang)}"
    assert {"es": "sin datos", "en": "no data"}[lang] in salvador["tooltip"]
    assert "0" not in salvador["tooltip"]
    for code in truth.MIRPS - {"SLV"}:
        assert by_code[code]["fill"] != maps.rgb(maps.NO_DATA_COLOUR)
        value = hosted.filter(pl.col("country_iso3") == code)["value"].item()
        assert by_code[code]["tooltip"].endswith(grouped(value, lang))


def test_choropleth_ramp_runs_light_to_dark_with_value(hosted):
    features = layer(spec(maps.choropleth_deck(hosted, "en")), "choropleth")["data"]["features"]
    ramp = [maps.rgb(colour) for colour in maps.CHOROPLETH_RAMP]
    valued = sorted(
        (f["properties"] for f in features if f["properties"]["value"] is not None), key=lambda p: p["value"]
    )
    steps = [ramp.index(p["fill"]) for p in valued]
    assert steps == sorted(steps)
    assert steps[0] == 0 and steps[-1] == len(ramp) - 1
    legend = maps.choropleth_legend(hosted, "en")
    assert legend[-1] == ("no data", maps.NO_DATA_COLOUR)
    assert [colour for _, colour in legend[:-1]] == [maps.CHOROPLETH_RAMP[i] for i in sorted(set(steps))]


def test_null_value_counts_as_no_data_and_duplicates_are_refused():
    values = pl.DataFrame({"country_iso3": ["HND", "GTM"], "value": [1200, None]}, schema_overrides={"value": pl.Int64})
    by_code = {
        f["properties"]["iso_a3"]: f["properties"]
        for f in layer(spec(maps.choropleth_deck(values, "es")), "choropleth")["data"]["features"]
    }
    assert by_code["GTM"]["fill"] == maps.rgb(maps.NO_DATA_COLOUR) and by_code["GTM"]["tooltip"].endswith("sin datos")
    assert by_code["HND"]["fill"] == maps.rgb(maps.CHOROPLETH_RAMP[0])
    with pytest.raises(ValueError, match="one row per country"):
        maps.choropleth_deck(pl.DataFrame({"country_iso3": ["HND", "HND"], "value": [1, 2]}), "es")


def test_a_deck_is_remembered_by_content_and_its_json_made_once(honduran_refugees):
    import pydeck

    first, same, other = (maps.flows_deck(honduran_refugees.clone(), lang) for lang in ("en", "en", "es"))
    assert first is same and first is not other  # the same content hands back the same deck
    assert first.to_json() is same.to_json()  # made once
    assert first.to_json() != other.to_json()
    # what is remembered is what pydeck itself would say, without its indentation
    assert json.loads(other.to_json()) == json.loads(pydeck.Deck.to_json(other))
    assert "\n" not in other.to_json()
