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
    st.Page("pages/compliance.py", title=t("page.compliance", lang), icon=":material/fact_check:", url_path="compliance"),
    st.Page("pages/volunteer.py", title=t("page.volunteer", lang), icon=":material/volunteer_activism:", url_path="volunteer"),
    st.Page("pages/tiers.py", title=t("page.tiers", lang), icon=":material/military_tech:", url_path="tiers"),
    st.Page("pages/branch.py", title=t("page.branch", lang), icon=":material/account_tree:", url_path="branch"),
]
if role == ADMIN:
    # Viewers never get these pages: their URLs fall back to the default page.
    pages += [
        st.Page("pages/import.py", title=t("page.import", lang), icon=":material/upload_file:", url_path="import"),
        st.Page("pages/settings.py", title=t("page.settings", lang), icon=":material/settings:", url_path="settings"),
    ]
nav = st.navigation(pages)
nav.run()
finish_page()
