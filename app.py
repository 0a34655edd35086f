"""党支部建设数据看板 · entry point: page config and navigation over pages/."""

import streamlit as st

from branchboard.filters import current_state
from branchboard.i18n import t

st.set_page_config(page_title="党支部建设数据看板", page_icon="🚩", layout="wide", initial_sidebar_state="expanded")

lang = current_state().lang
pages = [
    st.Page("pages/overview.py", title=t("page.overview", lang), icon="📊", url_path="overview", default=True),
    st.Page("pages/compliance.py", title=t("page.compliance", lang), icon="📋", url_path="compliance"),
    st.Page("pages/volunteer.py", title=t("page.volunteer", lang), icon="🤝", url_path="volunteer"),
    st.Page("pages/tiers.py", title=t("page.tiers", lang), icon="🏅", url_path="tiers"),
    st.Page("pages/branch.py", title=t("page.branch", lang), icon="🔎", url_path="branch"),
]
nav = st.navigation(pages)
nav.run()
