"""Streamlit pieces every page shares: the store, the page header, KPI cards, chart frames.

Pages call `start_page(page_key)` first: it opens the store, draws the shared filters and returns
both, so a page only reads filters, runs named queries and draws figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from branchboard import db, demo
from branchboard.filters import FilterState, describe, sidebar_filters
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
) -> None:
    """A figure with its "how this is computed" note and a CSV of the table behind it.

    `fig=None` (no rows) shows the empty-state message instead of an empty axis.
    """
    if fig is None:
        st.info(ctx.t("common.no_data"))
        return
    st.plotly_chart(fig, key=key, config={"displaylogo": False, "locale": "zh-CN" if ctx.lang == "zh" else "en"})
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


def admin_allowed() -> bool:
    """Whether the current viewer may import, undo or change settings.

    Open for now: access control (access code / OIDC, admins) arrives with issue 5, which replaces this body.
    """
    return True
