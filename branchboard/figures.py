"""Figures that more than one page draws, built from query results with the page's language.

Pure functions (no Streamlit): each returns the figure (None when there is nothing to draw) and the
table behind it, ready for `ui.chart`. Each is made once per content of its arguments and shared by every session
(branchboard.fingerprint.shared; `t` is a Translator, taken by its language): callers must not change the results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from branchboard import charts
from branchboard import periods as P
from branchboard.fingerprint import shared
from branchboard.i18n import fmt_percent

Translate = Callable[..., str]


@shared
def compliance_trend(
    by_period: pd.DataFrame, *, t: Translate, lang: str, title: str, target: float
) -> tuple[go.Figure | None, pd.DataFrame]:
    """达标率 per period in range (rows of compliance__by_period) against the target line."""
    trend = by_period[by_period["in_range"]].assign(
        period_label=lambda f: [P.display(p, lang) for p in f["period"]],
        detail=lambda f: [
            t("overview.kpi.passed_of", passed=p, assessed=n) for p, n in zip(f["passed"], f["assessed"], strict=True)
        ],
    )
    table = trend.drop(columns=["in_range", "period_label", "detail"])
    if trend.empty:
        return None, table
    fig = charts.rate_trend(
        trend,
        "period_label",
        "compliance_rate",
        title=title,
        x_label=t("common.period"),
        y_label=t("overview.kpi.compliance"),
        target=target,
        target_label=t("common.target", value=fmt_percent(target)),
        hover_extra="detail",
    )
    return fig, table


@shared
def tier_mix(
    mix: pd.DataFrame, *, t: Translate, lang: str, title: str, tiers: Sequence[str]
) -> tuple[go.Figure | None, pd.DataFrame]:
    """Branches per tier and period in range (rows of tiers__mix), stacked."""
    in_range = mix[mix["in_range"]].assign(period_label=lambda f: [P.display(p, lang) for p in f["period"]])
    table = in_range.drop(columns=["in_range", "period_label"])
    if in_range.empty:
        return None, table
    fig = charts.stacked_tiers(
        in_range,
        tiers=tiers,
        title=title,
        x_label=t("common.period"),
        y_label=t("common.branches"),
        tier_label=t("common.tier"),
    )
    return fig, table


@shared
def monthly_volunteer(monthly: pd.DataFrame, *, t: Translate, title: str) -> go.Figure | None:
    """Hours (bars) and 人次 (line) per month, from a query returning month, hours, person_times."""
    if monthly.empty:
        return None
    return charts.monthly_hours(
        monthly,
        title=title,
        x_label=t("common.month"),
        hours_label=t("common.hours"),
        person_times_label=t("common.person_times"),
        month_tick=t("chart.month_tick"),
        year_tick=t("chart.year_tick"),
        month_hover=t("chart.month_hover"),
    )
