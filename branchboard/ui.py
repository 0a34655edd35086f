"""Streamlit pieces every page shares: the store, the page header, KPI cards, chart frames, exports.

Pages call `start_page(page_key)` first: it opens the store, draws the shared filters and the
share/present controls, and returns a context; a page then only reads filters, runs named queries and
draws figures through `kpi()` and `chart()`, which also collect what the page showed for the HTML brief.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from branchboard import access, db, demo, views
from branchboard.escape import from_plotly_text, md
from branchboard.export import Brief, BriefItem, brief_html, to_csv_bytes, to_xlsx_bytes
from branchboard.filters import (
    FilterState,
    describe,
    early_lang_and_mode,
    filter_to_unit,
    open_branch,
    set_state,
    sidebar_filters,
)
from branchboard.i18n import label_columns, t
from branchboard.metrics import data_as_of, today

_CSS = """
<style>
  [data-testid="stMetric"] {
    background: #FFFFFF; border: 1px solid #EDE3E3; border-left: 4px solid #C8102E;
    border-radius: 8px; padding: 10px 14px 8px 14px;
  }
  [data-testid="stMetricLabel"] p { font-size: 0.92rem; color: #5A5A5A; }
  [data-testid="stMetricValue"] { font-size: 1.7rem; }
  /* Phones: KPI cards two per row (Streamlit would stack them one per row), smaller type inside them. */
  @media (max-width: 640px) {
    [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
      flex-wrap: wrap !important; flex-direction: row !important; gap: 0.5rem !important;
    }
    [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
      width: calc(50% - 0.25rem) !important; flex: 1 1 calc(50% - 0.25rem) !important; min-width: calc(50% - 0.25rem) !important;
    }
    [data-testid="stMetric"] { padding: 6px 10px 4px 10px; }
    [data-testid="stMetricValue"] { font-size: 1.35rem; }
    h1 { font-size: 1.8rem !important; }
  }
  /* Touch screens have no hover: the chart toolbar would only sit on the title. */
  @media (hover: none) { .modebar-container { display: none !important; } }
</style>
"""

# Meeting mode: larger type and KPI cards for a projector.
_MEETING_CSS = """
<style>
  html, .stMarkdown p, .stCaption p { font-size: 1.15rem; }
  h1 { font-size: 3rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 1.25rem; }
  [data-testid="stMetricValue"] { font-size: 2.6rem; }
  .block-container { padding-top: 2rem; max-width: 100%; }
</style>
"""

# Streamlit's file uploader has fixed English text ("Upload", "200MB per file • …"); in Chinese the
# text is replaced through CSS so a Chinese screen stays Chinese.
_UPLOADER_ZH_CSS = """
<style>
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
    content: "选择文件"; font-size: 0.875rem;
  }
  [data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
  [data-testid="stFileUploaderDropzoneInstructions"] span::after {
    content: "拖入或选择文件：单个不超过 200MB，支持 CSV、TXT、TSV、XLSX、XLSM、XLS、ODS"; font-size: 0.8rem;
  }
</style>
"""

MEETING_CHART_SCALE = 1.35


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


@dataclass
class PageContext:
    store: db.Store
    state: FilterState
    page_key: str
    brief: Brief = field(default_factory=Brief)

    @property
    def lang(self) -> str:
        return self.state.lang

    @property
    def meeting(self) -> bool:
        return self.state.mode == "meeting"

    def t(self, key: str, **values: object) -> str:
        return t(key, self.state.lang, **values)


_CTX_KEY = "_page_context"


def admin_allowed() -> bool:
    """Admin-only actions (import, undo, settings, deleting saved views) ask this first."""
    return access.is_admin()


def admin_only_page(page_key: str) -> Any:
    """What a viewer sees at an admin page's URL: the page's frame and a note, nothing of the page."""

    def page() -> None:
        ctx = start_page(page_key)
        # A unit link's holder has no admin login to go to: say only that the page is not theirs.
        note = "links.not_here" if ctx.state.scope else "access.admin_page"
        st.warning(md(ctx.t(note, page=ctx.t(f"page.{page_key}"))), icon=":material/lock:")

    page.__name__ = f"admin_only_{page_key}"  # Streamlit derives the page's identity from the name
    return page


def start_page(page_key: str) -> PageContext:
    """Open the store, draw the shared sidebar, title the page. Every page calls this first."""
    access.leave_legacy_pages_mode()
    access_config = access.config()
    # app.py checked the link at the start of this run; a page that runs without app.py (Streamlit's pages/ mode,
    # AppTest's reruns) checks it here, so it cannot outlive a link revoked a moment ago either.
    if not st.session_state.get(access.VIA_APP_KEY):
        try:
            access.unit_link(access_config)
        except access.LinkRefused:
            access.refusal_page(early_lang_and_mode()[0])
            st.stop()
    if access.role(access_config) is None:  # only reachable if a page ran without app.py's gate
        access.login_screen(access_config, early_lang_and_mode()[0])
        st.stop()
    store = get_store()
    state = sidebar_filters(store)
    # Constant CSS only: nothing from the data or the URL ever goes through unsafe_allow_html.
    css = _CSS + (_MEETING_CSS if state.mode == "meeting" else "") + (_UPLOADER_ZH_CSS if state.lang == "zh" else "")
    st.markdown(css, unsafe_allow_html=True)
    ctx = PageContext(store, state, page_key)
    st.session_state[_CTX_KEY] = ctx
    _sidebar_share(ctx)
    access.sidebar_account(access.config(), ctx.lang)
    title = ctx.t(f"page.{page_key}")
    st.title(title)
    as_of = data_as_of(store, ctx.lang)
    # Unit, sector and tier names are data: escaped, never markup (branchboard.escape).
    st.caption(f"{md(ctx.t('filters.active', text=describe(state)))} · :orange[{md(as_of)}]")
    ctx.brief = Brief(
        title=f"{ctx.t('app.title')} · {title}", filters=ctx.t("filters.active", text=describe(state)), data_as_of=as_of
    )
    return ctx


def current_link() -> str:
    """The full URL of this view, query string included."""
    from branchboard.views import encode_query

    try:
        base = (st.context.url or "").split("?")[0]
    except Exception:
        base = ""
    query = encode_query({k: st.query_params.get_all(k) for k in st.query_params.keys()})  # noqa: SIM118
    return f"{base}?{query}" if query else base


def _toggle_state(key: str, field_name: str, on_value: str, off_value: str | None) -> None:
    set_state(current_state_with(**{field_name: on_value if st.session_state[key] else off_value}))


def current_state_with(**changes: object) -> FilterState:
    from branchboard.filters import current_state

    return current_state().with_changes(**changes)


def _sidebar_share(ctx: PageContext) -> None:
    """Language, meeting mode, copy link and saved views."""
    lang = ctx.lang
    with st.sidebar:
        st.divider()
        st.markdown(f"**{md(ctx.t('share.header'))}**")
        st.session_state["ui_lang_en"] = lang == "en"
        st.session_state["ui_meeting"] = ctx.meeting
        st.toggle(ctx.t("share.english"), key="ui_lang_en", on_change=_toggle_state, args=("ui_lang_en", "lang", "en", "zh"))
        st.toggle(
            ctx.t("share.meeting"),
            key="ui_meeting",
            help=ctx.t("share.meeting_help"),
            on_change=_toggle_state,
            args=("ui_meeting", "mode", "meeting", None),
        )
        with st.popover(ctx.t("share.link"), width="stretch", icon=":material/share:"):
            st.caption(md(ctx.t("share.link_help")))
            # Filled by finish_page(), once the page has drawn: its own choices (periods, tabs, top/bottom) are in
            # the URL by then, so the link is the view on screen, not the one before the last click.
            st.session_state["_share_slot"] = st.empty()
        if ctx.state.scope:
            # A unit link: its own units only, and no saved views (their names and filters are the committee's).
            _link_scope_note(ctx)
        else:
            _saved_views(ctx)
        ctx_slot = st.empty()  # filled by finish_page() with the brief download, once the page has drawn
        st.session_state["_brief_slot"] = ctx_slot


def _link_scope_note(ctx: PageContext) -> None:
    scope = access.link_scope()
    units = "、".join(ctx.state.scope) if ctx.lang == "zh" else ", ".join(ctx.state.scope)
    if scope is not None and scope.expires_at is not None:
        st.caption(md(ctx.t("links.scope_caption", units=units, expires=scope.expires_at.strftime("%Y-%m-%d"))))
    else:
        st.caption(md(ctx.t("links.scope_caption_forever", units=units)))


def _saved_views(ctx: PageContext) -> None:
    with st.expander(ctx.t("share.saved_views")):
        saved = ctx.store.query("common__saved_views")
        if saved.empty:
            st.caption(md(ctx.t("share.no_views")))
        admin = admin_allowed()
        for row in saved.itertuples():
            cols = st.columns([4, 1]) if admin else [st.container()]
            # A view saved on an admin page opens the Overview for viewers (that page is not theirs).
            page = row.page if row.page in VIEW_PAGES or (admin and row.page in ADMIN_VIEW_PAGES) else "overview"
            cols[0].page_link(
                f"pages/{page}.py",
                label=md(row.name),
                query_params=views.decode_query(row.query),
                icon=":material/bookmark:",
            )
            if len(cols) > 1 and cols[1].button("✕", key=f"del_view_{row.name}", help=ctx.t("share.delete_view")):
                views.delete_view(ctx.store, row.name)
                st.rerun()
        with st.form("save_view", clear_on_submit=True, border=False):
            name = st.text_input(ctx.t("share.view_name"), key="view_name", max_chars=views.MAX_NAME_LENGTH)
            if st.form_submit_button(ctx.t("share.save_view")):
                clean = views.clean_name(name or "")
                if clean is None:
                    st.error(md(ctx.t("share.name_needed")))
                else:
                    query = views.encode_query({k: st.query_params.get_all(k) for k in st.query_params.keys()})  # noqa: SIM118
                    outcome = views.save_view(ctx.store, clean, ctx.page_key, query, access.client_key())
                    if outcome == views.SAVED:
                        st.success(md(ctx.t("share.saved", name=clean)))
                    else:
                        st.error(md(ctx.t(f"share.view_{outcome}", name=clean, n=views.MAX_PER_HOUR)))


VIEW_PAGES = ("overview", "compliance", "volunteer", "tiers", "branch")
ADMIN_VIEW_PAGES = ("import", "settings")


def kpi(ctx: PageContext, column: st.delta_generator.DeltaGenerator, label: str, value: str, **kwargs: object) -> None:
    """A KPI card that is also recorded for the HTML brief. Label and value may hold names (a tier, a unit): both
    are shown as text."""
    if kwargs.get("help"):
        kwargs["help"] = md(kwargs["help"])
    column.metric(md(label), md(value), **kwargs)
    delta = kwargs.get("delta")
    ctx.brief.kpis.append((label, value, str(delta) if delta is not None else None))


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
    """A figure with its "how this is computed" note and downloads (CSV, XLSX) of the table behind it.

    `fig=None` (no rows) shows the empty-state message instead of an empty axis.
    `selectable=True` makes points clickable and returns the selection state (see `clicked_point`).
    """
    title = ""
    if fig is not None and fig.layout.title and fig.layout.title.text:
        title = fig.layout.title.text
    if fig is None:
        st.info(md(ctx.t("common.no_data")))
        return None
    if ctx.meeting:
        # Read from across a meeting room: everything larger, the title most (it stays above the axis labels).
        # On a copy: the figure may be the one other sessions are drawing (branchboard.charts.shared).
        fig = go.Figure(fig)
        fig.update_layout(height=int((fig.layout.height or 360) * MEETING_CHART_SCALE), font={"size": 17}, title_font_size=21)
    config = {"displaylogo": False, "locale": "zh-CN" if ctx.lang == "zh" else "en"}
    event = None
    if selectable:
        event = st.plotly_chart(fig, key=key, config=config, on_select="rerun", selection_mode="points")
    else:
        st.plotly_chart(fig, key=key, config=config)
    ctx.brief.items.append(BriefItem(title=title or key, figure=fig, table=table, note=how))
    with st.expander(ctx.t("common.how")):
        st.markdown(md(how))
        if table is not None and not table.empty:
            table_downloads(ctx, table, key=key, file_name=file_name)
    return event


def made_on_click(make: Callable[[], bytes], lang: str) -> Callable[[], bytes]:
    """A download's content, made when the button is clicked: that is a request of its own, not a page run, so a
    unit link revoked or expired since the page was drawn is checked again here and gets the refusal, not the file."""

    def data() -> bytes:
        if not access.link_still_opens():
            return t("links.refused", lang).encode("utf-8")
        return make()

    return data


def table_downloads(ctx: PageContext, table: pd.DataFrame, *, key: str, file_name: str | None = None) -> None:
    """CSV (UTF-8 with BOM) and XLSX downloads of a table, formula-like cells neutralised.

    The files are made when the button is clicked (a callable), not on every run: an XLSX of a few thousand
    branches takes longer to write than the whole page takes to draw.
    """
    stem = (file_name or key).removesuffix(".csv")
    lang = ctx.lang
    col_a, col_b = st.columns(2)
    col_a.download_button(
        ctx.t("common.download_csv"),
        data=made_on_click(lambda: to_csv_bytes(label_columns(table, lang)), lang),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"dl_{key}",
    )
    col_b.download_button(
        ctx.t("share.download_xlsx"),
        data=made_on_click(lambda: to_xlsx_bytes(label_columns(table, lang)), lang),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dlx_{key}",
    )


def share_panel(link: str, lang: str, *, meeting: bool = False) -> None:
    """The link with a copy button always visible (a phone has no hover), and its QR code for a projector."""
    import json

    from branchboard.escape import html_text

    copy, copied, fallback = (t(k, lang) for k in ("share.copy", "share.copied", "share.copy_by_hand"))
    script_link = json.dumps(link).replace("<", "\\u003c")
    # The link is data (its query holds names): HTML-escaped in the markup, and "<" escaped in the script's JSON.
    st.iframe(
        f"""
        <div style="font-family: 'Noto Sans CJK SC', sans-serif; font-size: 13px;">
          <input id="link" readonly value="{html_text(link)}"
                 style="width: 100%; box-sizing: border-box; padding: 6px; border: 1px solid #ddd; border-radius: 6px;">
          <button id="copy" style="margin-top: 6px; padding: 6px 14px; border: 0; border-radius: 6px;
                  background: #C8102E; color: #fff; font-size: 14px;">{html_text(copy)}</button>
          <span id="done" style="margin-left: 8px; color: #555;"></span>
        </div>
        <script>
          const link = {script_link};
          document.getElementById("copy").onclick = async () => {{
            let ok = false;
            try {{ await navigator.clipboard.writeText(link); ok = true; }} catch (e) {{}}
            if (!ok) {{  // plain http on an intranet has no clipboard API: copy the selected text instead
              const box = document.getElementById("link"); box.focus(); box.select();
              try {{ ok = document.execCommand("copy"); }} catch (e) {{}}
            }}
            document.getElementById("done").textContent = ok ? {json.dumps(copied)} : {json.dumps(fallback)};
          }};
        </script>
        """,
        height=92,
    )
    st.image(_qr_png(link, 8 if meeting else 5), caption=md(t("share.qr", lang)), width=260 if meeting else 170)


@functools.lru_cache(maxsize=256)
def _qr_png(link: str, scale: int) -> bytes:
    """The QR code of a link, made once per link: encoding one is a tenth of a page's run, and a room of members
    on the same view share the same link."""
    import segno

    qr = io.BytesIO()
    segno.make(link, error="m").save(qr, kind="png", scale=scale, border=2)
    return qr.getvalue()


# Plotly selects a bar on a mouse click but not on a tap (its touch events carry no coordinates for the selection),
# so on a phone a tap on a unit's bar would not drill in. This script runs once per page, in a component frame of
# the same origin.
_TAP_TO_CLICK = """
<script>
(function () {
  const top = window.parent;
  if (!top || top.__bbTapToClick) return;
  top.__bbTapToClick = true;
  const onPlot = (e) => e.target && e.target.closest && e.target.closest(".js-plotly-plot");
  // Touches on a chart are kept from Plotly's own touch handling, which cannot select a point; the browser then
  // follows a tap with the mouse events a click gives, and those Plotly does select with. The page still scrolls:
  // nothing here cancels the browser's default.
  for (const type of ["touchstart", "touchmove", "touchend"]) {
    top.document.addEventListener(type, (e) => { if (onPlot(e)) e.stopPropagation(); }, { capture: true, passive: true });
  }
})();
</script>
"""


def finish_page() -> None:
    """After the page ran: the share link of what it shows, and the one-file HTML brief (called by app.py)."""
    ctx: PageContext | None = st.session_state.pop(_CTX_KEY, None)
    share = st.session_state.pop("_share_slot", None)
    if ctx is not None:
        st.iframe(_TAP_TO_CLICK, height=1)
    if share is not None:
        with share.container():
            share_panel(current_link(), ctx.lang if ctx else early_lang_and_mode()[0], meeting=bool(ctx and ctx.meeting))
    slot = st.session_state.pop("_brief_slot", None)
    if ctx is None or slot is None or not (ctx.brief.items or ctx.brief.kpis):
        return
    with slot.container():
        st.download_button(
            ctx.t("share.brief"),
            data=made_on_click(lambda: brief_html(ctx.brief, ctx.lang).encode("utf-8"), ctx.lang),  # on click only
            file_name=f"{ctx.brief.title}.html",
            mime="text/html",
            key="dl_brief",
            width="stretch",
        )
        _report_button(ctx)


_REPORT_KEY = "_report_docx"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report_button(ctx: PageContext) -> None:
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
    if unit and unit != t("links.committee", current_state_with().lang):  # the committee's bar is not a unit
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
    st.caption(md(ctx.t("drill.click_branch")))
    drill_to_branch(key, clicked_row(event, frame, "branch_code"))


def download(ctx: PageContext, table: pd.DataFrame, *, key: str) -> None:
    """CSV and XLSX downloads for a table shown without a chart."""
    if table is not None and not table.empty:
        table_downloads(ctx, table, key=key)
