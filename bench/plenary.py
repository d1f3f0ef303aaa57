"""A link opened by a whole plenary at once: `python bench/plenary.py --visitors 100 [--baseline]`.

Each visitor is a new Streamlit session that does what the frontend does once it has loaded: it opens the
server's websocket and asks for the page (`rerun_script` with the page's name and query). All visitors of a
round connect at the same moment; each one's time runs from its connection to the run's last message
(`script_finished`). That is the server's share of a first visit only: Chromium adds the frontend's start
(about 1 s on this machine) and the drawing, measured by bench/browser.py.

For every page, after one untimed visit that fills the caches: `--rounds` rounds of `--visitors` visitors,
giving the median and p95 over every visitor, the slowest visitor (median over rounds), and the server's
processor time per visitor (from /proc: user and system time of the server and its children, divided by
the visitors). With `--baseline`, the idiomatic pages (bench/baseline/app.py) on their own server, page by
page in turn with ours. With `--postgres URL`, on a PostgreSQL database made there, and also through the
scale-out deployment (deploy/scale_out.py: nginx and `--replicas` replicas), whose route cookie spreads new
visitors over the replicas. Ratios are at p95: the baseline's time over ours, one server's over the
replicas'. Prints Markdown tables (`--record` appends them to bench/RESULTS.md). `--quick`
proves the script works (CI): the overview and one other page, a few visitors, the baseline too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import start_server  # noqa: E402
from bench.run import PAGES, bench_database, machine, percentile, record_option, recorded  # noqa: E402


@dataclass(frozen=True)
class Side:
    """A server to visit: its address, the processes whose time is counted, and the addresses whose
    caches a first visit fills (each replica's own: visits through nginx may land on any of them)."""

    server: str
    pids: list[int]
    warm: list[str]


@dataclass
class Visit:
    seconds: float
    messages: int


async def visit(server: str, page: str, query: dict) -> Visit:
    """One new session asking for `page` (its URL path, "" for the overview) with `query`."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    socket_url = server.replace("http", "ws", 1) + "/_stcore/stream"
    async with websockets.connect(socket_url, subprotocols=["streamlit"], origin=server, max_size=64 << 20) as socket:
        request = BackMsg()
        request.rerun_script.page_name = page
        request.rerun_script.query_string = "&".join(f"{key}={value}" for key, value in query.items())
        await socket.send(request.SerializeToString())
        messages = 0
        while True:
            message = ForwardMsg()
            message.ParseFromString(await socket.recv())
            messages += 1
            if message.WhichOneof("type") == "script_finished":
                return Visit(time.perf_counter() - start, messages)


async def _together(server: str, page: str, query: dict, visitors: int) -> list[Visit]:
    return await asyncio.gather(*(visit(server, page, query) for _ in range(visitors)))


def processor_seconds(pids: list[int]) -> float:
    """User and system time of the processes and their children so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total / ticks


@dataclass
class Rounds:
    """The visits of every round of one page on one side."""

    times: list[float] = field(default_factory=list)
    slowest: list[float] = field(default_factory=list)
    processor: list[float] = field(default_factory=list)  # seconds per visitor, each round
    messages: int = 0

    def add(self, visits: list[Visit], processor: float) -> None:
        self.times += [v.seconds for v in visits]
        self.slowest.append(max(v.seconds for v in visits))
        self.processor.append(processor / len(visits))
        self.messages = visits[0].messages

    def row(self) -> tuple[float, float, float, float]:
        return (
            statistics.median(self.times),
            percentile(self.times, 0.95),
            statistics.median(self.slowest),
            statistics.median(self.processor) * 1000,
        )


def measure(side: Side, page: str, query: dict, visitors: int, into: Rounds) -> None:
    before = processor_seconds(side.pids)
    visits = asyncio.run(_together(side.server, page, query, visitors))
    into.add(visits, processor_seconds(side.pids) - before)


def page_name(script: str) -> str:
    return "" if script == "app.py" else Path(script).stem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--visitors", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", action="store_true", help="also the idiomatic baseline pages")
    parser.add_argument("--postgres", default=None, help="a PostgreSQL server URL: run there, and through replicas")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--quick", action="store_true")
    record_option(parser)
    args = parser.parse_args()
    pages = PAGES
    if args.quick:
        args.scale, args.visitors, args.rounds, args.baseline = 1, 3, 1, True
        pages = PAGES[:1] + PAGES[-1:]
    database = bench_database(args.scale, args.postgres)
    os.environ.setdefault("MIRPS_COOKIE_KEY", secrets.token_hex(32))
    with contextlib.ExitStack() as stack:
        # The deployment first: its launcher brings the database up to date before any replica starts.
        replicas = _replicas(stack, database, args.replicas) if args.postgres else None
        sides = {"ours": _server(stack, database)}
        if replicas:
            sides["replicas"] = replicas
        if args.baseline:
            # The project's settings hide Streamlit's own page list (the dashboard draws its own); the baseline uses it.
            baseline = ("bench/baseline/app.py", "--client.showSidebarNavigation", "true")
            sides["baseline"] = _server(stack, database, *baseline)
        results = {side: {} for side in sides}
        for name, script, query in pages:
            for side, each in sides.items():
                for server in each.warm:  # fills the caches, untimed
                    asyncio.run(_together(server, page_name(script), query, 1))
                results[side][name] = Rounds()
            for _ in range(args.rounds):  # a round of ours, then one of each other side's
                for side, each in sides.items():
                    measure(each, page_name(script), query, args.visitors, results[side][name])
        with recorded(args.record):
            report(args, sides, results, [name for name, _, _ in pages])


def report(args: argparse.Namespace, sides: dict, results: dict, names: list[str]) -> None:
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{date.today()} · {machine()}")
    print(f"scale {args.scale}x · {backend} · {args.visitors} visitors at once · {args.rounds} rounds per page\n")
    labels = {"ours": "ours", "replicas": f"ours, {args.replicas} replicas behind nginx", "baseline": "baseline"}
    for side in sides:
        print(f"**{labels[side]}**\n")
        print("| page | median (s) | p95 (s) | slowest (s) | processor per visitor (ms) | messages |")
        print("|---|---:|---:|---:|---:|---:|")
        for name in names:
            median, p95, slowest, processor = results[side][name].row()
            messages = results[side][name].messages
            print(f"| {name} | {median:.2f} | {p95:.2f} | {slowest:.2f} | {processor:.0f} | {messages} |")
        print()
    # How many times faster, at p95: one server of ours than the baseline's, the replicas than one server.
    pairs = [("baseline", "ours"), ("ours", "replicas")]
    for slower, faster in [(a, b) for a, b in pairs if a in sides and b in sides]:
        print(f"| page | {labels[slower]}: p95 (s) | {labels[faster]}: p95 (s) | ratio |")
        print("|---|---:|---:|---:|")
        for name in names:
            before, after = results[slower][name].row()[1], results[faster][name].row()[1]
            print(f"| {name} | {before:.2f} | {after:.2f} | {before / after:.1f}x |")
        print()


def _server(stack: contextlib.ExitStack, database: str, *script_and_options: str) -> Side:
    process, server = start_server(database, *script_and_options)

    def stop() -> None:
        process.terminate()
        process.wait(timeout=30)

    stack.callback(stop)
    return Side(server, [process.pid], [server])


def _replicas(stack: contextlib.ExitStack, database: str, replicas: int) -> Side:
    """The deployment, counting its replicas' time (not nginx's)."""
    from deploy.scale_out import ScaleOut

    launched = stack.enter_context(ScaleOut(database, os.environ["MIRPS_COOKIE_KEY"], replicas=replicas))
    return Side(launched.url, launched.replica_pids(), launched.replica_urls)


if __name__ == "__main__":
    main()
