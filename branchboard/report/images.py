"""Charts as PNG for the Word report: Plotly's static export through kaleido, which drives the installed Chromium.

Offline by construction: plotly.js comes from the installed plotly package and MathJax is switched off (kaleido's
default fetches it from a CDN, which on an intranet stalls every export for half a minute). One browser renders
all of a report's charts; at most two reports render at a time, so a room of members pressing 生成报告 together
cannot start a browser each.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence

import plotly.graph_objects as go

from branchboard import charts

log = logging.getLogger(__name__)
SCALE = 2  # device pixels per CSS pixel: sharp on paper and on a high-density screen
TIMEOUT_SECONDS = 60
_RENDERING = threading.BoundedSemaphore(2)
# The page kaleido loads charts into: plotly.js from the installed plotly package (its default) and no MathJax.
KALEIDO_PAGE = {"mathjax": False}

Progress = Callable[[int, int], None]  # (charts done, charts in all)


class ChartsUnavailable(RuntimeError):
    """The charts could not be drawn (no Chromium, or it failed): the report goes out with tables only."""


async def _render(figures: Sequence[go.Figure], progress: Progress | None) -> list[bytes]:
    import kaleido

    out: list[bytes] = []
    async with kaleido.Kaleido(n=1, timeout=TIMEOUT_SECONDS, **KALEIDO_PAGE) as k:
        for i, fig in enumerate(figures):
            printed = charts.for_print(fig)
            opts = {"format": "png", "width": printed.layout.width, "height": printed.layout.height, "scale": SCALE}
            out.append(await k.calc_fig(printed, opts=opts))
            if progress:
                progress(i + 1, len(figures))
    return out


def render_png(figures: Sequence[go.Figure], progress: Progress | None = None) -> list[bytes]:
    """Each figure as PNG bytes, in order, `progress` called after each. Raises ChartsUnavailable when the
    browser cannot be used. Runs in the calling thread (Streamlit's script thread, the command line), so a
    progress bar can be updated from `progress`."""
    if not figures:
        return []
    with _RENDERING:
        try:
            return asyncio.run(_render(figures, progress))
        except Exception as exc:
            log.warning("report charts not drawn: %r", exc)
            raise ChartsUnavailable(str(exc)) from exc
