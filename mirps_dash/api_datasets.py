"""What the open-data API serves: its datasets (a fixed SQLAlchemy statement each, with titles, sources,
columns, labels) and the query parameters each accepts, parsed against closed lists into bound values.

`api` reads and answers; this module only says what may be asked for and how."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import ColumnElement, Select, select

from mirps_dash import access, i18n, queries, settings
from mirps_dash.i18n import t
from mirps_dash.schema import (
    CITY_STATUSES,
    COUNT_UNITS,
    POPULATION_TYPES,
    ROLES,
    SOLUTION_TYPES,
    AnnualMeeting,
    AsylumApplication,
    AsylumDecision,
    City,
    Commitment,
    CommitmentCount,
    IdmcDisplacement,
    Indicator,
    IndicatorValue,
    Population,
    PopulationPair,
    Solution,
    SupportPlatformMember,
    WorkplanEvent,
)

MAX_VALUES = 50  # values of one filter (a list of countries); more is not a view, it is a scan
MAX_PARAMETER_LENGTH = 400
YEARS = (1900, 2100)


class ApiError(Exception):
    """A request the API refuses: its HTTP status, message key (i18n) and the values the message names."""

    def __init__(self, status: int, key: str, **values: object):
        super().__init__(key)
        self.status, self.key, self.values = status, key, values


# ---------------------------------------------------------------------------------------------- parameters


def _values(raw: Sequence[str]) -> list[str]:
    """Every comma-separated value of a parameter given once or several times (`?country=HND,GTM`)."""
    values = [part.strip() for text in raw for part in text.split(",") if part.strip()]
    if len(values) > MAX_VALUES:
        raise ApiError(400, "api_too_many_values", limit=MAX_VALUES)
    return values


def iso3_codes(raw: Sequence[str], name: str) -> list[str]:
    codes = [value.upper() for value in _values(raw)]
    for code in codes:
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ApiError(400, "api_bad_country", parameter=name, value=code[:20])
    return codes


def years(raw: Sequence[str], name: str) -> list[int]:
    """Years as `2025`, `2020,2025` or an inclusive range `2016-2025`, each within `YEARS`."""
    found: list[int] = []
    for value in _values(raw):
        match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", value)
        if not match:
            raise ApiError(400, "api_bad_year", parameter=name, value=value[:20], low=YEARS[0], high=YEARS[1])
        first, last = int(match[1]), int(match[2] or match[1])
        if not (YEARS[0] <= first <= last <= YEARS[1]):
            raise ApiError(400, "api_bad_year", parameter=name, value=value[:20], low=YEARS[0], high=YEARS[1])
        found.extend(range(first, last + 1))
    if len(found) > YEARS[1] - YEARS[0] + 1:
        raise ApiError(400, "api_too_many_values", limit=MAX_VALUES)
    return sorted(set(found))


def choices(allowed: Sequence[str]) -> Callable[[Sequence[str], str], list[str]]:
    def parse(raw: Sequence[str], name: str) -> list[str]:
        values = _values(raw)
        for value in values:
            if value not in allowed:
                raise ApiError(400, "api_bad_choice", parameter=name, value=value[:40], allowed=", ".join(allowed))
        return values

    return parse


def count(raw: Sequence[str], name: str, default: int, high: int, low: int = 0) -> int:
    if not raw:
        return default
    if len(raw) > 1 or not re.fullmatch(r"\d{1,10}", raw[0]) or not low <= int(raw[0]) <= high:
        raise ApiError(400, "api_bad_number", parameter=name, low=low, high=high)
    return int(raw[0])


# ------------------------------------------------------------------------------------------------ datasets


@dataclass(frozen=True)
class Filter:
    """A query parameter: how its text is parsed and the condition it puts on the statement."""

    parse: Callable[[Sequence[str], str], list]
    where: Callable[[list], ColumnElement[bool]]
    help: dict[str, str]
    column: str  # the output column it filters (a frozen cut is filtered on it in polars)


@dataclass(frozen=True)
class Dataset:
    name: str
    title: dict[str, str]
    description: dict[str, str]
    sources: tuple[str, ...]
    statement: Select
    order: tuple[str, ...]
    fields: dict[str, str]  # column -> Frictionless type, in output order (labels added by `labels`)
    filters: dict[str, Filter]
    labels: Callable[[pl.DataFrame, str], pl.DataFrame] = lambda frame, _lang: frame
    label_fields: tuple[str, ...] = ()


def _both(es: str, en: str) -> dict[str, str]:
    return {"es": es, "en": en}


def _country_filter(column) -> Filter:
    return Filter(
        iso3_codes, column.in_, _both("País (ISO3), uno o varios", "Country (ISO3), one or several"), column.key
    )


def _year_filter(column) -> Filter:
    return Filter(
        years, column.in_, _both("Año, lista o rango (2016-2025)", "Year, list or range (2016-2025)"), column.key
    )


def _one_of(column, allowed: Sequence[str]) -> Filter:
    listed = ", ".join(allowed)
    help = _both(f"Uno o varios de: {listed}", f"One or several of: {listed}")
    return Filter(choices(allowed), column.in_, help, column.key)


@functools.lru_cache(maxsize=8192)
def _country_name(code: str, lang: str) -> str:
    """A country's name, remembered: a page of flows names a few thousand partners, each looked up in CLDR."""
    return i18n.country_name(code, lang)


def _named_countries(*columns: str) -> Callable[[pl.DataFrame, str], pl.DataFrame]:
    """Add `<column>_name` in the request's language beside each ISO3 column."""

    def labelled(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
        added = []
        for column in columns:
            names = {code: _country_name(code, lang) for code in frame[column].drop_nulls().unique().to_list()}
            added.append(
                pl.col(column).replace_strict(names, default=None, return_dtype=pl.String).alias(_name(column))
            )
        return frame.with_columns(added)

    return labelled


def _name(column: str) -> str:
    return column.removesuffix("_iso3") + "_name" if column.endswith("_iso3") else column + "_name"


def _coded(column: str, label: Callable[[str, str], str]) -> Callable[[pl.DataFrame, str], pl.DataFrame]:
    def labelled(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
        names = {code: label(code, lang) for code in frame[column].drop_nulls().unique().to_list()}
        return frame.with_columns(
            pl.col(column).replace_strict(names, default=None, return_dtype=pl.String).alias(f"{column}_label")
        )

    return labelled


def _chain(*steps: Callable[[pl.DataFrame, str], pl.DataFrame]) -> Callable[[pl.DataFrame, str], pl.DataFrame]:
    def labelled(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
        for step in steps:
            frame = step(frame, lang)
        return frame

    return labelled


def _role(code: str, lang: str) -> str:
    return t(f"role_{code}", lang)


def _solution(code: str, lang: str) -> str:
    return t(f"solution_{code}", lang)


def _city_status(code: str, lang: str) -> str:
    return t(f"status_{code}", lang)


P, PP, S, D, C, CC = Population, PopulationPair, Solution, IdmcDisplacement, City, CommitmentCount
A, AD = AsylumApplication, AsylumDecision
# Published, non-illustrative values only, of the MIRPS States' plans: the public's read scope and then some.
_PUBLISHED_VALUE = (
    IndicatorValue.status.in_(access.PUBLISHED),
    ~IndicatorValue.is_illustrative,
    ~Indicator.is_illustrative,
    ~Commitment.is_illustrative,
    queries.MIRPS_PLAN,
)

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            name="population",
            title=_both("Población desplazada por país, rol y tipo", "Displaced population by country, role and type"),
            description=_both(
                "Personas refugiadas, solicitantes de asilo, otras con necesidad de protección internacional y "
                "desplazadas internas, por país de asilo (rol «asylum») o de origen («origin»), a fin de año. "
                "Las desplazadas internas cuentan en ambos roles: no sumar los roles.",
                "Refugees, asylum-seekers, other people in need of international protection and internally "
                "displaced people, by country of asylum (role 'asylum') or origin ('origin'), at end-year. "
                "IDPs count under both roles: never add the roles together.",
            ),
            sources=("unhcr_population",),
            statement=select(P.year, P.country_iso3, P.role, P.population_type, P.value).where(
                P.country_iso3.in_(settings.MIRPS_COUNTRIES)
            ),
            order=("year", "country_iso3", "role", "population_type"),
            fields={"year": "integer", "country_iso3": "string", "role": "string", "population_type": "string"}
            | {"value": "integer"},
            filters={
                "country": _country_filter(P.country_iso3),
                "year": _year_filter(P.year),
                "role": _one_of(P.role, ROLES),
                "type": _one_of(P.population_type, POPULATION_TYPES),
            },
            labels=_chain(
                _named_countries("country_iso3"), _coded("role", _role), _coded("population_type", i18n.population_type)
            ),
            label_fields=("country_name", "role_label", "population_type_label"),
        ),
        Dataset(
            name="pairs",
            title=_both("Población por país de origen y de asilo", "Population by country of origin and of asylum"),
            description=_both(
                "Personas de un país de origen en un país de asilo, por tipo, a fin de año; `origin` y `asylum` "
                "filtran cada lado.",
                "People from a country of origin in a country of asylum, by type, at end-year; `origin` and "
                "`asylum` filter each side.",
            ),
            sources=("unhcr_population_pairs",),
            statement=select(PP.year, PP.origin_iso3, PP.asylum_iso3, PP.population_type, PP.value),
            order=("year", "origin_iso3", "asylum_iso3", "population_type"),
            fields={"year": "integer", "origin_iso3": "string", "asylum_iso3": "string"}
            | {"population_type": "string", "value": "integer"},
            filters={
                "year": _year_filter(PP.year),
                "type": _one_of(PP.population_type, POPULATION_TYPES),
                "origin": _country_filter(PP.origin_iso3),
                "asylum": _country_filter(PP.asylum_iso3),
            },
            labels=_chain(
                _named_countries("origin_iso3", "asylum_iso3"), _coded("population_type", i18n.population_type)
            ),
            label_fields=("origin_name", "asylum_name", "population_type_label"),
        ),
        Dataset(
            name="solutions",
            title=_both("Soluciones por país y tipo", "Solutions by country and type"),
            description=_both(
                "Retornos, reasentamiento y naturalización por país y año.",
                "Returns, resettlement and naturalisation by country and year.",
            ),
            sources=("unhcr_solutions",),
            statement=select(S.year, S.country_iso3, S.role, S.solution_type, S.value).where(
                S.country_iso3.in_(settings.MIRPS_COUNTRIES)
            ),
            order=("year", "country_iso3", "role", "solution_type"),
            fields={"year": "integer", "country_iso3": "string", "role": "string", "solution_type": "string"}
            | {"value": "integer"},
            filters={
                "country": _country_filter(S.country_iso3),
                "year": _year_filter(S.year),
                "role": _one_of(S.role, ROLES),
                "type": _one_of(S.solution_type, SOLUTION_TYPES),
            },
            labels=_chain(_named_countries("country_iso3"), _coded("role", _role), _coded("solution_type", _solution)),
            label_fields=("country_name", "role_label", "solution_type_label"),
        ),
        Dataset(
            name="asylum_applications",
            title=_both("Solicitudes de asilo", "Asylum applications"),
            description=_both(
                "Solicitudes de asilo presentadas en un Estado MIRPS (rol «asylum») o por personas de él "
                "(«origin»), por procedimiento, tipo, instancia y unidad: personas (P) y casos (C) no se suman.",
                "Asylum applications lodged in a MIRPS State (role 'asylum') or by people from it ('origin'), "
                "by procedure, type, level and unit: persons (P) and cases (C) are never added.",
            ),
            sources=("unhcr_asylum_applications",),
            statement=select(
                A.year, A.country_iso3, A.role, A.procedure_type, A.app_type, A.dec_level, A.app_pc, A.applied
            ).where(A.country_iso3.in_(settings.MIRPS_COUNTRIES)),
            order=("year", "country_iso3", "role", "procedure_type", "app_type", "dec_level", "app_pc"),
            fields={"year": "integer", "country_iso3": "string", "role": "string", "procedure_type": "string"}
            | {"app_type": "string", "dec_level": "string", "app_pc": "string", "applied": "integer"},
            filters={
                "country": _country_filter(A.country_iso3),
                "year": _year_filter(A.year),
                "role": _one_of(A.role, ROLES),
                "unit": _one_of(A.app_pc, COUNT_UNITS),
            },
            labels=_chain(_named_countries("country_iso3"), _coded("role", _role)),
            label_fields=("country_name", "role_label"),
        ),
        Dataset(
            name="asylum_decisions",
            title=_both("Decisiones de asilo", "Asylum decisions"),
            description=_both(
                "Decisiones sobre solicitudes de asilo: reconocidas, otra protección, rechazadas, cerradas "
                "de otro modo y el total publicado, por procedimiento, instancia y unidad (P y C no se suman).",
                "Decisions on asylum applications: recognized, complementary protection, rejected, otherwise "
                "closed and the published total, by procedure, level and unit (P and C are never added).",
            ),
            sources=("unhcr_asylum_decisions",),
            statement=select(
                AD.year, AD.country_iso3, AD.role, AD.procedure_type, AD.dec_level, AD.dec_pc, AD.dec_recognized
            )
            .add_columns(AD.dec_other, AD.dec_rejected, AD.dec_closed, AD.dec_total)
            .where(AD.country_iso3.in_(settings.MIRPS_COUNTRIES)),
            order=("year", "country_iso3", "role", "procedure_type", "dec_level", "dec_pc"),
            fields={"year": "integer", "country_iso3": "string", "role": "string", "procedure_type": "string"}
            | {"dec_level": "string", "dec_pc": "string", "dec_recognized": "integer", "dec_other": "integer"}
            | {"dec_rejected": "integer", "dec_closed": "integer", "dec_total": "integer"},
            filters={
                "country": _country_filter(AD.country_iso3),
                "year": _year_filter(AD.year),
                "role": _one_of(AD.role, ROLES),
                "unit": _one_of(AD.dec_pc, COUNT_UNITS),
            },
            labels=_chain(_named_countries("country_iso3"), _coded("role", _role)),
            label_fields=("country_name", "role_label"),
        ),
        Dataset(
            name="idmc",
            title=_both("Desplazamiento interno según IDMC", "Internal displacement according to IDMC"),
            description=_both(
                "Stock de personas desplazadas internas y nuevos desplazamientos por causa y amenaza (IDMC). "
                "Se definen distinto que las cifras de ACNUR: mostrarlas juntas, nunca sumadas.",
                "Stock of internally displaced people and new displacements by cause and hazard (IDMC). "
                "Defined differently from UNHCR's figures: show them side by side, never added.",
            ),
            sources=("unhcr_refugees_pkg_idmc", "iom_gdidata_idmc_flows", "iom_gdidata_idmc_stocks"),
            statement=select(D.year, D.country_iso3, D.metric, D.cause, D.hazard, D.value, D.source_id),
            order=("year", "country_iso3", "cause", "hazard", "metric", "source_id"),  # the unique index
            fields={"year": "integer", "country_iso3": "string", "metric": "string", "cause": "string"}
            | {"hazard": "string", "value": "integer", "source_id": "string"},
            filters={
                "country": _country_filter(D.country_iso3),
                "year": _year_filter(D.year),
                "metric": _one_of(D.metric, ("idps_stock", "new_displacements")),
                "cause": _one_of(D.cause, ("conflict", "disaster")),
            },
            labels=_named_countries("country_iso3"),
            label_fields=("country_name",),
        ),
        Dataset(
            name="indicators",
            title=_both("Indicadores de los planes nacionales (publicados)", "National plan indicators (published)"),
            description=_both(
                "Valores de indicadores validados y publicados por la Presidencia Pro Tempore; sin datos "
                "ilustrativos. Vacío mientras no se haya publicado ninguno.",
                "Indicator values validated and published by the Pro-Tempore Presidency; no illustrative "
                "data. Empty until one is published.",
            ),
            sources=(),
            statement=select(
                Commitment.country_iso3,
                Commitment.code.label("commitment_code"),
                Commitment.focus_area,
                Indicator.code.label("indicator_code"),
                Indicator.name_es,
                Indicator.name_en,
                Indicator.unit,
                IndicatorValue.period,
                IndicatorValue.value,
                Indicator.baseline_year,
                Indicator.baseline_value,
                Indicator.target_year,
                Indicator.target_value,
            )
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(Commitment, Commitment.id == Indicator.commitment_id)
            .where(*_PUBLISHED_VALUE),
            order=("country_iso3", "commitment_code", "indicator_code", "period"),
            fields={"country_iso3": "string", "commitment_code": "string", "focus_area": "string"}
            | {"indicator_code": "string", "name_es": "string", "name_en": "string", "unit": "string"}
            | {"period": "integer", "value": "number", "baseline_year": "integer", "baseline_value": "number"}
            | {"target_year": "integer", "target_value": "number"},
            filters={
                "country": _country_filter(Commitment.country_iso3),
                "year": _year_filter(IndicatorValue.period),
            },
            labels=_named_countries("country_iso3"),
            label_fields=("country_name",),
        ),
        Dataset(
            name="commitments",
            title=_both("Compromisos por país y área", "Commitments by country and focus area"),
            description=_both(
                "Número de compromisos de cada plan de acción nacional por área, según las páginas de país.",
                "Number of commitments of each national action plan by focus area, from the country pages.",
            ),
            sources=("mirps_commitments",),
            statement=select(CC.country_iso3, CC.focus_area, CC.commitments, CC.count_type, CC.source_url, CC.note),
            order=("country_iso3", "focus_area"),
            fields={"country_iso3": "string", "focus_area": "string", "commitments": "integer"}
            | {"count_type": "string", "source_url": "string", "note": "string"},
            filters={"country": _country_filter(CC.country_iso3)},
            labels=_named_countries("country_iso3"),
            label_fields=("country_name",),
        ),
        Dataset(
            name="cities",
            title=_both("Ciudades Solidarias", "Cities of Solidarity"),
            description=_both(
                "Ciudades Solidarias con su estado, fecha, coordenadas (GeoNames) y fuente por fila.",
                "Cities of Solidarity with their status, date, coordinates (GeoNames) and source per row.",
            ),
            sources=("cities_of_solidarity",),
            statement=select(
                C.city, C.municipality, C.country_iso3, C.status, C.status_date, C.lat, C.lon, C.population
            ).add_columns(C.geonameid, C.source_url, C.note),
            order=("country_iso3", "city"),
            fields={"city": "string", "municipality": "string", "country_iso3": "string", "status": "string"}
            | {"status_date": "string", "lat": "number", "lon": "number", "population": "integer"}
            | {"geonameid": "integer", "source_url": "string", "note": "string"},
            filters={"country": _country_filter(C.country_iso3), "status": _one_of(C.status, CITY_STATUSES)},
            labels=_chain(_named_countries("country_iso3"), _coded("status", _city_status)),
            label_fields=("country_name", "status_label"),
        ),
        Dataset(
            name="meetings",
            title=_both("Reuniones anuales del MIRPS", "MIRPS annual meetings"),
            description=_both(
                "Fecha, sede y país anfitrión de cada reunión anual.", "Date, venue and host of each annual meeting."
            ),
            sources=("mirps_governance",),
            statement=select(
                AnnualMeeting.meeting,
                AnnualMeeting.date,
                AnnualMeeting.place,
                AnnualMeeting.host_iso3,
                AnnualMeeting.note,
                AnnualMeeting.source_url,
            ),
            order=("date", "meeting"),
            fields={"meeting": "string", "date": "string", "place": "string", "host_iso3": "string"}
            | {"note": "string", "source_url": "string"},
            filters={"country": _country_filter(AnnualMeeting.host_iso3)},
            labels=_named_countries("host_iso3"),
            label_fields=("host_name",),
        ),
        Dataset(
            name="events",
            title=_both("Eventos del plan de trabajo regional", "Regional work plan events"),
            description=_both(
                "Eventos del plan de trabajo de la Presidencia Pro Tempore, por año del plan.",
                "Events of the Pro-Tempore Presidency's work plan, by plan year.",
            ),
            sources=("workplan",),
            statement=select(
                WorkplanEvent.plan_year,
                WorkplanEvent.event_no,
                WorkplanEvent.title,
                WorkplanEvent.category,
                WorkplanEvent.start_date,
                WorkplanEvent.end_date,
                WorkplanEvent.date_text,
                WorkplanEvent.related_working_group,
            ),
            order=("plan_year", "event_no"),
            fields={"plan_year": "integer", "event_no": "integer", "title": "string", "category": "string"}
            | {"start_date": "string", "end_date": "string", "date_text": "string"}
            | {"related_working_group": "string"},
            filters={"plan_year": _year_filter(WorkplanEvent.plan_year)},
        ),
        Dataset(
            name="support_platform",
            title=_both("Miembros de la Plataforma de Apoyo", "Support Platform members"),
            description=_both(
                "Estados y organizaciones miembros de la Plataforma de Apoyo al MIRPS.",
                "States and organisations that are members of the MIRPS Support Platform.",
            ),
            sources=("mirps_governance",),
            statement=select(
                SupportPlatformMember.member,
                SupportPlatformMember.member_type,
                SupportPlatformMember.iso3,
                SupportPlatformMember.role,
                SupportPlatformMember.source,
            ),
            order=("member_type", "member"),
            fields={"member": "string", "member_type": "string", "iso3": "string", "role": "string"}
            | {"source": "string"},
            filters={"country": _country_filter(SupportPlatformMember.iso3)},
        ),
    )
}
