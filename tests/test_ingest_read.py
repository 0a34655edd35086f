"""Stage 1–2: reading every file form units send, finding the header, and refusing broken files cleanly."""

from __future__ import annotations

import os

import pytest
from ingest_helpers import csv_bytes, snapshot, xls_bytes, xlsx_bytes

from branchboard import ingest
from branchboard.ingest.header import propose_period
from branchboard.ingest.read import read_grid

TIERS = [
    ["2024年度市直机关党支部分类定级结果"],
    ["序号", "支部编码", "支部名称", "定级档次", "荣誉称号"],
    [1, "SW001", "市税务局机关第一党支部", "先进", "红旗党支部"],
    [2, "GA001", "市公安局机关第一党支部", "较好", ""],
    [3, "QX001", "市气象局机关党支部", "后进", ""],
]


def stored_tiers(store, period="2024"):
    return dict(
        store.cursor()
        .execute(
            "select branch_code, tier from tier_ratings where period = $p and branch_code in ('SW001','GA001','QX001')",
            {"p": period},
        )
        .fetchall()
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.csv", csv_bytes(TIERS)),
        ("bom.csv", b"\xef\xbb\xbf" + csv_bytes(TIERS)),
        ("gbk.csv", csv_bytes(TIERS, encoding="gbk")),
        ("gb18030.csv", csv_bytes(TIERS, encoding="gb18030")),
        ("semicolon.csv", csv_bytes(TIERS, delimiter=";")),
        ("tab.txt", csv_bytes(TIERS, delimiter="\t")),
        ("pipe.csv", csv_bytes(TIERS, delimiter="|", line_end="\n")),
        ("unicode.txt", b"\xff\xfe" + csv_bytes(TIERS, delimiter="\t", encoding="utf-16-le")),
        ("unicode_no_bom.txt", csv_bytes(TIERS, delimiter="\t", encoding="utf-16-le")),
        ("big_endian_no_bom.txt", csv_bytes(TIERS, delimiter="\t", encoding="utf-16-be")),
        ("book.xlsx", xlsx_bytes({"定级": TIERS})),
        ("book.xlsm", xlsx_bytes({"定级": TIERS})),
        ("old.xls", xls_bytes(TIERS)),
    ],
)
@pytest.mark.slow
def test_every_encoding_delimiter_and_workbook_form_imports_the_same_rows(store, name, data):
    prepared = ingest.prepare(store, name, data)
    assert prepared.kind == "tiers", prepared.issues
    assert prepared.errors == []
    assert prepared.proposed_period == "2024" and prepared.period == "2024"
    assert prepared.header_row == 2
    result = ingest.commit(store, prepared, "tests")
    assert result.ok and result.rows == 3 and result.replaced == 3  # the demo rated these branches in 2024
    assert stored_tiers(store) == {"SW001": "先进", "GA001": "较好", "QX001": "后进"}
    honors = store.cursor().execute("select honors from tier_ratings where branch_code = 'SW001' and period = '2024'").fetchall()
    assert honors == [("红旗党支部",)]


def test_a_gb18030_only_character_survives(demo_reader):
    rows = [r[:] for r in TIERS]
    rows[2][4] = "𠀀红旗党支部"  # outside GBK, inside GB18030
    prepared = ingest.prepare(demo_reader, "x.csv", csv_bytes(rows, encoding="gb18030"))
    assert prepared.ok
    assert prepared.frame["honors"].iloc[0] == "𠀀红旗党支部"


def test_excel_row_numbers_count_leading_empty_rows(demo_reader):
    data = xlsx_bytes({"S": [*TIERS[1:3], [4, "GA001", "市公安局机关第一党支部", "优秀", ""]]}, first_row=4)
    prepared = ingest.prepare(demo_reader, "x.xlsx", data, period="2024")
    assert prepared.header_row == 5
    [err] = prepared.errors
    assert (err.row, err.column, err.value) == (7, "定级档次", "优秀")
    assert err.message() == "第 7 行，「定级档次」列，值“优秀”：不是设定的档次，应为：先进、较好、一般、后进"


@pytest.mark.slow
def test_sheet_choice_and_first_sheet_with_a_header(store):
    data = xlsx_bytes({"说明": [["填表说明：请按模板填写"]], "定级": TIERS, "空表": []})
    prepared = ingest.prepare(store, "x.xlsx", data)
    assert prepared.sheets == ["说明", "定级", "空表"]
    assert prepared.sheet == "定级" and prepared.ok
    chosen = ingest.prepare(store, "x.xlsx", data, sheet="说明")
    assert chosen.sheet == "说明"
    assert [e.code for e in chosen.errors] == ["no_header"]
    missing = ingest.prepare(store, "x.xlsx", data, sheet="不存在")
    assert missing.errors[0].message() == "值“不存在”：工作簿中没有这个工作表，现有：说明、定级、空表"


def _truncated_xlsx() -> bytes:
    whole = xlsx_bytes({"定级": TIERS})
    return whole[: len(whole) // 2]


BROKEN = [
    ("empty.csv", b"", "empty_file", "文件是空的，没有任何内容"),
    ("spaces.csv", b"  \r\n\r\n ", "empty_file", "文件是空的，没有任何内容"),
    ("truncated.xlsx", _truncated_xlsx(), "corrupt_excel", None),
    ("random.xlsx", os.urandom(4096).replace(b"PK", b"pk"), "not_excel", None),
    ("random.bin", bytes(range(256)) * 16, "unknown_format", "无法识别的文件格式：请上传 CSV、XLSX、XLS 或 XLSM 文件"),
    ("picture.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(500), "not_excel", None),
    ("zip.xlsx", b"PK\x03\x04" + os.urandom(300), "corrupt_excel", None),
    ("ole.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(600), "corrupt_excel", None),
    # An HTML table saved as .xls is read; this one has a header cell and nothing else.
    ("export.xls", "<html><body><table><tr><td>支部名称</td></tr></table></body></html>".encode(), "no_header", None),
    ("page.xls", "<html><body><p>导出失败</p></body></html>".encode(), "html_file", None),
    ("title_only.csv", "2024年度党支部定级结果\r\n".encode(), "no_header", None),
    ("header_only.csv", "支部编码,支部名称,档次\r\n".encode(), "no_rows", "表头下面没有数据行"),
    ("unknown.csv", "姓名,年龄,爱好\r\n张三,30,读书\r\n".encode(), "no_header", None),
    (
        "ragged.csv",
        (
            "支部编码,支部名称,档次\r\n"
            + "SW001,市税务局机关第一党支部,先进\r\n" * 80
            + "SW001,市税务局机关第一党支部,先进,多余,更多\r\n"
        ).encode(),
        "csv_fields",
        "第 82 行：这一行有 5 列，比表头多（表头 3 列）：请检查是否有多余的分隔符",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "data", "code", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_files_are_refused_with_a_clear_error_and_nothing_changes(store, name, data, code, message):
    before = snapshot(store)
    prepared = ingest.prepare(store, name, data, period="2024")
    assert [e.code for e in prepared.errors] == [code]
    text = prepared.errors[0].message()
    assert "Traceback" not in text and text
    if message:
        assert text == message
    result = ingest.commit(store, prepared, "tests")
    assert not result.ok and result.batch_id is None
    assert snapshot(store) == before


def test_a_png_renamed_xlsx_says_what_it_is_not(demo_reader):
    prepared = ingest.prepare(demo_reader, "photo.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300))
    assert prepared.errors[0].message() == "文件扩展名是 .xlsx，但内容不是 Excel 表格（可能已损坏或是其他文件改名而来）"


def test_two_row_header_with_merged_dimensions_and_merged_down_cells(demo_reader):
    rows = [
        ["2024年度党支部考核得分表"],
        [None, None, None, None, None, None, None],
        ["序号", "支部编码", None, None, None, None, "总分"],
        [None, None, "应建尽建（4分）", "班子健全（4分）", "上好党课（5分）", "谈话及时", None],
        [1, "SW001", "４", "√", "5", "×", "13"],
    ]
    merges = {
        "S": [
            (0, 0, 0, 6, "2024年度党支部考核得分表"),
            (2, 0, 3, 0, "序号"),
            (2, 1, 3, 1, "支部编码"),
            (2, 2, 2, 3, "组织设置标准化"),
            (2, 4, 2, 5, "组织生活严格化"),
            (2, 6, 3, 6, "总分"),
        ]
    }
    prepared = ingest.prepare(demo_reader, "x.xlsx", xlsx_bytes({"S": rows}, merges=merges))
    assert (prepared.kind, prepared.shape, prepared.header_row) == ("assessments", "wide", 4)
    assert prepared.mapping["branch_code"] == "支部编码" and prepared.mapping["item:A1"] == "应建尽建（4分）"
    assert prepared.mapping["total"] == "总分"
    assert prepared.period == "2024"
    scores = dict(zip(prepared.frame["item_code"], prepared.frame["score"], strict=True))
    assert scores == {"A1": 4.0, "A2": 4.0, "D1": 5.0, "D5": 0.0}
    assert prepared.errors == []


def test_total_blank_and_note_rows_are_skipped_with_warnings(demo_reader):
    rows = [
        *TIERS,
        ["", "", "", "", ""],
        [4, "DX001", "市委党校机关党支部", "一般", ""],
        ["合 计", "", "", "", ""],
        ["", "总计：4个", "", "", ""],
        ["填表人：张三", "", "", "", ""],
        ["", "", "", "", ""],
    ]
    prepared = ingest.prepare(demo_reader, "x.csv", csv_bytes(rows, encoding="gbk"))
    assert prepared.ok and prepared.rows == 4
    assert [w.message() for w in prepared.warnings] == [
        "已跳过 1 个空行（第 6 行）",
        "已跳过 2 个合计/总计/小计行（第 8、9 行）",
        "已跳过 1 个备注/落款行（第 10 行）",
        "文件没有期次列，按标题中的期次 2024 导入",
    ]


def test_leading_zero_codes_and_numbers_stay_text_when_read():
    grid = read_grid("x.csv", "编码,人数\r\n001,1,\r\n".encode())
    assert grid.cells.iloc[1, 0] == "001"


@pytest.mark.parametrize(
    ("texts", "period"),
    [
        (("2022年度市直机关党支部考核得分表",), "2022"),
        (("2023年上半年分类定级",), "2023-H1"),
        (("关于2023年第三季度志愿服务的统计",), "2023-Q3"),
        (("", "Sheet1", "2024H2定级.xlsx"), "2024-H2"),
        (("市直机关党支部考核得分表", "Sheet1", "得分.xlsx"), None),
    ],
)
def test_period_proposed_from_title_sheet_or_file_name(texts, period):
    assert propose_period(*texts) == period


# A file every row of which is as wide as its header goes through Arrow's reader (the fast path for large
# exports); these check that path gives what the general one gives.
REGULAR = [
    ["序号", "支部编码", "支部名称", "定级档次", "荣誉称号"],
    [1, "SW001", "市税务局机关第一党支部", "先进", "红旗党支部"],
    ["", "", "", "", ""],
    [2, "GA001", "市公安局机关第一党支部", "较好", ""],
    ["合\u3000计", "", "", "", ""],
    ["填表人：张三", "", "审核人：李四", "", ""],
]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_regular_file_skips_total_blank_and_note_rows_like_any_other(demo_reader, bom):
    prepared = ingest.prepare(demo_reader, "x.csv", bom + csv_bytes(REGULAR), period="2024")
    assert prepared.headers[0] == "序号"  # the BOM is not part of the first header
    assert prepared.ok and prepared.rows == 2, prepared.issues
    assert [w.code for w in prepared.warnings] == ["blank_rows", "total_rows", "note_rows"]
    assert prepared.source_rows.tolist() == [2, 4]


def test_a_quoted_line_break_inside_a_cell_stays_in_its_cell():
    text = (
        '支部编码,支部名称,荣誉称号\r\nSW001,市税务局机关第一党支部,"红旗党支部\n（2023年）"\r\nGA001,市公安局机关第一党支部,\r\n'
    )
    grid = read_grid("x.csv", text.encode())
    assert grid.cells.shape == (3, 3)
    assert grid.cells.iloc[1, 2] == "红旗党支部\n（2023年）"
    assert grid.rows.tolist() == [1, 2, 3]


def test_a_file_that_is_plain_ascii_for_its_first_lines_and_gbk_further_down_is_read_as_gbk():
    rows = [["code", "name", "tier"]] + [["SW001", "x", "y"]] * 30_000 + [["GA001", "市公安局机关第一党支部", "较好"]]
    data = "\r\n".join(",".join(r) for r in rows).encode("gbk")
    assert data[:300_000].isascii()  # the sample the fast path looks at is plain ASCII: valid UTF-8
    grid = read_grid("x.csv", data)
    assert grid.cells.iloc[-1].tolist() == ["GA001", "市公安局机关第一党支部", "较好"]
    assert len(grid.cells) == 30_002


def _workbook_with_marks() -> bytes:
    """Two sheets; on the second, an #N/A tier (a failed VLOOKUP), a #DIV/0! and a hidden row."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("说明").write(0, 0, "本表由各单位填报")
    sheet = book.add_worksheet("定级")
    sheet.write_row(0, 0, ["支部编码", "支部名称", "定级档次", "得分"])
    sheet.write_row(1, 0, ["SW001", "市税务局机关第一党支部", "先进", 95])
    sheet.write_row(2, 0, ["GA001", "市公安局机关第一党支部"])
    sheet.write_formula(2, 2, '=VLOOKUP("x",$Z$1:$Z$2,1,FALSE)', None, "#N/A")
    sheet.write_formula(2, 3, "=1/0", None, "#DIV/0!")
    sheet.set_row(3, None, None, {"hidden": True})
    sheet.write_row(3, 0, ["QX001", "市气象局机关党支部", "后进", 60])
    book.close()
    return buffer.getvalue()


def test_error_cells_and_hidden_rows_of_a_sheet_are_found():
    from branchboard.ingest.xlsx_marks import sheet_marks

    marks = sheet_marks(_workbook_with_marks(), "定级")
    assert marks.errors == {(3, 3): "#N/A", (3, 4): "#DIV/0!"}
    assert marks.hidden_rows == [4]
    assert sheet_marks(_workbook_with_marks(), "说明").errors == {}


def test_an_excel_error_cell_is_quoted_and_a_hidden_row_is_imported_with_a_warning(demo_reader):
    prepared = ingest.prepare(demo_reader, "定级.xlsx", _workbook_with_marks(), sheet="定级", period="2024")
    errors = [e.message() for e in prepared.errors]
    assert errors and errors[0].startswith("第 3 行，「定级档次」列，值“#N/A”")
    warnings = [w.message() for w in prepared.warnings]
    assert "第 4 行在 Excel 中是隐藏的（共 1 行），已照常导入；如这些行不应导入，请删除后重新上传" in warnings


def test_sheet_xml_scan_reads_whole_rows_across_chunks_and_skips_empty_error_cells(monkeypatch):
    import io

    from branchboard.ingest import xlsx_marks

    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>1</v></c></row>' % (r, r) for r in range(1, 400))
    xml = (
        b"<sheetData>"
        + rows
        + b'<row r="400" hidden="1"><c r="A400" t="e"/><c r="B400" t="n"><v>3</v></c>'
        + b'<c r="C400" t="e"><f>1/0</f><v>#DIV/0!</v></c></row></sheetData>'
    )
    monkeypatch.setattr(xlsx_marks, "CHUNK", 64)  # rows and cells cut across many reads
    marks = xlsx_marks.SheetMarks()
    xlsx_marks._scan(io.BytesIO(xml), marks)
    assert marks.errors == {(400, 3): "#DIV/0!"}  # the value-less A400 borrows nothing from B400
    assert marks.hidden_rows == [400]
