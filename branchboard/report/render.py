"""The child process that draws a report's charts (started by branchboard.report.images, never by hand).

`python -m branchboard.report.render FOLDER`: reads FOLDER/figures.json (Plotly figures as JSON, their sizes and the
scale), draws each with one kaleido browser, writes FOLDER/<i>.png and prints the number of charts done after each,
so the parent can show progress. Exits non-zero, with the reason as the last line on stderr, when it cannot.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path


async def _draw(folder: Path) -> None:
    import kaleido
    import plotly.io as pio

    from branchboard.report.images import KALEIDO_PAGE, TIMEOUT_SECONDS

    job = json.loads((folder / "figures.json").read_text(encoding="utf-8"))
    async with kaleido.Kaleido(n=1, timeout=TIMEOUT_SECONDS, **KALEIDO_PAGE) as k:
        for i, (figure, size) in enumerate(zip(job["figures"], job["sizes"], strict=True)):
            opts = {"format": "png", "width": size["width"], "height": size["height"], "scale": job["scale"]}
            png = await k.calc_fig(pio.from_json(figure), opts=opts)
            (folder / f"{i}.png").write_bytes(png)
            print(i + 1, flush=True)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m branchboard.report.render FOLDER", file=sys.stderr)
        return 2
    try:
        asyncio.run(_draw(Path(argv[0])))
    except Exception as exc:  # the reason, on one line, for the parent's log
        print(f"{type(exc).__name__}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
