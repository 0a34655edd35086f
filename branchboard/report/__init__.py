"""The committee's report (通报), drafted as Word: `build(store, state)` gathers the figures (facts), writes the
sentences (text), draws the charts (images) and lays the document out (document).

Used by the 生成报告 button (branchboard.ui) and by `python -m branchboard report`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from branchboard import charts, figures
from branchboard import periods as P
from branchboard.db import Store
from branchboard.filters import FilterState, describe
from branchboard.i18n import (
    Translator,
    fmt_date,
    fmt_deadline,
    fmt_hours,
    fmt_long_date,
    fmt_number,
    fmt_percent,
    label_columns,
    t,
)
from branchboard.report import document, images, text
from branchboard.report.facts import ReportFacts, gather

MAX_TABLE_ROWS = 60  # a printed list longer than this is cut, with a note; the dashboard's export has every row
Progress = images.Progress

__all__ = ["ReportFacts", "build", "compose", "gather"]


def _shown(frame: pd.DataFrame, columns: dict[str, Callable[[object], str] | None], lang: str) -> pd.DataFrame:
    """The columns listed, each formatted by its formatter (None: as text), headed in the reader's words."""
    out = pd.DataFrame(
        {name: [("" if pd.isna(v) else str(v)) if fmt is None else fmt(v) for v in frame[name]] for name, fmt in columns.items()}
    )
    return label_columns(out, lang)


def _cut(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, str | None]:
    if len(frame) <= MAX_TABLE_ROWS:
        return frame, None
    return frame.head(MAX_TABLE_ROWS), t("report.table_cut", lang, total=len(frame), shown=MAX_TABLE_ROWS)


def _table(title: str, frame: pd.DataFrame, columns: dict, lang: str, numeric: tuple[str, ...] = ()) -> document.Table:
    frame, note = _cut(frame, lang)
    shown = _shown(frame, columns, lang)
    headers = tuple(label_columns(pd.DataFrame(columns=list(numeric)), lang).columns)
    return document.Table(title=title, frame=shown, note=note, numeric=headers)


def _score(value: object) -> str:
    return fmt_number(float(value), 1)  # type: ignore[arg-type]


def _count(value: object) -> str:
    return fmt_number(int(value))  # type: ignore[call-overload]


def _compliance_section(facts: ReportFacts, lang: str) -> tuple[list[tuple[str, go.Figure]], list[document.Table]]:
    c, tr = facts.compliance, Translator(lang)
    if c.period is None:
        return [], []
    period = P.display(c.period, lang)
    figs: list[tuple[str, go.Figure]] = []
    trend, _ = figures.compliance_trend(c.by_period, t=tr, lang=lang, title=tr("report.chart.compliance_trend"), target=c.target)
    if trend is not None:
        figs.append((tr("report.chart.compliance_trend"), trend))
    if not c.by_unit.empty:
        by_unit = charts.hbar(
            c.benchmarked,  # a unit link: its units beside the committee, as its Compliance page shows
            label="unit_name",
            value="compliance_rate",
            percent=True,
            title=tr("report.chart.compliance_by_unit", period=period),
            value_label=tr("overview.kpi.compliance"),
            category_label=tr("common.unit"),
            target=c.target,
            target_label=tr("common.target", value=fmt_percent(c.target)),
            reference=tr("links.committee"),
        )
        if by_unit is not None:
            figs.append((tr("report.chart.compliance_by_unit", period=period), by_unit))
    tables = []
    if not c.by_unit.empty:
        tables.append(
            _table(
                tr("report.list.by_unit", period=period),
                c.by_unit,
                {"unit_name": None, "assessed": _count, "passed": _count, "compliance_rate": fmt_percent, "mean_score": _score},
                lang,
                numeric=("assessed", "passed", "compliance_rate", "mean_score"),
            )
        )
    if not c.below.empty:
        tables.append(
            _table(
                tr("report.list.below", period=period),
                c.below,
                {"branch_name": None, "unit_name": None, "total_score": _score, "gap_to_pass": _score, "weakest_items": None},
                lang,
                numeric=("total_score", "gap_to_pass"),
            )
        )
    return figs, tables


def _tiers_section(facts: ReportFacts, lang: str) -> tuple[list[tuple[str, go.Figure]], list[document.Table]]:
    tf, tr = facts.tiers, Translator(lang)
    figs: list[tuple[str, go.Figure]] = []
    mix, _ = figures.tier_mix(tf.mix, t=tr, lang=lang, title=tr("report.chart.tier_mix"), tiers=tf.tiers)
    if mix is not None:
        figs.append((tr("report.chart.tier_mix"), mix))
    tables = []
    if not tf.still_worst.empty and tf.before and tf.period:
        frame = tf.still_worst.rename(columns={"tier_before": "before", "tier_after": "after"})
        shown = _shown(frame, {"branch_name": None, "unit_name": None, "before": None, "after": None}, lang)
        shown = shown.rename(columns={"before": P.display(tf.before, lang), "after": P.display(tf.period, lang)})
        tables.append(document.Table(title=tr("report.list.still_worst", worst=tf.tiers[-1]), frame=shown))
    return figs, tables


def _volunteer_section(facts: ReportFacts, lang: str) -> tuple[list[tuple[str, go.Figure]], list[document.Table]]:
    v, tr = facts.volunteer, Translator(lang)
    figs: list[tuple[str, go.Figure]] = []
    monthly = figures.monthly_volunteer(v.by_month, t=tr, title=tr("report.chart.volunteer_by_month"))
    if monthly is not None:
        figs.append((tr("report.chart.volunteer_by_month"), monthly))
    tables = []
    if not v.by_unit.empty and v.hours:
        tables.append(
            _table(
                tr("report.list.volunteer_by_unit"),
                v.by_unit,
                {
                    "unit_name": None,
                    "members": _count,
                    "hours": fmt_hours,
                    "person_times": _count,
                    "hours_per_member": lambda x: fmt_number(None if pd.isna(x) else float(x), 1),
                },
                lang,
                numeric=("members", "hours", "person_times", "hours_per_member"),
            )
        )
    return figs, tables


def _terms_section(facts: ReportFacts, lang: str) -> tuple[list[tuple[str, go.Figure]], list[document.Table]]:
    r, tr = facts.terms.reminders, Translator(lang)
    if r.empty:
        return [], []
    frame = r.assign(
        term_status=[tr(f"overview.terms.{s}") for s in r["term_status"]],
        next_due=[fmt_date(pd.Timestamp(d).date()) for d in r["next_due"]],
        when=[fmt_deadline(n, lang) for n in r["days_left"]],
    )
    shown = _shown(frame, {"term_status": None, "branch_name": None, "unit_name": None, "next_due": None, "when": None}, lang)
    shown = shown.rename(columns={"when": tr("report.term.when")})
    cut, note = _cut(shown, lang)
    return [], [document.Table(title=tr("report.list.terms"), frame=cut, note=note)]


SECTIONS = {
    "compliance": _compliance_section,
    "tiers": _tiers_section,
    "volunteer": _volunteer_section,
    "terms": _terms_section,
}


def _front_lines(facts: ReportFacts, lang: str) -> list[str]:
    c = facts.compliance
    tier_name = facts.names.tier if facts.names else str
    lines = [t("report.scope", lang, text=describe(facts.state, tier_name))]
    if c.period and c.previous:
        lines.append(t("report.periods", lang, period=P.display(c.period, lang), previous=P.display(c.previous, lang)))
    elif c.period:
        lines.append(t("report.period_only", lang, period=P.display(c.period, lang)))
    if facts.state.tiers and facts.tiers.period:
        # Branches are chosen by their tier in the latest grading in range: say so, or the tier section reads oddly.
        tiers = ("、" if lang == "zh" else ", ").join(tier_name(x) for x in facts.state.tiers)
        lines.append(t("report.tier_filter", lang, tiers=tiers, period=P.display(facts.tiers.period, lang)))
    if facts.volunteer.first_date is not None:
        lines.append(t("report.volunteer_window", lang, window=text.volunteer_window(facts, lang)))
    lines.append(t("report.stamp", lang, as_of=facts.data_as_of, today=fmt_long_date(facts.terms.today, lang)))
    return lines


def compose(facts: ReportFacts, progress: Progress | None = None) -> document.Report:
    """The report's content: title, first-page lines, and each section's sentences, charts (drawn) and lists."""
    lang = facts.state.lang
    words = text.paragraphs(facts, lang)
    parts = {key: build_section(facts, lang) for key, build_section in SECTIONS.items()}
    all_figures = [fig for figs, _ in parts.values() for _, fig in figs]
    charts_note = None
    pngs: list[bytes | None]
    try:
        pngs = [*images.render_png(all_figures, progress)]
    except images.ChartsUnavailable:
        pngs = [None] * len(all_figures)
        charts_note = t("report.no_charts", lang)
    sections, i = [], 0
    for key, (figs, tables) in parts.items():
        drawn = [document.Figure(title, pngs[i + n]) for n, (title, _) in enumerate(figs)]
        i += len(figs)
        sections.append(
            document.Section(
                heading=t(f"report.section.{key}", lang),
                paragraphs=words[key],
                figures=drawn,
                tables=tables,
                note=charts_note if figs else None,
            )
        )
    period = facts.compliance.period or facts.tiers.period
    title = t("report.title", lang, period=P.display(period, lang)) if period else t("report.title_no_period", lang)
    return document.Report(title=title, front_lines=_front_lines(facts, lang), sections=sections, lang=lang)


def build(store: Store, state: FilterState, *, today: date | None = None, progress: Progress | None = None) -> bytes:
    """The .docx of the report for these filters, in the state's language."""
    return document.write(compose(gather(store, state, today), progress))
