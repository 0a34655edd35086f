"""The analysis pages' queries against hand-computed figures on the small dataset of conftest.py.

Dataset (2023): B1 (U1, 10 members) 50/30/20 = 100 pass; B2 (U1, 20) 45/20/15 = 80 but veto X3 below max;
B3 (U2, 5) 40/25/20 = 85 pass; B4 (U2, 15) 20/10/20 = 50. 2022: B1 40/20/20 = 80 pass, B2 30/15/10 = 55.
Dimensions: 甲 = X1 (50) + X2 (30), 乙 = X3 (20, veto). Item met: score >= 0.6 x max.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from branchboard.filters import FilterState

ALL = FilterState().sql_params()
Y2023 = FilterState(period_from="2023", period_to="2023").sql_params()


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


def test_compliance_by_unit(hand_reader):
    f = hand_reader.query("compliance__by_unit", {**ALL, "period": "2023"})
    assert rows(f, "unit_name", "assessed", "passed") == [("U1", 2, 1), ("U2", 2, 1)]
    assert f["compliance_rate"].tolist() == [0.5, 0.5]
    assert f["mean_score"].tolist() == [90.0, 67.5]
    f = hand_reader.query("compliance__by_unit", {**ALL, "period": "2022"})
    assert rows(f, "unit_name", "assessed", "passed") == [("U1", 2, 1)]


def test_dimension_score_is_sum_of_scores_over_sum_of_max(hand_reader):
    f = hand_reader.query("compliance__dimension_by_unit", {**ALL, "period": "2023"})
    got = {(r.unit_name, r.dimension): r.dimension_rate for r in f.itertuples()}
    assert got == pytest.approx({("U1", "甲"): 145 / 160, ("U1", "乙"): 35 / 40, ("U2", "甲"): 95 / 160, ("U2", "乙"): 1.0})
    assert f.loc[f["unit_name"] == "U1", "dimension"].tolist() == ["甲", "乙"]  # checklist order


def test_branch_results_below_the_line_with_weakest_items(hand_reader):
    f = hand_reader.query("compliance__branch_results", {**ALL, "period": "2023"})
    assert f["branch_code"].tolist() == ["B4", "B2", "B3", "B1"]  # lowest total first
    b4 = f.iloc[0]
    assert (b4.total_score, b4.gap_to_pass, bool(b4.passed), bool(b4.veto_failed)) == (50, 30, False, False)
    assert b4.items_not_met == 2  # X1 20 < 30, X2 10 < 18
    assert b4.weakest_items == "X2 二项、X1 一项、X3 三项"  # 10/30 < 20/50 < 20/20
    b2 = f.iloc[1]
    assert (b2.total_score, b2.gap_to_pass, bool(b2.passed), bool(b2.veto_failed)) == (80, 0, False, True)
    assert b2.items_not_met == 0
    assert f.loc[~f["passed"], "branch_code"].tolist() == ["B4", "B2"]
    unit = hand_reader.query("compliance__branch_results", {**FilterState(units=("U1",)).sql_params(), "period": "2023"})
    assert unit["branch_code"].tolist() == ["B2", "B1"]


def test_score_distribution_bins(hand_reader):
    f = hand_reader.query("compliance__score_distribution", {**ALL, "period": "2023"})
    assert rows(f, "bin_start", "branches", "at_or_above_pass") == [(50, 1, False), (80, 1, True), (85, 1, True), (95, 1, True)]
    assert f["branches"].sum() == 4


def test_volunteer_by_unit(hand_reader):
    f = hand_reader.query("volunteer__by_unit", Y2023)
    assert rows(f, "unit_name", "hours", "person_times", "activities", "active_branches", "members") == [
        ("U1", 12.0, 5, 1, 1, 30),
        ("U2", 6.0, 3, 1, 1, 20),
    ]
    assert f["hours_per_member"].tolist() == pytest.approx([12 / 30, 6 / 20])
    f = hand_reader.query("volunteer__by_unit", ALL)  # B4's 2022-12-31 record counts too
    assert rows(f, "unit_name", "hours", "activities", "active_branches") == [("U1", 12.0, 1, 1), ("U2", 11.0, 2, 2)]


def test_volunteer_by_unit_lists_units_without_service(hand_reader):
    f = hand_reader.query("volunteer__by_unit", FilterState(period_from="2022", period_to="2022").sql_params())
    assert rows(f, "unit_name", "hours") == [("U2", 5.0), ("U1", 0.0)]
    assert f["hours_per_member"].tolist() == pytest.approx([5 / 20, 0.0])


def test_volunteer_by_type_and_by_branch(hand_reader):
    t = hand_reader.query("volunteer__by_type", Y2023)
    assert len(t) == 1 and pd.isna(t.iloc[0]["activity_type"]) and t.iloc[0]["hours"] == 18.0
    b = hand_reader.query("volunteer__by_branch", Y2023)
    assert rows(b, "branch_code", "hours", "person_times", "activities") == [
        ("B1", 12.0, 5, 1),
        ("B3", 6.0, 3, 1),
        ("B2", 0.0, 0, 0),
        ("B4", 0.0, 0, 0),
    ]
    assert b["hours_per_member"].tolist() == pytest.approx([1.2, 1.2, 0.0, 0.0])
    # the page's figures agree with the Overview's totals
    assert b["hours"].sum() == 18.0


def test_tier_transitions_for_the_sankey(hand_reader):
    f = hand_reader.query("tiers__transitions", {**ALL, "period_before": "2022", "period_after": "2023"})
    assert rows(f, "tier_before", "tier_after", "branches") == [
        ("先进", "较好", 1),
        ("较好", "先进", 1),
        ("一般", "一般", 1),
        ("后进", "一般", 1),
    ]
    f = hand_reader.query(
        "tiers__transitions", {**FilterState(units=("U2",)).sql_params(), "period_before": "2022", "period_after": "2023"}
    )
    assert f["branches"].sum() == 2


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 11, 15), [("B1", "due_3m")]),  # due 2025-01-01
        (date(2024, 6, 1), []),  # 7 months before B1's due date
        (date(2024, 7, 15), [("B1", "due_6m")]),
        (date(2025, 12, 15), [("B1", "overdue"), ("B4", "due_6m")]),  # B4 due 2026-06-01
    ],
)
@pytest.mark.slow
def test_term_reminders(hand_reader, today, expected):
    f = hand_reader.query("branches__term_reminders", {**ALL, "today": today})
    assert rows(f, "branch_code", "term_status") == expected


def test_term_reminders_follow_filters_and_count_days(hand_reader):
    f = hand_reader.query("branches__term_reminders", {**FilterState(units=("U1",)).sql_params(), "today": date(2025, 2, 1)})
    assert rows(f, "branch_code", "term_status", "days_left") == [("B1", "overdue", -31)]
    assert f.iloc[0]["next_due"] == pd.Timestamp(2025, 1, 1)


def test_branch_profile_term_status(hand_reader):
    p = hand_reader.query("branch__profile", {"branch": "B1", "today": date(2024, 11, 15)}).iloc[0]
    assert (p.unit_name, p.member_count, p.term_status) == ("U1", 10, "due_3m")
    assert p.next_due == pd.Timestamp(2025, 1, 1)
    p = hand_reader.query("branch__profile", {"branch": "B2", "today": date(2024, 11, 15)}).iloc[0]
    assert p.term_status == "ok"
    p = hand_reader.query("branch__profile", {"branch": "B3", "today": date(2024, 11, 15)}).iloc[0]
    assert p.term_status == "unknown" and pd.isna(p.next_due)
    assert hand_reader.query("branch__profile", {"branch": "nope", "today": date(2024, 1, 1)}).empty


def test_branch_score_history_with_unit_and_committee_means(hand_reader):
    f = hand_reader.query("branch__score_history", {**ALL, "branch": "B2"})
    assert rows(f, "period", "total_score", "passed", "veto_failed") == [("2022", 55, False, True), ("2023", 80, False, True)]
    assert f["unit_mean"].tolist() == pytest.approx([67.5, 90.0])
    assert f["committee_mean"].tolist() == pytest.approx([67.5, (100 + 80 + 85 + 50) / 4])
    f = hand_reader.query("branch__score_history", {**Y2023, "branch": "B2"})
    assert f["period"].tolist() == ["2023"]


def test_branch_radar_against_unit_and_committee(hand_reader):
    f = hand_reader.query("branch__dimensions", {"branch": "B4", "period": "2023"})
    assert f["dimension"].tolist() == ["甲", "乙"]
    assert f["branch_rate"].tolist() == pytest.approx([30 / 80, 1.0])
    assert f["unit_rate"].tolist() == pytest.approx([(65 / 80 + 30 / 80) / 2, 1.0])
    assert f["committee_rate"].tolist() == pytest.approx([(1 + 65 / 80 + 65 / 80 + 30 / 80) / 4, (1 + 0.75 + 1 + 1) / 4])
    assert hand_reader.query("branch__dimensions", {"branch": "B4", "period": "2022"}).empty  # not assessed


def test_branch_items_volunteer_tiers_periods(hand_reader):
    items = hand_reader.query("branch__items", {"branch": "B4", "period": "2023"})
    assert rows(items, "item_code", "score", "met") == [("X1", 20, False), ("X2", 10, False), ("X3", 20, True)]
    assert items["committee_pass_rate"].tolist() == pytest.approx([0.75, 0.75, 1.0])
    vol = hand_reader.query("branch__volunteer_by_month", {**ALL, "branch": "B1"})
    assert rows(vol, "hours", "person_times", "activities") == [(12.0, 5, 1)]
    assert vol.iloc[0]["month"] == pd.Timestamp(2023, 3, 1)
    tiers = hand_reader.query("branch__tier_history", {**ALL, "branch": "B2"})
    assert rows(tiers, "period", "tier", "tier_rank") == [("2022", "后进", 4), ("2023", "一般", 3)]
    assert hand_reader.query("branch__periods", {**ALL, "branch": "B3"})["period"].tolist() == ["2023"]
    assert hand_reader.query("branch__periods", {**ALL, "branch": "B1"})["period"].tolist() == ["2022", "2023"]


def test_branch_options_mark_the_branches_in_the_filters(hand_reader):
    f = hand_reader.query("branch__options", FilterState(units=("U2",)).sql_params())
    assert f.loc[f["in_scope"], "branch_code"].tolist() == ["B3", "B4"]
    assert len(f) == 4
