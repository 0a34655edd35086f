"""Hostile input in a real browser (issue 10): Chromium against `streamlit run app.py`, every request to another
host blocked and recorded.

- Names holding script, iframe, style, markdown-link and markdown-image payloads, and the same payloads in every URL
  key, run nothing, load nothing and link nowhere on any page, in the charts or in the HTML brief; they show as text.
- A viewer's session cannot send a file to the upload endpoint.
- A workbook that crashes the reader fails that upload with a message; the server keeps serving other sessions.
"""

from __future__ import annotations

import io
import re
import shutil
import threading
import urllib.request
from urllib.parse import quote, urlparse

import pytest
import xlsxwriter
from hostile import EVIL, NAMES, URL_KEYS, URL_PAYLOADS, make_hostile_db
from playwright.sync_api import sync_playwright

from branchboard import db
from branchboard.ui.context import PAGES_WITHOUT_FILTERS
from browser import CHROMIUM, CHROMIUM_ARGS, metric_values, streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

PAGES = ("overview", "compliance", "volunteer", "tiers", "branch", "import", "settings")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, demo_db_path):
    path = tmp_path_factory.mktemp("browser_hostile") / "hostile.duckdb"
    codes = make_hostile_db(demo_db_path, path)
    db.close_all()
    with streamlit_server(path) as base:
        yield base, codes


class Guarded:
    """A browser context in which every request to another host is aborted and recorded."""

    def __init__(self, browser, width: int = 1440) -> None:
        self.outside: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()

    def _route(self, route) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:", "file:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def live_markup(self) -> dict:
        """What a payload would leave behind if it had become markup."""
        return self.page.evaluate(
            f"""() => ({{
                xss: window.__xss === undefined ? null : String(window.__xss),
                // the product's own frames (share panel, sign-in pass) are st.iframe elements; a payload's are not
                iframes: [...document.querySelectorAll('iframe[srcdoc]')].filter(f => f.title !== 'st.iframe').length,
                broken_images: document.querySelectorAll('img[src="x"]').length,
                evil_links: document.querySelectorAll('a[href*="{EVIL}"]').length,
                evil_images: document.querySelectorAll('img[src*="{EVIL}"]').length,
                injected_styles: [...document.querySelectorAll('style')].filter(s => s.textContent.includes('display:none!important')).length,
            }})"""
        )

    def close(self) -> None:
        self.context.close()


CLEAN = {"xss": None, "iframes": 0, "broken_images": 0, "evil_links": 0, "evil_images": 0, "injected_styles": 0}


@pytest.mark.parametrize("page_name", PAGES)
def test_names_run_nothing_and_show_as_text(browser, hostile_server, page_name):
    base, codes = hostile_server
    guarded = Guarded(browser)
    page = guarded.page
    page.goto(f"{base}/{page_name}?unit={quote(NAMES['unit'])}&branch={codes['branch']}")
    wait_for_app(page)
    if page_name in ("overview", "compliance", "volunteer", "tiers", "branch"):
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.wait_for_timeout(1_500)
    assert guarded.live_markup() == CLEAN
    assert not [u for u in guarded.outside if EVIL in u]
    # The unit's name is there, as the characters it is made of (under the title, where the filters are shown).
    if page_name not in PAGES_WITHOUT_FILTERS:
        assert NAMES["unit"] in page.locator('[data-testid="stMain"]').inner_text()
    if page_name == "compliance":
        svg_text = page.evaluate("() => [...document.querySelectorAll('.main-svg')].map(s => s.textContent).join(' ')")
        assert "<iframe srcdoc=" in svg_text  # the chart label, drawn as text
    guarded.close()


def test_all_names_on_unfiltered_pages_run_nothing(browser, hostile_server):
    base, codes = hostile_server
    guarded = Guarded(browser)
    for page_name in ("overview", "compliance", "volunteer", "tiers", "branch"):
        guarded.page.goto(f"{base}/{page_name}?branch={codes['branch']}")
        wait_for_app(guarded.page)
        guarded.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        guarded.page.wait_for_timeout(1_500)
        assert guarded.live_markup() == CLEAN, page_name
    # The saved view's and the tier's names are listed as text.
    sidebar = guarded.page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("已保存视图").click()  # its list is drawn by the run that opening it asks for
    for _ in range(60):
        guarded.page.wait_for_timeout(500)
        if NAMES["view"] in sidebar.inner_text().replace("\u2060", ""):  # the word joiner breaking the autolink
            break
    assert NAMES["view"] in sidebar.inner_text().replace("\u2060", "")
    assert guarded.live_markup() == CLEAN
    assert not [u for u in guarded.outside if EVIL in u]
    guarded.close()


def test_url_values_run_nothing(browser, hostile_server):
    base, _ = hostile_server
    guarded = Guarded(browser)
    for payload in URL_PAYLOADS:
        query = "&".join(f"{key}={quote(payload)}" for key in URL_KEYS)
        for page_name in ("overview", "tiers", "compliance", "branch"):
            guarded.page.goto(f"{base}/{page_name}?{query}")
            wait_for_app(guarded.page)
            assert guarded.live_markup() == CLEAN, (page_name, payload)
            assert "已忽略" in guarded.page.locator('[data-testid="stMain"]').inner_text()
    assert not [u for u in guarded.outside if EVIL in u]
    guarded.close()


def test_the_brief_shows_names_as_text_offline(browser, hostile_server, tmp_path):
    base, _ = hostile_server
    guarded = Guarded(browser)
    guarded.page.goto(f"{base}/compliance?unit={quote(NAMES['unit'])}")
    wait_for_app(guarded.page)
    guarded.page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    with guarded.page.expect_download() as download:
        guarded.page.get_by_text("下载本页简报（HTML）").click()
    path = tmp_path / "brief.html"
    download.value.save_as(path)
    guarded.close()
    offline = Guarded(browser)
    offline.page.goto(path.as_uri())
    offline.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    assert offline.live_markup() == CLEAN
    assert NAMES["unit"] in offline.page.inner_text("body")
    assert not offline.outside
    offline.close()


# -- uploads -------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def protected_server(tmp_path_factory, demo_db_path):
    path = tmp_path_factory.mktemp("browser_hostile_protected") / "protected.duckdb"
    shutil.copy(demo_db_path, path)
    with streamlit_server(path, {"BRANCHBOARD_VIEWER_CODE": "2468"}) as base:
        yield base


def test_a_session_at_the_login_screen_cannot_upload(browser, protected_server):
    """A stranger's own live session id, in a hand-made PUT: the server refuses to take the bytes."""
    context = browser.new_context()
    page = context.new_page()
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f if isinstance(f, bytes) else f.encode())))
    page.goto(f"{protected_server}/import")
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_timeout(1_000)
    ids = {m.decode() for f in frames for m in re.findall(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", f)}
    assert ids, "no session id seen on the websocket"
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    # A small file: the refusal comes before any byte of it is read (a large body would see the socket closed).
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n' + b"x" * 1_000 + b"\r\n--b--\r\n"
    for session_id in ids:
        request = urllib.request.Request(
            f"{protected_server}/_stcore/upload_file/{session_id}/f1",
            data=body,
            method="PUT",
            headers={
                "Content-Type": "multipart/form-data; boundary=b",
                "X-Xsrftoken": cookies.get("_streamlit_xsrf", ""),
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            },
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 403
        assert "只有管理员可以上传文件" in refused.value.read().decode("utf-8")
    context.close()


# -- a reader crash ------------------------------------------------------------------------------------------------
def far_cell_workbook() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("定级")
    sheet.write_row(0, 0, ["期次", "支部编码", "档次"])
    sheet.write("XFD1048576", "x")
    book.close()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def unguarded_reader_server(tmp_path_factory, demo_db_path):
    """The extent check switched off: the far-cell workbook reaches calamine, which aborts (in its own process)."""
    path = tmp_path_factory.mktemp("browser_crash") / "crash.duckdb"
    shutil.copy(demo_db_path, path)
    env = {"BRANCHBOARD_READ_MAX_CELLS": str(10**15), "BRANCHBOARD_READ_MAX_SPARSE": str(10**15)}
    with streamlit_server(path, env) as base:
        yield base


def test_a_reader_crash_fails_one_upload_and_others_are_served(browser, unguarded_reader_server, tmp_path):
    base = unguarded_reader_server
    workbook = tmp_path / "far.xlsx"
    workbook.write_bytes(far_cell_workbook())
    uploader = Guarded(browser)
    uploader.page.goto(f"{base}/import")
    wait_for_app(uploader.page)
    viewer = Guarded(browser)
    served: list[dict] = []

    def watch() -> None:  # another session, using the dashboard while the upload is read
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = b.new_page()
            for _ in range(2):
                page.goto(f"{base}/overview")
                served.append(metric_values(page))
            b.close()

    watcher = threading.Thread(target=watch)
    uploader.page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(workbook))
    watcher.start()
    uploader.page.wait_for_function("() => document.body.innerText.includes('读取程序异常退出')", timeout=120_000)
    watcher.join(180)
    assert len(served) == 2 and all(m.get("党支部") for m in served)
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as health:
        assert health.status == 200
    viewer.page.goto(f"{base}/overview")
    assert metric_values(viewer.page)["党支部"]
    uploader.close()
    viewer.close()
