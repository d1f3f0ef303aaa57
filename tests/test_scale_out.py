"""Two replicas on one PostgreSQL behind nginx (deploy/scale_out.py): a team signs in and submits a value
through the proxy, and the other replica, opened directly with the same cookie, serves that signed-in
session and sees the value. Proves the deployment keeps no state in a replica that another one needs,
and that nginx keeps a browser on one replica (its Streamlit session lives there)."""

from __future__ import annotations

import csv
import gzip
import io
import re
import secrets
import subprocess
import sys
import urllib.request

import pytest
from sqlalchemy import create_engine, text

from deploy import scale_out
from mirps_dash import i18n
from tests.conftest import ROOT, fresh_postgres_database, skip_or_fail
from tests.test_browser import ARTIFACTS, TIMEOUT_MS, browser, sign_in, upload_file  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

USER, PASSWORD = "ntt_hnd_scale", "scale-out-" + secrets.token_hex(8)


def cli(url: str, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mirps_dash", "--database-url", url, "--lang", "en", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def honduras_value(url: str) -> dict:
    """A reported Honduras value in a period still open for changes, with the version a team would read."""
    engine = create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT i.code, v.period, v.value, v.version FROM indicator_value v "
                "JOIN indicator i ON i.id = v.indicator_id JOIN commitment c ON c.id = i.commitment_id "
                "WHERE c.country_iso3 = 'HND' AND NOT EXISTS (SELECT 1 FROM period_lock l "
                "WHERE l.country_iso3 = c.country_iso3 AND l.period = v.period) "
                "ORDER BY v.period DESC, i.code LIMIT 1"
            )
        ).one()
    engine.dispose()
    return row._asdict()


def upstream_of(url: str, route: str | None = None) -> tuple[str, str | None]:
    """(the replica nginx chose, the route cookie it set) for one request."""
    request = urllib.request.Request(f"{url}/_stcore/health")  # noqa: S310 (loopback)
    if route:
        request.add_header("Cookie", f"mirps_route={route}")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        routes = [c for c in response.headers.get_all("Set-Cookie") or () if c.startswith("mirps_route=")]
        return response.headers["X-Upstream"], routes[0] if routes else None


@pytest.fixture(scope="module")
def database(postgres_server):
    """A fresh database of its own on the test server, for the module (starting replicas takes a while)."""
    with fresh_postgres_database(postgres_server, "mirps_test_scale") as url:
        yield url


@pytest.fixture(scope="module")
def deployment(database):
    if scale_out.find_nginx() is None:
        skip_or_fail("MIRPS_REQUIRE_BROWSER", "nginx is not installed (apt-get install nginx)")
    cli(database, "init")
    cli(database, "demo", "load")  # the illustrative indicators give Honduras something to report on
    cli(database, "users", "add", USER, "--role", "ntt", "--country", "HND", "--password-stdin", stdin=PASSWORD)
    # The launcher's own temp dir, as a person gets it (nginx workers must reach it when run as root).
    launched = scale_out.ScaleOut(database, secrets.token_hex(32), replicas=2)
    try:
        with launched:
            yield launched
            assert not launched.dead(), launched.logs()
    except scale_out.LaunchError:
        pytest.fail(launched.logs())


def test_every_replica_has_drawn_a_page_before_the_launcher_reports_ready(deployment):
    """The launcher makes each replica's first run (imports, database check) itself, so no participant waits
    for it: the run it made drew the whole overview, as many messages as another session's run of it."""
    assert len(deployment.first_runs) == len(deployment.replica_urls) == 2
    for url, messages in zip(deployment.replica_urls, deployment.first_runs, strict=True):
        assert messages > 20
        assert scale_out.first_run(url) == messages


def test_nginx_keeps_a_browser_on_one_replica_and_spreads_browsers(deployment):
    first, cookie = upstream_of(deployment.url)
    assert cookie, "a new browser gets a route cookie"
    route = cookie.split(";")[0].split("=", 1)[1]
    assert {upstream_of(deployment.url, route)[0] for _ in range(8)} == {first}
    seen = {upstream_of(deployment.url, f"browser-{n}")[0] for n in range(32)}
    assert seen == {url.removeprefix("http://") for url in deployment.replica_urls}


def test_nginx_compresses_the_frontend_files_and_serves_them_from_its_cache(deployment):
    with urllib.request.urlopen(f"{deployment.url}/", timeout=10) as response:  # noqa: S310 (loopback)
        script = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', response.read().decode()).group(1)
    replies = []
    for _ in range(2):
        request = urllib.request.Request(f"{deployment.url}/{script}", headers={"Accept-Encoding": "gzip"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            replies.append((dict(response.headers), response.read()))
    (first_headers, first_body), (second_headers, second_body) = replies
    assert first_headers["Content-Encoding"] == "gzip" and second_headers["Content-Encoding"] == "gzip"
    assert second_headers["X-Cache-Status"] == "HIT"
    with urllib.request.urlopen(f"{deployment.replica_urls[0]}/{script}", timeout=10) as response:  # noqa: S310
        original = response.read()
    assert gzip.decompress(first_body) == gzip.decompress(second_body) == original
    assert len(first_body) < len(original) / 2


def test_a_value_submitted_through_the_proxy_is_served_by_the_other_replica(deployment, browser, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    url = deployment.url
    chosen = honduras_value(deployment.database_url)
    new_value = chosen["value"] + 1
    upload = tmp_path / "hnd.csv"
    with upload.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["indicator_code", "period", "value", "version", "comment"])
        writer.writerow([chosen["code"], chosen["period"], new_value, chosen["version"], "scale-out test"])

    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    upstreams: set[str] = set()
    # The frontend's files may come from nginx's cache (no replica); every other response names one.
    page.on(
        "response",
        lambda r: r.url.startswith(url) and "/static/" not in r.url and upstreams.add(r.headers.get("x-upstream", "")),
    )
    page.goto(f"{url}/data?lang=en")
    sign_in(page, USER, PASSWORD)
    upload_file(page, upload)
    preview = i18n.t("imp_summary_preview", "en", new=0, changed=1, unchanged=0)
    expect(page.get_by_text(preview)).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name=i18n.t("data_submit", "en")).click()
    success = page.get_by_text(i18n.t("data_saved", "en", new=0, changed=1, unchanged=0), exact=True)
    expect(success).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text(preview)).to_have_count(0)
    success.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scale_out_submitted_via_proxy.png"), full_page=True)
    assert len(upstreams) == 1 and "" not in upstreams, f"one browser, one replica: {upstreams}"
    served_by = upstreams.pop()

    # The other replica, directly: same browser, same cookie (signed with the shared key; session in PostgreSQL).
    (other,) = [replica for replica in deployment.replica_urls if replica.removeprefix("http://") != served_by]
    direct = context.new_page()
    direct.goto(f"{other}/data?lang=en")
    expect(direct.get_by_role("button", name=i18n.t("auth_sign_out", "en"))).to_be_visible(timeout=TIMEOUT_MS)
    expect(direct.get_by_label(i18n.t("auth_password", "en"), exact=True)).to_have_count(0)
    # The same file again on that replica: it reads the new value from the shared database, so nothing changes.
    upload_file(direct, upload)
    unchanged = i18n.t("imp_summary_preview", "en", new=0, changed=0, unchanged=1)
    expect(direct.get_by_text(unchanged)).to_be_visible(timeout=TIMEOUT_MS)
    direct.screenshot(path=str(ARTIFACTS / "scale_out_other_replica.png"), full_page=True)
    context.close()

    exported = list(csv.DictReader(io.StringIO(cli(deployment.database_url, "export", "--kind", "indicator_values"))))
    (row,) = [r for r in exported if r["indicator_code"] == chosen["code"] and int(r["period"]) == chosen["period"]]
    assert float(row["value"]) == new_value
    assert int(row["version"]) == chosen["version"] + 1
    assert row["status"] == "submitted"


def test_over_tls_a_browser_gets_http2_a_secure_route_cookie_and_signs_in(deployment, browser, tmp_path):  # noqa: F811
    """The launcher's --tls-cert/--tls-key: HTTPS and HTTP/2 through nginx, the websocket over TLS."""
    tls = scale_out.self_signed(tmp_path)
    launched = scale_out.ScaleOut(deployment.database_url, secrets.token_hex(32), replicas=1, tls=tls)
    try:
        with launched:
            assert launched.url.startswith("https://")
            context = browser.new_context(
                viewport={"width": 1280, "height": 720}, locale="en-US", ignore_https_errors=True
            )
            page = context.new_page()
            page.goto(f"{launched.url}/data?lang=en")
            sign_in(page, USER, PASSWORD)  # the form, its cookie and the session's websocket, all over TLS
            scripts = "performance.getEntriesByType('resource').filter(r => r.name.includes('/static/js/'))"
            assert set(page.evaluate(f"{scripts}.map(r => r.nextHopProtocol)")) == {"h2"}
            (route,) = [cookie for cookie in context.cookies() if cookie["name"] == "mirps_route"]
            assert route["secure"] and route["httpOnly"]
            context.close()
            assert not launched.dead(), launched.logs()
    except scale_out.LaunchError:
        pytest.fail(launched.logs())
