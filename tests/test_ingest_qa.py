"""Findings of a hostile review of the import (each was a wrong import, now refused or warned about)."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
import xlsxwriter
from ingest_helpers import csv_bytes

from branchboard import ingest
from branchboard.ingest import header as H
from branchboard.ingest import values as V
from branchboard.standards import DEFAULT_STANDARDS

ITEMS = [(r.item_code, r.item_name, r.max_score) for r in DEFAULT_STANDARDS]


@pytest.mark.parametrize(
    ("texts", "period"),
    [
        (("市直机关党支部考核得分表 填报日期：2026年1月10日",), None),
        (("", "Sheet1", "考核得分导出_20260110.csv"), None),
        (("", "Sheet1", "export-2026-01-10.csv"), None),
        (("2025年度考核得分表 填报日期：2026年1月10日",), "2025"),
        (("", "", "2024年上半年得分.xlsx"), "2024-H1"),
    ],
)
def test_dates_and_timestamps_are_not_periods(texts, period):
    assert H.propose_period(*texts) == period


def test_a_bare_year_is_not_an_excel_serial_date():
    values, bad = V.parse_date(pd.Series(["2025", "2000", "45052"]))
    assert bad.tolist() == [True, True, False]
    assert values[2].date().isoformat() == "2023-05-06"


def test_a_misspelt_item_column_is_an_error_with_the_item_it_resembles(demo_reader):
    headers = ["支部编码"] + [f"{name}（{m:g}分）" for _c, name, m in ITEMS]
    headers[2] = "班子键全（4分）"  # A2 班子健全, misspelt
    row = ["SW001"] + [m for _c, _n, m in ITEMS]
    prepared = ingest.prepare(demo_reader, "得分.csv", csv_bytes([headers, row]), period="2025")
    problems = [i for i in prepared.errors if i.code == "item_like_column"]
    assert problems and problems[0].column == "班子键全（4分）"
    assert "A2 班子健全" in problems[0].message()


def test_a_wide_sheet_without_some_items_warns_that_their_scores_go(demo_reader):
    kept = ITEMS[:-2]  # no F1, F2
    prepared = ingest.prepare(
        demo_reader,
        "得分.csv",
        csv_bytes([["支部编码"] + [c for c, _n, _m in kept], ["SW001"] + [m for _c, _n, m in kept]]),
        period="2025",
    )
    warning = next(i for i in prepared.warnings if i.code == "missing_items")
    assert "F1 台账规范" in warning.message() and "F2 阵地保障" in warning.message()


def test_a_hidden_first_sheet_is_not_the_default(store):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    old = book.add_worksheet("旧数据")
    for c, v in enumerate(["支部编码", "支部名称", "所属单位", "党员人数"]):
        old.write_string(0, c, v)
    for c, v in enumerate(["SW001", "市税务局机关第一党支部", "市税务局"]):
        old.write_string(1, c, v)
    old.write_number(1, 3, 1)
    old.hide()
    visible = book.add_worksheet("定级")
    book.worksheets_objs[1].activate()
    for r, row in enumerate([["期次", "支部编码", "档次"], ["2025", "SW001", "先进"]]):
        for c, v in enumerate(row):
            visible.write_string(r, c, v)
    book.close()
    prepared = ingest.prepare(store, "定级.xlsx", buffer.getvalue())
    assert prepared.sheet == "定级" and prepared.kind == "tiers"


def test_a_roster_without_optional_columns_keeps_what_is_stored(store):
    before = (
        store.cursor()
        .execute("select secretary, founded_on, last_election_on from branches where branch_code = 'SW001'")
        .fetchone()
    )
    assert before[0] is not None
    data = csv_bytes([["支部编码", "支部名称", "所属单位", "党员人数"], ["SW001", "市税务局机关第一党支部", "市税务局", "44"]])
    prepared = ingest.prepare(store, "名册.csv", data)
    assert any(i.code == "kept_fields" and "支部书记" in i.message() for i in prepared.warnings)
    assert "Secretary" in next(i for i in prepared.warnings if i.code == "kept_fields").message("en")
    assert ingest.commit(store, prepared).ok
    after = (
        store.cursor()
        .execute("select secretary, founded_on, last_election_on, member_count from branches where branch_code = 'SW001'")
        .fetchone()
    )
    assert after[:3] == before and after[3] == 44


def test_the_same_rows_in_another_format_or_encoding_are_refused(store):
    from ingest_helpers import xlsx_bytes

    rows = [["活动日期", "支部编码", "活动名称", "服务时长（小时）", "人次"], ["2025-03-05", "SW001", "社区普法讲座", "12", "4"]]
    first = ingest.prepare(store, "志愿服务.csv", csv_bytes(rows, encoding="gbk"))
    assert ingest.commit(store, first).ok
    again = ingest.prepare(store, "志愿服务.xlsx", xlsx_bytes({"Sheet1": rows}))
    assert [i.code for i in again.errors] == ["same_content"]
    assert "第" in again.errors[0].message() and "批" in again.errors[0].message()
    other = ingest.prepare(store, "志愿服务2.csv", csv_bytes([rows[0], ["2025-03-06", "SW001", "社区普法讲座", "12", "4"]]))
    assert not other.errors  # a different day is new service


def test_a_note_row_split_over_two_cells_is_skipped_with_a_warning(demo_reader):
    rows = [
        ["期次", "支部编码", "档次"],
        ["2025", "SW001", "先进"],
        ["填表人：张三", None, "审核人：李四"],
    ]
    prepared = ingest.prepare(demo_reader, "定级.csv", csv_bytes(rows))
    assert not prepared.errors, [i.message() for i in prepared.errors]
    assert any(i.code == "note_rows" for i in prepared.warnings)
    assert prepared.rows == 1


def test_a_unit_merged_down_over_its_branches_applies_to_each(store):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("名册")
    sheet.write_string(0, 1, "2025年度党支部名册")
    sheet.write_row(2, 1, ["支部编码", "支部名称", "所属单位", "党员人数"])
    sheet.write_row(3, 1, ["SW001", "市税务局机关第一党支部"])
    sheet.write_row(4, 1, ["SW002", "市税务局机关第二党支部"])
    sheet.merge_range(3, 3, 4, 3, "市税务局")  # D4:D5, the unit written once for both branches
    sheet.write_number(3, 4, 30)
    sheet.write_number(4, 4, 20)
    book.close()
    prepared = ingest.prepare(store, "名册.xlsx", buffer.getvalue())
    assert not prepared.errors, [i.message() for i in prepared.errors]
    assert prepared.frame["unit_name"].tolist() == ["市税务局", "市税务局"]
    assert prepared.frame["member_count"].tolist() == [30, 20]


def test_cli_json_lists_errors_in_file_order(demo_reader):
    rows = [["期次", "支部编码", "档次"], ["2025", "SW001", "优秀"], ["2025", "XX999", "先进"], ["2025", "SW002", "甲"]]
    prepared = ingest.prepare(demo_reader, "定级.csv", csv_bytes(rows))
    result = ingest.ImportResult(None, prepared.kind, 0, 0, prepared.warnings, list(reversed(prepared.errors)))
    assert [e["row"] for e in result.as_json()["errors"]] == [2, 3, 4]


def test_a_branch_code_in_another_case_is_the_known_code(demo_reader):
    prepared = ingest.prepare(demo_reader, "定级.csv", csv_bytes([["期次", "支部编码", "档次"], ["2025", "sw001", "先进"]]))
    assert not prepared.errors, [i.message() for i in prepared.errors]
    assert prepared.frame["branch_code"].tolist() == ["SW001"]


def test_what_a_cell_should_hold_is_said_in_the_readers_language(demo_reader):
    """The "expected …" of a message is a catalog text: English in English, the same Chinese as before in Chinese.
    Only the file's own words (the header as written, the value) stay as the unit wrote them."""
    raw = "活动日期,支部编码,活动名称,服务时长,人次\n2025-06-01,,,abc,2\n".encode()
    issues = ingest.prepare(demo_reader, "v.csv", raw).errors
    assert {i.code for i in issues} >= {"required", "not_number"}
    for issue in issues:
        english = issue.message("en").split("expected", 1)[1]
        assert not re.search(r"[\u4e00-\u9fff]", english), issue.message("en")
    zh = {i.message("zh") for i in issues}
    assert "第 2 行，「服务时长」列，值“abc”：不是数字，应为大于 0 的小时数" in zh
    assert "第 2 行，「支部编码」列，值“”：不能为空，应填写支部编码" in zh
