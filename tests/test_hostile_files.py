"""Hostile and broken files (issue 10): each is refused with a clear message naming what is wrong, the database
is left as it was, and nothing takes the process down. Files are built here: workbooks with a cell far out,
zip bombs, encrypted workbooks, text files with NUL bytes, two encodings or an endless first line."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import time
import zipfile

import pytest
import xlsxwriter
from ingest_helpers import csv_bytes, snapshot, xlsx_bytes

from branchboard import cli, ingest
from branchboard.ingest import workbook, xlsx_marks
from conftest import REPO


def far_cell_workbook(cell: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("定级")
    sheet.write_row(0, 0, ["期次", "支部编码", "档次"])
    sheet.write_row(1, 0, ["2024", "SW001", "先进"])
    sheet.write(cell, "x")
    book.close()
    return buffer.getvalue()


def whitespace_bomb(inflated: int) -> bytes:
    """A valid workbook whose sheet XML carries `inflated` bytes of spaces (deflate packs them ~1000:1)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"定级": [["期次", "支部编码", "档次"], ["2024", "SW001", "先进"]]})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in base.infolist():
            data = base.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                with bomb.open(info.filename, "w", force_zip64=True) as part:
                    head, tail = data.split(b"<sheetData>")
                    part.write(head + b"<sheetData>")
                    block = b" " * (1 << 20)
                    for _ in range(inflated >> 20):
                        part.write(block)
                    part.write(tail)
            else:
                bomb.writestr(info, data)
    return out.getvalue()


def errors_of(prepared) -> list[str]:
    return [e.code for e in prepared.errors]


def import_cli(path, db) -> tuple[int, dict]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = cli.main(["import", str(path), "--db", str(db), "--json"])
    return code, json.loads(buffer.getvalue())


# -- workbooks -----------------------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("cell", ["XFD1048576", "Z1048576", "A1048576"])
def test_a_cell_far_out_is_refused_before_the_grid_is_built(demo_reader, cell):
    before = snapshot(demo_reader)
    prepared = ingest.prepare(demo_reader, "far.xlsx", far_cell_workbook(cell))
    # XFD1048576 would be 17 billion cells, Z1048576 27 million; A1048576 three million for seven values.
    assert errors_of(prepared) == ["excel_far_cell"]
    message = prepared.errors[0].message()
    assert "第 1,048,576 行" in message and "删除表格以外的多余单元格" in message
    assert snapshot(demo_reader) == before


@pytest.mark.slow
def test_far_cell_workbook_through_the_command_line(store, tmp_path):
    path = tmp_path / "far.xlsx"
    path.write_bytes(far_cell_workbook("XFD1048576"))
    db = store.path
    store.close()
    code, result = import_cli(path, db)
    assert code == 1
    assert "第 1,048,576 行、第 XFD 列" in result["errors"][0]["message"]


@pytest.mark.slow
def test_a_whitespace_bomb_is_refused_by_its_ratio(demo_reader):
    data = whitespace_bomb(64 << 20)  # 64 MB of spaces in a file of about 70 KB
    assert len(data) < 200_000
    prepared = ingest.prepare(demo_reader, "bomb.xlsx", data)
    assert errors_of(prepared) == ["excel_bomb"]
    assert "xl/worksheets/sheet1.xml" in prepared.errors[0].message()


@pytest.mark.slow
def test_inflated_size_is_capped_even_at_an_ordinary_ratio(demo_reader, monkeypatch):
    monkeypatch.setattr(workbook, "LIMITS", workbook.with_limits(max_uncompressed=1 << 20))
    rows = [["期次", "支部编码", "档次"]] + [["2024", f"X{i:05d}", "先进"] for i in range(20_000)]
    prepared = ingest.prepare(demo_reader, "big.xlsx", xlsx_bytes({"定级": rows}))
    assert errors_of(prepared) == ["excel_too_large"]


@pytest.mark.slow
def test_a_zip_with_thousands_of_parts_is_refused_before_it_is_opened(store):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(6_000):
            z.writestr(f"x/{i}", b"")
    prepared = ingest.prepare(store, "parts.xlsx", out.getvalue())
    assert errors_of(prepared) == ["excel_too_many_parts"]


@pytest.mark.slow
def test_a_password_protected_workbook_says_so(demo_reader):
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes({"定级": [["期次", "支部编码", "档次"]]}))).encrypt("口令", out)
    prepared = ingest.prepare(demo_reader, "locked.xlsx", out.getvalue())
    assert errors_of(prepared) == ["excel_encrypted"]
    assert "文件已加密，请另存为未加密的文件" in prepared.errors[0].message()


@pytest.mark.slow
def test_a_reader_crash_fails_one_read_and_the_process_carries_on(demo_reader, monkeypatch):
    # With the extent check switched off, calamine tries to allocate 512 GB and aborts: in its own process.
    monkeypatch.setattr(workbook, "LIMITS", workbook.with_limits(max_cells=10**15, max_sparse=10**15))
    prepared = ingest.prepare(demo_reader, "far.xlsx", far_cell_workbook("XFD1048576"))
    assert errors_of(prepared) == ["excel_crashed"]
    monkeypatch.setattr(workbook, "LIMITS", workbook.with_limits())
    good = ingest.prepare(demo_reader, "ok.xlsx", xlsx_bytes({"定级": [["期次", "支部编码", "档次"], ["2024", "SW001", "先进"]]}))
    assert good.ok, good.errors


@pytest.mark.slow
def test_a_read_that_takes_too_long_is_stopped(demo_reader, monkeypatch):
    monkeypatch.setattr(workbook, "LIMITS", workbook.with_limits(timeout=0.05))
    rows = [["期次", "支部编码", "档次"]] + [["2024", f"X{i:05d}", "先进"] for i in range(50_000)]
    prepared = ingest.prepare(demo_reader, "slow.xlsx", xlsx_bytes({"定级": rows}))
    assert errors_of(prepared) == ["excel_timeout"]


@pytest.mark.slow
def test_a_reader_over_its_memory_budget_is_stopped(demo_reader, monkeypatch):
    monkeypatch.setattr(workbook, "LIMITS", workbook.with_limits(memory=8 << 20))
    rows = [["期次", "支部编码", "档次"]] + [["2024", f"X{i:05d}", "先进"] for i in range(50_000)]
    prepared = ingest.prepare(demo_reader, "heavy.xlsx", xlsx_bytes({"定级": rows}))
    assert errors_of(prepared)[0] in ("excel_crashed", "excel_too_large_memory")


def test_the_sheet_scan_is_bounded_without_a_cell_end(monkeypatch):
    """XML with no end of a cell in sight (one enormous cell) is not carried along forever."""
    monkeypatch.setattr(xlsx_marks, "CHUNK", 1 << 16)
    monkeypatch.setattr(xlsx_marks, "MAX_CARRY", 1 << 20)
    xml = b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + b"x" * (3 << 20)
    with pytest.raises(xlsx_marks.SheetTooLarge):
        xlsx_marks._scan(io.BytesIO(xml), xlsx_marks.SheetMarks())


def test_the_sheet_scan_finds_the_extent_of_cells_holding_values():
    xml = (
        b'<sheetData><row r="2"><c r="C2" t="s"><v>0</v></c><c r="D2" s="1"/></row>'
        b'<row r="7"><c r="AB7"><v>1</v></c><c r="XFD7" s="3"></c></row>'  # styled empty cells do not count
        b'<row r="9"><c r=\'B9\' t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    )
    marks = xlsx_marks.SheetMarks()
    xlsx_marks._scan(io.BytesIO(xml), marks)
    assert (marks.first_row, marks.first_column, marks.last_row, marks.last_column) == (2, 2, 9, 28)
    assert marks.values == 3


# -- text files ----------------------------------------------------------------------------------------------------
ROSTER_HEAD = ["支部编码", "支部名称", "所属单位", "党员人数"]


def test_a_csv_that_changes_encoding_half_way_is_refused_at_that_row(store):
    before = snapshot(store)
    utf8 = csv_bytes([ROSTER_HEAD, ["SW001", "市税务局机关第一党支部", "市税务局", "12"]])
    gbk = csv_bytes([["SW002", "市税务局机关第二党支部", "市税务局", "9"]], encoding="gbk")
    prepared = ingest.prepare(store, "mixed.csv", utf8 + gbk)
    assert errors_of(prepared) == ["mixed_encoding"]
    assert prepared.errors[0].message().startswith("第 3 行")
    # And the other way round: rows saved as UTF-8 after a GBK file.
    prepared = ingest.prepare(store, "mixed2.csv", csv_bytes([ROSTER_HEAD], encoding="gbk") + utf8.split(b"\r\n", 1)[1])
    assert errors_of(prepared) == ["mixed_encoding"]
    assert prepared.errors[0].message().startswith("第 2 行")
    assert snapshot(store) == before


def test_gbk_and_gb18030_files_are_not_mistaken_for_mixed(demo_reader):
    rows = [ROSTER_HEAD] + [["SW001", "市税务局机关第一党支部", "市税务局", "12"]] * 50
    for encoding in ("gbk", "gb18030"):
        assert "mixed_encoding" not in errors_of(ingest.prepare(demo_reader, "r.csv", csv_bytes(rows, encoding=encoding)))


def test_nul_bytes_are_refused_with_their_row(demo_reader):
    data = csv_bytes([ROSTER_HEAD] + [["SW001", "市税务局机关第一党支部", "市税务局", "12"]] * 300)
    data += "SW0\x0002,市税务局机关第二党支部,市税务局,9\r\n".encode()
    prepared = ingest.prepare(demo_reader, "nul.csv", data)
    assert errors_of(prepared) == ["nul_bytes"]
    assert prepared.errors[0].message().startswith("第 302 行")


def test_a_first_line_longer_than_128_kb_gets_the_products_message(demo_reader):
    data = ("支部编码," + "名" * 140_000 + "\nSW001,x\n").encode()
    prepared = ingest.prepare(demo_reader, "long.csv", data)
    assert errors_of(prepared) == ["line_too_long"]
    assert "128 KB" in prepared.errors[0].message()


def test_numbers_too_large_for_their_column_are_errors_naming_the_row(store):
    before = snapshot(store)
    rows = [ROSTER_HEAD, ["SW001", "市税务局机关第一党支部", "市税务局", "1000000000000"]]
    prepared = ingest.prepare(store, "big.csv", csv_bytes(rows))
    assert errors_of(prepared) == ["too_large"]
    assert prepared.errors[0].message().startswith("第 2 行，「党员人数」列，值“1000000000000”")
    assert not ingest.commit(store, prepared).ok
    assert snapshot(store) == before


@pytest.mark.parametrize("day", ["1900-03-01", "1948-12-31", "2205-06-01"])
def test_dates_outside_a_sane_range_are_errors(demo_reader, day):
    rows = [["活动日期", "支部编码", "活动名称", "服务时长"], [day, "SW001", "社区普法讲座", "2"]]
    prepared = ingest.prepare(demo_reader, "v.csv", csv_bytes(rows))
    assert errors_of(prepared) == ["date_out_of_range"]
    assert "1949-01-01" in prepared.errors[0].message()


def test_a_long_file_replacing_a_full_period_with_one_item_warns(demo_reader):
    rows = [["期次", "支部编码", "项目编码", "得分"], ["2024", "SW001", "A1", "4"]]
    prepared = ingest.prepare(demo_reader, "long.csv", csv_bytes(rows))
    assert prepared.ok
    assert [w.code for w in prepared.warnings] == ["partial_periods"]
    assert "SW001（2024，1 项，第 2 行起）" in prepared.warnings[0].message()


def test_the_import_report_download_is_formula_safe(store):
    from branchboard.export import to_csv_bytes

    rows = [["期次", "支部编码", "档次"], ["2024", '=HYPERLINK("http://x")', "先进"]]
    prepared = ingest.prepare(store, "t.csv", csv_bytes(rows))
    report = to_csv_bytes(prepared.report())
    assert b"'=HYPERLINK" in report and b",=HYPERLINK" not in report


# -- the database in use -------------------------------------------------------------------------------------------
def test_a_second_writer_gets_the_in_use_text(store, tmp_path, capsys):
    db = store.path
    store.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        cwd=REPO,
    )
    try:
        assert holder.stdout.readline().strip() == b"held"
        path = tmp_path / "t.csv"
        path.write_bytes(csv_bytes([["期次", "支部编码", "档次"], ["2024", "SW001", "先进"]]))
        assert cli.main(["import", str(path), "--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert "in use by the running app" in err and "Traceback" not in err
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_a_failed_restore_leaves_no_temporary_file(tmp_path, monkeypatch):
    from branchboard import backup, db

    source = tmp_path / "backup.duckdb"
    db.Store(source).close()
    target_dir = tmp_path / "live"
    target_dir.mkdir()
    target = target_dir / "live.duckdb"
    db.Store(target).close()
    before = target.read_bytes()

    def broken(conn):
        raise RuntimeError("disk full")

    monkeypatch.setattr(backup, "migrate", broken)
    with pytest.raises(RuntimeError):
        backup.restore_from(source, target)
    assert sorted(p.name for p in target_dir.iterdir()) == ["live.duckdb"]
    assert target.read_bytes() == before


@pytest.mark.slow
def test_hostile_files_are_handled_quickly():
    """Not a timing assert: the guard's checks never parse the empty grid (they read the XML once)."""
    start = time.monotonic()
    with pytest.raises(workbook.WorkbookError):
        workbook.load_sheet(far_cell_workbook("XFD1048576"), None)
    assert time.monotonic() - start < 60  # far below the reader's own time limit; a parse of the grid never ends


# -- findings of the second hostile review ---------------------------------------------------------------------------
HTML_HEAD = "<html><head><meta charset='utf-8'></head><body><table><tr><th>期次</th><th>支部编码</th><th>档次</th></tr>"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("spans.xls", (HTML_HEAD + '<tr><td colspan="10000" rowspan="10000">x</td></tr></table>').encode(), "too_many_columns"),
        ("tall.xls", (HTML_HEAD + '<tr><td colspan="1999" rowspan="10000">x</td></tr></table>').encode(), "legacy_extent"),
        ("lt.xls", (HTML_HEAD + "<tr><td>x</td></tr>" + "<a" * 100_000).encode(), "legacy_malformed"),
        ("cdata.xls", (HTML_HEAD + "<![" * 5_000).encode(), "legacy_malformed"),
    ],
)
@pytest.mark.slow
def test_html_tables_saved_as_xls_are_bounded(store, name, data, code):
    before = snapshot(store)
    prepared = ingest.prepare(store, name, data)
    assert [e.code for e in prepared.errors] == [code]
    assert snapshot(store) == before


def spreadsheetml(row_attrs: str = "", cell_attrs: str = "") -> bytes:
    return (
        '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="定级"><Table><Row><Cell><Data ss:Type="String">期次</Data></Cell>'
        '<Cell><Data ss:Type="String">支部编码</Data></Cell><Cell><Data ss:Type="String">档次</Data></Cell></Row>'
        f'<Row {row_attrs}><Cell {cell_attrs}><Data ss:Type="String">2024</Data></Cell></Row></Table></Worksheet></Workbook>'
    ).encode()


@pytest.mark.parametrize(
    ("row_attrs", "cell_attrs", "code"),
    [
        ('ss:Index="300000000"', "", "legacy_extent"),
        ("", 'ss:MergeAcross="300000000"', "legacy_extent"),
        ("", 'ss:MergeAcross="1999" ss:MergeDown="1000000"', "legacy_extent"),
        ('ss:Index="abc"', "", "legacy_malformed"),
        ('ss:Index="-5"', "", "legacy_extent"),
    ],
)
@pytest.mark.slow
def test_excel_2003_xml_indexes_and_merges_are_bounded(demo_reader, row_attrs, cell_attrs, code):
    prepared = ingest.prepare(demo_reader, "old.xls", spreadsheetml(row_attrs, cell_attrs))
    assert [e.code for e in prepared.errors] == [code]


def test_a_cell_longer_than_any_name_is_refused_wherever_it_stands(demo_reader):
    rows = [ROSTER_HEAD] + [["SW001", "市税务局机关第一党支部", "市税务局", "12"]] * 100
    rows.append(["SW009", "名" * 2_000_000, "市税务局", "12"])
    prepared = ingest.prepare(demo_reader, "long.csv", csv_bytes(rows))
    assert [e.code for e in prepared.errors] == ["cell_too_long"]
    assert prepared.errors[0].row == 102


@pytest.mark.parametrize("value", ["inf", "-Infinity"])
def test_an_infinite_member_count_is_named(store, value):
    prepared = ingest.prepare(store, "r.csv", csv_bytes([ROSTER_HEAD, ["SW001", "市税务局机关第一党支部", "市税务局", value]]))
    assert [e.code for e in prepared.errors] == ["bad_members"]


def _sheet_with(cell_xml: bytes) -> bytes:
    data = xlsx_bytes({"定级": [["期次", "支部编码", "档次"], ["2024", "SW001", "先进"]]})
    book = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in book.infolist():
            part = book.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b"</sheetData>", cell_xml + b"</sheetData>")
            z.writestr(info, part)
    return out.getvalue()


@pytest.mark.parametrize(
    "cell",
    [
        b'<row r="1048576"><c r="xfd1048576" t="inlineStr"><is><t>x</t></is></c></row>',  # lower case
        b'<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>',  # no reference on the cell
        b'<row r="1048576"><c r ="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',  # a space before =
    ],
)
@pytest.mark.slow
def test_far_cells_written_unusually_are_still_found(demo_reader, cell):
    prepared = ingest.prepare(demo_reader, "far.xlsx", _sheet_with(cell))
    assert [e.code for e in prepared.errors] == ["excel_far_cell"]


def test_a_utf8_mark_over_gbk_text_is_named(demo_reader):
    data = b"\xef\xbb\xbf" + csv_bytes([["期次", "支部编码", "档次"], ["2024", "SW001", "先进"]], encoding="gbk")
    prepared = ingest.prepare(demo_reader, "bom.csv", data)
    assert [e.code for e in prepared.errors] == ["bom_mismatch"]
