"""AppTest of the app shell and the Overview page."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from branchboard import cli
from conftest import REPO, shown


def new_app() -> AppTest:
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=60)


def metrics_by_label(at: AppTest) -> dict[str, str]:
    return {shown(m.label): shown(m.value) for m in at.metric}


def summary(path, *args) -> dict:
    """`summary --json` in this process (the app holds the database file, as a running server does)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert cli.main(["summary", "--db", str(path), "--json", *args]) == 0
    return json.loads(buffer.getvalue())


@pytest.mark.slow
def test_overview_renders_the_same_figures_as_summary(app_db):
    at = new_app().run()
    assert not at.exception
    s = summary(app_db)
    m = metrics_by_label(at)
    assert m["党支部"] == f"{s['branches']:,}"
    assert m["党员"] == f"{s['members']:,}"
    assert m["达标率"] == f"{s['assessment']['compliance_rate'] * 100:.1f}%"
    assert m["平均得分"] == f"{s['assessment']['mean_score']:.1f}"
    assert m["志愿服务时长"] == f"{s['volunteer']['hours']:,.2f}".rstrip("0").rstrip(".")  # exact, as stored
    assert m["后进支部"] == str(s["tiers"]["counts"]["后进"])
    assert at.title[0].value == "总览"
    assert not at.warning
    # Changes against the previous period: a rate's in 个百分点, coloured by what it means (more 后进 is bad news).
    cards = {shown(c.label): c for c in at.metric}
    assert cards["达标率"].delta.endswith("个百分点") or cards["达标率"].delta == "持平"
    worst = cards["后进支部"].proto
    if worst.delta == "持平":
        assert (worst.color, worst.direction) == (Metric.MetricColor.GRAY, Metric.MetricDirection.NONE)
    else:
        assert worst.color == (Metric.MetricColor.RED if worst.delta.startswith("+") else Metric.MetricColor.GREEN), worst.delta


@pytest.mark.slow
def test_overview_follows_query_params(app_db):
    at = new_app()
    at.query_params["unit"] = "市气象局"
    at.query_params["from"] = "2024"
    at.query_params["to"] = "2024"
    at.run()
    assert not at.exception
    s = summary(app_db, "--unit", "市气象局", "--from", "2024", "--to", "2024")
    m = metrics_by_label(at)
    assert m["党支部"] == str(s["branches"])
    assert m["达标率"] == f"{s['assessment']['compliance_rate'] * 100:.1f}%"
    assert at.multiselect(key="flt_units").value == ["市气象局"]
    assert at.selectbox(key="flt_from").value == "2024"
    assert at.query_params["unit"] == ["市气象局"] or at.query_params["unit"] == "市气象局"


@pytest.mark.slow
def test_unknown_query_params_are_ignored_with_a_visible_note(app_db):
    at = new_app()
    at.query_params["unit"] = ["市气象局", "'; drop table branches; --"]
    at.query_params["tier"] = "bogus"
    at.run()
    assert not at.exception
    assert any("已忽略" in shown(w.value) and "bogus" in shown(w.value) for w in at.warning)
    assert at.multiselect(key="flt_units").value == ["市气象局"]


@pytest.mark.slow
def test_changing_a_filter_updates_figures_and_url(app_db):
    at = new_app().run()
    before = metrics_by_label(at)["党支部"]
    at.multiselect(key="flt_units").set_value(["市税务局"]).run()
    assert not at.exception
    s = summary(app_db, "--unit", "市税务局")
    assert metrics_by_label(at)["党支部"] == str(s["branches"]) != before
    assert "市税务局" in str(at.query_params["unit"])


def test_filter_that_leaves_no_data_shows_empty_states(app_db):
    at = new_app()
    at.query_params["tier"] = "后进"
    at.query_params["unit"] = "市统计局"
    at.run()
    assert not at.exception


@pytest.mark.slow
def test_empty_database_renders(tmp_path, monkeypatch):
    from branchboard import db

    path = tmp_path / "empty.duckdb"
    db.Store(path).close()  # exists and is empty: no demo is built
    monkeypatch.setenv("BRANCHBOARD_DB", str(path))
    at = new_app().run()
    assert not at.exception
    assert metrics_by_label(at)["党支部"] == "0"
    assert any("没有数据" in i.value for i in at.info)


@pytest.mark.slow
def test_first_start_builds_the_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("BRANCHBOARD_DB", str(tmp_path / "new.duckdb"))
    at = new_app().run()
    assert not at.exception
    assert int(metrics_by_label(at)["党支部"]) > 0


@pytest.mark.slow
def test_filters_survive_switching_pages_and_back(app_db):
    at = new_app()
    at.query_params["from"] = "2024"
    at.run()
    at.multiselect(key="flt_units").set_value(["市税务局"]).run()
    at.switch_page("pages/compliance.py").run()
    assert not at.exception
    assert at.multiselect(key="flt_units").value == ["市税务局"]
    assert at.selectbox(key="flt_from").value == "2024"
    at.switch_page("pages/settings.py").run()  # a page without the filters keeps them for the next one
    assert not at.exception
    assert at.query_params["unit"] in ("市税务局", ["市税务局"])
    at.switch_page("pages/overview.py").run()
    assert at.multiselect(key="flt_units").value == ["市税务局"]
    s = summary(app_db, "--unit", "市税务局", "--from", "2024")
    assert metrics_by_label(at)["党支部"] == str(s["branches"])
    assert at.query_params["unit"] in ("市税务局", ["市税务局"])
