"""生成报告: the sidebar button that drafts the Word report of the current filters."""

from __future__ import annotations

import streamlit as st

from branchboard.escape import md
from branchboard.metrics import today
from branchboard.ui.context import PageContext
from branchboard.ui.widgets import made_on_click

_REPORT_KEY = "_report_docx"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_button(ctx: PageContext) -> None:
    """生成报告: the Word report of the current filters, drafted on click with its progress shown, then offered for
    download while the filters, the language and the data stay as they were."""
    from branchboard import report
    from branchboard.server import log_failure

    s = ctx.state
    # Any write (import, undo, a settings save) bumps the data version; the day moves the 换届 reminders.
    made_for = (s.period_from, s.period_to, s.units, s.sectors, s.tiers, s.scope, s.lang, ctx.store.data_version(), today())
    if st.button(ctx.t("report.button"), key="make_report", help=ctx.t("report.button_help"), width="stretch"):
        bar = st.progress(0.0, text=ctx.t("report.working"))

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=ctx.t("report.charts_progress", done=done, total=total))

        try:
            data = report.build(ctx.store, s, progress=progress)
        except Exception as exc:  # the page stays; the reason goes to the server log
            st.error(md(ctx.t("report.failed", reference=log_failure("report failed", exc))))
            data = None
        bar.empty()
        st.session_state[_REPORT_KEY] = (made_for, data) if data else None
    made = st.session_state.get(_REPORT_KEY)
    if made and made[0] == made_for:
        st.download_button(
            ctx.t("report.download"),
            data=made_on_click(lambda: made[1], ctx.lang),
            file_name=f"{ctx.t('report.file_name')}-{today().isoformat()}.docx",
            mime=DOCX_MIME,
            key="dl_report",
            type="primary",
            icon=":material/description:",
            width="stretch",
        )
