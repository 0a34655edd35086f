"""AppTest: language, meeting mode, access control, settings page, saved views."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from branchboard import auth
from branchboard.ui import MEETING_CHART_SCALE
from branchboard.ui.saved_views import SAVED_VIEWS_KEY
from branchboard.ui.share import SHARE_PANEL_KEY
from conftest import REPO, shown

ADMIN_PASSWORD = "正确的口令-2026"


@pytest.fixture
def app_db(app_db, monkeypatch):
    """The shared app database, with no access code or admin configured (each test sets what it needs)."""
    for key in ("BRANCHBOARD_VIEWER_CODE", "BRANCHBOARD_ADMIN_PASSWORD_HASH", "BRANCHBOARD_ADMIN_EMAILS"):
        monkeypatch.delenv(key, raising=False)
    return app_db


@pytest.fixture(autouse=True)
def _fresh_limiter(monkeypatch):
    monkeypatch.setattr(auth, "LIMITER", auth.RateLimiter())


def new_app(**secrets) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for key, value in secrets.items():
        at.secrets[key] = value
    return at


def page_titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


@pytest.mark.slow
def test_open_mode_shows_the_note_and_admin_pages(app_db):
    at = new_app().run()
    assert not at.exception
    assert any("未配置访问控制" in c.value for c in at.sidebar.caption)
    at.switch_page("pages/settings.py").run()
    assert not at.exception
    assert page_titles(at) == ["参数设置"]


@pytest.mark.slow
def test_english_via_url_and_toggle(app_db):
    at = new_app()
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert page_titles(at) == ["Overview"]
    assert "Compliance rate" in [m.label for m in at.metric]
    at.toggle(key="ui_lang_en").set_value(False).run()
    assert page_titles(at) == ["总览"]
    assert "lang" not in at.query_params


@pytest.mark.slow
def test_meeting_mode_via_url_and_toggle(app_db):
    at = new_app()
    at.query_params["mode"] = "meeting"
    at.run()
    assert not at.exception
    assert at.toggle(key="ui_meeting").value is True
    assert any('stMetricValue"] { font-size: 2.6rem' in m.value for m in at.markdown)
    at.toggle(key="ui_meeting").set_value(False).run()
    assert "mode" not in at.query_params


def _chart_heights(at: AppTest) -> list[int]:
    return [json.loads(chart.proto.spec)["layout"]["height"] for chart in at.get("plotly_chart")]


@pytest.mark.slow
def test_meeting_mode_enlarges_its_own_copy_of_a_shared_figure(app_db):
    """Figures are built once for every session (charts.shared): one in meeting mode must not enlarge another's."""
    plain = _chart_heights(new_app().run())
    meeting = new_app()
    meeting.query_params["mode"] = "meeting"
    enlarged = _chart_heights(meeting.run())
    assert plain and enlarged == [int(h * MEETING_CHART_SCALE) for h in plain]
    assert _chart_heights(new_app().run()) == plain  # the same figures as before, not the enlarged ones


@pytest.mark.slow
def test_viewer_code_gate(app_db):
    at = new_app(access={"viewer_code": "2468"}).run()
    assert not at.exception
    assert not at.metric  # nothing shown before the code
    at.text_input(key="access_code").input("1111")
    at.button[0].click().run()
    assert any("不正确" in e.value for e in at.error)
    at.text_input(key="access_code").input("2468")
    at.button[0].click().run()
    assert not at.exception
    assert at.metric  # the dashboard


@pytest.mark.slow
def test_viewer_never_gets_admin_pages_and_admin_can_log_in(app_db):
    at = new_app(access={"admin_password_hash": auth.hash_password(ADMIN_PASSWORD, iterations=1000)}).run()
    assert not at.exception and at.metric  # no viewer code: viewers see the dashboard
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/settings.py")  # the page file is not registered for viewers at all
    at = new_app(access={"admin_password_hash": auth.hash_password(ADMIN_PASSWORD, iterations=1000)}).run()
    at.text_input(key="admin_password").input("错误")
    _submit_admin(at)
    assert any("密码不正确" in e.value for e in at.error)
    at.text_input(key="admin_password").input(ADMIN_PASSWORD)
    _submit_admin(at)
    assert not at.exception
    at.switch_page("pages/settings.py").run()
    assert not at.exception and page_titles(at) == ["参数设置"]


def _submit_admin(at: AppTest) -> None:
    submit = [b for b in at.button if b.label in ("进入", "Enter")][-1]
    submit.click().run()


@pytest.mark.slow
def test_admin_login_is_rate_limited(app_db):
    at = new_app(access={"admin_password_hash": auth.hash_password(ADMIN_PASSWORD, iterations=1000)}).run()
    for _ in range(auth.MAX_FAILURES):
        at.text_input(key="admin_password").input("错误")
        _submit_admin(at)
    at.text_input(key="admin_password").input(ADMIN_PASSWORD)
    _submit_admin(at)
    assert any("尝试次数过多" in e.value for e in at.error)


@pytest.mark.slow
def test_settings_page_changes_the_overview(app_db):
    at = new_app().run()
    rate_before = {shown(m.label): shown(m.value) for m in at.metric}["达标率"]
    at.switch_page("pages/settings.py").run()
    at.number_input(key="set_pass").set_value(95.0)
    next(b for b in at.button if b.label == "保存设置").click().run()
    assert not at.exception
    assert any("已保存" in s.value for s in at.success)
    at.switch_page("pages/overview.py").run()
    rate_after = {shown(m.label): shown(m.value) for m in at.metric}["达标率"]
    assert float(rate_after.rstrip("%")) < float(rate_before.rstrip("%"))


@pytest.mark.slow
def test_settings_refuse_removing_tiers_in_use(app_db):
    at = new_app().run()
    at.switch_page("pages/settings.py").run()
    at.text_input(key="set_tiers").input("好，较好，一般，较差")
    next(b for b in at.button if b.label == "保存设置").click().run()
    assert any("不能删除" in e.value for e in at.error)


@pytest.mark.slow
def test_save_a_view_and_list_it(app_db):
    at = new_app()
    at.query_params["unit"] = "市气象局"
    at.run()
    assert not at.get("page_link") and "view_name" not in [w.key for w in at.text_input]  # drawn only when opened
    at.session_state[SAVED_VIEWS_KEY] = True  # the user opens 已保存视图
    at.run()
    at.text_input(key="view_name").input("气象局专题")
    next(b for b in at.button if b.label == "保存当前视图").click().run()
    assert not at.exception
    assert any("气象局专题" in s.value for s in at.success)
    # Listed at once, in the same run that says it was saved (not only after the next click).
    assert "气象局专题" in [shown(p.label) for p in at.get("page_link")]


@pytest.mark.slow
def test_backup_from_the_running_app(app_db):
    at = new_app().run()
    at.switch_page("pages/settings.py").run()
    next(b for b in at.button if b.label == "生成备份").click().run()
    assert not at.exception
    assert not at.get("download_button")  # never a copy held at a media URL for the rest of the session
    link = next(b for b in at.get("link_button") if shown(b.proto.label) == "下载备份文件").proto.url
    token = link.rsplit("/", 1)[-1]
    assert link == f"/_branchboard/backup/{token}" and len(token) >= 40

    body, status, folder = _serve(token)
    assert status == 200 and b"DUCK" in body[:64]  # a DuckDB database file
    assert not folder.exists()  # the copy is deleted once sent
    assert _serve(token)[1] == 404  # once only


def _serve(token: str):
    """The backup route of branchboard.server, driven as the web server drives it."""
    import asyncio
    from pathlib import Path

    from starlette.requests import Request

    from branchboard import server

    scope = {"type": "http", "method": "GET", "path": f"/_branchboard/backup/{token}", "headers": [], "query_string": b""}
    scope["path_params"] = {"token": token}
    sent: list[dict] = []

    async def receive():  # the client stays connected: nothing more to read
        await asyncio.Event().wait()

    async def send(message):
        sent.append(message)

    async def run():
        response = await server.backup_download(Request(scope))
        folder = Path(response.path).parent if hasattr(response, "path") else Path("/nonexistent")
        await response(scope, receive, send)
        return response.status_code, folder

    status, folder = asyncio.run(run())
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return body, status, folder


@pytest.mark.slow
def test_admin_deletes_a_saved_view_and_viewers_cannot(app_db):
    from branchboard import db, views

    store = db.get_store(app_db)
    views.save_view(store, "会议视图", "overview", "unit=%E5%B8%82%E6%B0%94%E8%B1%A1%E5%B1%80", None)
    viewer = new_app(access={"admin_password_hash": auth.hash_password(ADMIN_PASSWORD, iterations=1000)})
    viewer.session_state[SAVED_VIEWS_KEY] = True
    viewer.run()
    assert "会议视图" in [shown(link.label) for link in viewer.get("page_link")]
    assert not [b for b in viewer.button if b.key and b.key.startswith("del_view_")]  # no delete for viewers
    at = new_app()  # open mode: the data officer on localhost is admin
    at.session_state[SAVED_VIEWS_KEY] = True
    at.run()
    next(b for b in at.button if b.key == "del_view_会议视图").click().run()
    assert not at.exception
    assert store.query("common__saved_views").empty


@pytest.mark.slow
def test_a_view_saved_on_an_admin_page_opens_the_overview_for_viewers(app_db):
    from branchboard import db, views

    views.save_view(db.get_store(app_db), "导入页", "import", "", None)
    views.save_view(db.get_store(app_db), "志愿", "volunteer", "unit=%E5%B8%82%E6%B0%94%E8%B1%A1%E5%B1%80", None)
    viewer = new_app(access={"admin_password_hash": auth.hash_password(ADMIN_PASSWORD, iterations=1000)})
    viewer.session_state[SAVED_VIEWS_KEY] = True
    viewer.run()
    assert not viewer.exception  # a link to a page viewers do not have must not break their sidebar
    links = {link.label: link.proto.page for link in viewer.get("page_link")}
    assert (links["导入页"], links["志愿"]) == ("overview", "volunteer")


# -- issue 10 ------------------------------------------------------------------------------------------------------
def test_a_failing_page_shows_a_message_with_a_reference_not_a_traceback(app_db, monkeypatch, caplog):
    from branchboard import metrics

    def broken(*args, **kwargs):
        raise RuntimeError("boom: secret internals")

    monkeypatch.setattr(metrics, "overview_summary", broken)
    at = new_app().run()
    assert not at.exception
    message = shown(at.error[0].value)
    assert "本页出现错误" in message and "参考编号" in message
    assert "boom" not in message and "Traceback" not in message
    reference = message.split("参考编号 ")[1].split(" ")[0]
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)  # the details are in the log


@pytest.mark.slow
def test_only_admin_sessions_may_upload(app_db, monkeypatch):
    from branchboard import access

    monkeypatch.setattr(auth, "UPLOADERS", auth.SessionGrants())
    sessions: list[str] = []
    real = access.session_id
    monkeypatch.setattr(access, "session_id", lambda: sessions.append(real()) or sessions[-1])
    at = new_app(access={"admin_password_hash": auth.hash_password(ADMIN_PASSWORD, iterations=1000)}).run()
    viewer_session = sessions[-1]
    assert viewer_session and not auth.UPLOADERS.allowed(viewer_session)
    at.text_input(key="admin_password").input(ADMIN_PASSWORD)
    _submit_admin(at)
    assert auth.UPLOADERS.allowed(sessions[-1])
    next(b for b in at.button if b.key == "access_logout").click().run()
    assert not auth.UPLOADERS.allowed(sessions[-1])


@pytest.mark.slow
def test_the_share_panel_is_drawn_when_opened_and_holds_the_link_of_the_view(app_db):
    """Closed, the panel sends nothing (the QR code and the copy frame are drawn for the runs that show them)."""

    def opened(is_open: bool) -> AppTest:  # (AppTest's later runs run the page without app.py, which fills the panel)
        at = new_app()
        at.query_params["unit"] = "市气象局"
        at.session_state[SHARE_PANEL_KEY] = is_open
        return at.run()

    closed = opened(False)
    assert not closed.exception
    assert not closed.get("image") and not [f for f in closed.get("iframe") if 'id="link"' in f.proto.srcdoc]
    at = opened(True)
    assert not at.exception
    panel = next(f.proto.srcdoc for f in at.get("iframe") if 'id="link"' in f.proto.srcdoc)
    assert "unit=%E5%B8%82%E6%B0%94%E8%B1%A1%E5%B1%80" in panel  # the link of the view on screen
    assert len(at.get("image")) == 1  # its QR code


@pytest.mark.slow
def test_a_page_that_ends_early_still_fills_the_share_panel(app_db):
    """支部画像 with no branch picked ends after its hint: the open share panel still holds the link and its QR code."""
    at = new_app()
    at.query_params["unit"] = "市气象局"
    at.session_state[SHARE_PANEL_KEY] = True
    at.run()
    at.switch_page("pages/branch.py").run()  # (run without app.py: the page itself must finish)
    assert not at.exception
    assert any("在上方选择一个支部" in shown(i.value) for i in at.info)  # the page's hint: it ended there
    panel = next(f.proto.srcdoc for f in at.get("iframe") if 'id="link"' in f.proto.srcdoc)
    assert "unit=%E5%B8%82%E6%B0%94%E8%B1%A1%E5%B1%80" in panel
    assert len(at.get("image")) == 1


@pytest.mark.slow
def test_a_viewer_signing_in_on_a_page_that_ends_early_gets_the_pass(app_db):
    """A link to 支部画像 without a branch: the code entered there still leads to the sign-in cookie's request."""
    at = new_app(access={"viewer_code": "2468"})
    at.switch_page("pages/branch.py").run()
    at.text_input(key="access_code").input("2468")
    at.button[0].click().run()
    assert not at.exception
    assert any("在上方选择一个支部" in shown(i.value) for i in at.info)  # the page ended early
    assert [f for f in at.get("iframe") if "/_branchboard/signin?t=" in f.proto.srcdoc]
