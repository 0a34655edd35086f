"""Shared fixtures: a small hand-computed dataset, the demo, and cache hygiene between tests."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from ingest_helpers import demo_store

from branchboard import db, demo
from branchboard.batches import insert_frame, open_batch

REPO = Path(__file__).resolve().parent.parent
DEMO_TODAY = date(2026, 11, 22)


_MD_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: str) -> str:
    """What a markdown element shows: the page escapes names and values (branchboard.escape.md), AppTest hands
    over the markdown source."""
    return _MD_ESCAPED.sub(r"\1", markdown).replace("\u2060", "")


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Streamlit's caches and our stores persist in one process: start every test clean."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    db.close_all()
    yield
    db.close_all()


def load_hand_dataset(store: db.Store) -> None:
    """Four branches in two units, a 3-item checklist (X3 is a veto item), two years.

    Expected figures are worked out by hand in test_metrics.py.
    """
    with store.transaction() as cur:
        cur.execute("delete from standards")
        batch = open_batch(cur, "test", "hand", None, 0, "tests")
        insert_frame(
            cur,
            "standards",
            pd.DataFrame(
                {
                    "item_code": ["X1", "X2", "X3"],
                    "dimension": ["甲", "甲", "乙"],
                    "item_name": ["一项", "二项", "三项"],
                    "max_score": [50.0, 30.0, 20.0],
                    "veto": [False, False, True],
                }
            ),
            batch,
        )
        insert_frame(cur, "units", pd.DataFrame({"unit_name": ["U1", "U2"], "sector": ["S1", "S2"]}), batch)
        insert_frame(
            cur,
            "branches",
            pd.DataFrame(
                {
                    "branch_code": ["B1", "B2", "B3", "B4"],
                    "branch_name": ["一支部", "二支部", "三支部", "四支部"],
                    "unit_name": ["U1", "U1", "U2", "U2"],
                    "member_count": [10, 20, 5, 15],
                    "last_election_on": [date(2022, 1, 1), date(2024, 1, 1), None, date(2023, 6, 1)],
                }
            ),
            batch,
        )
        scores = {
            ("2022", "B1"): (40, 20, 20),
            ("2022", "B2"): (30, 15, 10),
            ("2023", "B1"): (50, 30, 20),
            ("2023", "B2"): (45, 20, 15),
            ("2023", "B3"): (40, 25, 20),
            ("2023", "B4"): (20, 10, 20),
        }
        rows = [
            (period, branch, item, float(score))
            for (period, branch), values in scores.items()
            for item, score in zip(("X1", "X2", "X3"), values, strict=True)
        ]
        insert_frame(
            cur,
            "assessment_scores",
            pd.DataFrame(rows, columns=["period", "branch_code", "item_code", "score"]),
            batch,
        )
        tiers = [
            ("2022", "B1", "较好"),
            ("2022", "B2", "后进"),
            ("2022", "B3", "一般"),
            ("2022", "B4", "先进"),
            ("2023", "B1", "先进"),
            ("2023", "B2", "一般"),
            ("2023", "B3", "一般"),
            ("2023", "B4", "较好"),
        ]
        insert_frame(cur, "tier_ratings", pd.DataFrame(tiers, columns=["period", "branch_code", "tier"]), batch)
        volunteer = pd.DataFrame(
            {
                "activity_date": [date(2023, 3, 5), date(2023, 3, 5), date(2023, 7, 1), date(2022, 12, 31)],
                "branch_code": ["B1", "B1", "B3", "B4"],
                "activity": ["A", "A", "B", "C"],
                "hours": [10.0, 2.0, 6.0, 5.0],
                "person_times": [4, 1, 3, 1],
            }
        )
        insert_frame(cur, "volunteer_records", volunteer, batch)


@pytest.fixture(scope="session")
def hand_db_path(tmp_path_factory) -> Path:
    """The hand dataset built once per test session (hand_store gives each test its own copy)."""
    path = tmp_path_factory.mktemp("hand") / "hand.duckdb"
    store = db.Store(path)
    load_hand_dataset(store)
    store.close()
    return path


@pytest.fixture
def hand_store(tmp_path, hand_db_path) -> db.Store:
    """A copy of the hand dataset, for this test to read and write."""
    path = tmp_path / "hand.duckdb"
    shutil.copy(hand_db_path, path)
    store = db.Store(path)
    yield store
    store.close()


@pytest.fixture(scope="session")
def hand_reader(tmp_path_factory, hand_db_path) -> db.Store:
    """The hand dataset opened once for every test that only reads it (opening a store costs a fifth of a second).
    A test that writes takes hand_store; a write through this one fails the session at its end."""
    path = tmp_path_factory.mktemp("hand-reader") / "hand.duckdb"
    shutil.copy(hand_db_path, path)
    store = db.Store(path)
    version = store.data_version()
    yield store
    assert store.data_version() == version, "a test wrote through hand_reader: give it hand_store"
    store.close()


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    """A demo database built once per test session (tests that write copy it first)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    store = db.Store(path)
    demo.load(store, demo.generate(today=DEMO_TODAY))
    store.close()
    return path


@pytest.fixture(scope="session")
def demo_reader(tmp_path_factory, demo_db_path) -> db.Store:
    """The demo database opened once for every test that only reads it (checks a file without importing it, drafts
    a report). A test that writes takes store; a write through this one fails the session at its end."""
    s = demo_store(tmp_path_factory.mktemp("demo-reader"), demo_db_path)
    version = s.data_version()
    yield s
    assert s.data_version() == version, "a test wrote through demo_reader: give it store"
    s.close()


@pytest.fixture
def store(tmp_path, demo_db_path) -> db.Store:
    """A copy of the demo database as a Store, for this test to read and write."""
    s = demo_store(tmp_path, demo_db_path)
    yield s
    s.close()


@pytest.fixture
def app_db(tmp_path, demo_db_path, monkeypatch) -> Path:
    """A copy of the demo database that the app under AppTest opens (BRANCHBOARD_DB)."""
    path = tmp_path / "app.duckdb"
    shutil.copy(demo_db_path, path)
    monkeypatch.setenv("BRANCHBOARD_DB", str(path))
    return path


@pytest.fixture
def drawn_figures(monkeypatch) -> list:
    """Every figure the pages draw in this test, captured on its way through the real st.plotly_chart."""
    import streamlit

    figures: list = []
    original = streamlit.plotly_chart

    def capture(fig, *args, **kwargs):
        figures.append(fig)
        return original(fig, *args, **kwargs)

    monkeypatch.setattr(streamlit, "plotly_chart", capture)
    return figures


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (the browser tests)."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
