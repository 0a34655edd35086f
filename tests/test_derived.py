"""Pre-aggregated tables (derived.sql) always agree with the facts: after every kind of write, in the same
transaction, and the figures read from them equal those counted over the raw records."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from ingest_helpers import demo_store

from branchboard import db, ingest
from branchboard.batches import insert_frame, open_batch
from branchboard.filters import FilterState
from branchboard.settings import SettingsInput, save

RAW_VOLUNTEER = """
    select
        coalesce(sum(hours), 0) as hours,
        coalesce(sum(person_times), 0) as person_times,
        count(distinct (activity_date, branch_code, activity)) as activities
    from volunteer_records
"""


def assert_derived_fresh(store: db.Store) -> None:
    cur = store.cursor()
    daily = cur.execute(
        "select coalesce(sum(hours), 0), coalesce(sum(person_times), 0), coalesce(sum(activities_counted), 0) "
        "from volunteer_daily"
    ).fetchone()
    raw = cur.execute(RAW_VOLUNTEER).fetchone()
    assert float(daily[0]) == pytest.approx(float(raw[0]))
    assert int(daily[1]) == int(raw[1]) and int(daily[2]) == int(raw[2])
    by_type_raw = cur.execute(
        "select activity_type, count(distinct (activity_date, branch_code, activity)) from volunteer_records "
        "group by 1 order by 1 nulls last"
    ).fetchall()
    by_type = cur.execute(
        "select activity_type, sum(activities) from volunteer_daily group by 1 order by 1 nulls last"
    ).fetchall()
    assert [(t, int(n)) for t, n in by_type] == [(t, int(n)) for t, n in by_type_raw]
    totals = cur.execute(
        "select s.period, s.branch_code, sum(s.score), bool_or(st.veto and s.score < st.max_score) "
        "from assessment_scores s join standards st using (item_code) group by all order by 1, 2"
    ).fetchall()
    stored = cur.execute("select period, branch_code, total_score, veto_failed from assessment_totals order by 1, 2").fetchall()
    assert stored == totals


def test_an_activity_with_records_of_two_types_counts_once_in_totals_and_once_per_type(hand_store):
    with hand_store.transaction() as cur:
        batch = open_batch(cur, "test", "types", None, 0, "tests")
        insert_frame(
            cur,
            "volunteer_records",
            pd.DataFrame(
                {
                    "activity_date": [date(2023, 3, 5), date(2023, 3, 5), date(2023, 3, 5)],
                    "branch_code": ["B1", "B1", "B1"],
                    "activity": ["A", "A", "Z"],
                    "activity_type": ["甲", None, "甲"],
                    "hours": [1.0, 1.0, 1.0],
                    "person_times": [1, 1, 1],
                }
            ),
            batch,
        )
    assert_derived_fresh(hand_store)
    totals = hand_store.query("overview__volunteer_totals", FilterState().sql_params()).iloc[0]
    # Hand dataset: (2023-03-05, B1, A), (2023-07-01, B3, B), (2022-12-31, B4, C); now also (2023-03-05, B1, Z).
    assert int(totals["activities"]) == 4
    by_type = hand_store.query("volunteer__by_type", FilterState().sql_params()).set_index("activity_type", drop=False)
    assert int(by_type.loc["甲", "activities"]) == 2  # A and Z
    assert int(by_type["activities"][by_type["activity_type"].isna()].iloc[0]) == 3  # A (untyped rows), B, C


def test_derived_tables_follow_import_undo_settings_and_direct_writes(tmp_path, demo_db_path):
    store = demo_store(tmp_path, demo_db_path)
    assert_derived_fresh(store)
    raw = "活动日期,支部编码,活动名称,活动类型,服务时长,人次\n2025-06-01,SW001,新活动,新类型,3,2\n2025-06-01,SW001,新活动,文明创建,1,1\n"
    result = ingest.commit(store, ingest.prepare(store, "v.csv", raw.encode()))
    assert result.ok
    assert_derived_fresh(store)
    scores = "期次,支部编码,项目编码,得分\n" + "\n".join(f"2025,SW001,{c},0" for c in ("A1", "A2"))
    result2 = ingest.commit(store, ingest.prepare(store, "s.csv", scores.encode()))
    assert result2.ok, result2.errors
    assert_derived_fresh(store)
    ingest.undo(store, result2.batch_id)
    ingest.undo(store, result.batch_id)
    assert_derived_fresh(store)
    with store.transaction() as cur:
        cur.execute("update standards set veto = true where item_code = 'A1'")
    assert_derived_fresh(store)
    before = store.query("overview__compliance_by_period", FilterState().sql_params())
    save(store, SettingsInput(pass_score=95, item_pass_ratio=0.6, compliance_target=0.7, tiers=tuple(store.tiers())))
    after = store.query("overview__compliance_by_period", FilterState().sql_params())
    assert (after["passed"] <= before["passed"]).all() and after["passed"].sum() < before["passed"].sum()
    store.close()


def test_a_failed_write_leaves_the_derived_tables_as_they_were(hand_store):
    before = hand_store.cursor().execute("select * from volunteer_daily order by all").fetchall()
    with pytest.raises(RuntimeError), hand_store.transaction() as cur:
        cur.execute("delete from volunteer_records")
        raise RuntimeError("boom")
    assert hand_store.cursor().execute("select * from volunteer_daily order by all").fetchall() == before


def test_opening_a_file_rebuilds_stale_derived_tables(tmp_path, hand_store):
    with hand_store.transaction() as cur:
        cur.execute("delete from derived_state")
    cur = hand_store.cursor()
    cur.execute("delete from volunteer_daily")  # as in a file written before the pre-aggregates existed
    cur.execute("delete from derived_state")
    path = hand_store.path
    hand_store.close()
    again = db.Store(path)
    assert_derived_fresh(again)
    again.close()
