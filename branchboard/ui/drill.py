"""Drill-down: a click on a chart or a table row filters every page to a unit or opens a branch's profile."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from branchboard.escape import from_plotly_text
from branchboard.filters import current_state, filter_to_unit, open_branch
from branchboard.i18n import t


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
    # The figure holds names as Plotly text (branchboard.escape): back to the name as stored.
    return None if custom is None else from_plotly_text(str(custom))


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
    if unit and unit != t("links.committee", current_state().lang):  # the committee's bar is not a unit
        filter_to_unit(unit)
        st.rerun()


def drill_to_branch(key: str, code: str | None) -> None:
    """Open the clicked branch's profile (once per click)."""
    code = take_once(key, code)
    if code:
        open_branch(code)
