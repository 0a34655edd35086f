"""A write that names the tables it changes (a saved view, a link, an import of scores, tiers or volunteer records)
moves the data version of the queries reading them only: the others keep their cached results. Each such write is
checked here against what it really changed, table by table."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date

import pytest
from ingest_helpers import csv_bytes

from branchboard import db, ingest, links, views
from branchboard.filters import FilterState
from branchboard.settings import session_secret

UNIT = "市气象局"


def table_states(store: db.Store) -> dict[str, tuple]:
    """Every stored table's row count and a sum of its rows' hashes: equal before and after means unchanged."""
    cur = store.cursor()
    names = [r[0] for r in cur.execute("select table_name from duckdb_tables() where not temporary").fetchall()]
    return {t: tuple(cur.execute(f'select count(*), coalesce(sum(hash(r)), 0) from "{t}" as r').fetchall()[0]) for t in names}


def _import(store: db.Store, name: str, data: bytes) -> None:
    prepared = ingest.prepare(store, name, data)
    assert prepared.errors == [], [e.message() for e in prepared.errors]
    assert ingest.commit(store, prepared, "tests").ok


def _codes(store: db.Store, n: int) -> list[str]:
    return [c for (c,) in store.cursor().execute("select branch_code from branches order by 1 limit $n", {"n": n}).fetchall()]


def _items(store: db.Store) -> list[str]:
    return [c for (c,) in store.cursor().execute("select item_code from standards order by 1").fetchall()]


def tiers_new_period(store: db.Store) -> None:
    _import(store, "定级.csv", csv_bytes([["期次", "支部编码", "档次"]] + [["2031", c, "先进"] for c in _codes(store, 3)]))


def tiers_replacing(store: db.Store) -> None:
    period = store.cursor().execute("select max(period) from tier_ratings").fetchall()[0][0]
    _import(store, "定级.csv", csv_bytes([["期次", "支部编码", "档次"]] + [[period, c, "后进"] for c in _codes(store, 2)]))


def scores_replacing(store: db.Store) -> None:
    period, code = store.cursor().execute("select max(period), min(branch_code) from assessment_scores").fetchall()[0]
    _import(
        store, "评分.csv", csv_bytes([["期次", "支部编码", "项目编码", "得分"]] + [[period, code, i, 0] for i in _items(store)])
    )


def volunteer_records(store: db.Store) -> None:
    rows = [["活动日期", "支部编码", "活动名称", "活动类型", "服务时长", "人次"]]
    rows += [["2026-05-04", c, "义务植树", "生态环保", "2.5", 3] for c in _codes(store, 4)]
    _import(store, "志愿.csv", csv_bytes(rows))


def save_view(store: db.Store) -> None:
    assert views.save_view(store, "周例会", "overview", f"unit={UNIT}", None) == views.SAVED


def delete_view(store: db.Store) -> None:
    save_view(store)
    views.delete_view(store, "周例会")


def create_link(store: db.Store) -> None:
    links.create(store, session_secret(store), [UNIT], expires_at=None)


def revoke_link(store: db.Store) -> None:
    link_id, _ = links.create(store, session_secret(store), [UNIT], expires_at=None)
    assert links.revoke(store, link_id)


WRITES: dict[str, Callable[[db.Store], None]] = {
    "tiers of a new period": tiers_new_period,
    "tiers replacing a period's": tiers_replacing,
    "scores replacing a branch's": scores_replacing,
    "volunteer records": volunteer_records,
    "a saved view": save_view,
    "a saved view deleted": delete_view,
    "a share link": create_link,
    "a share link revoked": revoke_link,
}


@pytest.mark.parametrize("write", WRITES)
def test_every_table_a_write_changes_gets_its_version(store, write):
    session_secret(store)  # (made on first use: not part of the write under test)
    before = table_states(store)
    old = {t: store.version_of([t]) for t in before}
    WRITES[write](store)
    after = table_states(store)
    # (share_link_events is a log: written by append_log without a version, read past the cache, fresh=True)
    changed = {t for t in after if before.get(t) != after[t]} - {"share_link_events"}
    assert changed, "the write changed nothing"
    version = store.data_version()
    assert {t for t in changed if store.version_of([t]) != version} == set()
    # ... and it named its tables: some tables kept their version (else this only tests the global bump)
    assert [t for t in before if store.version_of([t]) == old[t]]


def test_a_saved_view_keeps_the_pages_results_and_lists_itself(store):
    params = FilterState().sql_params()
    totals = store.query("volunteer__totals", params)
    by_unit = store.query("compliance__by_unit", params)
    assert store.query("common__saved_views").empty
    save_view(store)
    assert store.query("volunteer__totals", params) is totals  # the same cached frame: nothing was run again
    assert store.query("compliance__by_unit", params) is by_unit
    assert store.query("common__saved_views")["name"].tolist() == ["周例会"]


def test_a_volunteer_import_keeps_compliance_results_and_refreshes_volunteer_ones(store):
    params = FilterState().sql_params()
    hours = store.query("volunteer__totals", params)["hours"].iloc[0]
    by_unit = store.query("compliance__by_unit", params)
    mix = store.query("tiers__mix", params)
    volunteer_records(store)
    assert store.query("compliance__by_unit", params) is by_unit
    assert store.query("tiers__mix", params) is mix
    assert store.query("volunteer__totals", params)["hours"].iloc[0] == hours + 10  # four branches × 2.5 hours
    assert store.query("volunteer__totals", params, fresh=True)["hours"].iloc[0] == hours + 10


def test_a_tier_import_refreshes_every_query_the_tier_filter_reads_through():
    """Every page query selects its branches through scoped_branches, whose tier filter reads tier_ratings (through
    a macro inside a macro): a tier import must move them all."""
    store = db.Store(":memory:")
    assert {"branches", "units", "tier_ratings", "volunteer_daily"} <= store.reads("volunteer__totals")
    assert "tier_ratings" in store.reads("compliance__by_unit")
    assert store.reads("common__saved_views") == {"saved_views"}
    assert "volunteer_records" in store.reads("database__tables")  # the catalog lists every table: reads them all
    store.close()


def test_a_write_naming_nothing_moves_every_query(hand_store):
    params = FilterState().sql_params()
    saved = hand_store.query("common__saved_views")
    with hand_store.transaction() as cur:
        cur.execute("delete from branches where branch_code = 'B4'")
    assert hand_store.query("common__saved_views") is not saved
    assert int(hand_store.query("branches__scope_totals", params).iloc[0]["branches"]) == 3


def test_every_table_a_query_scans_is_among_those_it_reads(hand_store):
    """DuckDB's plan of each read query over the hand dataset, against Store.reads: none may be missing. (Values are
    given where a query compares with one: compared with null, DuckDB plans an empty result and scans nothing.)"""
    cur = hand_store.cursor()
    cur.execute("create temp view incoming_units as select * from units limit 0")  # (registered by the import)
    branch, period = cur.execute("select branch_code, period from assessment_scores limit 1").fetchall()[0]
    tier_periods = [p for (p,) in cur.execute("select distinct period from tier_ratings order by 1").fetchall()]
    values = {
        "today": date(2026, 1, 1),
        "branch": branch,
        "period": period,
        "period_before": tier_periods[0],
        "period_after": tier_periods[-1],
        "batch_id": 1,
        "tier": hand_store.tiers()[0],
    }
    unscanned = []
    for name in sorted(p.stem for p in db.QUERIES_DIR.glob("*.sql")):
        sql, declared = db.load_query(name)
        if db.is_write(sql):
            continue
        params = {
            k: values.get(k, "x" if k in ("link_id", "name", "created_by", "part_sha", "content_hash") else None)
            for k in declared
        }
        plan = "\n".join(row[1] for row in cur.execute("explain " + sql, params).fetchall())
        scanned = {t.lower() for t in re.findall(r"Table:\s*(?:\w+\.)*(\w+)", plan)} - {"incoming_units"}
        assert scanned <= hand_store.reads(name), (name, scanned - hand_store.reads(name))
        if not scanned:
            unscanned.append(name)
    # Those planned without a scan read one table the hand dataset leaves empty (batches, views, links) or are a
    # count DuckDB answers from its statistics: their text names that table, and the check above is for the rest.
    assert len(unscanned) <= 9, unscanned


def test_a_write_names_tables_that_exist(hand_store):
    with pytest.raises(TypeError), hand_store.transaction(changes="saved_views"):
        pass
    with pytest.raises(ValueError, match="saved_view"), hand_store.transaction(changes=("saved_view",)):
        pass


def test_versions_move_on_after_the_file_was_restored_to_an_older_one(tmp_path, hand_db_path):
    """A restore (with every Store closed) may leave the file at a lower version than this process handed out: the
    next write still moves past every version seen, so nothing cached before is served after it."""
    path = tmp_path / "hand.duckdb"
    shutil.copy(hand_db_path, path)
    first = db.Store(path)
    for _ in range(3):  # writes naming nothing, as a settings change is
        with first.transaction():
            pass
    first.close()
    shutil.copy(hand_db_path, path)  # the older file back
    second = db.Store(path)
    assert second.query("common__saved_views").empty
    save_view(second)
    assert second.query("common__saved_views")["name"].tolist() == ["周例会"]
    second.close()


def test_a_view_made_after_the_store_opened_is_followed(hand_store):
    assert hand_store.tables_read("select * from latest_views") == frozenset()
    with hand_store.transaction() as cur:  # names nothing: the catalog is read again
        cur.execute("create view latest_views as select name from saved_views")
    assert hand_store.tables_read("select * from latest_views") == {"saved_views"}
