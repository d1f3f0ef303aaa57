"""The benchmark runner works (quick mode); it asserts nothing about time, which timed tests would make flaky."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_bench_quick_mode_measures_every_page():
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    ours, baseline = result.stdout.split("baseline cold")
    rows = [line for line in ours.splitlines() if line.startswith("| ") and not line.startswith("| page")]
    assert [row.split("|")[1].strip() for row in rows] == [name for name, _, _ in bench_pages()]
    compared = [line.split("|")[1].strip() for line in baseline.splitlines() if line.startswith("| ")]
    assert compared == [name for name, _, _ in bench_pages() if name in baseline_pages()]


def baseline_pages():
    sys.path.insert(0, str(ROOT))
    from bench.run import BASELINE

    return BASELINE


def bench_pages():
    sys.path.insert(0, str(ROOT))
    from bench.run import PAGES

    return PAGES


def test_browser_bench_quick_mode_measures_every_page_and_the_memory():
    from pathlib import Path

    from tests.conftest import skip_or_fail

    if not Path("/usr/bin/chromium").exists():
        skip_or_fail("MIRPS_REQUIRE_BROWSER", "Debian's chromium is not installed")
    result = subprocess.run(
        [sys.executable, "bench/browser.py", "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and not line.startswith("| page")]
    assert [row.split("|")[1].strip() for row in rows] == [name for name, _, _ in bench_pages()]
    assert all(float(row.split("|")[2]) > 0 and int(row.split("|")[4]) > 0 for row in rows)
    assert "server memory:" in result.stdout


def test_soak_runs_every_page_and_samples_memory():
    result = subprocess.run(
        [sys.executable, "bench/soak.py", "--seconds", "5", "--every", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    samples = [line for line in result.stdout.splitlines() if line.startswith("round")]
    assert samples and all(float(line.split()[-2]) > 0 for line in samples)
    assert "growth after warm-up" in result.stdout
