"""A first visit over a slower network, through the deployment's nginx: `python bench/network.py`.

A participant opening a plenary link is not on loopback. Chromium emulates a network here (`--latency`
ms added to every request, `--mbit` Mbit/s down and a quarter of it up), and each page is opened in a new
browser profile (nothing cached), until every chart and map has drawn and been painted (as in
bench/browser.py), three ways in:
- **direct**: one `streamlit run` server, as Streamlit serves its files (HTTP/1.1, uncompressed);
- **nginx**: the same server behind nginx rendered from deploy/nginx.conf.template (gzip, its cache);
- **nginx TLS h2**: the same over TLS with HTTP/2 (the launcher's `--tls-cert`/`--tls-key`; a
  self-signed certificate made with openssl here).
Each way in is visited once untimed first (the server's caches, nginx's cache), then in turns. Prints
medians and ratios; `--record` appends them to bench/RESULTS.md; `--quick` proves the script works (one
visit of the overview each way).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import (  # noqa: E402
    CHROMIUM_ARGS,
    DRAWN_NOTED,
    free_port,
    new_context,
    path_of,
    settling,
    start_server,
)
from bench.run import PAGES, bench_database, machine, record_option, recorded  # noqa: E402
from deploy import scale_out  # noqa: E402

SIDES = ("direct", "nginx", "nginx TLS h2")


def start_nginx(folder: Path, upstream: str, tls: scale_out.Tls | None) -> tuple[subprocess.Popen, str]:
    """nginx from the deployment's template in front of `upstream` (host:port), in a prefix of its own."""
    nginx = scale_out.find_nginx()
    if nginx is None:
        raise SystemExit("nginx is not installed (apt-get install nginx)")
    scale_out.prepare_prefix(folder)
    port = free_port()
    config = scale_out.render_config(f"127.0.0.1:{port}", [upstream], tls=tls)
    command = scale_out.nginx_command(nginx, folder, config)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    for _ in range(60):
        if scale_out.healthy(url):
            return process, url
        time.sleep(0.25)
    process.kill()
    raise RuntimeError(f"nginx did not answer at {url}")


STALL_S = 60  # a visit not drawn by then is a stall of the emulation (see `first_visit`)


def first_visit(browser, url: str, latency_ms: float, mbit: float, stalls: list[str]) -> tuple[float, str]:
    """Seconds from navigation until drawn on the emulated network, and the protocol the scripts came by.

    Over HTTP/2 at 40 ms and 20 Mbit/s, a few first visits in twenty never finished loading: nginx's
    access log had every response sent in full while Chromium still showed them pending, so the stall is
    in Chromium's emulated throttling. Such a visit is noted in `stalls` and made again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _attempt in range(3):
        try:
            return _visit(browser, url, latency_ms, mbit)
        except PlaywrightTimeout:
            stalls.append(url)
    raise RuntimeError(f"{url}: three visits in a row never drew")


def _visit(browser, url: str, latency_ms: float, mbit: float) -> tuple[float, str]:
    context = new_context(browser, ignore_https_errors=True)
    page = context.new_page()
    network = context.new_cdp_session(page)
    network.send("Network.enable")
    down = mbit * 1_000_000 / 8  # bytes a second
    network.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency_ms, "downloadThroughput": down, "uploadThroughput": down / 4},
    )
    try:
        start = time.perf_counter()
        page.goto(url, timeout=STALL_S * 1000)
        page.wait_for_function(DRAWN_NOTED, timeout=STALL_S * 1000, polling=50)
        elapsed = time.perf_counter() - start + settling(page)
        protocol = page.evaluate(
            "performance.getEntriesByType('resource').find(r => r.name.includes('/static/js/')).nextHopProtocol"
        )
    finally:
        context.close()
    return elapsed, protocol


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--latency", type=float, default=100, help="milliseconds added to every request")
    parser.add_argument("--mbit", type=float, default=10, help="download Mbit/s (upload: a quarter)")
    parser.add_argument("--quick", action="store_true")
    record_option(parser)
    args = parser.parse_args()
    pages = PAGES[:1] if args.quick else PAGES
    if args.quick:
        args.repeats = 1
    from playwright.sync_api import sync_playwright

    server, direct = start_server(bench_database(args.scale))
    processes = [server]
    try:
        with tempfile.TemporaryDirectory(prefix="mirps-network-") as folder:
            Path(folder).chmod(0o755)  # nginx's workers reach their prefixes inside it
            tls = scale_out.self_signed(Path(folder))
            upstream = direct.removeprefix("http://")
            urls = {"direct": direct}
            for side, certificate in (("nginx", None), ("nginx TLS h2", tls)):
                process, urls[side] = start_nginx(Path(folder) / side.replace(" ", "-"), upstream, certificate)
                processes.append(process)
            with recorded(args.record), sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                print(f"{date.today()} · {machine()}")
                print(
                    f"scale {args.scale}x · {args.latency:.0f} ms a request, {args.mbit:g} Mbit/s down "
                    f"(Chromium's emulation) · {args.repeats} first visits per page and way in · 1440x900\n"
                )
                seconds = {(side, name): [] for side in SIDES for name, _, _ in pages}
                protocols = {side: set() for side in SIDES}
                stalls = {side: [] for side in SIDES}
                for round_ in range(args.repeats + 1):  # the first round fills the caches, untimed
                    for name, script, query in pages:
                        for side in SIDES:
                            elapsed, protocol = first_visit(
                                browser, urls[side] + path_of(script, query), args.latency, args.mbit, stalls[side]
                            )
                            protocols[side].add(protocol)
                            if round_:
                                seconds[(side, name)].append(elapsed)
                browser.close()
                print_table(pages, seconds)
                print("\nprotocols: " + " · ".join(f"{side} {', '.join(sorted(protocols[side]))}" for side in SIDES))
                print(
                    f"visits the emulation stalled (over {STALL_S} s; made again, not timed): "
                    + " · ".join(f"{side} {len(stalls[side])}" for side in SIDES)
                )
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)


def print_table(pages, seconds) -> None:
    """Medians; a ratio above 1 means the visitor waits less than on the way in it is compared with."""
    print(
        "| page | direct (s) | nginx (s) | nginx TLS h2 (s) | nginx against direct | TLS h2 against direct "
        "| TLS h2 against nginx |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, _, _ in pages:
        direct, nginx, h2 = (statistics.median(seconds[(side, name)]) for side in SIDES)
        print(
            f"| {name} | {direct:.2f} | {nginx:.2f} | {h2:.2f} | {direct / nginx:.2f}x | {direct / h2:.2f}x "
            f"| {nginx / h2:.2f}x |"
        )


if __name__ == "__main__":
    main()
