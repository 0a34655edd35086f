"""Helpers for the real-browser tests: a `streamlit run` on a free port and Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from conftest import REPO

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(db_path: Path, env: dict[str, str] | None = None):
    """Start the app on a free local port against `db_path`; yield its base URL; stop it."""
    port = free_port()
    environment = {**os.environ, "BRANCHBOARD_DB": str(db_path), **(env or {})}
    for key in ("BRANCHBOARD_VIEWER_CODE", "BRANCHBOARD_ADMIN_PASSWORD_HASH", "BRANCHBOARD_ADMIN_EMAILS"):
        if not env or key not in env:
            environment.pop(key, None)
    log = open(db_path.with_suffix(".log"), "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {db_path.with_suffix('.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until the script finished its run (no running indicator) and KPI cards or a title are drawn."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_selector("h1", timeout=timeout)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_timeout(800)


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
    sidebar.locator('[data-testid="stPopoverButton"]').filter(has_text="链接").first.click()
    page.wait_for_timeout(800)
    link = next(
        (f.locator("#link").input_value() for f in page.frames if f is not page.main_frame and f.locator("#link").count()),
        None,
    )
    page.keyboard.press("Escape")  # close the panel, and fold the sidebar again as it was
    if folded:
        page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]').first.click()
        page.wait_for_timeout(800)
    assert link, "no share panel"
    return link
