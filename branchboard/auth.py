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
    return AccessConfig(
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


def attempt(kind: str, given: str, stored: str | None, client: str, limiter: RateLimiter | None = None) -> tuple[bool, float]:
    """Check a code or password with rate limiting: (accepted, seconds locked)."""
    limiter = limiter or LIMITER
    key = f"{kind}:{client}"
    wait = limiter.locked_for(key)
    if wait > 0:
        return False, wait
    if stored and given and check_password(given, stored):
        limiter.succeeded(key)
        return True, 0.0
    limiter.failed(key)
    return False, limiter.locked_for(key)
