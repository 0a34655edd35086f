"""Real-browser tests: Playwright driving Debian's Chromium against `streamlit run` on a free local port.

.ci/run (scripts/test.sh) installs Chromium and CJK fonts; these tests fail, not skip, without them.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import time

import pytest

from branchboard import auth, cli
from browser import block_outside, metric_values, shared_link, streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "浏览器测试-口令-2026"


def summary(path, *args) -> dict:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert cli.main(["summary", "--db", str(path), "--json", *args]) == 0
    return json.loads(buffer.getvalue())


@pytest.fixture(scope="module")
def open_server(tmp_path_factory, demo_db_path):
    folder = tmp_path_factory.mktemp("browser_open")
    path = folder / "open.duckdb"
    shutil.copy(demo_db_path, path)
    expected = {
        "all": summary(path),
        "qx": summary(path, "--unit", "市气象局", "--from", "2024", "--to", "2025"),
    }
    from branchboard import db

    db.close_all()  # hand the file to the server process
    with streamlit_server(path) as base:
        yield base, expected


def new_page(browser, width=1440, height=900):
    context = browser.new_context(viewport={"width": width, "height": height})
    return context, context.new_page()


def test_first_request_after_start_is_a_deep_link(browser, open_server):
    """The server's very first request goes to a non-default page: it must run through app.py's navigation."""
    base, _ = open_server
    context, page = new_page(browser)
    page.goto(f"{base}/settings?unit=市气象局&lang=en")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "Settings"
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Overview" in nav and "app" not in nav.split()  # app.py's navigation, not the pages/ folder listing
    # Settings shows no filters (they do nothing there) but keeps the link's for the next page.
    assert "unit=" in page.url and not page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').count()
    context.close()


def test_link_with_filters_opens_that_view(browser, open_server):
    base, expected = open_server
    context, page = new_page(browser)
    page.goto(f"{base}/?unit=市气象局&from=2024&to=2025")
    wait_for_app(page)
    m = metric_values(page)
    want = expected["qx"]
    assert m["党支部"] == str(want["branches"])
    assert m["达标率"] == f"{want['assessment']['compliance_rate'] * 100:.1f}%"
    assert "市气象局" in page.locator('[data-testid="stSidebar"]').inner_text()
    context.close()


def test_copy_link_round_trip_in_a_fresh_browser(browser, open_server):
    base, expected = open_server
    context, page = new_page(browser)
    page.goto(f"{base}/?unit=市气象局&from=2024&to=2025&mode=meeting")
    wait_for_app(page)
    link = shared_link(page)  # meeting mode folds the sidebar: the helper unfolds it
    assert link.startswith(base) and "mode=meeting" in link
    context.close()
    fresh, page2 = new_page(browser)  # a new browser context: no cookies, no session
    page2.goto(link)
    wait_for_app(page2)
    assert metric_values(page2)["党支部"] == str(expected["qx"]["branches"])
    assert "2.6rem" in page2.content()  # meeting mode's larger KPI type
    fresh.close()


def test_english_switch_and_link(browser, open_server):
    base, _ = open_server
    context, page = new_page(browser)
    page.goto(f"{base}/")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "总览"
    page.get_by_text("English", exact=True).click()
    page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText.includes('Overview')")
    wait_for_app(page)
    assert "lang=en" in page.url
    assert "Compliance rate" in metric_values(page)
    context.close()
    fresh, page2 = new_page(browser)
    page2.goto(f"{base}/?lang=en")
    wait_for_app(page2)
    assert page2.locator("h1").first.inner_text().strip() == "Overview"
    fresh.close()


def test_meeting_mode_folds_the_sidebar(browser, open_server):
    base, _ = open_server
    context, page = new_page(browser)
    page.goto(f"{base}/?mode=meeting")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_attribute("data-collapsed") == "true"
    assert sidebar.bounding_box()["width"] == 0
    assert page.locator('[data-testid="stMain"]').get_by_text("数据截至").first.is_visible()
    context.close()


def test_filters_survive_page_switches(browser, open_server):
    base, _ = open_server
    context, page = new_page(browser)
    page.goto(f"{base}/?unit=市气象局")
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("参数设置").click()
    wait_for_app(page)
    assert "unit=" in page.url
    page.locator('[data-testid="stSidebarNav"]').get_by_text("总览").click()
    wait_for_app(page)
    assert "市气象局" in page.locator('[data-testid="stSidebar"]').inner_text()
    assert "unit=" in page.url
    context.close()


def test_clicking_a_unit_bar_filters_every_page(browser, open_server):
    base, _ = open_server
    context, page = new_page(browser, height=1000)
    page.goto(f"{base}/compliance")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .bars .point path", timeout=60_000)
    unit_chart = page.locator('[data-testid="stPlotlyChart"]').nth(1)  # 各单位达标率
    unit_chart.locator(".bars .point path").first.click(force=True)
    page.wait_for_function("() => location.search.includes('unit=')", timeout=60_000)
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert any(unit in sidebar for unit in ("市公安局", "市委党校", "市税务局", "市统计局"))
    page.locator('[data-testid="stSidebarNav"]').get_by_text("志愿服务").click()
    wait_for_app(page)
    assert "unit=" in page.url  # the filter follows to the next page
    context.close()


def test_page_choices_travel_in_the_link(browser, open_server):
    base, _ = open_server
    context, page = new_page(browser)
    page.goto(f"{base}/tiers?pa=2023&pb=2025")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "2023年度与2025年度均有定级的支部" in main  # the two chosen periods, not the default pair
    page.goto(f"{base}/branch?branch=SW001")
    wait_for_app(page)
    assert "SW001" in page.locator('[data-testid="stMain"]').inner_text()
    context.close()


def test_html_brief_downloads_and_needs_no_network(browser, open_server, tmp_path):
    base, _ = open_server
    context, page = new_page(browser)
    page.goto(f"{base}/overview?unit=市税务局")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    # Settled first: the brief is made on click by a callable that Streamlit registers per run, and a click that
    # lands while a run is replacing the page's elements asks for one that is gone.
    _view(page)
    with page.expect_download() as download:
        page.get_by_text("下载本页简报（HTML）").click()
    assert download.value.suggested_filename.endswith(".html")
    brief_path = tmp_path / download.value.suggested_filename
    download.value.save_as(brief_path)
    html = brief_path.read_text(encoding="utf-8")
    assert "总览" in html and "市税务局" in html and "数据截至" in html
    assert "达标率" in html and html.count("<section>") >= 3
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?://", html)
    offline = browser.new_context(offline=True)
    view = offline.new_page()
    view.goto(brief_path.as_uri())
    view.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3", timeout=30_000)
    offline.close()
    context.close()


def test_the_word_report_of_the_view_is_drafted_and_downloads(browser, open_server, tmp_path):
    """生成报告 beside the brief: progress while the charts render, then a .docx of exactly the filters on screen."""
    import docx

    base, expected = open_server
    context, page = new_page(browser)
    page.goto(f"{base}/compliance?unit=市气象局&from=2024&to=2025")
    wait_for_app(page)
    _view(page)
    page.get_by_role("button", name="生成报告（Word）").click()
    download_button = page.get_by_role("button", name="下载报告（Word）")
    download_button.wait_for(timeout=120_000)
    with page.expect_download() as download:
        download_button.click()
    assert re.fullmatch(r"党支部建设情况通报-\d{4}-\d{2}-\d{2}\.docx", download.value.suggested_filename)
    path = tmp_path / "report.docx"
    download.value.save_as(path)
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    assert lines[0] == "关于2025年度党支部建设情况的通报"
    assert lines[1] == "统计范围：2024年度 至 2025年度 · 市气象局"
    a = expected["qx"]["assessment"]
    assert f"达标{a['passed']}个，达标率{a['compliance_rate'] * 100:.1f}%" in "".join(lines)
    assert len(document.inline_shapes) == 4
    # Switched to English in the same session: the drafted (Chinese) report is no longer the view on screen.
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText.includes('Compliance')")
    wait_for_app(page)
    assert page.get_by_role("button", name="Draft the report (Word)").count() == 1
    assert page.get_by_role("button", name=re.compile("Download the report|下载报告")).count() == 0
    context.close()


@pytest.fixture(scope="module")
def protected_server(tmp_path_factory, demo_db_path):
    folder = tmp_path_factory.mktemp("browser_protected")
    path = folder / "protected.duckdb"
    shutil.copy(demo_db_path, path)
    env = {"BRANCHBOARD_VIEWER_CODE": "2468", "BRANCHBOARD_ADMIN_PASSWORD_HASH": auth.hash_password(ADMIN_PASSWORD)}
    with streamlit_server(path, env) as base:
        yield base


def enter_viewer_code(page) -> None:
    page.get_by_label("访问码").fill("2468")
    page.get_by_role("button", name="进入").click()
    page.wait_for_function("() => !document.body.innerText.includes('请输入访问码')", timeout=60_000)
    wait_for_app(page)
    # The browser is handed its pass (an HttpOnly cookie, not visible to the page) and comes back to the same view.
    deadline = time.monotonic() + 30
    while not any(c["name"] == "bb_viewer" for c in page.context.cookies()):
        assert time.monotonic() < deadline, "no viewer pass was set"
        page.wait_for_timeout(200)
    wait_for_app(page)


def test_viewer_needs_the_code_and_never_reaches_admin_pages(browser, protected_server):
    context, page = new_page(browser)
    page.goto(f"{protected_server}/compliance")
    page.wait_for_selector("h1", timeout=60_000)
    assert "请输入访问码" in page.locator('[data-testid="stMain"]').inner_text()
    assert not page.locator('[data-testid="stMetric"]').count()
    page.get_by_label("访问码").fill("0000")
    page.get_by_role("button", name="进入").click()
    page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=60_000)
    assert not page.locator('[data-testid="stMetric"]').count()
    enter_viewer_code(page)
    assert page.locator("h1").first.inner_text().strip() == "达标情况"  # the link's page, after the code
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "参数设置" not in sidebar and "数据导入" not in sidebar
    # The browser stays signed in: a new page load (a new session) does not ask for the code again.
    page.goto(f"{protected_server}/settings")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "请输入访问码" not in main
    assert "仅限管理员" in main and "保存设置" not in main and "达标分数线" not in main
    assert "2468" not in str(context.cookies())  # the pass, never the code
    page.goto(f"{protected_server}/import")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "仅限管理员" in main and "导入记录" not in main
    assert not page.locator('[data-testid="stFileUploader"]').count()
    context.close()


def test_a_shared_link_opened_in_a_browser_that_entered_the_code_needs_no_code(browser, protected_server):
    context, page = new_page(browser)
    page.goto(f"{protected_server}/overview")
    page.wait_for_selector("h1", timeout=60_000)
    enter_viewer_code(page)
    page.goto(f"{protected_server}/tiers?pa=2023&pb=2025")  # a link from a chat, in the same browser
    wait_for_app(page)
    assert "请输入访问码" not in page.locator('[data-testid="stMain"]').inner_text()
    assert any(c["name"] == "bb_viewer" and c["httpOnly"] for c in context.cookies())
    context.close()
    fresh, other = new_page(browser)  # another browser: the code is asked
    other.goto(f"{protected_server}/tiers")
    other.wait_for_selector("h1", timeout=60_000)
    assert "请输入访问码" in other.locator('[data-testid="stMain"]').inner_text()
    fresh.close()


def test_admin_uploads_a_file_and_the_dashboard_follows(browser, protected_server, tmp_path):
    """Log in as admin, upload a tier file for 2026, import it, and see the new period on the Overview."""
    tiers_csv = tmp_path / "2026年度分类定级.csv"
    codes = ["SW001", "SW002", "GA001", "GA002"]
    rows = ["支部编码,定级档次"] + [f"{code},{'后进' if i == 0 else '先进'}" for i, code in enumerate(codes)]
    tiers_csv.write_bytes(("\n".join(rows) + "\n").encode("gbk"))  # units send GBK
    context, page = new_page(browser)
    page.goto(f"{protected_server}/")
    enter_viewer_code(page)
    page.get_by_text("管理员登录").click()
    page.get_by_label("管理员密码").fill(ADMIN_PASSWORD)
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="进入").click()
    page.wait_for_function("() => document.body.innerText.includes('管理员（已登录）')", timeout=60_000)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("数据导入").click()
    wait_for_app(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(tiers_csv))
    page.wait_for_function("() => document.body.innerText.includes('2026年度分类定级.csv')", timeout=60_000)
    wait_for_app(page)
    assert "分类定级" in page.locator('[data-testid="stMain"]').inner_text()  # detected kind
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_selector('[data-testid="stAlertContentSuccess"]', timeout=60_000)
    wait_for_app(page)
    assert "2026年度分类定级.csv" in page.locator('[data-testid="stMain"]').inner_text()  # in the batch history
    page.locator('[data-testid="stSidebarNav"]').get_by_text("分类定级").click()
    wait_for_app(page)
    assert "2026年度" in page.locator('[data-testid="stMain"]').inner_text()
    context.close()


def test_no_request_leaves_the_server_on_any_page(browser, open_server):
    """An offline intranet: the page icon, fonts, Plotly, everything comes from this server."""
    base, _ = open_server
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    outside = block_outside(context)
    page = context.new_page()
    for name in ("overview", "compliance", "volunteer", "tiers", "branch?branch=SW001", "import", "settings"):
        served = page.goto(f"{base}/{name}")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().strip()
        # The chart code is fetched while the page connects (branchboard.server.PageHead); the other elements'
        # code (a table's) is not named ahead of the page's own requests, and comes from this server when drawn.
        assert served is not None and "/PlotlyChart." in served.text() and "/DataFrame." not in served.text()
        if name in ("compliance", "volunteer", "tiers"):
            page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(timeout=30_000)
    assert outside == []
    context.close()


def _choose(page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=option).click()
    wait_for_app(page)


@pytest.mark.parametrize("width", [1440, 390])
def test_a_link_copied_after_a_page_choice_opens_that_view(browser, open_server, width):
    """Tiers: 对比期（前） and the 降档 tab; volunteer: the ten lowest; compliance: 考核期. The link is read from the share
    panel right after the choice and opened in a fresh browser context, at desktop and phone width."""
    base, _ = open_server
    context, page = new_page(browser, width=width)
    page.goto(f"{base}/tiers")
    wait_for_app(page)
    _choose(page, "对比期（前）", "2023年度")
    page.get_by_role("tab").filter(has_text="降档").click()
    wait_for_app(page)
    before = _cards_and_tabs(page)
    link = shared_link(page)
    assert "pa=2023" in link and "list=demoted" in link
    page.goto(f"{base}/volunteer")
    wait_for_app(page)
    page.get_by_text("人均时长最低 10 个").click()
    wait_for_app(page)
    assert "rank=bottom" in shared_link(page)
    page.goto(f"{base}/compliance")
    wait_for_app(page)
    _choose(page, "考核期", "2024年度")
    assert "period=2024" in shared_link(page)
    context.close()
    fresh, page2 = new_page(browser, width=width)
    page2.goto(link)
    wait_for_app(page2)
    assert _cards_and_tabs(page2) == before
    assert "2023年度与2025年度均有定级的支部" in page2.locator('[data-testid="stMain"]').inner_text()
    assert page2.get_by_role("tab", selected=True).inner_text().startswith("降档")
    fresh.close()


def _cards_and_tabs(page) -> tuple:
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    wait_for_app(page)
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return tuple(zip(labels, values, strict=True)), tuple(page.get_by_role("tab").all_inner_texts())


def test_on_a_phone_a_tap_on_a_unit_bar_drills_in_and_the_page_is_usable(browser, open_server):
    """390 × 844 with touch: the sidebar starts folded, KPI cards sit two per row, no chart toolbar shows, and a tap
    on a unit's bar filters to that unit."""
    base, _ = open_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{base}/compliance")
    wait_for_app(page)
    assert page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"
    cards = page.locator('[data-testid="stMetric"]')
    boxes = [cards.nth(i).bounding_box() for i in range(2)]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[0]["width"] < 200  # side by side
    # The cards' own type (the page's CSS, in the head, over Streamlit's 2.25rem): a value fits its half-width card.
    value = page.locator('[data-testid="stMetricValue"]').first
    assert value.evaluate("e => getComputedStyle(e).fontSize") == "21.6px"  # 1.35rem
    assert value.evaluate("e => e.scrollWidth <= e.clientWidth")  # not cut to "…"
    page.wait_for_selector(".js-plotly-plot .bars .point path", timeout=60_000)
    assert not page.locator(".modebar-container").first.is_visible()
    unit_chart = page.locator('[data-testid="stPlotlyChart"]').nth(1)  # 各单位达标率
    bar = unit_chart.locator(".bars .point path").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => location.search.includes('unit=')", timeout=60_000)
    context.close()


# Every table on screen whose bottom runs over the next thing drawn after it (its element's next sibling with a
# height, or its block's): [table's first words, its bottom, the next thing's top].
_TABLES_RUN_OVER = """() => {
  const over = [];
  for (const table of document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')) {
    const box = table.getBoundingClientRect();
    if (!box.height) continue;  // in a closed tab
    let e = table.closest('[data-testid="stElementContainer"]'), next = null;
    while (e && !next && !e.matches('[data-testid="stMain"]')) {
      let s = e.nextElementSibling;
      while (s && !s.getBoundingClientRect().height) s = s.nextElementSibling;
      next = s;
      e = e.parentElement;
    }
    if (next && next.getBoundingClientRect().top < box.bottom - 1) {
      over.push([table.innerText.slice(0, 20), box.bottom, next.getBoundingClientRect().top]);
    }
  }
  return over;
}"""


def test_on_a_phone_a_table_toolbar_covers_no_tab(browser, open_server):
    """On touch screens a table's toolbar is always shown, 44 px above it: it sat on the tabs of 分类定级's lists, and a
    tap on 仍为后进 hit the toolbar. The table leaves it a band of its own, without running over what follows it (the
    批次 picker under 数据导入's import records); a tap on each tab opens it."""
    from playwright.sync_api import Error as PlaywrightError

    base, _ = open_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    for path in ("import", "compliance", "volunteer"):
        page.goto(f"{base}/{path}")
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stDataFrame"]', state="attached", timeout=60_000)
        wait_for_app(page)
        assert page.evaluate(_TABLES_RUN_OVER) == [], path
    page.goto(f"{base}/tiers")
    _view(page)  # settled: a tab's rerun would replace the elements measured below
    assert page.evaluate(_TABLES_RUN_OVER) == []
    tabs = page.locator('[data-testid="stTabs"] [role="tab"]')
    toolbar = page.locator('[data-testid="stDataFrame"] [data-testid="stElementToolbar"]').first
    tabs.nth(2).scroll_into_view_if_needed()
    tab_box, bar_box = tabs.nth(2).bounding_box(), toolbar.bounding_box()
    assert tab_box is not None and bar_box is not None
    assert bar_box["y"] >= tab_box["y"] + tab_box["height"] - 1  # below the tabs, not over them
    selected = "i => document.querySelectorAll('[data-testid=stTabs] [role=tab]')[i].getAttribute('aria-selected') === 'true'"
    for i in (2, 1):
        for _ in range(5):  # (a run that has just ended may still be replacing the tabs)
            with contextlib.suppress(PlaywrightError):
                tabs.nth(i).scroll_into_view_if_needed(timeout=5_000)
                box = tabs.nth(i).bounding_box()
                if box is not None:
                    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                    break
            page.wait_for_timeout(500)
        page.wait_for_function(selected, arg=i, timeout=10_000)
        wait_for_app(page)
    context.close()


# Every page's own choices (issue 12), each made through its widget: (page, [steps]); a step is a selectbox by its
# label's catalog key and the period to pick, the n-th tab, or a radio option by its catalog key.
PAGE_CHOICES = [
    ("compliance", [("select", "compliance.period", "2024")]),
    ("tiers", [("select", "tiers.period_a", "2023"), ("tab", 1)]),
    ("volunteer", [("radio", "volunteer.ranking_bottom")]),
    ("branch?branch=SW001", [("select", "compliance.period", "2024")]),
]

# What a page shows, charts drawn: headings, KPI cards, captions and texts, the chosen values, the open tab, the
# chosen radio option and the charts' titles (which name their periods).
_VIEW = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const parts = [];
  const shown = 'h1, h2, h3, [data-testid="stMetric"], [data-testid="stMarkdownContainer"], [data-testid="stSelectbox"],'
    + ' [role="tab"][aria-selected="true"]';
  for (const e of main.querySelectorAll(shown)) parts.push(e.innerText);
  for (const e of main.querySelectorAll('[data-testid="stRadio"] input:checked')) parts.push(e.closest('label').innerText);
  for (const e of main.querySelectorAll('[data-testid="stPlotlyChart"] .gtitle')) parts.push(e.textContent);
  return parts;
}"""


def _view(page) -> list[str]:
    """The page's view once it has settled: every chart drawn and the same on two reads a second apart (a page's
    elements arrive over several updates, and "no run in progress" can come before the last of them)."""
    wait_for_app(page)
    drawn = "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')].every(c => c.querySelector('.main-svg'))"
    seen = None
    for _ in range(30):
        page.wait_for_function(drawn, timeout=60_000)
        now = page.evaluate(_VIEW)
        if now == seen:
            return now
        seen = now
        page.wait_for_timeout(1000)
    raise AssertionError(f"{page.url} did not settle")


def _make_choice(page, step: tuple, lang: str) -> None:
    from branchboard import periods as P
    from branchboard.i18n import t

    if step[0] == "select":
        _choose(page, t(step[1], lang), P.display(step[2], lang))
    elif step[0] == "tab":
        page.get_by_role("tab").nth(step[1]).click()
    else:
        page.locator('[data-testid="stRadio"]').get_by_text(t(step[1], lang, n=10), exact=True).click()
    wait_for_app(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [1440, 390])
def test_every_page_choice_goes_into_the_link_and_the_link_opens_that_view(browser, open_server, width, lang):
    """Each page choice made through its widget, the link read from the share panel right after, and opened in a
    fresh browser context: the same headings, cards, texts, choices and chart titles, in both languages, at desktop
    and phone width."""
    base, _ = open_server
    for path, steps in PAGE_CHOICES:
        context, page = new_page(browser, width=width)
        page.goto(f"{base}/{path}" + (("&" if "?" in path else "?") + "lang=en" if lang == "en" else ""))
        before = _view(page)
        for step in steps:
            _make_choice(page, step, lang)
        chosen = _view(page)
        assert chosen != before, path  # the choice changed what the page shows
        link = shared_link(page)
        context.close()
        fresh, page2 = new_page(browser, width=width)
        page2.goto(link)
        assert _view(page2) == chosen, (path, link)
        fresh.close()
