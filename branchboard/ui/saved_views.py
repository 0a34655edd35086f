"""Saved views in the sidebar: named links to a page and its filters; an admin deletes them."""

from __future__ import annotations

import streamlit as st

from branchboard import access, views
from branchboard.escape import md
from branchboard.ui.context import PageContext, admin_allowed

# The pages a saved view may open: the admin pages only for an admin.
VIEW_PAGES = ("overview", "compliance", "volunteer", "tiers", "branch")
ADMIN_VIEW_PAGES = ("import", "settings")


_JUST_SAVED = "_view_just_saved"
SAVED_VIEWS_KEY = "saved_views"  # the expander's open state


def saved_views(ctx: PageContext) -> None:
    # Drawn only while it is open (opening it asks for a run): a link and a button per saved view, and the form,
    # would otherwise be sent on every run of every page.
    panel = st.expander(ctx.t("share.saved_views"), key=SAVED_VIEWS_KEY, on_change="rerun")
    with panel:
        if not panel.open:
            return
        just_saved = st.session_state.pop(_JUST_SAVED, None)
        if just_saved is not None:
            st.success(md(ctx.t("share.saved", name=just_saved)))
        saved = ctx.store.query("common__saved_views")
        if saved.empty:
            st.caption(md(ctx.t("share.no_views")))
        admin = admin_allowed()
        for name, page, query in zip(saved["name"].tolist(), saved["page"].tolist(), saved["query"].tolist(), strict=True):
            cols = st.columns([4, 1]) if admin else [st.container()]
            # A view saved on an admin page opens the Overview for viewers (that page is not theirs).
            page = page if page in VIEW_PAGES or (admin and page in ADMIN_VIEW_PAGES) else "overview"
            cols[0].page_link(
                f"pages/{page}.py",
                label=md(name),
                query_params=views.decode_query(query),
                icon=":material/bookmark:",
            )
            if len(cols) > 1 and cols[1].button("✕", key=f"del_view_{name}", help=ctx.t("share.delete_view")):
                views.delete_view(ctx.store, name)
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
                        # Run again so the list above the form holds the new view at once, the message with it.
                        st.session_state[_JUST_SAVED] = clean
                        st.rerun()
                    else:
                        st.error(md(ctx.t(f"share.view_{outcome}", name=clean, n=views.MAX_PER_HOUR)))
