"""The one open database of this server process (built with the demo committee on a new machine's first start)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from branchboard import db, demo


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> db.Store:
    existed = Path(path).exists()
    store = db.get_store(path)
    if not existed and store.is_empty():
        # First start on a new machine: show a full dashboard at once.
        demo.load(store, demo.generate())
    return store


def get_store() -> db.Store:
    return _open_store(str(db.resolve_db_path()))
