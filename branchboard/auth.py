"""Access: who may look (viewers) and who may change data (admins).

Configured in `.streamlit/secrets.toml` under `[access]`, or by environment variables (which win):

| secrets `[access]` key  | environment variable            | meaning                                          |
|-------------------------|---------------------------------|--------------------------------------------------|
| `viewer_code`           | `BRANCHBOARD_VIEWER_CODE`       | access code viewers type (plain or a hash below) |
| `admin_password_hash`   | `BRANCHBOARD_ADMIN_PASSWORD_HASH` | `python -m branchboard hash-password` output   |
| `admin_emails`          | `BRANCHBOARD_ADMIN_EMAILS`      | OIDC users (comma separated) who are admins      |

An `[auth]` section in secrets (Streamlit's OIDC settings) enables "log in with single sign-on" through
`st.login`; a logged-in user is a viewer, and an admin when listed in `admin_emails`.

Nothing configured → open: everyone is admin, with a visible note (a data officer on localhost).
Passwords are stored as PBKDF2-SHA256 hashes, compared in constant time, and failed attempts are
rate-limited per client address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

VIEWER, ADMIN = "viewer", "admin"
_ITERATIONS = 240_000
MAX_FAILURES = 5
LOCKOUT_SECONDS = 60.0


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = _ITERATIONS) -> str:
    """`pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"pbkdf2_sha256${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    """Constant-time check against a stored hash (or, for viewer codes only, a plain value)."""
    if stored.startswith("pbkdf2_sha256$"):
        try:
            _, iterations, salt_b64, hash_b64 = stored.split("$")
            expected = base64.b64decode(hash_b64)
            digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), base64.b64decode(salt_b64), int(iterations))
        except (ValueError, TypeError):
            return False
        return hmac.compare_digest(digest, expected)
    return hmac.compare_digest(password.encode("utf-8"), stored.encode("utf-8"))


@dataclass(frozen=True)
class AccessConfig:
    viewer_code: str | None = None
    admin_password_hash: str | None = None
    admin_emails: tuple[str, ...] = ()
    oidc: bool = False
    viewer_days: float = 7.0  # how long a browser that entered the code is not asked again (0: every visit)
    session_secret: str | None = None  # signs viewers' passes; generated and kept in the database when not set

    @property
    def open(self) -> bool:
        """No access control configured at all."""
        return not (self.viewer_code or self.admin_password_hash or self.oidc)

    @property
    def viewers_need_login(self) -> bool:
        return bool(self.viewer_code or self.oidc)


def load_config(secrets_map: Mapping[str, Any] | None, environ: Mapping[str, str] | None = None) -> AccessConfig:
    environ = os.environ if environ is None else environ
    section: Mapping[str, Any] = {}
    oidc = False
    if secrets_map:
        section = secrets_map.get("access", {}) or {}
        oidc = bool(secrets_map.get("auth"))
    emails = environ.get("BRANCHBOARD_ADMIN_EMAILS") or section.get("admin_emails") or ()
    if isinstance(emails, str):
        emails = [e for e in (x.strip() for x in emails.split(",")) if e]
    days = environ.get("BRANCHBOARD_VIEWER_DAYS") or section.get("viewer_days") or 7
    try:
        viewer_days = max(0.0, float(days))
    except (TypeError, ValueError):
        viewer_days = 7.0
    return AccessConfig(
        viewer_days=viewer_days,
        session_secret=environ.get("BRANCHBOARD_SESSION_SECRET") or section.get("session_secret") or None,
        viewer_code=environ.get("BRANCHBOARD_VIEWER_CODE") or section.get("viewer_code") or None,
        admin_password_hash=environ.get("BRANCHBOARD_ADMIN_PASSWORD_HASH") or section.get("admin_password_hash") or None,
        admin_emails=tuple(e.lower() for e in emails),
        oidc=oidc,
    )


class RateLimiter:
    """At most MAX_FAILURES failed attempts per client, then a lockout of LOCKOUT_SECONDS."""

    def __init__(self, max_failures: int = MAX_FAILURES, lockout: float = LOCKOUT_SECONDS) -> None:
        self.max_failures, self.lockout = max_failures, lockout
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def locked_for(self, client: str, now: float | None = None) -> float:
        """Seconds until this client may try again (0 when it may)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = [t for t in self._failures.get(client, []) if now - t < self.lockout]
            self._failures[client] = recent
            if len(recent) >= self.max_failures:
                return self.lockout - (now - recent[-self.max_failures])
            return 0.0

    def failed(self, client: str, now: float | None = None) -> None:
        with self._lock:
            self._failures.setdefault(client, []).append(time.monotonic() if now is None else now)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


LIMITER = RateLimiter()

# Clients without an address (the server sees only a local proxy, or a header it does not trust) are limited per
# session, so that no stranger can lock one shared counter for everyone. New sessions cost nothing, so failures of
# all of them together also slow every further attempt down (never lock it): a guessing script gets a few tries a
# minute, a person who mistyped waits a second or two.
ANONYMOUS_FAILURES_BEFORE_SLOWDOWN = 20
ANONYMOUS_DELAY_SECONDS = 2.0
_ANONYMOUS = RateLimiter(max_failures=ANONYMOUS_FAILURES_BEFORE_SLOWDOWN, lockout=LOCKOUT_SECONDS)
_ANONYMOUS_GATE = threading.Lock()


def client_key(address: str | None, session_id: str | None) -> str:
    """What the limiter counts failures by: the client's address, or for a client without one its session. The local
    host in any spelling (127.0.0.1, ::1, ::ffff:127.0.0.1 on a dual-stack socket) is a proxy or the officer's own
    machine: no address of a client, so counted per session rather than as one address for everybody."""
    normal = _normal_address(address)
    if normal:
        return f"ip:{normal}"
    return f"session:{session_id or 'none'}"


def _normal_address(address: str | None) -> str | None:
    import ipaddress

    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return None if ip.is_loopback or ip.is_unspecified else str(ip)


def attempt(
    kind: str,
    given: str,
    stored: str | None,
    client: str,
    limiter: RateLimiter | None = None,
    sleep=time.sleep,
) -> tuple[bool, float]:
    """Check a code or password with rate limiting: (accepted, seconds locked). Each kind (viewer code, admin
    password) has its own count; `client` comes from client_key."""
    limiter = limiter or LIMITER
    key = f"{kind}:{client}"
    wait = limiter.locked_for(key)
    if wait > 0:
        return False, wait
    anonymous = client.startswith("session:")
    if anonymous and _ANONYMOUS.locked_for(kind) > 0:
        # One at a time: sessions started in parallel wait in turn, so all of them together get a try every
        # ANONYMOUS_DELAY_SECONDS, however many a script opens.
        with _ANONYMOUS_GATE:
            sleep(ANONYMOUS_DELAY_SECONDS)
    if stored and given and check_password(given, stored):
        limiter.succeeded(key)
        return True, 0.0
    limiter.failed(key)
    if anonymous:
        _ANONYMOUS.failed(kind)
    return False, limiter.locked_for(key)


# -- who may upload ---------------------------------------------------------------------------------------------
class SessionGrants:
    """Sessions allowed to send files to the server (admins), for the upload endpoint's guard (branchboard.server).

    The app grants a session when a run finds it admin and withdraws the grant when it finds it not; a grant not
    renewed within `ttl` seconds lapses (the session ended or went idle)."""

    def __init__(self, ttl: float = 12 * 3600) -> None:
        self.ttl = ttl
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def grant(self, session_id: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._until[session_id] = now + self.ttl
            if len(self._until) > 10_000:  # drop lapsed grants now and then
                self._until = {k: v for k, v in self._until.items() if v > now}

    def withdraw(self, session_id: str) -> None:
        with self._lock:
            self._until.pop(session_id, None)

    def allowed(self, session_id: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._until.get(session_id, 0) > now


UPLOADERS = SessionGrants()


class InFlight:
    """At most `limit` uploads streaming in at once (each up to server.maxUploadSize), so uploads cannot fill the
    server's memory."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._count = 0
        self._lock = threading.Lock()

    def acquire(self) -> bool:
        with self._lock:
            if self._count >= self.limit:
                return False
            self._count += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._count = max(0, self._count - 1)


UPLOADS_IN_FLIGHT = InFlight(int(os.environ.get("BRANCHBOARD_MAX_PARALLEL_UPLOADS", "3")))


# -- viewers stay signed in ---------------------------------------------------------------------------------------
VIEWER_COOKIE = "bb_viewer"


def code_fingerprint(viewer_code: str) -> str:
    """Part of a viewer's pass: a new access code ends every pass given under the old one."""
    return hashlib.sha256(viewer_code.encode("utf-8")).hexdigest()[:16]


def viewer_pass(secret: bytes, fingerprint: str, days: float, now: float | None = None) -> str:
    """A signed pass saying "entered the access code", good for `days` (kept in an HttpOnly cookie, never the code)."""
    expiry = int((time.time() if now is None else now) + days * 86400)
    return f"v1.{expiry}.{_pass_signature(secret, str(expiry), fingerprint)}"


def check_viewer_pass(value: str | None, secret: bytes, fingerprint: str, now: float | None = None) -> bool:
    if not value or value.count(".") != 2:
        return False
    version, expiry, signature = value.split(".")
    if version != "v1" or not expiry.isdigit():
        return False
    expected = _pass_signature(secret, expiry, fingerprint)
    return hmac.compare_digest(signature, expected) and int(expiry) > (time.time() if now is None else now)


def _pass_signature(secret: bytes, expiry: str, fingerprint: str) -> str:
    return hmac.new(secret, f"v1.{expiry}|{fingerprint}".encode(), hashlib.sha256).hexdigest()
