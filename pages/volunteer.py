"""志愿服务 Volunteer: hours and 人次 by month, by unit, by activity type, hours per member by unit and
the top and bottom branches, and the branches with no service at all in the range."""

import pandas as pd
import streamlit as st

from branchboard import charts, figures, metrics
from branchboard.escape import md
from branchboard.filters import page_radio
from branchboard.i18n import fmt_hours, fmt_number, with_code
from branchboard.ui import (
    KpiList,
    branch_first,
    branch_table,
    chart,
    clicked_point,
    drill_to_branch,
    drill_to_unit,
    how_note,
    kpi,
    service_first,
    start_page,
)

TOP_N = 10

ctx = start_page("volunteer")
store, state, lang = ctx.store, ctx.state, ctx.lang
params = state.sql_params()
hours_unit = ctx.t("common.hours_unit")

totals = store.query("volunteer__totals", params).iloc[0]
by_branch = store.query("volunteer__by_branch", params)
silent = by_branch[by_branch["hours"] == 0].sort_values(["unit_name", "branch_code"])


def _branches_by(column: str, label: str) -> KpiList:
    """The card's list: every branch in the filters, the one with the most of `column` first."""
    return KpiList(column, label, lambda: by_branch.sort_values(column, ascending=False, kind="stable"), service_first(column))


cards = st.columns(5)
label = ctx.t("overview.kpi.hours")
kpi(ctx, cards[0], label, fmt_hours(totals["hours"]), help=ctx.t("help.hours"), opens=_branches_by("hours", label))
label = ctx.t("common.person_times")
kpi(
    ctx,
    cards[1],
    label,
    fmt_number(totals["person_times"]),
    help=ctx.t("help.hours"),
    opens=_branches_by("person_times", label),
)
label = ctx.t("volunteer.activities")
kpi(ctx, cards[2], label, fmt_number(totals["activities"]), help=ctx.t("help.hours"), opens=_branches_by("activities", label))
label = ctx.t("overview.kpi.hours_per_member")
kpi(
    ctx,
    cards[3],
    label,
    fmt_number(None if pd.isna(totals["hours_per_member"]) else totals["hours_per_member"], 1),
    help=ctx.t("help.hours_per_member"),
    opens=_branches_by("hours_per_member", label),
)
kpi(
    ctx,
    cards[4],
    ctx.t("volunteer.kpi.silent"),
    fmt_number(len(silent)),
    help=ctx.t("volunteer.help.silent"),
    opens=KpiList("silent", ctx.t("volunteer.kpi.silent"), lambda: silent, branch_first()),
)

# -- by month -----------------------------------------------------------------------------------
monthly = store.query("volunteer__by_month", params)
fig = figures.monthly_volunteer(monthly, t=ctx.t, title=ctx.t("volunteer.by_month"))
chart(ctx, fig, key="volunteer_by_month", how=ctx.t("help.volunteer_trend") + " " + ctx.t("help.hours"), table=monthly)

# -- by unit and by activity type -----------------------------------------------------------------
by_unit = store.query("volunteer__by_unit", params)
left, right = st.columns(2)
with left:
    shown = by_unit.assign(detail=lambda f: [ctx.t("volunteer.detail_pt", n=int(n)) for n in f["person_times"]])
    fig = charts.hbar(
        shown,
        label="unit_name",
        value="hours",
        value_format=",.1f",
        text_format=",.0f",
        title=ctx.t("volunteer.by_unit"),
        value_label=ctx.t("common.hours"),
        category_label=ctx.t("common.unit"),
        hover_extra="detail",
        none_when_all_zero=True,  # units listed with no service at all: nothing to compare
    )
    event = chart(
        ctx,
        fig,
        key="volunteer_by_unit",
        how=ctx.t("help.hours") + " " + ctx.t("drill.click_unit"),
        table=by_unit,
        selectable=True,
    )
    drill_to_unit("volunteer_by_unit", clicked_point(event))

with right:
    by_type = store.query("volunteer__by_type", params).copy()
    by_type["type_label"] = by_type["activity_type"].fillna(ctx.t("volunteer.untyped"))
    by_type["detail"] = [ctx.t("volunteer.detail_pt", n=int(n)) for n in by_type["person_times"]]
    fig = charts.hbar(
        by_type,
        label="type_label",
        value="hours",
        text_format=",.0f",
        title=ctx.t("volunteer.by_type"),
        value_label=ctx.t("common.hours"),
        category_label=ctx.t("volunteer.activity_type"),
        hover_extra="detail",
        color=charts.STEEL_BLUE,
    )
    chart(ctx, fig, key="volunteer_by_type", how=ctx.t("help.hours"), table=by_type.drop(columns=["type_label", "detail"]))

# -- hours per member: units, top and bottom branches ---------------------------------------------
left, right = st.columns(2)
with left:
    benchmarked = metrics.with_committee_volunteer(by_unit, store, state, ctx.t("links.committee"))
    ranked_units = benchmarked.dropna(subset=["hours_per_member"]).sort_values(
        ["hours_per_member", "unit_name"], ascending=[False, True]
    )
    ranked_units = ranked_units.assign(
        detail=lambda f: [
            ctx.t("volunteer.detail_members", hours=fmt_number(h), members=int(m))
            for h, m in zip(f["hours"], f["members"], strict=True)
        ]
    )
    fig = charts.hbar(
        ranked_units,
        label="unit_name",
        value="hours_per_member",
        value_format=",.2f",
        text_format=",.1f",
        title=ctx.t("volunteer.per_member_by_unit"),
        value_label=ctx.t("volunteer.hours_per_member"),
        category_label=ctx.t("common.unit"),
        hover_extra="detail",
        reference=ctx.t("links.committee"),
        none_when_all_zero=True,
    )
    event = chart(
        ctx,
        fig,
        key="volunteer_per_member_unit",
        how=ctx.t("help.hours_per_member") + " " + ctx.t("drill.click_unit"),
        table=ranked_units.drop(columns=["detail"]),
        selectable=True,
    )
    drill_to_unit("volunteer_per_member_unit", clicked_point(event))

with right:
    active = by_branch[by_branch["hours"] > 0]
    top = active.head(TOP_N)
    bottom = active.tail(TOP_N).iloc[::-1] if len(active) > TOP_N else active.iloc[0:0]
    choice = page_radio(
        "rank",
        ctx.t("volunteer.ranking_choice"),
        ["top", "bottom"],
        "top",
        format_func=lambda c: md(ctx.t(f"volunteer.ranking_{c}", n=TOP_N)),
        horizontal=True,
        label_visibility="collapsed",
    )
    ranked = top if choice == "top" or bottom.empty else bottom
    ranked = ranked.assign(
        label=lambda f: [with_code(n, c, lang, two_lines=True) for n, c in zip(f["branch_name"], f["branch_code"], strict=True)],
        detail=lambda f: [
            ctx.t("volunteer.detail_members", hours=fmt_number(h), members=int(m))
            for h, m in zip(f["hours"], f["member_count"], strict=True)
        ],
    )
    fig = charts.hbar(
        ranked,
        label="label",
        value="hours_per_member",
        value_format=",.2f",
        text_format=",.1f",
        title=ctx.t(f"volunteer.ranking_{choice if not bottom.empty else 'top'}_title", n=len(ranked)),
        value_label=ctx.t("volunteer.hours_per_member"),
        category_label=ctx.t("common.branch"),
        key_column="branch_code",
        hover_extra="detail",
        color=charts.PARTY_RED if choice == "top" or bottom.empty else charts.GREY,
    )
    event = chart(
        ctx,
        fig,
        key="volunteer_branch_ranking",
        how=ctx.t("volunteer.help.ranking", n=TOP_N) + " " + ctx.t("drill.click_branch_chart"),
        table=ranked.drop(columns=["label", "detail"]),
        selectable=True,
    )
    drill_to_branch("volunteer_branch_ranking", clicked_point(event))

# -- branches with no service -------------------------------------------------------------------
st.subheader(md(ctx.t("volunteer.silent_title")))
if by_branch.empty:
    st.info(md(ctx.t("common.no_data")))
elif silent.empty:
    st.success(md(ctx.t("volunteer.none_silent")))
else:
    branch_table(
        ctx,
        silent,
        key="volunteer_silent",
        columns={
            "branch_name": ctx.t("common.branch"),
            "branch_code": ctx.t("common.branch_code"),
            "unit_name": ctx.t("common.unit"),
            "member_count": ctx.t("overview.kpi.members"),
        },
    )
    how_note(ctx, ctx.t("volunteer.help.silent"), key="volunteer_silent")
