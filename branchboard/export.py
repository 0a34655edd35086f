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

from branchboard.charts import with_palette
from branchboard.i18n import label_columns

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


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "数据") -> bytes:
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
            sheet.set_column(i, i, min(width * 1.6, 60))
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
""")


def brief_html(brief: Brief, lang: str = "zh", max_rows: int = 200) -> str:
    """One self-contained HTML file: plotly.js inlined once, no request to any outside host."""
    parts = [
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{html.escape(brief.title)}</title><style>{_CSS}</style></head><body>",
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
            parts.append(
                pio.to_html(
                    item.figure,
                    full_html=False,
                    include_plotlyjs=not plotly_included,  # inline the library once, never a CDN
                    include_mathjax=False,
                    config={"displaylogo": False, "responsive": True},
                )
            )
            plotly_included = True
        if item.table is not None and not item.table.empty:
            shown = label_columns(item.table.head(max_rows), lang)
            parts.append(neutralise(shown).to_html(index=False, border=0, escape=True))
        if item.note:
            parts.append(f'<p class="note">{html.escape(item.note)}</p>')
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
