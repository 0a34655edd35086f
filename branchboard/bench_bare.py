"""The benchmark's yardstick page (issue 12): the floor any Streamlit app pays.

A bare Streamlit script with the app's sidebar filter (a 单位 multiselect) drawing six Plotly charts of about the
size the dashboard draws (three years of months, twenty units), from numbers made on the spot: no database, no
caching, no layout beyond two columns. `branchboard.bench_browser` opens it and the app's Overview in the same
browser, on the same machine, in the same run, and reports the app's times as ratios to this page's.

    streamlit run branchboard/bench_bare.py
"""

from __future__ import annotations

import zlib

import numpy as np
import plotly.graph_objects as go
import streamlit as st

UNITS = [f"单位{i:02d}" for i in range(1, 21)]
MONTHS = [f"{2023 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]

st.set_page_config(page_title="基准页", layout="wide")
chosen = st.sidebar.multiselect("单位", UNITS, placeholder="全部", select_all=False)
rng = np.random.default_rng(zlib.crc32(",".join(chosen).encode()))
st.title("基准页")
st.caption("六个 Plotly 图表，无数据库、无缓存")
shown = chosen or UNITS
figures = [
    go.Figure(go.Bar(x=MONTHS, y=rng.integers(100, 3000, len(MONTHS)))),
    go.Figure(go.Scatter(x=MONTHS, y=rng.integers(100, 1000, len(MONTHS)), mode="lines+markers")),
    go.Figure(go.Bar(x=rng.integers(50, 100, len(shown)), y=shown, orientation="h")),
    go.Figure([go.Bar(x=["2023", "2024", "2025"], y=rng.integers(1, 30, 3), name=tier) for tier in "ABCD"]),
    go.Figure(go.Heatmap(z=rng.random((len(shown), 6)), y=shown, x=[f"维度{i}" for i in range(1, 7)])),
    go.Figure(go.Histogram(x=rng.normal(80, 8, 500))),
]
for row in range(3):
    for column, figure in zip(st.columns(2), figures[2 * row : 2 * row + 2], strict=True):
        figure.update_layout(height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10})
        column.plotly_chart(figure)
