"""Schema, migrations, the query runner and its cache."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from branchboard import db
from branchboard.filters import FilterState
from branchboard.standards import DEFAULT_STANDARDS

QUERY_FILES = sorted(p.stem for p in db.QUERIES_DIR.glob("*.sql"))


def test_schema_has_the_design_tables_and_default_checklist(tmp_path):
    store = db.Store(tmp_path / "a.duckdb")
    tables = {r[0] for r in store.cursor().execute("select table_name from information_schema.tables").fetchall()}
    assert {
        "units",
        "branches",
        "standards",
        "assessment_scores",
        "tier_ratings",
        "volunteer_records",
        "import_batches",
        "settings",
    } <= tables
    standards = store.cursor().execute("select item_code, max_score from standards order by item_code").fetchall()
    assert len(standards) == 24
    assert sum(m for _, m in standards) == pytest.approx(100)
    assert dict(standards)["D1"] == 5 and dict(standards)["F2"] == 3.5
    assert store.settings() == {
        "pass_score": "80",
        "item_pass_ratio": "0.6",
        "compliance_target": "0.7",
        "tiers": "先进,较好,一般,后进",
        "tiers_en": "Advanced,Good,Average,Lagging",
    }
    assert len(DEFAULT_STANDARDS) == 24


def test_migrate_is_idempotent_and_keeps_data(tmp_path):
    path = tmp_path / "b.duckdb"
    store = db.Store(path)
    with store.transaction() as cur:
        cur.execute("update settings set value = '85' where key = 'pass_score'")
        cur.execute("insert into units values ('U', null, null)")
    store.close()
    again = db.Store(path)  # opening migrates again
    assert again.settings()["pass_score"] == "85"
    assert again.cursor().execute("select count(*) from units").fetchone()[0] == 1
    assert again.cursor().execute("select count(*) from standards").fetchone()[0] == 24


@pytest.mark.slow
def test_checks_reject_out_of_range_values(tmp_path):
    store = db.Store(tmp_path / "c.duckdb")
    with pytest.raises(duckdb.ConstraintException), store.transaction() as cur:
        cur.execute("insert into branches (branch_code, branch_name, unit_name, member_count) values ('x', 'x', 'u', -1)")
    assert store.cursor().execute("select count(*) from branches").fetchone()[0] == 0


def test_transaction_rolls_back_everything_on_error(tmp_path):
    store = db.Store(tmp_path / "d.duckdb")
    version = store.data_version()
    with pytest.raises(RuntimeError), store.transaction() as cur:
        cur.execute("insert into units values ('U', null, null)")
        raise RuntimeError("boom")
    assert store.cursor().execute("select count(*) from units").fetchone()[0] == 0
    assert store.data_version() == version


NOON = datetime(2024, 11, 15, 12)


@pytest.mark.slow
@pytest.mark.parametrize("name", QUERY_FILES)
def test_every_query_file_runs_with_named_parameters(hand_store, name):
    sql, declared = db.load_query(name)
    assert sql.lstrip().startswith("--"), "each query starts with a header comment"
    header_lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        header_lines.append(line)
    params_line = next((line for line in header_lines if "params:" in line), "")
    assert params_line, "the header comment lists the parameters"
    for p in declared:
        assert f"${p}" in params_line, f"{name}: ${p} missing from its header"
    params = {
        **FilterState().sql_params(),
        "period": "2023",
        "period_before": "2022",
        "period_after": "2023",
        "today": date(2024, 11, 15),
        "link_id": "no-such-link",
        # a checklist to compare with (standards__replacement_effect): X3 loses its veto
        "codes": ["X1", "X2", "X3"],
        "maxima": [50.0, 30.0, 20.0],
        "vetoes": [False, False, False],
        # the writes' values (run in a transaction rolled back below)
        **{"key": "pass_score", "value": "80", "secret": "s", "name": "v", "page": "overview", "query": "", "created_by": "t"},
        **{"link_id": "L1", "label": None, "units": ["U1"], "start_page": "overview", "start_query": "", "event": "opened"},
        **{"created_at": NOON, "expires_at": None, "revoked_at": NOON, "happened_at": NOON, "undone_by": "t", "replaced": 0},
        **{"batch_id": 1, "kind": "branches", "file_name": "f.csv", "sha256": "s", "rows": 0, "imported_by": "t"},
        **{"sheet": None, "part_sha": "s", "content_hash": "c", "item_code": "Z9", "dimension": "d", "item_name": "n"},
        **{"max_score": 1, "veto": False, "dimension_en": "D", "item_name_en": "N", "tier": "先进"},
        # the default checklist's English names (standards__add_default_english), here for the hand dataset's items
        **{"dimensions": ["甲", "甲", "乙"], "names": ["一项", "二项", "三项"], "dimensions_en": ["A"] * 3},
        "names_en": ["One", "Two", "Three"],
    }
    for p in declared:
        assert p in params, f"{name} uses ${p}, which no test binds"
    cur = hand_store.cursor()
    cur.register("incoming_units", pd.DataFrame({"unit_name": ["U1"], "sector": [None]}))  # units__keep_sector's input
    try:
        if not db.is_write(sql):
            assert hand_store.query(name, params) is not None
            return
        with pytest.raises(ValueError, match="writes"):
            hand_store.query(name, params)  # a write never goes through the cached reader
        version = hand_store.data_version()
        with pytest.raises(RuntimeError, match="rolled back"), hand_store.transaction() as cur:
            db.run(cur, name, params).fetchall()
            raise RuntimeError("rolled back")
        assert hand_store.data_version() == version
    finally:
        cur.unregister("incoming_units")


def test_cache_is_invalidated_by_writes(hand_store):
    before = hand_store.query("branches__scope_totals", FilterState().sql_params())
    assert int(before.iloc[0]["branches"]) == 4
    with hand_store.transaction() as cur:
        cur.execute("delete from branches where branch_code = 'B4'")
    after = hand_store.query("branches__scope_totals", FilterState().sql_params())
    assert int(after.iloc[0]["branches"]) == 3


def test_query_names_cannot_escape_the_queries_folder(hand_store):
    with pytest.raises(ValueError):
        hand_store.query("../branchboard/schema")


def test_db_path_resolution(monkeypatch, tmp_path):
    monkeypatch.delenv("BRANCHBOARD_DB", raising=False)
    assert db.resolve_db_path() == db.DEFAULT_DB
    monkeypatch.setenv("BRANCHBOARD_DB", str(tmp_path / "env.duckdb"))
    assert db.resolve_db_path() == tmp_path / "env.duckdb"
    assert db.resolve_db_path(tmp_path / "arg.duckdb") == Path(tmp_path / "arg.duckdb")


def test_cursors_per_thread_read_concurrently(hand_store):
    from concurrent.futures import ThreadPoolExecutor

    def read(_):
        return int(hand_store.cursor().execute("select count(*) from assessment_scores").fetchone()[0])

    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(read, range(16))) == {18}


def test_two_stores_on_one_file_see_each_others_writes(tmp_path):
    first, second = db.Store(tmp_path / "d.duckdb"), db.Store(tmp_path / "d.duckdb")
    assert first.query("common__units").empty
    with second.transaction() as cur:
        cur.execute("insert into units values ('市档案馆', null, null)")
    assert first.data_version() == second.data_version()
    assert first.query("common__units")["unit_name"].tolist() == ["市档案馆"]  # not the cached empty result


def test_a_file_from_before_exact_decimals_is_converted_on_open(tmp_path):
    # A database written before issue 11 holds scores and hours as DOUBLE: opening it converts them to the exact
    # decimals of schema.sql, values rounded to the cent, the rest of the file kept.
    import re

    path = tmp_path / "old.duckdb"
    old_schema = re.sub(r"decimal\(\d+, 2\)", "double", (Path(db.__file__).parent / "schema.sql").read_text(encoding="utf-8"))
    conn = duckdb.connect(str(path))
    conn.execute(old_schema)
    conn.execute(
        "insert into standards by name select 'Z1' as item_code, '组织建设' as dimension, '旧标准' as item_name, 12.499999999 as max_score"
    )
    conn.close()
    store = db.Store(path)
    types = dict(
        store.cursor()
        .execute("select table_name, data_type from duckdb_columns() where column_name in ('max_score', 'score', 'hours')")
        .fetchall()
    )
    assert types["standards"] == "DECIMAL(9,2)" and types["volunteer_records"] == "DECIMAL(12,2)"
    assert store.cursor().execute("select max_score from standards where item_code = 'Z1'").fetchall() == [(Decimal("12.50"),)]
    store.close()
