"""Map builders, drawn fully offline on the shipped Natural Earth outlines of the Americas (MIRPS states
highlighted), never on downloaded tiles: pure functions from small polars frames.

The choropleth, the flows and the Cities of Solidarity as a page opens on them are Altair maps
(`choropleth_map`, `flows_map`, `cities_map`): Vega is in the browser for the charts already, while a pydeck
map costs a first visit 3 MB of deck.gl and a WebGL context (0.4–0.5 s on `/country`, measured; with no GPU
its first frame a second more), and a fixed view suits a shared screen. The cities are also a pydeck map
(`cities_deck`: points to pan, zoom into and click), on a tab of their page.

pydeck: Streamlit 1.67 adds a Carto base map to any deck whose JSON has no `mapStyle`, and
`map_style=None` is exactly that; what keeps the page offline is `map_provider=None` with pydeck's default
style left alone, which serialises as the placeholder "__MAP_STYLE__" that Streamlit reads as "no base
map" (both measured in Chromium). So the builders never pass `map_style`. Layer ids are stable
(`outlines`, `cities`): pages read selections by them. The one tooltip of each deck is `{tooltip}`, a text
precomputed per row in the page's language.

Pages put `i18n.t("map_disclaimer", lang)` under each map and draw the legend from `status_legend` /
`choropleth_legend` (`widgets.map_footer`).
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable
from datetime import date
from functools import lru_cache, wraps
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

import altair as alt
import polars as pl
import pydeck as pdk
from altair.utils.schemapi import debug_mode

from mirps_dash import i18n, memo, settings
from mirps_dash.charts import ROLE_COLOURS, SELECTION, TEXT_COLOUR, finish

F = TypeVar("F", bound=Callable)

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

HIGHLIGHT_LINE_PIXELS = 3  # the outline of the State a map is about
CITY_MIN_PIXELS = 5  # small towns stay visible and clickable at regional zoom
CITY_MAX_PIXELS = 28
CITY_REFERENCE_POPULATION = 12_000_000  # about Mexico City: fixed, so sizes compare across filtered views
ARC_MIN_PIXELS = 1.5
ARC_MAX_PIXELS = 14.0
FLOW_COLOUR = "#4D4D4D"  # the curve itself; its ends carry the role colours
FLOW_OPACITY = 0.75  # where curves cross, both stay visible
ENDS = ("origin", "asylum")
END_COLOURS = [ROLE_COLOURS[end] for end in ENDS]
CURVE_BOW = 0.2  # the curve's control point, off the straight line by this share of the distance
CURVE_STEPS = 16
CHOROPLETH_HEIGHT = 420
CITIES_HEIGHT = 480  # pixels: both Cities of Solidarity maps
CITY_PICK = "city"  # name of the click selection on the cities map; the page reads it from on_select
CITY_GAP_PIXELS = 2  # between two dots drawn apart
# The fixed map is as wide as the page's column, unknown when it is built: dots are drawn apart for the
# narrowest width it is shown at (a 1280 px screen gives it about 800), and are further apart when wider.
NARROWEST_MAP_PIXELS = 640
COORDINATE_DECIMALS = 2  # about a kilometre: finer than the 1:110m outlines themselves
FLOWS_HEIGHT = 480

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


def _region_bbox() -> tuple[float, float, float, float]:
    return _country_bbox(outlines(), set(settings.MIRPS_COUNTRIES))


def _margin(bbox: tuple[float, float, float, float], share: float = 0.08) -> tuple[float, float, float, float]:
    west, south, east, north = bbox
    dx, dy = max(east - west, 1.0) * share, max(north - south, 1.0) * share
    return west - dx, south - dy, east + dx, north + dy


def _projection(bbox: tuple[float, float, float, float]) -> dict:
    """Mercator fitted to `bbox` (two corner points: a polygon's winding would decide which side is inside)."""
    west, south, east, north = bbox
    corners = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "MultiPoint", "coordinates": [[west, south], [east, north]]},
    }
    return {"type": "mercator", "fit": corners}


def _clip_ring(ring: list, box: tuple[float, float, float, float]) -> list:
    """Sutherland–Hodgman: the part of one closed ring inside `box` (west, south, east, north), closed."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    )
    points = ring[:-1]
    for inside, cross in edges:
        kept = []
        for i, point in enumerate(points):
            previous = points[i - 1]
            if inside(point):
                if not inside(previous):
                    kept.append(cross(previous, point))
                kept.append(point)
            elif inside(previous):
                kept.append(cross(previous, point))
        points = kept
        if not points:
            return []
    rounded = [[round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)] for x, y in points]
    return [*rounded, rounded[0]] if len(rounded) >= 3 else []


def _cross_x(a: list, b: list, x: float) -> list:
    return [x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])]


def _cross_y(a: list, b: list, y: float) -> list:
    return [a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y]


def _clipped(geometry: dict, box: tuple[float, float, float, float]) -> dict | None:
    """The geometry cut to `box`, as a MultiPolygon; None when nothing of it is inside."""
    polygons = []
    for polygon in _polygons(geometry):
        rings = [_clip_ring(ring, box) for ring in polygon]
        if rings[0]:
            polygons.append([ring for ring in rings if ring])
    return {"type": "MultiPolygon", "coordinates": polygons} if polygons else None


def _surroundings(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """What a map fitted to `bbox` may show around it: the box is fitted inside a frame of unknown shape
    (the page's width), so the land is kept up to 3.5 times as wide as the box is high, and as high as
    it is wide, beyond which nothing can be seen. Cutting the rest (Canada's Arctic, South America's
    south) makes the map's data about a third; Streamlit parses and writes it on every run."""
    west, south, east, north = bbox
    middle_x, middle_y = (west + east) / 2, (south + north) / 2
    half_x = max(east - west, 3.5 * (north - south)) / 2 * 1.1
    half_y = max(north - south, east - west) / 2 * 1.1
    return middle_x - half_x, max(middle_y - half_y, -85.0), middle_x + half_x, min(middle_y + half_y, 85.0)


_UNCHECKED = threading.Lock()


def _unchecked(builder: F) -> F:
    """Build without Altair checking every object against the schema as it is made: for a map, whose
    outlines are thousands of nested points, that was most of its first draw (177 of 245 ms for a flows
    map). The tests check each map's whole spec (`to_dict()`); the pages never validate. Altair's switch
    is global: the lock keeps two map builds from restoring it out of order, so it always comes back on."""

    @wraps(builder)
    def wrapper(*args, **kwargs):
        with _UNCHECKED, debug_mode(False):
            return builder(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@lru_cache(maxsize=64)
def _outlines_around(view: tuple[float, float, float, float]) -> tuple[tuple[str | None, bool, dict], ...]:
    """(code, is a MIRPS State, outline cut to what a map of `view` can show) per country in sight. Cut once
    per view: a new year or language redraws the same outlines with other fills. Do not mutate."""
    box = _surroundings(view)
    kept = []
    for feature in outlines()["features"]:
        geometry = _clipped(feature["geometry"], box)
        if geometry is not None:
            kept.append((_iso3(feature), bool(feature["properties"].get("is_mirps")), geometry))
    return tuple(kept)


def _outline_pixels(code: str | None, mirps: bool, highlight: str | None) -> float:
    """A country's outline width: thick for the State a map is about, then the MIRPS states, then the rest."""
    return HIGHLIGHT_LINE_PIXELS if code and code == highlight else 1 if mirps else 0.5


def _land(
    view: tuple[float, float, float, float],
    fills: dict[str, str] | None = None,
    tooltips: dict[str, str] | None = None,
    *,
    highlight: str | None = None,
) -> alt.Chart:
    """The Americas' outlines around `view` for an Altair map: land grey, the MIRPS states in sand with a
    darker outline (thicker for `highlight`), unless `fills` colours a country; only countries in
    `tooltips` answer a hover."""
    fills, tooltips = fills or {}, tooltips or {}
    rows = []
    for code, mirps, geometry in _outlines_around(view):
        rows.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "country_iso3": code,
                "fill": fills.get(code, MIRPS_COLOUR if mirps else LAND_COLOUR),
                "stroke": MIRPS_LINE if mirps else LAND_LINE,
                "stroke_width": _outline_pixels(code, mirps, highlight),
                "tooltip": tooltips.get(code),
            }
        )
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_geoshape(clip=True)
        .encode(
            fill=alt.Fill("fill:N", scale=None),
            stroke=alt.Stroke("stroke:N", scale=None),
            strokeWidth=alt.StrokeWidth("stroke_width:Q", scale=None),
            tooltip=alt.Tooltip("tooltip:N"),
        )
    )


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
    return _fit(_region_bbox())


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
                    "line_width": _outline_pixels(code, mirps, highlight),
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


def _projected(lon: float, lat: float, pixels_per_degree: float) -> tuple[float, float]:
    """Web Mercator in pixels at this scale (y up): what Vega's and deck.gl's maps draw."""
    return lon * pixels_per_degree, math.degrees(_mercator_y(lat)) * pixels_per_degree


def _unprojected(x: float, y: float, pixels_per_degree: float) -> tuple[float, float]:
    lat = math.degrees(2 * math.atan(math.exp(math.radians(y / pixels_per_degree))) - math.pi / 2)
    return x / pixels_per_degree, lat


def _touching(xy: list[tuple[float, float]], radii: list[float], gap: float) -> list[list[int]]:
    """Groups of points whose dots touch, directly or through each other (indices, in order)."""
    group = list(range(len(xy)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i in range(len(xy)):
        for j in range(i + 1, len(xy)):
            if math.dist(xy[i], xy[j]) < radii[i] + radii[j] + gap:
                group[root(j)] = root(i)
    members: dict[int, list[int]] = {}
    for i in range(len(xy)):
        members.setdefault(root(i), []).append(i)
    return list(members.values())


def _ring(members: list[int], xy: list[tuple[float, float]], radii: list[float], gap: float) -> None:
    """Members on a circle around their middle, far enough apart not to touch, each keeping its direction
    from the middle (points on one spot: east first, then around, in the order given)."""
    cx = sum(xy[i][0] for i in members) / len(members)
    cy = sum(xy[i][1] for i in members) / len(members)
    angles = {
        i: math.atan2(xy[i][1] - cy, xy[i][0] - cx) if math.dist(xy[i], (cx, cy)) > 1e-9 else 0.0 for i in members
    }
    ordered = sorted(members, key=lambda i: (angles[i], i))
    chord = 2 * max(radii[i] for i in members) + gap
    n = len(members)
    needed = chord / (2 * math.sin(math.pi / n))
    radius = max(needed, sum(math.dist(xy[i], (cx, cy)) for i in members) / n)
    # Turn the circle to fit the directions best: the mean of each member's turn from its slot.
    turns = [angles[i] - 2 * math.pi * k / n for k, i in enumerate(ordered) if math.dist(xy[i], (cx, cy)) > 1e-9]
    start = math.atan2(sum(map(math.sin, turns)), sum(map(math.cos, turns))) if turns else 0.0
    for k, i in enumerate(ordered):
        angle = start + 2 * math.pi * k / n
        xy[i] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))


def spread(
    points: list[tuple[float, float, float]], pixels_per_degree: float, gap: float = CITY_GAP_PIXELS
) -> list[tuple[float, float]]:
    """Where to draw each point (lon, lat, dot radius in pixels) on a map of this scale so that no two dots
    touch: points whose dots would touch are set around their middle, each on its own side; the others
    stay where they are. Deterministic: the same points give the same places."""
    xy = [_projected(lon, lat, pixels_per_degree) for lon, lat, _ in points]
    radii = [radius for _, _, radius in points]
    for _ in range(len(points)):  # a group set apart may touch a neighbour: it joins its group next round
        crowded = [members for members in _touching(xy, radii, gap) if len(members) > 1]
        if not crowded:
            break
        for members in crowded:
            _ring(members, xy, radii, gap)
    drawn = []
    for (lon, lat, _), (x, y), original in zip(
        points, xy, (_projected(p[0], p[1], pixels_per_degree) for p in points), strict=True
    ):
        if math.dist((x, y), original) < 1e-9:
            drawn.append((lon, lat))
        else:
            new_lon, new_lat = _unprojected(x, y, pixels_per_degree)
            drawn.append((round(new_lon, 4), round(new_lat, 4)))
    return drawn


def _pixels_per_degree(view: tuple[float, float, float, float], width: float, height: float) -> float:
    """The scale at which a Mercator map fitted to `view` is drawn in width x height pixels."""
    west, south, east, north = view
    return min(width / (east - west), height / math.degrees(_mercator_y(north) - _mercator_y(south)))


def _cities_view(selected_country: str | None) -> tuple[float, float, float, float]:
    bbox = _country_bbox(outlines(), {selected_country}) if selected_country else None
    return _margin(bbox or _region_bbox())


def _drawn_at(cities: list[dict], selected_country: str | None) -> list[tuple[float, float]]:
    """Where the fixed map draws each city (rows largest first): `spread` at the narrowest width."""
    scale = _pixels_per_degree(_cities_view(selected_country), NARROWEST_MAP_PIXELS, CITIES_HEIGHT)
    return spread([(row["lon"], row["lat"], city_radius(row.get("population"))) for row in cities], scale)


@memo.by_content
def cities_drawn_apart(cities: pl.DataFrame, selected_country: str | None = None) -> list[str]:
    """The cities the fixed map draws beside their place (a line joins each to it), so that each dot shows."""
    rows = cities.sort("population", descending=True, nulls_last=True).to_dicts()
    drawn = _drawn_at(rows, selected_country)
    return sorted(row["city"] for row, place in zip(rows, drawn, strict=True) if place != (row["lon"], row["lat"]))


def _cities_largest_first(cities: pl.DataFrame, lang: str) -> list[tuple[dict, dict[str, str]]]:
    """Each city's row and the texts that describe it, larger cities first: drawn first, a small town
    next to a big one stays on top and clickable."""
    return [
        (
            row,
            {
                "city": row["city"],
                "municipality": row["municipality"],
                "place": _place(row["city"], row["municipality"]),  # for a template that avoids the repetition
                "status": status_label(row["status"], lang),
                "date": _status_date(row.get("status_date"), lang),
                "population": i18n.number(row.get("population"), lang),
            },
        )
        for row in cities.sort("population", descending=True, nulls_last=True).to_dicts()
    ]


@memo.by_content
def cities_deck(
    cities: pl.DataFrame, lang: str, *, selected_country: str | None = None, online_base_map: bool = False
) -> pdk.Deck:
    """One point per city (columns as `queries.cities`), coloured by status, sized by population.

    The deck shows what it is given (filter by country first if needed); `selected_country` only moves
    the view onto that country and thickens its outline. Larger cities are drawn first.
    """
    rows = [
        {key: row[key] for key in CITY_FIELDS if key in row}
        | {"lon": row["lon"], "lat": row["lat"], "radius": city_radius(row.get("population"))}
        | {"fill": rgb(STATUS_COLOURS[row["status"]]), "tooltip": i18n.t("tooltip_city", lang, **texts)}
        for row, texts in _cities_largest_first(cities, lang)
    ]
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
    return _deck([base, points, _shared_dots(rows, view, lang)], view, online_base_map=online_base_map)


def _shared_dots(rows: list[dict], view: pdk.ViewState, lang: str) -> pdk.Layer:
    """A count beside each group of cities whose dots cover each other at the deck's first zoom ("2" by
    Flores and San Benito, 2 km apart), its tooltip naming them: zooming in sets them apart."""
    scale = 512 * 2**view.zoom / 360  # deck.gl's pixels a degree (see `_fit`)
    xy = [_projected(row["lon"], row["lat"], scale) for row in rows]
    labels = []
    for members in _touching(xy, [row["radius"] for row in rows], CITY_GAP_PIXELS):
        if len(members) < 2:
            continue
        names = sorted(rows[i]["city"] for i in members)
        reach = max(rows[i]["radius"] for i in members) + 4
        labels.append(
            {
                "lon": round(sum(rows[i]["lon"] for i in members) / len(members), 5),
                "lat": round(sum(rows[i]["lat"] for i in members) / len(members), 5),
                "text": str(len(members)),
                "offset": [-reach, 0],  # west of the dots: east of Chiquimula lies Puerto Barrios
                "tooltip": i18n.t("tooltip_city_group", lang, n=len(members), cities=", ".join(names)),
            }
        )
    return pdk.Layer(
        "TextLayer",
        labels,
        id="city_groups",
        pickable=True,
        get_position=["lon", "lat"],
        get_text="text",
        get_size=15,
        size_units=PIXELS,
        get_color=rgb(TEXT_COLOUR),
        get_pixel_offset="offset",
        get_text_anchor="'end'",
        get_alignment_baseline="'center'",
        background=True,
        get_background_color=rgb("#FFFFFF", 230),
        background_padding=[3, 1],
    )


@memo.by_content
@_unchecked
def cities_map(cities: pl.DataFrame, lang: str, *, selected_country: str | None = None) -> alt.LayerChart:
    """The points of `cities_deck` on a fixed Altair map of the region, or of `selected_country`'s mainland
    with its outline thickened; a click on a point selects its city (`CITY_PICK`, by geonameid).

    Drawn without WebGL: with no GPU, a deck's first frame costs a visit a second or more (measured, see
    bench/RESULTS.md), and a fixed view suits a shared screen. `cities_deck` is the map to zoom into."""
    view = _cities_view(selected_country)
    described = _cities_largest_first(cities, lang)
    drawn = _drawn_at([row for row, _ in described], selected_country)
    rows = [
        texts
        | {"geonameid": row["geonameid"], "status_code": row["status"], "lon": row["lon"], "lat": row["lat"]}
        | {"x": x, "y": y}  # where the dot is drawn: beside its place when another city's dot would hide it
        # Vega sizes a circle by its area in square pixels
        | {"area": round(math.pi * city_radius(row.get("population")) ** 2, 1)}
        for (row, texts), (x, y) in zip(described, drawn, strict=True)
    ]
    title = {field: i18n.t(f"col_{field}", lang) for field in ("city", "status", "date", "population")}
    points = (
        alt.Chart(alt.Data(values=rows))
        .mark_circle(opacity=1, stroke=POINT_LINE, strokeWidth=1, clip=True, cursor="pointer")
        .encode(
            longitude="x:Q",
            latitude="y:Q",
            size=alt.Size("area:Q", scale=None),
            color=alt.Color(
                "status_code:N",
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                legend=None,  # the page draws it under the map, as for the deck
            ),
            tooltip=[
                alt.Tooltip("place:N", title=title["city"]),
                *(alt.Tooltip(f"{field}:N", title=title[field]) for field in ("status", "date", "population")),
            ],
        )
        .add_params(alt.selection_point(name=CITY_PICK, fields=["geonameid"], on="click"))
    )
    # A dot drawn beside its place keeps a thin line to it: the place is never misread.
    moved = [
        {"city": row["city"], "lon": row["lon"], "lat": row["lat"], "x": row["x"], "y": row["y"]}
        for row in rows
        if (row["x"], row["y"]) != (row["lon"], row["lat"])
    ]
    lines = (
        alt.Chart(alt.Data(values=moved))
        .mark_rule(color=POINT_LINE, strokeWidth=1, clip=True)
        .encode(longitude="lon:Q", latitude="lat:Q", longitude2="x:Q", latitude2="y:Q")
    )
    land = _land(view, highlight=selected_country)
    layers = [land, lines, points] if moved else [land, points]
    return finish(alt.layer(*layers).project(**_projection(view)), lang, height=CITIES_HEIGHT)


# UN M49 region 019, the Americas (Caribbean, Central America, South America, Northern America): a code in it
# but not in the outlines file is a place the 1:110m outlines draw no shape for (small islands; French
# Guiana and Guadeloupe, which Natural Earth counts with France).
_M49_AMERICAS = {
    "Caribbean": "AIA ATG ABW BHS BRB BES VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI BLM KNA LCA MAF VCT SXM "
    "TTO TCA VIR",
    "Central America": "BLZ CRI SLV GTM HND MEX NIC PAN",
    "South America": "ARG BOL BVT BRA CHL COL ECU FLK GUF GUY PRY PER SGS SUR URY VEN",
    "Northern America": "BMU CAN GRL SPM USA",
}
AMERICAS = frozenset(code for codes in _M49_AMERICAS.values() for code in codes.split())
# UNHCR's codes that name no country (SOURCES.md): unknown origin, stateless.
NO_COUNTRY = frozenset({"UNK", "XXA"})


def flows_off_map(flows: pl.DataFrame) -> dict[str, list[str]]:
    """The codes of `flows` (either end) that `flows_map` cannot place, by why: outside the Americas (the
    outlines file holds the Americas only), in the Americas without an outline of their own at 1:110m, or
    no country at all (UNHCR's UNK and XXA). Each list sorted; every reason present, maybe empty."""
    missing = flows_without_centroid(flows)
    return {
        "outside_americas": [c for c in missing if c not in AMERICAS and c not in NO_COUNTRY],
        "no_outline": [c for c in missing if c in AMERICAS],
        "no_country": [c for c in missing if c in NO_COUNTRY],
    }


@memo.by_content
def flows_off_map_note(flows: pl.DataFrame, lang: str) -> str | None:
    """The sentence under the flows map naming what it leaves out and why; None when it leaves out nothing."""
    reasons = [
        i18n.t(f"flows_off_map_{reason}", lang, places=i18n.country_names(codes, lang))
        for reason, codes in flows_off_map(flows).items()
        if codes
    ]
    return i18n.t("flows_off_map", lang, reasons="; ".join(reasons)) if reasons else None


def flows_without_centroid(flows: pl.DataFrame) -> list[str]:
    """Codes in `flows` (origin or asylum) that have no place on the map: UNHCR's UNK (unknown) and XXA
    (stateless), and countries outside the Americas file. `flows_map` leaves their rows out; the page
    says so, naming them."""
    centroids = _americas_centroids()
    codes = set(flows["origin_iso3"].to_list()) | set(flows["asylum_iso3"].to_list())
    return sorted(code for code in codes if code not in centroids)


def arc_width(value: float, largest: float) -> float:
    """Pixels; grows with the square root of the value, between ARC_MIN_PIXELS and ARC_MAX_PIXELS."""
    if largest <= 0:
        return ARC_MIN_PIXELS
    return round(ARC_MIN_PIXELS + (ARC_MAX_PIXELS - ARC_MIN_PIXELS) * math.sqrt(value / largest), 2)


def _curve(source: tuple[float, float], target: tuple[float, float]) -> list[tuple[float, float]]:
    """Points (lon, lat) of a gentle curve from source to target, bowed to the left of the way travelled,
    so that the flows A to B and B to A, and flows sharing a direction, stay apart."""
    (x0, y0), (x1, y1) = source, target
    bow_x, bow_y = -(y1 - y0) * CURVE_BOW, (x1 - x0) * CURVE_BOW
    control = ((x0 + x1) / 2 + bow_x, (y0 + y1) / 2 + bow_y)
    points = []
    for step in range(CURVE_STEPS + 1):
        s = step / CURVE_STEPS
        points.append(
            (
                round((1 - s) ** 2 * x0 + 2 * (1 - s) * s * control[0] + s**2 * x1, 3),
                round((1 - s) ** 2 * y0 + 2 * (1 - s) * s * control[1] + s**2 * y1, 3),
            )
        )
    return points


@memo.by_content
@_unchecked
def flows_map(flows: pl.DataFrame, lang: str) -> alt.LayerChart:
    """One curve per origin–asylum row (columns origin_iso3, asylum_iso3, value; optional origin_name and
    asylum_name name codes CLDR does not know), as wide as its value, from a vermillion dot at the origin to
    a blue dot at the asylum end.

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
    lines, ends = [], {}
    for row in sorted(kept, key=lambda r: r["value"], reverse=True):  # thin flows drawn last, on top
        names = {end: i18n.country_name(row[f"{end}_iso3"], lang, row.get(f"{end}_name")) for end in ENDS}
        tooltip = i18n.t(
            "tooltip_flow", lang, origin=names["origin"], asylum=names["asylum"], value=i18n.number(row["value"], lang)
        )
        pair = f"{row['origin_iso3']}-{row['asylum_iso3']}"
        width = arc_width(row["value"], largest)
        for step, (lon, lat) in enumerate(_curve(centroids[row["origin_iso3"]], centroids[row["asylum_iso3"]])):
            lines.append({"pair": pair, "step": step, "lon": lon, "lat": lat, "width": width, "tooltip": tooltip})
        for end in ENDS:
            code = row[f"{end}_iso3"]
            lon, lat = centroids[code]
            ends.setdefault((end, code), {"end": end, "lon": lon, "lat": lat, "tooltip": names[end]})
    points = [(row["lon"], row["lat"]) for row in lines]
    view = _margin(_bbox(points) if points else _region_bbox())
    layers = [_land(view)]
    if lines:
        curves = (
            alt.Chart(alt.Data(values=lines))
            .mark_line(color=FLOW_COLOUR, opacity=FLOW_OPACITY, strokeCap="round", clip=True)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                detail="pair:N",
                order="step:Q",
                strokeWidth=alt.StrokeWidth("width:Q", scale=None),
                tooltip=alt.Tooltip("tooltip:N"),
            )
        )
        dots = (
            alt.Chart(alt.Data(values=list(ends.values())))
            .mark_circle(size=90, opacity=1, stroke="white", strokeWidth=1.5, clip=True)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                color=alt.Color("end:N", scale=alt.Scale(domain=ENDS, range=END_COLOURS), legend=None),
                tooltip=alt.Tooltip("tooltip:N"),
            )
        )
        layers += [curves, dots]
    return finish(alt.layer(*layers).project(**_projection(view)), lang, height=FLOWS_HEIGHT)


def _round_between(low: float, high: float) -> float | None:
    """A round number above `low` and at most `high`, near their middle on a log scale: 1, 2 or 5 times a
    power of ten if one fits, else one significant digit (600.000); None if none fits (603.943 and 684.006)."""
    middle = math.sqrt(low * high) if low > 0 else (low + high) / 2
    for digits in ((1, 2, 5), tuple(range(1, 10))):
        candidates = [
            m * 10.0**e
            for e in range(math.floor(math.log10(high)) - 3, math.floor(math.log10(high)) + 2)
            for m in digits
        ]
        fitting = [c for c in candidates if low < c <= high]
        if fitting:
            found = min(fitting, key=lambda c: abs(math.log(c / middle)) if middle > 0 else c)
            return float(f"{found:.6g}")
    return None


def class_breaks(values: list[float], classes: int = len(CHOROPLETH_RAMP)) -> list[float]:
    """Round bounds between up to `classes` classes of `values` (a value at a bound is in the class above):
    cut where quantile classes would, each cut moved to a round number between the values on either side,
    so no class is empty and the legend reads "1.000 a menos de 5.000", never "2.183–5.674". Where no round
    number fits between two values, the two classes are one."""
    distinct = sorted({v for v in values if v is not None})
    steps = min(classes, len(distinct))
    breaks = []
    for i in range(1, steps):
        first = math.ceil(i * len(distinct) / steps)  # index of the first value of class i, as quantiles
        low, high = distinct[first - 1], distinct[first]
        bound = _round_between(low, high) if high > 0 else None
        if bound is not None and (not breaks or bound > breaks[-1]):
            breaks.append(bound)
    return breaks


def _classes(values: dict[str, float]) -> tuple[list[float], dict[str, int]]:
    """The round bounds and the index into CHOROPLETH_RAMP per country. With fewer classes than steps the
    classes spread over the ramp, so two classes are light and dark."""
    breaks = class_breaks(list(values.values()))
    top = len(CHOROPLETH_RAMP) - 1
    spread_over = max(len(breaks), 1)
    return breaks, {
        code: round(sum(value >= bound for bound in breaks) * top / spread_over) if breaks else 0
        for code, value in values.items()
    }


def _bound(value: float, lang: str) -> str:
    return i18n.number(value, lang, next(d for d in range(4) if round(value, d) == value) if value < 1000 else 0)


def _known_values(values: pl.DataFrame) -> dict[str, float]:
    codes = values["country_iso3"].to_list()
    if len(codes) != len(set(codes)):
        raise ValueError("choropleth values need one row per country_iso3")
    return {row["country_iso3"]: row["value"] for row in values.to_dicts() if row["value"] is not None}


@memo.by_content
def choropleth_legend(values: pl.DataFrame, lang: str) -> list[tuple[str, str]]:
    """(label, hex colour) per class, the label its round bounds in the page's language, then the no-data grey."""
    known = _known_values(values)
    breaks, _ = _classes(known)
    if not breaks:  # one value, or none: no class to tell apart
        legend = [(i18n.number(v, lang), CHOROPLETH_RAMP[0]) for v in sorted(set(known.values()))]
        return [*legend, (i18n.t("no_data", lang), NO_DATA_COLOUR)]
    written = [_bound(bound, lang) for bound in breaks]
    labels = [
        i18n.t("class_below", lang, high=written[0]),
        *(i18n.t("class_between", lang, low=low, high=high) for low, high in pairwise(written)),
        i18n.t("class_above", lang, low=written[-1]),
    ]
    top = len(CHOROPLETH_RAMP) - 1
    colours = [CHOROPLETH_RAMP[round(i * top / len(breaks))] for i in range(len(breaks) + 1)]
    return [*zip(labels, colours, strict=True), (i18n.t("no_data", lang), NO_DATA_COLOUR)]


@memo.by_content
@_unchecked
def choropleth_map(
    values: pl.DataFrame, lang: str, *, countries: tuple[str, ...] = settings.MIRPS_COUNTRIES
) -> alt.Chart:
    """`countries` (the MIRPS states) filled by value (columns country_iso3, value; one row per country)
    on a five-step blue ramp by rank, the rest of the Americas in grey; a country without a value is the
    no-data grey with the tooltip "no data". Clicking a country selects it (`charts.SELECTION`)."""
    known = _known_values(values)
    _, classes = _classes(known)
    fills, tooltips = {}, {}
    for feature in outlines()["features"]:
        code = _iso3(feature)
        if code not in countries:
            continue
        value = known.get(code)
        fills[code] = CHOROPLETH_RAMP[classes[code]] if value is not None else NO_DATA_COLOUR
        name = i18n.country_name(code, lang, feature["properties"].get("name"))
        tooltips[code] = f"{name}: {i18n.number(value, lang)}"
    selection = alt.selection_point(name=SELECTION, fields=["country_iso3"])
    view = _margin(_region_bbox())
    land = _land(view, fills, tooltips).add_params(selection)
    return finish(land.project(**_projection(view)), lang, height=CHOROPLETH_HEIGHT)
