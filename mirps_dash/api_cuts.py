"""Open data of a named data cut: `/api/v1/cuts/{cut}/datasets/{name}.csv|.json|/datapackage.json`.

A cut (`cuts`) froze the frames the decks were drawn from; these addresses serve them with the live
datasets' columns, filters, labels and formats, so a figure quoted at a plenary can be cited by URL for
good. Every answer names its cut (the live ones say "live"). Only what the cut froze is served: the
population by country for the years the decks read, IDMC's stocks, the commitment counts and the cities.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlencode

import polars as pl

from mirps_dash import api, cuts

# dataset -> (the cut's read that holds it, how its frame becomes the dataset's columns)
FROZEN: dict[str, tuple[str, Callable[[pl.DataFrame], pl.DataFrame]]] = {
    "population": ("population_by_country", lambda frame: frame),
    "idmc": (
        "idmc_idp_stocks",
        lambda frame: frame.with_columns(metric=pl.lit("idps_stock"), hazard=pl.lit(None, dtype=pl.String)),
    ),
    "commitments": ("commitment_counts", lambda frame: frame),
    "cities": ("cities", lambda frame: frame),
}


def _cut(database_url: str, name: str) -> cuts.Cut:
    """The cut, read and parsed once per data version (making or restoring a cut moves the version)."""
    api.ensure_loaded(database_url)
    version = api.data_version(api.reader(database_url).engine)
    found = _loaded(database_url, version.stamp, name)
    if found is None:
        raise api.ApiError(404, "api_unknown_cut", name=name[:80])
    return found


@functools.lru_cache(maxsize=16)
def _loaded(database_url: str, _stamp: str, name: str) -> cuts.Cut | None:
    return cuts.load(api.reader(database_url).engine, name)


def _dataset(name: str) -> api.Dataset:
    if name not in FROZEN:
        raise api.ApiError(404, "api_unknown_dataset", name=name[:60], known=", ".join(FROZEN))
    return api.DATASETS[name]


def frozen_frame(cut: cuts.Cut, dataset: api.Dataset) -> pl.DataFrame:
    """Every frame the cut kept of the dataset's read, as one frame of the dataset's columns, in its order."""
    method, shape = FROZEN[dataset.name]
    frames = [
        cuts._frame(stored)  # the cut's own record format
        for key, stored in cut.content["reads"].items()
        if json.loads(key)[0] == method
    ]
    if not frames:
        return pl.DataFrame(schema={name: pl.String for name in dataset.fields})
    frame = shape(pl.concat(frames, how="diagonal_relaxed"))
    missing = [pl.lit(None).alias(name) for name in dataset.fields if name not in frame.columns]
    frame = frame.with_columns(missing).select(list(dataset.fields)).unique()
    return frame.sort(list(dataset.order), nulls_last=True)


def _filtered(frame: pl.DataFrame, query: api.Query) -> pl.DataFrame:
    for name, values in query.conditions:
        column = query.dataset.filters[name].column
        frame = frame.filter(pl.col(column).is_in(list(values)))
    return frame


def _headers(cut: cuts.Cut, tag: str) -> dict[str, str]:
    """A cut never changes: clients may keep its answers for a day and revalidate with the ETag."""
    return {
        "ETag": tag,
        "Cache-Control": "public, max-age=86400",
        "X-MIRPS-Cut": quote(cut.name),
        "Last-Modified": api.http_date(cut.created_at),
    }


def _stamp(cut: cuts.Cut) -> str:
    return f"cut:{cut.name}:{cut.created_at.isoformat()}"


def dataset_reply(
    cut_name: str,
    file: str,
    params: Mapping[str, Sequence[str]],
    lang: str,
    database_url: str,
    if_none_match: str | None = None,
) -> api.Reply:
    """`GET /api/v1/cuts/{cut}/datasets/{name}.{fmt}`."""
    name, _, fmt = file.rpartition(".")
    if fmt not in api.FORMATS:
        raise api.ApiError(404, "api_unknown_format", format=fmt[:10], known=", ".join(api.FORMATS))
    dataset = _dataset(name)
    query = api.parse(name, params, lang)
    cut = _cut(database_url, cut_name)
    path = f"{api.PREFIX}/cuts/{quote(cut.name, safe='')}/datasets/{name}.{fmt}"
    asked = urlencode(sorted((key, value) for key, values in params.items() for value in values))
    tag = api.etag(_stamp(cut), path, asked, lang)
    headers = _headers(cut, tag)
    if if_none_match and tag in {part.strip() for part in if_none_match.split(",")}:
        return api.Reply(304, b"", "application/json", headers)
    rows = _filtered(frozen_frame(cut, dataset), query)
    page = rows.slice(query.offset, query.limit)
    more = rows.height > query.offset + query.limit
    labelled = api.rows_of(query, page)
    return api.page_reply(query, labelled, more, fmt, params, api.Page(path, cut.name, _stamp(cut)), headers)


def datapackage_reply(cut_name: str, name: str, lang: str, database_url: str) -> api.Reply:
    dataset = _dataset(name)
    cut = _cut(database_url, cut_name)
    csv_path = f"{api.PREFIX}/cuts/{quote(cut.name, safe='')}/datasets/{name}.csv"
    document = api.package(dataset, lang, _stamp(cut), cut.created_at, cut.name, csv_path)
    document["x-mirps-cut-as-of"] = cut.as_of.isoformat()
    tag = api.etag(_stamp(cut), "datapackage", name, lang)
    return api.Reply(200, api.json_body(document), "application/json", _headers(cut, tag))


def catalogue(lang: str, database_url: str) -> dict[str, Any]:
    """`GET /api/v1/cuts`: every cut with the date it stands for and its datasets' addresses."""
    listed = []
    for info in cuts.list_cuts(api.reader(database_url).engine):
        base = f"{api.PREFIX}/cuts/{quote(info.name, safe='')}/datasets"
        listed.append(
            {
                "name": info.name,
                "as_of": info.as_of.isoformat(),
                "created_at": api.utc(info.created_at).isoformat(),
                "datasets": {
                    name: {
                        "title": api.DATASETS[name].title[lang],
                        "csv": f"{base}/{name}.csv?lang={lang}",
                        "json": f"{base}/{name}.json?lang={lang}",
                        "datapackage": f"{base}/{name}/datapackage.json?lang={lang}",
                    }
                    for name in FROZEN
                },
            }
        )
    return {"cuts": listed}


def catalogue_reply(lang: str, database_url: str) -> api.Reply:
    api.ensure_loaded(database_url)
    version = api.data_version(api.reader(database_url).engine)  # a new cut moves the data version
    tag = api.etag(version.stamp, "cuts", lang)
    headers = {"ETag": tag, "Cache-Control": "public, max-age=60"}
    return api.Reply(200, api.json_body(catalogue(lang, database_url)), "application/json", headers)
