"""The sidebar's share panel: language, meeting mode, the link of this view (copy button, QR code), saved views."""

from __future__ import annotations

import functools
import io
import json

import streamlit as st

from branchboard import access
from branchboard.charts import PAGE_COLOURS
from branchboard.escape import html_text, md
from branchboard.filters import FilterState, current_state, set_state
from branchboard.i18n import fmt_date, t
from branchboard.ui.context import PAGES_WITHOUT_FILTERS, PageContext
from branchboard.ui.saved_views import saved_views
from branchboard.views import encode_query

# Sidebar placeholders that finish_page fills once the page has drawn.
SHARE_SLOT_KEY = "_share_slot"
SHARE_PANEL_KEY = "share_panel"  # the popover's open state
BRIEF_SLOT_KEY = "_brief_slot"


def current_link() -> str:
    """The full URL of this view, query string included."""
    try:
        base = (st.context.url or "").split("?")[0]
    except Exception:
        base = ""
    query = encode_query({k: st.query_params.get_all(k) for k in st.query_params.keys()})  # noqa: SIM118
    return f"{base}?{query}" if query else base


def _toggle_state(key: str, field_name: str, on_value: str, off_value: str | None) -> None:
    set_state(current_state_with(**{field_name: on_value if st.session_state[key] else off_value}))


def current_state_with(**changes: object) -> FilterState:
    """The shared filter state with some fields changed (not yet set)."""
    return current_state().with_changes(**changes)


def sidebar_share(ctx: PageContext) -> None:
    """Language, meeting mode, copy link and saved views."""
    lang = ctx.lang
    # A run that ended before finish_page (a click meanwhile, a drill-down's rerun) leaves its slot: never reused.
    st.session_state.pop(SHARE_SLOT_KEY, None)
    with st.sidebar:
        if ctx.page_key not in PAGES_WITHOUT_FILTERS:  # else the navigation's own rule is right above
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
        # Drawn only while it is open (opening it asks for a run): the link's QR code and its frame are a tenth of
        # a page run's server time, and a room of members changing filters would pay it on every click.
        share = st.popover(ctx.t("share.link"), width="stretch", icon=":material/share:", key=SHARE_PANEL_KEY, on_change="rerun")
        with share:
            if share.open:
                st.caption(md(ctx.t("share.link_help")))
                # Filled by finish_page(), once the page has drawn: its own choices (periods, tabs, top/bottom) are
                # in the URL by then, so the link is the view on screen, not the one before the last click.
                st.session_state[SHARE_SLOT_KEY] = st.empty()
        if ctx.state.scope:
            # A unit link: its own units only, and no saved views (their names and filters are the committee's).
            _link_scope_note(ctx)
        else:
            saved_views(ctx)
        ctx_slot = st.empty()  # filled by finish_page() with the brief download, once the page has drawn
        st.session_state[BRIEF_SLOT_KEY] = ctx_slot


def _link_scope_note(ctx: PageContext) -> None:
    scope = access.link_scope()
    units = "、".join(ctx.state.scope) if ctx.lang == "zh" else ", ".join(ctx.state.scope)
    if scope is not None and scope.expires_at is not None:
        st.caption(md(ctx.t("links.scope_caption", units=units, expires=fmt_date(scope.expires_at))))
    else:
        st.caption(md(ctx.t("links.scope_caption_forever", units=units)))


def share_panel(link: str, lang: str, *, meeting: bool = False) -> None:
    """The link with a copy button always visible (a phone has no hover), and its QR code for a projector."""
    copy, copied, fallback = (t(k, lang) for k in ("share.copy", "share.copied", "share.copy_by_hand"))
    script_link = json.dumps(link).replace("<", "\\u003c")
    # The link is data (its query holds names): HTML-escaped in the markup, and "<" escaped in the script's JSON.
    st.iframe(
        f"""
        <div style="font-family: 'Noto Sans CJK SC', sans-serif; font-size: 13px;">
          <input id="link" readonly value="{html_text(link)}"
                 style="width: 100%; box-sizing: border-box; padding: 6px; border: 1px solid {PAGE_COLOURS["line"]}; border-radius: 6px;">
          <button id="copy" style="margin-top: 6px; padding: 6px 14px; border: 0; border-radius: 6px;
                  background: {PAGE_COLOURS["red"]}; color: {PAGE_COLOURS["white"]}; font-size: 14px;">{html_text(copy)}</button>
          <span id="done" style="margin-left: 8px; color: {PAGE_COLOURS["muted"]};"></span>
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
