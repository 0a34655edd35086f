"""Exports: the table behind a chart as CSV or XLSX, and a one-file HTML brief of a page.

Cells that a spreadsheet would run as a formula (starting with = + - @, or a tab/CR) are neutralised
with a leading apostrophe. CSV is UTF-8 with a BOM so Excel shows Chinese.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from branchboard.charts import for_print, with_palette
from branchboard.escape import css_string
from branchboard.i18n import cell_text, fmt_hours, fmt_number, fmt_percent, label_columns

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which text cells cannot start a formula. Numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            text = series.astype("string")
            risky = text.str.startswith(_FORMULA_STARTS).fillna(False)
            if risky.any():
                out[column] = series.astype(object).where(~risky, "'" + text.astype(object))
    out.columns = [("'" + c) if isinstance(c, str) and c.startswith(_FORMULA_STARTS) else c for c in out.columns]
    return out


# What each exported column is, by the name its query gives it: a rate 0..1 (a percentage with one decimal, as every
# page shows it), a mean score (one decimal), a score as given (exact to the cent), service hours (to the cent,
# thousands separated) or a count (whole).
RATES = {"compliance_rate", "pass_rate", "dimension_rate", "unit_rate", "committee_rate", "branch_rate"}
RATES |= {"committee_pass_rate", "rate_before", "rate_after"}
MEANS = {"mean_score", "unit_mean", "committee_mean", "hours_per_member"}  # a mean: one decimal, as the cards
SCORES = {"total_score", "score", "max_score", "gap_to_pass", "bin_start", "bin_end"}
HOURS = {"hours"}
COUNTS = {"branches", "members", "member_count", "assessed", "passed", "person_times", "activities", "items_not_met", "tier_rank"}
_KINDS = (("rate", RATES), ("mean", MEANS), ("score", SCORES), ("hours", HOURS), ("count", COUNTS))
_DECIMALS = {"rate": 4, "mean": 1, "score": 2, "hours": 2}
_XLSX_FORMATS = {"rate": "0.0%", "mean": "0.0", "score": "0.0#", "hours": "#,##0.0#", "count": "#,##0"}


def column_kinds(frame: pd.DataFrame) -> dict[str, str]:
    """The kind of each numeric column of a query's frame (rate, score, hours, count); other columns are left out."""
    kinds = {}
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
            continue
        for kind, names in _KINDS:
            if column in names:
                kinds[column] = kind
    return kinds


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The figures as they are published: rates to a hundredth of a percentage point, means to one decimal, scores
    and hours to the cent (as stored), counts whole. No float noise (0.7708333333333334 becomes 0.7708) and nothing
    rounded past what a page shows."""
    out = frame.copy()
    for column, kind in column_kinds(frame).items():
        values = out[column].astype("float64")
        if kind == "count":
            out[column] = values.round().astype("Int64")
        else:
            out[column] = values.round(_DECIMALS[kind])
    return out


def as_shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A query's table as text, each figure written the way the pages write it (81.3%, 85.5, 1,234.5, 236), under
    the committee's words: for tables read, not computed with (the HTML brief)."""
    out = frame.copy()
    writers = {
        "rate": fmt_percent,
        "mean": lambda v: fmt_number(v, 1),
        "score": fmt_hours,  # exact to the cent with no trailing zeros, as hours are: 2.5, 85.25, 100
        "hours": fmt_hours,
        "count": fmt_number,
    }
    exact = typed(frame)
    kinds = column_kinds(frame)
    for column in frame.columns:
        if column in kinds:
            out[column] = [writers[kinds[column]](None if pd.isna(v) else v) for v in exact[column]]
        else:  # names, dates, words: a missing one is an empty cell, never "NaT" or "None"; a date as 2024-03-06
            out[column] = [cell_text(v) for v in frame[column]]
    return label_columns(out, lang)


def export_csv(frame: pd.DataFrame, lang: str) -> bytes:
    """A query's table as CSV for a spreadsheet: typed, rates written as 81.3% (which Excel and WPS read back as a
    percentage number), the committee's words as headers."""
    out = typed(frame)
    for column, kind in column_kinds(frame).items():
        if kind == "rate":
            out[column] = [None if pd.isna(v) else fmt_percent(v) for v in out[column]]
    return to_csv_bytes(label_columns(out, lang))


def export_xlsx(frame: pd.DataFrame, lang: str) -> bytes:
    """A query's table as XLSX: numbers stay numbers, each formatted as the pages show it (a rate as 81.3%)."""
    kinds = column_kinds(frame)
    labelled = label_columns(typed(frame), lang)
    formats = {
        header: _XLSX_FORMATS[kinds[column]]
        for column, header in zip(frame.columns, labelled.columns, strict=True)
        if column in kinds
    }
    return to_xlsx_bytes(labelled, formats=formats)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "数据", formats: dict[str, str] | None = None) -> bytes:
    """`formats`: an Excel number format per column header (see export_xlsx)."""
    buffer = io.BytesIO()
    safe = neutralise(frame)
    for column in safe.columns:  # xlsxwriter cannot write timezone-aware datetimes
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    with pd.ExcelWriter(
        buffer, engine="xlsxwriter", engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}
    ) as writer:
        safe.to_excel(writer, sheet_name=sheet_name[:31], index=False)
        sheet = writer.sheets[sheet_name[:31]]
        for i, column in enumerate(safe.columns):
            width = max([len(str(column))] + [len(str(v)) for v in safe[column].head(200)]) + 2
            number_format = (formats or {}).get(str(column))
            cell = writer.book.add_format({"num_format": number_format}) if number_format else None
            sheet.set_column(i, i, min(width * 1.6, 60), cell)
    return buffer.getvalue()


@dataclass
class BriefItem:
    title: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None  # with the query's column names; the brief puts the committee's words on them
    note: str | None = None


@dataclass
class Brief:
    """What a page showed in one run: collected by branchboard.ui as the page draws."""

    title: str = ""
    filters: str = ""
    data_as_of: str = ""
    kpis: list[tuple[str, str, str | None]] = field(default_factory=list)  # label, value, delta
    items: list[BriefItem] = field(default_factory=list)


_CSS = with_palette("""
body { font-family: 'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei','PingFang SC',sans-serif; margin: 24px auto;
       max-width: 1100px; color: $ink; }
h1 { color: $red; margin-bottom: 4px; } .meta { color: $faint; margin-bottom: 18px; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 20px; }
.kpi { border: 1px solid $card_border; border-left: 4px solid $red; border-radius: 8px; padding: 8px 14px; min-width: 150px; }
.kpi .l { color: $muted; font-size: 13px; } .kpi .v { font-size: 24px; } .kpi .d { color: $faint; font-size: 12px; }
section { margin: 18px 0 28px; } h2 { font-size: 18px; border-bottom: 1px solid $rule; padding-bottom: 4px; }
table { border-collapse: collapse; font-size: 13px; } td, th { border: 1px solid $line; padding: 3px 8px; }
th { background: $table_head; } .note { color: $faint; font-size: 13px; }
.chart { overflow-x: auto; }
/* Printed from the browser: A4 landscape, each section on its own page, no chart split or wider than the paper
   (charts are drawn at BRIEF_CHART_WIDTH), and the filters and data-as-of stamp at the top of every page (an @page
   margin box, written per brief: see _STAMP). */
@page { size: A4 landscape; margin: 16mm 12mm 12mm 12mm; }
@media print {
  body { margin: 0; max-width: none; }
  section { break-before: page; margin-top: 0; }
  h2 { break-after: avoid; }
  .chart, .kpis, .kpi, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  .chart { overflow: visible; }
}
""")
# The stamp at the top of every printed page. A margin box, not a fixed element: Chromium leaves a fixed element off
# the last page when a table runs onto it.
_STAMP = with_palette("@page {{ @top-left {{ content: {text}; font-size: 8pt; color: $faint; }} }}")

# A4 landscape is 297 mm wide; less 24 mm of margins, 273 mm is about 1,030 CSS px: a chart this wide fits.
BRIEF_CHART_WIDTH = 1000


def brief_html(brief: Brief, lang: str = "zh", max_rows: int = 200) -> str:
    """One self-contained HTML file: plotly.js inlined once, no request to any outside host."""
    parts = [
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{html.escape(brief.title)}</title><style>{_CSS}</style>",
        f"<style>{_STAMP.format(text=css_string(f'{brief.title} · {brief.filters} · {brief.data_as_of}'))}</style></head><body>",
        f"<h1>{html.escape(brief.title)}</h1>",
        f'<div class="meta">{html.escape(brief.filters)}<br>{html.escape(brief.data_as_of)}</div>',
    ]
    if brief.kpis:
        parts.append('<div class="kpis">')
        for label, value, delta in brief.kpis:
            d = f'<div class="d">{html.escape(delta)}</div>' if delta else ""
            parts.append(
                f'<div class="kpi"><div class="l">{html.escape(label)}</div><div class="v">{html.escape(value)}</div>{d}</div>'
            )
        parts.append("</div>")
    plotly_included = False
    for item in brief.items:
        parts.append(f"<section><h2>{html.escape(item.title)}</h2>")
        if item.figure is not None:
            # The printed variant (white paper, larger text, the section's heading as its title), at a width that fits
            # the page: a chart sized to the screen would be cut at the paper's edge.
            printed = for_print(item.figure, width=BRIEF_CHART_WIDTH)
            drawn = pio.to_html(
                printed,
                full_html=False,
                include_plotlyjs=not plotly_included,  # inline the library once, never a CDN
                include_mathjax=False,
                config={"displaylogo": False},
            )
            parts.append(f'<div class="chart">{drawn}</div>')
            plotly_included = True
        if item.table is not None and not item.table.empty:
            shown = as_shown(item.table.head(max_rows), lang)
            parts.append(neutralise(shown).to_html(index=False, border=0, escape=True))
        if item.note:
            parts.append(f'<p class="note">{html.escape(item.note)}</p>')
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
