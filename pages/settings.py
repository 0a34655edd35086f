"""参数设置 Settings (admins only): pass score, item pass ratio, compliance target, tiers."""

import streamlit as st

from branchboard import settings as S
from branchboard.escape import md
from branchboard.server import backup_link
from branchboard.ui import admin_allowed, start_page, stop_page

ctx = start_page("settings")
if not admin_allowed():  # the page is not even listed for viewers; this guards a direct call
    st.error(md(ctx.t("access.admin_only")))
    stop_page()

current = ctx.store.settings()
st.caption(md(ctx.t("settings.intro")))
with st.form("settings_form"):
    col_a, col_b, col_c = st.columns(3)
    pass_score = col_a.number_input(
        ctx.t("settings.pass_score"), min_value=0.0, max_value=100.0, step=1.0, value=float(current["pass_score"]), key="set_pass"
    )
    ratio = col_b.number_input(
        ctx.t("settings.item_pass_ratio"),
        min_value=0.05,
        max_value=1.0,
        step=0.05,
        value=float(current["item_pass_ratio"]),
        key="set_ratio",
    )
    target = col_c.number_input(
        ctx.t("settings.compliance_target"),
        min_value=0.05,
        max_value=1.0,
        step=0.05,
        value=float(current["compliance_target"]),
        key="set_target",
    )
    tiers_text = st.text_input(ctx.t("settings.tiers"), value="，".join(ctx.store.tiers()), key="set_tiers")
    tiers_en_text = st.text_input(
        ctx.t("settings.tiers_en"), value=", ".join(S.parse_tiers(current.get("tiers_en", ""))), key="set_tiers_en"
    )
    submitted = st.form_submit_button(ctx.t("settings.save"), type="primary")

if submitted:
    new = S.SettingsInput(pass_score, ratio, target, S.parse_tiers(tiers_text), S.parse_tiers(tiers_en_text))
    problems = S.validate(ctx.store, new)
    missing = S.tiers_in_use_but_missing(ctx.store, new.tiers)
    for key in problems:
        st.error(md(ctx.t(key)))
    if missing:
        st.error(md(ctx.t("settings.tiers_in_use", tiers="、".join(missing))))
    if not problems and not missing:
        S.save(ctx.store, new)
        st.success(md(ctx.t("settings.saved")))

# -- backup: a consistent copy while the app runs (the CLI cannot open the file the app holds) ----
st.divider()
st.subheader(md(ctx.t("settings.backup")))
st.caption(md(ctx.t("settings.backup_help")))
if st.button(md(ctx.t("settings.backup_make")), key="set_backup"):
    # A one-time link, good for two minutes: the copy is written when it is opened, sent once and deleted, never
    # left at a media URL for as long as the session lasts (branchboard.server).
    st.session_state["set_backup_link"] = backup_link(str(ctx.store.path))
link = st.session_state.pop("set_backup_link", None)
if link:
    st.link_button(md(ctx.t("settings.backup_download")), link, icon=":material/download:", type="primary")
    st.caption(md(ctx.t("settings.backup_once")))
