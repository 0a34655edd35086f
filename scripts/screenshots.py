"""Screenshots of pages as a user sees them, every request to another host blocked (the product runs offline).

    .venv/bin/python scripts/screenshots.py DB OUTDIR overview compliance "branch?branch=SW001" ...

Starts the app on DB (as the browser tests do), opens each page at 1440 and 390 px wide in Debian's Chromium with a
tall window (Streamlit scrolls inside the page, so a tall window shows the whole of it), writes OUTDIR/<page>_<width>.png
and says whether anything tried to leave the machine. The start of issue 13's screenshot set.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app  # noqa: E402

WIDTHS = {1440: 2800, 390: 3200}  # width: window height


def main(db: Path, out: Path, pages: list[str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    with streamlit_server(db) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})

            def route(r):  # one parameter: Playwright passes (route, request) to a handler that takes two
                if r.request.url.startswith(base):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            for target in pages:
                page.goto(f"{base}/{target}", timeout=120_000)  # the first page of a cold server takes a while
                wait_for_app(page)
                time.sleep(2.5)  # charts draw after the run ends
                wait_for_app(page)
                name = "".join(c if c.isalnum() or c in "-_" else "_" for c in target)
                page.screenshot(path=str(out / f"{name}_{width}.png"))
                print(f"{name}_{width}.png", flush=True)
            context.close()
        browser.close()
    print("outside requests:", sorted(set(outside)) or "none")
    return 1 if outside else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]))
