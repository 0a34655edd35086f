"""分类定级 Tiers: tier mix per period, a Sankey of moves between two chosen periods (晋位升级), and the
promoted, demoted and still-worst-tier branches, with the 帮扶转化 count."""

import pandas as pd
import streamlit as st

from branchboard import charts, figures, metrics
from branchboard import periods as P
from branchboard.escape import md
from branchboard.filters import page_selectbox, page_tabs
from branchboard.i18n import fmt_number
from branchboard.ui import KpiList, branch_first, branch_table, chart, download, kpi, start_page, stop_page

ctx = start_page("tiers")
store, state, lang = ctx.store, ctx.state, ctx.lang
params = state.sql_params()
tiers = store.tiers()
worst = tiers[-1]
names = ctx.names  # the stored names for the logic, these for what is shown
worst_shown = names.tier(worst)

# -- tier mix per period --------------------------------------------------------------------------
mix = store.query("tiers__mix", params)
fig, table = figures.tier_mix(names.frame(mix), t=ctx.t, lang=lang, title=ctx.t("tiers.mix"), tiers=names.tier_list(tiers))
chart(ctx, fig, key="tiers_mix", how=ctx.t("tiers.help.mix"), table=table)

# -- two periods to compare -----------------------------------------------------------------------
all_periods = mix.drop_duplicates("period")["period"].tolist()
latest, before = metrics.tier_periods(store, state)
if len(all_periods) < 2 or latest is None:
    st.info(md(ctx.t("tiers.need_two")))
    stop_page()
st.subheader(md(ctx.t("tiers.moves_title")))
col_a, col_b = st.columns([1, 1, 2])[:2]
period_a = page_selectbox(
    "pa",
    ctx.t("tiers.period_a"),
    all_periods,
    before or all_periods[0],
    format_func=lambda p: P.display(p, lang),
    container=col_a,
)
period_b = page_selectbox(
    "pb", ctx.t("tiers.period_b"), all_periods, latest, format_func=lambda p: P.display(p, lang), container=col_b
)
assert period_a is not None and period_b is not None  # None only without options, and there are two or more
if period_a == period_b:
    st.info(md(ctx.t("tiers.same_period")))
    stop_page()
name_a, name_b = P.display(period_a, lang), P.display(period_b, lang)
pp = {**params, "period_before": period_a, "period_after": period_b}
moves = store.query("tiers__movement", pp)
counts = moves["movement"].value_counts()
_, lifted, still_worst = metrics.worst_tier_progress(moves, worst)


def _moved(key: str, label: str, rows: pd.Series) -> KpiList:
    return KpiList(key, label, lambda: names.frame(moves[rows]), branch_first("tier_before", "tier_after"))


cards = st.columns(4)
for card, movement in zip(cards[:3], ("promoted", "demoted", "unchanged"), strict=True):
    label = ctx.t(f"tiers.kpi.{movement}")
    kpi(
        ctx,
        card,
        label,
        fmt_number(int(counts.get(movement, 0))),
        help=ctx.t("tiers.help.moves") if movement == "promoted" else None,
        opens=_moved(movement, label, moves["movement"] == movement),
    )
label = ctx.t("tiers.kpi.lifted", worst=worst_shown)
kpi(
    ctx,
    cards[3],
    label,
    fmt_number(lifted),
    help=ctx.t("tiers.help.lifted", worst=worst_shown),
    opens=_moved("lifted", label, moves["lifted_from_worst"].astype(bool)),
)
st.caption(md(ctx.t("tiers.compared", n=len(moves), a=name_a, b=name_b)))

transitions = names.frame(store.query("tiers__transitions", pp))
fig = charts.tier_sankey(
    transitions,
    tiers=names.tier_list(tiers),
    before_label=name_a,
    after_label=name_b,
    title=ctx.t("tiers.sankey", a=name_a, b=name_b),
    branches_label=ctx.t("common.branches"),
)
chart(ctx, fig, key="tiers_sankey", how=ctx.t("tiers.help.moves"), table=transitions.drop(columns=["rank_before", "rank_after"]))

# -- lists: promoted, demoted, still worst (the Sankey's branches, clickable) ----------------------
columns = {  # the branch and its two tiers first: what a phone shows without scrolling sideways
    "branch_name": ctx.t("common.branch"),
    "tier_before": name_a,
    "tier_after": name_b,
    "unit_name": ctx.t("common.unit"),
    "branch_code": ctx.t("common.branch_code"),
}
tabs = page_tabs(
    "list",
    {
        "promoted": md(ctx.t("tiers.list_promoted", n=int(counts.get("promoted", 0)))),
        "demoted": md(ctx.t("tiers.list_demoted", n=int(counts.get("demoted", 0)))),
        "still_worst": md(ctx.t("tiers.list_still_worst", worst=worst_shown, n=len(still_worst))),
    },
    "promoted",
)
for tab, key, frame in (
    (tabs["promoted"], "tiers_promoted", names.frame(moves[moves["movement"] == "promoted"])),
    (tabs["demoted"], "tiers_demoted", names.frame(moves[moves["movement"] == "demoted"])),
    (tabs["still_worst"], "tiers_still_worst", names.frame(still_worst)),
):
    with tab:
        if frame.empty:
            st.info(md(ctx.t("tiers.list_empty")))
        else:
            branch_table(ctx, frame, key=key, columns=columns)
            download(ctx, frame, key=key)
