"""Saved views: a name for the current link, listed for everyone; admins can delete them."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from branchboard.db import Store, run

MAX_NAME_LENGTH = 40
MAX_QUERY_LENGTH = 4000


def clean_name(name: str) -> str | None:
    """The name as it will be listed: spaces folded, and invisible format characters (zero-width, bidi controls)
    removed, so that no name can pass for another one that looks the same."""
    import unicodedata

    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    name = " ".join(name.split())
    return name if 0 < len(name) <= MAX_NAME_LENGTH else None


def encode_query(params: dict[str, str | list[str]]) -> str:
    return urlencode(params, doseq=True)


def decode_query(query: str) -> dict[str, list[str]]:
    return parse_qs(query[:MAX_QUERY_LENGTH], keep_blank_values=False)


SAVED, EXISTS, TOO_MANY = "saved", "exists", "too_many"
MAX_PER_HOUR = 10  # views one client may save in an hour


def save_view(store: Store, name: str, page: str, query: str, created_by: str | None) -> str:
    """Save a new view; SAVED, or EXISTS when the name is taken (nobody overwrites another's view; an admin can
    delete it), or TOO_MANY when `created_by` (the client, see auth.client_key) saved MAX_PER_HOUR in the last hour."""
    import duckdb

    cur = store.cursor()
    if run(cur, "saved_views__named", {"name": name}).fetchall():
        return EXISTS
    if created_by is not None:
        recent = run(cur, "saved_views__recent_by", {"created_by": created_by}).fetchall()[0][0]
        if recent >= MAX_PER_HOUR:
            return TOO_MANY
    try:
        with store.transaction(changes=("saved_views",)) as cur:
            run(
                cur, "saved_views__add", {"name": name, "page": page, "query": query[:MAX_QUERY_LENGTH], "created_by": created_by}
            )
    except duckdb.ConstraintException:  # saved by someone else a moment ago
        return EXISTS
    return SAVED


def delete_view(store: Store, name: str) -> None:
    with store.transaction(changes=("saved_views",)) as cur:
        run(cur, "saved_views__delete", {"name": name})
