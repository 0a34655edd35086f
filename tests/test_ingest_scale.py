"""Large files take the fast paths (Arrow's CSV reader, categorical columns, an Arrow insert): the stored rows
must be exactly those of the file, whatever the encoding, and irregular files still fall back to pandas."""

from __future__ import annotations

from decimal import Decimal

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
