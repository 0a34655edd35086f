"""Helpers for the real-browser tests: the app on a free local port and Debian's Chromium, started the way the
benchmark starts them (branchboard.bench_browser), so the tests and the benchmark see the same server and browser."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from branchboard.bench_browser import CHROMIUM_ARGS, chromium_path, serve
from conftest import REPO

CHROMIUM = chromium_path() or "/usr/bin/chromium"
__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "metric_values", "streamlit_server", "wait_for_app"]

_ACCESS = ("BRANCHBOARD_VIEWER_CODE", "BRANCHBOARD_ADMIN_PASSWORD_HASH", "BRANCHBOARD_ADMIN_EMAILS")


@contextmanager
def streamlit_server(db_path: Path, env: dict[str, str] | None = None):
    """Start the app against `db_path` (open access unless `env` sets the access variables); yield its base URL;
    stop it. Its log is next to the database."""
    environment = {"BRANCHBOARD_DB": str(db_path), **(env or {})}
    for key in _ACCESS:
        environment.setdefault(key, "")
    with serve(REPO / "app.py", environment, log_path=db_path.with_suffix(".log")) as (base, _):
        yield base


def block_outside(context) -> list[str]:
    """Abort every request of a browser context that would leave this machine (the product runs on an offline
    intranet); returns the list the attempts are recorded in."""
    from urllib.parse import urlparse

    outside: list[str] = []

    def route(r):  # one parameter: Playwright passes (route, request) to a handler that takes two
        if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost") or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return outside


# True once the page has not changed for `quiet` ms. Streamlit fetches an element's code when the first
# element of its kind arrives, so a run can be over while its elements are still being drawn: what a user waits for is
# the page having stopped changing. The observer is installed on the first call in a document.
_PAGE_SETTLED = """
(quiet) => {
  const w = window;
  if (!w.__bbTestQuiet) {
    w.__bbTestQuiet = {at: performance.now()};
    new MutationObserver(() => { w.__bbTestQuiet.at = performance.now(); })
      .observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  }
  return performance.now() - w.__bbTestQuiet.at >= quiet;
}
"""


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until the script finished its run (no running indicator), a title is drawn and the page has stopped
    changing (every element of the run drawn)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_selector("h1", timeout=timeout)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_function(_PAGE_SETTLED, arg=600, timeout=timeout, polling=100)


def metric_values(page) -> dict[str, str]:
    """The KPI cards, once the page has drawn all of them."""
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stMetricValue\"]').length >= 8", timeout=60_000)
    wait_for_app(page)
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values, strict=False)}


def shared_link(page) -> str:
    """Open the sidebar's 复制链接 panel (unfolding the sidebar where it is folded) and read the link it offers."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    folded = sidebar.get_attribute("data-collapsed") == "true"
    if folded:
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_timeout(800)
    sidebar.locator('[data-testid="stPopoverButton"]').filter(has_text=re.compile("链接|Copy link")).first.click()
    link = None
    for _ in range(60):  # the panel is drawn by the run its opening asks for
        page.wait_for_timeout(500)
        link = next(
            (f.locator("#link").input_value() for f in page.frames if f is not page.main_frame and f.locator("#link").count()),
            None,
        )
        if link:
            break
    page.keyboard.press("Escape")  # close the panel, and fold the sidebar again as it was
    if folded:
        page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]').first.click()
        page.wait_for_timeout(800)
    assert link, "no share panel"
    return link
