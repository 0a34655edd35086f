"""The report's sentences: one Jinja2 template per paragraph and language (report/templates/<lang>/<name>.j2).

Templates choose the words (提高 / 下降 / 持平, 无后进支部, plurals); the figures come from `facts` and are
formatted by the one number formatter (branchboard.i18n), so the text shows a figure exactly as the dashboard
does. The output is plain text for python-docx, never markup: nothing is escaped and nothing is interpreted, and
a unit name holding template syntax is only ever a value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import jinja2

from branchboard import periods as P
from branchboard.i18n import fmt_hours, fmt_long_date, fmt_number, fmt_percent
from branchboard.report.facts import ReportFacts

TEMPLATES = Path(__file__).parent / "templates"
PARAGRAPHS = {
    "compliance": ("compliance", "compliance_units"),
    "tiers": ("tiers",),
    "volunteer": ("volunteer",),
    "terms": ("terms",),
}
_PLURALS = {
    "branch": "branches",
    "was": "were",
    "is": "are",
    "has": "have",
    "activity": "activities",
    "unit": "units",
    "remains": "remain",
}
MAX_NAMED = 3  # units named in a sentence; more are counted ("等5个单位")


def _names(values: Sequence[str], lang: str) -> str:
    values = [str(v) for v in values]
    if lang == "zh":
        shown = "、".join(values[:MAX_NAMED])
        return shown + (f"等{len(values)}个单位" if len(values) > MAX_NAMED else "")
    if len(values) > MAX_NAMED:
        return ", ".join(values[:MAX_NAMED]) + f" and {len(values) - MAX_NAMED} more"
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


def _month(value: date, lang: str) -> str:
    return f"{value.year}年{value.month}月" if lang == "zh" else value.strftime("%b %Y")


def _environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / lang),
        undefined=jinja2.StrictUndefined,  # a misspelt figure fails the tests instead of printing nothing
        autoescape=False,  # the output is text for a Word run, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        pct=fmt_percent,
        pp=lambda v: f"{abs(v):.1f}",
        score=lambda v: fmt_number(v, 1),
        count=lambda v: fmt_number(int(v)),
        hours=fmt_hours,
        date=lambda d: fmt_long_date(d, lang),
        period=lambda p: P.display(p, lang),
        names=lambda v: _names(v, lang),
        plural=lambda word, n: word if int(n) == 1 else _PLURALS.get(word, word + "s"),
    )
    return env


def _squash(text: str, lang: str) -> str:
    """Template lines joined: no space between Chinese lines, one space between English ones."""
    joined = re.sub(r"\s*\n\s*", "" if lang == "zh" else " ", text.strip())
    return re.sub(r" {2,}", " ", joined) if lang == "en" else joined


def _scope(facts: ReportFacts, lang: str) -> dict[str, Any]:
    """Who the sentences speak of: the committee, the chosen units, or "within the filters" (sectors, tiers)."""
    s = facts.state
    s = s.with_changes(units=s.units or s.scope)  # a unit link speaks of its units, never of 全委
    if not (s.units or s.sectors or s.tiers):
        kind, names = "committee", ""
    elif s.units and not (s.sectors or s.tiers):
        kind, names = "units", _names(s.units, lang)
    else:
        kind, names = "filtered", ""
    common = {"scope_kind": kind, "scope_count": len(s.units)}
    if lang == "zh":
        return {**common, "scope": {"committee": "全委", "units": names, "filtered": "筛选范围内"}[kind]}
    scope_in = {"committee": "across the committee", "units": f"in {names}", "filtered": "within the filters"}[kind]
    return {**common, "scope": names, "scope_in": scope_in, "scope_sentence": scope_in[0].upper() + scope_in[1:] + ","}


def _range(period_from: str | None, period_to: str | None, lang: str) -> str:
    if period_from == period_to and period_from:
        return P.display(period_from, lang)
    a = P.display(period_from, lang) if period_from else ""
    b = P.display(period_to, lang) if period_to else ""
    return f"{a}至{b}" if lang == "zh" else f"{a} to {b}"


def volunteer_window(facts: ReportFacts, lang: str) -> str:
    """The dates the volunteer figures cover: the period filter, else the first and last activity in the data."""
    s, v = facts.state, facts.volunteer
    if s.period_from and s.period_to:
        return _range(s.period_from, s.period_to, lang)
    if v.first_date is None or v.last_date is None:
        return "所选期间" if lang == "zh" else "the selected periods"
    a, b = _month(v.first_date, lang), _month(v.last_date, lang)
    if a == b:
        return a
    return f"{a}至{b}" if lang == "zh" else f"{a} to {b}"


def context(facts: ReportFacts, lang: str) -> dict[str, Any]:
    """What the templates see: the facts, rows as dicts, and the few phrases built from filters."""
    c, v = facts.compliance, facts.volunteer
    units = c.by_unit.to_dict(orient="records")
    meets = c.compliance_rate is not None and Fraction(c.passed, max(c.assessed, 1)) >= Fraction(str(c.target))
    window = volunteer_window(facts, lang)
    vol_units = v.by_unit.to_dict(orient="records")
    return {
        **_scope(facts, lang),
        "branches": facts.branches,
        "c": c,
        "t": facts.tiers,
        "v": v,
        "terms": facts.terms,
        "worst": facts.tiers.tiers[-1],
        "pairs": facts.tiers.promoted + facts.tiers.demoted + facts.tiers.unchanged,
        "meets_target": meets,
        "units": units,
        "top_units": [u["unit_name"] for u in units if units and u["compliance_rate"] == units[0]["compliance_rate"]],
        "bottom_units": [u["unit_name"] for u in units if units and u["compliance_rate"] == units[-1]["compliance_rate"]],
        "weakest": c.weakest,
        "window": window,
        "window_sentence": ("From " + window)
        if lang == "en" and "to" in window
        else ("In " + window if lang == "en" else window),
        "previous_window": _range(v.previous.period_from, v.previous.period_to, lang) if v.previous else "",
        "units_by_hours": vol_units,
        "silent_units": [u["unit_name"] for u in vol_units if not u["hours"]],
    }


def paragraphs(facts: ReportFacts, lang: str) -> dict[str, list[str]]:
    """Each section's opening paragraphs, in order, as plain text."""
    env = _environment(lang)
    values = context(facts, lang)
    values_volunteer = {**values, "units": values["units_by_hours"]}
    out: dict[str, list[str]] = {}
    for section, names in PARAGRAPHS.items():
        texts = []
        for name in names:
            rendered = env.get_template(f"{name}.j2").render(values_volunteer if section == "volunteer" else values)
            text = _squash(rendered, lang)
            if text:
                texts.append(text)
        out[section] = texts
    return out
