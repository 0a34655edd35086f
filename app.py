"""党支部建设数据看板 · entry point: page config, access gate, navigation over pages/.

`streamlit run app.py` finds `app = st.App(...)` below and serves this file through it, with the request guard,
the backup route and the error handler of branchboard.server. Streamlit runs the page script itself as
`__main__`; the ASGI server imports this module under its own name, which is when the App is made.
"""

from pathlib import Path

import streamlit as st

if __name__ != "__main__":  # imported by the web server, not run as the page script
    from branchboard import server

    app = st.App(__file__, routes=server.routes(), middleware=server.middleware(), on_script_error=server.show_failure)

from branchboard import access
from branchboard.auth import ADMIN
from branchboard.filters import early_lang_and_mode
from branchboard.i18n import t
from branchboard.ui import admin_only_page, finish_page

ICON = Path(__file__).resolve().parent / "branchboard" / "static" / "icon.png"
URL_PATHS = ("overview", "compliance", "volunteer", "tiers", "branch", "import", "settings", "links")


def main() -> None:
    """One run of the app: page config, the access gate, the navigation and the page."""
    lang, mode = early_lang_and_mode()
    st.set_page_config(
        page_title=t("app.title", lang),
        # A file of our own, served by this server: a :material/…: icon is fetched from Google's font host, which an
        # offline intranet cannot reach.
        page_icon=str(ICON),
        layout="wide",
        initial_sidebar_state="collapsed" if mode == "meeting" else "auto",  # auto: folded on a phone
    )

    access_config = access.config()
    try:
        access.unit_link(access_config)  # a unit link opens without the code, limited to its units
    except access.LinkRefused:
        # The refusal and nothing else: a hidden navigation, so not even the list of pages shows.
        def refused() -> None:
            access.refusal_page(lang)

        st.navigation(
            [st.Page(refused, title=t("app.title", lang), default=True)]
            + [st.Page(refused, title=t("app.title", lang), url_path=path, visibility="hidden") for path in URL_PATHS],
            position="hidden",
        ).run()
        st.stop()
    role = access.role(access_config)

    if role is None:
        # Not logged in: every URL shows the login screen (no "page not found"); after the login the same
        # URL opens its page.
        def login() -> None:
            access.login_screen(access_config, lang)

        st.navigation(
            [st.Page(login, title=t("app.title", lang), default=True)]
            + [st.Page(login, title=t("app.title", lang), url_path=path, visibility="hidden") for path in URL_PATHS],
            position="hidden",
        ).run()
        st.stop()

    overview = st.Page("pages/overview.py", title=t("page.overview", lang), icon=":material/dashboard:", url_path="overview")

    def home() -> None:
        """The app root leads to /overview with the link's parameters, so every page has a real URL path."""
        st.switch_page(overview, query_params={k: st.query_params.get_all(k) for k in st.query_params})

    pages = [
        st.Page(home, title=t("page.overview", lang), default=True, visibility="hidden"),
        overview,
        st.Page("pages/compliance.py", title=t("page.compliance", lang), icon=":material/fact_check:", url_path="compliance"),
        st.Page(
            "pages/volunteer.py", title=t("page.volunteer", lang), icon=":material/volunteer_activism:", url_path="volunteer"
        ),
        st.Page("pages/tiers.py", title=t("page.tiers", lang), icon=":material/military_tech:", url_path="tiers"),
        st.Page("pages/branch.py", title=t("page.branch", lang), icon=":material/account_tree:", url_path="branch"),
    ]
    admin_pages = {
        "import": ("pages/import.py", ":material/upload_file:"),
        "settings": ("pages/settings.py", ":material/settings:"),
        "links": ("pages/links.py", ":material/link:"),
    }
    for key, (script, icon) in admin_pages.items():
        if role == ADMIN:
            pages.append(st.Page(script, title=t(f"page.{key}", lang), icon=icon, url_path=key))
        else:
            # Viewers get neither the page file nor a menu entry: its URL shows that admins only may use it.
            pages.append(st.Page(admin_only_page(key), title=t(f"page.{key}", lang), url_path=key, visibility="hidden"))
    nav = st.navigation(pages)
    st.session_state[access.VIA_APP_KEY] = True  # this run goes through app.py (see leave_legacy_pages_mode)
    try:
        nav.run()
        finish_page()
    except Exception as exc:  # never a traceback in front of a user (st.stop and st.rerun are not Exceptions)
        from branchboard.server import show_failure

        show_failure(exc)
    finally:
        st.session_state[access.VIA_APP_KEY] = False
    # Also after a page that failed: the code was right. (A page that ends early hands it over in stop_page.)
    access.hand_over_viewer_pass()


if __name__ == "__main__":
    main()
