"""Soak: every page rerun over and over for a while, with the process's memory sampled as it goes.

`python bench/soak.py --minutes 30` (the default) on the 1x bench database; `--seconds 20` for a short run
(CI). Each round opens every page as a new session and reruns it, as visitors clicking through would.
Prints the resident memory every `--every` rounds and, at the end, the first, peak and last samples and
the growth after warm-up (from the second sample, once every page has filled its caches, to the last),
which should stay near zero. `--record` appends the summary to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PAGES, bench_database, machine, open_page, record_option, recorded, timed  # noqa: E402


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--seconds", type=float, default=None, help="overrides --minutes")
    parser.add_argument("--every", type=int, default=5, help="rounds between memory samples")
    record_option(parser)
    args = parser.parse_args()
    duration = args.seconds if args.seconds is not None else args.minutes * 60
    os.environ["MIRPS_DATABASE_URL"] = bench_database(1)
    os.environ.setdefault("MIRPS_COOKIE_KEY", secrets.token_hex(32))
    samples: list[tuple[int, float]] = []
    start = time.monotonic()
    rounds = 0
    while True:
        for _name, script, query in PAGES:
            app = open_page(script, query)
            timed(app)
            timed(app)
        rounds += 1
        if rounds == 1 or rounds % args.every == 0:
            samples.append((rounds, resident_mb()))
            print(f"round {rounds:>5}  {time.monotonic() - start:>7.0f} s  {samples[-1][1]:>7.1f} MB", flush=True)
        if time.monotonic() - start >= duration:
            break
    if samples[-1][0] != rounds:
        samples.append((rounds, resident_mb()))
    first, warm, last = samples[0][1], samples[min(1, len(samples) - 1)][1], samples[-1][1]
    peak = max(mb for _, mb in samples)
    print()
    with recorded(args.record):  # the summary only: the samples are on screen
        print(f"{date.today()} · {machine()}\n")
        print(
            f"{rounds} rounds of {len(PAGES)} pages in {time.monotonic() - start:.0f} s · memory first {first:.0f} MB, "
            f"peak {peak:.0f} MB, last {last:.0f} MB · growth after warm-up {last - warm:+.0f} MB"
        )


if __name__ == "__main__":
    main()
