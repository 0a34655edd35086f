"""The Overview's figures, as `summary --json` prints them and the Overview page shows them.

Both call `overview_summary`, so the page and the command line cannot disagree. All arithmetic on
rows happens in queries/*.sql; this module only picks periods and assembles small results.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Hashable
from datetime import date
from typing import Any

import pandas as pd

from branchboard import periods as P
from branchboard.db import Store
from branchboard.filters import FilterState
from branchboard.i18n import fmt_datetime, t

WEAKEST_COUNT = 3


def today() -> date:
    """Today's date for term status (换届); BRANCHBOARD_TODAY (ISO date) pins it for tests and demos."""
    pinned = os.environ.get("BRANCHBOARD_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


def data_as_of(store: Store, lang: str) -> str:
    """ "数据截至 …": when the data last changed (the latest import), as every page and export stamps it."""
    stamp = store.query("common__data_as_of").iloc[0]["data_as_of"]
    text = t("share.no_data_yet", lang) if pd.isna(stamp) else fmt_datetime(stamp)
    return t("share.data_as_of", lang, stamp=text)


def latest_and_previous(periods_in_order: list[str], in_range: list[bool]) -> tuple[str | None, str | None]:
    """The latest period inside the range, and the period just before it in the data (any range)."""
    latest_index = None
    for i, inside in enumerate(in_range):
        if inside:
            latest_index = i
    if latest_index is None:
        return None, None
    previous = periods_in_order[latest_index - 1] if latest_index > 0 else None
    return periods_in_order[latest_index], previous


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def compliance_periods(store: Store, state: FilterState) -> pd.DataFrame:
    return store.query("compliance__by_period", state.sql_params())


def _figures_of(state: FilterState) -> Hashable:
    """What of a filter state the figures depend on (not the language or the layout): the key under which a value
    computed for it is shared by every session (Store.computed)."""
    return (state.period_from, state.period_to, state.units, state.sectors, state.tiers, state.branch, state.scope)


def tier_periods(store: Store, state: FilterState) -> tuple[str | None, str | None]:
    def compute() -> tuple[str | None, str | None]:
        mix = store.query("tiers__mix", state.sql_params())
        by_period = mix.drop_duplicates("period")[["period", "in_range"]]
        return latest_and_previous(by_period["period"].tolist(), by_period["in_range"].tolist())

    return store.computed("tier_periods", _figures_of(state), compute)


def worst_tier_progress(moves: pd.DataFrame, worst: str) -> tuple[int, int, pd.DataFrame]:
    """From tiers__movement rows: branches in the worst tier before, how many left it (帮扶转化), and the
    rows of those still in it."""
    if moves.empty:
        return 0, 0, moves
    still = moves[(moves["tier_before"] == worst) & (moves["tier_after"] == worst)]
    return int((moves["tier_before"] == worst).sum()), int(moves["lifted_from_worst"].sum()), still


def overview_summary(store: Store, state: FilterState) -> dict[str, Any]:
    """The figures of docs/design.md's `summary --json` contract for one filter state. Worked out once per filter
    state and data version for every session (a copy each: the caller may change its own)."""
    return copy.deepcopy(store.computed("overview_summary", _figures_of(state), lambda: _overview_summary(store, state)))


def _overview_summary(store: Store, state: FilterState) -> dict[str, Any]:
    params = state.sql_params()
    totals = store.query("branches__scope_totals", params).iloc[0]

    by_period = compliance_periods(store, state)
    period, _ = latest_and_previous(by_period["period"].tolist(), by_period["in_range"].tolist())
    assessment: dict[str, Any] = {
        "period": period,
        "assessed": 0,
        "passed": 0,
        "compliance_rate": None,
        "mean_score": None,
        "item_pass_rate": {},
        "weakest_items": [],
    }
    if period is not None:
        row = by_period.loc[by_period["period"] == period].iloc[0]
        items = store.query("compliance__item_pass_rates", {**params, "period": period})
        assessment.update(
            assessed=int(row["assessed"]),
            passed=int(row["passed"]),
            compliance_rate=_float(row["compliance_rate"]),
            mean_score=_float(row["mean_score"]),
            item_pass_rate=dict(zip(items["item_code"].tolist(), items["pass_rate"].astype(float).tolist(), strict=True)),
            weakest_items=items["item_code"].head(WEAKEST_COUNT).tolist(),
        )

    vol = store.query("volunteer__totals", params).iloc[0]
    volunteer = {
        "hours": float(vol["hours"]),
        "person_times": int(vol["person_times"]),
        "activities": int(vol["activities"]),
        "hours_per_member": _float(vol["hours_per_member"]),
    }

    tier_period, tier_before = tier_periods(store, state)
    tiers: dict[str, Any] = {"period": tier_period, "counts": {}, "promoted": 0, "demoted": 0, "unchanged": 0}
    if tier_period is not None:
        mix = store.query("tiers__mix", params)
        latest = mix.loc[mix["period"] == tier_period]
        tiers["counts"] = {t: int(latest.loc[latest["tier"] == t, "branches"].sum()) for t in store.tiers()}
        if tier_before is not None:
            moves = store.query("tiers__movement", {**params, "period_before": tier_before, "period_after": tier_period})
            counts = moves["movement"].value_counts()
            for key in ("promoted", "demoted", "unchanged"):
                tiers[key] = int(counts.get(key, 0))

    return {
        "filters": {
            "from": state.period_from,
            "to": state.period_to,
            "units": list(state.units),
            "sectors": list(state.sectors),
            "tiers": list(state.tiers),
        },
        "branches": int(totals["branches"]),
        "members": int(totals["members"]),
        "assessment": assessment,
        "volunteer": volunteer,
        "tiers": tiers,
    }


def previous_volunteer_window(store: Store, state: FilterState) -> FilterState | None:
    """previous_window, when the volunteer records reach back to its start: a window the data only partly covers
    would show a rise that is only the data starting later."""
    previous = previous_window(state)
    if previous is None or previous.date_from is None:
        return None
    first = store.query("common__volunteer_date_span").iloc[0]["first_date"]
    if pd.isna(first) or pd.Timestamp(first).date() > previous.date_from:
        return None
    return previous


def previous_window(state: FilterState) -> FilterState | None:
    """The same-length date window just before the range, for the volunteer change figure."""
    if not (state.period_from and state.period_to):
        return None
    start, end = P.period_start(state.period_from), P.period_end(state.period_to)
    years = end.year - start.year + 1
    if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31):
        return None  # only whole years have an obvious "same window before"
    return state.with_changes(period_from=str(start.year - years), period_to=str(end.year - years))


# -- a unit link's benchmark: its own units beside the committee, no other unit named ------------------------------
def committee_state(state: FilterState) -> FilterState:
    """The whole committee over the same periods: every branch, whatever the unit, sector or tier filters say."""
    return FilterState(period_from=state.period_from, period_to=state.period_to, lang=state.lang)


def committee_compliance(store: Store, state: FilterState, period: str) -> pd.Series | None:
    """The committee's assessed, passed, 达标率 and mean score in `period`, over all branches."""
    rows = compliance_periods(store, committee_state(state))
    row = rows.loc[rows["period"] == period]
    return None if row.empty else row.iloc[0]


def with_committee_compliance(by_unit: pd.DataFrame, store: Store, state: FilterState, period: str, label: str) -> pd.DataFrame:
    """compliance__by_unit rows, and for a unit link one more: the committee's 达标率 in `period` over all branches."""
    if not state.scope or by_unit.empty:
        return by_unit
    r = committee_compliance(store, state, period)
    if r is None:
        return by_unit
    committee = {"unit_name": label, "assessed": r["assessed"], "passed": r["passed"]}
    committee |= {"compliance_rate": r["compliance_rate"], "mean_score": r["mean_score"]}
    return pd.concat([by_unit, pd.DataFrame([committee])], ignore_index=True)


def with_committee_dimensions(dims: pd.DataFrame, store: Store, state: FilterState, period: str, label: str) -> pd.DataFrame:
    """compliance__dimension_by_unit rows, and for a unit link the committee's dimension scores as one more row."""
    if not state.scope or dims.empty:
        return dims
    committee = store.query("compliance__dimension_committee", {"period": period}).assign(unit_name=label)
    return pd.concat([dims, committee[dims.columns]], ignore_index=True)


def with_committee_volunteer(by_unit: pd.DataFrame, store: Store, state: FilterState, label: str) -> pd.DataFrame:
    """volunteer__by_unit rows, and for a unit link the committee's hours, 人次 and hours per member as one more."""
    if not state.scope or by_unit.empty:
        return by_unit
    whole = committee_state(state).sql_params()
    totals = store.query("volunteer__totals", whole).iloc[0]
    scope = store.query("branches__scope_totals", whole).iloc[0]
    committee = {
        "unit_name": label,
        "branches": scope["branches"],
        "members": scope["members"],
        "hours": totals["hours"],
        "person_times": totals["person_times"],
        "activities": totals["activities"],
        "hours_per_member": totals["hours_per_member"],
    }
    return pd.concat([by_unit, pd.DataFrame([{c: committee.get(c) for c in by_unit.columns}])], ignore_index=True)
