"""Screenshots of pages as a user sees them, every request to another host blocked (the product runs offline).

    .venv/bin/python scripts/screenshots.py DB OUTDIR overview compliance "branch?branch=SW001" ...
    .venv/bin/python scripts/screenshots.py DB OUTDIR --set          # issue 13's set: docs/screenshots/

Starts the app on DB (as the browser tests do) and opens each page in Debian's Chromium with a tall window
(Streamlit scrolls inside the page, so a tall window shows the whole of it). With page names: each at 1440 and 390 px
wide, OUTDIR/<page>_<width>.png. With --set: every page in Chinese and English, at 1440 and 390 px, in normal and
meeting mode, as OUTDIR/<page>_<lang>_<width>[_meeting].jpg, and OUTDIR/README.md listing them. Says whether anything
tried to leave the machine, or a page showed an error (exit status 1 if either).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import CHROMIUM, CHROMIUM_ARGS, block_outside, streamlit_server, wait_for_app  # noqa: E402

WIDTHS = {1440: 2800, 390: 3200}  # width: window height
SET_PAGES = ("overview", "compliance", "volunteer", "tiers", "branch?branch=SW001", "import", "settings", "links")


@dataclass(frozen=True)
class Shot:
    target: str  # page and query, as in the URL
    width: int
    path: Path
    title: str  # the page's h1 as drawn
    errors: int  # Streamlit exception boxes on the page


def shots(db: Path, out: Path, targets: list[str], *, image: str = "png", set_names: bool = False) -> Iterator[Shot | list[str]]:
    """Each target at each width, written to `out`; finally the list of outside requests that were blocked."""
    out.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    with streamlit_server(db) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            attempts = block_outside(context)
            page = context.new_page()
            for target in targets:
                page.goto(f"{base}/{target}", timeout=120_000)  # the first page of a cold server takes a while
                wait_for_app(page)
                time.sleep(2.5)  # charts draw after the run ends
                wait_for_app(page)
                name = _name(target) if set_names else "".join(c if c.isalnum() or c in "-_" else "_" for c in target)
                path = out / f"{name}_{width}.{image}"
                page.screenshot(path=str(path), type="jpeg" if image == "jpg" else "png", **_quality(image))
                title = page.locator("h1").first.inner_text().strip()
                yield Shot(target, width, path, title, page.locator('[data-testid="stException"]').count())
            outside += attempts
            context.close()
        browser.close()
    yield sorted(set(outside))


def _quality(image: str) -> dict[str, int]:
    return {"quality": 72} if image == "jpg" else {}


def _name(target: str) -> str:
    """A set file's name: branch?branch=SW001&lang=en&mode=meeting → branch_en_meeting (its width is added)."""
    page, _, query = target.partition("?")
    params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
    return "_".join([page, params.get("lang", "zh")] + (["meeting"] if params.get("mode") == "meeting" else []))


def set_targets() -> list[str]:
    """Every page × Chinese and English × normal and meeting mode."""
    out = []
    for page in SET_PAGES:
        for lang in ("zh", "en"):
            for mode in ("", "meeting"):
                query = [
                    q
                    for q in (page.partition("?")[2], f"lang={lang}" if lang == "en" else "", f"mode={mode}" if mode else "")
                    if q
                ]
                out.append(page.partition("?")[0] + ("?" + "&".join(query) if query else ""))
    return out


def main(db: Path, out: Path, targets: list[str]) -> int:
    full_set = targets == ["--set"]
    taken: list[Shot] = []
    outside: list[str] = []
    found = shots(db, out, set_targets() if full_set else targets, image="jpg" if full_set else "png", set_names=full_set)
    for result in found:
        if isinstance(result, Shot):
            taken.append(result)
            print(f"{result.path.name}: {result.title}" + (f" — {result.errors} error(s)" if result.errors else ""), flush=True)
        else:
            outside = result
    if full_set:
        lines = [
            "# Screenshots (issue 13)",
            "",
            "Every page in Chinese and English, at 1440 and 390 px wide, in normal and meeting mode, on the demo data,",
            "taken by `scripts/screenshots.py DB docs/screenshots --set` with every outside request blocked.",
            "",
            "| page | width | file |",
            "| --- | --- | --- |",
            *[f"| {s.target} | {s.width} | [{s.path.name}]({s.path.name}) |" for s in taken],
        ]
        (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("outside requests:", outside or "none")
    errors = sum(s.errors for s in taken)
    return 1 if outside or errors else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]))
