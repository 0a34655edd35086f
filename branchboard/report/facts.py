"""The figures a 通报 states, gathered for one filter state from the queries the pages read.

Every number here is one a page shows for the same filters: the headline through `metrics.overview_summary`
(what `summary --json` prints), the rest through the same named queries the Compliance, Tiers, Volunteer and
Overview pages call, picking the same periods. Nothing is computed here that a page does not show; this module
only selects and rounds for the sentences (rounding at the precision the dashboard displays, so "持平" in the
text is exactly a change the dashboard shows as +0.0).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from branchboard import metrics
from branchboard.db import Store
from branchboard.filters import FilterState
from branchboard.i18n import t
from branchboard.names import DataNames, data_names


@dataclass
class ComplianceFacts:
    period: str | None
    previous: str | None
    assessed: int
    passed: int
    compliance_rate: float | None
    mean_score: float | None
    rate_change_pp: float | None  # percentage points, at the dashboard's one decimal
    mean_change: float | None  # points, at one decimal
    target: float
    pass_score: float
    weakest: list[dict[Hashable, Any]]  # item_code, item_name, dimension, pass_rate, met, assessed
    by_period: pd.DataFrame  # compliance__by_period
    by_unit: pd.DataFrame  # compliance__by_unit for the period
    below: pd.DataFrame  # compliance__branch_results rows not passed
    committee_rate: float | None = None  # a unit link's benchmark: the committee's 达标率 in the period
    # by_unit and, for a unit link, the 全工委平均 row (as the page draws it)
    benchmarked: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class TierFacts:
    period: str | None
    before: str | None
    tiers: list[str]
    counts: dict[str, int]
    promoted: int
    demoted: int
    unchanged: int
    worst_before: int  # branches in the worst tier in the period before (of those rated in both)
    lifted: int  # 帮扶转化: worst before, better now
    still_worst: pd.DataFrame  # worst in both periods
    mix: pd.DataFrame  # tiers__mix


@dataclass
class VolunteerFacts:
    first_date: date | None
    last_date: date | None
    hours: float
    person_times: int
    activities: int
    hours_per_member: float | None
    previous: FilterState | None  # the same-length window before, when the range is whole years
    previous_hours: float | None
    by_unit: pd.DataFrame  # volunteer__by_unit
    by_month: pd.DataFrame  # volunteer__by_month


@dataclass
class TermFacts:
    today: date
    overdue: int
    due_3m: int
    due_6m: int
    reminders: pd.DataFrame  # branches__term_reminders


@dataclass
class ReportFacts:
    state: FilterState
    branches: int
    members: int
    summary: dict[str, Any]  # overview_summary: what `summary --json` prints for the same filters
    compliance: ComplianceFacts
    tiers: TierFacts
    volunteer: VolunteerFacts
    terms: TermFacts
    data_as_of: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    names: DataNames | None = None  # tier, dimension and item names in the report's language (branchboard.names)


def _round1(value: float | None) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 1)


def _compliance(store: Store, state: FilterState, summary: dict[str, Any], names: DataNames) -> ComplianceFacts:
    params = state.sql_params()
    settings = store.settings()
    by_period = metrics.compliance_periods(store, state)
    period, previous = metrics.latest_and_previous(by_period["period"].tolist(), by_period["in_range"].tolist())
    a = summary["assessment"]
    rate_change = mean_change = None
    weakest: list[dict[Hashable, Any]] = []
    by_unit = below = pd.DataFrame()
    if period is not None:
        if previous is not None:
            before = by_period.loc[by_period["period"] == previous].iloc[0]
            # The Overview's KPI delta: (rate now - rate before) x 100, shown with one decimal.
            rate_change = _round1((a["compliance_rate"] - float(before["compliance_rate"])) * 100)
            mean_change = _round1(a["mean_score"] - float(before["mean_score"]))
        items = names.frame(store.query("compliance__item_pass_rates", {**params, "period": period}))
        weakest = items.head(metrics.WEAKEST_COUNT).to_dict(orient="records")
        by_unit = store.query("compliance__by_unit", {**params, "period": period})
        results = names.frame(store.query("compliance__branch_results", {**params, "period": period}))
        below = results[~results["passed"].astype(bool)]
    committee_rate, benchmarked = None, by_unit
    if state.scope and period is not None:  # the 全工委平均 bar a unit link's Compliance page shows
        benchmarked = metrics.with_committee_compliance(by_unit, store, state, period, t("links.committee", state.lang))
        if len(benchmarked) > len(by_unit):
            committee_rate = float(benchmarked["compliance_rate"].iloc[-1])
    return ComplianceFacts(
        period=period,
        previous=previous if period is not None else None,
        assessed=int(a["assessed"]),
        passed=int(a["passed"]),
        compliance_rate=a["compliance_rate"],
        mean_score=a["mean_score"],
        rate_change_pp=rate_change,
        mean_change=mean_change,
        target=float(settings["compliance_target"]),
        pass_score=float(settings["pass_score"]),
        weakest=weakest,
        by_period=by_period,
        by_unit=by_unit,
        below=below,
        committee_rate=committee_rate,
        benchmarked=benchmarked,
    )


def _tiers(store: Store, state: FilterState, summary: dict[str, Any], names: DataNames) -> TierFacts:
    params = state.sql_params()
    tiers = store.tiers()
    worst = tiers[-1]
    mix = store.query("tiers__mix", params)
    t = summary["tiers"]
    period, before = t["period"], metrics.tier_periods(store, state)[1]
    worst_before = lifted = 0
    still_worst = pd.DataFrame()
    if period is not None and before is not None:
        # The Tiers page's default comparison: the period before against the latest in range.
        moves = store.query("tiers__movement", {**params, "period_before": before, "period_after": period})
        worst_before, lifted, still_worst = metrics.worst_tier_progress(moves, worst)
    return TierFacts(
        period=period,
        before=before if period is not None else None,
        # Worked out on the stored names; stated in the report's language.
        tiers=names.tier_list(tiers),
        counts={names.tier(k): v for k, v in t["counts"].items()},
        promoted=int(t["promoted"]),
        demoted=int(t["demoted"]),
        unchanged=int(t["unchanged"]),
        worst_before=worst_before,
        lifted=lifted,
        still_worst=names.frame(still_worst),
        mix=names.frame(mix),
    )


def _volunteer(store: Store, state: FilterState, summary: dict[str, Any]) -> VolunteerFacts:
    params = state.sql_params()
    v = summary["volunteer"]
    span = store.query("common__volunteer_date_span").iloc[0]
    first = state.date_from or (None if pd.isna(span["first_date"]) else pd.Timestamp(span["first_date"]).date())
    last = state.date_to or (None if pd.isna(span["last_date"]) else pd.Timestamp(span["last_date"]).date())
    previous = metrics.previous_volunteer_window(store, state)
    previous_hours = None
    if previous is not None:
        before = store.query("volunteer__totals", previous.sql_params()).iloc[0]
        # As the Overview: no change is stated against a window without any service recorded.
        previous_hours = float(before["hours"]) if before["hours"] else None
    return VolunteerFacts(
        first_date=first,
        last_date=last,
        hours=float(v["hours"]),
        person_times=int(v["person_times"]),
        activities=int(v["activities"]),
        hours_per_member=v["hours_per_member"],
        previous=previous if previous_hours is not None else None,
        previous_hours=previous_hours,
        by_unit=store.query("volunteer__by_unit", params),
        by_month=store.query("volunteer__by_month", params),
    )


def _terms(store: Store, state: FilterState, today: date) -> TermFacts:
    reminders = store.query("branches__term_reminders", {**state.sql_params(), "today": today})
    counts = reminders["term_status"].value_counts()
    return TermFacts(
        today=today,
        overdue=int(counts.get("overdue", 0)),
        due_3m=int(counts.get("due_3m", 0)),
        due_6m=int(counts.get("due_6m", 0)),
        reminders=reminders,
    )


def gather(store: Store, state: FilterState, today: date | None = None) -> ReportFacts:
    """Every figure of the report for these filters (the language only affects the data-as-of words)."""
    summary = metrics.overview_summary(store, state)
    names = data_names(store, state.lang)
    return ReportFacts(
        state=state,
        branches=int(summary["branches"]),
        members=int(summary["members"]),
        summary=summary,
        compliance=_compliance(store, state, summary, names),
        tiers=_tiers(store, state, summary, names),
        volunteer=_volunteer(store, state, summary),
        terms=_terms(store, state, today or metrics.today()),
        data_as_of=metrics.data_as_of(store, state.lang),
        names=names,
    )
