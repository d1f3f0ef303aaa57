"""pydeck map builders: pure functions from small polars frames to `pdk.Deck`, drawn fully offline.

Every map lies on the shipped Natural Earth outlines of the Americas (a GeoJsonLayer, MIRPS states
highlighted) instead of downloaded tiles. Streamlit 1.67 adds a Carto base map to any deck whose JSON has
no `mapStyle`, and `map_style=None` is exactly that; what keeps the page offline is `map_provider=None`
with pydeck's default style left alone, which serialises as the placeholder "__MAP_STYLE__" that
Streamlit reads as "no base map" (both measured in Chromium). So the builders never pass `map_style`.

Layer ids are stable (`outlines`, `cities`, `flows`, `choropleth`): pages read selections by them. The
one tooltip of each deck is `{tooltip}`, a text precomputed per row (or per feature property) in the
page's language. Pages put `i18n.t("map_disclaimer", lang)` under each map and draw the legend from
`status_legend` / `choropleth_legend`.
"""

from __future__ import annotations

import json
import math
from datetime import date
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import polars as pl
import pydeck as pdk

from mirps_dash import i18n, memo, settings
from mirps_dash.charts import ROLE_COLOURS

OUTLINES_FILE = settings.DATA_DIR / "americas_ne110m.geojson"

# Okabe-Ito, as in charts.py: distinct for colour-blind viewers and against the sand of the MIRPS states.
STATUS_COLOURS = {
    "recognized": "#0072B2",
    "agreement_to_implement": "#CC79A7",
    "in_progress": "#E69F00",
}
# ColorBrewer Blues, without its near-white first step so the lowest class still differs from no data.
CHOROPLETH_RAMP = ("#C6DBEF", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C")
NO_DATA_COLOUR = "#A6A6A6"
LAND_COLOUR = "#E4E4E4"
LAND_LINE = "#FFFFFF"
MIRPS_COLOUR = "#F4EBD3"
MIRPS_LINE = "#4D4D4D"
POINT_LINE = "#333333"

CITY_MIN_PIXELS = 5  # small towns stay visible and clickable at regional zoom
CITY_MAX_PIXELS = 28
CITY_REFERENCE_POPULATION = 12_000_000  # about Mexico City: fixed, so sizes compare across filtered views
ARC_MIN_PIXELS = 1.5
ARC_MAX_PIXELS = 14.0
# Seen from straight above (pitch 0) an upright arc is a straight line: laid on its side it reads as a curve.
ARC_TILT = 90
ARC_HEIGHT = 0.35

# Streamlit's default deck height; the width assumed is the narrow (centred) layout, so wide pages show more.
VIEW_WIDTH_PIXELS = 700
VIEW_HEIGHT_PIXELS = 500
# pydeck turns every string argument into a JavaScript expression ("pixels" -> "@@=pixels", undefined);
# a quoted string stays a string.
PIXELS = "'pixels'"
TOOLTIP = {"text": "{tooltip}", "style": {"fontSize": "14px"}}
CITY_FIELDS = ("city", "municipality", "country_iso3", "status", "status_date", "population", "geonameid")


def rgb(hex_colour: str, alpha: int = 255) -> list[int]:
    """`"#0072B2"` -> `[0, 114, 178, 255]`, the colour form deck.gl takes."""
    value = hex_colour.lstrip("#")
    return [int(value[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


@lru_cache(maxsize=4)
def outlines(path: Path = OUTLINES_FILE) -> dict:
    """The GeoJSON of country outlines (cached: the file does not change while the app runs). Do not mutate."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _iso3(feature: dict) -> str | None:
    code = feature["properties"].get("iso_a3")
    # Natural Earth marks some disputed or dependent territories "-99": they get no code, hence no centroid.
    return code if isinstance(code, str) and len(code) == 3 and code.isalpha() else None


def _polygons(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _ring_area_and_centroid(ring: list) -> tuple[float, float, float]:
    """Shoelace: signed area and centroid of one closed ring, in degrees (fine at these latitudes)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area, cx / (6 * area), cy / (6 * area)


def _largest_polygon(geometry: dict) -> list | None:
    polygons = _polygons(geometry)
    if not polygons:
        return None
    return max(polygons, key=lambda polygon: abs(_ring_area_and_centroid(polygon[0])[0]))


def country_centroids(geojson: dict) -> dict[str, tuple[float, float]]:
    """(lon, lat) per ISO3: the area-weighted centroid of each country's largest polygon (the mainland)."""
    centroids = {}
    for feature in geojson["features"]:
        code = _iso3(feature)
        polygon = _largest_polygon(feature["geometry"]) if code else None
        if polygon:
            _, lon, lat = _ring_area_and_centroid(polygon[0])
            centroids[code] = (lon, lat)
    return centroids


@lru_cache(maxsize=1)
def _americas_centroids() -> dict[str, tuple[float, float]]:
    return country_centroids(outlines())


def _bbox(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    lons, lats = zip(*points, strict=True)
    return min(lons), min(lats), max(lons), max(lats)


def _country_bbox(geojson: dict, codes: set[str]) -> tuple[float, float, float, float] | None:
    """Bounds of the countries' largest polygons (far islands would zoom the view out for nothing)."""
    points = []
    for feature in geojson["features"]:
        polygon = _largest_polygon(feature["geometry"]) if _iso3(feature) in codes else None
        if polygon:
            points.extend(tuple(point) for point in polygon[0])
    return _bbox(points) if points else None


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _fit(bbox: tuple[float, float, float, float], *, max_zoom: float = 8.0) -> pdk.ViewState:
    """A flat view that shows `bbox` whole in the assumed viewport, with a margin."""
    west, south, east, north = bbox
    y_south, y_north = _mercator_y(south), _mercator_y(north)
    # deck.gl's Web Mercator: the world is 512 * 2**zoom pixels wide (not 256), 2*pi in projected units.
    zoom_x = math.log2(VIEW_WIDTH_PIXELS * 360 / (512 * max(east - west, 1e-6)))
    zoom_y = math.log2(VIEW_HEIGHT_PIXELS * 2 * math.pi / (512 * max(y_north - y_south, 1e-6)))
    zoom = min(zoom_x, zoom_y, max_zoom) - 0.25
    latitude = math.degrees(2 * math.atan(math.exp((y_south + y_north) / 2)) - math.pi / 2)
    return pdk.ViewState(
        longitude=round((west + east) / 2, 4), latitude=round(latitude, 4), zoom=round(zoom, 2), pitch=0, bearing=0
    )


def region_view() -> pdk.ViewState:
    """The seven MIRPS states, Tijuana to Darién, with Belize and El Salvador large enough to read."""
    geojson = outlines()
    return _fit(_country_bbox(geojson, set(settings.MIRPS_COUNTRIES)))


def country_view(iso3: str) -> pdk.ViewState:
    """One country's mainland, as close as it fits; the region when the file has no such country."""
    bbox = _country_bbox(outlines(), {iso3})
    return _fit(bbox) if bbox else region_view()


def _base_layer(*, online_base_map: bool, highlight: str | None = None) -> pdk.Layer:
    """All the Americas in light grey, the MIRPS states in sand with a darker outline."""
    features = []
    for feature in outlines()["features"]:
        properties = feature["properties"]
        mirps = bool(properties.get("is_mirps"))
        if mirps:
            fill, line = rgb(MIRPS_COLOUR, 110 if online_base_map else 255), rgb(MIRPS_LINE)
        elif online_base_map:  # the tiles draw the land; only the MIRPS states stay tinted
            fill, line = rgb(LAND_COLOUR, 0), rgb(LAND_LINE, 0)
        else:
            fill, line = rgb(LAND_COLOUR), rgb(LAND_LINE)
        code = _iso3(feature)
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "iso_a3": code,
                    "name": properties.get("name"),
                    "fill": fill,
                    "line": line,
                    "line_width": 3 if highlight and code == highlight else 1 if mirps else 0.5,
                },
            }
        )
    return pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        id="outlines",
        stroked=True,
        filled=True,
        pickable=False,
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        get_line_width="properties.line_width",
        line_width_units=PIXELS,
    )


class CompactDeck(pdk.Deck):
    """A `pdk.Deck` whose JSON has no indentation: pydeck indents by two spaces, which makes a map of the
    Americas' outlines five times larger (about 320 KB instead of 64 KB), and Streamlit sends it on
    every rerun.

    The deck builders below are remembered by content (`memo`), so a rerun that redraws the same map
    hands over the same deck, and its JSON (pydeck's serialiser: about 30 ms a map) is made once."""

    def to_json(self) -> str:
        return _compact_json(self)


@memo.by_identity
def _compact_json(deck: CompactDeck) -> str:
    return json.dumps(json.loads(pdk.Deck.to_json(deck)), separators=(",", ":"), ensure_ascii=False)


def _deck(layers: list[pdk.Layer], view: pdk.ViewState, *, online_base_map: bool) -> pdk.Deck:
    if online_base_map:
        return CompactDeck(
            layers=layers, initial_view_state=view, map_provider="carto", map_style="light", tooltip=TOOLTIP
        )
    # No map_style argument on purpose: see the module docstring.
    return CompactDeck(layers=layers, initial_view_state=view, map_provider=None, tooltip=TOOLTIP)


def _status_date(value: object, lang: str) -> str:
    if value is None or value == "":
        return i18n.t("no_data", lang)
    if isinstance(value, date):
        return i18n.long_date(value, lang)
    try:
        return i18n.long_date(date.fromisoformat(str(value)), lang)
    except ValueError:
        return str(value)  # the precision the source gives, e.g. "2023-11"


def _place(city: str, municipality: str | None) -> str:
    """ "Tijuana (Baja California)" rather than "Tijuana (Tijuana (Baja California))"."""
    if not municipality or municipality == city:
        return city
    return municipality if municipality.startswith(city) else f"{city} — {municipality}"


def status_label(status: str, lang: str) -> str:
    return i18n.t(f"status_{status}", lang)


def status_legend(lang: str) -> list[tuple[str, str]]:
    """(label, hex colour) per city status, in the order of STATUS_COLOURS."""
    return [(status_label(status, lang), colour) for status, colour in STATUS_COLOURS.items()]


def city_radius(population: int | None) -> float:
    """Pixels; area proportional to population, never below the clickable minimum."""
    if not population:
        return CITY_MIN_PIXELS
    return max(CITY_MIN_PIXELS, round(CITY_MAX_PIXELS * math.sqrt(population / CITY_REFERENCE_POPULATION), 2))


@memo.by_content
def cities_deck(
    cities: pl.DataFrame, lang: str, *, selected_country: str | None = None, online_base_map: bool = False
) -> pdk.Deck:
    """One point per city (columns as `queries.cities`), coloured by status, sized by population.

    The deck shows what it is given (filter by country first if needed); `selected_country` only moves
    the view onto that country and thickens its outline. Larger cities are drawn first, so a small town
    next to a big one stays on top and clickable.
    """
    rows = []
    for row in cities.sort("population", descending=True, nulls_last=True).to_dicts():
        tooltip = i18n.t(
            "tooltip_city",
            lang,
            city=row["city"],
            municipality=row["municipality"],
            place=_place(row["city"], row["municipality"]),  # for a template that avoids the repetition
            status=status_label(row["status"], lang),
            date=_status_date(row.get("status_date"), lang),
            population=i18n.number(row.get("population"), lang),
        )
        rows.append(
            {key: row[key] for key in CITY_FIELDS if key in row}
            | {
                "lon": row["lon"],
                "lat": row["lat"],
                "radius": city_radius(row.get("population")),
                "fill": rgb(STATUS_COLOURS[row["status"]]),
                "tooltip": tooltip,
            }
        )
    points = pdk.Layer(
        "ScatterplotLayer",
        rows,
        id="cities",
        pickable=True,
        stroked=True,
        filled=True,
        get_position=["lon", "lat"],
        get_radius="radius",
        radius_units=PIXELS,
        radius_min_pixels=CITY_MIN_PIXELS,
        get_fill_color="fill",
        get_line_color=rgb(POINT_LINE),
        line_width_units=PIXELS,
        get_line_width=1,
    )
    view = country_view(selected_country) if selected_country else region_view()
    base = _base_layer(online_base_map=online_base_map, highlight=selected_country)
    return _deck([base, points], view, online_base_map=online_base_map)


def flows_without_centroid(flows: pl.DataFrame) -> list[str]:
    """Codes in `flows` (origin or asylum) that have no place on the map: UNHCR's UNK (unknown) and XXA
    (stateless), and countries outside the Americas file. `flows_deck` leaves their rows out; the page
    says so, naming them."""
    centroids = _americas_centroids()
    codes = set(flows["origin_iso3"].to_list()) | set(flows["asylum_iso3"].to_list())
    return sorted(code for code in codes if code not in centroids)


def arc_width(value: float, largest: float) -> float:
    """Pixels; grows with the square root of the value, between ARC_MIN_PIXELS and ARC_MAX_PIXELS."""
    if largest <= 0:
        return ARC_MIN_PIXELS
    return round(ARC_MIN_PIXELS + (ARC_MAX_PIXELS - ARC_MIN_PIXELS) * math.sqrt(value / largest), 2)


@memo.by_content
def flows_deck(flows: pl.DataFrame, lang: str, *, online_base_map: bool = False) -> pdk.Deck:
    """One arc per origin–asylum row (columns origin_iso3, asylum_iso3, value; optional origin_name and
    asylum_name name codes CLDR does not know), from origin (vermillion) to asylum (blue).

    Left out, never drawn as zero: rows whose origin or asylum has no centroid (`flows_without_centroid`
    names those codes), rows without a positive value, and rows whose origin is their asylum (internal
    displacement is not a flow between countries). One row per pair: aggregate population types first.
    """
    centroids = _americas_centroids()
    kept = [
        row
        for row in flows.to_dicts()
        if row["origin_iso3"] in centroids
        and row["asylum_iso3"] in centroids
        and row["origin_iso3"] != row["asylum_iso3"]
        and row["value"] is not None
        and row["value"] > 0
    ]
    largest = max((row["value"] for row in kept), default=0)
    rows = []
    for row in sorted(kept, key=lambda r: r["value"], reverse=True):  # thin arcs drawn last, on top
        origin = i18n.country_name(row["origin_iso3"], lang, row.get("origin_name"))
        asylum = i18n.country_name(row["asylum_iso3"], lang, row.get("asylum_name"))
        rows.append(
            {
                "origin_iso3": row["origin_iso3"],
                "asylum_iso3": row["asylum_iso3"],
                "value": row["value"],
                "source": list(centroids[row["origin_iso3"]]),
                "target": list(centroids[row["asylum_iso3"]]),
                "width": arc_width(row["value"], largest),
                "tooltip": i18n.t(
                    "tooltip_flow", lang, origin=origin, asylum=asylum, value=i18n.number(row["value"], lang)
                ),
            }
        )
    arcs = pdk.Layer(
        "ArcLayer",
        rows,
        id="flows",
        pickable=True,
        get_source_position="source",
        get_target_position="target",
        get_width="width",
        width_units=PIXELS,
        get_tilt=ARC_TILT,
        get_height=ARC_HEIGHT,
        get_source_color=rgb(ROLE_COLOURS["origin"], 220),
        get_target_color=rgb(ROLE_COLOURS["asylum"], 220),
    )
    ends = [tuple(row[end]) for row in rows for end in ("source", "target")]
    view = _fit(_bbox(ends), max_zoom=6) if ends else region_view()
    return _deck([_base_layer(online_base_map=online_base_map), arcs], view, online_base_map=online_base_map)


def _classes(values: dict[str, float]) -> dict[str, int]:
    """Index into CHOROPLETH_RAMP per country, by rank (quantile classes; equal values share one).

    With fewer classes than steps the classes spread over the ramp, so two classes are light and dark."""
    distinct = sorted(set(values.values()))
    steps = min(len(CHOROPLETH_RAMP), len(distinct))
    top = len(CHOROPLETH_RAMP) - 1
    rank = {}
    for i, value in enumerate(distinct):
        cls = i * steps // len(distinct)
        rank[value] = round(cls * top / (steps - 1)) if steps > 1 else 0
    return {code: rank[value] for code, value in values.items()}


def _known_values(values: pl.DataFrame) -> dict[str, float]:
    codes = values["country_iso3"].to_list()
    if len(codes) != len(set(codes)):
        raise ValueError("choropleth values need one row per country_iso3")
    return {row["country_iso3"]: row["value"] for row in values.to_dicts() if row["value"] is not None}


@memo.by_content
def choropleth_legend(values: pl.DataFrame, lang: str) -> list[tuple[str, str]]:
    """(label, hex colour) per class, the label the range of values in it, then the no-data grey."""
    known = _known_values(values)
    classes = _classes(known)
    legend = []
    for index in sorted(set(classes.values())):
        members = [known[code] for code, cls in classes.items() if cls == index]
        low, high = i18n.number(min(members), lang), i18n.number(max(members), lang)
        legend.append((low if low == high else f"{low}–{high}", CHOROPLETH_RAMP[index]))
    return [*legend, (i18n.t("no_data", lang), NO_DATA_COLOUR)]


@memo.by_content
def choropleth_deck(
    values: pl.DataFrame,
    lang: str,
    *,
    countries: tuple[str, ...] = settings.MIRPS_COUNTRIES,
    online_base_map: bool = False,
) -> pdk.Deck:
    """`countries` (the MIRPS states) filled by value (columns country_iso3, value; one row per country)
    on a five-step blue ramp by rank; a country without a value is grey with the tooltip "no data"."""
    known = _known_values(values)
    classes = _classes(known)
    features = []
    for feature in outlines()["features"]:
        code = _iso3(feature)
        if code not in countries:
            continue
        value = known.get(code)
        name = i18n.country_name(code, lang, feature["properties"].get("name"))
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "iso_a3": code,
                    "value": value,
                    "fill": rgb(CHOROPLETH_RAMP[classes[code]] if value is not None else NO_DATA_COLOUR),
                    "tooltip": f"{name}: {i18n.number(value, lang)}",
                },
            }
        )
    layer = pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        id="choropleth",
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=rgb(MIRPS_LINE),
        get_line_width=1,
        line_width_units=PIXELS,
    )
    base = _base_layer(online_base_map=online_base_map)
    return _deck([base, layer], region_view(), online_base_map=online_base_map)
