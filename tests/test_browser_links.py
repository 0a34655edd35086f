"""A unit's link in a real browser (issue 14): the server asks everyone else for the viewer code; the link's holder
opens it in a fresh browser without one and, on every page, across page switches and a reload, in the brief it
downloads, sees only its unit (and the committee average); URL values for other units, another unit's branch and
the admin pages' addresses get nothing; expired, revoked and altered links get the refusal page.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from branchboard import db, links
from branchboard.settings import session_secret
from browser import streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

UNIT = "市气象局"
REFUSED = "此链接已过期或已撤销，请联系机关工委。"


@pytest.fixture(scope="module")
def linked_server(tmp_path_factory, demo_db_path):
    """The demo behind a viewer code, with links made before the server starts (it then holds the file)."""
    path = tmp_path_factory.mktemp("browser_links") / "links.duckdb"
    shutil.copy(demo_db_path, path)
    store = db.Store(path)
    try:
        secret = session_secret(store)
        _, valid = links.create(store, secret, [UNIT], expires_at=links.parse_expiry("30d"), label="书记")
        _, expired = links.create(store, secret, [UNIT], expires_at=links.now() - timedelta(minutes=1))
        revoked_id, revoked = links.create(store, secret, [UNIT], expires_at=None)
        links.revoke(store, revoked_id)
        branches = store.cursor().execute("select branch_code, branch_name, unit_name from branches").df()
    finally:
        store.close()
        db.close_all()
    others = branches[branches["unit_name"] != UNIT]
    forbidden = sorted(set(others["unit_name"]) | set(others["branch_name"]))
    with streamlit_server(path, {"BRANCHBOARD_VIEWER_CODE": "2468"}) as base:
        yield {
            "base": base,
            "valid": valid,
            "expired": expired,
            "revoked": revoked,
            "forbidden": forbidden,
            "other_branch": others["branch_code"].iloc[0],
        }


def fresh_page(browser, width=1440):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    return context, context.new_page()


def leaks(text: str, forbidden: list[str]) -> list[str]:
    return [name for name in forbidden if name in text]


def test_a_unit_link_opens_without_the_code_and_shows_only_its_unit_everywhere(browser, linked_server, tmp_path):
    s = linked_server
    context, page = fresh_page(browser)
    page.goto(f"{s['base']}/compliance?link={s['valid']}&unit=市税务局&branch={s['other_branch']}")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "请输入访问码" not in main and page.locator("h1").first.inner_text().strip() == "达标情况"
    assert "链接中的以下参数无效" in main  # the other unit and branch asked for in the URL: ignored, said so
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "数据导入" not in sidebar and "参数设置" not in sidebar and "分享管理" not in sidebar
    assert "已保存视图" not in sidebar and f"本链接仅显示 {UNIT}" in sidebar
    # The charts' own text (bar labels, axes) as well as the page's.
    charts = " ".join(page.locator(".js-plotly-plot").all_inner_texts())
    body = main.replace("unit=市税务局", "") + charts
    assert leaks(body, s["forbidden"]) == [] and UNIT in charts and "全工委平均" in charts

    for name in ("总览", "志愿服务", "分类定级", "支部画像"):
        page.locator('[data-testid="stSidebarNav"]').get_by_text(name, exact=True).click()
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().strip() == name
        assert parse_qs(urlparse(page.url).query).get("link") == [s["valid"]]  # still a unit link after the switch
        text = page.locator('[data-testid="stMain"]').inner_text() + " ".join(page.locator(".js-plotly-plot").all_inner_texts())
        assert leaks(text, s["forbidden"]) == [], name

    page.reload()
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().strip() == "支部画像" and "请输入访问码" not in page.content()

    page.locator('[data-testid="stSidebarNav"]').get_by_text("总览", exact=True).click()
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    page.wait_for_timeout(1000)
    with page.expect_download() as download:
        page.get_by_text("下载本页简报（HTML）").click()
    brief = tmp_path / "brief.html"
    download.value.save_as(brief)
    html = brief.read_text(encoding="utf-8")
    assert UNIT in html and leaks(html, s["forbidden"]) == []
    context.close()


def test_a_links_exports_hold_only_its_unit_and_the_committee(browser, linked_server, tmp_path):
    """The table behind 达标率 by unit, as CSV and as XLSX: the unit and the 全工委平均 row, nothing else."""

    import fastexcel
    import pandas as pd

    s = linked_server
    context, page = fresh_page(browser)
    page.goto(f"{s['base']}/compliance?link={s['valid']}")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    page.wait_for_timeout(1000)
    how = page.locator('[data-testid="stExpander"]').filter(has_text="计算口径").nth(1)  # under 各单位达标率
    how.locator("summary").click()
    page.wait_for_timeout(500)
    units = {}
    for label, suffix in (("下载数据（CSV）", ".csv"), ("下载数据（Excel）", ".xlsx")):
        with page.expect_download() as download:
            how.get_by_text(label).click()
        path = tmp_path / f"by_unit{suffix}"
        download.value.save_as(path)
        if suffix == ".csv":
            frame = pd.read_csv(path, encoding="utf-8-sig")
        else:
            frame = fastexcel.read_excel(path.read_bytes()).load_sheet(0).to_pandas()
        units[suffix] = set(frame["单位"])
        assert leaks(path.read_bytes().decode("utf-8", "ignore") if suffix == ".csv" else frame.to_csv(), s["forbidden"]) == []
    assert units == {".csv": {UNIT, "全工委平均"}, ".xlsx": {UNIT, "全工委平均"}}
    context.close()


@pytest.mark.parametrize("page_path", ["settings", "import", "links"])
def test_admin_addresses_show_nothing_to_a_links_holder(browser, linked_server, page_path):
    s = linked_server
    context, page = fresh_page(browser)
    page.goto(f"{s['base']}/{page_path}?link={s['valid']}")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "不在本链接的查看范围内" in main and "管理员登录" not in main
    assert not page.locator('[data-testid="stFileUploader"]').count() and "生成链接" not in main and "保存设置" not in main
    context.close()


@pytest.mark.parametrize("which", ["expired", "revoked", "altered", "unsigned"])
def test_a_link_that_does_not_open_gets_the_refusal_page_only(browser, linked_server, which):
    s = linked_server
    token = {
        "expired": s["expired"],
        "revoked": s["revoked"],
        "altered": s["valid"][:-4] + ("AAAA" if not s["valid"].endswith("AAAA") else "BBBB"),
        "unsigned": s["valid"].rsplit(".", 1)[0],
    }[which]
    context, page = fresh_page(browser)
    page.goto(f"{s['base']}/overview?link={token}")
    page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=60_000)
    wait_for_app(page)
    assert REFUSED in page.locator('[data-testid="stMain"]').inner_text()
    assert not page.locator('[data-testid="stMetric"]').count() and not page.locator(".js-plotly-plot").count()
    assert not page.locator('[data-testid="stSidebarNav"]').count()  # not even the list of pages
    context.close()
