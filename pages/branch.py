"""支部画像 Branch profile: one branch's score history, six-dimension radar against its unit and the
committee, item table, volunteer history, tier history and term status (换届). The branch is in the URL."""

import pandas as pd
import streamlit as st

from branchboard import charts, figures
from branchboard import periods as P
from branchboard.escape import md
from branchboard.filters import current_state, page_selectbox, set_state
from branchboard.i18n import fmt_date, fmt_deadline, fmt_number, with_code
from branchboard.metrics import today
from branchboard.ui import chart, figures_as_shown, how_note, kpi, start_page, stop_page

ctx = start_page("branch")
store, state, lang = ctx.store, ctx.state, ctx.lang
params = state.sql_params()
settings = store.settings()
pass_score = float(settings["pass_score"])
names = ctx.names  # tiers, dimensions and items in the reader's language
tiers = names.tier_list(store.tiers())

# -- pick a branch --------------------------------------------------------------------------------
options = store.query("branch__options", params)
offered = options[options["in_scope"] | (options["branch_code"] == state.branch)]
labels = {r.branch_code: with_code(str(r.branch_name), str(r.branch_code), lang) for r in offered.itertuples()}


def _picked() -> None:
    set_state(current_state().with_changes(branch=st.session_state["branch_pick"]))


# The shared state decides (a link, a click on another page, or this picker via its callback).
st.session_state["branch_pick"] = state.branch
pick_col, period_col, _ = st.columns([3, 1.3, 1.7])
pick_col.selectbox(
    ctx.t("branch.pick"),
    list(labels),
    key="branch_pick",
    format_func=lambda c: labels.get(c, c),
    placeholder=ctx.t("branch.pick_placeholder"),
    on_change=_picked,
)
code = state.branch
if code is None:
    st.info(md(ctx.t("branch.pick_hint")))
    stop_page()

profile = store.query("branch__profile", {**params, "branch": code, "today": today()})
if profile.empty:
    st.info(md(ctx.t("common.no_data")))
    stop_page()
p = profile.iloc[0]
bp = {**params, "branch": code}

# The period of the radar and the item table: the branch's assessment periods in range, latest by default.
periods = store.query("branch__periods", bp)["period"].tolist()
period = None
if periods:
    period = page_selectbox(
        "period", ctx.t("compliance.period"), periods, periods[-1], format_func=lambda x: P.display(x, lang), container=period_col
    )

# -- register and term status ---------------------------------------------------------------------
st.subheader(md(with_code(p["branch_name"], code, lang)))
status = p["term_status"]


cards = st.columns(4)
kpi(ctx, cards[0], ctx.t("common.unit"), p["unit_name"])
kpi(ctx, cards[1], ctx.t("overview.kpi.members"), fmt_number(p["member_count"]))
kpi(ctx, cards[2], ctx.t("branch.secretary"), p["secretary"] if isinstance(p["secretary"], str) and p["secretary"] else "—")
overdue = status == "overdue"
kpi(
    ctx,
    cards[3],
    ctx.t("branch.next_due"),
    fmt_date(p["next_due"]),
    help=ctx.t("branch.help.term"),
    # The date alone would read as a date to come: an overdue one says so, in red.
    delta=fmt_deadline(p["days_left"], lang) if overdue else None,
    delta_color="red",
    delta_arrow="off",
)
term_text = ctx.t(
    f"branch.term.{status}",
    last=fmt_date(p["last_election_on"]),
    due=fmt_date(p["next_due"]),
    years=int(p["term_years"]),
    days=abs(int(p["days_left"])) if not pd.isna(p["days_left"]) else 0,
)
alert = {"overdue": st.error, "due_3m": st.warning, "due_6m": st.warning, "ok": st.success}.get(status, st.info)
alert(
    md(term_text), icon={"overdue": ":material/alarm:", "due_3m": ":material/schedule:", "due_6m": ":material/event:"}.get(status)
)
if not bool(options.loc[options["branch_code"] == code, "in_scope"].any()):
    st.caption(md(ctx.t("branch.outside_filters")))

# -- score history and radar ----------------------------------------------------------------------
history = store.query("branch__score_history", bp)
left, right = st.columns(2)
with left:
    shown = history.assign(period_label=lambda f: [P.display(x, lang) for x in f["period"]])
    fig = charts.score_history(
        shown,
        pass_score=pass_score,
        title=ctx.t("branch.score_history"),
        x_label=ctx.t("common.period"),
        y_label=ctx.t("compliance.total_score"),
        branch_label=ctx.t("branch.this_branch"),
        unit_label=ctx.t("branch.unit_mean"),
        committee_label=ctx.t("branch.committee_mean"),
        pass_label=ctx.t("common.pass_line", value=settings["pass_score"]),
    )
    chart(
        ctx, fig, key="branch_score_history", how=ctx.t("branch.help.history", pass_score=settings["pass_score"]), table=history
    )

with right:
    radar = names.frame(store.query("branch__dimensions", {"branch": code, "period": period})) if period else pd.DataFrame()
    fig = charts.dimension_radar(
        radar,
        title=ctx.t("branch.radar", period=P.display(period, lang)) if period else "",  # no period: the empty state
        branch_label=ctx.t("branch.this_branch"),
        unit_label=ctx.t("branch.unit_mean"),
        committee_label=ctx.t("branch.committee_mean"),
        value_label=ctx.t("compliance.dimension_rate"),
    )
    chart(ctx, fig, key="branch_radar", how=ctx.t("branch.help.radar"), table=radar)

# -- item table -----------------------------------------------------------------------------------
if period:
    st.markdown(f"**{md(ctx.t('branch.items', period=P.display(period, lang)))}**")
    items = names.frame(store.query("branch__items", {"branch": code, "period": period}))
    if items.empty:
        st.info(md(ctx.t("common.no_data")))
    else:
        total = float(items["score"].sum())
        st.caption(
            md(
                ctx.t(
                    "branch.items_caption",
                    total=fmt_number(total, 1),
                    met=int(items["met"].sum()),
                    n=len(items),
                    ratio=settings["item_pass_ratio"],
                )
            )
        )
        shown = items.assign(
            met=lambda f: [ctx.t("branch.met_yes") if m else ctx.t("branch.met_no") for m in f["met"]],
            veto=lambda f: [ctx.t("compliance.yes") if v else "" for v in f["veto"]],
        )
        # On a phone the first columns are what shows: the item, its score and whether it is met; then the rest. A
        # checklist without veto items has no 否决项 column: blank in every row, it pushed the pass rate off screen.
        item_columns = ["item_code", "item_name", "score", "max_score", "met", "veto", "committee_pass_rate", "dimension"]
        if not items["veto"].any():
            item_columns.remove("veto")
        shown, formats = figures_as_shown(
            shown[item_columns],
            {
                "item_code": ctx.t("branch.item_code"),
                "dimension": ctx.t("compliance.dimension"),
                "item_name": ctx.t("compliance.item"),
                "score": ctx.t("branch.score"),
                "max_score": ctx.t("branch.max_score"),
                "veto": ctx.t("branch.veto"),
                "met": ctx.t("branch.met"),
                "committee_pass_rate": ctx.t("branch.committee_pass_rate"),
            },
        )
        rate = ctx.t("branch.committee_pass_rate")  # a bar, of the rate shown times 100 (figures_as_shown)
        formats[rate] = st.column_config.ProgressColumn(format="%.1f%%", min_value=0, max_value=100)
        st.dataframe(
            shown,
            hide_index=True,
            height=35 * (len(shown) + 1) + 3,  # every item at once: 24 rows fit on a laptop screen
            column_config=formats,
        )
        how_note(ctx, ctx.t("branch.help.items", ratio=settings["item_pass_ratio"]), key="branch_items", table=items)
else:
    st.info(md(ctx.t("branch.no_assessment")))

# -- volunteer and tier history -------------------------------------------------------------------
left, right = st.columns(2)
with left:
    monthly = store.query("branch__volunteer_by_month", bp)
    title = ctx.t("branch.volunteer", hours=fmt_number(monthly["hours"].sum()), pt=fmt_number(monthly["person_times"].sum()))
    fig = figures.monthly_volunteer(monthly, t=ctx.t, title=title)
    chart(ctx, fig, key="branch_volunteer", how=ctx.t("help.volunteer_trend") + " " + ctx.t("help.hours"), table=monthly)
with right:
    tier_rows = names.frame(store.query("branch__tier_history", bp)).assign(
        period_label=lambda f: [P.display(x, lang) for x in f["period"]]
    )
    fig = charts.tier_history(
        tier_rows,
        tiers=tiers,
        title=ctx.t("branch.tier_history"),
        x_label=ctx.t("common.period"),
        y_label=ctx.t("common.tier"),
    )
    chart(ctx, fig, key="branch_tiers", how=ctx.t("branch.help.tiers"), table=tier_rows.drop(columns=["period_label"]))
