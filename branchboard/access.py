"""The Streamlit side of access control (rules and hashing are in branchboard.auth)."""

from __future__ import annotations

import streamlit as st

from branchboard import auth
from branchboard.i18n import t
from branchboard.links import LinkScope

_ROLE_KEY = "_access_role"
_LINK_TOKEN_KEY = "_link_token"
_LINK_SCOPE_KEY = "_link_scope"
_LINK_REFUSED_KEY = "_link_refused"


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
            email = st.user.get("email")
            return True, email.lower() if isinstance(email, str) and email else None
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
    if st.session_state.get(_LINK_SCOPE_KEY) is not None:
        return auth.VIEWER  # a unit link's holder, whatever else is configured (also with access control off)
    if cfg.open:
        return auth.ADMIN
    granted = st.session_state.get(_ROLE_KEY)
    if granted is None and cfg.viewer_code and cfg.viewer_days > 0 and _has_viewer_pass(cfg):
        granted = st.session_state[_ROLE_KEY] = auth.VIEWER  # the browser entered the code before
    logged_in, email = _oidc_user() if cfg.oidc else (False, None)
    if granted == auth.ADMIN or (logged_in and email and email in cfg.admin_emails):
        return auth.ADMIN
    if granted == auth.VIEWER or logged_in or not cfg.viewers_need_login:
        return auth.VIEWER
    return None


class LinkRefused(Exception):
    """This session came with a unit link that does not open (altered, unsigned, expired, revoked)."""


def refusal_page(lang: str) -> None:
    st.title(t("app.title", lang))
    st.error(t("links.refused", lang), icon=":material/link_off:")


def unit_link(cfg: auth.AccessConfig) -> LinkScope | None:
    """A unit link's scope for this run, checked on every run (app.py first, then start_page): None when this
    session did not come through a unit link. Raises LinkRefused for a token that does not open: the caller shows
    the refusal page and nothing else."""
    from branchboard import links
    from branchboard.ui import get_store

    from_url = st.query_params.get(links.URL_KEY)
    token = from_url or st.session_state.get(_LINK_TOKEN_KEY)
    if not token:
        return None
    if st.session_state.get(_LINK_REFUSED_KEY) and st.session_state.get(_LINK_TOKEN_KEY) == token:
        raise LinkRefused  # a refused link stays refused for the session
    first = st.session_state.get(_LINK_TOKEN_KEY) != token
    store = get_store()
    checked = links.check(store, _secret(cfg), token, record_open=first)
    st.session_state.pop(_LINK_REFUSED_KEY, None)
    if checked.scope is None:
        st.session_state.pop(_LINK_SCOPE_KEY, None)
        st.session_state[_LINK_TOKEN_KEY] = token  # refused once per session in the log, not on every rerun
        st.session_state[_LINK_REFUSED_KEY] = True
        raise LinkRefused
    st.session_state[_LINK_TOKEN_KEY] = token
    st.session_state[_LINK_SCOPE_KEY] = checked.scope
    return checked.scope


def link_scope() -> LinkScope | None:
    return st.session_state.get(_LINK_SCOPE_KEY)


def link_still_opens() -> bool:
    """For files made when a download button is clicked (outside a page run): False when this session's unit link
    was revoked or expired since the page was drawn. Sessions without a link: True."""
    from branchboard import links
    from branchboard.ui import get_store

    token = link_token()
    if token is None:
        return True
    return links.check(get_store(), _secret(config()), token).scope is not None


def link_units() -> tuple[str, ...]:
    """The units this session's unit link may show (empty: not a unit link)."""
    scope = st.session_state.get(_LINK_SCOPE_KEY)
    return scope.units if scope is not None else ()


def link_token() -> str | None:
    return st.session_state.get(_LINK_TOKEN_KEY) if st.session_state.get(_LINK_SCOPE_KEY) is not None else None


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
_PASS_KEY = "_viewer_pass_to_set"


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
        cfg = config()
        if grants == auth.VIEWER and cfg.viewer_days > 0:
            # Remembered by this browser (an HttpOnly cookie set after the page draws) so a shared link opens
            # without the code again; changing the code ends every pass.
            st.session_state[_PASS_KEY] = auth.viewer_pass(_secret(cfg), auth.code_fingerprint(stored), cfg.viewer_days)
        st.rerun()
    st.error(t("access.locked", lang, seconds=int(wait) + 1) if wait > 0 else t(wrong, lang))


def _secret(cfg: auth.AccessConfig) -> bytes:
    from branchboard.links import server_secret
    from branchboard.ui import get_store

    return server_secret(get_store(), cfg.session_secret)


def _has_viewer_pass(cfg: auth.AccessConfig) -> bool:
    try:
        value = st.context.cookies.get(auth.VIEWER_COOKIE)
    except Exception:  # no cookies outside a browser session (AppTest)
        return False
    return bool(value) and auth.check_viewer_pass(value, _secret(cfg), auth.code_fingerprint(cfg.viewer_code or ""))


def hand_over_viewer_pass() -> None:
    """Right after the code was taken: a frame of this site fetches the one-time sign-in link, whose answer sets the
    pass as an HttpOnly cookie (called by app.py once the page has drawn)."""
    value = st.session_state.pop(_PASS_KEY, None)
    if value is None:
        return
    import json

    from branchboard.server import signin_link

    link = json.dumps(signin_link(value, int(config().viewer_days * 86400))).replace("<", "\\u003c")
    st.iframe(f"<script>fetch({link}, {{credentials: 'same-origin'}});</script>", height=1)


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
    """Admin log-in / log-out in the sidebar, and the note when access control is off (neither for a unit link)."""
    if link_scope() is not None:
        return
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
