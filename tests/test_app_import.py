"""AppTest of the Import page: upload, preview and report, import, history, undo with confirmation."""

from __future__ import annotations

import pytest
from ingest_helpers import csv_bytes
from streamlit.testing.v1 import AppTest

from conftest import REPO, shown


def open_import_page() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.switch_page("pages/import.py").run()
    assert not at.exception
    return at


def tier_of(at: AppTest, code: str) -> str:
    # The app holds the database file, as a running server does; read through its own store.
    from branchboard.ui import get_store

    return (
        get_store()
        .cursor()
        .execute("select tier from tier_ratings where branch_code = $c and period = '2025'", {"c": code})
        .fetchall()[0][0]
    )


@pytest.mark.slow
def test_upload_preview_import_and_undo(app_db):
    at = open_import_page()
    before = tier_of(at, "SW001")
    assert before != "后进"
    assert at.title[0].value == "数据导入"
    assert [b.label for b in at.get("download_button")][-5:] == ["支部名册", "考核标准", "考核得分", "分类定级", "志愿服务记录"]
    data = csv_bytes(
        [["2025年度分类定级结果"], ["支部名称", "档次"], ["市税务局机关第一党支部", "后进"], ["市公安局机关第一党支部", "后进"]],
        encoding="gbk",
    )
    at.file_uploader[0].set_value(("定级.csv", data, "text/csv")).run()
    assert not at.exception
    facts = " ".join(c.value for c in at.caption)
    assert "类型：分类定级" in facts and "表头在第 2 行" in facts and "将导入 2 行" in facts and "将替换已有数据 2 行" in facts
    report_first = [list(d.value.columns) for d in at.dataframe]
    preview_columns = ["行号", "期次", "支部编码", "档次", "荣誉"]  # each row under its Excel row number
    assert report_first.index(["级别", "行号", "列", "值", "说明"]) < report_first.index(preview_columns)
    preview = next(d.value for d in at.dataframe if "支部编码" in d.value.columns)
    assert list(preview.columns) == preview_columns and preview["行号"].tolist() == ["3", "4"]
    assert preview["支部编码"].tolist() == ["SW001", "GA001"]
    assert next(s for s in at.selectbox if s.label == "数据类型").value == "tiers"
    import_button = next(b for b in at.button if b.label == "导入")
    assert not import_button.disabled
    import_button.click().run()
    assert not at.exception
    assert any("已导入为第" in s.value for s in at.success)
    assert not at.error, [e.value for e in at.error]  # the panel says it was imported instead of "same file again"
    assert tier_of(at, "SW001") == "后进"
    history = at.dataframe[-1].value
    assert history.iloc[0]["文件"] == "定级.csv" and history.iloc[0]["状态"] == "有效" and history.iloc[0]["替换行数"] == 2
    assert history.iloc[0]["导入人"] == "管理员"
    # The demo's batches read 演示数据; the word "demo" is nowhere on the page's tables.
    assert set(history["文件"].iloc[1:]) == {"演示数据"} and set(history["导入人"].iloc[1:]) == {"演示数据"}
    assert not any(history[c].astype(str).str.contains("demo").any() for c in history.columns)
    assert at.selectbox(key="imp_undo_pick").value == int(history.iloc[0]["批次"])  # the batch just imported

    # Undo asks first, then restores the demo's ratings.
    next(b for b in at.button if b.label == "撤销…").click().run()
    batch = int(history.iloc[0]["批次"])
    confirm = next(shown(w.value) for w in at.warning if "确定撤销" in w.value)
    assert f"第 {batch} 批 · 定级.csv · 分类定级 · 2 行" in confirm  # the batch, its file, kind and rows
    next(b for b in at.button if b.label == "确认撤销").click().run()
    assert not at.exception
    assert any("已撤销第" in s.value for s in at.success)
    assert tier_of(at, "SW001") == before
    assert at.dataframe[-1].value.iloc[0]["状态"] == "已撤销"
    # Nothing is offered for the next undo: the demo's batches stay until one is chosen.
    assert at.selectbox(key="imp_undo_pick").value is None
    assert next(b for b in at.button if b.label == "撤销…").disabled


@pytest.mark.slow
def test_a_file_with_errors_shows_the_report_and_cannot_be_imported(app_db):
    at = open_import_page()
    data = csv_bytes([["期次", "支部编码", "档次"], ["2025", "SW001", "优秀"], ["2025", "XX999", "先进"]])
    at.file_uploader[0].set_value(("bad.csv", data, "text/csv")).run()
    assert not at.exception
    assert at.error[0].value == "有 2 个错误，改正后才能导入。"
    report = next(d.value for d in at.dataframe if "说明" in d.value.columns)
    assert report.columns.tolist() == ["级别", "行号", "列", "值", "说明"]
    assert report["行号"].tolist() == ["2", "3"]
    assert report["值"].tolist() == ["优秀", "XX999"]
    assert next(b for b in at.button if b.label == "导入").disabled
    assert at.dataframe[-1].value["文件"].str.contains("bad.csv").sum() == 0


@pytest.mark.slow
def test_several_files_and_a_broken_one(app_db):
    at = open_import_page()
    good = csv_bytes([["期次", "支部编码", "档次"], ["2025", "SW001", "一般"]])
    at.file_uploader[0].set_value(
        [("good.csv", good, "text/csv"), ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(100), "application/octet-stream")]
    ).run()
    assert not at.exception
    assert any("内容不是 Excel 表格" in str(v) for df in at.dataframe for v in df.value.get("说明", []))
    assert any("内容不是 Excel 表格" in shown(e.value) for e in at.error)  # said in full, not only in a table cell
    buttons = [b for b in at.button if b.label == "导入"]
    assert [b.disabled for b in buttons] == [False, True]


@pytest.mark.slow
def test_english_labels(app_db):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/import.py").run()
    assert not at.exception
    assert at.title[0].value == "Data import"
    assert at.subheader[0].value == "Import history"


@pytest.mark.slow
def test_a_workbook_opens_on_the_sheet_that_has_the_table(app_db):
    from test_ingest_read import _workbook_with_marks  # a 说明 sheet first, the 定级 table second

    at = open_import_page()
    at.file_uploader[0].set_value(("定级.xlsx", _workbook_with_marks(), "application/octet-stream")).run()
    assert not at.exception
    assert next(s for s in at.multiselect if s.label.startswith("工作表")).value == ["定级"]
    assert next(s for s in at.selectbox if s.label == "数据类型").value == "tiers"
    assert any("工作表“说明”中没有可识别的表格" in shown(c.value) for c in at.caption)  # skipped, with the reason


@pytest.mark.slow
def test_two_sheets_of_one_kind_are_offered_and_imported_as_one_batch(app_db):
    from test_office_files import FILES

    at = open_import_page()
    data = (FILES / "c_volunteer_halves_2024.xlsx").read_bytes()
    at.file_uploader[0].set_value(("志愿服务2024.xlsx", data, "application/octet-stream")).run()
    assert not at.exception
    assert next(s for s in at.multiselect if s.label.startswith("工作表")).value == ["上半年", "下半年"]


@pytest.mark.slow
def test_replacing_the_checklist_needs_the_kind_chosen_and_a_confirmation(app_db):
    from ingest_helpers import csv_bytes as rows_csv

    from branchboard.standards import DEFAULT_STANDARDS

    rows = [["项目编码", "维度", "项目名称", "分值", "一票否决"]]
    rows += [
        [r.item_code, r.dimension, r.item_name, r.max_score, "是" if r.item_code == "D4" else "否"] for r in DEFAULT_STANDARDS
    ]
    at = open_import_page()
    at.file_uploader[0].set_value(("考核标准.csv", rows_csv(rows), "text/csv")).run()
    assert not at.exception
    kind = next(s for s in at.selectbox if s.label == "数据类型")
    assert kind.value == "standards"  # recognised, and shown as what it is
    confirm = next(c for c in at.checkbox if c.key and c.key.startswith("imp_confirm_standards_"))
    go = next(b for b in at.button if b.label == "导入")
    assert go.disabled and not confirm.value
    assert any("一票否决" in str(v) for d in at.dataframe for v in d.value.to_numpy().ravel())  # D4 becomes a veto item
    confirm.check().run()
    assert not next(b for b in at.button if b.label == "导入").disabled


@pytest.mark.slow
def test_a_column_mapping_changed_by_hand_is_used(app_db):
    at = open_import_page()
    # Two columns could be the honours; the importer takes 荣誉称号, the user picks 备注荣誉 instead.
    data = csv_bytes([["期次", "支部编码", "档次", "荣誉称号", "备注荣誉"], ["2025", "SW001", "先进", "旧称号", "红旗党支部"]])
    at.file_uploader[0].set_value(("定级.csv", data, "text/csv")).run()
    assert not at.exception
    honours = next(s for s in at.selectbox if s.label == "荣誉")
    assert honours.value == "荣誉称号"
    honours.set_value("备注荣誉").run()
    assert not at.exception, at.exception
    preview = next(d.value for d in at.dataframe if "支部编码" in d.value.columns)
    assert preview["荣誉"].tolist() == ["红旗党支部"]


@pytest.mark.slow
def test_hostile_workbooks_on_the_page_are_refused_with_their_reason(app_db):
    from test_hostile_files import far_cell_workbook, whitespace_bomb

    at = open_import_page()
    at.file_uploader[0].set_value(
        [
            ("far.xlsx", far_cell_workbook("XFD1048576"), "application/octet-stream"),
            ("bomb.xlsx", whitespace_bomb(64 << 20), "application/octet-stream"),
        ]
    ).run()
    assert not at.exception
    errors = [shown(e.value) for e in at.error]
    assert any("第 1,048,576 行、第 XFD 列" in e for e in errors)
    assert any("解压后是压缩前的" in e for e in errors)
    assert [b.disabled for b in at.button if b.label == "导入"] == [True, True]


@pytest.mark.slow
def test_the_filters_are_not_shown_where_they_do_nothing_and_are_kept_for_the_next_page(app_db):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["unit"] = "市气象局"
    at.run()
    assert at.multiselect(key="flt_units").value == ["市气象局"]
    for page in ("import", "settings"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        assert not [m for m in at.multiselect if m.key == "flt_units"], page  # no filter widgets
        assert not any("当前筛选" in c.value for c in at.caption), page
        assert any("数据截至" in c.value for c in at.caption), page  # the data-as-of stamp stays
    at.switch_page("pages/compliance.py").run()
    assert at.multiselect(key="flt_units").value == ["市气象局"]
    assert any("当前筛选" in c.value and "市气象局" in c.value for c in at.caption)


@pytest.mark.slow
def test_a_volunteer_file_imported_on_the_page_uses_the_records_read_while_it_was_checked(app_db, monkeypatch):
    """The page's first look at a file (its kind not chosen yet) reads nothing ahead; the check it imports does, and
    the commit uses those records (issue 17): the pre-aggregates then agree with a full rebuild."""
    from branchboard import db
    from branchboard.ui import get_store

    reads: list[int] = []
    read_ahead = db.Store.set_aside_ahead
    monkeypatch.setattr(
        db.Store, "set_aside_ahead", lambda self, source, frame: reads.append(len(frame)) or read_ahead(self, source, frame)
    )
    modes: list[dict[str, str]] = []
    refresh = db.refresh_derived
    monkeypatch.setattr(db, "refresh_derived", lambda cur, full=False, **kw: modes.append(refresh(cur, full, **kw)) or modes[-1])
    at = open_import_page()
    day, branch = get_store().cursor().execute("select activity_date, branch_code from volunteer_records limit 1").fetchall()[0]
    data = csv_bytes(
        [
            ["活动日期", "支部编码", "活动名称", "活动类型", "服务时长", "人次"],
            [str(day), branch, "页面上导入", "理论学习", "2", "1"],
        ]
    )
    at.file_uploader[0].set_value(("志愿服务.csv", data, "text/csv")).run()
    assert not at.exception
    assert next(s for s in at.selectbox if s.label == "数据类型").value == "volunteer"
    assert reads == [1]  # the check of the chosen kind, not the first look
    next(b for b in at.button if b.label == "导入").click().run()
    assert not at.exception and any("已导入为第" in s.value for s in at.success)
    assert modes[-1]["volunteer_daily"] == "keys ahead"
    assert db.check_derived(get_store().cursor()) == []
