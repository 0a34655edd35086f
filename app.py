"""党支部建设数据看板 · entry point: page config, access gate, navigation over pages/."""

import streamlit as st

from branchboard import access
from branchboard.auth import ADMIN
from branchboard.filters import early_lang_and_mode
from branchboard.i18n import t
from branchboard.ui import finish_page

lang, mode = early_lang_and_mode()
st.set_page_config(
    page_title=t("app.title", lang),
    page_icon=":material/flag:",
    layout="wide",
    initial_sidebar_state="collapsed" if mode == "meeting" else "expanded",
)

role = access.gate(access.config(), lang)

pages = [
    st.Page("pages/overview.py", title=t("page.overview", lang), icon=":material/dashboard:", url_path="overview", default=True),
]
if role == ADMIN:
    # Viewers never get these pages: their URLs fall back to the default page.
    pages += [
        st.Page("pages/settings.py", title=t("page.settings", lang), icon=":material/settings:", url_path="settings"),
    ]
nav = st.navigation(pages)
nav.run()
finish_page()
