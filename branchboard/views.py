"""Saved views: a name for the current link, listed for everyone; admins can delete them."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from branchboard.db import Store

MAX_NAME_LENGTH = 40
MAX_QUERY_LENGTH = 4000


def clean_name(name: str) -> str | None:
    name = " ".join(name.split())
    return name if 0 < len(name) <= MAX_NAME_LENGTH else None


def encode_query(params: dict[str, str | list[str]]) -> str:
    return urlencode(params, doseq=True)


def decode_query(query: str) -> dict[str, list[str]]:
    return parse_qs(query[:MAX_QUERY_LENGTH], keep_blank_values=False)


def save_view(store: Store, name: str, page: str, query: str, created_by: str | None) -> None:
    """Save or overwrite the view called `name`."""
    with store.transaction() as cur:
        cur.execute(
            "insert or replace into saved_views (name, page, query, created_by) values ($name, $page, $query, $by)",
            {"name": name, "page": page, "query": query[:MAX_QUERY_LENGTH], "by": created_by},
        )


def delete_view(store: Store, name: str) -> None:
    with store.transaction() as cur:
        cur.execute("delete from saved_views where name = $name", {"name": name})
