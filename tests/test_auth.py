"""Access rules: hashing, constant-time checks, rate limiting, configuration."""

from branchboard import auth


def test_hash_and_check_password():
    stored = auth.hash_password("s3cret-口令")
    assert stored.startswith("pbkdf2_sha256$")
    assert "s3cret" not in stored
    assert auth.check_password("s3cret-口令", stored)
    assert not auth.check_password("s3cret", stored)
    assert not auth.check_password("x", "pbkdf2_sha256$broken")


def test_plain_viewer_code_is_compared_too():
    assert auth.check_password("2468", "2468") and not auth.check_password("2469", "2468")


def test_rate_limiter_locks_after_repeated_failures():
    limiter = auth.RateLimiter(max_failures=3, lockout=60)
    stored = auth.hash_password("right", iterations=1000)
    for _ in range(3):
        assert auth.attempt("admin", "wrong", stored, "10.0.0.1", limiter)[0] is False
    ok, wait = auth.attempt("admin", "right", stored, "10.0.0.1", limiter)
    assert not ok and wait > 0  # even the right password is refused while locked
    assert auth.attempt("admin", "right", stored, "10.0.0.2", limiter) == (True, 0.0)  # other clients unaffected


def test_lock_expires():
    limiter = auth.RateLimiter(max_failures=2, lockout=10)
    limiter.failed("c", now=0)
    limiter.failed("c", now=1)
    assert limiter.locked_for("c", now=5) > 0
    assert limiter.locked_for("c", now=12) == 0


def test_config_from_secrets_and_environment():
    assert auth.load_config({}, {}).open
    cfg = auth.load_config({"access": {"viewer_code": "1234", "admin_emails": ["A@x.cn"]}}, {})
    assert not cfg.open and cfg.viewers_need_login and cfg.admin_emails == ("a@x.cn",)
    cfg = auth.load_config(
        {}, {"BRANCHBOARD_ADMIN_PASSWORD_HASH": "pbkdf2_sha256$1$a$b", "BRANCHBOARD_ADMIN_EMAILS": "x@y.cn, z@y.cn"}
    )
    assert not cfg.open and not cfg.viewers_need_login and cfg.admin_emails == ("x@y.cn", "z@y.cn")
    assert auth.load_config({"auth": {"client_id": "c"}}, {}).oidc


# -- issue 10: limits that cannot be dodged, uploads for admins only -------------------------------------------
def test_clients_without_an_address_are_counted_per_session():
    limiter = auth.RateLimiter(max_failures=2, lockout=60)
    stored = auth.hash_password("right", iterations=1000)
    stranger, officer = auth.client_key(None, "s-stranger"), auth.client_key(None, "s-officer")
    assert stranger != officer
    for _ in range(3):
        auth.attempt("viewer", "guess", stored, stranger, limiter, sleep=lambda s: None)
    assert auth.attempt("viewer", "right", stored, stranger, limiter, sleep=lambda s: None)[1] > 0  # locked
    assert auth.attempt("viewer", "right", stored, officer, limiter, sleep=lambda s: None) == (True, 0.0)


def test_many_anonymous_failures_slow_every_anonymous_attempt_down(monkeypatch):
    monkeypatch.setattr(auth, "_ANONYMOUS", auth.RateLimiter(max_failures=3, lockout=60))
    stored = auth.hash_password("right", iterations=1000)
    slept: list[float] = []
    for i in range(3):  # three fresh sessions, one guess each
        auth.attempt("viewer", "guess", stored, auth.client_key(None, f"s{i}"), auth.RateLimiter(), sleep=slept.append)
    assert slept == []
    ok, _ = auth.attempt("viewer", "right", stored, auth.client_key(None, "s-new"), auth.RateLimiter(), sleep=slept.append)
    assert ok and slept == [auth.ANONYMOUS_DELAY_SECONDS]  # slowed, not locked
    # Clients with an address are not slowed by strangers' failures.
    auth.attempt("viewer", "right", stored, auth.client_key("10.1.1.1", "s-x"), auth.RateLimiter(), sleep=slept.append)
    assert len(slept) == 1


def test_viewer_code_and_admin_password_have_their_own_limits():
    limiter = auth.RateLimiter(max_failures=2, lockout=60)
    stored = auth.hash_password("right", iterations=1000)
    client = auth.client_key("10.0.0.5", None)
    for _ in range(2):
        auth.attempt("viewer", "guess", stored, client, limiter)
    assert auth.attempt("viewer", "right", stored, client, limiter)[1] > 0
    assert auth.attempt("admin", "right", stored, client, limiter) == (True, 0.0)


def _run_guard(scope: dict, environ: dict[str, str] | None = None, monkeypatch=None) -> tuple[dict | None, list[dict]]:
    import asyncio

    from branchboard import server

    seen: list[dict] = []
    sent: list[dict] = []

    async def app(scope, receive, send):
        seen.append(scope)

    async def send(message):
        sent.append(message)

    asyncio.run(server.RequestGuard(app)(scope, None, send))
    return (seen[0] if seen else None), sent


def test_a_forwarded_address_from_an_untrusted_setup_is_dropped(monkeypatch):
    """Started without FORWARDED_ALLOW_IPS, uvicorn believes X-Forwarded-For from the local host: so any request
    that carries one is taken to have no address (limited per session), not the address it names."""
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    scope = {"type": "websocket", "client": ("203.0.113.9", 0), "headers": [(b"x-forwarded-for", b"203.0.113.9")]}
    passed, _ = _run_guard(scope)
    assert passed["client"] is None
    plain = {"type": "websocket", "client": ("198.51.100.7", 5000), "headers": []}
    assert _run_guard(plain)[0]["client"] == ("198.51.100.7", 5000)
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")  # start.sh: uvicorn resolved it from trusted proxies only
    assert _run_guard(scope)[0]["client"] == ("203.0.113.9", 0)


def test_uploads_need_an_admin_session(monkeypatch):
    monkeypatch.setattr(auth, "UPLOADERS", auth.SessionGrants())
    put = {"type": "http", "method": "PUT", "path": "/_stcore/upload_file/sess-1/file-1", "headers": [], "client": None}
    passed, sent = _run_guard(put)
    assert passed is None and sent[0]["status"] == 403
    auth.UPLOADERS.grant("sess-1")
    passed, sent = _run_guard(put)
    assert passed is not None and not sent
    auth.UPLOADERS.withdraw("sess-1")  # logged out
    assert _run_guard(put)[1][0]["status"] == 403


def test_only_a_few_uploads_stream_in_at_once(monkeypatch):
    monkeypatch.setattr(auth, "UPLOADERS", auth.SessionGrants())
    monkeypatch.setattr(auth, "UPLOADS_IN_FLIGHT", auth.InFlight(1))
    auth.UPLOADERS.grant("sess-1")
    assert auth.UPLOADS_IN_FLIGHT.acquire()  # one upload is streaming in
    put = {"type": "http", "method": "PUT", "path": "/_stcore/upload_file/sess-1/file-2", "headers": [], "client": None}
    assert _run_guard(put)[1][0]["status"] == 429
    auth.UPLOADS_IN_FLIGHT.release()
    assert _run_guard(put)[0] is not None


def test_upload_grants_lapse():
    grants = auth.SessionGrants(ttl=10)
    grants.grant("s", now=0)
    assert grants.allowed("s", now=5) and not grants.allowed("s", now=11)


def test_the_local_host_in_any_spelling_is_no_client_address():
    for local in ("127.0.0.1", "::1", "::ffff:127.0.0.1", "127.0.0.5"):
        assert auth.client_key(local, "s1") == "session:s1"
    assert auth.client_key("::ffff:10.1.2.3", "s1") == "ip:10.1.2.3"
    assert auth.client_key("203.0.113.9", "s1") == "ip:203.0.113.9"


def test_invisible_characters_do_not_make_a_second_view_with_the_same_name():
    from branchboard.views import clean_name

    assert clean_name("会\u200b议\u202e视图") == clean_name("会议视图") == "会议视图"


def test_a_viewer_pass_is_signed_expires_and_ends_with_the_code():
    secret, old = b"k" * 32, auth.code_fingerprint("2468")
    value = auth.viewer_pass(secret, old, days=7, now=1_000)
    assert "2468" not in value
    assert auth.check_viewer_pass(value, secret, old, now=1_000 + 6 * 86400)
    assert not auth.check_viewer_pass(value, secret, old, now=1_000 + 8 * 86400)  # expired
    assert not auth.check_viewer_pass(value, secret, auth.code_fingerprint("1357"), now=1_000)  # the code changed
    assert not auth.check_viewer_pass(value, b"x" * 32, old, now=1_000)  # another server's key
    version, expiry, signature = value.split(".")
    assert not auth.check_viewer_pass(f"{version}.{int(expiry) + 86400}.{signature}", secret, old, now=1_000)
    for junk in (None, "", "v1..", "a.b.c.d", "v1.x.y"):
        assert not auth.check_viewer_pass(junk, secret, old)


def test_a_sign_in_ticket_sets_the_pass_once_as_an_http_only_cookie():
    import asyncio
    from urllib.parse import urlsplit

    from starlette.requests import Request

    from branchboard import server

    def get(link: str):
        parts = urlsplit(link)
        scope = {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "path": parts.path,
            "query_string": parts.query.encode(),
            "headers": [],
        }
        return asyncio.run(server.signin(Request(scope)))

    link = server.signin_link("v1.123.abc", 3600)
    first = get(link)
    assert first.status_code == 204
    cookie = first.headers["set-cookie"]
    assert "bb_viewer=v1.123.abc" in cookie and "HttpOnly" in cookie and "Max-Age=3600" in cookie
    assert get(link).status_code == 404  # good once
    assert get(server.SIGNIN_ROUTE + "?t=made-up").status_code == 404


def test_the_signing_key_is_made_once_and_kept(tmp_path):
    from branchboard import db, settings

    store = db.Store(str(tmp_path / "k.duckdb"))
    first = settings.session_secret(store)
    assert len(first) >= 32 and settings.session_secret(store) == first
