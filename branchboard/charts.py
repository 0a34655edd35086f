"""Plotly figure builders with one theme. Pages pass small query results and translated labels.

Tier colours are fixed: a red scale with the best tier strongest, the same on every chart.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io

from branchboard.escape import plotly_text
from branchboard.fingerprint import shared_build
from branchboard.i18n import display_width
from branchboard.lru import LRU

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PARTY_RED = "#C8102E"
STEEL_BLUE = "#2F5D8A"  # a second colour beside the red: a breakdown that is not a ranking (hours by activity type)
MOVED_UP = "#4E8F5A"  # a branch that moved up a tier
MOVED_DOWN = PARTY_RED  # … and down
WORST_TIER = "#3D3D44"  # 后进: dark, apart from the reds of the better tiers
ACCENT = "#D4A017"  # gold, for targets and reference lines
GREY = "#8A8A8A"
# The colours around the charts (KPI cards, the copy button, the HTML brief, the import templates' headers, the
# benchmark's own chart), named here with the charts' own so the product has one palette. CSS takes them as $name.
PAGE_COLOURS = {
    "red": PARTY_RED,
    "ink": "#262730",  # body text, Streamlit's own
    "muted": "#5A5A5A",  # labels
    "faint": "#666666",  # notes, stamps
    "line": "#DDDDDD",  # table and input borders
    "rule": "#EEEEEE",  # a heading's underline
    "card_border": "#EDE3E3",
    "table_head": "#F7F3F2",
    "template_head": "#F7E6E6",
    "white": "#FFFFFF",
    "black": "#000000",
    "error_fill": "#FDE2E4",  # an import preview's cell with an error …
    "error_ink": "#8E0B1E",
    "warning_fill": "#FFF3CD",  # … and with a warning
}


def with_palette(text: str) -> str:
    """CSS or an HTML snippet with its $red, $ink … filled from PAGE_COLOURS (constant text only, never data)."""
    return string.Template(text).substitute(PAGE_COLOURS)


SERIES = [PARTY_RED, STEEL_BLUE, "#D98C1F", MOVED_UP, "#7D5BA6", "#A14B3B", "#3B8EA5", "#B5838D"]

_TIER_SCALE = ["#8E0B1E", "#C8102E", "#E8694F", "#F3A37C", "#F8CDB4", "#FBE5D6"]


# -- built once, shared ------------------------------------------------------------------------------------------
# Every session that asks for a chart of the same rows with the same words gets the figure built for the first:
# building one costs 10-30 ms of the one core Python code runs on, and twenty members of a meeting looking at the
# same filters would otherwise build the same figures twenty times. A figure is handed out as it is, not copied
# (a copy costs more than building it): callers must not change it (branchboard.ui.chart copies before enlarging
# one for meeting mode).
_BUILT: LRU[go.Figure | None] = LRU(512)  # each figure under two keys (branchboard.fingerprint.shared_build)
Builder = TypeVar("Builder", bound=Callable[..., go.Figure | None])


def shared(builder: Builder) -> Builder:
    """Every figure builder's wrapper: None (the page shows its empty state) for an empty frame, so no page checks
    first; otherwise the result cached on the content of its arguments (see _BUILT)."""

    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> go.Figure | None:
        frame = args[0] if args else None
        if isinstance(frame, pd.DataFrame) and frame.empty:
            return None

        def built() -> go.Figure | None:
            fig = builder(*args, **kwargs)
            if fig is not None:
                _dict_once(fig)
            return fig

        return shared_build(_BUILT, builder.__qualname__, (args, dict(sorted(kwargs.items()))), built)

    return build  # type: ignore[return-value]


class _MadeOnce(dict):
    """A shared figure's dict, with the JSON Streamlit sends of it (see _dict_once)."""

    json: str


def _dict_once(fig: go.Figure) -> None:
    """Have a shared figure answer `to_dict` with one dict made now, and the JSON of it with one string. st.plotly_chart
    asks every figure for both on every run (Plotly deep-copies every trace and base64-encodes its arrays, then
    encodes the whole to JSON: ~4.5 ms of a chart's ~5), and a shared figure never changes. Nothing that reads the
    dict changes it (Streamlit and the brief serialise it; meeting mode and the print copy the figure itself)."""
    made = _MadeOnce(fig.to_dict())
    made.json = _plotly_to_json(made, validate=False)  # as st.plotly_chart asks for it (which also drops trace uids)
    fig.to_dict = lambda: made  # Plotly lets an attribute it has be set on the figure


# st.plotly_chart calls plotly.io.to_json(figure.to_dict(), validate=False) by attribute, so the one string per shared
# figure is given there; every other call (another figure, other arguments) goes to Plotly's own.
_plotly_to_json = getattr(plotly.io.to_json, "__wrapped__", plotly.io.to_json)  # Plotly's own, on a reload too


@functools.wraps(_plotly_to_json)
def _to_json_once(fig: Any, *args: Any, **kwargs: Any) -> str:
    """plotly.io.to_json, answering Streamlit's call for a shared figure's dict with the string made with it."""
    if isinstance(fig, _MadeOnce) and not args and kwargs == {"validate": False}:
        return fig.json
    return _plotly_to_json(fig, *args, **kwargs)


plotly.io.to_json = _to_json_once


def tier_colors(tiers: Sequence[str]) -> dict[str, str]:
    """Best tier (first) strongest red, the middle tiers lighter reds; the worst tier (后进) a dark charcoal, so the
    branches a committee has to help stand out instead of fading into the palest red."""
    n = len(tiers)
    if n <= 1:
        return {t: _TIER_SCALE[0] for t in tiers}
    better = tiers[:-1]
    picks = [round(i * (len(_TIER_SCALE) - 2) / max(1, len(better) - 1)) for i in range(len(better))]
    return {**{t: _TIER_SCALE[p] for t, p in zip(better, picks, strict=True)}, tiers[-1]: WORST_TIER}


def _merge(base: dict, extra: dict) -> dict:
    """Nested layout dicts merged the way Figure.update_layout merges them (extra wins, dicts merge)."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _figure(
    traces: Sequence[go.BasePlotlyType],
    title: str | None,
    *,
    height: int = 360,
    title_place: dict[str, Any] | None = None,
    **layout: Any,
) -> go.Figure:
    """A figure in the one theme, built in one step from its traces and a layout dict.

    Plotly validates a layout given at construction once; every update_layout/update_xaxes/add_hline call
    afterwards costs several milliseconds more, which on a page of charts was a third of a filter change.
    """
    theme = {
        "title": {"text": title, "font": {"size": 16}, **(title_place or {})} if title else None,
        "font": {"family": FONT, "size": 13, "color": "#262730"},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 48 if title else 16, "b": 10},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0, "title": None},
        "hoverlabel": {"font": {"family": FONT}},
        "colorway": SERIES,
        "xaxis": {"showgrid": False, "linecolor": "#CCCCCC", "automargin": True},
        "yaxis": {"gridcolor": "#EEEEEE", "zeroline": False, "automargin": True},
    }
    return go.Figure(data=[_plain_trace(t) for t in traces], layout=_plain_layout(_merge(theme, layout)))


# Trace attributes that carry names from the data (units, branches, items, tiers, activity types). Plotly reads a
# subset of HTML in them, so they are written as plain text (branchboard.escape); a line break a builder wants is
# written as "\n" (see _wrap) and becomes <br> only after escaping.
_TEXT_ATTRIBUTES = ("x", "y", "text", "name", "theta", "customdata", "hovertext", "labels")


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return plotly_text(value).replace("\n", "<br>")
    if isinstance(value, np.ndarray) and value.dtype == object:
        return np.vectorize(_plain, otypes=[object])(value) if value.size else value
    if isinstance(value, pd.Series | pd.Index):
        return _plain(value.to_numpy()) if value.dtype == object or pd.api.types.is_string_dtype(value.dtype) else value
    if isinstance(value, pd.DataFrame):
        return _plain(value.to_numpy())
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _has_text(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype == object and any(isinstance(v, str) for v in value.ravel())
    return isinstance(value, list | tuple) and any(
        isinstance(v, str) or _has_text(v) for v in value if not isinstance(v, int | float)
    )


# A hover line reads "达标率：77.1%" in Chinese and "Compliance rate: 77.1%" in English: the builders write the
# full-width colon, and after a Latin label it becomes ": ".
_LATIN_COLON = re.compile(r"(?<=[\x21-\x7e])：")


def _hover_colons(value: Any) -> Any:
    if isinstance(value, str):
        return _LATIN_COLON.sub(": ", value)
    if isinstance(value, list | tuple):
        return [_hover_colons(v) for v in value]
    return value


def _plain_trace(trace: go.BasePlotlyType) -> go.BasePlotlyType:
    for attribute in ("hovertemplate", "hovertext"):
        if attribute in trace and trace[attribute] is not None:
            trace[attribute] = _hover_colons(trace[attribute] if isinstance(trace[attribute], str) else list(trace[attribute]))
    for attribute in _TEXT_ATTRIBUTES:
        if attribute in trace and trace[attribute] is not None and _has_text(trace[attribute]):
            trace[attribute] = _plain(trace[attribute])
    if isinstance(trace, go.Sankey) and trace.node.label is not None:
        trace.node.label = _plain(list(trace.node.label))
    return trace


def _plain_layout(layout: dict) -> dict:
    title = layout.get("title")
    if isinstance(title, dict) and title.get("text"):
        title["text"] = _plain(title["text"])
    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            for attribute in ("categoryarray", "ticktext"):
                if value.get(attribute) is not None:
                    value[attribute] = _plain(list(value[attribute]))
            if isinstance(value.get("title"), dict) and value["title"].get("text"):
                value["title"]["text"] = _plain(value["title"]["text"])
    for note in layout.get("annotations") or []:
        if note.get("text"):
            note["text"] = _plain(note["text"])
    return layout


_REFERENCE_LINE = {"color": ACCENT, "dash": "dash", "width": 2}
_REFERENCE_FONT = {"color": "#8A6A00"}


def _hline(y: float, label: str | None, *, below: bool = False) -> tuple[dict, dict]:
    """A dashed reference line across the plot at y (target, pass line), labelled at its left end."""
    shape = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y, "line": _REFERENCE_LINE}
    note = {
        "text": label,
        "showarrow": False,
        "xref": "x domain",
        "x": 0,
        "xanchor": "left",
        "yref": "y",
        "y": y,
        "yanchor": "top" if below else "bottom",
        "font": _REFERENCE_FONT,
    }
    return shape, note


def _vline(x: float, label: str | None, *, left: bool = False) -> tuple[dict, dict]:
    """A dashed reference line up the plot at x, labelled above it (or inside, to its left)."""
    shape = {"type": "line", "xref": "x", "x0": x, "x1": x, "yref": "y domain", "y0": 0, "y1": 1, "line": _REFERENCE_LINE}
    note = {
        "text": label,
        "showarrow": False,
        "xref": "x",
        "x": x,
        "xanchor": "right" if left else "center",
        "yref": "y domain",
        "y": 1,
        "yanchor": "top" if left else "bottom",
        "font": _REFERENCE_FONT,
    }
    return shape, note


def _legend_line(label: str) -> go.Scatter:
    """A reference line's entry in the legend (the line itself is a shape): for charts whose value labels sit at
    the tops of bars or points, where a label on the line would sit on them."""
    return go.Scatter(x=[None], y=[None], mode="lines", line=_REFERENCE_LINE, name=label, hoverinfo="skip")


def _lines(*lines: tuple[dict, dict] | None) -> dict:
    """Layout entries (shapes, annotations) for reference lines; None entries are skipped."""
    drawn = [line for line in lines if line is not None]
    return {"shapes": [s for s, _ in drawn], "annotations": [a for _, a in drawn]} if drawn else {}


@shared
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
    bars = go.Bar(
        x=frame[x],
        y=frame[y],
        marker_color=PARTY_RED,
        text=[f"{v * 100:.1f}%" for v in frame[y]],
        textposition="outside",
        customdata=frame[[hover_extra]] if hover_extra else None,
        hovertemplate=f"%{{x}}<br>{y_label}：%{{y:.1%}}" + ("<br>%{customdata[0]}" if hover_extra else "") + "<extra></extra>",
        showlegend=False,
    )
    if target is None:
        return _figure(
            [bars],
            title,
            yaxis={"title": {"text": y_label}, "tickformat": ".0%", "range": [0, 1.12]},
            xaxis={"title": {"text": x_label}, "type": "category"},
        )
    # The target is named in the legend, not on its line: a bar near the target has its label right there.
    line, _ = _hline(target, None)
    return _figure(
        [bars, _legend_line(target_label or "")],
        title,
        yaxis={"title": {"text": y_label}, "tickformat": ".0%", "range": [0, 1.12]},
        xaxis={"title": {"text": x_label}, "type": "category"},
        shapes=[line],
        showlegend=True,
        **_legend_under_title(),
    )


@shared
def stacked_tiers(
    frame: pd.DataFrame, *, tiers: Sequence[str], title: str, x_label: str, y_label: str, tier_label: str
) -> go.Figure:
    """Branches per tier and period, stacked, best tier at the bottom."""
    colors = tier_colors(tiers)
    bars = []
    for tier in tiers:
        part = frame[frame["tier"] == tier]
        bars.append(
            go.Bar(
                x=part["period_label"],
                y=part["branches"],
                name=tier,
                marker_color=colors[tier],
                text=part["branches"],
                textposition="inside",
                textangle=0,
                hovertemplate=f"%{{x}}<br>{tier_label}：{plotly_text(tier)}<br>{y_label}：%{{y}}<extra></extra>",
            )
        )
    return _figure(
        bars,
        title,
        # Periods in the frame's (chronological) order, even when the best tier is missing in early ones.
        xaxis={
            "categoryorder": "array",
            "categoryarray": list(dict.fromkeys(frame["period_label"])),
            "title": {"text": x_label},
            "type": "category",
        },
        yaxis={"title": {"text": y_label}},
        barmode="stack",
        uniformtext={"minsize": 10, "mode": "hide"},
        **_legend_under_title(traceorder="normal"),
    )


def _month_ticks(months: int, month_tick: str, year_tick: str) -> dict[str, Any]:
    """Month axis ticks that stay upright and apart even on a phone's half-width chart: over a year, one per year
    (2024年, centred on its year); up to a year, every third month (3月 over 2024年); a quarter, every month."""
    if months > 12:
        return {"dtick": "M12", "tickformat": year_tick, "ticklabelmode": "period", "tickangle": 0}
    return {"dtick": "M3" if months > 3 else "M1", "tickformat": month_tick, "tickangle": 0}


def _months(months: pd.Series) -> int:
    """How many calendar months the series spans."""
    if not len(months):
        return 1
    return (pd.Timestamp(months.max()).to_period("M") - pd.Timestamp(months.min()).to_period("M")).n + 1


@shared
def monthly_hours(
    frame: pd.DataFrame,
    *,
    title: str,
    x_label: str,
    hours_label: str,
    person_times_label: str,
    month_tick: str = "%-m月<br>%Y年",
    year_tick: str = "%Y年",
    month_hover: str = "%Y年%-m月",
) -> go.Figure:
    """Hours per month as bars, 人次 as a line on a second axis. Months written as `month_tick` on the axis and
    `month_hover` in the hover (d3 time formats from the string catalog: 2024年3月, Mar 2024)."""
    hours = go.Bar(
        x=frame["month"],
        y=frame["hours"],
        name=hours_label,
        marker_color=PARTY_RED,
        hovertemplate=f"%{{x|{month_hover}}}<br>{hours_label}：%{{y:,.1f}}<extra></extra>",
    )
    person_times = go.Scatter(
        x=frame["month"],
        y=frame["person_times"],
        name=person_times_label,
        yaxis="y2",
        mode="lines+markers",
        line={"color": "#2F5D8A", "width": 2},
        marker={"size": 7, "color": "#2F5D8A", "line": {"color": "#FFFFFF", "width": 1.5}},  # seen on a bar and on white
        hovertemplate=f"%{{x|{month_hover}}}<br>{person_times_label}：%{{y:,}}<extra></extra>",
    )
    return _figure(
        [hours, person_times],
        title,
        yaxis={"title": {"text": hours_label}, "tickformat": ",d", "rangemode": "tozero"},
        yaxis2={
            "title": {"text": person_times_label},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "tickmode": "auto",  # its own round ticks (0, 200, 400 …), not ones synced to the hours grid (203, 407 …)
            "tickformat": ",d",
            "rangemode": "tozero",
        },
        xaxis={"title": {"text": x_label}, **_month_ticks(_months(frame["month"]), month_tick, year_tick)},
        **_legend_under_title(),  # the title carries totals ("合计 1,252 小时 / 533 人次")
    )


def _legend_under_title(height: int = 360, **legend: Any) -> dict[str, Any]:
    """Layout for a chart whose legend would share a line with a long title: the legend gets its own band under
    the title, or the two overlap in a half-width column or on a phone. Both are pinned from the top of the figure
    and the legend grows down, so when a phone wraps it onto two lines it runs into the band, not over the title."""
    return {
        "margin": {"t": 80},
        "title_place": {"yref": "container", "y": 1 - 8 / height, "yanchor": "top"},
        "legend": {"yref": "container", "y": 1 - 36 / height, "yanchor": "top", **legend},
    }


# -- analysis pages ---------------------------------------------------------------------------
def _wrap(label: str, width: int = 4) -> str:
    """Break a long Chinese axis label into lines of `width` characters (组织设置⏎标准化; "\n" becomes <br> in
    _figure, after the label itself was escaped)."""
    if len(label) <= width + 1:
        return label
    if " " in label or label.isascii():  # English: whole words, about three times as many letters to a line
        lines: list[str] = []
        for word in label.split():
            if lines and len(lines[-1]) + 1 + len(word) <= width * 3:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return "\n".join(lines)
    return "\n".join(label[i : i + width] for i in range(0, len(label), width))


def _bar_height(n: int, per_bar: int = 28, minimum: int = 300) -> int:
    return max(minimum, 90 + per_bar * n)


@shared
def hbar(
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    title: str,
    value_label: str,
    category_label: str,
    value_format: str = ",.1f",
    text_format: str | None = None,
    percent: bool = False,
    target: float | None = None,
    target_label: str | None = None,
    key_column: str | None = None,
    hover_extra: str | None = None,
    color: str = PARTY_RED,
    reference: str | None = None,
    none_when_all_zero: bool = False,
) -> go.Figure | None:
    """Horizontal bars, first row on top. `key_column` goes into customdata[0] (what a click returns). The bar
    labelled `reference` (a unit link's 全工委平均) is grey: a benchmark, not one of the units. `none_when_all_zero`:
    bars that are all zero (units listed, no service hours at all) compare nothing, so the page shows its empty state
    (a 达标率 of 0% for every unit is a finding, and keeps its bars)."""
    key_column = key_column or label
    custom = frame[[key_column] + ([hover_extra] if hover_extra else [])]
    values = frame[value].astype(float)
    if none_when_all_zero and not values.fillna(0).to_numpy().any():
        return None
    if percent:
        text = [f"{v * 100:.1f}%" for v in values]
        value_hover = "%{x:.1%}"
    else:
        text = [format(v, text_format or value_format) for v in values]
        value_hover = f"%{{x:{value_format}}}"
    bars = go.Bar(
        y=frame[label],
        x=values,
        orientation="h",
        marker_color=[GREY if reference is not None and name == reference else color for name in frame[label]],
        text=text,
        textposition="auto",  # inside the bar when it fits, so long bars are not clipped at the edge
        insidetextanchor="end",
        cliponaxis=False,
        customdata=custom.to_numpy(),
        hovertemplate=f"%{{y}}<br>{value_label}：{value_hover}"
        + ("<br>%{customdata[1]}" if hover_extra else "")
        + "<extra></extra>",
    )
    top = float(values.max()) if len(values) else 1.0
    margin = {}
    if percent:
        # A rate's axis ends at 100%: a label that does not fit inside its bar is written past the end, in the margin.
        xaxis = {"title": {"text": value_label}, "tickformat": ".0%", "range": [0, 1], "dtick": 0.2}
        margin = {"margin": {"r": 52}}
    else:
        xaxis = {"title": {"text": value_label}, "range": [0, max(top, 1e-9) * 1.25], "tickformat": ","}
    few = len(frame) <= 3  # one unit drilled into: a bar of normal thickness in a short chart, not one fat block
    if few:
        bars.width = 0.45
    two_lines = frame[label].astype(str).str.contains("\n", regex=False).any()  # labels of two lines need the room
    return _figure(
        [bars],
        title,
        height=_bar_height(len(frame), per_bar=44 if two_lines else 28, minimum=150 + 45 * len(frame) if few else 300),
        **margin,
        yaxis={"title": {"text": category_label}, "autorange": "reversed", "type": "category", "gridcolor": "rgba(0,0,0,0)"},
        xaxis=xaxis,
        showlegend=False,
        uniformtext={"minsize": 11, "mode": "show"},
        # No drag-to-zoom: on a phone a drag would start one, and a tap on a bar is what drills in.
        dragmode=False,
        **_lines(_vline(target, target_label) if target is not None else None),
    )


@shared
def dimension_heatmap(
    frame: pd.DataFrame,
    *,
    title: str,
    y_label: str,
    value_label: str,
) -> go.Figure:
    """Units × dimensions, dimension score (0..1) as colour and as a % label in each cell."""
    dimensions = frame.sort_values("first_item")["dimension"].drop_duplicates().tolist()
    units = sorted(frame["unit_name"].unique().tolist())
    wide = frame.pivot(index="unit_name", columns="dimension", values="dimension_rate").reindex(index=units, columns=dimensions)
    z = wide.to_numpy(dtype=float)
    text = [["" if pd.isna(v) else f"{v * 100:.0f}%" for v in row] for row in z]
    heatmap = go.Heatmap(
        z=z,
        x=[_wrap(d) for d in dimensions],  # on short lines: level on a wide screen, turned by Plotly on a phone
        y=units,
        text=text,
        texttemplate="%{text}",
        textfont={"size": 11},
        colorscale=[[0, "#FBE5D6"], [0.5, "#E8694F"], [1, "#8E0B1E"]],
        zmin=max(0.0, float(pd.Series(z.ravel()).min()) - 0.02) if z.size else 0,
        zmax=1,
        # The scale above the cells, not beside them: on a phone the cells get its width and their labels fit.
        colorbar={
            "title": {"text": value_label, "side": "right"},
            "tickformat": ".0%",
            "thickness": 10,
            "nticks": 4,
            "tickangle": 0,
            "orientation": "h",
            "x": 1,
            "xanchor": "right",
            "y": 1.01,
            "yanchor": "bottom",
            # A fixed length, not a share of the plot: on a phone 60 % of the cells' width left 50 px for four labels.
            "len": 220,
            "lenmode": "pixels",
        },
        hovertemplate=f"%{{y}}<br>%{{x}}<br>{value_label}：%{{z:.1%}}<extra></extra>",
        xgap=2,
        ygap=2,
    )
    return _figure(
        [heatmap],
        title,
        height=max(320, 150 + 34 * len(units)),
        margin={"t": 96},
        # No axis title: the dimensions' names say what they are, and a title sat among two-line names.
        xaxis={"side": "bottom", "type": "category"},
        yaxis={"title": {"text": y_label}, "autorange": "reversed", "type": "category", "gridcolor": "rgba(0,0,0,0)"},
    )


@shared
def item_pass_rates(
    frame: pd.DataFrame,
    *,
    title: str,
    value_label: str,
    item_label: str,
    dimension_label: str,
    met_label: str,
) -> go.Figure:
    """Item pass rates as horizontal bars, weakest on top, coloured by dimension (one legend entry each)."""
    order = [f"{c} {n}" for c, n in zip(frame["item_code"], frame["item_name"], strict=True)]
    dimensions = frame.assign(_first=frame["item_code"]).sort_values("_first").drop_duplicates("dimension")["dimension"].tolist()
    colors = {d: SERIES[i % len(SERIES)] for i, d in enumerate(dimensions)}
    bars = []
    for dim in dimensions:
        part = frame[frame["dimension"] == dim]
        labels = [f"{c} {n}" for c, n in zip(part["item_code"], part["item_name"], strict=True)]
        bars.append(
            go.Bar(
                y=labels,
                x=part["pass_rate"],
                orientation="h",
                name=dim,
                marker_color=colors[dim],
                text=[f"{v * 100:.0f}%" for v in part["pass_rate"]],
                textposition="outside",
                cliponaxis=False,
                customdata=part[["met", "assessed"]].to_numpy(),
                hovertemplate=f"%{{y}}<br>{dimension_label}：{plotly_text(dim)}<br>{value_label}：%{{x:.1%}}"
                f"<br>{met_label}：%{{customdata[0]}}/%{{customdata[1]}}<extra></extra>",
            )
        )
    return _figure(
        bars,
        title,
        height=_bar_height(len(frame), per_bar=24, minimum=360) + 60,
        yaxis={
            "title": {"text": item_label},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": order,
            "autorange": "reversed",
            "gridcolor": "rgba(0,0,0,0)",
        },
        # Room after 100 % for its label: 15 % of a phone's narrow plot (long item names in English) cut "100%".
        xaxis={
            "title": {"text": value_label},
            "tickformat": ".0%",
            "range": [0, 1.3],
            "tickvals": [0, 0.5, 1],  # three: on a phone six were turned on end and ran into the legend
        },
        barmode="overlay",
        legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0, "xanchor": "left"},
        margin={"b": 70},
    )


@shared
def score_distribution(
    frame: pd.DataFrame,
    *,
    pass_score: float,
    title: str,
    x_label: str,
    y_label: str,
    pass_label: str,
) -> go.Figure:
    """Branches per 5-point bin of total score; bins at or above the pass line in red, below in grey."""
    starts = frame["bin_start"].astype(float)
    bars = go.Bar(
        x=starts + 2.5,
        y=frame["branches"],
        width=4.6,
        marker_color=[PARTY_RED if ok else "#B9B9B9" for ok in frame["at_or_above_pass"]],
        text=frame["branches"],
        textposition="outside",
        cliponaxis=False,
        customdata=frame[["bin_start", "bin_end"]].to_numpy(),
        hovertemplate=f"{x_label}：%{{customdata[0]:.0f}}–%{{customdata[1]:.0f}}<br>{y_label}：%{{y}}<extra></extra>",
    )
    lo = min(float(starts.min()), pass_score - 5) if len(starts) else 0
    return _figure(
        [bars],
        title,
        xaxis={"title": {"text": x_label}, "range": [lo - 1, 101], "dtick": 10},
        yaxis={"title": {"text": y_label}, "rangemode": "tozero", "range": [0, float(frame["branches"].max()) * 1.2 + 0.5]},
        showlegend=False,
        **_lines(_vline(pass_score, pass_label, left=True)),
    )


def _label_width(text: str, size: int) -> int:
    """About how many pixels `text` takes at font `size` (a CJK character is a square, any other about half)."""
    return int(display_width(text) * size * 0.58) + 8


@shared
def tier_sankey(
    frame: pd.DataFrame,
    *,
    tiers: Sequence[str],
    before_label: str,
    after_label: str,
    title: str,
    branches_label: str,
) -> go.Figure:
    """Branches moving between tiers from one period (left) to another (right): a flow diagram drawn from shapes,
    not Plotly's Sankey, whose labels sit on the flows. Tier bars in the tier colours, best on top; each tier's
    name and count outside its bar (left of the left column, right of the right one), the periods above the
    columns; flows coloured by what they mean (moved up green, down red, stayed grey). Hovering a flow's middle
    names it."""
    colors = tier_colors(tiers)
    rank = {t: i for i, t in enumerate(tiers)}  # 0 = best
    flows = frame[frame["branches"] > 0].copy()
    flows["rank_before"] = [rank[x] for x in flows["tier_before"]]
    flows["rank_after"] = [rank[x] for x in flows["tier_after"]]
    total = int(flows["branches"].sum())
    width, gap = 0.035, 0.04  # bar thickness (share of the width) and the gap between two tiers' bars (of the height)

    def column(side: str) -> dict[str, tuple[float, float]]:
        """Each tier's bar on one side: (top, bottom) in 0..1, best tier on top, heights by branches."""
        counts = flows.groupby(side)["branches"].sum()
        present = [x for x in tiers if x in counts.index]
        scale = (1 - gap * (len(present) - 1)) / max(total, 1)
        out, top = {}, 1.0
        for x in present:
            out[x] = (top, max(0.0, top - counts[x] * scale))  # the last bar ends at 0, not a rounding below it
            top -= counts[x] * scale + gap
        return out

    left, right = column("tier_before"), column("tier_after")
    scale = (1 - gap * (len(left) - 1)) / max(total, 1)
    scale_right = (1 - gap * (len(right) - 1)) / max(total, 1)
    shapes: list[dict[str, Any]] = []
    for bars, x0 in ((left, 0.0), (right, 1 - width)):
        for x, (top, bottom) in bars.items():
            shapes.append(
                {"type": "rect", "xref": "x", "yref": "y", "x0": x0, "x1": x0 + width, "y0": bottom, "y1": top}
                | {"fillcolor": colors[x], "line": {"width": 0}, "layer": "above"}
            )
    # Flows leave a left bar in the order of where they go (best first) and reach a right bar in the order of where
    # they came from, so no two flows of one bar cross at the bar.
    out_at = {x: top for x, (top, _) in left.items()}
    in_at = {x: top for x, (top, _) in right.items()}
    hover_x, hover_y, hover_text = [], [], []
    a, b = width, 1 - width
    ordered = flows.sort_values(["rank_before", "rank_after"])
    for before, after, count in zip(ordered["tier_before"], ordered["tier_after"], ordered["branches"], strict=True):
        h_left, h_right = int(count) * scale, int(count) * scale_right
        s_top = out_at[before]
        out_at[before] -= h_left
        t_top = in_at[after]
        in_at[after] -= h_right
        moved = MOVED_UP if rank[after] < rank[before] else MOVED_DOWN if rank[after] > rank[before] else GREY
        m = (a + b) / 2
        path = (
            f"M {a},{s_top} C {m},{s_top} {m},{t_top} {b},{t_top} "
            f"L {b},{t_top - h_right} C {m},{t_top - h_right} {m},{s_top - h_left} {a},{s_top - h_left} Z"
        )
        shapes.append(
            {"type": "path", "xref": "x", "yref": "y", "path": path, "fillcolor": _rgba(moved, 0.42)}
            | {
                "line": {"width": 0},
                "layer": "below",
            }
        )
        hover_x.append(m)
        hover_y.append((s_top + t_top - (h_left + h_right) / 2) / 2)
        hover_text.append(f"{before_label} {before} → {after_label} {after}\n{branches_label}：{int(count)}")
    notes: list[dict[str, Any]] = []
    label_width = {"left": 0, "right": 0}
    for bars, side in ((left, "left"), (right, "right")):
        counts = flows.groupby("tier_before" if side == "left" else "tier_after")["branches"].sum()
        for tier, (top, bottom) in bars.items():
            cjk = display_width(tier) > len(tier)
            text = f"{tier}（{int(counts[tier])}）" if cjk else f"{tier} ({int(counts[tier])})"  # 后进（2）, Lagging (2)
            # Room for the name at the largest text it is drawn with (meeting mode's 17 px; printed, 15).
            label_width[side] = max(label_width[side], _label_width(text, 17))
            notes.append(
                {"text": text, "showarrow": False, "xref": "x", "yref": "y", "y": (top + bottom) / 2, "yanchor": "middle"}
                | ({"x": 0, "xanchor": "right", "xshift": -4} if side == "left" else {"x": 1, "xanchor": "left", "xshift": 4})
            )
    for period, edge, anchor in ((before_label, 0, "left"), (after_label, 1, "right")):
        notes.append(
            {"text": period, "showarrow": False, "xref": "x", "yref": "paper", "x": edge, "xanchor": anchor, "y": 1.0}
            | {"yanchor": "bottom", "font": {"color": "#555555"}}
        )
    hover = go.Scatter(
        x=hover_x,
        y=hover_y,
        mode="markers",
        marker={"size": 18, "opacity": 0},
        hovertext=hover_text,
        hoverinfo="text",
        showlegend=False,
    )
    hidden = {"visible": False, "range": [0, 1], "fixedrange": True}
    return _figure(
        [hover],
        title,
        height=420,
        xaxis=hidden,
        yaxis={**hidden, "range": [-0.01, 1.01]},
        shapes=shapes,
        annotations=notes,
        margin={"l": label_width["left"] + 6, "r": label_width["right"] + 6, "t": 72},
        showlegend=False,
        dragmode=False,
    )


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


# A white halo behind a label drawn over lines (constant CSS text-shadow, nothing from the data).
_HALO = "1px 1px 2px #FFFFFF, -1px -1px 2px #FFFFFF, 1px -1px 2px #FFFFFF, -1px 1px 2px #FFFFFF"


@shared
def score_history(
    frame: pd.DataFrame,
    *,
    pass_score: float,
    title: str,
    x_label: str,
    y_label: str,
    branch_label: str,
    unit_label: str,
    committee_label: str,
    pass_label: str,
) -> go.Figure:
    """One branch's total score per period, with its unit's and the committee's means and the pass line."""
    lines = [
        go.Scatter(
            x=frame["period_label"],
            y=frame["total_score"],
            name=branch_label,
            mode="lines+markers+text",
            text=[f"{v:.1f}" for v in frame["total_score"]],
            # Each score on the side away from the two means (above when it is the highest, else below), with a white
            # halo: written above every point, 76.0 and 81.0 sat on the mean lines and the pass line.
            textposition=[
                "top center" if float(v) >= max(float(u), float(c)) else "bottom center"
                for v, u, c in zip(frame["total_score"], frame["unit_mean"], frame["committee_mean"], strict=True)
            ],
            textfont={"shadow": _HALO},
            line={"color": PARTY_RED, "width": 3},
            marker={
                "size": 10,
                "color": [PARTY_RED if p else "#FFFFFF" for p in frame["passed"]],
                "line": {"color": PARTY_RED, "width": 2},
            },
            hovertemplate=f"%{{x}}<br>{branch_label}：%{{y:.1f}}<extra></extra>",
        )
    ]
    for column, name, color in (("unit_mean", unit_label, "#2F5D8A"), ("committee_mean", committee_label, GREY)):
        lines.append(
            go.Scatter(
                x=frame["period_label"],
                y=frame[column],
                name=name,
                mode="lines+markers",
                line={"color": color, "width": 2, "dash": "dot"},
                hovertemplate=f"%{{x}}<br>{plotly_text(name)}：%{{y:.1f}}<extra></extra>",
            )
        )
    low = min(float(frame[["total_score", "unit_mean", "committee_mean"]].min().min()), pass_score)
    line, _ = _hline(pass_score, None)  # named in the legend: the scores' labels sit on the points near the line
    return _figure(
        [*lines, _legend_line(pass_label)],
        title,
        yaxis={"title": {"text": y_label}, "range": [max(0.0, low - 10), 104]},
        xaxis={"title": {"text": x_label}, "type": "category"},
        shapes=[line],
        **_legend_under_title(),
    )


@shared
def dimension_radar(
    frame: pd.DataFrame, *, title: str, branch_label: str, unit_label: str, committee_label: str, value_label: str
) -> go.Figure:
    """The branch's dimension scores (0..1) against its unit's and the committee's means."""
    # Wrapped (组织设置<br>标准化): at laptop width the six full names do not fit around the circle.
    dims = [_wrap(d) for d in frame["dimension"].tolist()]
    closed = [*dims, dims[0]]
    traces = []
    for column, name, color, fill in (
        ("committee_rate", committee_label, GREY, "none"),
        ("unit_rate", unit_label, "#2F5D8A", "none"),
        ("branch_rate", branch_label, PARTY_RED, "toself"),
    ):
        values = frame[column].astype(float).tolist()
        traces.append(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=closed,
                name=name,
                mode="lines+markers",
                fill=fill,
                fillcolor="rgba(200,16,46,0.15)" if fill == "toself" else None,
                line={"color": color, "width": 3 if fill == "toself" else 2, "dash": None if fill == "toself" else "dot"},
                hovertemplate=f"%{{theta}}<br>{plotly_text(name)}·{value_label}：%{{r:.1%}}<extra></extra>",
            )
        )
    low = float(frame[["branch_rate", "unit_rate", "committee_rate"]].min().min())
    return _figure(
        traces,
        title,
        polar={
            "radialaxis": {
                "range": [max(0.0, low - 0.1), 1],
                "tickformat": ".0%",
                "gridcolor": "#E5E5E5",
                "angle": 0,
                "tickangle": 0,
                "dtick": 0.2,
                # Over the lines, with a halo: the scale's 80% sat under the means' markers on a phone.
                "layer": "above traces",
                "tickfont": {"size": 10, "color": GREY, "shadow": _HALO},
            },
            "angularaxis": {"gridcolor": "#E5E5E5", "direction": "clockwise", "tickfont": {"size": 12}},
            "bgcolor": "rgba(0,0,0,0)",
        },
        legend={"orientation": "h", "y": -0.22, "yanchor": "top", "x": 0.5, "xanchor": "center"},
        margin={"l": 70, "r": 70, "t": 100, "b": 80},
        height=460,
    )


@shared
def tier_history(frame: pd.DataFrame, *, tiers: Sequence[str], title: str, x_label: str, y_label: str) -> go.Figure:
    """A branch's tier per period on a fixed tier axis (best on top), markers in the tier colours."""
    colors = tier_colors(tiers)
    points = go.Scatter(
        x=frame["period_label"],
        y=frame["tier"],
        mode="lines+markers+text",
        text=[h if isinstance(h, str) and h else "" for h in frame["honors"]],
        textposition="top center",
        line={"color": "#D9D9D9", "width": 2},
        # Ringed in dark grey: the palest tier's colour would barely show on white.
        marker={"size": 16, "color": [colors.get(t, GREY) for t in frame["tier"]], "line": {"color": "#555555", "width": 1.5}},
        hovertemplate=f"%{{x}}<br>{y_label}：%{{y}}<extra></extra>",
    )
    return _figure(
        [points],
        title,
        height=300,
        yaxis={
            "title": {"text": y_label},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": list(reversed(tiers)),
            "range": [-0.5, len(tiers) - 0.3],
        },
        xaxis={"title": {"text": x_label}, "type": "category"},
        showlegend=False,
    )


# -- print ----------------------------------------------------------------------------------------------------------
PRINT_WIDTH = 820  # CSS px; placed 15.5 cm wide in the Word report, so 14 px text prints at about 9.5 pt
PRINT_LABEL_LENGTH = 14


def for_print(fig: go.Figure, *, width: int = PRINT_WIDTH) -> go.Figure:
    """A copy of a dashboard figure for a printed page: white paper, larger text, no title (the document
    captions it), no interaction. A copy, because the figure may be shared with sessions (see `shared`)."""
    printed = go.Figure(fig)
    height = int((fig.layout.height or 360) * 1.1)
    for trace in printed.data:  # horizontal bars: a 40-character unit name would squeeze the bars to nothing
        if getattr(trace, "orientation", None) == "h" and trace.y is not None:
            names = [str(v) for v in trace.y]
            if any(len(n) > PRINT_LABEL_LENGTH for n in names):
                short = [n if len(n) <= PRINT_LABEL_LENGTH else n[: PRINT_LABEL_LENGTH - 1] + "…" for n in names]
                printed.update_yaxes(tickmode="array", tickvals=names, ticktext=short)
    margin = fig.layout.margin
    legend_band = fig.layout.legend.yref == "container"  # a legend under the title: with no title, at the top
    printed.update_layout(
        title=None,
        width=width,
        height=height,
        font={"size": 15},
        paper_bgcolor="white",
        plot_bgcolor="white",
        # Room a figure made for its labels stays (the tier flows' names beside their bars, the periods above).
        margin={"l": max(10, margin.l or 0), "r": max(24, margin.r or 0), "t": 56 if legend_band else 36, "b": 10},
        legend={"font": {"size": 14}, **({"y": 1 - 6 / height} if legend_band else {})},
    )
    return printed
