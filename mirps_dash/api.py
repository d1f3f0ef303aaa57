"""Open data by URL: the datasets the public pages show, as CSV, JSON and a Frictionless Data Package.

Pure functions from a request's parts (dataset name, query parameters, language) to a `Reply`; the web
adapter (`routes`) only turns a `Reply` into an HTTP response. Published, non-illustrative figures only:
each dataset is a fixed SQLAlchemy statement whose filters are bound parameters, parsed here from the
query string against a closed list of names and values, so no parameter reaches SQL as text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote, urlencode

import polars as pl
from sqlalchemy import ColumnElement, Engine, Select, false, func, select

from mirps_dash import access, catalog, datastamp, i18n, load, queries, safecells, settings
from mirps_dash.i18n import t
from mirps_dash.schema import (
    CITY_STATUSES,
    POPULATION_TYPES,
    ROLES,
    SOLUTION_TYPES,
    AnnualMeeting,
    City,
    Commitment,
    CommitmentCount,
    DataVersion,
    IdmcDisplacement,
    Indicator,
    IndicatorValue,
    Population,
    PopulationPair,
    Solution,
    SupportPlatformMember,
    WorkplanEvent,
)

PREFIX = "/api/v1"
LIVE = "live"  # what every response says in place of a cut's name when it serves the database as it is now
DEFAULT_LIMIT = 10_000
MAX_LIMIT = 50_000
MAX_OFFSET = 100_000_000
MAX_BYTES = 8_000_000  # one page's body; a longer page is cut short and links to the next
MAX_VALUES = 50  # values of one filter (a list of countries); more is not a view, it is a scan
MAX_PARAMETER_LENGTH = 400
YEARS = (1900, 2100)
CSV_BOM = "\ufeff"  # so a spreadsheet opens the UTF-8 file as UTF-8 ("Panamá", not "PanamÃ¡")


class ApiError(Exception):
    """A request the API refuses: its HTTP status, message key (i18n) and the values the message names."""

    def __init__(self, status: int, key: str, **values: object):
        super().__init__(key)
        self.status, self.key, self.values = status, key, values


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


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


def _count(raw: Sequence[str], name: str, default: int, high: int, low: int = 0) -> int:
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


def _named_countries(*columns: str) -> Callable[[pl.DataFrame, str], pl.DataFrame]:
    """Add `<column>_name` in the request's language beside each ISO3 column."""

    def labelled(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
        added = []
        for column in columns:
            names = {code: i18n.country_name(code, lang) for code in frame[column].drop_nulls().unique().to_list()}
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
            order=("year", "country_iso3", "metric", "cause", "hazard"),
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
COMMON_PARAMETERS = ("lang", "limit", "offset")
FORMATS = ("csv", "json")


# ------------------------------------------------------------------------------------------------ reading


@functools.cache
def reader(database_url: str) -> queries.Reader:
    return queries.Reader(database_url)


_LOADED: set[str] = set()
_LOAD_LOCK = threading.Lock()


def ensure_loaded(database_url: str) -> None:
    """Load the shipped data on a fresh database, as the first page visit does: an address opened before
    any page must not answer from an empty database. Checked once per process."""
    if database_url in _LOADED:
        return
    with _LOAD_LOCK:
        engine = reader(database_url).engine
        if load.needs_load(engine):
            load.first_load(engine)
        _LOADED.add(database_url)


@dataclass(frozen=True)
class Version:
    stamp: str
    changed_at: datetime | None


_VERSIONS: dict[str, tuple[float, Version]] = {}
VERSION_SECONDS = 1.0  # as `cache`: a write anywhere shows within a second


def data_version(engine: Engine) -> Version:
    """The data version (`datastamp.current`) and when it moved, read at most once a second."""
    key = engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    known = _VERSIONS.get(key)
    if known is not None and now - known[0] < VERSION_SECONDS:
        return known[1]
    stamp = datastamp.current(engine)
    changed = None
    if stamp != datastamp.NONE:
        with engine.connect() as connection:
            changed = connection.execute(select(DataVersion.changed_at).where(DataVersion.id == datastamp.ROW)).scalar()
    version = Version(stamp, changed)
    _VERSIONS[key] = (now, version)
    return version


@dataclass(frozen=True)
class Query:
    dataset: Dataset
    lang: str
    conditions: tuple[tuple[str, tuple], ...]  # (parameter, parsed values), in the dataset's filter order
    limit: int
    offset: int


def parse(dataset_name: str, params: Mapping[str, Sequence[str]], lang: str) -> Query:
    """The request's query string checked against the dataset's closed list of parameters."""
    dataset = DATASETS.get(dataset_name)
    if dataset is None:
        raise ApiError(404, "api_unknown_dataset", name=dataset_name[:60], known=", ".join(DATASETS))
    for name, raw in params.items():
        if name not in dataset.filters and name not in COMMON_PARAMETERS:
            allowed = ", ".join([*dataset.filters, *COMMON_PARAMETERS])
            raise ApiError(400, "api_unknown_parameter", parameter=name[:40], allowed=allowed)
        if any(len(value) > MAX_PARAMETER_LENGTH for value in raw):
            raise ApiError(400, "api_parameter_too_long", parameter=name[:40], limit=MAX_PARAMETER_LENGTH)
    conditions = []
    for name, spec in dataset.filters.items():
        raw = params.get(name)
        if raw:
            conditions.append((name, tuple(spec.parse(raw, name))))
    limit = _count(params.get("limit", ()), "limit", DEFAULT_LIMIT, MAX_LIMIT, low=1)
    offset = _count(params.get("offset", ()), "offset", 0, MAX_OFFSET)
    return Query(dataset, lang, tuple(conditions), limit, offset)


def statement(query: Query) -> Select:
    """The dataset's statement with the filters as bound parameters; an empty list matches nothing."""
    built = query.dataset.statement
    for name, values in query.conditions:
        built = built.where(query.dataset.filters[name].where(list(values)) if values else false())
    return built


def read_page(query: Query, database_url: str) -> tuple[pl.DataFrame, bool]:
    """One page of rows in the dataset's order, and whether more follow. The page is a subquery so the
    reader's own row cap cannot replace its limit."""
    page = statement(query).order_by(None).order_by(*_order(query)).limit(query.limit + 1).offset(query.offset)
    inner = page.subquery()
    outer = select(*inner.c).order_by(*(inner.c[name] for name in query.dataset.order))
    frame = reader(database_url).frame(outer)
    return frame.head(query.limit), frame.height > query.limit


def _order(query: Query):
    columns = {column.name: column for column in query.dataset.statement.selected_columns}
    return [columns[name] for name in query.dataset.order]


def rows_of(query: Query, frame: pl.DataFrame) -> pl.DataFrame:
    """The page with its labels in the request's language after the codes they name."""
    labelled = query.dataset.labels(frame, query.lang)
    return labelled.select([*query.dataset.fields, *query.dataset.label_fields])


# ------------------------------------------------------------------------------------------------ replies


def _source(key: str, lang: str) -> dict[str, str]:
    source = catalog.source(key)
    return {
        "publisher": source.publisher[lang],
        "title": source.title[lang],
        "url": source.url,
        "licence": source.licence[lang],
        "date_of_data": source.date_of_data[lang],
        "citation": source.citation(lang),
    }


def _indicator_source(lang: str) -> dict[str, str]:
    return {
        "publisher": t("api_indicator_publisher", lang),
        "title": t("api_indicator_source", lang),
        "url": "",
        "licence": "CC BY 4.0",
        "date_of_data": t("api_date_per_row", lang),
        "citation": t("api_indicator_source", lang),
    }


def sources(dataset: Dataset, lang: str) -> list[dict[str, str]]:
    return [_source(key, lang) for key in dataset.sources] or [_indicator_source(lang)]


def licence(dataset: Dataset, lang: str) -> str:
    return "; ".join(dict.fromkeys(source["licence"] for source in sources(dataset, lang)))


def _link(path: str, params: Mapping[str, Sequence[str]], **changes: object) -> str:
    merged = {name: list(values) for name, values in params.items()}
    for name, value in changes.items():
        merged[name] = [str(value)]
    query = urlencode([(name, value) for name, values in merged.items() for value in values])
    return f"{path}?{query}" if query else path


def etag(*parts: str) -> str:
    return 'W/"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"'


def _version_headers(version: Version, tag: str, cut: str) -> dict[str, str]:
    headers = {"ETag": tag, "Cache-Control": "public, max-age=60", "X-MIRPS-Cut": quote(cut)}
    if version.changed_at is not None:
        headers["Last-Modified"] = http_date(version.changed_at)
    return headers


def http_date(moment: datetime) -> str:
    return format_datetime(utc(moment), usegmt=True)


def utc(moment: datetime) -> datetime:
    """`moment` in UTC (SQLite gives times back without their zone, which is UTC here)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def json_body(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def error_reply(error: ApiError, lang: str) -> Reply:
    message = t(error.key, lang, **error.values)
    document = {"error": {"status": error.status, "code": error.key.split("_", 1)[1], "message": message}}
    return Reply(error.status, json_body(document), "application/json", {"Cache-Control": "no-store"})


def _csv(frame: pl.DataFrame) -> bytes:
    return (CSV_BOM + safecells.csv_text(frame.columns, frame.iter_rows())).encode()


def _fit(frame: pl.DataFrame, render: Callable[[pl.DataFrame], bytes]) -> tuple[bytes, int]:
    """The body of as many of the page's rows as fit in `MAX_BYTES`, and how many that is."""
    body = render(frame)
    count = frame.height
    while len(body) > MAX_BYTES and count > 1:
        count = max(1, count * MAX_BYTES // len(body) * 9 // 10)
        body = render(frame.head(count))
    return body, count


def dataset_reply(
    dataset_name: str,
    fmt: str,
    params: Mapping[str, Sequence[str]],
    lang: str,
    database_url: str,
    if_none_match: str | None = None,
) -> Reply:
    """`GET /api/v1/datasets/{name}.{fmt}`: one page of the dataset, filtered; `Link` names the next."""
    if fmt not in FORMATS:
        raise ApiError(404, "api_unknown_format", format=fmt[:10], known=", ".join(FORMATS))
    query = parse(dataset_name, params, lang)
    ensure_loaded(database_url)
    version = data_version(reader(database_url).engine)
    path = f"{PREFIX}/datasets/{dataset_name}.{fmt}"
    asked = urlencode(sorted((name, value) for name, values in params.items() for value in values))
    tag = etag(version.stamp, LIVE, path, asked, lang)
    headers = _version_headers(version, tag, LIVE)
    if if_none_match and tag in {part.strip() for part in if_none_match.split(",")}:
        return Reply(304, b"", "application/json", headers)
    page, more = read_page(query, database_url)
    return page_reply(query, rows_of(query, page), more, fmt, params, Page(path, LIVE, version.stamp), headers)


@dataclass(frozen=True)
class Page:
    """Where a page of rows comes from: its address (without the query), the cut or "live", the version."""

    path: str
    cut: str
    stamp: str

    @property
    def base(self) -> str:
        return self.path.rsplit("/", 1)[0]


def page_reply(
    query: Query,
    rows: pl.DataFrame,
    more: bool,
    fmt: str,
    params: Mapping[str, Sequence[str]],
    page: Page,
    headers: dict[str, str],
) -> Reply:
    """One page of labelled rows as CSV or JSON within `MAX_BYTES`; `Link` names the datapackage and the
    next page, if rows follow (`more`) or the byte cap cut this one short."""
    lang, name = query.lang, query.dataset.name
    described = f"{page.base}/{name}/datapackage.json"

    def following(count: int) -> str | None:
        return _link(page.path, params, offset=query.offset + count) if more or count < rows.height else None

    def document(frame: pl.DataFrame) -> bytes:
        return json_body(
            {
                "dataset": name,
                "cut": page.cut,
                "title": query.dataset.title[lang],
                "licence": licence(query.dataset, lang),
                "sources": sources(query.dataset, lang),
                "data_version": page.stamp,
                "filters": {name: list(values) for name, values in query.conditions},
                "offset": query.offset,
                "limit": query.limit,
                "row_count": frame.height,
                "next": following(frame.height),
                "datapackage": described,
                "rows": frame.to_dicts(),
            }
        )

    if fmt == "csv":
        body, count = _fit(rows, _csv)
        media = "text/csv; charset=utf-8"
        headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
    else:
        body, count = _fit(rows, document)
        media = "application/json"
    links = [f'<{described}>; rel="describedby"']
    if following(count):
        links.append(f'<{following(count)}>; rel="next"')
    headers["Link"] = ", ".join(links)
    headers["X-MIRPS-Licence"] = _ascii(licence(query.dataset, "en"))
    return Reply(200, body, media, headers)


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode()


def datapackage(dataset_name: str, lang: str, database_url: str) -> dict[str, Any]:
    """A Frictionless Data Package describing the live dataset."""
    dataset = DATASETS.get(dataset_name)
    if dataset is None:
        raise ApiError(404, "api_unknown_dataset", name=dataset_name[:60], known=", ".join(DATASETS))
    ensure_loaded(database_url)
    version = data_version(reader(database_url).engine)
    csv_path = f"{PREFIX}/datasets/{dataset_name}.csv"
    return package(dataset, lang, version.stamp, version.changed_at, LIVE, csv_path)


def package(
    dataset: Dataset, lang: str, stamp: str, created: datetime | None, cut: str, csv_path: str
) -> dict[str, Any]:
    """The Data Package of `dataset` as served at `csv_path` (live or from a cut): its resource (the CSV),
    schema, licence and sources."""
    listed = sources(dataset, lang)
    fields = [{"name": name, "type": kind} for name, kind in dataset.fields.items()]
    fields += [
        {"name": name, "type": "string", "description": t("api_label_field", lang)} for name in dataset.label_fields
    ]
    return {
        "profile": "data-package",
        "name": f"mirps-{dataset.name.replace('_', '-')}",
        "title": dataset.title[lang],
        "description": dataset.description[lang],
        "version": stamp or None,
        "created": utc(created).isoformat() if created else None,
        "cut": cut,
        "licenses": [{"name": name, "title": name} for name in dict.fromkeys(s["licence"] for s in listed)],
        "sources": [
            {"title": s["citation"], "path": s["url"]} if s["url"] else {"title": s["citation"]} for s in listed
        ],
        "resources": [
            {
                "name": dataset.name.replace("_", "-"),
                "path": f"{csv_path}?lang={lang}",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "profile": "tabular-data-resource",
                "schema": {"fields": fields},
                "x-mirps-filters": {name: spec.help[lang] for name, spec in dataset.filters.items()},
            }
        ],
    }


def datapackage_reply(dataset_name: str, lang: str, database_url: str) -> Reply:
    document = datapackage(dataset_name, lang, database_url)
    version = data_version(reader(database_url).engine)
    tag = etag(version.stamp, LIVE, "datapackage", dataset_name, lang)
    return Reply(200, json_body(document), "application/json", _version_headers(version, tag, LIVE))


def catalogue(lang: str, database_url: str) -> dict[str, Any]:
    """`GET /api/v1/datasets`: every dataset with its title, description, sources, licence and links."""
    ensure_loaded(database_url)
    version = data_version(reader(database_url).engine)
    listed = []
    for name, dataset in DATASETS.items():
        count = _row_count(dataset, database_url, version.stamp)
        listed.append(
            {
                "name": name,
                "title": dataset.title[lang],
                "description": dataset.description[lang],
                "licence": licence(dataset, lang),
                "sources": sources(dataset, lang),
                "date_of_data": "; ".join(dict.fromkeys(s["date_of_data"] for s in sources(dataset, lang))),
                "row_count": count,
                "filters": {key: spec.help[lang] for key, spec in dataset.filters.items()},
                "links": {
                    "csv": f"{PREFIX}/datasets/{name}.csv?lang={lang}",
                    "json": f"{PREFIX}/datasets/{name}.json?lang={lang}",
                    "datapackage": f"{PREFIX}/datasets/{name}/datapackage.json?lang={lang}",
                },
            }
        )
    return {"cut": LIVE, "data_version": version.stamp, "datasets": listed}


_COUNTS: dict[tuple[str, str, str], int] = {}


def _row_count(dataset: Dataset, database_url: str, stamp: str) -> int:
    """Rows of the whole dataset, counted once per data version."""
    key = (database_url, stamp, dataset.name)
    if key not in _COUNTS:
        counted = select(func.count().label("rows")).select_from(dataset.statement.order_by(None).subquery())
        if len(_COUNTS) > 4 * len(DATASETS):
            _COUNTS.clear()
        _COUNTS[key] = int(reader(database_url).frame(counted)[0, 0])
    return _COUNTS[key]


def catalogue_reply(lang: str, database_url: str) -> Reply:
    document = catalogue(lang, database_url)
    version = data_version(reader(database_url).engine)
    tag = etag(version.stamp, LIVE, "catalogue", lang)
    return Reply(200, json_body(document), "application/json", _version_headers(version, tag, LIVE))


def language(params: Mapping[str, Sequence[str]], accept_language: str | None) -> str:
    """`?lang=` (es|en), else the client's Accept-Language, else Spanish; a bad `lang` is an error."""
    requested = params.get("lang")
    if requested and (len(requested) > 1 or requested[0] not in i18n.LANGS):
        raise ApiError(400, "api_bad_lang", allowed=", ".join(i18n.LANGS))
    first = (accept_language or "").split(",")[0].split(";")[0].strip() or None
    return i18n.resolve_lang(requested[0] if requested else None, first)
