"""The sentences that name charts and maps for a screen reader (their accessible name, `widgets.draw`'s
`summary`), for the charts whose page shows no sentence of its own. Chromium checks every chart has one:
tests/test_accessibility.py."""

from __future__ import annotations

import inspect

import polars as pl
import pytest

from mirps_dash import summaries, widgets


def test_every_chart_and_map_drawn_must_be_given_its_sentence():
    for function in (widgets.draw, widgets.chart_map, widgets.map_block):
        parameter = inspect.signature(function).parameters["summary"]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
        assert parameter.default is inspect.Parameter.empty


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "2 flows on the map; the largest, 1,200 people from Honduras in Mexico."),
        ("es", "2 flujos en el mapa; el mayor, 1.200 personas de Honduras en México."),
    ],
)
def test_the_flows_map_is_named_by_its_largest_curve_of_those_drawn(lang, expected):
    arcs = pl.DataFrame(
        {
            "origin_iso3": ["HND", "HND", "HND", "GTM"],
            "asylum_iso3": ["MEX", "USA", "HND", "MEX"],
            "value": [1200, 300, 9999, 0],  # internal and zero rows are not drawn
        }
    )
    assert summaries.flows_map(arcs, lang) == expected


def test_a_flows_map_without_curves_has_nothing_to_say():
    empty = pl.DataFrame({"origin_iso3": ["HND"], "asylum_iso3": ["HND"], "value": [5]})
    assert summaries.flows_map(empty, "en") is None


def test_the_cities_map_counts_cities_and_states():
    shown = pl.DataFrame({"city": ["a", "b", "c"], "country_iso3": ["CRI", "CRI", "PAN"]})
    assert summaries.cities(shown, "en") == "3 Cities of Solidarity on the map, in 2 countries."


def test_focus_areas_name_the_largest_of_the_total():
    areas = pl.DataFrame({"focus_area": ["health", "education"], "commitments": [3, 5]})
    assert summaries.focus_areas(areas, "es") == "Más compromisos en Educación: 5 de 8."
    assert summaries.focus_areas(areas.clear(), "es") is None


def test_hosted_and_from_names_each_role_leader():
    frame = pl.DataFrame(
        {
            "country_iso3": ["MEX", "MEX", "HND", "HND"],
            "role": ["asylum", "origin", "asylum", "origin"],
            "value": [900, 100, 50, 700],
        }
    )
    assert summaries.hosted_and_from(frame, 2025, "en") == (
        "In 2025, Mexico hosts the most people (900); the most people come from Honduras (700)."
    )
    assert summaries.hosted_and_from(frame.filter(pl.col("role") == "asylum"), 2025, "en") is None


def test_extremes_name_the_first_and_last_of_a_ranking():
    assert summaries.extremes([("CRI", "45.3"), ("PAN", "13.9"), ("HND", "0.06")], "en") == (
        "Highest, Costa Rica (45.3); lowest, Honduras (0.06)."
    )
    assert summaries.extremes([], "en") is None
