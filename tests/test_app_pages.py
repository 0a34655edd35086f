"""AppTest of the analysis pages: they render with and without filters, on a filter that leaves no data
and on an empty database, agree with `summary`, and keep their choices across page switches."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from test_app_overview import metrics_by_label, summary

from branchboard.filters import FilterState
from conftest import DEMO_TODAY, REPO, shown

PAGES = {"compliance": "达标情况", "volunteer": "志愿服务", "tiers": "分类定级", "branch": "支部画像"}


@pytest.fixture
def app_db(app_db, monkeypatch):
    """The shared app database, with the demo's "today" (term reminders and dates as the demo was made)."""
    monkeypatch.setenv("BRANCHBOARD_TODAY", DEMO_TODAY.isoformat())
    return app_db


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    from branchboard import db

    path = tmp_path / "empty.duckdb"
    db.Store(path).close()
    monkeypatch.setenv("BRANCHBOARD_DB", str(path))
    return path


def open_page(page: str, **query: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_the_demo(app_db, page):
    at = open_page(page, branch="SW001") if page == "branch" else open_page(page)
    assert at.title[0].value == PAGES[page]
    assert not at.warning or page == "branch"  # the branch page may warn about a due election


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_filters(app_db, page):
    at = open_page(page, unit="市气象局", **{"from": "2024", "to": "2025"}, branch="QX001")
    assert at.multiselect(key="flt_units").value == ["市气象局"]


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_a_filter_that_leaves_no_data(app_db, page):
    at = open_page(page, tier="后进", unit="市统计局")
    assert any("没有" in i.value or "选择" in i.value or "至少" in i.value for i in at.info)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_an_empty_database(empty_db, page):
    at = open_page(page)
    assert at.info  # an empty-state message, not an empty axis


@pytest.mark.slow
def test_compliance_agrees_with_summary(app_db):
    s = summary(app_db)["assessment"]
    m = metrics_by_label(open_page("compliance"))
    assert m["达标率"] == f"{s['compliance_rate'] * 100:.1f}%"
    assert m["达标/参评"] == f"{s['passed']}/{s['assessed']}"
    assert m["未达标支部"] == str(s["assessed"] - s["passed"])
    s = summary(app_db, "--unit", "市税务局", "--from", "2024", "--to", "2024")["assessment"]
    m = metrics_by_label(open_page("compliance", unit="市税务局", **{"from": "2024", "to": "2024"}))
    assert m["达标率"] == f"{s['compliance_rate'] * 100:.1f}%"
    assert m["平均得分"] == f"{s['mean_score']:.1f}"


@pytest.mark.slow
def test_compliance_period_choice_changes_the_figures_and_url(app_db):
    at = open_page("compliance")
    periods = at.selectbox(key="pg_period").options
    assert at.selectbox(key="pg_period").value == "2025"
    at.selectbox(key="pg_period").set_value("2024").run()
    assert not at.exception and len(periods) == 3
    s = summary(app_db, "--from", "2024", "--to", "2024")["assessment"]
    assert metrics_by_label(at)["达标率"] == f"{s['compliance_rate'] * 100:.1f}%"
    assert at.query_params["period"] in ("2024", ["2024"])


@pytest.mark.slow
def test_volunteer_agrees_with_summary(app_db):
    v = summary(app_db, "--from", "2025", "--to", "2025")["volunteer"]
    m = metrics_by_label(open_page("volunteer", **{"from": "2025", "to": "2025"}))
    assert m["志愿服务时长"] == f"{v['hours']:,.2f}".rstrip("0").rstrip(".")  # exact, as stored
    assert m["人次"] == f"{v['person_times']:,}"
    assert m["活动次数"] == f"{v['activities']:,}"
    assert m["人均服务时长"] == f"{v['hours_per_member']:.1f}"


@pytest.mark.slow
def test_tiers_agree_with_summary_and_list_the_moves(app_db):
    t = summary(app_db)["tiers"]
    at = open_page("tiers")
    m = metrics_by_label(at)
    assert (m["晋位"], m["降档"], m["持平"]) == (str(t["promoted"]), str(t["demoted"]), str(t["unchanged"]))
    assert at.selectbox(key="pg_pa").value == "2024" and at.selectbox(key="pg_pb").value == "2025"
    assert at.tabs[0].label == f"晋位支部（{t['promoted']}）"


@pytest.mark.slow
def test_tier_periods_and_filters_survive_page_switching(app_db):
    at = open_page("tiers", unit="市公安局")
    at.selectbox(key="pg_pa").set_value("2023").run()
    assert not at.exception
    at.switch_page("pages/compliance.py").run()
    assert not at.exception
    assert at.multiselect(key="flt_units").value == ["市公安局"]
    at.switch_page("pages/tiers.py").run()
    assert not at.exception
    assert at.selectbox(key="pg_pa").value == "2023"
    assert at.multiselect(key="flt_units").value == ["市公安局"]
    assert at.query_params["pa"] in ("2023", ["2023"])


@pytest.mark.slow
def test_same_period_twice_asks_for_two(app_db):
    at = open_page("tiers", pa="2025", pb="2025")
    assert any("不同" in i.value for i in at.info)


@pytest.mark.slow
def test_branch_page_opens_from_the_url(app_db):
    at = open_page("branch", branch="SW001")
    assert shown(at.subheader[0].value).endswith("（SW001）")
    assert metrics_by_label(at)["单位"] == "市税务局"
    assert at.selectbox(key="branch_pick").value == "SW001"
    assert at.selectbox(key="pg_period").value == "2025"
    assert len(at.dataframe) == 1  # the item table
    # The demo's checklist has no veto item: no 否决项 column blank in every row (it pushed the rate off a phone)
    assert "否决项" not in at.dataframe[0].value.columns and "全工委该项达标比例" in at.dataframe[0].value.columns


@pytest.mark.slow
def test_branch_picker_puts_the_branch_in_the_url(app_db):
    at = open_page("branch")
    assert any("选择" in i.value for i in at.info)
    at.selectbox(key="branch_pick").set_value("GA002").run()
    assert not at.exception
    assert shown(at.subheader[0].value).endswith("（GA002）")
    assert at.query_params["branch"] in ("GA002", ["GA002"])
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/branch.py").run()
    assert at.selectbox(key="branch_pick").value == "GA002"


def test_unknown_branch_in_the_url_is_ignored_with_a_note(app_db):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["branch"] = "NOPE"
    at.run()  # the note shows on the page the link opens
    assert any("branch=NOPE" in shown(w.value) for w in at.warning)
    at.switch_page("pages/branch.py").run()
    assert not at.exception
    assert any("选择" in i.value for i in at.info)


@pytest.mark.slow
def test_branch_page_of_a_branch_never_assessed(app_db):
    # A branch new in the roster has no scores, tiers or service yet: its profile opens with its register and
    # says there is nothing to draw, rather than failing on the period its radar would be titled with.
    from branchboard import db

    store = db.Store(app_db)
    with store.transaction() as cur:
        cur.execute(
            "insert into branches (branch_code, branch_name, unit_name, member_count, batch_id) "
            "select 'NEW01', '新建党支部', unit_name, 5, batch_id from branches limit 1"
        )
    store.close()
    at = open_page("branch", branch="NEW01")
    assert not at.exception
    assert "新建党支部（NEW01）" in [shown(h.value) for h in at.subheader]
    assert any("没有数据" in i.value for i in at.info)


def test_overview_lists_elections_due(app_db, store, monkeypatch):
    # The most urgent few as lines, every one in the dialog's table (the page itself draws no table: a table's code
    # kept the first chart waiting, issue 12).
    monkeypatch.setenv("BRANCHBOARD_TODAY", DEMO_TODAY.isoformat())
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "换届提醒" in [h.value for h in at.subheader]
    assert len(at.dataframe) == 0
    due = store.query("branches__term_reminders", {**FilterState().sql_params(), "today": DEMO_TODAY})
    assert len(due) > 5
    lines = [line for m in at.markdown if "-badge[" in m.value for line in shown(m.value).split("  \n")]
    assert len(lines) == 5  # a line per branch, in one element
    first = due.iloc[0]
    assert first["branch_name"] in lines[0] and ("已逾期" if first["term_status"] == "overdue" else "到期") in lines[0]
    at.button(key="kpi_term_reminders").click().run()
    assert not at.exception
    table = next(d for d in at.dataframe if d.key == "kpi_list_term_reminders").value
    assert sorted(table["支部"]) == sorted(due["branch_name"])
    assert list(table.columns[:3]) == ["支部", "换届状态", "期限"]  # the branch, its status and deadline first (phones)
