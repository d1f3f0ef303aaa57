"""What a visitor waits for, in Chromium: `python bench/browser.py --scale 1 [--sessions 20] [--repeats 5]`.

For every page, against a real `streamlit run` server on a database of the given scale (bench/generate.py):
- navigation to last chart: from `page.goto` until the script has finished, every chart and map on the page
  has drawn and the long tasks that paint them have ended (`QUIET_MS`; median and p95 over `--repeats`
  visits), on a first visit (a new browser profile) and on opening the page's address once another page has
  been seen (the frontend's files cached, started anew); every time below also runs on to that end;
- a click in the sidebar: from the click on the page's link, in a tab that went through the pages before it
  in order, until the new page has drawn (the frontend stays loaded, as for a visitor clicking through; the
  page opens as its link has it, so `/country` and `/plans` on their default State);
- a filter change, on the pages that have a filter a donor changes (and `/displacement`'s tabs): from the
  click on an option until the page has drawn again (the same browser tab, one option and another in turn),
  ours against the baseline's control for it;
- the largest websocket message the server sent while drawing it;
- with `--baseline`, the same visits to the idiomatic baseline pages (bench/baseline/app.py, its own server on
  the same database), each visit of ours followed by one of the baseline's, so the machine's drift falls on both;
- the server's memory (resident set, with its children) after one visitor has seen every page, and with
  `--sessions` visitors holding every page open at once;
- Streamlit alone (bench/floor.py, its own server): a first visit to a page with a title, with one chart and
  with eight (as many as `/displacement` drew at once before its sections became tabs), the part of every
  first visit that no page can make shorter on this machine.
Prints Markdown tables (`--record` appends them to bench/RESULTS.md). `--quick` proves the script works
(one visit, two sessions, the baseline too).
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
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PAGES, bench_database, machine, percentile, record_option, recorded  # noqa: E402
from mirps_dash import i18n  # noqa: E402
from mirps_dash.i18n import t  # noqa: E402

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


def noting_drawn(parameters: str, body: str) -> str:
    """A wait's condition (`body` sets `done`) that notes in the page the moment it holds, as
    `window.mirpsDrawnAt`, so that times are taken in the page and leave out the harness."""
    return f"""({parameters}) => {{
{body}
  if (done) window.mirpsDrawnAt = performance.now();
  return done;
}}"""


# Clicked: the page at `path` has replaced the one titled `before`, and has drawn (Playwright's checks
# before a click took up to 2 s while a WebGL map was on screen, hence the moment noted in the page).
CLICKED = noting_drawn(
    "[path, before]",
    f"""  const app = document.querySelector('[data-testid=stApp]');
  const title = document.querySelector('h1');
  const done = app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
    && location.pathname === path && title !== null && title.textContent !== before
    && document.querySelector('[data-stale=true]') === null && ({DRAWN})();""",
)
# Watches the websocket in the page: counts the runs the server has finished (a message with `script_finished`,
# ForwardMsg's field 6) and, for each, the messages received since the run before (`mirpsRunMessages`). A fragment's run
# can start and end between two frames, so the page's script state may never show it running. Also notes
# every click's moment.
WATCH_SOCKET = """() => {
  window.mirpsRuns = 0;
  window.mirpsRunMessages = [];
  let received = 0;
  document.addEventListener('click', event => { window.mirpsClickedAt = event.timeStamp; }, { capture: true });
  const finished = bytes => {
    let at = 0;
    const varint = () => {
      let value = 0, shift = 0, byte;
      do { byte = bytes[at++]; value += (byte & 127) * 2 ** shift; shift += 7; } while (byte & 128);
      return value;
    };
    while (at < bytes.length) {
      const tag = varint(), wire = tag & 7;
      if (Math.floor(tag / 8) === 6) return true;
      const skip = wire === 0 ? (varint(), 0) : wire === 2 ? varint() : wire === 1 ? 8 : wire === 5 ? 4 : -1;
      if (skip < 0) return false;
      at += skip;  // after varint() has moved past the length
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', event => {
        if (!(event.data instanceof ArrayBuffer)) return;
        received += 1;
        if (finished(new Uint8Array(event.data))) {
          window.mirpsRuns += 1;
          window.mirpsRunMessages.push(received);
          received = 0;
        }
      });
    }
  };
}"""
# Before a filter's option is clicked: how many runs had finished.
ARM_FILTER = "() => { window.mirpsRunsBefore = window.mirpsRuns; }"
# Filtered: a run has finished since the click, the script is idle, and the page has drawn.
FILTERED = noting_drawn(
    "",
    f"""  const app = document.querySelector('[data-testid=stApp]');
  const done = window.mirpsRuns > window.mirpsRunsBefore && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('[data-stale=true]') === null && ({DRAWN})();""",
)
NOTE_CLICK = """() => document.addEventListener('click', event => { window.mirpsClickedAt = event.timeStamp; },
  { capture: true, once: true })"""
# Drawn is not yet painted. A map's WebGL canvas is on the page a frame or more before its first frame shows:
# with no GPU, Chromium reads that frame back in one main-thread task of up to a second or more (traced on
# `/cities`). So every time below runs on to the end of the long tasks (over 50 ms) that follow the drawn
# moment, until the main thread has been quiet for QUIET_MS. Before this, a wait that happened to look
# before such a task stopped the clock early, and one that looked during it late. A long task is told to the
# page's observer after it ends, in a task of its own that may come after the wait's next look: each look
# first takes what the observer holds (`takeRecords`), or a task that began at the drawn moment, as a map's
# painting does, went uncounted in most visits (measured on `/cities`).
QUIET_MS = 500
WATCH_LONG_TASKS = """() => {
  window.mirpsLongTasks = [];
  const note = tasks => tasks.forEach(task =>
    window.mirpsLongTasks.push([task.startTime, task.startTime + task.duration]));
  const observer = new PerformanceObserver(list => note(list.getEntries()));
  observer.observe({type: 'longtask', buffered: true});
  window.mirpsNoteLongTasks = () => note(observer.takeRecords());
}"""
# Milliseconds from `window.mirpsDrawnAt` to the end of the last long task that began within QUIET_MS of it
# or of the task before; null until QUIET_MS have passed with none.
SETTLED = f"""() => {{
  window.mirpsNoteLongTasks();
  let settled = window.mirpsDrawnAt;
  for (const [start, end] of [...window.mirpsLongTasks].sort((a, b) => a[0] - b[0]))
    if (start <= settled + {QUIET_MS} && end > settled) settled = end;
  return performance.now() >= settled + {QUIET_MS} ? {{ms: settled - window.mirpsDrawnAt}} : null;
}}"""
DRAWN_NOTED = noting_drawn("", f"  const done = ({DRAWN})();")


@dataclass(frozen=True)
class Control:
    """A filter as a visitor changes it: an option among radio buttons (a segmented control or `st.radio`) or
    in a select box, found by its label, or a tab among tabs, flipped between two options, the first of them
    not the page's default (so that every click changes the view)."""

    kind: str  # "radio", "select" or "tab"
    label: str  # none for a tab
    options: tuple[str, str]

    def choose(self, page, option: str) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        if self.kind == "tab":
            page.get_by_role("tab", name=option, exact=True).click()
        elif self.kind == "radio":
            # By its text: `st.radio` hides its input under the label, which takes the click.
            page.get_by_role("radiogroup", name=self.label).get_by_text(option, exact=True).click()
        else:
            # The list can close again as it opens while a chart below is still settling: open it anew then.
            box = page.get_by_test_id("stSelectbox").filter(has_text=self.label).get_by_role("combobox")
            for _attempt in range(5):
                box.click()
                try:
                    page.get_by_role("option", name=option, exact=True).click(timeout=3_000)
                    return
                except PlaywrightTimeout:
                    page.keyboard.press("Escape")
            raise RuntimeError(f"the {self.label!r} list never offered {option!r}")


# The filter a donor changes on each page that has one (the pages open in English), ours and the baseline's
# control for the same choice (the baseline names States by code). The flows' country on /displacement
# governs only the flows section, in the tab that `SECTION_OF` opens (on both sides).
def _named(*codes: str) -> tuple[str, str]:
    return tuple(i18n.country_name(code, "en") for code in codes)


FILTERS: dict[str, tuple[str, Control, Control]] = {
    "displacement": (
        "count by",
        Control("radio", t("filter_role", "en"), tuple(t(f"role_{r}_short", "en") for r in ("origin", "asylum"))),
        Control("radio", "Count by", ("origin", "asylum")),
    ),
    "displacement tabs": (
        "tab",
        Control("tab", "", (t("tab_states", "en"), t("tab_flows", "en"))),
        Control("tab", "", ("By State", "Flows")),
    ),
    "displacement flows": (
        "flows' country",
        Control("select", t("filter_country", "en"), _named("GTM", "HND")),
        Control("select", "Country", ("GTM", "HND")),
    ),
    "country": (
        "country",
        Control("select", t("filter_country", "en"), _named("GTM", "HND")),
        Control("select", "Country", ("GTM", "HND")),
    ),
    "country tabs": (
        "tab",
        Control("tab", "", (t("tab_flows", "en"), t("tab_trend", "en"))),
        Control("tab", "", ("Flows", "Over time")),
    ),
    "cities tabs": (
        "tab",
        Control("tab", "", (t("tab_cities_zoom", "en"), t("tab_cities_map", "en"))),
        Control("tab", "", ("Zoom and pan", "Map")),
    ),
    "plans": (
        "country",
        Control("select", t("filter_country", "en"), _named("HND", "GTM")),
        Control("select", "Country", ("HND", "GTM")),
    ),
}


SECTION_OF = {"displacement flows": "flows"}


def filter_page(name: str) -> str:
    """The page of `PAGES` a filter of `FILTERS` is on."""
    return name.split()[0]


def filter_path(name: str) -> str:
    """The address a filter of `FILTERS` is changed at: its page, on the tab it is in."""
    script, query = next((script, query) for each, script, query in PAGES if each == filter_page(name))
    section = {"section": SECTION_OF[name]} if name in SECTION_OF else {}
    return path_of(script, {**query, **section})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str, script: str = "app.py", *options: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "MIRPS_DATABASE_URL": database_url}
    env.setdefault("MIRPS_COOKIE_KEY", secrets.token_hex(32))
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", *options]
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
    context = new_context(browser)
    page = context.new_page()
    if after:
        page.goto(after)
        page.wait_for_function(DRAWN_NOTED, timeout=120_000, polling=50)
        settling(page)
    largest = 0

    def on_socket(socket) -> None:
        def received(payload) -> None:
            nonlocal largest
            largest = max(largest, len(payload))

        socket.on("framereceived", received)

    page.on("websocket", on_socket)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(DRAWN_NOTED, timeout=120_000, polling=50)
    elapsed = time.perf_counter() - start + settling(page)
    context.close()
    return elapsed, largest


def new_context(browser, **options):
    """A new browser profile at the desktop size, watching its long tasks from each page's start."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, **options)
    context.add_init_script(f"({WATCH_LONG_TASKS})()")
    return context


def settling(page) -> float:
    """Seconds from the drawn moment the page noted to the end of the long tasks after it (see SETTLED)."""
    return page.wait_for_function(SETTLED, timeout=120_000, polling=100).json_value()["ms"] / 1000


def since_click(page) -> float:
    """Seconds from the click the page noted to the end of the painting that followed it."""
    return page.evaluate("window.mirpsDrawnAt - window.mirpsClickedAt") / 1000 + settling(page)


def click_through(browser, server: str, paths: list[str]) -> list[float]:
    """Seconds from a click on each page's sidebar link until it has drawn, in one tab that opens the first
    page and then clicks its way through the others in order, and back to the first."""
    context = new_context(browser)
    page = context.new_page()
    page.goto(server + paths[0])
    page.wait_for_function(DRAWN, timeout=120_000, polling=50)
    seconds = []
    for path in [*paths[1:], paths[0]]:
        address = path.split("?")[0]
        before = page.locator("h1").first.text_content()
        page.evaluate(NOTE_CLICK)
        links = page.locator("[data-testid=stSidebar] a[href]")
        # Streamlit writes the links relative to the app's root ("?lang=en" is the overview's).
        addresses = links.evaluate_all(
            "links => links.map(link => new URL(link.getAttribute('href'), location.origin + '/').pathname)"
        )
        links.nth(addresses.index(address)).click()
        page.wait_for_function(CLICKED, arg=[address, before], timeout=120_000, polling=50)
        seconds.append(since_click(page))
    context.close()
    return seconds


def change_filter(browser, url: str, control: Control, times: int) -> list[float]:
    """Seconds from the click on an option until the page has drawn again, `times` changes in one tab."""
    context = new_context(browser)
    context.add_init_script(f"({WATCH_SOCKET})()")
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(DRAWN, timeout=120_000, polling=50)
    seconds = []
    for turn in range(times):
        page.evaluate(ARM_FILTER)
        control.choose(page, control.options[turn % 2])
        page.wait_for_function(FILTERED, timeout=120_000, polling=20)
        seconds.append(since_click(page))
    context.close()
    return seconds


def measure_filters(browser, servers: dict, repeats: int) -> dict[str, dict[str, list[float]]]:
    """Every filter of `FILTERS` changed `repeats` times two on each side, the sides in turn."""
    filtered = {side: {name: [] for name in FILTERS} for side in servers}
    for name, (_what, *controls) in FILTERS.items():
        for _ in range(repeats):
            for (side, (_process, server)), control in zip(servers.items(), controls, strict=False):
                filtered[side][name] += change_filter(browser, server + filter_path(name), control, 2)
    return filtered


def measure_floor(browser, server: str, repeats: int) -> dict[str, list[float]]:
    """First visits to Streamlit alone (bench/floor.py): a title, a title with one chart, and with eight."""
    floor = {"a title alone": "/", "a title and one chart": "/?charts=1", "a title and eight charts": "/?charts=8"}
    for query in floor.values():
        visit(browser, server + query)  # the server's first run of each imports and reads what it needs
    seconds = {what: [] for what in floor}
    for _ in range(repeats):
        for what, query in floor.items():
            seconds[what].append(visit(browser, server + query)[0])
    return seconds


def walk(browser, server: str, sessions: int) -> list:
    """`sessions` visitors, each one tab that walks through every page and stays open."""
    contexts = []
    for _ in range(sessions):
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        for _name, script, query in PAGES:
            page.goto(server + path_of(script, query))
            page.wait_for_function(DRAWN, timeout=300_000, polling=200)
        contexts.append(context)
    return contexts


def memory(browser, process: subprocess.Popen, server: str, sessions: int) -> tuple[float, float]:
    """The server's memory (MB) once one visitor has seen every page, and with `sessions` more holding them."""
    one = resident_mb(process.pid)
    contexts = walk(browser, server, sessions)
    many = resident_mb(process.pid)
    for context in contexts:
        context.close()
    return one, many


class Visits:
    """One side's visits to one page: seconds of first visits, of opening its address after another page, of
    clicking its sidebar link; the largest message."""

    def __init__(self) -> None:
        self.first: list[float] = []
        self.next: list[float] = []
        self.clicked: list[float] = []
        self.largest = 0

    def add(self, browser, server: str, path: str, previous: str) -> None:
        seconds, size = visit(browser, server + path)
        self.first.append(seconds)
        seconds, more = visit(browser, server + path, after=server + previous)
        self.next.append(seconds)
        self.largest = max(self.largest, size, more)

    def times(self) -> tuple[list[float], list[float], list[float]]:
        """In the tables' order."""
        return self.first, self.next, self.clicked


def p95(seconds: list[float]) -> float:
    return percentile(seconds, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--baseline", action="store_true", help="also visit the idiomatic baseline pages")
    parser.add_argument("--quick", action="store_true")
    record_option(parser)
    args = parser.parse_args()
    if args.quick:
        args.scale, args.repeats, args.sessions, args.baseline = 1, 1, 2, True
    from playwright.sync_api import sync_playwright

    database = bench_database(args.scale)
    servers = {"ours": start_server(database)}
    if args.baseline:
        # The project's settings hide Streamlit's own page list (the dashboard draws its own); the baseline uses it.
        servers["baseline"] = start_server(database, "bench/baseline/app.py", "--client.showSidebarNavigation", "true")
    floor_server = start_server(database, "bench/floor.py")
    try:
        with recorded(args.record), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            print(f"{date.today()} · {machine()}")
            print(f"scale {args.scale}x · {args.repeats} visits per page · Chromium 1440x900\n")
            overview = path_of(*PAGES[0][1:])
            for _process, server in servers.values():
                visit(browser, server + overview)  # the first visit loads and warms the caches
            results = {side: {} for side in servers}
            for name, script, query in PAGES:
                path = path_of(script, query)
                previous = overview if name != "overview" else path_of("pages/about.py", {"lang": "en"})
                for side in servers:
                    results[side][name] = Visits()
                for _ in range(args.repeats):  # one of ours, then one of the baseline's
                    for side, (_process, server) in servers.items():
                        results[side][name].add(browser, server, path, previous)
            paths = [path_of(script, query) for _name, script, query in PAGES]
            for _ in range(args.repeats):
                for side, (_process, server) in servers.items():
                    clicked = click_through(browser, server, paths)
                    for (name, _script, _query), seconds in zip(PAGES[1:] + PAGES[:1], clicked, strict=True):
                        results[side][name].clicked.append(seconds)
            filtered = measure_filters(browser, servers, args.repeats)
            floor = measure_floor(browser, floor_server[1], args.repeats)
            print_visits(results["ours"])
            if args.baseline:
                print_against_baseline(results["ours"], results["baseline"])
            print_filters(filtered)
            print_floor(floor)
            for side, (process, server) in servers.items():
                one, many = memory(browser, process, server, args.sessions)
                print(
                    f"\n{'server' if side == 'ours' else 'baseline server'} memory: {one:.0f} MB after one visitor; "
                    f"{many:.0f} MB with {args.sessions} visitors connected, each having seen all {len(PAGES)} pages"
                )
            browser.close()
    finally:
        for process, _server in [*servers.values(), floor_server]:
            process.terminate()
            process.wait(timeout=30)


def print_visits(ours: dict[str, Visits]) -> None:
    print(
        "| page | first visit: to last chart median (s) | p95 (s) | address after another page: median (s) "
        "| p95 (s) | sidebar click: median (s) | p95 (s) | largest message (KB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, visits in ours.items():
        cells = [f"{measure(seconds):.2f}" for seconds in visits.times() for measure in (statistics.median, p95)]
        print(f"| {name} | " + " | ".join(cells) + f" | {visits.largest / 1024:.0f} |")


def print_against_baseline(ours: dict[str, Visits], baseline: dict[str, Visits]) -> None:
    """Medians side by side; a ratio above 1 means the baseline's visitor waits longer."""
    print(
        "\n| page | first visit: baseline (s) | ours (s) | ratio | address after another page: baseline (s) "
        "| ours (s) | ratio | sidebar click: baseline (s) | ours (s) | ratio "
        "| largest message: baseline (KB) | ours (KB) |"
    )
    print("|---|" + "---:|" * 11)
    for name, mine in ours.items():
        theirs = baseline[name]
        cells = []
        for their_seconds, our_seconds in zip(theirs.times(), mine.times(), strict=True):
            them, us = statistics.median(their_seconds), statistics.median(our_seconds)
            cells += [f"{them:.2f}", f"{us:.2f}", f"{them / us:.2f}x"]
        cells += [f"{theirs.largest / 1024:.0f}", f"{mine.largest / 1024:.0f}"]
        print(f"| {name} | " + " | ".join(cells) + " |")


def print_filters(filtered: dict[str, dict[str, list[float]]]) -> None:
    """A filter change, ours (and the baseline's, where it was measured): median and p95; a ratio above 1
    means the baseline's visitor waits longer."""
    baseline = filtered.get("baseline")
    compared = " baseline (s) | ratio |" if baseline else ""
    print(f"\n| page | filter changed | to drawn again: median (s) | p95 (s) |{compared}")
    print("|---|---|---:|---:|" + ("---:|---:|" if baseline else ""))
    for name, seconds in filtered["ours"].items():
        us = statistics.median(seconds)
        cells = [filter_page(name), FILTERS[name][0], f"{us:.2f}", f"{p95(seconds):.2f}"]
        if baseline:
            them = statistics.median(baseline[name])
            cells += [f"{them:.2f}", f"{them / us:.2f}x"]
        print("| " + " | ".join(cells) + " |")


def print_floor(floor: dict[str, list[float]]) -> None:
    """What a first visit costs Streamlit alone here, to read the pages' first visits against."""
    print("\n| Streamlit alone (bench/floor.py), first visit | median (s) | p95 (s) |")
    print("|---|---:|---:|")
    for what, seconds in floor.items():
        print(f"| {what} | {statistics.median(seconds):.2f} | {p95(seconds):.2f} |")


if __name__ == "__main__":
    main()
