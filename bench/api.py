"""Open data and embeds against `streamlit run app.py`: `python bench/api.py --scale 1000 [--clients 100]`.

On a database of the given scale (bench/generate.py), one server, measured from outside as a client sees it:
- the API: a filtered country-year CSV (`population.csv?country=…&year=…`, the countries and years in turn)
  and a full dataset page (`pairs.csv`, 10,000 rows), sequential requests, median and p95;
- an embed painted in Chromium on a first visit (a new browser profile each time, so the bundled Vega is
  fetched too): from the navigation's start until the chart is on screen (first contentful paint: the page
  carries the server's picture of the chart) and until Vega has drawn it, interactive; median and p95;
- the baseline: the same figure through the Streamlit page (the overview, whose "by country" chart the
  `by-country` embed draws): a first visit until every chart has drawn (bench/browser.py's measure);
- `--clients` API clients at once for `--seconds`: requests answered, errors, p95, and the server's memory
  at the start, its peak and at the end.
Prints Markdown tables (`--record` appends them to bench/RESULTS.md); `--quick` proves the script works.
"""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import CHROMIUM_ARGS, resident_mb, start_server, visit  # noqa: E402
from bench.run import bench_database, machine, percentile, record_option, recorded  # noqa: E402
from mirps_dash import settings  # noqa: E402

YEARS = range(2016, 2026)


def fetch(url: str) -> tuple[float, int]:
    """Seconds for the whole answer, and its status."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our loopback server
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return time.perf_counter() - start, status


def filtered_urls(server: str):
    pairs = itertools.cycle(itertools.product(settings.MIRPS_COUNTRIES, YEARS))
    return (f"{server}/api/v1/datasets/population.csv?country={c}&year={y}" for c, y in pairs)


def sequential(urls, count: int) -> list[float]:
    times = []
    for url in itertools.islice(urls, count):
        seconds, status = fetch(url)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        times.append(seconds)
    return times


def paint_embed(browser, url: str) -> tuple[float, float]:
    """Seconds from the start of the navigation until the chart is on screen (the browser's first contentful
    paint, which includes the server's picture of the chart) and until Vega has drawn it, interactive, at the
    page's width; both read from the browser's own clock, so the harness's polling adds nothing."""
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("document.body.dataset.drawn === '1'", timeout=120_000, polling=20)
    painted = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    drawn = float(page.evaluate("document.body.dataset.drawnAt"))
    context.close()
    return painted / 1000, drawn / 1000


def crowd(server: str, process, clients: int, seconds: float) -> dict:
    """`clients` threads requesting filtered CSVs, full pages and embeds in turn for `seconds`."""
    stop = time.monotonic() + seconds
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    mixes = [f"{server}/api/v1/datasets/pairs.csv", f"{server}/embed/by-country?lang=en"]

    def client(number: int) -> None:
        urls = itertools.chain.from_iterable(zip(filtered_urls(server), itertools.cycle(mixes), strict=False))
        for url in itertools.islice(urls, number, None):
            if time.monotonic() > stop:
                return
            try:
                spent, status = fetch(url)
            except OSError as error:
                spent, status = 0.0, str(error)
            with lock:
                times.append(spent)
                if status != 200:
                    errors.append(f"{status} {url}")

    memory = [resident_mb(process.pid)]
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        time.sleep(1)
        memory.append(resident_mb(process.pid))
    return {"requests": len(times), "errors": errors, "p95": percentile(times, 0.95), "memory": memory}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--visits", type=int, default=10, help="first visits per embed and per baseline page")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server URL to run on instead of SQLite")
    parser.add_argument("--quick", action="store_true")
    record_option(parser)
    args = parser.parse_args()
    if args.quick:
        args.scale, args.requests, args.visits, args.clients, args.seconds = 1, 10, 1, 4, 3
    database_url = bench_database(args.scale, args.postgres)
    os.environ.setdefault("MIRPS_COOKIE_KEY", secrets.token_hex(32))
    with recorded(args.record):
        measure(args, database_url)


def measure(args: argparse.Namespace, database_url: str) -> None:
    from playwright.sync_api import sync_playwright

    process, server = start_server(database_url)
    try:
        fetch(f"{server}/api/v1/datasets")  # the first request loads a fresh database; not a visitor's wait
        backend = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{date.today()} · {machine()}")
        print(f"scale {args.scale}x · {backend} · {args.requests} requests each, {args.visits} first visits each\n")
        print("| request | median (ms) | p95 (ms) |")
        print("|---|---:|---:|")
        sequential(filtered_urls(server), 5)  # warm the connection pool and the version read
        for label, urls in (
            ("API: filtered country-year CSV", filtered_urls(server)),
            ("API: full dataset page (pairs, 10,000 rows)", itertools.repeat(f"{server}/api/v1/datasets/pairs.csv")),
        ):
            times = sequential(urls, args.requests)
            print(f"| {label} | {statistics.median(times) * 1000:.1f} | {percentile(times, 0.95) * 1000:.1f} |")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            paint_embed(browser, f"{server}/embed/by-country?lang=en")  # the server's first build of it
            visit(browser, f"{server}/?lang=en")
            times = [paint_embed(browser, f"{server}/embed/by-country?lang=en") for _ in range(args.visits)]
            painted, drawn = [t[0] for t in times], [t[1] for t in times]
            pages = [visit(browser, f"{server}/?lang=en")[0] for _ in range(args.visits)]
            browser.close()
        print()
        print("| first visit, Chromium | median (s) | p95 (s) |")
        print("|---|---:|---:|")
        for label, seconds in (("painted", painted), ("drawn by Vega, interactive", drawn)):
            median, p95 = statistics.median(seconds), percentile(seconds, 0.95)
            print(f"| embed `by-country` {label} | {median:.2f} | {p95:.2f} |")
        median, p95 = statistics.median(pages), percentile(pages, 0.95)
        print(f"| baseline: the overview page, every chart drawn | {median:.2f} | {p95:.2f} |")
        found = crowd(server, process, args.clients, args.seconds)
        memory = found["memory"]
        print()
        print(f"{args.clients} clients for {args.seconds:g} s (filtered CSVs, full pages and embeds in turn): ")
        print(f"{found['requests']} answers, {len(found['errors'])} errors, p95 {found['p95'] * 1000:.0f} ms; ")
        start, peak, end = memory[0], max(memory), memory[-1]
        print(f"server memory {start:.0f} MB at the start, {peak:.0f} MB at its peak, {end:.0f} MB at the end")
        for error in found["errors"][:5]:
            print(f"- {error}")
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
