"""The frame of every page: start_page (access, store, filters, sidebar, title), finish_page (after it drew) and
stop_page (a page that ends early)."""

from __future__ import annotations

from typing import Any, NoReturn

import streamlit as st

from branchboard import access
from branchboard.escape import md
from branchboard.export import Brief, brief_html
from branchboard.filters import describe, early_lang_and_mode, sidebar_filters
from branchboard.metrics import data_as_of
from branchboard.names import data_names
from branchboard.ui.context import CONTEXT_KEY, PAGES_WITHOUT_FILTERS, PageContext
from branchboard.ui.report_button import report_button
from branchboard.ui.share import BRIEF_SLOT_KEY, SHARE_SLOT_KEY, current_link, share_panel, sidebar_share
from branchboard.ui.store import get_store
from branchboard.ui.style import run_css
from branchboard.ui.widgets import made_on_click


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
    filtered = page_key not in PAGES_WITHOUT_FILTERS
    state = sidebar_filters(store, draw=filtered)
    # Constant CSS only: nothing from the data or the URL ever goes through unsafe_allow_html. The page's own CSS is
    # in the head the server sends; a run adds meeting mode's and the uploader's words.
    css = run_css(state.lang, state.mode == "meeting", uploader=page_key == "import")
    if css:
        st.markdown(css, unsafe_allow_html=True)
    ctx = PageContext(store, state, page_key, data_names(store, state.lang))
    st.session_state[CONTEXT_KEY] = ctx
    sidebar_share(ctx)
    access.sidebar_account(access.config(), ctx.lang)
    title = ctx.t(f"page.{page_key}")
    st.title(title)
    as_of = data_as_of(store, ctx.lang)
    # Unit, sector and tier names are data: escaped, never markup (branchboard.escape).
    if filtered:
        st.caption(f"{md(ctx.t('filters.active', text=describe(state, ctx.names.tier)))} · :orange[{md(as_of)}]")
    else:
        st.caption(f":orange[{md(as_of)}]")
    ctx.brief = Brief(
        title=f"{ctx.t('app.title')} · {title}",
        filters=ctx.t("filters.active", text=describe(state, ctx.names.tier)),
        data_as_of=as_of,
    )
    return ctx


def stop_page() -> NoReturn:
    """End the page here, finished all the same: a page that has nothing more to show (no branch picked, one period
    only) still fills the share panel and the brief, and hands a viewer who has just entered the code their pass.
    st.stop() alone would skip what app.py does after the page, and after it no element can be drawn."""
    finish_page()
    access.hand_over_viewer_pass()  # app.py's, after a page that ran to its end: a viewer just signed in keeps it
    st.stop()


def finish_page() -> None:
    """After the page ran: the share link of what it shows, and the one-file HTML brief (called by app.py)."""
    ctx: PageContext | None = st.session_state.pop(CONTEXT_KEY, None)
    share = st.session_state.pop(SHARE_SLOT_KEY, None)
    if ctx is not None and ctx.names.untranslated:
        # Chinese on an English page is the data's, not a screen left untranslated: say so
        st.caption(md(ctx.t("names.untranslated", names=", ".join(sorted(ctx.names.untranslated)))))
    if share is not None:
        with share.container():
            share_panel(current_link(), ctx.lang if ctx else early_lang_and_mode()[0], meeting=bool(ctx and ctx.meeting))
    slot = st.session_state.pop(BRIEF_SLOT_KEY, None)
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
        report_button(ctx)
