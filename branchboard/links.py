"""Links for one unit (issue 14): a token signed with the server's secret that opens the dashboard limited to some
units, without the viewer code, until it expires or is revoked.

The token (itsdangerous, salted for this use) carries only the link's id and its units; the row in `share_links`
decides: a token whose row is gone, revoked or past its expiry opens nothing, and so does one whose units differ from
the row's (a token signed with a leaked secret cannot widen a link). The token text is never stored or logged; its
use is (share_link_events). No Streamlit here: the app (branchboard.access) and the command line both use this.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import itsdangerous

from branchboard.db import Store, run

URL_KEY = "link"
_SALT = "branchboard.unit-link.v1"
MAX_LABEL_LENGTH = 60
MAX_TOKEN_LENGTH = 2000
DEFAULT_EXPIRY = "30d"
OK, INVALID, EXPIRED, REVOKED = "ok", "invalid", "expired", "revoked"


@dataclass(frozen=True)
class LinkScope:
    """What a valid link lets its holder see."""

    link_id: str
    units: tuple[str, ...]
    label: str | None
    expires_at: datetime | None


@dataclass(frozen=True)
class Checked:
    status: str  # OK, INVALID, EXPIRED or REVOKED
    scope: LinkScope | None = None


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def parse_expiry(text: str | None, start: datetime | None = None) -> datetime | None:
    """'30d', '12h', '8w' or 'never' (None) from `start`; ValueError for anything else."""
    if text is None:
        text = DEFAULT_EXPIRY
    text = text.strip().lower()
    if text in ("never", "none"):  # not "0": a zero typed by mistake must not make a link that never ends
        return None
    found = re.fullmatch(r"(\d{1,4})\s*([hdw])", text)
    if not found:
        raise ValueError(f"{text!r}: use a number of hours, days or weeks such as 12h, 30d, 8w, or never")
    amount, unit = int(found.group(1)), found.group(2)
    if amount == 0:
        raise ValueError("an expiry of zero would open nothing")
    delta = {"h": timedelta(hours=amount), "d": timedelta(days=amount), "w": timedelta(weeks=amount)}[unit]
    return (start or now()) + delta


def server_secret(store: Store, configured: str | None) -> bytes:
    """The key links are signed with: the configured session secret (secrets or BRANCHBOARD_SESSION_SECRET), else
    the one made at random on first use and kept in the database, so links survive a restart."""
    from branchboard.settings import session_secret

    return configured.encode() if configured else session_secret(store)


def _serializer(secret: bytes) -> itsdangerous.URLSafeSerializer:
    return itsdangerous.URLSafeSerializer(secret, salt=_SALT)


def _record(store: Store, link_id: str, event: str) -> None:
    store.append_log("links__log_event", {"link_id": link_id, "event": event, "happened_at": now()})


def open_site_warning(viewers_need_login: bool) -> bool:
    """True when a unit link would limit nothing: without a viewer code (or login) anyone sees every unit anyway."""
    return not viewers_need_login


def create(
    store: Store,
    secret: bytes,
    units: list[str] | tuple[str, ...],
    *,
    expires_at: datetime | None,
    label: str | None = None,
    start_page: str = "overview",
    start_query: str = "",
    created_by: str | None = None,
) -> tuple[str, str]:
    """A new link for `units` (each must exist): its id and its token."""
    chosen = tuple(dict.fromkeys(u for u in units if u))
    if not chosen:
        raise ValueError("a link needs at least one unit")
    known = set(store.query("common__units")["unit_name"])
    unknown = [u for u in chosen if u not in known]
    if unknown:
        raise ValueError(f"no such unit: {'、'.join(unknown)}")
    # Printed by `link list` to a terminal and shown on the page: no control characters (an escape sequence).
    label = "".join(ch if ch.isprintable() else " " for ch in (label or ""))
    label = " ".join(label.split()) or None
    if label and len(label) > MAX_LABEL_LENGTH:
        raise ValueError(f"the label is longer than {MAX_LABEL_LENGTH} characters")
    link_id = secrets.token_hex(6)
    with store.transaction(changes=("share_links",)) as cur:
        run(
            cur,
            "links__add",
            {
                "link_id": link_id,
                "label": label,
                "units": list(chosen),
                "start_page": start_page,
                "start_query": start_query,
                "created_at": now(),
                "created_by": created_by,
                "expires_at": expires_at,
            },
        )
    _record(store, link_id, "created")
    return link_id, _serializer(secret).dumps({"id": link_id, "units": list(chosen)})


def check(store: Store, secret: bytes, token: str | None, *, record_open: bool = False) -> Checked:
    """Whether `token` opens anything now, and what. Read fresh (not from the query cache): a revocation counts
    at once."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return Checked(INVALID)
    try:
        claims: Any = _serializer(secret).loads(token)
    except itsdangerous.BadData:
        return Checked(INVALID)
    if not isinstance(claims, dict) or not isinstance(claims.get("id"), str) or not isinstance(claims.get("units"), list):
        return Checked(INVALID)
    found = store.query("links__by_id", {"link_id": claims["id"]}, fresh=True)
    if found.empty:
        return Checked(INVALID)
    row = found.iloc[0]
    units = tuple(row["units"])
    if list(units) != claims["units"]:
        return Checked(INVALID)
    if row["revoked_at"] is not None and not _missing(row["revoked_at"]):
        status = REVOKED
    elif not _missing(row["expires_at"]) and row["expires_at"].to_pydatetime() <= now():
        status = EXPIRED
    else:
        status = OK
    if status != OK:
        if record_open:
            _record(store, claims["id"], "refused")
        return Checked(status)
    if record_open:
        _record(store, claims["id"], "opened")
    expires = None if _missing(row["expires_at"]) else row["expires_at"].to_pydatetime()
    return Checked(OK, LinkScope(claims["id"], units, row["label"] if isinstance(row["label"], str) else None, expires))


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def revoke(store: Store, link_id: str) -> bool:
    """Revoke a link (True), or False when there is no such link or it was revoked already."""
    with store.transaction(changes=("share_links",)) as cur:
        changed = run(cur, "links__revoke", {"link_id": link_id, "revoked_at": now()}).fetchall()
    if changed:
        _record(store, link_id, "revoked")
    return bool(changed)


def listing(store: Store) -> Any:
    """Every link with its use: label, units, created, expires, revoked, last opened, times opened (newest first)."""
    return store.query("links__list", fresh=True)


def url(base: str, token: str, start_page: str = "overview", start_query: str = "") -> str:
    """The address to send: the starting page and view, and the token."""
    from urllib.parse import urlencode

    query = f"{start_query}&" if start_query else ""
    return f"{base.rstrip('/')}/{start_page}?{query}{urlencode({URL_KEY: token})}"
