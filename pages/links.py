"""分享管理 Unit links (admins only): make a link that shows one unit's results (or a few units') without the viewer
code, see who has one and how often it is opened, and revoke it. The same as `python -m branchboard link …`."""

import pandas as pd
import streamlit as st

from branchboard import access, links
from branchboard.escape import md
from branchboard.i18n import fmt_datetime
from branchboard.ui import admin_allowed, start_page, stop_page

ctx = start_page("links")
if not admin_allowed():  # the page is not even listed for viewers; this guards a direct call
    st.error(md(ctx.t("access.admin_only")))
    stop_page()

store, state = ctx.store, ctx.state
secret = links.server_secret(store, access.config().session_secret)
EXPIRY_CHOICES = ("7d", "30d", "90d", "365d", "never")
START_PAGES = ("overview", "compliance", "volunteer", "tiers")

st.caption(md(ctx.t("links.intro")))
if links.open_site_warning(access.config().viewers_need_login):
    st.warning(md(ctx.t("links.open_site")), icon=":material/warning:")
with st.form("make_link", clear_on_submit=False):
    units = st.multiselect(
        ctx.t("links.units"),
        store.query("common__units")["unit_name"].tolist(),
        key="link_units",
        placeholder=ctx.t("links.pick_units"),
        select_all=False,  # an English "Select all" entry in a Chinese form; and a link for every unit is no link
    )
    col_a, col_b, col_c = st.columns([2, 1, 1])
    label = col_a.text_input(ctx.t("links.label"), max_chars=links.MAX_LABEL_LENGTH, key="link_label")
    expiry = col_b.selectbox(
        ctx.t("links.expires"), EXPIRY_CHOICES, index=1, format_func=lambda e: ctx.t(f"links.expiry.{e}"), key="link_expiry"
    )
    page = col_c.selectbox(ctx.t("links.page"), START_PAGES, format_func=lambda p: ctx.t(f"page.{p}"), key="link_page")
    st.caption(md(ctx.t("links.start_view")))
    made = st.form_submit_button(ctx.t("links.create"), type="primary")

if made:
    if not units:
        st.error(md(ctx.t("links.need_unit")))
    else:
        start = {k: v for k, v in state.to_query_params().items() if k in ("from", "to", "lang")}
        from branchboard.views import encode_query

        link_id, token = links.create(
            store,
            secret,
            units,
            expires_at=links.parse_expiry(expiry),
            label=label,
            start_page=page,
            start_query=encode_query(start),
            created_by=access.signed_in_email() or "admin",
        )
        base = (st.context.url or "").split("?")[0].rsplit("/", 1)[0] or "http://localhost:8501"
        st.session_state["_made_link"] = (link_id, links.url(base, token, page, encode_query(start)))

made_link = st.session_state.get("_made_link")
if made_link:
    st.success(md(ctx.t("links.made", id=made_link[0])))
    st.code(made_link[1], language=None, wrap_lines=True)  # plain text: select and copy, or the copy icon
    st.caption(md(ctx.t("links.send_hint")))

st.subheader(md(ctx.t("links.list")))
listing = links.listing(store)
if listing.empty:
    st.info(md(ctx.t("links.none")))
    stop_page()
now = links.now()


def status(row: pd.Series) -> str:
    if not pd.isna(row["revoked_at"]):
        return ctx.t("links.status.revoked")
    if not pd.isna(row["expires_at"]) and row["expires_at"] <= now:
        return ctx.t("links.status.expired")
    return ctx.t("links.status.active")


shown = pd.DataFrame(
    {
        ctx.t("links.col.id"): listing["link_id"],
        ctx.t("links.label"): listing["label"].fillna(""),
        ctx.t("links.units"): ["、".join(u) for u in listing["units"]],
        ctx.t("links.col.status"): [status(r) for _, r in listing.iterrows()],
        ctx.t("links.col.created"): [fmt_datetime(v) for v in listing["created_at"]],
        ctx.t("links.expires"): [
            fmt_datetime(v) if not pd.isna(v) else ctx.t("links.expiry.never") for v in listing["expires_at"]
        ],
        ctx.t("links.col.last_opened"): [fmt_datetime(v) for v in listing["last_opened"]],
        ctx.t("links.col.times_opened"): listing["times_opened"].astype(int),
    }
)
st.dataframe(shown, hide_index=True, width="stretch")

active = listing[[status(r) == ctx.t("links.status.active") for _, r in listing.iterrows()]]
if not active.empty:
    labels = {
        r.link_id: f"{r.link_id} · {r.label if isinstance(r.label, str) else ''} · {'、'.join(r.units)}"
        for r in active.itertuples()
    }
    col_a, col_b = st.columns([3, 1])
    chosen = col_a.selectbox(ctx.t("links.revoke_pick"), list(labels), format_func=lambda i: labels[i], key="link_revoke_pick")
    col_b.write("")
    if col_b.button(ctx.t("links.revoke"), key="link_revoke", type="secondary", width="stretch"):
        links.revoke(store, chosen)
        st.session_state.pop("_made_link", None)
        st.rerun()
