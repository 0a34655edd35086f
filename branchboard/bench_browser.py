"""The benchmark's browser legs (issue 12): what a user feels, measured in Chromium on this machine.

- **Browser leg.** The app's Overview and a bare Streamlit page drawing six Plotly charts (`bench_bare.py`, the
  floor any Streamlit app pays) are served side by side and opened in the same Chromium, in the same run: the time
  from opening a link until the first chart is drawn (a fresh browser each time, as from a chat app), and from a
  click on a sidebar filter until the page has finished updating. The figures are medians; the app's are also
  given as ratios to the bare page's, which is what the budgets are written in.
- **Load leg.** Twenty sessions on one server, each changing a filter or a page every few seconds while an admin
  imports a file in a real browser. The sessions are websocket clients speaking Streamlit's own protocol (a
  browser per session would spend the two cores drawing charts, not asking the server): an action is timed from
  the message that asks for a rerun to the one saying the run finished. It reports p50/p95 per action and the
  server's memory.

Every request stays on this machine: the browser may only reach the servers started here.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BARE_PAGE = Path(__file__).resolve().parent / "bench_bare.py"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # An offline intranet: every request that is not to this machine goes to a closed port. Done by proxy rather than
    # by Playwright's routing, which intercepts every request and drops the body of a file upload.
    "--proxy-server=http://127.0.0.1:9",
]

# Budgets (issue 12): the app's times as ratios to the bare page's in the same run, and the load run's p95.
FIRST_CHART_RATIO = 1.2
FILTER_RATIO = 1.5
LOAD_P95_S = 1.5


def chromium_path() -> str | None:
    """Debian's Chromium when installed (what CI installs), else Playwright's own download if there is one."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(script: Path, env: dict[str, str] | None = None, log_path: Path | None = None) -> Iterator[tuple[str, int]]:
    """`streamlit run script` on a free local port (from the repository, so its .streamlit/config.toml applies);
    yields the base URL and the server's process id; stops it."""
    port = _free_port()
    environment = {**os.environ, **(env or {})}
    log = open(log_path or os.devnull, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = Path(log_path).read_text(errors="replace")[-2000:] if log_path else ""
                raise RuntimeError(f"streamlit did not start: {tail}")
            time.sleep(0.3)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def memory_mb(pid: int) -> dict[str, float]:
    """A process's resident memory now and at its peak (Linux /proc), in MB."""
    fields: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_mb": fields.get("VmHWM", 0.0)}


# -- browser leg ----------------------------------------------------------------------------------------------------
# Installed in every page before it loads: when the first Plotly chart is drawn, every change of Streamlit's script
# state (running / notRunning), and when the last pointer press happened — all on the page's own clock.
_PROBE = """
(() => {
  const bb = window.__bb = {firstChart: null, states: [], pressedAt: null, lastState: null, changedAt: 0};
  const look = (mutations) => {
    const now = performance.now();
    if (bb.firstChart === null && document.querySelector('[data-testid="stPlotlyChart"] .main-svg')) {
      bb.firstChart = now;
    }
    // A quick run can go notRunning -> running -> notRunning between two callbacks: the records' old values
    // keep the state in between.
    for (const m of mutations) {
      if (m.attributeName === 'data-test-script-state' && m.oldValue !== bb.lastState) {
        bb.lastState = m.oldValue; bb.states.push([m.oldValue, now]);
      }
    }
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app ? app.getAttribute('data-test-script-state') : null;
    if (state !== bb.lastState) { bb.lastState = state; bb.states.push([state, now]); }
    const main = document.querySelector('[data-testid="stMain"]');
    if (main && mutations.some(m => main.contains(m.target))) bb.changedAt = now;
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true,
                                                attributeOldValue: true, characterData: true});
  document.addEventListener('pointerdown', () => { bb.pressedAt = performance.now(); }, true);
})();
"""

# Finished updating: the script has run after the press, is no longer running, and nothing in the page's main area
# has changed for half a second (charts are redrawn after the run's last message; a page that reruns itself is
# finished only after its last run). The answer runs from the press to the last of those changes.
_SETTLED = """
(since) => {
  const bb = window.__bb;
  const start = since === null ? 0 : since;
  const ran = bb.states.some(([s, t]) => s === 'running' && t >= start);
  const [state, at] = bb.states[bb.states.length - 1] || [null, 0];
  const last = Math.max(at, bb.changedAt);
  if (!ran || state !== 'notRunning' || performance.now() - last < 500) return null;
  return last - start;
}
"""


def _open(browser: Any, base: str, width: int = 1440, height: int = 900) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_init_script(_PROBE)
    return context, context.new_page()


def _wait_settled(page: Any, since: float | None, timeout_s: float = 120) -> float:
    handle = page.wait_for_function(_SETTLED, arg=since, timeout=timeout_s * 1000, polling=50)
    return float(handle.json_value()) / 1000


def first_chart_s(browser: Any, base: str, link: str) -> float:
    """Open `link` in a fresh browser context; seconds until the first Plotly chart is drawn."""
    context, page = _open(browser, base)
    try:
        page.goto(base + link, wait_until="commit")
        page.wait_for_function("() => window.__bb && window.__bb.firstChart !== null", timeout=120_000, polling=50)
        seconds = float(page.evaluate("() => window.__bb.firstChart")) / 1000
        _wait_settled(page, None)  # let it finish before the context goes
        return seconds
    finally:
        context.close()


def _filter_page(browser: Any, base: str, link: str, label: str) -> tuple[Any, Any, Any]:
    """`link` open and drawn, and the sidebar multiselect `label` on it."""
    context, page = _open(browser, base)
    page.goto(base + link)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=120_000)
    _wait_settled(page, None)
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text=label).first
    return context, page, box


def _run_started(page: Any, since: float, timeout_ms: int) -> bool:
    """Whether the page started a run at or after `since` (page time), waiting up to `timeout_ms`."""
    try:
        page.wait_for_function(
            "(since) => window.__bb.states.some(([s, t]) => s === 'running' && t >= since)", arg=since, timeout=timeout_ms
        )
    except Exception:
        return False
    return True


def filter_change_s(page: Any, box: Any, attempts: int = 3) -> float:
    """Pick one more option of the multiselect `box`: seconds from the click on the option until the page has
    finished updating. A click that did not choose anything (the list was still opening or closing) is made
    again, and the time runs from the click that did."""
    tags = box.locator("[data-tag-index]")  # the chosen options' tags
    for _ in range(attempts):
        before = tags.count()
        box.locator("input").click()
        option = page.locator('[role="option"]').first  # the first option not yet chosen
        option.wait_for(timeout=30_000)
        option.click()
        pressed = page.evaluate("() => window.__bb.pressedAt")
        try:
            page.wait_for_function(
                "([box, n]) => box.querySelectorAll('[data-tag-index]').length > n",
                arg=[box.element_handle(), before],
                timeout=5_000,
            )
        except Exception:
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
            continue
        # Closed at once, as a user does after picking. Now and then (on the bare page as on the app's) the widget
        # holds the choice back until it loses focus: then the time runs from that moment, as the user's wait would.
        page.keyboard.press("Escape")
        if not _run_started(page, pressed, 1_500):
            pressed = page.evaluate(
                "() => { document.activeElement && document.activeElement.blur(); return performance.now(); }"
            )
            if not _run_started(page, pressed, 3_000):
                # Still held back (the list kept focus somewhere): a click on the page's title, as a user's tap
                # elsewhere, hands it over; the time runs from that click.
                pressed = page.evaluate("() => performance.now()")
                page.locator('[data-testid="stMain"] h1').first.click()
                if not _run_started(page, pressed, 5_000):
                    continue  # the pick never reached the server: another option, another try
        try:
            seconds = _wait_settled(page, pressed)
        except Exception as exc:
            states = page.evaluate("() => window.__bb.states.slice(-6)")
            raise RuntimeError(f"{page.url}: no finished run after the click (pressed at {pressed}, states {states})") from exc
        page.wait_for_timeout(300)
        return seconds
    raise RuntimeError(f"{page.url}: {attempts} clicks on an option chose nothing")


def browser_leg(db_path: Path, workdir: Path, tries: int = 7, log: Any = print) -> dict:
    """The Overview and the bare page, `tries` fresh opens and `tries` filter changes each; medians and ratios.

    The two pages take turns (bare, Overview, bare, ...) so that whatever else the machine is doing weighs on both
    alike: on a 2-core machine one page measured after the other drifted by a fifth between runs."""
    from playwright.sync_api import sync_playwright

    pages = {"bare": "/", "overview": "/overview"}
    results: dict[str, dict[str, list[float]]] = {name: {"first_chart": [], "filter_change": []} for name in pages}
    env = {"BRANCHBOARD_DB": str(db_path)}
    for key in ("BRANCHBOARD_VIEWER_CODE", "BRANCHBOARD_ADMIN_PASSWORD_HASH", "BRANCHBOARD_ADMIN_EMAILS"):
        env[key] = ""  # open access: the leg measures pages, not the sign-in
    with (
        serve(BARE_PAGE, log_path=workdir / "bare.log") as (bare, _),
        serve(ROOT / "app.py", env, log_path=workdir / "app.log") as (app, _),
        sync_playwright() as playwright,
    ):
        bases = {"bare": bare, "overview": app}
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for name, link in pages.items():
                first_chart_s(browser, bases[name], link)  # the server's first run (imports, store) is not a user's
            for _ in range(tries):
                for name, link in pages.items():
                    results[name]["first_chart"].append(first_chart_s(browser, bases[name], link))
            opened = {name: _filter_page(browser, bases[name], link, "单位") for name, link in pages.items()}
            try:
                for _ in range(tries):
                    for name, (_, page, box) in opened.items():
                        results[name]["filter_change"].append(filter_change_s(page, box))
            finally:
                for context, _, _ in opened.values():
                    context.close()
        finally:
            browser.close()
    for name, r in results.items():
        log(f"  browser {name}: first chart {_fmt(r['first_chart'])}, filter change {_fmt(r['filter_change'])}")
    medians = {name: {k: statistics.median(v) for k, v in r.items()} for name, r in results.items()}
    return {
        "tries": results,
        "median_s": medians,
        "ratio": {k: medians["overview"][k] / medians["bare"][k] for k in ("first_chart", "filter_change")},
    }


def _fmt(values: list[float]) -> str:
    return "median " + f"{statistics.median(values):.2f} s (" + ", ".join(f"{v:.2f}" for v in values) + ")"


# -- load leg -------------------------------------------------------------------------------------------------------
class StreamlitClient:
    """One session over Streamlit's websocket, as the browser's own client speaks it (protobuf BackMsg/ForwardMsg):
    ask for a run (a page, a query string, widget values), read messages until the run has finished. It keeps
    what a browser would need for its next step: the app's pages and the sidebar's multiselects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.multiselects: dict[str, tuple[str, list[str]]] = {}  # label -> (widget id, options)
        self.page_hash = ""
        self.errors_shown = 0  # error messages the runs showed (a page failing under load would hide behind its time)
        self._ws: Any = None

    async def connect(self) -> None:
        import websockets

        url = self.base.replace("http://", "ws://", 1) + "/_stcore/stream"
        from websockets.typing import Subprotocol

        self._ws = await websockets.connect(url, subprotocols=[Subprotocol("streamlit")], max_size=None, open_timeout=60)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def run(self, path: str | None = None, query: str = "", widgets: dict[str, list[str]] | None = None) -> float:
        """Seconds from asking for a run (of the page at `path`, or the current one with new widget values) until
        the server says it finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if path is not None:
            self.page_hash = self.pages.get(path, "")
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_script_hash = self.page_hash
        if path is not None and not self.page_hash:
            state.page_name = path
        state.context_info.timezone = "Asia/Shanghai"
        state.context_info.locale = "zh-CN"
        state.context_info.url = f"{self.base}/{path or ''}" + (f"?{query}" if query else "")
        for widget_id, values in (widgets or {}).items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            widget.string_array_value.data.extend(values)
        started = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        while True:
            data = await asyncio.wait_for(self._ws.recv(), timeout=300)
            forward = ForwardMsg.FromString(data)
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages}
                self.page_hash = forward.navigation.page_script_hash or self.page_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "multiselect":
                    box = element.multiselect
                    self.multiselects[box.label] = (box.id, list(box.options))
                elif element.WhichOneof("type") == "exception" or (
                    element.WhichOneof("type") == "alert" and element.alert.format == element.alert.ERROR
                ):
                    self.errors_shown += 1  # Streamlit's traceback, or the app's message for a failed page
            elif kind == "script_finished" and forward.script_finished in (
                ForwardMsg.FINISHED_SUCCESSFULLY,
                ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
            ):
                return time.perf_counter() - started


async def _session(
    base: str, rng: random.Random, interval: float, stop_at: float, actions: list[dict], pages: tuple[str, ...]
) -> None:
    client = StreamlitClient(base)
    await client.connect()
    try:
        opened = await client.run("overview")
        actions.append({"kind": "open", "seconds": opened, "at": time.monotonic(), "failed": client.errors_shown > 0})
        await asyncio.sleep(rng.uniform(0, interval))
        while time.monotonic() < stop_at:
            began, errors = time.monotonic(), client.errors_shown
            if rng.random() < 0.5 and "单位" in client.multiselects:
                widget_id, options = client.multiselects["单位"]
                chosen = [] if rng.random() < 0.3 or not options else [rng.choice(options)]
                seconds = await client.run(widgets={widget_id: chosen})
                kind = "filter"
            else:
                seconds = await client.run(rng.choice(pages))
                kind = "page"
            actions.append({"kind": kind, "seconds": seconds, "at": began, "failed": client.errors_shown > errors})
            await asyncio.sleep(max(0.0, began + interval * rng.uniform(0.8, 1.2) - time.monotonic()))
    finally:
        await client.close()


def _admin_import(base: str, csv_path: Path, done: dict) -> None:
    """An admin, in a real browser, uploads a file on 数据导入 and imports it (the server is in open access)."""
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            context, page = _open(browser, base)
            try:
                page.goto(base + "/import")
                uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
                uploader.wait_for(state="attached", timeout=120_000)
                uploader.set_input_files(str(csv_path))
                page.get_by_role("button", name="导入", exact=True).click(timeout=120_000)
                page.wait_for_selector('[data-testid="stAlertContentSuccess"]', timeout=120_000)
                done["import_s"] = time.monotonic() - started
            except Exception as exc:  # what the admin saw says why
                seen = " ".join(page.locator('[data-testid="stMain"]').inner_text(timeout=10_000).split())
                raise RuntimeError(f"{type(exc).__name__}: {str(exc).splitlines()[0]} · page: {seen[:600]}") from exc
            finally:
                context.close()
                browser.close()
    except Exception as exc:  # reported in the figures, not raised in a thread
        done["import_error"] = str(exc)[:900]


def _copy_store(source: Path, target: Path) -> None:
    """A copy of a DuckDB file with its write-ahead log, over no stale log of an earlier run (DuckDB would replay
    that log onto the fresh copy)."""
    for path in (target, Path(f"{target}.wal")):
        path.unlink(missing_ok=True)
    shutil.copy(source, target)
    if Path(f"{source}.wal").exists():
        shutil.copy(f"{source}.wal", f"{target}.wal")


def _tier_file(db_path: Path, folder: Path) -> Path:
    """A 分类定级 file for a period the database does not hold yet, one row per branch, as a unit would send it."""
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        codes = [row[0] for row in con.execute("select branch_code from branches order by branch_code").fetchall()]
        tiers = [row[0] for row in con.execute("select value from settings where key = 'tiers'").fetchall()]
    names = (tiers[0].split(",") if tiers else ["先进", "较好", "一般", "后进"]) or ["先进"]
    path = folder / "2027年度分类定级.csv"
    rows = ["支部编码,定级档次"] + [f"{code},{names[i % len(names)]}" for i, code in enumerate(codes)]
    path.write_bytes(("\n".join(rows) + "\n").encode("gbk"))
    return path


def load_leg(
    db_path: Path, workdir: Path, sessions: int = 20, interval: float = 3.0, seconds: float = 60.0, log: Any = print
) -> dict:
    """`sessions` websocket sessions on one app server, each acting every `interval` s (±20 %) for `seconds`, while
    an admin imports a file in a browser 10 s in. Per-action p50/p95, the server's memory."""
    pages = ("overview", "compliance", "volunteer", "tiers", "branch")
    work_db = workdir / "load.duckdb"
    _copy_store(db_path, work_db)
    csv_path = _tier_file(work_db, workdir)
    env = {"BRANCHBOARD_DB": str(work_db)}
    for key in ("BRANCHBOARD_VIEWER_CODE", "BRANCHBOARD_ADMIN_PASSWORD_HASH", "BRANCHBOARD_ADMIN_EMAILS"):
        env[key] = ""
    actions: list[dict] = []
    admin: dict[str, Any] = {}
    with serve(ROOT / "app.py", env, log_path=workdir / "load.log") as (base, pid):
        warm = StreamlitClient(base)  # the server's first run (imports, store) is not a user's

        async def warm_up() -> None:
            await warm.connect()
            await warm.run("overview")
            await warm.close()

        asyncio.run(warm_up())
        rss_before = memory_mb(pid)["rss_mb"]
        stop_at = time.monotonic() + seconds
        importer = threading.Timer(min(10.0, seconds / 3), _admin_import, args=(base, csv_path, admin))
        importer.start()

        async def crowd() -> None:
            rngs = [random.Random(1000 + i) for i in range(sessions)]
            await asyncio.gather(*(_session(base, rng, interval, stop_at, actions, pages) for rng in rngs))

        asyncio.run(crowd())
        importer.join()
        memory = memory_mb(pid)
    timed = sorted(a["seconds"] for a in actions if a["kind"] != "open")
    opens = sorted(a["seconds"] for a in actions if a["kind"] == "open")
    result = {
        "sessions": sessions,
        "interval_s": interval,
        "duration_s": seconds,
        "actions": len(timed),
        "failed_actions": sum(a["failed"] for a in actions),  # opens included
        "p50_s": _percentile(timed, 50),
        "p95_s": _percentile(timed, 95),
        "max_s": timed[-1] if timed else None,
        "open_p50_s": _percentile(opens, 50),
        "open_p95_s": _percentile(opens, 95),
        "server_rss_before_mb": rss_before,
        "server_rss_mb": memory["rss_mb"],
        "server_peak_mb": memory["peak_mb"],
        **admin,
    }
    log(
        f"  load: {sessions} sessions every {interval:g} s for {seconds:g} s, {len(timed)} actions, "
        f"p50 {result['p50_s']:.2f} s, p95 {result['p95_s']:.2f} s, {result['failed_actions']} showed an error, "
        f"server peak {memory['peak_mb']:.0f} MB, "
        f"admin import {admin.get('import_s', float('nan')):.1f} s {admin.get('import_error', '')}"
    )
    return result


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
