"""Every metric definition of docs/design.md against the hand-computed dataset of conftest.py."""

from __future__ import annotations

from datetime import date

import pytest

from branchboard.filters import FilterState
from branchboard.metrics import latest_and_previous, overview_summary


def test_compliance_rate_counts_veto_failures_as_not_passed(hand_reader):
    s = overview_summary(hand_reader, FilterState())
    a = s["assessment"]
    # 2023: B1 100 pass; B2 80 but veto item X3 below max -> fail; B3 85 pass; B4 50 fail.
    assert a["period"] == "2023"
    assert (a["assessed"], a["passed"]) == (4, 2)
    assert a["compliance_rate"] == pytest.approx(0.5)
    assert a["mean_score"] == pytest.approx((100 + 80 + 85 + 50) / 4)


def test_item_pass_rate_and_weakest_items_tie_broken_by_code(hand_reader):
    a = overview_summary(hand_reader, FilterState())["assessment"]
    # met = score >= 0.6 x max: X1 >= 30 (3 of 4), X2 >= 18 (3 of 4), X3 >= 12 (4 of 4)
    assert a["item_pass_rate"] == {"X1": 0.75, "X2": 0.75, "X3": 1.0}
    assert a["weakest_items"] == ["X1", "X2", "X3"]


def test_pass_score_setting_changes_the_result(hand_store):
    with hand_store.transaction() as cur:
        cur.execute("update settings set value = '86' where key = 'pass_score'")
    a = overview_summary(hand_store, FilterState())["assessment"]
    assert a["passed"] == 1  # only B1 (100); B3's 85 is now below the line


def test_volunteer_hours_person_times_activities_and_hours_per_member(hand_reader):
    s = overview_summary(hand_reader, FilterState(period_from="2023", period_to="2023"))
    v = s["volunteer"]
    assert v["hours"] == pytest.approx(18.0)
    assert v["person_times"] == 8
    assert v["activities"] == 2  # the two B1 rows are one activity (same date, branch, activity)
    assert v["hours_per_member"] == pytest.approx(18.0 / 50)


def test_unit_and_sector_filters(hand_reader):
    s = overview_summary(hand_reader, FilterState(period_from="2023", period_to="2023", units=("U1",)))
    assert (s["branches"], s["members"]) == (2, 30)
    assert (s["assessment"]["assessed"], s["assessment"]["passed"]) == (2, 1)
    assert s["volunteer"]["hours_per_member"] == pytest.approx(12.0 / 30)
    s = overview_summary(hand_reader, FilterState(sectors=("S2",)))
    assert s["branches"] == 2
    assert s["assessment"]["compliance_rate"] == pytest.approx(0.5)


def test_tier_filter_uses_the_latest_tier_period_in_range(hand_reader):
    assert overview_summary(hand_reader, FilterState(tiers=("先进",)))["branches"] == 1  # B1 in 2023
    s = overview_summary(hand_reader, FilterState(tiers=("先进",), period_from="2022", period_to="2022"))
    assert s["branches"] == 1  # B4 in 2022
    assert s["assessment"]["assessed"] == 0  # B4 was not assessed in 2022
    assert s["assessment"]["compliance_rate"] is None


def test_tier_movement_promotions_demotions(hand_reader):
    t = overview_summary(hand_reader, FilterState())["tiers"]
    assert t["period"] == "2023"
    assert t["counts"] == {"先进": 1, "较好": 1, "一般": 2, "后进": 0}
    # B1 较好->先进 and B2 后进->一般 promoted, B4 先进->较好 demoted, B3 一般 unchanged
    assert (t["promoted"], t["demoted"], t["unchanged"]) == (2, 1, 1)


def test_lifted_from_worst_tier(hand_reader):
    moves = hand_reader.query(
        "tiers__movement",
        {**FilterState().sql_params(), "period_before": "2022", "period_after": "2023"},
    )
    assert moves.loc[moves["lifted_from_worst"], "branch_code"].tolist() == ["B2"]


def test_period_range_selects_the_earlier_year(hand_reader):
    a = overview_summary(hand_reader, FilterState(period_from="2022", period_to="2022"))["assessment"]
    assert a["period"] == "2022"
    assert (a["assessed"], a["passed"]) == (2, 1)  # B1 80 passes (>= 80), B2 55 fails


def test_period_in_range_macro_holds_shorter_periods():
    import duckdb

    from branchboard.db import migrate

    conn = duckdb.connect()
    migrate(conn)
    rows = conn.execute(
        "select p, period_in_range(p, $a, $b) from unnest(['2022', '2022-H1', '2022-Q3', '2023-Q1', '2021']) t(p)",
        {"a": date(2022, 1, 1), "b": date(2022, 12, 31)},
    ).fetchall()
    assert dict(rows) == {"2022": True, "2022-H1": True, "2022-Q3": True, "2023-Q1": False, "2021": False}


def test_empty_database_gives_nulls_not_errors(tmp_path):
    from branchboard.db import Store

    s = overview_summary(Store(tmp_path / "empty.duckdb"), FilterState())
    assert s["branches"] == 0
    assert s["assessment"]["period"] is None and s["assessment"]["compliance_rate"] is None
    assert s["volunteer"] == {"hours": 0.0, "person_times": 0, "activities": 0, "hours_per_member": None}
    assert s["tiers"]["period"] is None


def test_latest_and_previous_reaches_outside_the_range():
    assert latest_and_previous(["2021", "2022", "2023"], [False, True, False]) == ("2022", "2021")
    assert latest_and_previous(["2021"], [False]) == (None, None)
