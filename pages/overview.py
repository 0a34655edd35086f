"""总览 Overview: KPI cards with change against the previous period, and the three trends."""

import streamlit as st

from branchboard import figures, metrics
from branchboard import periods as P
from branchboard.escape import md
from branchboard.i18n import fmt_date, fmt_deadline, fmt_hours, fmt_number, fmt_percent
from branchboard.metrics import today
from branchboard.ui import KpiList, branch_first, chart, how_note, kpi, list_button, service_first, start_page

ctx = start_page("overview")
store, state, lang = ctx.store, ctx.state, ctx.lang
params = state.sql_params()
settings = store.settings()
tiers = store.tiers()
worst = tiers[-1]

summary = metrics.overview_summary(store, state)
by_period = metrics.compliance_periods(store, state)
period = summary["assessment"]["period"]
_, previous = metrics.latest_and_previous(by_period["period"].tolist(), by_period["in_range"].tolist())
prev_row = by_period.loc[by_period["period"] == previous].iloc[0] if previous else None

# -- KPI cards ----------------------------------------------------------------------------------
vol = summary["volunteer"]
prev_window = metrics.previous_volunteer_window(store, state)
prev_vol = store.query("volunteer__totals", prev_window.sql_params()).iloc[0] if prev_window else None
if prev_vol is not None and not prev_vol["hours"]:
    prev_vol = None

tier_period = summary["tiers"]["period"]
_, tier_before = metrics.tier_periods(store, state)
mix = store.query("tiers__mix", params)
worst_now = summary["tiers"]["counts"].get(worst, 0)
worst_before = int(mix.loc[(mix["period"] == tier_before) & (mix["tier"] == worst), "branches"].sum()) if tier_before else None


# -- the branches behind each card (opened from the card; queried only then) ----------------------
def _by(frame_of, column: str):
    return lambda: frame_of().sort_values(column, ascending=False, kind="stable")


def _in_scope():
    return store.query("branches__in_scope", params)


def _results():
    found = ctx.names.frame(store.query("compliance__branch_results", {**params, "period": period}))
    return found.assign(result=[ctx.t("kpi.passed" if p else "kpi.not_passed") for p in found["passed"]])


def _service():
    return store.query("volunteer__by_branch", params)


lists = {
    "branches": KpiList("branches", ctx.t("overview.kpi.branches"), _in_scope, branch_first("member_count", "secretary")),
    "members": KpiList("members", ctx.t("overview.kpi.members"), _by(_in_scope, "member_count"), branch_first("member_count")),
    "compliance": KpiList("compliance", ctx.t("overview.kpi.compliance"), _results, branch_first("total_score", "result")),
    "mean_score": KpiList(
        "mean_score",
        ctx.t("overview.kpi.mean_score"),
        _by(_results, "total_score"),
        branch_first("total_score"),
    ),
    "hours": KpiList("hours", ctx.t("overview.kpi.hours"), _by(_service, "hours"), service_first("hours")),
    "hours_per_member": KpiList(
        "hours_per_member",
        ctx.t("overview.kpi.hours_per_member"),
        _by(_service, "hours_per_member"),
        service_first("hours_per_member"),
    ),
    "worst_tier": KpiList(
        "worst_tier",
        ctx.t("overview.kpi.worst_tier", tier=ctx.names.tier(worst)),
        lambda: ctx.names.frame(store.query("tiers__branches_rated", {**params, "period": tier_period, "tier": worst})),
        branch_first("tier", "honors"),
    ),
    "person_times": KpiList(
        "person_times", ctx.t("common.person_times"), _by(_service, "person_times"), service_first("person_times")
    ),
}

vs = ctx.t("common.vs_previous", period=P.display(previous, lang)) if previous else None
a = summary["assessment"]
row1 = st.columns(4)
kpi(ctx, row1[0], ctx.t("overview.kpi.branches"), fmt_number(summary["branches"]), opens=lists["branches"])
kpi(ctx, row1[1], ctx.t("overview.kpi.members"), fmt_number(summary["members"]), opens=lists["members"])
kpi(
    ctx,
    row1[2],
    ctx.t("overview.kpi.compliance"),
    fmt_percent(a["compliance_rate"]),
    change=(a["compliance_rate"] - prev_row["compliance_rate"]) if prev_row is not None else None,
    change_unit="pp",
    help=ctx.t("help.compliance", pass_score=settings["pass_score"], target=fmt_percent(float(settings["compliance_target"]))),
    opens=lists["compliance"] if period else None,
)
kpi(
    ctx,
    row1[3],
    ctx.t("overview.kpi.mean_score"),
    fmt_number(a["mean_score"], 1),
    change=(a["mean_score"] - prev_row["mean_score"]) if prev_row is not None else None,
    help=ctx.t("help.mean_score"),
    opens=lists["mean_score"] if period else None,
)
row2 = st.columns(4)
kpi(
    ctx,
    row2[0],
    ctx.t("overview.kpi.hours"),
    fmt_hours(vol["hours"]),
    change=(vol["hours"] - float(prev_vol["hours"])) if prev_vol is not None else None,
    change_unit="hours",
    help=ctx.t("help.hours") + " " + ctx.t("help.delta_volunteer"),
    opens=lists["hours"],
)
kpi(
    ctx,
    row2[1],
    ctx.t("overview.kpi.hours_per_member"),
    fmt_number(vol["hours_per_member"], 1),
    change=(
        vol["hours_per_member"] - prev_vol["hours_per_member"]
        if prev_vol is not None and vol["hours_per_member"] is not None
        else None
    ),
    help=ctx.t("help.hours_per_member"),
    opens=lists["hours_per_member"],
)
kpi(
    ctx,
    row2[2],
    ctx.t("overview.kpi.worst_tier", tier=ctx.names.tier(worst)),
    fmt_number(worst_now) if tier_period else "—",
    change=(worst_now - worst_before) if worst_before is not None and tier_period else None,
    change_digits=0,
    up_is_good=False,  # more 后进 branches is bad news
    help=ctx.t("help.tier_mix"),
    opens=lists["worst_tier"] if tier_period else None,
)
kpi(
    ctx,
    row2[3],
    ctx.t("common.person_times"),
    fmt_number(vol["person_times"]),
    change=(vol["person_times"] - prev_vol["person_times"]) if prev_vol is not None else None,
    change_digits=0,
    help=ctx.t("help.hours"),
    opens=lists["person_times"],
)
if period:
    caption = ctx.t("overview.kpi.period_caption", period=P.display(period, lang))
    caption += " · " + ctx.t("overview.kpi.passed_of", passed=a["passed"], assessed=a["assessed"])
    if vs:
        caption += f" · {vs}"
    st.caption(md(caption))

# -- trends -------------------------------------------------------------------------------------
left, right = st.columns(2)
with left:
    target = float(settings["compliance_target"])
    fig, table = figures.compliance_trend(by_period, t=ctx.t, lang=lang, title=ctx.t("overview.compliance_trend"), target=target)
    chart(
        ctx,
        fig,
        key="overview_compliance_trend",
        how=ctx.t("help.compliance", pass_score=settings["pass_score"], target=fmt_percent(target)),
        table=table,
    )

with right:
    fig, table = figures.tier_mix(
        ctx.names.frame(mix), t=ctx.t, lang=lang, title=ctx.t("overview.tier_mix"), tiers=ctx.names.tier_list(tiers)
    )
    chart(ctx, fig, key="overview_tier_mix", how=ctx.t("help.tier_mix"), table=table)
    moves = summary["tiers"]
    if tier_before and tier_period:
        st.caption(
            md(
                ctx.t(
                    "overview.tier_moves",
                    before=P.display(tier_before, lang),
                    promoted=moves["promoted"],
                    demoted=moves["demoted"],
                    unchanged=moves["unchanged"],
                )
            )
        )

left, right = st.columns(2)
with left:
    monthly = store.query("volunteer__by_month", params)
    fig = figures.monthly_volunteer(monthly, t=ctx.t, title=ctx.t("overview.volunteer_trend"))
    chart(ctx, fig, key="overview_volunteer_trend", how=ctx.t("help.volunteer_trend"), table=monthly)

with right:
    st.markdown(f"**{md(ctx.t('overview.weakest'))}**")
    if period:
        items = ctx.names.frame(store.query("compliance__item_pass_rates", {**params, "period": period}))
        weakest = items.head(metrics.WEAKEST_COUNT)
        for row in weakest.to_dict("records"):
            rate = float(row["pass_rate"])
            share = ctx.t("overview.item_rate", rate=fmt_percent(rate), met=row["met"], assessed=row["assessed"])
            # One element per item (the bar and its words), not two: every element is drawn before the first chart.
            item = f"**{md(row['item_code'])} {md(row['item_name'])}** · {md(row['dimension'])}"
            st.progress(rate, text=f"{item} · {md(share)}")
        how_note(ctx, ctx.t("help.weakest", ratio=settings["item_pass_ratio"]), key="overview_weakest")
    else:
        st.info(md(ctx.t("common.no_data")))

# -- 换届提醒 ------------------------------------------------------------------------------------
# The most urgent few as lines, every one of them in a dialog with the table. Lines read on a phone where a table's
# columns would not fit, and a page without a table draws sooner: the table's code (a tenth of a second and more to
# load, and to redraw on every filter change) is loaded only when the dialog opens.
TERMS_SHOWN = 5
TERM_BADGES = {"overdue": "red", "due_3m": "orange", "due_6m": "blue"}
st.subheader(md(ctx.t("overview.terms.title")))
reminders = store.query("branches__term_reminders", {**params, "today": today()})
if reminders.empty:
    st.success(md(ctx.t("overview.terms.none")))
else:
    counts = reminders["term_status"].value_counts()
    st.caption(
        md(
            ctx.t(
                "overview.terms.caption",
                overdue=int(counts.get("overdue", 0)),
                due_3m=int(counts.get("due_3m", 0)),
                due_6m=int(counts.get("due_6m", 0)),
            )
        )
    )
    shown = reminders.assign(
        status=lambda f: [ctx.t(f"overview.terms.{s}") for s in f["term_status"]],
        last_election_on=lambda f: [fmt_date(d) for d in f["last_election_on"]],
        next_due=lambda f: [fmt_date(d) for d in f["next_due"]],
        deadline=lambda f: [fmt_deadline(d, lang) for d in f["days_left"]],
    )
    lines = []
    for row in shown.head(TERMS_SHOWN).to_dict("records"):
        badge = f":{TERM_BADGES.get(row['term_status'], 'gray')}-badge[{md(row['status'])}]"
        lines.append(f"{badge} **{md(row['branch_name'])}** · {md(row['unit_name'])} · {md(row['deadline'])}")
    if lines:
        st.markdown("  \n".join(lines))  # one element, a line per branch (hard line breaks)
    every_one = KpiList(
        "term_reminders",
        ctx.t("overview.terms.title"),
        lambda: shown.drop(columns="term_status").rename(columns={"status": "term_status"}),
        branch_first("term_status", "deadline", after_unit=("next_due", "last_election_on")),
    )
    list_button(ctx, st, every_one, label=ctx.t("overview.terms.open_all", n=len(shown)))
    how_note(ctx, ctx.t("branch.help.term"), key="overview_term_reminders")
