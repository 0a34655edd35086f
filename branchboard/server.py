"""What the web server does around Streamlit (served through `st.App`, see app.py): guard requests, serve one-time
backup downloads, and turn any uncaught error into a product message.

- **Client address.** The address a client is counted by (login limits, saved-view limits) is the one a trusted
  proxy reports. start.sh hands BRANCHBOARD_TRUSTED_PROXIES to the server as FORWARDED_ALLOW_IPS (uvicorn then
  takes X-Forwarded-For only from those hosts, rightmost untrusted entry first). A server started without that
  setting trusts the local host by uvicorn's default, so a local client could name any address in the header:
  then a request that carries the header is treated as having no address at all (limited per session).
- **Uploads.** Streamlit's upload endpoint takes files for any live session. Only sessions the app found admin
  (branchboard.auth.UPLOADERS) may send one, and only a few uploads stream in at once, so a stranger at the login
  screen cannot make the server hold hundreds of megabytes.
- **Backups.** An admin's backup is served once from a short-lived secret link and the file is deleted after it
  was sent, rather than left at a media URL for as long as the session lasts.
- **Viewers stay signed in.** After the access code, a signed pass (never the code) is set as an HttpOnly cookie
  through a one-time link the page fetches, so a reload or a shared link opened in the same browser does not ask again.
- **Charts start loading with the page.** Streamlit fetches the code that draws a Plotly chart (4.7 MB) only when
  the first chart arrives, after the page has connected and run; the page it serves names it as `modulepreload`, so
  the browser fetches and compiles it while it connects (and only it: see docs/performance.md).
- **The page's CSS and a tap that selects on a chart as a click does** (a unit's bar drills in on a phone) are in the
  same page head, once, rather than drawn by every run.
- **Errors.** A page that fails shows a short message with a reference; the traceback goes to the server log.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from branchboard import auth

_LOG = logging.getLogger("branchboard")
_UPLOAD_PATH = re.compile(r"/_stcore/upload_file/([^/]+)/")
BACKUP_ROUTE = "/_branchboard/backup/{token}"
BACKUP_TTL_SECONDS = 120.0


# -- requests -------------------------------------------------------------------------------------------------------
def forwarded_address_is_trusted(environ: dict[str, str] | None = None) -> bool:
    """Whether the server was told which proxies to trust (start.sh sets FORWARDED_ALLOW_IPS, empty for none)."""
    return "FORWARDED_ALLOW_IPS" in (os.environ if environ is None else environ)


class RequestGuard:
    """ASGI middleware: the client's address as far as it can be trusted, and the upload guard."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if not forwarded_address_is_trusted() and any(name == b"x-forwarded-for" for name, _ in scope.get("headers", ())):
            scope = {**scope, "client": None}
        if scope["type"] == "http" and scope.get("method") == "PUT":
            match = _UPLOAD_PATH.search(scope.get("path", ""))
            if match:
                await self._upload(match.group(1), scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _upload(self, session_id: str, scope: dict, receive: Any, send: Any) -> None:
        if not auth.UPLOADERS.allowed(session_id):
            await _plain(send, 403, "只有管理员可以上传文件 · Only administrators may upload files")
            return
        if not auth.UPLOADS_IN_FLIGHT.acquire():
            await _plain(send, 429, "正在接收其他文件，请稍后再试 · Other uploads are in progress, try again shortly")
            return
        try:
            await self.app(scope, receive, send)
        finally:
            auth.UPLOADS_IN_FLIGHT.release()


async def _plain(send: Any, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


# -- backups --------------------------------------------------------------------------------------------------------
class OneTimeTokens:
    """Unguessable tokens, each good once and for `ttl` seconds, standing for what they were made for (a backup of a
    database file, a viewer's pass to set as a cookie)."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._tokens: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def create(self, payload: Any, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens = {k: v for k, v in self._tokens.items() if v[0] > now}
            self._tokens[token] = (now + self.ttl, payload)
        return token

    def redeem(self, token: str, now: float | None = None) -> Any:
        """What the token was made for, once; None for an unknown, used or expired token."""
        now = time.monotonic() if now is None else now
        with self._lock:
            found = self._tokens.pop(token, None)
        return found[1] if found and found[0] > now else None


BACKUP_LINKS = OneTimeTokens(BACKUP_TTL_SECONDS)


def backup_link(db_path: str) -> str:
    """A relative URL that downloads a consistent copy of the database once."""
    return BACKUP_ROUTE.replace("{token}", BACKUP_LINKS.create(db_path))


async def backup_download(request: Any) -> Any:
    """The backup route: the copy is written to a temporary file, sent, and deleted."""
    from starlette.background import BackgroundTask
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import FileResponse, PlainTextResponse

    from branchboard import db
    from branchboard.backup import backup_to

    db_path = BACKUP_LINKS.redeem(request.path_params.get("token", ""))
    if db_path is None:
        return PlainTextResponse("此备份链接已失效，请在“参数设置”页重新生成 · This backup link has expired", status_code=404)
    folder = Path(tempfile.mkdtemp(prefix="branchboard-backup-"))
    target = folder / f"branchboard-backup-{time.strftime('%Y%m%d-%H%M')}.duckdb"
    try:
        await run_in_threadpool(backup_to, db.get_store(db_path), target)
    except Exception:
        _remove(folder)
        _LOG.exception("backup failed")
        return PlainTextResponse("备份失败，请查看服务器日志 · The backup failed; see the server log", status_code=500)
    return FileResponse(
        target,
        filename=target.name,
        media_type="application/octet-stream",
        background=BackgroundTask(_remove, folder),
    )


def _remove(folder: Path) -> None:
    for child in folder.glob("*"):
        child.unlink(missing_ok=True)
    folder.rmdir()


# -- viewers stay signed in -----------------------------------------------------------------------------------------
SIGNIN_ROUTE = "/_branchboard/signin"
SIGNIN_TICKETS = OneTimeTokens(60.0)


def signin_link(cookie_value: str, max_age: int) -> str:
    """A one-time URL that hands the browser its pass as an HttpOnly cookie (a page cannot set one). The page fetches
    it from a frame of this site, so the browser stays where it is."""
    from urllib.parse import urlencode

    ticket = SIGNIN_TICKETS.create((cookie_value, max_age))
    return f"{SIGNIN_ROUTE}?{urlencode({'t': ticket})}"


async def signin(request: Any) -> Any:
    from starlette.responses import PlainTextResponse, Response

    from branchboard.auth import VIEWER_COOKIE

    found = SIGNIN_TICKETS.redeem(request.query_params.get("t", ""))
    if found is None:
        return PlainTextResponse("此链接已失效 · This link has expired", status_code=404)
    value, max_age = found
    response = Response(status_code=204)
    response.set_cookie(
        VIEWER_COOKIE,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


# -- errors ---------------------------------------------------------------------------------------------------------
def log_failure(what: str, exc: BaseException) -> str:
    """The traceback into the server log under a short reference, which is what the user is shown."""
    reference = uuid.uuid4().hex[:8]
    _LOG.error("%s (reference %s)", what, reference, exc_info=exc)
    return reference


def show_failure(exc: BaseException) -> bool:
    """Instead of a traceback: a short message with a reference the server log carries with the details."""
    import duckdb
    import streamlit as st

    from branchboard.escape import md
    from branchboard.filters import early_lang_and_mode
    from branchboard.i18n import t

    reference = log_failure("page failed", exc)
    lang = early_lang_and_mode()[0]
    if isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower():
        st.error(md(t("app.db_in_use", lang)), icon=":material/lock:")
    else:
        st.error(md(t("app.failed", lang, reference=reference)), icon=":material/error:")
    return True  # Streamlit's own exception panel is not shown


def routes() -> list:
    from starlette.routing import Route

    return [Route(BACKUP_ROUTE, backup_download, methods=["GET"]), Route(SIGNIN_ROUTE, signin, methods=["GET"])]


# -- the page ---------------------------------------------------------------------------------------------------------
# Streamlit loads the code of each kind of element only when the first element of that kind arrives, after the page
# has connected and run. Plotly's (4.7 MB, a second of compiling and evaluating) is by far the longest to wait for, so
# the page names it, and the files it imports, as modulepreload: fetched and compiled while the page connects. Only
# it: naming every element's code (some seventy files) queued them ahead of the page's own requests on the browser's
# six connections to the server, so the page connected 0.4-0.6 s later and the first chart came later than with
# Plotly's alone (docs/performance.md, issue 12, fifth round). Its name carries a content hash, so it is looked up in
# the installed Streamlit, with what it imports; a name that is not there (another Streamlit version) is simply not
# preloaded.
_PRELOADED_CHUNKS = ("PlotlyChart",)
_STATIC_IMPORT = re.compile(rb"""(?:\bfrom|\bimport)\s*["']\./([\w.\-]+\.js)["']""")


def _imports(js_dir: Path, names: list[str]) -> list[str]:
    """The files `names` import, directly or not (static imports only), themselves included; in the order found."""
    seen: dict[str, None] = {}
    queue = list(names)
    while queue:
        name = queue.pop(0)
        if name in seen or not (js_dir / name).is_file():
            continue
        seen[name] = None
        queue.extend(m.decode() for m in _STATIC_IMPORT.findall((js_dir / name).read_bytes()))
    return list(seen)


def preload_tags(static_dir: Path | None = None) -> bytes:
    """`<link rel="modulepreload">` tags for the chunks in _PRELOADED_CHUNKS that this Streamlit ships and every file
    they import, less what the page's own script loads anyway."""
    if static_dir is None:
        import streamlit

        static_dir = Path(streamlit.__file__).parent / "static"
    js_dir = static_dir / "static" / "js"
    entries = []
    for chunk in _PRELOADED_CHUNKS:
        found = sorted(js_dir.glob(f"{chunk}.*.js"))
        if len(found) == 1:  # never guess between two
            entries.append(found[0].name)
    index = static_dir / "index.html"
    main = re.findall(r'src="\./static/js/([\w.\-]+\.js)"', index.read_text(encoding="utf-8")) if index.is_file() else []
    loaded = set(_imports(js_dir, main))
    names = [name for name in _imports(js_dir, entries) if name not in loaded]
    return "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{name}">' for name in names).encode()


# Plotly selects a bar on a mouse click but not on a tap (its touch events carry no coordinates for the selection),
# so on a phone a tap on a unit's bar would not drill in. Touches on a chart are kept from Plotly's own touch
# handling; the browser then follows a tap with the mouse events a click gives, and those Plotly does select with.
# The page still scrolls: nothing here cancels the browser's default. In the page itself, once, rather than in a
# component frame drawn by every run (a frame is a document of its own to make before the page shows).
TAP_TO_CLICK = b"""<script>
(function () {
  const onPlot = (e) => e.target && e.target.closest && e.target.closest(".js-plotly-plot");
  for (const type of ["touchstart", "touchmove", "touchend"]) {
    document.addEventListener(type, (e) => { if (onPlot(e)) e.stopPropagation(); }, { capture: true, passive: true });
  }
})();
</script>"""


class PageHead:
    """ASGI middleware: adds preload_tags(), the page's CSS (branchboard.ui.style.PAGE_CSS) and TAP_TO_CLICK to the
    HTML page Streamlit serves (for "/" and every page's URL)."""

    def __init__(self, app: Any) -> None:
        from branchboard.ui.style import PAGE_CSS  # with Streamlit loaded, when the server starts

        self.app = app
        self.tags = preload_tags() + PAGE_CSS.strip().encode() + TAP_TO_CLICK

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or not self.tags:
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers", ())
        if any(name.lower() == b"accept" and b"text/html" in value for name, value in headers):
            # A page is asked for: asked uncompressed (8 KB), or Streamlit would gzip it before it could be read.
            scope = {**scope, "headers": [(n, v) for n, v in headers if n.lower() != b"accept-encoding"]}
        start: dict | None = None
        body: list[bytes] = []

        async def rewrite(message: dict) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = {name.lower(): value for name, value in message.get("headers", ())}
                is_page = headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers
                if message.get("status") == 200 and is_page:
                    start = message  # held until the body is complete
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                page = b"".join(body).replace(b"</head>", self.tags + b"</head>", 1)
                kept = [(n, v) for n, v in start.get("headers", ()) if n.lower() not in (b"content-length", b"etag")]
                await send({**start, "headers": [*kept, (b"content-length", str(len(page)).encode())]})
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self.app(scope, receive, rewrite)


def middleware() -> list:
    from starlette.middleware import Middleware

    return [Middleware(RequestGuard), Middleware(PageHead)]
