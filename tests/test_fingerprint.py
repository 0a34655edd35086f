"""What is built once and shared (figures, tables) is keyed on a fingerprint of its inputs: equal exactly when the
content is. A cached query result stands for itself by where it came from instead of by hashing its cells."""

from __future__ import annotations

import gc
import threading
import time

import pandas as pd
import pytest

from branchboard import fingerprint as fp
from branchboard.db import Store
from branchboard.ui import widgets


def _store(path) -> Store:
    store = Store(path)
    with store.transaction() as cur:
        cur.execute("insert into units (unit_name) values ('甲单位'), ('乙单位')")
    return store


def test_a_cached_query_result_is_known_by_its_origin_and_a_write_gives_a_new_one(tmp_path):
    store = _store(tmp_path / "a.duckdb")
    units = store.query("common__units")
    assert store.query("common__units") is units  # the cache's own frame
    assert fp.fingerprint(units)[0] == "vouched"  # no cells hashed
    assert fp.fingerprint(units) == fp.fingerprint(store.query("common__units"))

    with store.transaction() as cur:
        cur.execute("insert into units (unit_name) values ('丙单位')")
    after = store.query("common__units")
    assert len(after) == len(units) + 1
    assert fp.fingerprint(after) != fp.fingerprint(units)  # the data version is part of the origin


def test_another_database_with_the_same_query_and_version_is_another_origin(tmp_path):
    one, other = _store(tmp_path / "one.duckdb"), _store(tmp_path / "other.duckdb")
    with other.transaction() as cur:
        cur.execute("update units set unit_name = '丁单位' where unit_name = '甲单位'")
    with one.transaction() as cur:
        cur.execute("select 1")  # the same number of writes, so the same data version
    assert one.data_version() == other.data_version()
    a, b = one.query("common__units"), other.query("common__units")
    assert not a.equals(b)
    assert fp.fingerprint(a) != fp.fingerprint(b)


def test_a_frame_made_from_a_result_is_hashed_and_equals_an_equal_frame(tmp_path):
    units = _store(tmp_path / "a.duckdb").query("common__units")
    copy = units.copy()
    assert fp.origin(copy) is None
    assert fp.fingerprint(copy) == fp.fingerprint(units.copy())  # by content
    assert fp.fingerprint(copy) != fp.fingerprint(units.assign(extra=1))


def test_a_collected_frame_leaves_no_origin_behind():
    frame = pd.DataFrame({"a": [1, 2]})
    fp.vouch(frame, ("test", 1))
    key = id(frame)
    assert fp.origin(frame) == ("test", 1)
    del frame
    gc.collect()
    assert key not in fp._ORIGINS
    stranger = pd.DataFrame({"a": [3]})  # may well get the same id: it is not taken for the collected frame
    assert fp.origin(stranger) is None


def test_a_table_is_converted_once_for_the_same_rows_and_again_for_other_rows():
    frame = pd.DataFrame({"branch_name": ["一支部", "二支部"], "compliance_rate": [0.5, 0.8125], "branch_code": ["A", "B"]})
    columns = {"branch_name": "支部", "compliance_rate": "达标率", "branch_code": "编码"}
    shown, formats = widgets._table_as_shown(frame, columns)
    assert widgets._table_as_shown(frame.copy(), columns)[0] is shown  # equal rows: the table made before
    assert shown.column_names == ["支部", "达标率", "编码"]
    assert shown.column("达标率").to_pylist() == [50.0, 81.25]  # a rate shown as a percentage
    assert formats["达标率"]["type_config"]["format"] == "%.1f%%"
    changed = frame.assign(compliance_rate=[0.5, 0.9])
    assert widgets._table_as_shown(changed, columns)[0].column("达标率").to_pylist() == [50.0, 90.0]


def test_built_once_per_origin_and_found_by_content_after_a_write_that_left_the_rows_alone(tmp_path, monkeypatch):
    store = _store(tmp_path / "a.duckdb")
    cache = fp.LRU(16)
    builds: list[int] = []

    def build_from(frame):
        def build():
            builds.append(len(frame))
            return ("built", len(frame))

        return build

    units = store.query("common__units")
    first = fp.shared_build(cache, "units", (units,), build_from(units))
    hashed: list[object] = []
    real = fp.pd.util.hash_pandas_object
    monkeypatch.setattr(fp.pd.util, "hash_pandas_object", lambda *a, **k: hashed.append(1) or real(*a, **k))
    assert fp.shared_build(cache, "units", (store.query("common__units"),), build_from(units)) is first
    assert builds == [2] and not hashed  # the same origin: nothing built, nothing hashed

    with store.transaction() as cur:
        cur.execute("select 1")  # a write transaction that changed nothing
    again = store.query("common__units")  # a new data version, the same rows
    assert fp.origin(again) != fp.origin(units)
    assert fp.shared_build(cache, "units", (again,), build_from(again)) is first
    assert builds == [2] and hashed  # found by its content

    with store.transaction() as cur:
        cur.execute("insert into units (unit_name) values ('丙单位')")
    grown = store.query("common__units")
    assert fp.shared_build(cache, "units", (grown,), build_from(grown)) == ("built", 3)
    assert builds == [2, 3]


def test_a_frame_of_lists_is_built_every_time_instead_of_failing():
    """compliance__branch_results carries each branch's weakest items as a list: pandas cannot hash that."""
    import pytest

    lists = pd.DataFrame({"branch_code": ["A", "B"], "weakest_item_codes": [["B4", "C2"], ["A1"]]})
    with pytest.raises(fp.NotFingerprintable):
        fp.fingerprint(lists)
    made: list[int] = []
    cache = fp.LRU(4)
    for _ in range(2):
        fp.shared_build(cache, "lists", (lists,), lambda: made.append(1) or len(made))
    assert made == [1, 1]


def test_a_vouched_frame_of_lists_is_keyed_by_its_origin_alone():
    lists = pd.DataFrame({"branch_code": ["A"], "weakest_item_codes": [["B4"]]})
    fp.vouch(lists, ("test", "lists"))
    made: list[int] = []
    cache = fp.LRU(4)
    for _ in range(2):
        assert fp.shared_build(cache, "lists", (lists,), lambda: made.append(1) or "made") == "made"
    assert made == [1]


def test_a_missing_cell_is_not_the_text_nan():
    missing = pd.DataFrame({"unit_name": pd.array([None, "甲"], dtype="str")})
    text = pd.DataFrame({"unit_name": pd.array(["nan", "甲"], dtype="str")})
    assert fp.fingerprint(missing) != fp.fingerprint(text)
    assert fp.fingerprint(pd.Index(["nan"])) != fp.fingerprint(pd.Index([None], dtype="str"))


def test_emptying_the_query_cache_gives_results_a_new_origin(tmp_path):
    store = _store(tmp_path / "a.duckdb")
    before = fp.origin(store.query("common__units"))
    store.clear_cache()
    assert fp.origin(store.query("common__units")) != before


def test_a_value_computed_while_a_write_committed_is_not_kept(tmp_path):
    store = _store(tmp_path / "a.duckdb")
    calls: list[int] = []

    def racing() -> int:  # a write commits while the value is being worked out
        calls.append(1)
        if len(calls) == 1:
            with store.transaction() as cur:
                cur.execute("insert into units (unit_name) values ('丙单位')")
        return len(store.query("common__units"))

    before = store.data_version()
    assert store.computed("units", (), racing) == 3
    # A run still at the version before the write must not be handed the value worked out from after it.
    assert store._cache.get(("computed", "units", (), before)) is None
    assert store.computed("units", (), racing) == 3 and len(calls) == 2  # worked out again at the new version …
    assert store.computed("units", (), racing) == 3 and len(calls) == 2  # … and kept


def _at_once(n: int, work) -> list:
    """`work()` from `n` threads released together; their results in thread order (an error fails the test)."""
    start, results, errors = threading.Barrier(n), [None] * n, []

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work()
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads), "a thread is still waiting: a lock was never released"
    assert not errors, errors
    return results


def test_sessions_asking_at_once_for_what_no_one_has_built_build_it_once():
    """Twenty sessions opening one link together (a meeting, or right after an import): the figure is built by one,
    the others wait for it and get the same one."""
    cache = fp.LRU(16)
    frame = pd.DataFrame({"unit_name": ["甲单位", "乙单位"], "rate": [0.5, 0.75]})
    builds: list[int] = []

    def build():
        builds.append(1)
        time.sleep(0.2)  # long enough for every other thread to arrive meanwhile
        return object()

    figures = _at_once(8, lambda: fp.shared_build(cache, "units", (frame,), build))
    assert len(builds) == 1 and all(f is figures[0] for f in figures)
    assert not cache._working  # nothing left behind for the next key


def _slow_unit_queries(store: Store, monkeypatch, meanwhile=None) -> list[str]:
    """Every query of units through `store` takes 0.2 s (long enough for every other thread to arrive) and is
    recorded in the list returned; `meanwhile()` runs at the start of the first one."""
    runs: list[str] = []
    real = Store.cursor

    class Slow:
        def __init__(self, cur):
            self.cur = cur

        def execute(self, sql, *args):
            if "unit_name" in sql:
                runs.append(sql)
                if len(runs) == 1 and meanwhile is not None:
                    meanwhile()
                time.sleep(0.2)
            return self.cur.execute(sql, *args)

    monkeypatch.setattr(Store, "cursor", lambda self: Slow(real(self)))
    return runs


def test_sessions_asking_at_once_for_a_query_no_one_has_run_run_it_once(tmp_path, monkeypatch):
    store = _store(tmp_path / "a.duckdb")
    runs = _slow_unit_queries(store, monkeypatch)
    frames = _at_once(8, lambda: store.query("common__units"))
    assert len(runs) == 1 and all(f is frames[0] for f in frames) and len(frames[0]) == 2
    summaries = _at_once(8, lambda: store.computed("units", (), lambda: (runs.append("computed"), time.sleep(0.2))))
    assert runs.count("computed") == 1 and all(s is summaries[0] for s in summaries)


def test_a_build_that_fails_leaves_the_next_session_to_try_again():
    cache = fp.LRU(16)
    frame = pd.DataFrame({"x": [1]})

    def broken():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fp.shared_build(cache, "x", (frame,), broken)
    # from another thread: the lock is re-entrant, so this one would get it again even if it had been left held
    assert _at_once(1, lambda: fp.shared_build(cache, "x", (frame,), lambda: "built")) == ["built"]
    assert not cache._working


def test_what_could_not_be_kept_is_handed_to_the_sessions_that_waited_for_it(tmp_path, monkeypatch):
    """A write commits while the query runs: its rows are not kept (they may be either version's), but the sessions
    that waited for them get them instead of running the query again one after the other."""
    store = _store(tmp_path / "a.duckdb")

    def write() -> None:
        with store.transaction() as cur:
            cur.execute("select 1")  # a write committed while the query runs

    runs = _slow_unit_queries(store, monkeypatch, meanwhile=write)
    frames = _at_once(8, lambda: store.query("common__units"))
    assert len(runs) == 1 and all(f is frames[0] for f in frames)
    assert fp.origin(frames[0]) is None  # not kept: not vouched for
