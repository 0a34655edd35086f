"""Stage 6: one transaction per file, replace and its count, same file refused, undo, a killed import, the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from ingest_helpers import csv_bytes, demo_store, snapshot

from branchboard import db, ingest
from branchboard.ingest.load import PAUSE_ENV
from branchboard.ingest.model import KINDS
from branchboard.ingest.templates import build_template
from conftest import REPO


def tiers_file(tier_sw: str, tier_ga: str, period: str = "2025") -> bytes:
    return csv_bytes([["期次", "支部编码", "档次"], [period, "SW001", tier_sw], [period, "GA001", tier_ga]])


def tier_of(store, code: str, period: str = "2025") -> str | None:
    rows = (
        store.cursor()
        .execute("select tier from tier_ratings where branch_code = $c and period = $p", {"c": code, "p": period})
        .fetchall()
    )
    return rows[0][0] if rows else None


def do_import(store, data: bytes, name: str = "f.csv", **kw):
    prepared = ingest.prepare(store, name, data, **kw)
    assert prepared.errors == [], [e.message() for e in prepared.errors]
    return ingest.commit(store, prepared, "tests")


def test_reimport_replaces_the_branch_period_and_reports_the_count(store):
    before_sw, before_ga = tier_of(store, "SW001"), tier_of(store, "GA001")
    assert before_sw and before_ga
    prepared = ingest.prepare(store, "a.csv", tiers_file("后进", "后进"))
    assert prepared.will_replace == 2
    first = ingest.commit(store, prepared, "tests")
    assert (first.rows, first.replaced) == (2, 2)
    assert tier_of(store, "SW001") == "后进"
    total = store.cursor().execute("select count(*) from tier_ratings where period = '2025'").fetchall()[0][0]
    second = do_import(store, tiers_file("先进", "一般"), "b.csv")
    assert second.replaced == 2
    assert (tier_of(store, "SW001"), tier_of(store, "GA001")) == ("先进", "一般")
    assert store.cursor().execute("select count(*) from tier_ratings where period = '2025'").fetchall()[0][0] == total
    replaced = (
        store.cursor().execute("select replaced from import_batches where batch_id = $b", {"b": second.batch_id}).fetchall()
    )
    assert replaced == [(2,)]


def test_assessment_reimport_replaces_all_items_of_that_branch_period(store):
    count = (
        store.cursor()
        .execute("select count(*) from assessment_scores where branch_code = 'SW001' and period = '2025'")
        .fetchall()[0][0]
    )
    assert count == 24
    result = do_import(store, csv_bytes([["支部编码", "A1", "A2"], ["SW001", "1", "2"]]), period="2025")
    assert (result.rows, result.replaced) == (2, 24)
    left = (
        store.cursor()
        .execute("select item_code, score from assessment_scores where branch_code = 'SW001' and period = '2025' order by 1")
        .fetchall()
    )
    assert left == [("A1", 1.0), ("A2", 2.0)]


def test_the_same_file_twice_is_refused_until_undone(store):
    data = tiers_file("后进", "后进")
    first = do_import(store, data)
    before = snapshot(store)
    again = ingest.prepare(store, "renamed.csv", data)
    assert [e.message() for e in again.errors] == [
        f"同一文件（内容完全相同）已作为第 {first.batch_id} 批导入，不能重复导入；如需重新导入请先撤销该批"
    ]
    assert not ingest.commit(store, again, "tests").ok
    assert snapshot(store) == before
    ingest.undo(store, first.batch_id)
    assert do_import(store, data).ok


def test_undo_deletes_the_batch_and_brings_back_what_it_replaced(store):
    original = snapshot(store)
    sw, ga = tier_of(store, "SW001"), tier_of(store, "GA001")
    a = do_import(store, tiers_file("后进", "后进"), "a.csv")
    result = ingest.undo(store, a.batch_id)
    assert (result.deleted, result.restored) == (2, 2)
    assert (tier_of(store, "SW001"), tier_of(store, "GA001")) == (sw, ga)
    after = snapshot(store)
    assert {k: after[k] for k in ("tier_ratings", "score_sum", "hours_sum")} == {
        k: original[k] for k in ("tier_ratings", "score_sum", "hours_sum")
    }
    status = store.cursor().execute("select status from import_batches where batch_id = $b", {"b": a.batch_id}).fetchall()
    assert status == [("undone",)]
    with pytest.raises(ingest.IngestError) as again:
        ingest.undo(store, a.batch_id)
    assert again.value.issue.message() == f"第 {a.batch_id} 批已撤销"
    with pytest.raises(ingest.IngestError):
        ingest.undo(store, 9999)


def test_undo_of_a_middle_batch_hands_old_rows_to_the_later_one(store):
    demo_sw = tier_of(store, "SW001")
    a = do_import(store, tiers_file("后进", "后进"), "a.csv")  # replaces the demo's rows
    b = do_import(store, csv_bytes([["期次", "支部编码", "档次"], ["2025", "SW001", "一般"]]), "b.csv")  # replaces a's SW001
    ingest.undo(store, a.batch_id)
    # b still holds SW001; GA001 goes back to the demo's rating.
    assert tier_of(store, "SW001") == "一般"
    assert tier_of(store, "GA001") != "后进"
    ingest.undo(store, b.batch_id)
    # As if neither had been imported: the demo's SW001 rating, which a had replaced, is back.
    assert tier_of(store, "SW001") == demo_sw


def test_undoing_a_roster_that_later_facts_use_is_refused(store):
    roster = csv_bytes([["支部编码", "支部名称", "所属单位", "党员人数"], ["NEW01", "新支部", "新单位", "5"]])
    r = do_import(store, roster, "roster.csv")
    t = do_import(store, csv_bytes([["期次", "支部编码", "档次"], ["2025", "NEW01", "先进"]]), "t.csv")
    before = snapshot(store)
    with pytest.raises(ingest.IngestError) as refused:
        ingest.undo(store, r.batch_id)
    assert (
        refused.value.issue.message()
        == f"不能撤销第 {r.batch_id} 批：批次 #{t.batch_id} 的数据引用了此批导入的支部，请先撤销这些批次"
    )
    assert snapshot(store) == before
    ingest.undo(store, t.batch_id)
    ingest.undo(store, r.batch_id)
    assert store.cursor().execute("select count(*) from units where unit_name = '新单位'").fetchall() == [(0,)]


def test_roster_reimport_keeps_a_units_sector(store):
    sector = store.cursor().execute("select sector from units where unit_name = '市税务局'").fetchall()[0][0]
    roster = csv_bytes([["支部编码", "支部名称", "所属单位", "党员人数"], ["SW001", "市税务局机关第一党支部", "市税务局", "99"]])
    result = do_import(store, roster)
    assert result.replaced == 1
    assert store.cursor().execute("select sector from units where unit_name = '市税务局'").fetchall()[0][0] == sector
    assert store.cursor().execute("select member_count from branches where branch_code = 'SW001'").fetchall() == [(99,)]


def test_a_unit_left_without_branches_leaves_the_filters_until_the_roster_is_undone(store):
    def units():
        return [r[0] for r in store.cursor().execute("select unit_name from units order by 1").fetchall()]

    header = ["支部编码", "支部名称", "所属单位", "党员人数"]
    first = do_import(store, csv_bytes([header, ["NEW21", "档案馆机关党支部", "市档案馆(筹)", "9"]]))
    assert "市档案馆(筹)" in units()
    # The unit's name is corrected in a later roster: the old spelling has no branch left and goes.
    second = do_import(store, csv_bytes([header, ["NEW21", "档案馆机关党支部", "市档案馆（筹）", "9"]]))
    assert "市档案馆（筹）" in units() and "市档案馆(筹)" not in units()
    assert "市税务局" in units()  # units that still have branches stay
    ingest.undo(store, second.batch_id)
    assert "市档案馆(筹)" in units() and "市档案馆（筹）" not in units()
    assert first.ok


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_every_template_imports_as_it_is(demo_reader, kind):
    data = build_template(demo_reader, kind)
    # A checklist replaces the committee's own only when asked for by name; every other kind is recognised.
    prepared = ingest.prepare(demo_reader, f"{kind}.xlsx", data, kind="standards" if kind == "standards" else None)
    assert prepared.kind == kind
    assert prepared.errors == [], [e.message() for e in prepared.errors]
    assert prepared.rows >= 1


@pytest.mark.slow
def test_a_process_killed_inside_the_transaction_leaves_the_database_as_before(tmp_path, demo_db_path):
    store = demo_store(tmp_path, demo_db_path)
    before = snapshot(store)
    store.close()
    rows = [["活动日期", "支部编码", "活动名称", "服务时长"]] + [["2025-03-01", "SW001", f"活动{i}", "2"] for i in range(5000)]
    file = tmp_path / "v.csv"
    file.write_bytes(csv_bytes(rows))
    marker = tmp_path / "inside"
    env = {**os.environ, PAUSE_ENV: str(marker)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "branchboard", "import", str(file), "--db", str(store.path)],
        cwd=REPO,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 60
        while not marker.exists():
            assert proc.poll() is None, "the import ended before reaching the transaction"
            assert time.time() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    reopened = db.Store(store.path)
    assert snapshot(reopened) == before
    # And the same import, not interrupted, goes through.
    reopened.close()
    done = subprocess.run(
        [sys.executable, "-m", "branchboard", "import", str(file), "--db", str(store.path), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] == 5000


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "branchboard", *args], cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_cli_import_json_exit_codes_and_undo(tmp_path, demo_db_path):
    store = demo_store(tmp_path, demo_db_path)
    path = store.path
    store.close()
    good = tmp_path / "2025年度定级.csv"
    good.write_bytes(
        csv_bytes([["2025年度分类定级"], ["支部编码", "档次"], ["SW001", "后进"], ["GA001", "后进"]], encoding="gbk")
    )
    out = run_cli("import", str(good), "--db", str(path), "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert set(report) == {"batch_id", "kind", "rows", "replaced", "warnings", "errors", "sheets"}
    assert report["sheets"] == {"imported": [], "skipped": []}  # a text file has no sheets
    assert (report["kind"], report["rows"], report["replaced"], report["errors"]) == ("tiers", 2, 2, [])
    assert report["warnings"] == ["文件没有期次列，按标题中的期次 2025 导入"]

    again = run_cli("import", str(good), "--db", str(path), "--json")
    assert again.returncode == 1
    assert json.loads(again.stdout)["batch_id"] is None

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["期次", "支部编码", "档次"], ["2025", "SW001", "优秀"]]))
    out = run_cli("import", str(bad), "--db", str(path), "--json")
    assert out.returncode == 1
    assert json.loads(out.stdout)["errors"] == [
        {
            "row": 2,
            "column": "档次",
            "value": "优秀",
            "message": "第 2 行，「档次」列，值“优秀”：不是设定的档次，应为：先进、较好、一般、后进",
        }
    ]
    text = run_cli("import", str(bad), "--db", str(path))
    assert text.returncode == 1 and "第 2 行" in text.stderr and "数据库未改动" in text.stderr

    period = run_cli("import", str(bad), "--db", str(path), "--kind", "tiers", "--period", "2025", "--sheet", "x")
    assert period.returncode == 1  # a CSV has no sheets; --sheet is ignored, the bad tier still refuses it
    assert run_cli("import", str(bad), "--db", str(path), "--period", "soon").returncode == 2
    assert run_cli("import", str(bad), "--db", str(path), "--kind", "pets").returncode == 2
    assert run_cli("import", str(tmp_path / "missing.csv"), "--db", str(path)).returncode == 2

    undo = run_cli("undo", str(report["batch_id"]), "--db", str(path))
    assert undo.returncode == 0 and "恢复 2 行" in undo.stdout
    assert run_cli("undo", str(report["batch_id"]), "--db", str(path)).returncode == 1
    assert run_cli("undo", "abc", "--db", str(path)).returncode == 2


@pytest.mark.slow
def test_a_checklist_is_never_imported_unless_asked_for(demo_reader):
    data = build_template(demo_reader, "standards")
    prepared = ingest.prepare(demo_reader, "标准.xlsx", data)
    assert [e.code for e in prepared.errors] == ["standards_need_choice"]
    assert prepared.detected_kind == "standards"
