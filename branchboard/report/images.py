"""Charts as PNG for the Word report: Plotly's static export through kaleido, which drives the installed Chromium.

Offline by construction: plotly.js comes from the installed plotly package and MathJax is switched off (kaleido's
default fetches it from a CDN, which on an intranet stalls every export for half a minute).

The drawing runs in a child process (branchboard.report.render) in its own session: a browser that hangs or dies
takes its threads and processes with it when the child is killed at the deadline, and never keeps the server (or a
test run) from exiting. One child draws all of a report's charts, reporting each as it is done; at most two reports
draw at a time, so a room of members pressing 生成报告 together cannot start a browser each.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import plotly.graph_objects as go

from branchboard import charts

log = logging.getLogger(__name__)
SCALE = 2  # device pixels per CSS pixel: sharp on paper and on a high-density screen
TIMEOUT_SECONDS = 60  # one chart (kaleido's own limit)
DEADLINE_SECONDS = 180  # all of a report's charts, browser start included: a browser that hangs is given up
WAIT_SECONDS = 120  # for one of the rendering slots, when others are drawing
_RENDERING = threading.BoundedSemaphore(2)
# The page kaleido loads charts into: plotly.js from the installed plotly package (its default) and no MathJax.
KALEIDO_PAGE = {"mathjax": False}
_PROJECT = Path(__file__).resolve().parents[2]

Progress = Callable[[int, int], None]  # (charts done, charts in all)


class ChartsUnavailable(RuntimeError):
    """The charts could not be drawn (no Chromium, or it failed or hung): the report goes out with tables only."""


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.strip())
    lines.put(None)


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (Linux /proc): the browser runs in a session of its own, out of the child's group."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found.extend(children)
        todo.extend(children)
    return found


def _kill(process: subprocess.Popen) -> None:
    """The child, and everything it started (the browser and its helpers), so nothing hung is left behind."""
    for pid in [*_descendants(process.pid), process.pid]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


def render_png(figures: Sequence[go.Figure], progress: Progress | None = None) -> list[bytes]:
    """Each figure as PNG bytes, in order, `progress` called (in this thread) after each. Raises ChartsUnavailable
    when the browser cannot be used or the charts are not done by the deadline."""
    if not figures:
        return []
    if not _RENDERING.acquire(timeout=WAIT_SECONDS):
        raise ChartsUnavailable("every chart renderer stayed busy")
    try:
        with tempfile.TemporaryDirectory(prefix="branchboard-charts-") as folder:
            jobs = [charts.for_print(fig) for fig in figures]
            sizes = [{"width": f.layout.width, "height": f.layout.height} for f in jobs]
            Path(folder, "figures.json").write_text(
                json.dumps({"figures": [f.to_json() for f in jobs], "sizes": sizes, "scale": SCALE}), encoding="utf-8"
            )
            _draw(folder, len(jobs), progress)
            return [Path(folder, f"{i}.png").read_bytes() for i in range(len(jobs))]
    finally:
        _RENDERING.release()


def _draw(folder: str, total: int, progress: Progress | None) -> None:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_PROJECT), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen(
        [sys.executable, "-m", "branchboard.report.render", folder],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        start_new_session=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChartsUnavailable(f"the charts were not done in {DEADLINE_SECONDS} s")
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                break
            if line.isdigit() and progress:
                progress(int(line), total)
        if process.wait(timeout=max(deadline - time.monotonic(), 1)) != 0:
            reason = (process.stderr.read() or "").strip().splitlines()[-1:] if process.stderr else []
            raise ChartsUnavailable(reason[0] if reason else f"the chart drawer exited with {process.returncode}")
    except Exception as exc:
        log.warning("report charts not drawn: %r", exc)
        _kill(process)
        raise exc if isinstance(exc, ChartsUnavailable) else ChartsUnavailable(str(exc)) from exc
    finally:
        if process.poll() is None:
            _kill(process)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
