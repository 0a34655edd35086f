"""The Streamlit side of access control (rules and hashing are in branchboard.auth)."""

from __future__ import annotations

import streamlit as st

from branchboard import auth
from branchboard.i18n import t

_ROLE_KEY = "_access_role"


def config() -> auth.AccessConfig:
    try:
        secrets_map = st.secrets.to_dict() if len(st.secrets) else {}
    except Exception:  # no secrets.toml at all: Streamlit raises rather than returning empty
        secrets_map = {}
    return auth.load_config(secrets_map)


def session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def client_key() -> str:
    """The rate limiter's key for this client: its address as the trusted proxy reports it (branchboard.server
    drops a forwarded address it cannot trust), else this session."""
    try:
        address = st.context.ip_address
    except Exception:
        address = None
    return auth.client_key(address if isinstance(address, str) and address else None, session_id())


def _oidc_user() -> tuple[bool, str | None]:
    try:
        if st.user.is_logged_in:
            return True, (st.user.get("email") or "").lower() or None
    except Exception:
        pass
    return False, None


def signed_in_email() -> str | None:
    """The single sign-on user's e-mail, when single sign-on is configured and the user logged in."""
    return _oidc_user()[1] if config().oidc else None


def role(cfg: auth.AccessConfig) -> str | None:
    """admin, viewer, or None when this session must log in first. Also tells the upload guard whether this
    session may send files (admins only)."""
    found = _role(cfg)
    sid = session_id()
    if sid is not None:
        if found == auth.ADMIN:
            auth.UPLOADERS.grant(sid)
        else:
            auth.UPLOADERS.withdraw(sid)
    return found


def _role(cfg: auth.AccessConfig) -> str | None:
    if cfg.open:
        return auth.ADMIN
    granted = st.session_state.get(_ROLE_KEY)
    logged_in, email = _oidc_user() if cfg.oidc else (False, None)
    if granted == auth.ADMIN or (logged_in and email and email in cfg.admin_emails):
        return auth.ADMIN
    if granted == auth.VIEWER or logged_in or not cfg.viewers_need_login:
        return auth.VIEWER
    return None


def is_admin() -> bool:
    return role(config()) == auth.ADMIN


def login_screen(cfg: auth.AccessConfig, lang: str) -> None:
    """The login screen shown instead of every page until a viewer has entered the code or logged in."""
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        _login_form(cfg, lang)


def _login_form(cfg: auth.AccessConfig, lang: str) -> None:
    st.title(t("app.title", lang))
    prompt = (
        "access.login_prompt"
        if cfg.viewer_code and cfg.oidc
        else "access.login_prompt_code"
        if cfg.viewer_code
        else "access.login_prompt_sso"
    )
    st.caption(t(prompt, lang))
    if cfg.viewer_code:
        _secret_form("access_login", "access_code", auth.VIEWER, cfg.viewer_code, "access.code", "access.wrong_code", lang)
    if cfg.oidc and st.button(t("access.sso", lang), key="access_sso"):
        st.login()


VIA_APP_KEY = "_run_via_app"


def _secret_form(form: str, key: str, grants: str, stored: str, label: str, wrong: str, lang: str) -> None:
    """A code or password form: rate-limited check, then the role for this session, or a clear error."""
    with st.form(form):
        given = st.text_input(t(label, lang), type="password", key=key)
        submitted = st.form_submit_button(t("access.enter", lang), type="primary" if grants == auth.VIEWER else "secondary")
    if not submitted:
        return
    ok, wait = auth.attempt(grants, given, stored, client_key())
    if ok:
        st.session_state[_ROLE_KEY] = grants
        st.rerun()
    st.error(t("access.locked", lang, seconds=int(wait) + 1) if wait > 0 else t(wrong, lang))


def leave_legacy_pages_mode() -> None:
    """Make sure a session runs through app.py's st.navigation, not a pages/ file on its own.

    Streamlit treats a `pages/` folder as the old multipage mode until some session has called
    st.navigation: the first requests after a server start for /overview or /settings run that file
    directly, skipping app.py. app.py marks the runs it makes (VIA_APP_KEY); a page run without that
    mark clears the flag the way st.navigation does and, on the session's first run (nothing to lose
    yet), reruns through app.py. Later runs are not rerun, so a click is never swallowed (AppTest resets
    the flag before every run, which is where that matters).
    """
    from streamlit.runtime.pages_manager import PagesManager

    first_run = "_session_started" not in st.session_state
    st.session_state["_session_started"] = True
    if st.session_state.get(VIA_APP_KEY):
        return
    PagesManager.uses_pages_directory = False
    if first_run:
        st.rerun()


def sidebar_account(cfg: auth.AccessConfig, lang: str) -> None:
    """Admin log-in / log-out in the sidebar, and the note when access control is off."""
    if cfg.open:
        st.sidebar.caption(":material/lock_open: " + t("access.off", lang))
        return
    current = role(cfg)
    with st.sidebar.expander(t("access.admin", lang) if current != auth.ADMIN else t("access.admin_on", lang)):
        if current == auth.ADMIN:
            if st.button(t("access.logout", lang), key="access_logout"):
                st.session_state[_ROLE_KEY] = auth.VIEWER
                st.rerun()
        elif cfg.admin_password_hash:
            _secret_form(
                "admin_login",
                "admin_password",
                auth.ADMIN,
                cfg.admin_password_hash,
                "access.password",
                "access.wrong_password",
                lang,
            )
        else:
            st.caption(t("access.no_admin", lang))
