"""Open data by URL: the datasets the public pages show, as CSV, JSON and a Frictionless Data Package.

Pure functions from a request's parts (dataset name, query parameters, language) to a `Reply`; the web
adapter (`routes`) only turns a `Reply` into an HTTP response. Published, non-illustrative figures only:
each dataset (`api_datasets`) is a fixed SQLAlchemy statement whose filters are bound parameters, parsed
from the query string against a closed list of names and values, so no parameter reaches SQL as text.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote, urlencode

import polars as pl
from sqlalchemy import Engine, Select, false, func, select

from mirps_dash import catalog, database, datastamp, i18n, load, queries, safecells
from mirps_dash.api_datasets import (  # noqa: F401 (the registry's names, re-exported for the adapters)
    DATASETS,
    MAX_PARAMETER_LENGTH,
    ApiError,
    Dataset,
    Filter,
    choices,
    count,
    iso3_codes,
    years,
)
from mirps_dash.i18n import t
from mirps_dash.schema import DataVersion

PREFIX = "/api/v1"
LIVE = "live"  # what every response says in place of a cut's name when it serves the database as it is now
DEFAULT_LIMIT = 10_000
MAX_LIMIT = 50_000
MAX_OFFSET = 100_000_000
MAX_BYTES = 8_000_000  # one page's body; a longer page is cut short and links to the next
CSV_BOM = "\ufeff"  # so a spreadsheet opens the UTF-8 file as UTF-8 ("Panamá", not "PanamÃ¡")


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


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
    version = Version(stamp, None if stamp == datastamp.NONE else _changed_at(engine))
    _VERSIONS[key] = (now, version)
    return version


def _changed_at(engine: Engine) -> datetime | None:
    """When the data version last moved, given up on like every read when a server does not answer."""

    def read() -> datetime | None:
        with engine.connect() as connection:
            return connection.execute(select(DataVersion.changed_at).where(DataVersion.id == datastamp.ROW)).scalar()

    return read() if engine.dialect.name == "sqlite" else database.bounded(read, database.read_timeout())


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
    limit = count(params.get("limit", ()), "limit", DEFAULT_LIMIT, MAX_LIMIT, low=1)
    offset = count(params.get("offset", ()), "offset", 0, MAX_OFFSET)
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
    """The rows as CSV with a BOM, text neutralised column-wise (`safecells`); polars quotes a field that
    holds a line break or a lone carriage return, and writes 10,000 rows five times faster than a row loop."""
    return (CSV_BOM + safecells.neutralised_frame(frame).write_csv()).encode()


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
        count = _rowcount(dataset, database_url, version.stamp)
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


def _rowcount(dataset: Dataset, database_url: str, stamp: str) -> int:
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
