"""The database goes away and comes back while the app runs: the page says so plainly (no traceback), and
works again once the server is back, without restarting the app. Runs on a throwaway PostgreSQL cluster of
its own (the shared test server must not be stopped)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
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

    def processes(self) -> list[int]:
        """The server and every process it started."""
        postmaster = int((self.dir / "data" / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                    children.append(int(stat.parent.name))
        return [postmaster, *children]

    @contextlib.contextmanager
    def frozen(self):
        """Every process of the server stopped with SIGSTOP, as a paused machine is: connections are still
        accepted by the kernel and nothing answers. SIGCONT on the way out, whatever happened."""
        stopped = self.processes()
        for pid in stopped:
            os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in stopped:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)

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


def test_a_frozen_server_gives_the_message_within_ten_seconds_and_the_app_recovers(cluster, app_server, browser):  # noqa: F811
    """The issue's case: PostgreSQL stopped with SIGSTOP while the app runs, its pools full of connections
    to it; the page said nothing for minutes. It must say so plainly within 10 s, and draw again by
    itself once the server goes on."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    headline = page.get_by_role("heading", name=i18n.t("overview_title", "en"))
    figure = page.get_by_test_id("stMetricValue").first
    unreachable = page.get_by_text(i18n.t("db_unreachable", "en"))

    page.goto(f"{app_server}/?lang=en")
    expect(figure).to_be_visible(timeout=TIMEOUT_MS)
    with cluster.frozen():
        page.reload()
        expect(unreachable).to_be_visible(timeout=10_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(figure).to_have_count(0)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "database_frozen_en.png"))
    page.reload()
    expect(headline).to_be_visible(timeout=TIMEOUT_MS)
    expect(figure).to_be_visible(timeout=TIMEOUT_MS)
    expect(unreachable).to_have_count(0)
    context.close()
