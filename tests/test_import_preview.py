"""The import preview shows what is wrong where it is (issue 13): the rows with a problem first, the flagged cell
with the value as the file has it (not the blank it would be stored as, never "None"), the problem in full."""

from __future__ import annotations

import pytest
from ingest_helpers import csv_bytes
from streamlit.testing.v1 import AppTest

from branchboard.ingest import prepare
from conftest import REPO

ROWS = [
    ["活动日期", "支部编码", "活动名称", "服务时长（小时）", "人次"],
    ["2025-05-08", "SW001", "普法", "2", "3"],
    ["2025-05-06", "SW001", "普法", "abc", "3"],
    ["2025-13-06", "SW001", "普法", "2", "3"],
    ["2025-05-07", "ZZZ9", "普法", "2", ""],
]


def test_flagged_rows_come_first_with_the_value_as_written_and_the_reason(demo_reader):
    prepared = prepare(demo_reader, "志愿服务.csv", csv_bytes(ROWS), kind="volunteer")
    assert not prepared.ok
    cells, levels, rows = prepared.marked_preview(20, "zh")
    assert rows["row"].tolist() == [3, 4, 5, 2]  # Excel rows: the three with a problem in file order, then the rest
    assert cells.loc[0, "hours"] == "abc" and levels.loc[0, "hours"] == "error"
    assert cells.loc[1, "activity_date"] == "2025-13-06" and levels.loc[1, "activity_date"] == "error"
    assert cells.loc[2, "branch_code"] == "ZZZ9" and levels.loc[2, "branch_code"] == "error"
    assert rows.loc[0, "problems"].startswith("服务时长（小时）：不是数字")
    assert rows.loc[3, "problems"] == "" and not levels.loc[3].astype(bool).any()
    # Nothing reads "None" or "nan": an empty cell is empty.
    assert not cells.isin(["None", "nan", "NaT"]).any().any()
    assert cells.loc[3, "activity_date"] == "2025-05-08" and cells.loc[3, "hours"] == "2"


def test_a_clean_file_previews_its_first_rows_unmarked(demo_reader):
    clean = [ROWS[0], ROWS[1], ["2025-05-09", "SW001", "讲座", "1.5", "2"]]
    prepared = prepare(demo_reader, "志愿服务.csv", csv_bytes(clean), kind="volunteer")
    assert prepared.ok
    cells, levels, rows = prepared.marked_preview(20, "zh")
    assert rows["row"].tolist() == [2, 3] and cells["hours"].tolist() == ["2", "1.5"]
    assert not levels.astype(bool).any().any()


@pytest.mark.slow
def test_the_import_page_shows_the_flagged_row_first_with_its_problem(app_db):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/import.py").run()
    at.file_uploader[0].set_value(("志愿服务.csv", csv_bytes(ROWS), "text/csv")).run()
    assert not at.exception
    preview = next(d for d in at.dataframe if "问题" in d.value.columns).value
    assert preview["行号"].tolist()[:3] == ["3", "4", "5"]
    assert preview.loc[0, "服务时长（小时）"] == "abc" and "不是数字" in preview.loc[0, "问题"]
    assert not preview.astype(str).isin(["None", "nan"]).any().any()


def test_rows_of_two_sheets_are_told_apart_and_a_wide_row_marks_its_item(demo_reader):
    from ingest_helpers import xlsx_bytes

    head = ["活动日期", "支部编码", "活动名称", "服务时长（小时）", "人次"]
    first = [head, ["2025-05-06", "SW001", "普法", "2", "3"], ["2025-05-07", "SW001", "普法", "2", "3"]]
    second = [head, ["2025-08-06", "SW001", "普法", "2", "3"], ["2025-08-07", "SW001", "普法", "2", "3"]]
    second[1] = first[1]  # the same record in both sheets: a warning on the second sheet's row 2 only
    workbook = xlsx_bytes({"上半年": first, "下半年": second})
    prepared = prepare(demo_reader, "志愿服务.xlsx", workbook, kind="volunteer")
    warned = [(i.sheet, i.row) for i in prepared.warnings if i.row]
    _, levels, rows = prepared.marked_preview(20, "zh")
    if warned:
        flagged = rows[rows["problems"] != ""]
        assert list(zip(flagged["sheet"], flagged["row"], strict=True)) == sorted(set(warned), key=warned.index)
    assert "sheet" in rows.columns and set(rows["sheet"]) == {"上半年", "下半年"}

    from branchboard.standards import DEFAULT_STANDARDS

    items = [f"{r.item_code} {r.item_name}" for r in DEFAULT_STANDARDS]
    wide = [["期次", "支部编码", *items], ["2025", "SW001", *[r.max_score for r in DEFAULT_STANDARDS]]]
    wide[1][3] = "abc"  # A2's score
    prepared = prepare(demo_reader, "考核得分.csv", csv_bytes(wide), kind="assessments")
    cells, levels, rows = prepared.marked_preview(30, "zh")
    marked = levels.stack()
    assert list(marked[marked != ""].index) == [(0, "score")]
    assert cells.loc[0, "item_code"] == "A2" and cells.loc[0, "score"] == "abc" and rows.loc[0, "row"] == 2
