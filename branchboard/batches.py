"""Import batches: every fact row carries the batch it came from, so a batch can be listed and undone."""

from __future__ import annotations

import duckdb
import pandas as pd

from branchboard.db import Store, mark_batch, run

# The tables a batch writes its rows to (an undo deletes its rows from each).
FACT_TABLES = ("units", "branches", "standards", "assessment_scores", "tier_ratings", "volunteer_records")


def open_batch(
    cur: duckdb.DuckDBPyConnection,
    kind: str,
    file_name: str | None,
    sha256: str | None,
    rows: int,
    imported_by: str | None,
    content_hash: str | None = None,
) -> int:
    """Record a batch inside the caller's transaction and return its id."""
    values = {
        "kind": kind,
        "file_name": file_name,
        "sha256": sha256,
        "rows": rows,
        "imported_by": imported_by,
        "content_hash": content_hash,
    }
    # fetch to the end: DuckDB 2 refuses further work on a cursor with an unfinished result
    return int(run(cur, "batches__open", values).fetchall()[0][0])


def insert_frame(cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, batch_id: int) -> None:
    """Append a frame whose columns are a subset of the table's, tagging every row with the batch, and mark the
    keys it wrote so the pre-aggregates refresh only those (db.mark_batch)."""
    if table not in FACT_TABLES:
        raise ValueError(f"not a fact table: {table}")
    data = frame.assign(batch_id=batch_id)
    cur.register("incoming_frame", _scannable(data))
    try:
        columns = ", ".join(data.columns)
        cur.execute(f"insert into {table} ({columns}) select {columns} from incoming_frame")
    finally:
        cur.unregister("incoming_frame")
    mark_batch(cur, table, batch_id, inserted=True)


ARROW_FROM_ROWS = 10_000


def _scannable(frame: pd.DataFrame):
    """What DuckDB scans fastest: a large frame as an Arrow table (its categorical text as dictionaries, scanned
    about a third faster than pandas' own columns); a small one, or one Arrow cannot type, as it is."""
    if len(frame) < ARROW_FROM_ROWS:
        return frame
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return frame


def list_batches(store: Store) -> pd.DataFrame:
    """Every batch, newest first: the Import page's history and `batches` (a copy, free to change)."""
    return store.query("batches__list").copy()
