"""What a visitor waits for, in Chromium: `python bench/browser.py --scale 1 [--sessions 20] [--repeats 5]`.

For every page, against a real `streamlit run` server on a database of the given scale (bench/generate.py):
- navigation to last chart: from `page.goto` until the script has finished and every chart and map on the
  page has drawn (median and p95 over `--repeats` visits), on a first visit (a new browser profile) and
  on going on to the page from another one (the frontend's files cached, as for a visitor clicking through);
- the largest websocket message the server sent while drawing it;
- the server's memory (resident set, with its children) after one visitor has seen every page, and with
  `--sessions` visitors holding every page open at once.
Prints Markdown tables (`--record` appends them to bench/RESULTS.md). `--quick` proves the script works
(one visit, two sessions).
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PAGES, bench_database, machine, percentile, record_option, recorded  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Drawn: the script is idle and no chart or map is still a placeholder.
DRAWN = """() => {
  const running = document.querySelector('[data-testid=stStatusWidget]');
  const charts = [...document.querySelectorAll('[data-testid=stVegaLiteChart]')];
  const drawn = charts.every(c => c.querySelector('canvas, svg'));
  const maps = [...document.querySelectorAll('[data-testid=stDeckGlJsonChart]')];
  const mapsDrawn = maps.every(m => m.querySelector('canvas'));
  const skeletons = document.querySelectorAll('[data-testid=stSkeleton]').length;
  return !running && drawn && mapsDrawn && skeletons === 0 && document.querySelector('h1') !== null;
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "MIRPS_DATABASE_URL": database_url}
    env.setdefault("MIRPS_COOKIE_KEY", secrets.token_hex(32))
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):  # noqa: S310 - our loopback server
                return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("streamlit did not start")


def resident_mb(pid: int) -> float:
    """Resident memory of a process and its children, from /proc (Linux)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def path_of(script: str, query: dict) -> str:
    name = "" if script == "app.py" else Path(script).stem
    return f"/{name}?" + "&".join(f"{k}={v}" for k, v in query.items())


def visit(browser, url: str, *, after: str | None = None) -> tuple[float, int]:
    """Seconds from navigation until everything is drawn, and the largest websocket message received.

    In a new browser profile, as a first visit; with `after`, once that page has been opened in the same
    profile, as a visitor going on to another page (the frontend's files are then in the browser's cache)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    if after:
        page.goto(after)
        page.wait_for_function(DRAWN, timeout=120_000, polling=50)
    largest = 0

    def on_socket(socket) -> None:
        def received(payload) -> None:
            nonlocal largest
            largest = max(largest, len(payload))

        socket.on("framereceived", received)

    page.on("websocket", on_socket)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(DRAWN, timeout=120_000, polling=50)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed, largest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--quick", action="store_true")
    record_option(parser)
    args = parser.parse_args()
    if args.quick:
        args.scale, args.repeats, args.sessions = 1, 1, 2
    from playwright.sync_api import sync_playwright

    process, server = start_server(bench_database(args.scale))
    try:
        with recorded(args.record), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            print(f"{date.today()} · {machine()}")
            print(f"scale {args.scale}x · {args.repeats} visits per page · Chromium 1440x900\n")
            print(
                "| page | first visit: to last chart median (s) | p95 (s) | next page: median (s) | p95 (s) "
                "| largest message (KB) |"
            )
            print("|---|---:|---:|---:|---:|---:|")
            overview = server + path_of(*PAGES[0][1:])
            visit(browser, overview)  # the first visit loads and warms the caches
            for name, script, query in PAGES:
                url = server + path_of(script, query)
                first = [visit(browser, url) for _ in range(args.repeats)]
                previous = overview if name != "overview" else server + path_of("pages/about.py", {"lang": "en"})
                after = [visit(browser, url, after=previous) for _ in range(args.repeats)]
                cold, warm = [seconds for seconds, _ in first], [seconds for seconds, _ in after]
                largest = max(size for _, size in first + after)
                print(
                    f"| {name} | {statistics.median(cold):.2f} | {percentile(cold, 0.95):.2f} | "
                    f"{statistics.median(warm):.2f} | {percentile(warm, 0.95):.2f} | {largest / 1024:.0f} |"
                )
            one = resident_mb(process.pid)
            contexts = []
            for _ in range(args.sessions):  # each visitor: one tab that walks through every page and stays
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                page = context.new_page()
                for _name, script, query in PAGES:
                    page.goto(server + path_of(script, query))
                    page.wait_for_function(DRAWN, timeout=300_000, polling=200)
                contexts.append(context)
            many = resident_mb(process.pid)
            print(
                f"\nserver memory: {one:.0f} MB after one visitor; {many:.0f} MB with {args.sessions} "
                f"visitors connected, each having seen all {len(PAGES)} pages"
            )
            for context in contexts:
                context.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
