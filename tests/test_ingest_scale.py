"""Large files take the fast paths (Arrow's CSV reader, categorical columns, an Arrow insert): the stored rows
must be exactly those of the file, whatever the encoding, and irregular files still fall back to pandas."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from ingest_helpers import demo_store

from branchboard import demo, ingest
from branchboard.batches import ARROW_FROM_ROWS
from conftest import DEMO_TODAY

HEADERS = ["活动日期", "支部编码", "党员编号", "活动名称", "活动类型", "服务时长", "人次", "服务对象"]


def volunteer_csv(store, rows: int, encoding: str = "utf-8") -> tuple[bytes, pd.DataFrame]:
    codes = [c for (c,) in store.cursor().execute("select branch_code from branches order by 1").fetchall()]
    data = demo.generate(branches=len(codes), years=2, today=DEMO_TODAY, volunteer_rows=rows).volunteer_records
    data = data[data["branch_code"].isin(codes)].reset_index(drop=True)
    frame = data.assign(activity_date=pd.to_datetime(data["activity_date"]).dt.strftime("%Y-%m-%d"))
    text = frame.to_csv(index=False, header=HEADERS, lineterminator="\r\n")
    return text.encode(encoding), data


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_large_volunteer_file_is_stored_exactly(tmp_path, demo_db_path, encoding):
    store = demo_store(tmp_path, demo_db_path)
    before = store.cursor().execute("select count(*), sum(hours) from volunteer_records").fetchone()
    raw, data = volunteer_csv(store, ARROW_FROM_ROWS + 2_000, encoding)
    prepared = ingest.prepare(store, "志愿服务.csv", raw)
    assert prepared.kind == "volunteer" and not prepared.errors, prepared.errors[:3]
    assert prepared.rows == len(data)
    result = ingest.commit(store, prepared)
    assert result.ok
    stored = (
        store.cursor()
        .execute(
            "select activity_date, branch_code, member_code, activity, activity_type, hours, person_times, partner "
            "from volunteer_records where batch_id = $b order by all",
            {"b": result.batch_id},
        )
        .df()
    )
    want = data.assign(activity_date=pd.to_datetime(data["activity_date"]))
    want = want.sort_values(list(want.columns)).reset_index(drop=True)
    stored["activity_date"] = pd.to_datetime(stored["activity_date"])
    pd.testing.assert_frame_equal(stored, want, check_dtype=False, check_datetimelike_compat=True)
    after = store.cursor().execute("select count(*), sum(hours) from volunteer_records").fetchone()
    assert after[0] == before[0] + len(data)
    assert after[1] == before[1] + sum(Decimal(str(h)) for h in data["hours"])  # exact: hours are decimals
    store.close()


def test_a_large_file_with_a_title_row_and_a_total_row_still_reads(tmp_path, demo_db_path):
    store = demo_store(tmp_path, demo_db_path)
    raw, data = volunteer_csv(store, 3_000)
    raw = "2025年志愿服务记录\r\n".encode() + raw + "合计,,,,,,,\r\n".encode()
    prepared = ingest.prepare(store, "志愿服务.csv", raw)
    assert not prepared.errors, prepared.errors[:3]
    assert prepared.rows == len(data)
    assert prepared.header_row == 2
    assert {w.code for w in prepared.warnings} >= {"total_rows"}
    store.close()


def numbered_csv(store, rows: int, distinct: str | None = None) -> tuple[bytes, pd.DataFrame]:
    """A volunteer file as forms number it: a 序号 column first (1…n, every cell distinct), a 合计 row after the data
    with 合计 in the 序号 column, and a 填表人 note under it; `distinct` makes that column distinct in every row."""
    _, data = volunteer_csv(store, rows)
    frame = data.assign(activity_date=pd.to_datetime(data["activity_date"]).dt.strftime("%Y-%m-%d"))
    if distinct:
        frame[distinct] = [f"{v}-{i}" for i, v in enumerate(frame[distinct])]
    frame.insert(0, "序号", range(1, len(frame) + 1))
    text = frame.to_csv(index=False, header=["序号", *HEADERS], lineterminator="\r\n")
    hours = sum(Decimal(str(h)) for h in frame["hours"])
    text += f"合计,,,,,,{hours},{frame['person_times'].sum()},\r\n填表人：张三,,,,,,,,\r\n"
    return text.encode("utf-8"), frame


def _summary(prepared) -> tuple:
    issues = sorted((w.level, w.code, w.row, str(w.column), str(w.value), str(w.params)) for w in prepared.issues)
    return prepared.kind, prepared.rows, prepared.header_row, issues


def _assert_prepares_as_when_all_categorical(store, name: str, data: bytes, rows: int, monkeypatch) -> None:
    """The file prepares with its nearly distinct columns kept as Arrow text exactly as with every column categorical
    (the threshold out of reach): rows, 合计 and note warnings, every issue, values and content hash."""
    from branchboard.ingest import read

    prepared = ingest.prepare(store, name, data)
    monkeypatch.setattr(read, "NEARLY_DISTINCT_ROWS", 10**9)
    assert all(isinstance(t, pd.CategoricalDtype) for t in read.read_grid(name, data).cells.dtypes)
    categorical = ingest.prepare(store, name, data)
    assert not prepared.errors and prepared.rows == rows
    assert {"total_rows", "note_rows"} <= {w.code for w in prepared.warnings}
    assert _summary(prepared) == _summary(categorical)
    # The same values; a column factorized from Arrow text has no unused categories (its header, "").
    pd.testing.assert_frame_equal(prepared.frame, categorical.frame, check_categorical=False)
    assert prepared.content_hash == categorical.content_hash


@pytest.mark.parametrize("distinct", [None, "member_code", "activity"])
def test_a_nearly_distinct_column_kept_as_arrow_text_reads_as_a_categorical_one(tmp_path, demo_db_path, monkeypatch, distinct):
    # A 序号 column is a million distinct cells that no stage maps: it stays Arrow text (its categories would be the
    # column itself), and the file must prepare exactly as when every column is categorical, 合计 and note rows
    # included; a mapped column that is distinct (every member code, every activity name) too.
    from branchboard.ingest import read

    store = demo_store(tmp_path, demo_db_path)
    raw, frame = numbered_csv(store, read.NEARLY_DISTINCT_ROWS + 500, distinct)
    cells = read.read_grid("志愿服务.csv", raw).cells
    lazy = [c for c in cells.columns if isinstance(cells[c].dtype, pd.ArrowDtype)]
    header = {"member_code": "党员编号", "activity": "活动名称"}.get(distinct or "")
    assert lazy == ([0, 1 + HEADERS.index(header)] if header else [0])
    _assert_prepares_as_when_all_categorical(store, "志愿服务.csv", raw, len(frame), monkeypatch)
    store.close()


@pytest.mark.slow
def test_a_numbered_workbook_saved_by_an_office_suite_reads_as_a_categorical_one(tmp_path, demo_db_path, monkeypatch):
    # The same through the workbook reader: the numbered file opened and saved as .xlsx by LibreOffice Calc.
    from branchboard.ingest import read

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by scripts/test.sh"
    store = demo_store(tmp_path, demo_db_path)
    raw, frame = numbered_csv(store, read.NEARLY_DISTINCT_ROWS + 500)
    (tmp_path / "志愿服务.csv").write_bytes(raw)
    result = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--infilter=CSV:44,34,76,1",  # comma, quote, UTF-8, from the first line
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "志愿服务.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    book = (tmp_path / "志愿服务.xlsx").read_bytes()
    cells = read.read_grid("志愿服务.xlsx", book).cells
    assert [c for c in cells.columns if isinstance(cells[c].dtype, pd.ArrowDtype)] == [0]
    _assert_prepares_as_when_all_categorical(store, "志愿服务.xlsx", book, len(frame), monkeypatch)
    store.close()


def test_merged_down_cells_of_a_column_kept_as_arrow_text_take_the_first_cells_value():
    # A workbook's vertical merge in a nearly distinct column: its lower cells read "" and get the first cell's value.
    import pyarrow as pa

    from branchboard.ingest import header

    values = [str(i) for i in range(8)]
    values[3:5] = ["", ""]  # rows 5 and 6 of the sheet, merged under row 4
    data = pd.DataFrame({0: pd.arrays.ArrowExtensionArray(pa.array(values)), 1: pd.Categorical(["甲"] * 8)})
    filled = header._fill_merged_down(data, np.arange(2, 10), [(4, 6, 0)])
    assert filled[0].tolist() == ["0", "1", "2", "2", "2", "5", "6", "7"]
    assert data[0].tolist() == values  # the grid itself is left as read


def test_a_column_whose_blocks_share_their_values_is_not_taken_for_row_numbers():
    # Arrow's reader encodes each block of the file apart: member codes cycling through a large file look distinct
    # within every block; only values that differ from block to block (a 序号) make a column nearly distinct.
    import pyarrow as pa

    from branchboard.ingest import read

    def column(*blocks: list[str]) -> pa.ChunkedArray:
        return pa.chunked_array([pa.array(b).dictionary_encode() for b in blocks])

    half = read.NEARLY_DISTINCT_ROWS // 2 + 1
    numbers = [str(i) for i in range(2 * half)]
    assert read._nearly_distinct(column(numbers[:half], numbers[half:]))
    assert not read._nearly_distinct(column(numbers[:half], numbers[:half]))  # the same codes again
    assert not read._nearly_distinct(column(numbers[:half]))  # too short to matter
    assert read._nearly_distinct(column(numbers))
    assert not read._nearly_distinct(column(numbers[:half] * 2))  # repeats within its block
