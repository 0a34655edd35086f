"""党支部建设数据看板 · entry point: page config and navigation over pages/."""

import streamlit as st

from branchboard.filters import current_state
from branchboard.i18n import t

st.set_page_config(page_title="党支部建设数据看板", page_icon="🚩", layout="wide", initial_sidebar_state="expanded")

lang = current_state().lang
pages = [
    st.Page("pages/overview.py", title=t("page.overview", lang), icon="📊", url_path="overview", default=True),
    st.Page("pages/import.py", title=t("page.import", lang), icon="📥", url_path="import"),
]
nav = st.navigation(pages)
nav.run()
