"""Several sessions filtering while an import commits (issue 6): no error, no lock failure, and every session
sees the new data once the import is in.

The app is one process holding the one DuckDB connection, with a cursor per thread (branchboard.db.Store).
Here AppTest sessions, each driven from its own thread, and direct calls of the query layer from more threads
keep filtering while another thread imports a volunteer file; afterwards each of them reads the new totals.
"""

from __future__ import annotations

import random
import threading
import traceback

import pytest
from streamlit.testing.v1 import AppTest

from branchboard import db, ingest, metrics
from branchboard.filters import FilterState
from conftest import DEMO_TODAY, REPO
from conftest import shown as markdown_shown

SESSIONS = 3
QUERY_THREADS = 3
IMPORTED_HOURS = 1_230.0  # 61.5 hours on each of 20 rows: hours have at most two decimals


@pytest.fixture
def app_db(app_db, monkeypatch):
    """The shared app database, with the demo's "today" (term reminders and dates as the demo was made)."""
    monkeypatch.setenv("BRANCHBOARD_TODAY", DEMO_TODAY.isoformat())
    return app_db


def volunteer_file(store: db.Store) -> bytes:
    codes = [c for (c,) in store.cursor().execute("select branch_code from branches order by 1 limit 20").fetchall()]
    lines = ["活动日期,支部编码,活动名称,活动类型,服务时长,人次"]
    per_row = IMPORTED_HOURS / len(codes)
    for i, code in enumerate(codes):
        lines.append(f"{DEMO_TODAY.year - 1}-06-{(i % 28) + 1:02d},{code},并发导入活动,文明创建,{per_row},6")
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def one_parse_at_a_time(monkeypatch):
    """AppTest compiles the page scripts afresh on every run (a script cache per run), each session on its own
    thread; CPython 3.11's ast.parse can then fail with "AST constructor recursion depth mismatch" (CPython
    gh-106905). The server compiles each script once, under its one script cache's lock: here the sessions'
    compilations take turns under one lock too."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    lock = threading.Lock()
    get_bytecode = ScriptCache.get_bytecode

    def one_at_a_time(self, script_path: str):
        with lock:
            return get_bytecode(self, script_path)

    monkeypatch.setattr(ScriptCache, "get_bytecode", one_at_a_time)


@pytest.mark.slow
def test_sessions_filter_while_an_import_commits(app_db, one_parse_at_a_time):
    store = db.get_store(app_db)  # the store the app's pages get (one per file and process)
    hours_before = metrics.overview_summary(store, FilterState())["volunteer"]["hours"]
    expected = hours_before + IMPORTED_HOURS
    units = list(store.query("common__units")["unit_name"])
    periods = list(store.query("common__periods")["period"])
    tiers = store.tiers()

    importing, imported, overlapped = threading.Event(), threading.Event(), threading.Event()
    failures: list[str] = []
    seen_by_session: dict[int, str] = {}
    seen_by_thread: dict[int, float] = {}
    rounds: dict[str, int] = {}

    def record_failure(who: str) -> None:
        failures.append(f"{who}:\n{traceback.format_exc()}")

    def with_sidebar(at: AppTest) -> AppTest:
        # The same race as below: a run racing with another thread's may have drawn the page without its sidebar.
        # Such a run is drawn again before the filter is used (up to three times).
        for _ in range(3):
            if any(w.key == "flt_reset" for w in at.button):
                break
            at.run()
        return at

    def session(n: int) -> None:
        rng = random.Random(n)
        try:
            at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
            at.run()
            assert not at.exception, at.exception
            count = 0
            while not imported.is_set() or count < 2:
                choice = rng.choice(["unit", "tier", "period", "none"])
                with_sidebar(at)
                if choice == "unit":
                    at.multiselect(key="flt_units").set_value([rng.choice(units)]).run()
                elif choice == "tier":
                    at.multiselect(key="flt_tiers").set_value([rng.choice(tiers)]).run()
                elif choice == "period":
                    at.selectbox(key="flt_from").set_value(rng.choice(periods)).run()
                else:
                    at.button(key="flt_reset").click().run()
                assert not at.exception, at.exception
                count += 1
            with_sidebar(at).button(key="flt_reset").click().run()  # all branches, all periods: the committee's totals
            # Read the figure where it is shown. AppTest resets Streamlit's process-wide pages flag at the start
            # of every run, so a run racing with another thread's may draw the page without its cards; such a
            # run is drawn again (a stale figure would stay stale: the cache is keyed on the data version).
            shown: dict[str, str] = {}
            for _ in range(3):
                at.switch_page("pages/overview.py").run()
                assert not at.exception, at.exception
                shown = {markdown_shown(m.label): markdown_shown(m.value) for m in at.metric}
                if "志愿服务时长" in shown:
                    break
            assert "志愿服务时长" in shown, f"no KPI cards: titles {[t.value for t in at.title]}, {at.main}"
            seen_by_session[n] = shown["志愿服务时长"]
            rounds[f"session {n}"] = count
        except Exception:
            record_failure(f"session {n}")

    def query_thread(n: int) -> None:
        rng = random.Random(100 + n)
        try:
            count = 0
            while not imported.is_set() or count < 5:
                state = FilterState(
                    units=tuple(rng.sample(units, rng.randint(0, 2))),
                    tiers=tuple(rng.sample(tiers, rng.randint(0, 1))),
                    period_from=rng.choice([None, *periods]),
                )
                metrics.overview_summary(store, state)
                store.query("volunteer__by_unit", state.sql_params())
                store.query("compliance__by_unit", {**state.sql_params(), "period": periods[-1]})
                if importing.is_set() and not imported.is_set():
                    overlapped.set()  # this round ran while the import was under way
                count += 1
            seen_by_thread[n] = metrics.overview_summary(store, FilterState())["volunteer"]["hours"]
            rounds[f"queries {n}"] = count
        except Exception:
            record_failure(f"query thread {n}")

    def importer() -> None:
        importing.set()
        try:
            prepared = ingest.prepare(store, "并发.csv", volunteer_file(store))
            assert not prepared.errors, prepared.errors
            result = ingest.commit(store, prepared, imported_by="tests")
            assert result.ok, result.errors
        except Exception:
            record_failure("importer")
        finally:
            imported.set()

    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    threads += [threading.Thread(target=query_thread, args=(n,)) for n in range(QUERY_THREADS)]
    for t in threads:
        t.start()
    # Let the sessions get going before the import starts, so that it commits while they filter.
    writer = threading.Timer(1.0, importer)
    writer.start()
    writer.join()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a session hung"
    assert not failures, "\n".join(failures)
    assert overlapped.is_set(), "the import did not overlap the filtering"
    assert set(seen_by_session) == set(range(SESSIONS)) and set(seen_by_thread) == set(range(QUERY_THREADS))
    shown_hours = f"{expected:,.2f}".rstrip("0").rstrip(".")  # exact, as stored
    assert all(v == shown_hours for v in seen_by_session.values()), (seen_by_session, expected)
    assert all(v == pytest.approx(expected) for v in seen_by_thread.values()), (seen_by_thread, expected)
