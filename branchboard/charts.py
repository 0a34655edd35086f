"""Plotly figure builders with one theme. Pages pass small query results and translated labels.

Tier colours are fixed: a red scale with the best tier strongest, the same on every chart.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PARTY_RED = "#C8102E"
ACCENT = "#D4A017"  # gold, for targets and reference lines
GREY = "#8A8A8A"
SERIES = [PARTY_RED, "#2F5D8A", "#D98C1F", "#4E8F5A", "#7D5BA6", "#A14B3B", "#3B8EA5", "#B5838D"]

_TIER_SCALE = ["#8E0B1E", "#C8102E", "#E8694F", "#F3A37C", "#F8CDB4", "#FBE5D6"]


def tier_colors(tiers: Sequence[str]) -> dict[str, str]:
    """Best tier (first) strongest; spread over the scale for 3–6 tiers."""
    n = len(tiers)
    if n <= 1:
        return {t: _TIER_SCALE[0] for t in tiers}
    picks = [round(i * (len(_TIER_SCALE) - 2) / (n - 1)) for i in range(n)]
    return {t: _TIER_SCALE[p] for t, p in zip(tiers, picks, strict=True)}


def _base(fig: go.Figure, title: str | None = None, height: int = 360) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 16}} if title else None,
        font={"family": FONT, "size": 13, "color": "#262730"},
        height=height,
        margin={"l": 10, "r": 10, "t": 48 if title else 16, "b": 10},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0, "title": None},
        hoverlabel={"font": {"family": FONT}},
        colorway=SERIES,
    )
    fig.update_xaxes(showgrid=False, linecolor="#CCCCCC", automargin=True)
    fig.update_yaxes(gridcolor="#EEEEEE", zeroline=False, automargin=True)
    return fig


def rate_trend(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    x_label: str,
    y_label: str,
    target: float | None = None,
    target_label: str | None = None,
    hover_extra: str | None = None,
) -> go.Figure:
    """A rate (0..1) per period as bars with value labels, and the target as a dashed line."""
    fig = go.Figure(
        go.Bar(
            x=frame[x],
            y=frame[y],
            marker_color=PARTY_RED,
            text=[f"{v * 100:.1f}%" for v in frame[y]],
            textposition="outside",
            customdata=frame[[hover_extra]] if hover_extra else None,
            hovertemplate=f"%{{x}}<br>{y_label}：%{{y:.1%}}"
            + ("<br>%{customdata[0]}" if hover_extra else "")
            + "<extra></extra>",
        )
    )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": ACCENT, "dash": "dash", "width": 2},
            annotation_text=target_label,
            annotation_position="top left",
            annotation_font_color="#8A6A00",
        )
    _base(fig, title)
    fig.update_yaxes(title=y_label, tickformat=".0%", range=[0, 1.12])
    fig.update_xaxes(title=x_label, type="category")
    return fig


def stacked_tiers(
    frame: pd.DataFrame, *, tiers: Sequence[str], title: str, x_label: str, y_label: str, tier_label: str
) -> go.Figure:
    """Branches per tier and period, stacked, best tier at the bottom."""
    colors = tier_colors(tiers)
    fig = go.Figure()
    for tier in tiers:
        part = frame[frame["tier"] == tier]
        fig.add_bar(
            x=part["period_label"],
            y=part["branches"],
            name=tier,
            marker_color=colors[tier],
            text=part["branches"],
            textposition="inside",
            textangle=0,
            hovertemplate=f"%{{x}}<br>{tier_label}：{tier}<br>{y_label}：%{{y}}<extra></extra>",
        )
    _base(fig, title)
    # Periods in the frame's (chronological) order, even when the best tier is missing in early ones.
    fig.update_xaxes(categoryorder="array", categoryarray=list(dict.fromkeys(frame["period_label"])))
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"}, uniformtext={"minsize": 10, "mode": "hide"})
    fig.update_xaxes(title=x_label, type="category")
    fig.update_yaxes(title=y_label)
    return fig


def monthly_hours(frame: pd.DataFrame, *, title: str, x_label: str, hours_label: str, person_times_label: str) -> go.Figure:
    """Hours per month as bars, 人次 as a line on a second axis."""
    fig = go.Figure()
    fig.add_bar(
        x=frame["month"],
        y=frame["hours"],
        name=hours_label,
        marker_color=PARTY_RED,
        hovertemplate=f"%{{x|%Y-%m}}<br>{hours_label}：%{{y:,.1f}}<extra></extra>",
    )
    fig.add_scatter(
        x=frame["month"],
        y=frame["person_times"],
        name=person_times_label,
        yaxis="y2",
        mode="lines+markers",
        line={"color": "#2F5D8A", "width": 2},
        hovertemplate=f"%{{x|%Y-%m}}<br>{person_times_label}：%{{y:,}}<extra></extra>",
    )
    _base(fig, title)
    fig.update_layout(
        yaxis={"title": hours_label, "tickformat": ",d", "rangemode": "tozero"},
        yaxis2={
            "title": person_times_label,
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "tickformat": ",d",
            "rangemode": "tozero",
        },
    )
    fig.update_xaxes(title=x_label, tickformat="%Y-%m", dtick="M3")
    return fig
