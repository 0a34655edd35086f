"""Links for one unit (issue 14): signed, scoped, expiring, revocable.

The token: altered, unsigned, foreign-signed, expired and revoked tokens open nothing. The scope: every query's
units are fixed from the token (FilterState.sql_params), whatever the URL says. The app: a link opens without the
viewer code, on every page shows only its unit's names and figures (with the committee average where a page
compares), ignores URL values for other units and branches, never reaches the admin pages; a bad token gets the
refusal page and nothing else. The command line: create, list, revoke.
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import timedelta

import plotly.graph_objects as go
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from branchboard import cli, db, links
from branchboard.filters import FilterState
from branchboard.settings import session_secret
from conftest import DEMO_TODAY, REPO

UNIT = "市气象局"
VIEWER_CODE = "委员会的访问码-2026"


def secret_of(store: db.Store) -> bytes:
    return session_secret(store)


# -- the token ------------------------------------------------------------------------------------------------------


def test_a_valid_token_opens_its_units_and_records_the_opening_not_the_token(store):
    link_id, token = links.create(store, secret_of(store), [UNIT], expires_at=links.parse_expiry("30d"), label="书记")
    checked = links.check(store, secret_of(store), token, record_open=True)
    assert checked.status == links.OK and checked.scope.units == (UNIT,) and checked.scope.link_id == link_id
    listed = links.listing(store)
    row = listed.loc[listed["link_id"] == link_id].iloc[0]
    assert row["times_opened"] == 1 and row["label"] == "书记" and list(row["units"]) == [UNIT]
    events = store.cursor().execute("select * from share_link_events").df()
    assert set(events["event"]) == {"created", "opened"}
    assert not events.astype(str).apply(lambda c: c.str.contains(token.split(".")[0][:20], regex=False)).any().any()


def test_altered_unsigned_and_foreign_tokens_open_nothing(store):
    _, token = links.create(store, secret_of(store), [UNIT], expires_at=None)
    payload, signature = token.rsplit(".", 1)
    import base64

    wider = base64.urlsafe_b64encode(json.dumps({"id": "x", "units": [UNIT, "市税务局"]}).encode()).decode().rstrip("=")
    for bad in (
        payload + "." + signature[:-2] + ("AA" if not signature.endswith("AA") else "BB"),  # signature changed
        wider + "." + signature,  # claims changed
        payload,  # unsigned
        "",
        "x" * 5000,
    ):
        assert links.check(store, secret_of(store), bad).status == links.INVALID
    assert links.check(store, b"another server's secret", token).status == links.INVALID


def test_a_token_whose_units_differ_from_its_row_opens_nothing(store):
    """Even signed with the real secret (a leaked one), a token cannot widen the link its id names."""
    link_id, _ = links.create(store, secret_of(store), [UNIT], expires_at=None)
    forged = links._serializer(secret_of(store)).dumps({"id": link_id, "units": [UNIT, "市税务局"]})
    assert links.check(store, secret_of(store), forged).status == links.INVALID


def test_expired_and_revoked_tokens_open_nothing(store):
    past = links.now() - timedelta(minutes=1)
    _, expired = links.create(store, secret_of(store), [UNIT], expires_at=past)
    assert links.check(store, secret_of(store), expired, record_open=True).status == links.EXPIRED
    link_id, token = links.create(store, secret_of(store), [UNIT], expires_at=None)
    assert links.revoke(store, link_id) and not links.revoke(store, link_id)
    assert links.check(store, secret_of(store), token).status == links.REVOKED
    events = store.cursor().execute("select event from share_link_events").df()["event"].tolist()
    assert "refused" in events and "revoked" in events


def test_expiry_words():
    start = links.now()
    assert links.parse_expiry("12h", start) == start + timedelta(hours=12)
    assert links.parse_expiry("30d", start) == start + timedelta(days=30)
    assert links.parse_expiry("8w", start) == start + timedelta(weeks=8)
    assert links.parse_expiry("never") is None
    for bad in ("5y", "0d", "0", "-3d", "soon"):  # "0" typed by mistake must not mean "never"
        with pytest.raises(ValueError):
            links.parse_expiry(bad)


def test_a_link_for_a_unit_that_does_not_exist_is_refused(store):
    with pytest.raises(ValueError, match="no such unit"):
        links.create(store, secret_of(store), ["不存在的单位"], expires_at=None)


def test_opening_a_link_does_not_empty_the_query_cache(store):
    _, token = links.create(store, secret_of(store), [UNIT], expires_at=None)
    version = store.data_version()
    links.check(store, secret_of(store), token, record_open=True)
    assert store.data_version() == version


# -- the scope in SQL -----------------------------------------------------------------------------------------------


def test_the_scope_fixes_every_querys_units():
    assert FilterState(scope=(UNIT,)).sql_params()["units"] == [UNIT]
    assert FilterState(units=("市税务局",), scope=(UNIT,)).sql_params()["units"] == [UNIT]  # never outside
    assert FilterState(units=(UNIT, "市税务局"), scope=(UNIT, "市司法局")).sql_params()["units"] == [UNIT]
    assert FilterState(units=("市税务局",)).sql_params()["units"] == ["市税务局"]  # no link: as before
    assert FilterState().sql_params()["units"] is None


def test_scoped_queries_hold_only_the_scope(store):
    params = FilterState(scope=(UNIT,)).sql_params()
    for name in ("compliance__by_unit", "volunteer__by_unit", "compliance__dimension_by_unit"):
        frame = store.query(name, {**params, "period": "2025"})
        assert set(frame["unit_name"]) == {UNIT}, name
    assert set(store.query("branch__options", params)["unit_name"]) == {UNIT}
    other = store.query("common__branch_codes", {"scope": ["市税务局"]})["branch_code"].iloc[0]
    assert store.query("branch__profile", {**params, "branch": other, "today": DEMO_TODAY}).empty


# -- the app --------------------------------------------------------------------------------------------------------


@pytest.fixture
def linked_app(app_db, monkeypatch):
    """The demo with the viewer code required, and a link for UNIT (plus the names it must never show)."""
    monkeypatch.setenv("BRANCHBOARD_VIEWER_CODE", VIEWER_CODE)
    monkeypatch.setenv("BRANCHBOARD_TODAY", DEMO_TODAY.isoformat())
    for key in ("BRANCHBOARD_ADMIN_PASSWORD_HASH", "BRANCHBOARD_ADMIN_EMAILS", "BRANCHBOARD_SESSION_SECRET"):
        monkeypatch.delenv(key, raising=False)
    store = db.Store(app_db)
    try:
        link_id, token = links.create(store, secret_of(store), [UNIT], expires_at=links.parse_expiry("30d"))
        branches = store.cursor().execute("select branch_code, branch_name, unit_name from branches").df()
        sectors = store.cursor().execute("select unit_name, sector from units").df()
    finally:
        store.close()
        db.close_all()
    others = branches[branches["unit_name"] != UNIT]
    own_sector = sectors.loc[sectors["unit_name"] == UNIT, "sector"].iloc[0]
    forbidden = set(others["unit_name"]) | set(others["branch_name"])
    return {
        "db": app_db,
        "link_id": link_id,
        "token": token,
        "forbidden": forbidden,
        "other_branch": others["branch_code"].iloc[0],
        "own_branch": branches.loc[branches["unit_name"] == UNIT, "branch_code"].iloc[0],
        "other_sector": next(s for s in sectors["sector"] if s != own_sector),
    }


def everything_shown(at: AppTest, figures: list[go.Figure]) -> str:
    """All text of a run: every element's strings, every table's cells and headers, every figure's data."""
    parts: list[str] = []

    def strings(value) -> None:
        if isinstance(value, dict):
            for v in value.values():
                strings(v)
        elif isinstance(value, list):
            for v in value:
                strings(v)
        elif isinstance(value, str):
            parts.append(value)

    def visit(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and getattr(node, "type", None) != "arrow_data_frame":
            strings(MessageToDict(proto, preserving_proto_field_name=True))
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    for table in at.dataframe:
        parts.append(table.value.to_csv())
    # Plotly's own to_json writes non-ASCII as \\u escapes: names would not be found in it.
    parts.extend(json.dumps(f.to_plotly_json(), ensure_ascii=False, default=str) for f in figures)
    return "\n".join(parts).replace("\\", "")  # markdown escapes


def open_linked(token: str, page: str, **query) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.query_params["link"] = token
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
@pytest.mark.parametrize("page", ["overview", "compliance", "volunteer", "tiers", "branch"])
def test_every_page_shows_only_the_links_unit_whatever_the_url_asks(linked_app, drawn_figures, page):
    escape = {
        "unit": ["市税务局", UNIT],
        "sector": linked_app["other_sector"],
        "branch": linked_app["other_branch"],
    }
    at = open_linked(linked_app["token"], page, **escape)
    assert next(t.value for t in at.title) != "党支部建设数据看板"  # a page, not the code form
    assert not any(i.label == "访问码" for i in at.text_input)
    # The note that says which URL values were ignored repeats what the URL asked for; nothing else may name them.
    shown = everything_shown(at, drawn_figures).replace("unit=市税务局", "")
    leaked = sorted(name for name in linked_app["forbidden"] if name in shown)
    assert leaked == [], f"{page} shows {leaked[:5]}"
    assert UNIT in shown
    assert next(e.options for e in at.sidebar.multiselect if e.label == "单位") == [UNIT]
    if page == "overview":
        notes = " ".join(w.value for w in at.warning).replace("\\", "")
        assert "unit=市税务局" in notes and f"branch={linked_app['other_branch']}" in notes
    if page == "compliance":
        assert "全工委平均" in shown  # the benchmark row of the by-unit bars and the heatmap
    if page == "volunteer":
        assert "全工委平均" in shown


@pytest.mark.slow
def test_a_branch_of_the_unit_opens_and_one_of_another_does_not(linked_app, drawn_figures):
    at = open_linked(linked_app["token"], "branch", branch=linked_app["own_branch"])
    assert linked_app["own_branch"] in everything_shown(at, drawn_figures)
    at = open_linked(linked_app["token"], "branch", branch=linked_app["other_branch"])
    shown = everything_shown(at, drawn_figures)
    assert linked_app["other_branch"] not in shown.replace(f"branch={linked_app['other_branch']}", "")


@pytest.mark.slow
@pytest.mark.parametrize("page", ["import", "settings", "links"])
def test_admin_pages_are_never_reachable_from_a_link(linked_app, page, monkeypatch):
    """Access control is off here (everyone is admin), and still a link's holder gets no admin page: the page files
    are not registered for the session at all (the browser test opens their URLs)."""
    monkeypatch.delenv("BRANCHBOARD_VIEWER_CODE")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.query_params["link"] = linked_app["token"]
    at.run()
    assert at.metric
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"pages/{page}.py")
    plain = AppTest.from_file(str(REPO / "app.py"), default_timeout=90).run()
    plain.switch_page(f"pages/{page}.py").run()  # without the link, open access: the admin page itself
    assert not plain.exception and plain.title[0].value != at.title[0].value


@pytest.mark.slow
@pytest.mark.parametrize("how", ["altered", "expired", "revoked"])
def test_a_bad_token_gets_the_refusal_page_and_nothing_else(linked_app, drawn_figures, how):
    token = linked_app["token"]
    store = db.Store(linked_app["db"])
    try:
        if how == "altered":
            token = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
        elif how == "expired":
            _, token = links.create(store, secret_of(store), [UNIT], expires_at=links.now() - timedelta(seconds=1))
        else:
            links.revoke(store, linked_app["link_id"])
    finally:
        store.close()
        db.close_all()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.query_params["link"] = token
    at.run()
    assert [e.value for e in at.error] == ["此链接已过期或已撤销，请联系机关工委。"]
    assert not at.metric and not at.sidebar.multiselect and not drawn_figures and not at.text_input


@pytest.mark.slow
def test_a_link_revoked_while_open_stops_at_the_next_run(linked_app):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.query_params["link"] = linked_app["token"]
    at.run()
    assert at.metric
    links.revoke(db.get_store(linked_app["db"]), linked_app["link_id"])  # the admin, on the same server
    at.run()
    assert [e.value for e in at.error] == ["此链接已过期或已撤销，请联系机关工委。"] and not at.metric


def test_without_a_link_the_code_is_still_asked(linked_app):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90).run()
    assert not at.metric and any(i.label == "访问码" for i in at.text_input)


def test_the_report_of_a_linked_view_holds_only_the_unit(linked_app, monkeypatch):
    from branchboard import report

    store = db.Store(linked_app["db"])
    try:
        facts = report.gather(store, FilterState(scope=(UNIT,)), DEMO_TODAY)
        from branchboard.report import text

        words = " ".join(p for ps in text.paragraphs(facts, "zh").values() for p in ps)
        tables = " ".join(frame.to_csv() for frame in (facts.compliance.by_unit, facts.compliance.below, facts.terms.reminders))
    finally:
        store.close()
    assert UNIT in words
    assert not [n for n in linked_app["forbidden"] if n in words or n in tables]


# -- the command line -----------------------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue() + err.getvalue()


def test_link_create_list_revoke(store, monkeypatch):
    monkeypatch.delenv("BRANCHBOARD_SESSION_SECRET", raising=False)
    path = str(store.path)
    code, said = run(
        "link",
        "create",
        "--db",
        path,
        "--unit",
        UNIT,
        "--label",
        "书记",
        "--expires",
        "7d",
        "--page",
        "compliance",
        "--from",
        "2024",
        "--base-url",
        "http://dang.example:8501",
    )
    assert code == 0, said
    url = next(line for line in said.splitlines() if line.startswith("http"))
    assert url.startswith("http://dang.example:8501/compliance?from=2024&link=")
    token = url.split("link=")[1]
    assert links.check(store, secret_of(store), token).scope.units == (UNIT,)
    code, listed = run("link", "list", "--db", path, "--json")
    rows = json.loads(listed)
    assert code == 0 and rows[0]["label"] == "书记" and rows[0]["units"] == [UNIT] and token not in listed
    assert run("link", "revoke", rows[0]["link_id"], "--db", path)[0] == 0
    assert links.check(store, secret_of(store), token).status == links.REVOKED
    assert run("link", "revoke", rows[0]["link_id"], "--db", path)[0] == cli.EXIT_REJECTED
    assert run("link", "create", "--db", path, "--unit", "不存在")[0] == cli.EXIT_USAGE
    assert run("link", "create", "--db", path, "--unit", UNIT, "--expires", "5y")[0] == cli.EXIT_USAGE


def test_labels_hold_no_control_characters(store):
    link_id, _ = links.create(store, secret_of(store), [UNIT], expires_at=None, label="书记\x1b[31m红\t色")
    label = links.listing(store).set_index("link_id").loc[link_id, "label"]
    assert label == "书记 [31m红 色"


def test_link_list_json_says_null_not_nat(store, monkeypatch):
    monkeypatch.delenv("BRANCHBOARD_SESSION_SECRET", raising=False)
    links.create(store, secret_of(store), [UNIT], expires_at=None)
    code, listed = run("link", "list", "--db", str(store.path), "--json")
    row = json.loads(listed)[0]
    assert code == 0 and row["expires_at"] is None and row["revoked_at"] is None and row["last_opened"] is None
    assert "NaT" not in listed


def test_link_create_warns_when_the_site_is_open_to_everyone(store, monkeypatch):
    monkeypatch.delenv("BRANCHBOARD_VIEWER_CODE", raising=False)
    code, said = run("link", "create", "--db", str(store.path), "--unit", UNIT, "--unit", UNIT)
    assert code == 0 and "limits nothing" in said and f"for {UNIT}," in said  # and the unit named once
    monkeypatch.setenv("BRANCHBOARD_VIEWER_CODE", VIEWER_CODE)
    code, said = run("link", "create", "--db", str(store.path), "--unit", UNIT)
    assert code == 0 and "limits nothing" not in said


@pytest.mark.slow
def test_a_restore_keeps_the_revocations_made_since_the_backup(store, tmp_path):
    from branchboard.backup import backup_to, restore_from

    link_id, token = links.create(store, secret_of(store), [UNIT], expires_at=None)
    backup = backup_to(store, tmp_path / "backup.duckdb")
    links.revoke(store, link_id)
    path = store.path
    store.close()
    db.close_all()
    restore_from(backup, path)
    restored = db.Store(path)
    try:
        assert links.check(restored, secret_of(restored), token).status == links.REVOKED
    finally:
        restored.close()


def test_a_file_made_on_click_checks_the_link_again(monkeypatch):
    from branchboard import access, ui

    make = ui.made_on_click(lambda: b"the table", "zh")
    monkeypatch.setattr(access, "link_still_opens", lambda: True)
    assert make() == b"the table"
    monkeypatch.setattr(access, "link_still_opens", lambda: False)  # revoked since the page was drawn_figures
    assert make().decode() == "此链接已过期或已撤销，请联系机关工委。"


@pytest.mark.slow
def test_the_links_page_warns_when_the_site_is_open(app_db, monkeypatch):
    for key in ("BRANCHBOARD_VIEWER_CODE", "BRANCHBOARD_ADMIN_PASSWORD_HASH", "BRANCHBOARD_ADMIN_EMAILS"):
        monkeypatch.delenv(key, raising=False)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90).run()
    at.switch_page("pages/links.py").run()
    assert not at.exception
    assert any("未设置访问码" in w.value for w in at.warning)
