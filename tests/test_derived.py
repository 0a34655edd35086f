"""Pre-aggregated tables (derived.sql) always agree with the facts: after every kind of write, in the same
transaction, and the figures read from them equal those counted over the raw records."""

from __future__ import annotations

import random
from datetime import date

import pandas as pd
import pytest
from ingest_helpers import demo_store

from branchboard import db, demo, ingest
from branchboard.batches import insert_frame, open_batch
from branchboard.db import mark_batch
from branchboard.filters import FilterState
from branchboard.settings import SettingsInput, save
from conftest import DEMO_TODAY

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


def _spy_refresh(monkeypatch) -> list[dict[str, str]]:
    """Every refresh of the pre-aggregates from here on, as it returned: which tables, and how (full, keys…)."""
    refreshed: list[dict[str, str]] = []
    refresh = db.refresh_derived
    monkeypatch.setattr(
        db, "refresh_derived", lambda cur, full=False, **kw: refreshed.append(refresh(cur, full, **kw)) or refreshed[-1]
    )
    return refreshed


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
    totals = hand_store.query("volunteer__totals", FilterState().sql_params()).iloc[0]
    # Hand dataset: (2023-03-05, B1, A), (2023-07-01, B3, B), (2022-12-31, B4, C); now also (2023-03-05, B1, Z).
    assert int(totals["activities"]) == 4
    by_type = hand_store.query("volunteer__by_type", FilterState().sql_params()).set_index("activity_type", drop=False)
    assert int(by_type.loc["甲", "activities"]) == 2  # A and Z
    assert int(by_type["activities"][by_type["activity_type"].isna()].iloc[0]) == 3  # A (untyped rows), B, C


@pytest.mark.slow
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
    before = store.query("compliance__by_period", FilterState().sql_params())
    save(store, SettingsInput(pass_score=95, item_pass_ratio=0.6, compliance_target=0.7, tiers=tuple(store.tiers())))
    after = store.query("compliance__by_period", FilterState().sql_params())
    assert (after["passed"] <= before["passed"]).all() and after["passed"].sum() < before["passed"].sum()
    store.close()


@pytest.mark.parametrize(
    "write",
    [
        "update volunteer_records set hours = hours + 1 where branch_code = 'B1'",
        "update volunteer_records set person_times = person_times + 1 where branch_code = 'B1'",
        "delete from volunteer_records where branch_code = 'B1'",
    ],
)
def test_a_write_to_the_records_that_marks_nothing_still_refreshes_the_daily_table(hand_store, write):
    """The fingerprint is counts and sums of narrow columns (it runs over every record in every write): a write
    that marks no key, as a migration's could, still changes it and gets the table rebuilt."""
    cur = hand_store.cursor()
    assert cur.execute("select count(*) from volunteer_records where branch_code = 'B1'").fetchall()[0][0] > 0
    with hand_store.transaction() as write_cur:
        write_cur.execute(write)
    assert db.check_derived(cur) == []
    assert_derived_fresh(hand_store)


def test_a_write_marking_more_keys_than_a_row_group_holds_refreshes_those_keys_and_clears_its_marks(hand_store, monkeypatch):
    """A million-row file marks about 200,000 date × branch keys, more than one DuckDB row group (122,880). The marks
    must be seen (only those keys rebuilt, not the whole table) and cleared, or the next write rebuilds them again:
    in DuckDB 2.0.0 a table made by `create … as select … limit 0` and filled past one row group in the same
    transaction answered `exists` with false."""
    refreshed = _spy_refresh(monkeypatch)
    days = 32_768  # × 4 branches: 131,072 keys
    records = pd.DataFrame(
        {
            "activity_date": pd.date_range("1900-01-01", periods=days).repeat(4).date,
            "branch_code": ["B1", "B2", "B3", "B4"] * days,
            "activity": "大批",
            "activity_type": "甲",
            "hours": 0.25,
            "person_times": 1,
        }
    )
    cur = hand_store.cursor()
    for n, frame in enumerate((records, records.head(3).assign(activity="又一批"))):
        with hand_store.transaction() as write_cur:
            insert_frame(write_cur, "volunteer_records", frame, open_batch(write_cur, "test", f"big {n}", None, 0, "tests"))
        assert refreshed[-1] == {"volunteer_daily": "keys"}
        assert cur.execute("select count(*) from marked_volunteer_daily").fetchall()[0][0] == 0
        assert db.check_derived(cur) == []
    assert_derived_fresh(hand_store)


@pytest.mark.parametrize("ahead", [True, False], ids=["read-ahead", "set-aside-in-the-write"])
def test_a_keyed_refresh_counts_the_stored_records_of_the_keys_it_rebuilds_even_without_a_batch(hand_store, monkeypatch, ahead):
    """An import meeting stored keys rebuilds them from every record of the key: the earlier batches' (set aside from
    the older row groups) and one written with no batch at all (as a hand-made fix might be), which a full rebuild
    counts too. The activity 甲活动 of 2023-03-05 at B1 is in the stored records and in the new file: counted once.
    Either with those records read while the file was prepared, or (a prepared file without them) in the write."""
    refreshed = _spy_refresh(monkeypatch)
    with hand_store.transaction() as cur:
        cur.execute(
            "insert into volunteer_records (activity_date, branch_code, activity, activity_type, hours, person_times) "
            "values (date '2023-03-05', 'B1', '无批次', '乙', 1.5, 2)"
        )
    raw = "活动日期,支部编码,活动名称,活动类型,服务时长,人次\n2023-03-05,B1,甲活动,甲,2,1\n2023-03-05,B1,无批次,丙,1,1\n"
    for n in range(2):  # the second file meets the first's key, its activity and the record without a batch
        prepared = ingest.prepare(hand_store, f"v{n}.csv", raw.replace("2,1", f"{n + 2},1").encode())
        assert len(prepared.set_aside) == 1 and prepared.set_aside[0].records.num_rows == _stored_of_shared_key(hand_store)
        if not ahead:
            prepared.set_aside = ()
        result = ingest.commit(hand_store, prepared)
        assert result.ok, result.errors
        assert refreshed[-1]["volunteer_daily"] == ("keys ahead" if ahead else "keys")
        assert db.check_derived(hand_store.cursor()) == []
    assert_derived_fresh(hand_store)
    cur = hand_store.cursor()
    # The set-aside records go with the transaction.
    assert cur.execute("select count(*) from duckdb_tables() where table_name like 'marked_%_records'").fetchall()[0][0] == 0


# One record on the shared key, as a frame to write by hand (not through an import).
ONE_RECORD = pd.DataFrame(
    {
        "activity_date": [date(2023, 3, 5)],
        "branch_code": ["B1"],
        "activity": ["又来"],
        "activity_type": ["甲"],
        "hours": [1.0],
        "person_times": [1],
    }
)
SHARED_KEY = "活动日期,支部编码,活动名称,活动类型,服务时长,人次\n2023-03-05,B1,{activity},甲,{hours},1\n"


def _stored_of_shared_key(store: db.Store) -> int:
    query = "select count(*) from volunteer_records where activity_date = date '2023-03-05' and branch_code = 'B1'"
    return int(store.cursor().execute(query).fetchall()[0][0])


def _import(store: db.Store, activity: str, hours: float = 1) -> int:
    result = ingest.commit(
        store, ingest.prepare(store, f"{activity}.csv", SHARED_KEY.format(activity=activity, hours=hours).encode())
    )
    assert result.ok, result.errors
    return result.batch_id


def test_records_read_ahead_are_not_used_once_a_write_changed_their_table(hand_store, monkeypatch):
    """A file prepared (its key's stored records read ahead: 先到's), then that batch undone, then the file imported: the
    commit sets the records aside itself. Using the ones read ahead would count 先到's hours again."""
    refreshed = _spy_refresh(monkeypatch)
    first = _import(hand_store, "先到", hours=5)
    prepared = ingest.prepare(hand_store, "late.csv", SHARED_KEY.format(activity="后到", hours=2).encode())
    assert prepared.set_aside[0].records.num_rows == _stored_of_shared_key(hand_store)
    ingest.undo(hand_store, first)
    assert ingest.commit(hand_store, prepared).ok
    assert refreshed[-1]["volunteer_daily"] == "keys"
    assert db.check_derived(hand_store.cursor()) == []
    assert_derived_fresh(hand_store)


def test_records_read_ahead_are_not_used_after_a_write_their_fingerprint_misses(hand_store, monkeypatch):
    """A write renaming an activity keeps the count and sums the fingerprint is made of; the data version this process
    keeps still tells. Using the records read before it would count 先到 and 后到 as two activities."""
    refreshed = _spy_refresh(monkeypatch)
    first = _import(hand_store, "先到")
    prepared = ingest.prepare(hand_store, "late.csv", SHARED_KEY.format(activity="后到", hours=2).encode())
    with hand_store.transaction() as cur:
        cur.execute("update volunteer_records set activity = '后到' where activity = '先到'")
        mark_batch(cur, "volunteer_records", first)
    assert ingest.commit(hand_store, prepared).ok
    assert refreshed[-1]["volunteer_daily"] == "keys"
    assert db.check_derived(hand_store.cursor()) == []
    assert_derived_fresh(hand_store)


def test_records_read_ahead_are_not_used_on_a_database_restored_since(hand_store, monkeypatch, tmp_path):
    """A backup restored between the preview and the import (no write this process counted: its data version is
    kept): the fingerprint stored in the restored file is not the one the records were read under."""
    from branchboard.backup import backup_to, restore_from

    refreshed = _spy_refresh(monkeypatch)
    before = backup_to(hand_store, tmp_path / "before.duckdb")
    _import(hand_store, "先到", hours=5)
    prepared = ingest.prepare(hand_store, "late.csv", SHARED_KEY.format(activity="后到", hours=2).encode())
    assert prepared.set_aside[0].records.num_rows == _stored_of_shared_key(hand_store)
    hand_store.close()
    restore_from(before, hand_store.path)
    restored = db.Store(hand_store.path)
    try:
        assert ingest.commit(restored, prepared).ok
        assert refreshed[-1]["volunteer_daily"] == "keys"
        assert db.check_derived(restored.cursor()) == []
        assert_derived_fresh(restored)
    finally:
        restored.close()


def test_records_read_ahead_for_other_keys_are_not_used(hand_store, monkeypatch):
    """Read ahead for one frame, then another frame written: its marked keys are not those read for."""
    refreshed = _spy_refresh(monkeypatch)
    _import(hand_store, "先到", hours=5)
    ahead = hand_store.set_aside_ahead("volunteer_records", ONE_RECORD.assign(branch_code="B2"))
    assert len(ahead) == 1
    with hand_store.transaction(set_aside=ahead) as cur:
        insert_frame(cur, "volunteer_records", ONE_RECORD, open_batch(cur, "test", "other keys", None, 1, "tests"))
    assert refreshed[-1]["volunteer_daily"] == "keys"
    assert db.check_derived(hand_store.cursor()) == []
    assert_derived_fresh(hand_store)


def test_records_read_ahead_are_not_used_when_the_write_also_removed_keys(hand_store, monkeypatch):
    """A write that adds the rows read for and also takes another batch's rows away (as an undo does) needs the stored
    records of the keys it removed from, which were not read ahead: it sets them aside itself."""
    refreshed = _spy_refresh(monkeypatch)
    _import(hand_store, "先到")
    other = "活动日期,支部编码,活动名称,活动类型,服务时长,人次\n2023-07-01,B2,{activity},乙,1,1\n"
    gone, _ = (
        ingest.commit(hand_store, ingest.prepare(hand_store, f"{a}.csv", other.format(activity=a).encode())).batch_id
        for a in ("甲", "乙")
    )
    ahead = hand_store.set_aside_ahead("volunteer_records", ONE_RECORD)
    with hand_store.transaction(set_aside=ahead) as cur:
        insert_frame(cur, "volunteer_records", ONE_RECORD, open_batch(cur, "test", "adds and removes", None, 1, "tests"))
        mark_batch(cur, "volunteer_records", gone)
        cur.execute("delete from volunteer_records where batch_id = $b", {"b": gone})
    assert refreshed[-1]["volunteer_daily"] == "keys"
    assert db.check_derived(hand_store.cursor()) == []
    assert_derived_fresh(hand_store)


def test_a_record_stored_by_hand_under_the_new_batch_id_is_counted_once(hand_store, monkeypatch):
    """The full rebuild reads such a record once, with the batch; so does the keyed refresh, with the records read
    ahead (which hold it too: they were read before the batch existed) or without."""
    refreshed = _spy_refresh(monkeypatch)
    upcoming = hand_store.cursor().execute("select max(batch_id) + 1 from import_batches").fetchall()[0][0]
    with hand_store.transaction() as cur:
        cur.execute(
            "insert into volunteer_records (activity_date, branch_code, activity, activity_type, hours, person_times, batch_id) "
            "values (date '2023-03-05', 'B1', '手补', '乙', 3, 1, $b)",
            {"b": upcoming},
        )
        mark_batch(cur, "volunteer_records", upcoming)
    assert _import(hand_store, "新活动") == upcoming
    assert refreshed[-1]["volunteer_daily"] == "keys ahead"
    assert db.check_derived(hand_store.cursor()) == []
    assert_derived_fresh(hand_store)


def test_a_file_inserted_through_arrow_uses_the_records_read_ahead(hand_store, monkeypatch):
    """From 10,000 rows a frame is inserted as an Arrow table (batches._scannable), not as pandas: its keys hash the
    same as those read ahead for, so the records read ahead are used, and the tables agree with a full rebuild."""
    refreshed = _spy_refresh(monkeypatch)
    _import(hand_store, "先到")
    lines = ["活动日期,支部编码,党员编号,活动名称,活动类型,服务时长,人次"]
    days = pd.date_range("2023-01-01", periods=500).strftime("%Y-%m-%d")
    lines += [f"{day},B{n % 4 + 1},M{n},活动{n % 7},甲,1.25,1" for n, day in enumerate(days.repeat(24))]
    result = ingest.commit(hand_store, ingest.prepare(hand_store, "big.csv", "\n".join(lines).encode()))
    assert result.ok and result.rows == 12_000, result.errors
    assert refreshed[-1]["volunteer_daily"] == "keys ahead"
    assert db.check_derived(hand_store.cursor()) == []
    assert_derived_fresh(hand_store)


def test_nothing_is_read_ahead_into_a_database_without_records(tmp_path):
    store = db.Store(tmp_path / "empty.duckdb")
    try:
        frame = pd.DataFrame({"activity_date": [date(2023, 3, 5)], "branch_code": ["B1"]})
        assert store.set_aside_ahead("volunteer_records", frame) == ()
    finally:
        store.close()


def test_no_more_records_are_read_ahead_than_a_quarter_of_the_frame_has_rows(hand_store, monkeypatch):
    """A file meeting keys with many stored records does not hold them all in memory until its commit (the Import
    page keeps prepared files): up to a quarter of its rows, or AHEAD_AT_LEAST."""
    for n in range(3):
        _import(hand_store, f"先到{n}")
    one = pd.DataFrame({"activity_date": [date(2023, 3, 5)], "branch_code": ["B1"]})
    stored = _stored_of_shared_key(hand_store)
    assert stored >= 3 and hand_store.set_aside_ahead("volunteer_records", one)[0].records.num_rows == stored
    monkeypatch.setattr(db, "AHEAD_AT_LEAST", stored - 1)
    assert hand_store.set_aside_ahead("volunteer_records", one) == ()
    monkeypatch.setattr(db, "AHEAD_AT_LEAST", 0)
    assert hand_store.set_aside_ahead("volunteer_records", one.loc[[0] * (4 * stored - 1)]) == ()
    assert hand_store.set_aside_ahead("volunteer_records", one.loc[[0] * (4 * stored)])[0].records.num_rows == stored


def test_a_first_look_at_a_file_reads_nothing_ahead(hand_store):
    """The Import page's look at a file before its kind is chosen is never committed (read_ahead=False)."""
    _import(hand_store, "先到")
    raw = SHARED_KEY.format(activity="后到", hours=2).encode()
    assert len(ingest.prepare(hand_store, "late.csv", raw).set_aside) == 1
    assert ingest.prepare(hand_store, "late.csv", raw, read_ahead=False).set_aside == ()


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


def _volunteer_csv(rng: random.Random, tag: int) -> bytes:
    """A few records on the hand dataset's branches, on dates and activities that often meet stored ones (so an
    activity gets records from several batches and of several types)."""
    lines = ["活动日期,支部编码,党员编号,活动名称,活动类型,服务时长,人次"]
    for i in range(rng.randint(1, 6)):
        lines.append(
            ",".join(
                [
                    rng.choice(["2023-03-05", "2023-07-01", "2022-12-31", "2024-01-02"]),
                    rng.choice(["B1", "B2", "B3", "B4"]),
                    f"M{tag}-{i}",
                    rng.choice(["A", "B", "Z"]),
                    rng.choice(["甲", "乙", ""]),
                    str(rng.choice([0.5, 1, 1.25, 2.75, 3])),
                    str(rng.randint(1, 3)),
                ]
            )
        )
    return "\n".join(lines).encode()


def _scores_csv(rng: random.Random) -> bytes:
    """Whole periods of some branches (each replaces what is stored for that branch and period)."""
    lines = ["期次,支部编码,项目编码,得分"]
    for period in rng.sample(["2022", "2023", "2024"], rng.randint(1, 2)):
        for branch in rng.sample(["B1", "B2", "B3", "B4"], rng.randint(1, 3)):
            for item, top in (("X1", 50), ("X2", 30), ("X3", 20)):
                lines.append(f"{period},{branch},{item},{rng.randint(0, top * 2) / 2:g}")
    return "\n".join(lines).encode()


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_refreshing_only_the_marked_keys_gives_the_tables_a_full_rebuild_gives(hand_store, monkeypatch, seed):
    """Imports that add, imports that replace and undos, in a random order: after every write the pre-aggregates
    equal a full rebuild from the facts, and most writes took the incremental path (not a rebuild in disguise)."""
    modes: list[str] = []
    real = db.refresh_derived

    def spy(cur, full=False, **kw):
        refreshed = real(cur, full, **kw)
        modes.extend(refreshed.values())
        return refreshed

    monkeypatch.setattr(db, "refresh_derived", spy)
    rng = random.Random(seed)
    batches: list[int] = []
    for step in range(14):
        action = rng.choice(["volunteer", "volunteer", "scores", "undo"] if batches else ["volunteer", "scores"])
        if action == "undo":
            batch = rng.choice(batches)
            try:
                ingest.undo(hand_store, batch)
                batches.remove(batch)
            except ingest.IngestError:
                pass  # refused (nothing changed): it would orphan later facts
        else:
            raw = _volunteer_csv(rng, step) if action == "volunteer" else _scores_csv(rng)
            prepared = ingest.prepare(hand_store, f"{step}.csv", raw)
            if step % 2:  # every other file without its records read ahead: the write sets them aside
                prepared.set_aside = ()
            result = ingest.commit(hand_store, prepared)
            assert result.ok or result.errors[0].code in ("same_file", "same_content"), result.errors
            if result.ok:
                batches.append(result.batch_id)
        assert db.check_derived(hand_store.cursor()) == [], f"seed {seed}, step {step}: {action}"
        assert_derived_fresh(hand_store)
    assert modes.count("keys") + modes.count("keys ahead") >= 8 and "full" not in modes, modes
    assert "keys ahead" in modes, modes


@pytest.mark.slow
def test_the_demo_replacing_everything_rebuilds_the_pre_aggregates_whole(tmp_path, demo_db_path):
    store = demo_store(tmp_path, demo_db_path)
    demo.load(store, demo.generate(seed=3, today=DEMO_TODAY))
    assert db.check_derived(store.cursor()) == []
    assert_derived_fresh(store)
    store.close()


def test_the_consistency_check_finds_a_pre_aggregate_that_disagrees(hand_store):
    cur = hand_store.cursor()
    assert db.check_derived(cur) == []
    cur.execute("update volunteer_daily set hours = hours + 1 where branch_code = 'B1'")
    assert db.check_derived(cur) == ["volunteer_daily"]
    with hand_store.transaction() as write:
        assert db.refresh_derived(write, full=True) == {"volunteer_daily": "full", "assessment_totals": "full"}
    assert db.check_derived(cur) == []


def test_an_undo_brings_back_totals_of_a_key_whose_scores_had_left_the_checklist(hand_store):
    """(2023, B1) scored on items of another checklist has no total; undoing that import brings back its scores on
    the checklist in force, and its total with them (a key the table did not hold, marked by an undo)."""

    def commit(raw: str, kind: str | None = None) -> int:
        result = ingest.commit(hand_store, ingest.prepare(hand_store, "f.csv", raw.encode(), kind=kind))
        assert result.ok, result.errors
        return result.batch_id

    other = commit("项目编码,维度,项目名称,满分\nY1,甲,一项,50\nY2,甲,二项,30\nY3,乙,三项,20\n", kind="standards")
    rescored = commit("期次,支部编码,项目编码,得分\n2023,B1,Y1,40\n2023,B1,Y2,20\n2023,B1,Y3,10\n")
    ingest.undo(hand_store, other)
    cur = hand_store.cursor()
    assert cur.execute("select count(*) from assessment_totals where period = '2023' and branch_code = 'B1'").fetchone()[0] == 0
    ingest.undo(hand_store, rescored)
    assert db.check_derived(cur) == []
    assert (
        cur.execute("select total_score from assessment_totals where period = '2023' and branch_code = 'B1'").fetchone()[0] == 100
    )
