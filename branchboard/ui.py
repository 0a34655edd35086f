"""Streamlit pieces every page shares: the store, the page header, KPI cards, chart frames.

Pages call `start_page(page_key)` first: it opens the store, draws the shared filters and returns
both, so a page only reads filters, runs named queries and draws figures.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from branchboard import db, demo
from branchboard.filters import FilterState, describe, filter_to_unit, open_branch, sidebar_filters
from branchboard.i18n import t

_CSS = """
<style>
  [data-testid="stMetric"] {
    background: #FFFFFF; border: 1px solid #EDE3E3; border-left: 4px solid #C8102E;
    border-radius: 8px; padding: 10px 14px 8px 14px;
  }
  [data-testid="stMetricLabel"] p { font-size: 0.92rem; color: #5A5A5A; }
  [data-testid="stMetricValue"] { font-size: 1.7rem; }
  .bb-caption { color: #6B6B6B; font-size: 0.9rem; margin-top: -0.6rem; }
</style>
"""


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> db.Store:
    existed = Path(path).exists()
    store = db.get_store(path)
    if not existed and store.is_empty():
        # First start on a new machine: show a full dashboard at once.
        demo.load(store, demo.generate())
    return store


def today() -> date:
    """Today's date for term status (换届); BRANCHBOARD_TODAY (ISO date) pins it for tests and demos."""
    pinned = os.environ.get("BRANCHBOARD_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


def get_store() -> db.Store:
    return _open_store(str(db.resolve_db_path()))


@dataclass(frozen=True)
class PageContext:
    store: db.Store
    state: FilterState

    @property
    def lang(self) -> str:
        return self.state.lang

    def t(self, key: str, **values: object) -> str:
        return t(key, self.state.lang, **values)


def start_page(page_key: str) -> PageContext:
    """Open the store, draw the shared filters, title the page. Every page calls this first."""
    st.markdown(_CSS, unsafe_allow_html=True)
    store = get_store()
    state = sidebar_filters(store)
    ctx = PageContext(store, state)
    st.title(ctx.t(f"page.{page_key}"))
    st.markdown(f'<div class="bb-caption">{ctx.t("filters.active", text=describe(state))}</div>', unsafe_allow_html=True)
    return ctx


def chart(
    ctx: PageContext,
    fig: go.Figure | None,
    *,
    key: str,
    how: str,
    table: pd.DataFrame | None = None,
    file_name: str | None = None,
    selectable: bool = False,
) -> Any:
    """A figure with its "how this is computed" note and a CSV of the table behind it.

    `fig=None` (no rows) shows the empty-state message instead of an empty axis.
    `selectable=True` makes points clickable and returns the selection state (see `clicked_point`).
    """
    if fig is None:
        st.info(ctx.t("common.no_data"))
        return None
    config = {"displaylogo": False, "locale": "zh-CN" if ctx.lang == "zh" else "en"}
    event = None
    if selectable:
        event = st.plotly_chart(fig, key=key, config=config, on_select="rerun", selection_mode="points")
    else:
        st.plotly_chart(fig, key=key, config=config)
    with st.expander(ctx.t("common.how")):
        st.markdown(how)
        if table is not None and not table.empty:
            st.download_button(
                ctx.t("common.download_csv"),
                data=table.to_csv(index=False).encode("utf-8-sig"),
                file_name=file_name or f"{key}.csv",
                mime="text/csv",
                key=f"dl_{key}",
            )
    return event


# -- drill-down ----------------------------------------------------------------------------------
def take_once(key: str, value: str | None) -> str | None:
    """A selection's value the first time it is seen, else None.

    A selection stays in its widget after the rerun that acted on it; remembering the value we acted
    on keeps that rerun from acting again (no loops). An empty selection forgets it, so the same
    point can be chosen again later.
    """
    memory = f"_taken_{key}"
    if value is None:
        st.session_state.pop(memory, None)
        return None
    if st.session_state.get(memory) == value:
        return None
    st.session_state[memory] = value
    return value


def clicked_point(event: Any) -> str | None:
    """customdata[0] (or the scalar customdata) of the first selected point of a chart, if any."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    if not points:
        return None
    custom = points[0].get("customdata")
    if isinstance(custom, list | tuple):
        custom = custom[0] if custom else None
    return None if custom is None else str(custom)


def clicked_row(event: Any, frame: pd.DataFrame, column: str) -> str | None:
    """`column` of the first selected row of a dataframe selection, if any."""
    try:
        rows = event["selection"]["rows"]
    except (KeyError, TypeError):
        return None
    if not rows or rows[0] >= len(frame):
        return None
    return str(frame.iloc[rows[0]][column])


def drill_to_unit(key: str, unit: str | None) -> None:
    """Filter every page to the clicked unit (once per click) and rerun."""
    unit = take_once(key, unit)
    if unit:
        filter_to_unit(unit)
        st.rerun()


def drill_to_branch(key: str, code: str | None) -> None:
    """Open the clicked branch's profile (once per click)."""
    code = take_once(key, code)
    if code:
        open_branch(code)


def branch_table(
    ctx: PageContext,
    frame: pd.DataFrame,
    *,
    key: str,
    columns: dict[str, str],
    column_config: dict[str, Any] | None = None,
    height: int | str = "auto",
) -> None:
    """A table of branches (needs `branch_code`); choosing a row opens that branch's profile.

    `columns` maps the frame's columns to the headers shown, in order.
    """
    shown = frame[list(columns)].rename(columns=columns)
    event = st.dataframe(
        shown,
        key=key,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        column_config=column_config,
        height=height,
    )
    st.caption(ctx.t("drill.click_branch"))
    drill_to_branch(key, clicked_row(event, frame, "branch_code"))


def download(ctx: PageContext, table: pd.DataFrame, *, key: str) -> None:
    """The CSV download for a table shown without a chart."""
    if table is not None and not table.empty:
        st.download_button(
            ctx.t("common.download_csv"),
            data=table.to_csv(index=False).encode("utf-8-sig"),
            file_name=f"{key}.csv",
            mime="text/csv",
            key=f"dl_{key}",
        )
