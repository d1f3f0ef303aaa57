"""`python -m mirps_dash init`: idempotent with the same row counts, and a clear stop on a bad file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests import truth
from tests.conftest import ROOT


def run_cli(*args: str, url: str, lang: str = "en") -> subprocess.CompletedProcess:
    env = {**os.environ, "MIRPS_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "mirps_dash", "--lang", lang, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def counts(output: str) -> dict[str, int]:
    return {line.split()[0]: int(line.split()[1]) for line in output.splitlines()}


def test_init_twice_prints_identical_row_counts(empty_url):
    first = run_cli("init", url=empty_url)
    assert first.returncode == 0, first.stderr
    second = run_cli("init", url=empty_url)
    assert second.returncode == 0, second.stderr
    assert counts(first.stdout) == counts(second.stdout)
    assert counts(first.stdout)["population"] == len(truth.rows("unhcr_population.csv"))
    assert all(line.split()[2] == "loaded" for line in first.stdout.splitlines())
    assert all(line.split()[2] == "unchanged" for line in second.stdout.splitlines())


def test_init_stops_on_a_bad_file_naming_file_row_and_column(tmp_path, empty_sqlite_url):
    data = tmp_path / "data"
    shutil.copytree(truth.DATA, data)
    path = data / "unhcr_solutions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = lines[3].split(",")
    fields[-1] = "many"
    lines[3] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for lang, expected in (
        ("en", "unhcr_solutions.csv, row 4, column value: 'many' is not a whole number"),
        ("es", "unhcr_solutions.csv, fila 4, columna value: «many» no es un número entero"),
    ):
        result = run_cli("init", "--data-dir", str(data), url=empty_sqlite_url, lang=lang)
        assert result.returncode == 2
        assert expected in result.stderr
        assert result.stdout == ""
