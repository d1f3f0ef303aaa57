"""The benchmark runner works (quick mode); it asserts nothing about time, which timed tests would make flaky."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.test_browser import browser  # noqa: F401 (fixture)


def test_bench_quick_mode_measures_every_page_and_records_what_it_printed(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n")
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--record", str(results)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    recorded = results.read_text()
    assert recorded.startswith("# Benchmark results\n\n## ") and "`python bench/run.py --quick --record`" in recorded
    assert str(tmp_path) not in recorded  # where it was written is not part of the result
    assert result.stdout.strip() in recorded
    model = next(line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    assert f" · {model.split(':', 1)[1].strip()} at " in result.stdout.splitlines()[0]  # the processor is named
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


def test_browser_bench_quick_mode_measures_every_page_the_baseline_and_the_memory():
    from tests.conftest import skip_or_fail

    if not Path("/usr/bin/chromium").exists():
        skip_or_fail("MIRPS_REQUIRE_BROWSER", "Debian's chromium is not installed")
    result = subprocess.run(
        [sys.executable, "bench/browser.py", "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-2000:]
    tables = markdown_tables(result.stdout)
    assert len(tables) == 3  # ours, ours against the baseline, then the filters
    names = [name for name, _, _ in bench_pages()]
    for table in tables[:2]:
        assert [row[0] for row in table] == names
    # first visit, address after another page, sidebar click: median and p95 each; then the largest message
    assert all(len(row) == 8 and all(float(cell) > 0 for cell in row[1:]) for row in tables[0])
    for row in tables[1]:  # baseline, ours and their ratio for the three ways in, then both largest messages
        assert len(row) == 12 and all(row[column].endswith("x") for column in (3, 6, 9))
        assert all(float(cell.rstrip("x")) > 0 for cell in row[1:])
        for column in (3, 6, 9):  # the baseline's time over ours, from unrounded times
            ratio = float(row[column][:-1])
            assert abs(float(row[column - 2]) / float(row[column - 1]) - ratio) < 0.02 + 0.03 * ratio
    clicks = {row[0]: float(row[5]) for row in tables[0]}
    assert clicks["support"] < min(float(row[1]) for row in tables[0])  # no page is started anew on a click
    assert "\nserver memory:" in result.stdout and "\nbaseline server memory:" in result.stdout
    from bench.browser import FILTERS, filter_page

    # every filter, on its page: median and p95 of ours, the baseline's median and the ratio of the two
    expected = [(filter_page(name), what) for name, (what, *_controls) in FILTERS.items()]
    assert [(row[0], row[1]) for row in tables[2]] == expected
    for _page, _what, median, p95, baseline, ratio in tables[2]:
        assert 0 < float(median) <= float(p95) and ratio.endswith("x")
        # from unrounded times; filter changes take tenths of a second, so rounding moves the ratio more
        assert abs(float(baseline) / float(median) - float(ratio[:-1])) < 0.03 + 0.06 * float(ratio[:-1])
    (floor,) = [block for block in result.stdout.split("\n\n") if block.startswith("| Streamlit alone")]
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in floor.splitlines()[2:]]
    assert [row[0] for row in rows] == ["a title alone", "a title and one chart", "a title and eight charts"]
    assert all(0 < float(median) <= float(p95) for _what, median, p95 in rows)


def test_network_bench_quick_mode_compares_the_three_ways_in():
    from deploy import scale_out
    from tests.conftest import skip_or_fail

    if not Path("/usr/bin/chromium").exists() or scale_out.find_nginx() is None:
        skip_or_fail("MIRPS_REQUIRE_BROWSER", "Debian's chromium and nginx are needed")
    result = subprocess.run(
        [sys.executable, "bench/network.py", "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-2000:]
    ((name, *cells),) = markdown_tables(result.stdout)[0]
    assert name == "overview"
    direct, nginx, h2 = (float(cell) for cell in cells[:3])
    ratios = [float(cell.rstrip("x")) for cell in cells[3:]]
    for ratio, (slower, faster) in zip(ratios, ((direct, nginx), (direct, h2), (nginx, h2)), strict=True):
        assert abs(slower / faster - ratio) < 0.02 + 0.03 * ratio  # from unrounded times
    assert "direct http/1.1 · nginx http/1.1 · nginx TLS h2 h2" in result.stdout
    assert "visits the emulation stalled" in result.stdout


def markdown_tables(stdout: str) -> list[list[list[str]]]:
    """The cells of each Markdown table a bench script printed, header and rule left out."""
    return [
        [[cell.strip() for cell in line.split("|")[1:-1]] for line in block.splitlines()[2:]]
        for block in stdout.split("\n\n")
        if block.startswith("| page")
    ]


def run_plenary(*options: str) -> str:
    result = subprocess.run(
        [sys.executable, "bench/plenary.py", "--quick", *options], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def check_plenary_side(table: list[list[str]]) -> None:
    """Both quick pages, each visitor's run finished with time, processor time and messages; the overview and
    /about send different numbers of messages, so each visit asked for its own page."""
    assert [row[0] for row in table] == ["overview", "about"]
    assert all(len(row) == 6 and all(float(cell) > 0 for cell in row[1:]) for row in table)
    assert table[0][5] != table[1][5]


def test_plenary_bench_quick_mode_opens_each_page_in_many_sessions_on_both_servers():
    stdout = run_plenary()
    assert "**ours**" in stdout and "**baseline**" in stdout
    ours, baseline, compared = markdown_tables(stdout)
    check_plenary_side(ours)
    check_plenary_side(baseline)
    p95 = {side: {row[0]: float(row[2]) for row in table} for side, table in (("ours", ours), ("baseline", baseline))}
    for name, theirs, our, ratio in compared:  # the baseline's p95 over ours, from the unrounded times
        assert (float(theirs), float(our)) == (p95["baseline"][name], p95["ours"][name])
        low, high = (float(theirs) - 0.005) / (float(our) + 0.005), (float(theirs) + 0.005) / (float(our) - 0.005)
        assert low - 0.05 <= float(ratio.rstrip("x")) <= high + 0.05


def test_plenary_bench_runs_through_the_replicas_on_postgresql(postgres_server):
    from deploy import scale_out
    from tests.conftest import skip_or_fail

    if scale_out.find_nginx() is None:
        skip_or_fail("MIRPS_REQUIRE_BROWSER", "nginx is not installed (apt-get install nginx)")
    stdout = run_plenary("--postgres", postgres_server)
    assert "PostgreSQL" in stdout.splitlines()[1] and "2 replicas behind nginx" in stdout
    ours, replicas, baseline, *_compared = markdown_tables(stdout)
    for side in (ours, replicas, baseline):
        check_plenary_side(side)


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


def test_generated_data_grows_every_big_table_and_keeps_the_mirps_rows(tmp_path):
    """bench/generate.py at 10x: every big table ten times larger, keys still unique (the schema's
    constraints would refuse a repeat), years back to 1946, the rest in synthetic countries whose codes
    no ISO code can take; the MIRPS States' latest year is the shipped one."""
    import polars as pl
    from sqlalchemy import func, select

    sys.path.insert(0, str(ROOT))
    from bench.generate import generate
    from mirps_dash import database, load, settings
    from mirps_dash.schema import IndicatorValue, Population, PopulationPair, Solution

    shipped_url, url = f"sqlite:///{tmp_path / 'shipped.sqlite'}", f"sqlite:///{tmp_path / 'ten.sqlite'}"
    load.load_shipped_data(database.make_engine(shipped_url))
    counts = generate(url, 10)
    engine, shipped = database.make_engine(url), database.make_engine(shipped_url)
    with engine.connect() as connection, shipped.connect() as original:
        for model in (Population, PopulationPair, Solution):
            rows = connection.execute(select(func.count()).select_from(model)).scalar_one()
            assert (
                rows
                == counts[model.__tablename__]
                == 10 * original.execute(select(func.count()).select_from(model)).scalar_one()
            )
        assert (
            connection.execute(select(func.count()).select_from(IndicatorValue)).scalar_one()
            == counts["indicator_value"]
            > 0
        )
        assert connection.execute(select(func.min(Population.year))).scalar_one() == 1946
        codes = pl.DataFrame(connection.execute(select(Population.country_iso3, Population.country_name)).all())
        p = Population
        latest = select(p.country_iso3, p.role, p.population_type, p.value).where(
            p.year == 2025, p.country_iso3.in_(settings.MIRPS_COUNTRIES)
        )
        assert sorted(connection.execute(latest).all()) == sorted(original.execute(latest).all())
    synthetic = codes.filter(~pl.col("country_iso3").is_in(settings.MIRPS_COUNTRIES)).unique()
    assert synthetic.height > 0
    assert all(any(ch.isdigit() for ch in code) for code in synthetic["country_iso3"])
    assert (synthetic["country_name"] == "Synthetic " + synthetic["country_iso3"]).all()


def test_the_benchmark_compiles_each_script_once_as_a_server_does(app_database, monkeypatch):
    """A server compiles a page once for all its sessions; AppTest compiled it again on every run, which the
    benchmark would otherwise count against every page (twice against ours: the page and the entry script)."""
    sys.path.insert(0, str(ROOT))
    from streamlit.runtime import context
    from streamlit.runtime.scriptrunner import script_cache
    from streamlit.testing.v1 import app_test, local_script_runner

    from bench import run

    # AppTest's own caches and context come back after this test: the other tests keep AppTest's behaviour.
    monkeypatch.setattr(context, "_get_client_context", context._get_client_context)
    monkeypatch.setattr(app_test, "ScriptCache", app_test.ScriptCache)
    monkeypatch.setattr(local_script_runner, "ScriptCache", local_script_runner.ScriptCache)
    compiled = []

    def counted(source, filename, *args, **kwargs):
        compiled.append(Path(filename).relative_to(ROOT).as_posix())
        return compile(source, filename, *args, **kwargs)

    monkeypatch.setattr(script_cache, "compile", counted, raising=False)
    run._one_script_cache().clear()  # what an earlier benchmark run in this process compiled
    first, second = run.open_page("pages/support.py", {"lang": "en"}), run.open_page("pages/about.py", {"lang": "en"})
    for app in (first, first, second, second, first):
        run.timed(app)
    assert sorted(compiled) == ["app.py", "pages/about.py", "pages/support.py"]


def test_the_benchmark_reads_a_visitors_cookies_as_a_server_does(monkeypatch):
    """AppTest gives `st.context` a mock session client made anew on every run (1.7 ms of each of our reruns,
    which read the sign-in cookie); a server reads a dict. Under the benchmark, no mock is made."""
    sys.path.insert(0, str(ROOT))
    from unittest import mock

    from streamlit.runtime import context
    from streamlit.testing.v1 import AppTest

    from bench import run

    def read_cookies():
        import streamlit as st

        st.session_state["cookies"] = st.context.cookies.to_dict()

    mocks_made = []
    made = mock.NonCallableMock._get_child_mock
    monkeypatch.setattr(mock.NonCallableMock, "_get_child_mock", lambda *a, **k: mocks_made.append(1) or made(*a, **k))
    monkeypatch.setattr(context, "_get_client_context", context._get_client_context)  # restored for other tests
    as_apptest_has_it = AppTest.from_function(read_cookies).run()
    assert mocks_made, "AppTest itself makes mocks to read cookies: the measurement this corrects"
    mocks_made.clear()
    run.cookies_as_served()
    as_served = AppTest.from_function(read_cookies).run()
    assert not as_apptest_has_it.exception and not as_served.exception
    assert as_served.session_state["cookies"] == {}
    assert not mocks_made


def test_the_floor_draws_as_many_charts_as_displacement(app_database):
    """The browser benchmark reads first visits against Streamlit alone with eight charts: as many as
    `/displacement` draws across its tabs, maps included (they are Vega charts too), and drew at once before
    its sections became tabs."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import open_page

    sections = ("trend", "states", "flows", "solutions", "internal")
    tabs = [open_page("pages/displacement.py", lang="en", section=section) for section in sections]
    drawn = sum(len(tab.get("vega_lite_chart")) for tab in tabs)
    floor = AppTest.from_file(str(ROOT / "bench" / "floor.py"), default_timeout=60)
    floor.query_params["charts"] = "8"
    floor.run()
    assert not floor.exception
    assert len(floor.get("vega_lite_chart")) == drawn == 8


# A page whose drawing is followed, `{delay}` ms later, by 900 ms of work on the main thread, as a map's
# first frame is with no GPU; and one with nothing after it.
BUSY_AFTER_DRAWING = """<h1>Page</h1><canvas></canvas><script>
  window.mirpsDrawnAt = performance.now();
  setTimeout(() => { const until = performance.now() + 900; while (performance.now() < until); }, {delay});
</script>"""
IDLE_AFTER_DRAWING = "<h1>Page</h1><canvas></canvas><script>window.mirpsDrawnAt = performance.now();</script>"


def test_the_browser_bench_runs_its_clock_on_to_the_end_of_the_work_that_paints_the_page(browser):  # noqa: F811
    """A WebGL map is on the page before it is painted: the clock must not stop at the drawn moment."""
    sys.path.insert(0, str(ROOT))
    from bench.browser import new_context, settling

    context = new_context(browser)
    page = context.new_page()
    busy = []
    for delay in (0, 0, 0, 100):  # at once, as a map's painting begins, and after the wait has looked
        page.set_content(BUSY_AFTER_DRAWING.replace("{delay}", str(delay)))
        busy.append(settling(page))
    page.set_content(IDLE_AFTER_DRAWING)
    idle = settling(page)
    context.close()
    assert all(0.9 <= seconds < 2.5 for seconds in busy), busy
    assert idle < 0.05
