"""Script run time of every page, cold and warm, at a given data size: `python bench/run.py --scale 1`.

Each page is run through Streamlit's AppTest against a database of the given scale (made with
bench/generate.py when missing): cold = the median of first runs after clearing every cache, in a process
that has already imported its modules and found the installed components (a server does both once, at
start; both sides get the same warm-up); warm = the median and p95 of repeated reruns. Prints Markdown
tables; `--record` appends them to bench/RESULTS.md. `--quick` runs one scale-1 round with few repeats, to
prove the script works (CI); it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import io
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("overview", "app.py", {"lang": "en"}),
    ("displacement", "pages/displacement.py", {"lang": "en"}),
    ("country", "pages/country.py", {"lang": "en", "country": "HND"}),
    ("plans", "pages/plans.py", {"lang": "en", "country": "GTM"}),
    ("cities", "pages/cities.py", {"lang": "en"}),
    ("workplan", "pages/workplan.py", {"lang": "en"}),
    ("support", "pages/support.py", {"lang": "en"}),
    ("about", "pages/about.py", {"lang": "en"}),
]


# The same pages written the idiomatic way (bench/baseline/): `st.connection("sql").query` into pandas.
BASELINE = {name: f"bench/baseline/{name}.py" for name, _, _ in PAGES}


RESULTS = ROOT / "bench" / "RESULTS.md"


def machine() -> str:
    """What the figures were measured on. The processor is named: two machines of the same kind, on
    different hosts, have run the same code twice as fast as each other."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()} · {processor()} · {os.cpu_count()} cores · {memory:.0f} GiB · "
        f"Python {platform.python_version()}"
    )


def processor() -> str:
    """The processor's model and clock as Linux reports them (`/proc/cpuinfo`), or the platform's name."""
    info = Path("/proc/cpuinfo")
    fields = {}
    if info.exists():
        for line in info.read_text().splitlines():
            name, _, value = line.partition(":")
            fields.setdefault(name.strip(), value.strip())
    model = fields.get("model name") or platform.processor() or "processor unknown"
    clock = fields.get("cpu MHz")
    return f"{model} at {float(clock) / 1000:.1f} GHz" if clock else model


class _Tee(io.StringIO):
    def __init__(self, screen):
        super().__init__()
        self.screen = screen

    def write(self, text: str) -> int:
        self.screen.write(text)
        return super().write(text)


@contextlib.contextmanager
def recorded(into: Path | None):
    """Everything printed inside, also appended to `into` (bench/RESULTS.md) as a dated section, headed
    by the command that made it, so a result is never pasted by hand."""
    if into is None:
        yield
        return
    tee = _Tee(sys.stdout)
    with contextlib.redirect_stdout(tee):
        yield
    command = " ".join(["python", f"bench/{Path(sys.argv[0]).name}", *_without_record_file(sys.argv[1:])])
    with Path(into).open("a", encoding="utf-8") as results:
        results.write(f"\n## {date.today()} · `{command}`\n\n{tee.getvalue().strip()}\n")


def _without_record_file(arguments: list[str]) -> list[str]:
    """The arguments with `--record`'s file left out: where a run was written says nothing about it."""
    kept = []
    for argument in arguments:
        if kept and kept[-1] == "--record" and not argument.startswith("-"):
            continue
        kept.append("--record" if argument.startswith("--record=") else argument)
    return kept


def record_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--record",
        nargs="?",
        const=RESULTS,
        type=Path,
        default=None,
        help="also append the results to bench/RESULTS.md (or the given file)",
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@functools.cache
def _installed_components():
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def as_served(app):
    """Hand a new AppTest the components found once: a server looks for installed components once, at
    start, and AppTest on every new AppTest's first run (0.2-0.3 s of reading every installed package's
    metadata, on both sides of the benchmark and in every test), which no visitor of a server waits for."""
    app._bidi_component_manager = _installed_components()
    return app


@functools.cache
def _one_script_cache():
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    return ScriptCache()


def compile_once() -> None:
    """Let every AppTest of this process share one script cache: a server compiles each page once for all
    its sessions (its runtime's one `ScriptCache`), and AppTest makes a new cache every run, so every run
    paid for reading and compiling its script again: 1-2 ms for each of ours (a page and the entry script
    behind it), 1 ms for a baseline page. The benchmark's scripts do not change while it runs; the tests
    keep AppTest's own behaviour."""
    from streamlit.testing.v1 import app_test, local_script_runner

    app_test.ScriptCache = local_script_runner.ScriptCache = _one_script_cache


def _no_client_context():
    return None  # what a server's session reads for a visitor whose request carried no cookie


def cookies_as_served() -> None:
    """Let `st.context` read a visitor's request as a server does. A server keeps each session's cookies
    and headers in a dict made at the websocket's handshake; AppTest hands every run a new `MagicMock`
    runtime, whose session client and its cookies are mocks made on first read: 1.7 ms of every rerun of
    ours (py-spy, `/country` at 1000x), which reads the sign-in cookie on every run. The baseline reads
    none. The tests keep AppTest's own behaviour."""
    from streamlit.runtime import context

    context._get_client_context = _no_client_context


def open_page(script: str, query: dict):
    from streamlit.testing.v1 import AppTest

    compile_once()
    cookies_as_served()
    baseline = script.startswith("bench/")  # a baseline page is a script of its own
    app = as_served(AppTest.from_file(str(ROOT / (script if baseline else "app.py")), default_timeout=600))
    for key, value in query.items():
        app.query_params[key] = value
    if not baseline and script != "app.py":
        app.switch_page(script)
    return app


def timed(app) -> float:
    start = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - start
    if app.exception:
        raise RuntimeError(app.exception[0].message)
    return elapsed


def run_page(script: str, query: dict, repeats: int, colds: int = 3) -> tuple[float, list[float], list[float]]:
    """Cold: the median of `colds` first runs, each after clearing every cache (Streamlit's and `memo`).
    Rerun: the same session running the page again (what a click costs). New session: another visitor
    opening the page with the caches filled."""
    import streamlit as st

    from mirps_dash import memo

    cold_runs = []
    for _ in range(colds):
        st.cache_data.clear()
        st.cache_resource.clear()
        memo.forget()
        app = open_page(script, query)
        cold_runs.append(timed(app))
    reruns = [timed(app) for _ in range(repeats)]
    sessions = [timed(open_page(script, query)) for _ in range(max(3, repeats // 4))]
    return statistics.median(cold_runs), reruns, sessions


def warm_up() -> None:
    """Import what both sides use by running the smallest page of each once, untimed, and read a SQLite
    database file through once: otherwise the first page measured pays for the disk (3 s instead of
    0.6 s for the overview at 1000x) and the pages after it do not."""
    import pandas  # noqa: F401 - the baseline's frames
    import pydeck  # noqa: F401 - both sides' maps
    from sqlalchemy import make_url

    url = make_url(os.environ["MIRPS_DATABASE_URL"])
    if url.get_backend_name() == "sqlite" and url.database:
        with Path(url.database).open("rb") as database_file:
            while database_file.read(1 << 24):
                pass
    for script in ("pages/about.py", BASELINE["about"]):
        timed(open_page(script, {"lang": "en"}))


def bench_database(scale: int, server: str | None = None) -> str:
    """The URL of a database of `scale` times the shipped data, made once (bench/generate.py) and kept.
    One file per checkout and generator: worktrees on one machine may be at different schema revisions,
    and a changed generator makes other data. With `server` (a PostgreSQL URL it may create databases
    on), a database `mirps_bench_<scale>x_<generator>` there instead."""
    generator = hashlib.sha256((ROOT / "bench" / "generate.py").read_bytes()).hexdigest()[:8]
    if server:
        return _postgres_database(server, f"mirps_bench_{scale}x_{generator}", scale)
    checkout = hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]
    database_file = Path(tempfile.gettempdir()) / f"mirps_bench_{scale}x_{checkout}_{generator}.sqlite"
    if not database_file.exists():
        from bench.generate import generate

        partial = database_file.with_suffix(".partial")  # an interrupted run leaves no half-made database
        partial.unlink(missing_ok=True)
        generate(f"sqlite:///{partial}", scale)
        partial.rename(database_file)
    return f"sqlite:///{database_file}"


def _postgres_database(server: str, name: str, scale: int) -> str:
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    if not exists:
        from bench.generate import generate

        generate(url, scale)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--colds", type=int, default=3, help="cold runs per page (their median is reported)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--baseline", action="store_true", help="also run the idiomatic baseline pages")
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server URL to run on instead of SQLite")
    record_option(parser)
    args = parser.parse_args()
    if args.quick:
        args.scale, args.repeats, args.colds = 1, 3, 1
    os.environ["MIRPS_DATABASE_URL"] = bench_database(args.scale, args.postgres)
    os.environ.setdefault("MIRPS_COOKIE_KEY", secrets.token_hex(32))  # a configured database needs one
    with recorded(args.record):
        measure(args)


def measure(args: argparse.Namespace) -> None:
    print(f"{date.today()} · {machine()}")
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"scale {args.scale}x · {backend} · {args.colds} cold runs and {args.repeats} reruns per page\n")
    print("| page | cold (s) | rerun median (ms) | rerun p95 (ms) | new session median (ms) |")
    print("|---|---:|---:|---:|---:|")
    warm_up()
    ours = {}
    for name, script, query in PAGES:
        cold, reruns, sessions = run_page(script, query, args.repeats, args.colds)
        ours[name] = (cold, statistics.median(reruns))
        median, p95 = statistics.median(reruns) * 1000, percentile(reruns, 0.95) * 1000
        print(f"| {name} | {cold:.2f} | {median:.0f} | {p95:.0f} | {statistics.median(sessions) * 1000:.0f} |")
    if args.baseline or args.quick:
        print("\n| page | baseline cold (s) | ours cold (s) | cold ratio | baseline rerun (ms) | ours (ms) | ratio |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, _script, query in PAGES:
            cold, reruns, _ = run_page(BASELINE[name], query, args.repeats, args.colds)
            warm = statistics.median(reruns)
            our_cold, our_warm = ours[name]
            print(
                f"| {name} | {cold:.2f} | {our_cold:.2f} | {cold / our_cold:.1f}x | {warm * 1000:.0f} | "
                f"{our_warm * 1000:.0f} | {warm / our_warm:.1f}x |"
            )


if __name__ == "__main__":
    main()
