"""The web routes served beside the pages by `streamlit run app.py` (`st.App(..., routes=ROUTES)`): open
data under /api/v1, embeddable charts under /embed and /healthz for the deployment.

A thin adapter: each handler reads the request's parts, calls the pure functions of `api` / `embeds`,
and turns their `Reply` into a Starlette response. Handlers are plain functions, which Starlette runs in
its thread pool, so a slow database read never holds the server's event loop (and the websockets of the
pages with it).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mirps_dash import api, api_cuts, database, embeds, i18n, settings

LOGGER = logging.getLogger(__name__)
METHODS = ["GET", "HEAD"]
# Open data may be read by any web page (a donor's notebook, a newsroom's chart); nothing here is private.
OPEN = {"Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"}


def _params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    return params


def _response(reply: api.Reply) -> Response:
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=OPEN | reply.headers)


def _revalidated(reply: api.Reply, if_none_match: str | None) -> api.Reply:
    """304 Not Modified for a client that holds this answer already (its ETag), whatever built it."""
    tag = reply.headers.get("ETag")
    if reply.status == 200 and tag and if_none_match and tag in {part.strip() for part in if_none_match.split(",")}:
        return api.Reply(304, b"", reply.media_type, reply.headers)
    return reply


def _answer(request: Request, build: Callable[[dict[str, list[str]], str], api.Reply]) -> Response:
    """`build(params, lang)`'s reply, or a JSON error in the request's language."""
    params = _params(request)
    lang = i18n.DEFAULT_LANG
    try:
        lang = api.language(params, request.headers.get("accept-language"))
        if not settings.public_viewing():  # the deployment shows nothing without a sign-in: nor do these
            raise api.ApiError(403, "api_not_public")
        return _response(_revalidated(build(params, lang), request.headers.get("if-none-match")))
    except api.ApiError as error:
        return _response(api.error_reply(error, lang))
    except (SQLAlchemyError, database.DatabaseTimeout, OSError):
        LOGGER.exception("open data: the database could not be read")
        return _response(api.error_reply(api.ApiError(503, "api_unavailable"), lang))
    except Exception:  # a defect: logged here, and the client gets JSON without the details
        LOGGER.exception("open data: %s failed", request.url.path)
        return _response(api.error_reply(api.ApiError(500, "api_failed"), lang))


def catalogue(request: Request) -> Response:
    return _answer(request, lambda _params, lang: api.catalogue_reply(lang, settings.database_url()))


def dataset(request: Request) -> Response:
    name, _, fmt = request.path_params["file"].rpartition(".")

    def build(params: dict[str, list[str]], lang: str) -> api.Reply:
        if not name:
            raise api.ApiError(404, "api_unknown_dataset", name=fmt[:60], known=", ".join(api.DATASETS))
        return api.dataset_reply(name, fmt, params, lang, settings.database_url(), request.headers.get("if-none-match"))

    return _answer(request, build)


def datapackage(request: Request) -> Response:
    name = request.path_params["name"]
    return _answer(request, lambda _params, lang: api.datapackage_reply(name, lang, settings.database_url()))


def cut_catalogue(request: Request) -> Response:
    return _answer(request, lambda _params, lang: api_cuts.catalogue_reply(lang, settings.database_url()))


def cut_dataset(request: Request) -> Response:
    cut, file = request.path_params["cut"], request.path_params["file"]
    return _answer(
        request,
        lambda params, lang: api_cuts.dataset_reply(
            cut, file, params, lang, settings.database_url(), request.headers.get("if-none-match")
        ),
    )


def cut_datapackage(request: Request) -> Response:
    cut, name = request.path_params["cut"], request.path_params["name"]
    return _answer(request, lambda _params, lang: api_cuts.datapackage_reply(cut, name, lang, settings.database_url()))


def not_found(request: Request) -> Response:
    def build(_params: dict[str, list[str]], _lang: str) -> api.Reply:
        raise api.ApiError(404, "api_not_found")

    return _answer(request, build)


def embed(request: Request) -> Response:
    return _answer(
        request,
        lambda params, lang: embeds.embed_reply(request.path_params["figure"], params, lang, settings.database_url()),
    )


def script(name: str) -> Callable[[Request], Response]:
    """A script of `static/vega/` (the bundled Vega libraries, the embeds' boot script)."""

    def serve(request: Request) -> Response:
        headers = request.headers
        return _response(embeds.static_reply(name, headers.get("if-none-match"), headers.get("accept-encoding")))

    return serve


def healthz(request: Request) -> Response:
    """200 when the database answers and its schema is at the code's newest migration; 503 otherwise."""
    engine = api.reader(settings.database_url()).engine
    try:
        database.ping(engine)
        at_head = database.is_at_head(engine)
    except (SQLAlchemyError, database.DatabaseTimeout, OSError) as error:
        LOGGER.warning("healthz: database unreachable: %s", type(error).__name__)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503, headers=_NO_STORE)
    if not at_head:
        return JSONResponse({"status": "unavailable", "database": "reachable", "schema": "behind"}, 503, _NO_STORE)
    return JSONResponse({"status": "ok", "database": "reachable", "schema": "head"}, headers=_NO_STORE)


_NO_STORE = {"Cache-Control": "no-store"}


@contextlib.asynccontextmanager
async def lifespan(_app):
    """At the server's start, warm up what a first embed would otherwise wait for, off the event loop."""
    threading.Thread(target=embeds.warm_up, name="embeds-warm-up", daemon=True).start()
    yield


ROUTES = [
    Route("/healthz", healthz, methods=METHODS),
    Route(api.PREFIX, catalogue, methods=METHODS),
    Route(f"{api.PREFIX}/", catalogue, methods=METHODS),
    Route(f"{api.PREFIX}/datasets", catalogue, methods=METHODS),
    Route(f"{api.PREFIX}/datasets/{{name}}/datapackage.json", datapackage, methods=METHODS),
    Route(f"{api.PREFIX}/datasets/{{file}}", dataset, methods=METHODS),
    Route(f"{api.PREFIX}/cuts", cut_catalogue, methods=METHODS),
    Route(f"{api.PREFIX}/cuts/{{cut}}/datasets/{{name}}/datapackage.json", cut_datapackage, methods=METHODS),
    Route(f"{api.PREFIX}/cuts/{{cut}}/datasets/{{file}}", cut_dataset, methods=METHODS),
    Route(f"{api.PREFIX}/{{rest:path}}", not_found, methods=METHODS),
    Route(f"{embeds.PREFIX}/{embeds.BUNDLE_NAME}", script(embeds.BUNDLE_NAME), methods=METHODS),
    Route(f"{embeds.PREFIX}/{embeds.BOOT_NAME}", script(embeds.BOOT_NAME), methods=METHODS),
    Route(f"{embeds.PREFIX}/{{figure}}", embed, methods=METHODS),
]
