"""达标情况 Compliance: 达标率 by period and by unit, unit × dimension heatmap, item pass rates,
score distribution, and the branches below the line in the selected period."""

import streamlit as st

from branchboard import charts, figures, metrics
from branchboard import periods as P
from branchboard.escape import md
from branchboard.filters import page_selectbox
from branchboard.i18n import fmt_number, fmt_percent
from branchboard.ui import (
    KpiList,
    branch_first,
    branch_table,
    chart,
    clicked_point,
    clicked_row,
    drill_to_unit,
    how_note,
    kpi,
    start_page,
    stop_page,
)

ctx = start_page("compliance")
store, state, lang = ctx.store, ctx.state, ctx.lang
params = state.sql_params()
settings = store.settings()
pass_score = float(settings["pass_score"])
target = float(settings["compliance_target"])
how_compliance = ctx.t("help.compliance", pass_score=settings["pass_score"], target=fmt_percent(target))

by_period = metrics.compliance_periods(store, state)
in_range = by_period[by_period["in_range"]]
latest, _ = metrics.latest_and_previous(by_period["period"].tolist(), by_period["in_range"].tolist())
period = page_selectbox(
    "period",
    ctx.t("compliance.period"),
    in_range["period"].tolist(),
    latest,
    format_func=lambda p: P.display(p, lang),
    container=st.columns([1, 3])[0],
)
if period is None:
    st.info(md(ctx.t("common.no_data")))
    stop_page()
pp = {**params, "period": period}
period_name = P.display(period, lang)

# -- headline -----------------------------------------------------------------------------------
row = in_range.loc[in_range["period"] == period].iloc[0]
results = ctx.names.frame(store.query("compliance__branch_results", pp))
below = results[~results["passed"]]
judged = results.assign(result=[ctx.t("kpi.passed" if p else "kpi.not_passed") for p in results["passed"]])
scored = branch_first("total_score", "result")
cards = st.columns(4)
kpi(
    ctx,
    cards[0],
    ctx.t("overview.kpi.compliance"),
    fmt_percent(row["compliance_rate"]),
    help=how_compliance,
    opens=KpiList("compliance", ctx.t("overview.kpi.compliance"), lambda: judged, scored),
)
kpi(
    ctx,
    cards[1],
    ctx.t("compliance.kpi.passed"),
    f"{int(row['passed'])}/{int(row['assessed'])}",
    opens=KpiList("passed", ctx.t("compliance.kpi.passed"), lambda: judged[judged["passed"]], scored),
)
kpi(
    ctx,
    cards[2],
    ctx.t("overview.kpi.mean_score"),
    fmt_number(row["mean_score"], 1),
    help=ctx.t("help.mean_score"),
    opens=KpiList(
        "mean_score", ctx.t("overview.kpi.mean_score"), lambda: judged.sort_values("total_score", ascending=False), scored
    ),
)
kpi(
    ctx,
    cards[3],
    ctx.t("compliance.kpi.below"),
    fmt_number(len(below)),
    help=ctx.t("compliance.help.below", pass_score=settings["pass_score"]),
    opens=KpiList(
        "below",
        ctx.t("compliance.kpi.below"),
        lambda: below,
        branch_first("total_score", "gap_to_pass", "weakest_items"),
    ),
)

# -- 达标率 by period and by unit -----------------------------------------------------------------
left, right = st.columns(2)
with left:
    fig, table = figures.compliance_trend(in_range, t=ctx.t, lang=lang, title=ctx.t("compliance.by_period"), target=target)
    chart(ctx, fig, key="compliance_by_period", how=how_compliance, table=table)

with right:
    by_unit = store.query("compliance__by_unit", pp)
    # Under a unit link: its units and one 全工委平均 bar over all branches, no other unit named.
    by_unit = metrics.with_committee_compliance(by_unit, store, state, period, ctx.t("links.committee")).assign(
        detail=lambda f: [
            ctx.t("overview.kpi.passed_of", passed=p, assessed=n) for p, n in zip(f["passed"], f["assessed"], strict=True)
        ]
    )
    fig = charts.hbar(
        by_unit,
        label="unit_name",
        value="compliance_rate",
        percent=True,
        title=ctx.t("compliance.by_unit", period=period_name),
        value_label=ctx.t("overview.kpi.compliance"),
        category_label=ctx.t("common.unit"),
        target=target,
        target_label=ctx.t("common.target", value=fmt_percent(target)),
        hover_extra="detail",
        reference=ctx.t("links.committee"),
    )
    event = chart(
        ctx,
        fig,
        key="compliance_by_unit",
        how=how_compliance + " " + ctx.t("drill.click_unit"),
        table=by_unit.drop(columns=["detail"]),
        selectable=True,
    )
    drill_to_unit("compliance_by_unit", clicked_point(event))

# -- heatmap unit × dimension ---------------------------------------------------------------------
dims = ctx.names.frame(
    metrics.with_committee_dimensions(
        store.query("compliance__dimension_by_unit", pp), store, state, period, ctx.t("links.committee")
    )
)
fig = charts.dimension_heatmap(
    dims,
    title=ctx.t("compliance.heatmap", period=period_name),
    y_label=ctx.t("common.unit"),
    value_label=ctx.t("compliance.dimension_rate"),
)
chart(ctx, fig, key="compliance_heatmap", how=ctx.t("compliance.help.heatmap"), table=dims)
if not dims.empty:
    # Streamlit returns no selection for heatmaps: the same figures as a table whose rows filter to a unit.
    wide = dims.pivot(index="unit_name", columns="dimension", values="dimension_rate")
    wide = wide[dims.sort_values("first_item")["dimension"].drop_duplicates().tolist()].reset_index()
    with st.expander(md(ctx.t("compliance.heatmap_table"))):
        shown = wide.rename(columns={"unit_name": ctx.t("common.unit")})
        shown[shown.columns[1:]] = shown[shown.columns[1:]].astype("float64") * 100  # 81.3%, as the heatmap writes it
        pct = {c: st.column_config.NumberColumn(c, format="%.1f%%") for c in shown.columns[1:]}
        event = st.dataframe(
            shown,
            key="compliance_heatmap_table",
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
            column_config=pct,
        )
        st.caption(md(ctx.t("drill.click_unit_row")))
        drill_to_unit("compliance_heatmap_table", clicked_row(event, wide, "unit_name"))

# -- item pass rates and the score distribution ---------------------------------------------------
left, right = st.columns([3, 2])
with left:
    items = ctx.names.frame(store.query("compliance__item_pass_rates", pp))
    fig = charts.item_pass_rates(
        items,
        title=ctx.t("compliance.items", period=period_name),
        value_label=ctx.t("compliance.item_pass_rate"),
        item_label=ctx.t("compliance.item"),
        dimension_label=ctx.t("compliance.dimension"),
        met_label=ctx.t("compliance.met_of"),
    )
    chart(ctx, fig, key="compliance_items", how=ctx.t("help.weakest", ratio=settings["item_pass_ratio"]), table=items)

with right:
    distribution = store.query("compliance__score_distribution", pp)
    fig = charts.score_distribution(
        distribution,
        pass_score=pass_score,
        title=ctx.t("compliance.distribution", period=period_name),
        x_label=ctx.t("compliance.total_score"),
        y_label=ctx.t("common.branches"),
        pass_label=ctx.t("common.pass_line", value=settings["pass_score"]),
    )
    chart(
        ctx,
        fig,
        key="compliance_distribution",
        how=ctx.t("compliance.help.distribution", pass_score=settings["pass_score"]),
        table=distribution,
    )

# -- branches below the line ----------------------------------------------------------------------
st.subheader(md(ctx.t("compliance.below_title", period=period_name)))
if below.empty:
    st.success(md(ctx.t("compliance.none_below")))
else:
    shown = below.assign(veto_failed=lambda f: [ctx.t("compliance.yes") if v else "" for v in f["veto_failed"]])
    branch_table(
        ctx,
        shown,
        key="compliance_below",
        columns={  # branch, its figure and what it lacks first: what a phone shows
            "branch_name": ctx.t("common.branch"),
            "total_score": ctx.t("compliance.total_score"),
            "gap_to_pass": ctx.t("compliance.gap"),
            "unit_name": ctx.t("common.unit"),
            "weakest_items": ctx.t("compliance.weakest_items"),
            "items_not_met": ctx.t("compliance.items_not_met"),
            "veto_failed": ctx.t("compliance.veto_failed"),
            "branch_code": ctx.t("common.branch_code"),
        },
    )
    how_note(ctx, ctx.t("compliance.help.below", pass_score=settings["pass_score"]), key="compliance_below", table=below)
