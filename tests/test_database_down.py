"""The database goes away and comes back while the app runs: the page says so plainly (no traceback), and
works again once the server is back, without restarting the app. Runs on a throwaway PostgreSQL cluster of
its own (the shared test server must not be stopped)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from mirps_dash import i18n
from tests.conftest import ROOT, skip_or_fail
from tests.test_browser import ARTIFACTS, TIMEOUT_MS, browser, free_port, streamlit_server  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


class Cluster:
    """initdb/pg_ctl in a temp dir, as the `postgres` user when run as root (PostgreSQL refuses root)."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="mirps-pg-"))
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            [*self.as_postgres, str(self.bin_dir / tool), *args], cwd=self.dir, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{tool}: {done.stdout}{done.stderr}{self.log()}"

    def log(self) -> str:
        path = self.dir / "postgres.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def init(self) -> None:
        self._run("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8")

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir}"
        self._run(
            "pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "postgres.log"), "-w", "-o", options, "start"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "stop", "-m", "fast", "-w")

    def remove(self) -> None:
        if (self.dir / "data" / "postmaster.pid").exists():
            subprocess.run(
                [*self.as_postgres, str(self.bin_dir / "pg_ctl"), "-D", str(self.dir / "data"), "stop", "-m", "fast"],
                cwd=self.dir,
                capture_output=True,
            )
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        skip_or_fail("MIRPS_REQUIRE_POSTGRES", "no PostgreSQL binaries (apt-get install postgresql)")
    own = Cluster(Path(found[-1]).parent)
    try:
        own.init()
        own.start()
        yield own
    finally:
        own.remove()


@pytest.fixture(scope="module")
def app_server(cluster):
    """One `streamlit run` on the throwaway cluster, its data loaded by the CLI first."""
    env = {**os.environ, "MIRPS_DATABASE_URL": cluster.url}
    init = subprocess.run([sys.executable, "-m", "mirps_dash", "init"], cwd=ROOT, env=env, capture_output=True)
    assert init.returncode == 0, init.stderr.decode()
    with streamlit_server(cluster.url, startup_seconds=90) as url:
        yield url


def test_the_app_says_the_database_is_down_and_recovers_when_it_is_back(cluster, app_server, browser):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    headline = page.get_by_role("heading", name=i18n.t("overview_title", "en"))
    figure = page.get_by_test_id("stMetricValue").first
    unreachable = page.get_by_text(i18n.t("db_unreachable", "en"))

    page.goto(f"{app_server}/?lang=en")
    expect(headline).to_be_visible(timeout=TIMEOUT_MS)
    expect(figure).to_be_visible(timeout=TIMEOUT_MS)

    cluster.stop()
    page.reload()
    expect(unreachable).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    expect(figure).to_have_count(0)  # no figures from before the outage, as if they were current
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "database_down_en.png"))

    cluster.start()
    page.reload()
    expect(headline).to_be_visible(timeout=TIMEOUT_MS)
    expect(figure).to_be_visible(timeout=TIMEOUT_MS)
    expect(unreachable).to_have_count(0)
    context.close()
