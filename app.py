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

access_config = access.config()
role = access.role(access_config)
if role is None:
    # Not logged in: the only page is the login screen, whatever the URL asked for.
    login = st.Page(lambda: access.login_screen(access_config, lang), title=t("app.title", lang), url_path="login", default=True)
    st.navigation([login], position="hidden").run()
    st.stop()

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
