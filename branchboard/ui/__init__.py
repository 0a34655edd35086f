"""Streamlit pieces every page shares: the page frame, KPI cards, chart frames, exports, drill-down.

Pages call `start_page(page_key)` first: it opens the store, draws the shared filters and the
share/present controls, and returns a context; a page then only reads filters, runs named queries and
draws figures through `kpi()` and `chart()`, which also collect what the page showed for the HTML brief.
app.py calls `finish_page()` once the page has drawn (the share link and the downloads of what it showed); a page
that ends early calls `stop_page()` instead of st.stop(), which finishes it first.

One module per concern: `context` (what a page run knows), `store` (the one open database), `style` (the CSS),
`frame` (start and finish of a page), `share` (the sidebar's share panel, the link and its QR code),
`saved_views`, `widgets` (KPI cards, charts, tables, downloads), `drill` (clicks that filter or open a branch),
`report_button` (生成报告).
"""

from branchboard.ui.context import PageContext, admin_allowed
from branchboard.ui.drill import clicked_point, clicked_row, drill_to_branch, drill_to_unit
from branchboard.ui.frame import admin_only_page, finish_page, start_page, stop_page
from branchboard.ui.store import get_store
from branchboard.ui.style import MEETING_CHART_SCALE
from branchboard.ui.widgets import (
    KpiList,
    branch_first,
    branch_table,
    chart,
    download,
    figures_as_shown,
    how_note,
    kpi,
    list_button,
    made_on_click,
    service_first,
)

__all__ = [
    "MEETING_CHART_SCALE",
    "KpiList",
    "PageContext",
    "admin_allowed",
    "admin_only_page",
    "branch_first",
    "branch_table",
    "chart",
    "clicked_point",
    "clicked_row",
    "download",
    "drill_to_branch",
    "drill_to_unit",
    "figures_as_shown",
    "finish_page",
    "get_store",
    "how_note",
    "kpi",
    "list_button",
    "made_on_click",
    "service_first",
    "start_page",
    "stop_page",
]
