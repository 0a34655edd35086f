"""Consistent copies of the database (backup) and putting one back (restore).

DuckDB lets one process open a database file, so a running app holds its file. `backup_to` runs inside
whichever process holds the store — the CLI when the app is stopped, or the app itself (Settings page)
while it runs — and copies every table in one read transaction, so the copy is consistent even while
imports happen.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from branchboard.db import Store, migrate, run

_ALIAS = "backup_target"


def backup_to(store: Store, target: str | os.PathLike[str]) -> Path:
    """Write a consistent copy of the store to `target` (a new DuckDB file; an existing one is replaced)."""
    target = Path(target).expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=".duckdb", dir=target.parent)
    os.close(fd)
    os.unlink(tmp_name)  # DuckDB creates the file itself
    cur = store.cursor()
    try:
        cur.execute("attach $path as backup_target", {"path": tmp_name})
        try:
            cur.execute(f"copy from database {_current_catalog(cur)} to {_ALIAS}")
        finally:
            cur.execute(f"detach {_ALIAS}")
        os.replace(tmp_name, target)
    except BaseException:
        for leftover in (Path(tmp_name), Path(tmp_name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    return target


def _current_catalog(cur: duckdb.DuckDBPyConnection) -> str:
    name = cur.execute("select current_database()").fetchall()[0][0]
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected catalog name {name!r}")
    return name


def _revoked_links(database: Path) -> list[tuple[str, object]]:
    """The unit links the database being replaced has revoked (none when it has no such table or does not exist)."""
    if not database.exists():
        return []
    conn = duckdb.connect(str(database), read_only=True)
    try:
        tables = {r[0] for r in run(conn, "database__tables").fetchall()}
        if "share_links" not in tables:
            return []
        return run(conn, "links__revoked").fetchall()
    finally:
        conn.close()


def restore_from(source: str | os.PathLike[str], database: str | os.PathLike[str]) -> Path:
    """Replace `database` with the content of the backup `source` (the app must be stopped)."""
    source, database = Path(source).expanduser().resolve(), Path(database).expanduser().resolve()
    if not source.exists():
        raise FileNotFoundError(f"backup file not found: {source}")
    check = duckdb.connect(str(source), read_only=True)
    try:
        tables = {r[0] for r in run(check, "database__tables").fetchall()}
    finally:
        check.close()
    if not {"branches", "assessment_scores", "import_batches"} <= tables:
        raise ValueError(f"{source} is not a dashboard backup (its tables: {', '.join(sorted(tables)) or 'none'})")
    fd, tmp_name = tempfile.mkstemp(prefix=".restore-", suffix=".duckdb", dir=database.parent)
    os.close(fd)
    os.unlink(tmp_name)
    try:
        shutil.copyfile(source, tmp_name)
        revoked = _revoked_links(database)
        conn = duckdb.connect(tmp_name)
        try:
            migrate(conn)  # a backup from an older version gets the current schema
            # A unit link revoked after the backup was taken stays revoked: a restore must not reopen it.
            for link_id, revoked_at in revoked:
                run(conn, "links__revoke", {"link_id": link_id, "revoked_at": revoked_at}).fetchall()
            conn.execute("checkpoint")
        finally:
            conn.close()
        os.replace(tmp_name, database)
    except BaseException:
        # A failed restore leaves the database as it was and no half-written copy beside it.
        for leftover in (Path(tmp_name), Path(tmp_name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        wal.unlink()  # a stale write-ahead log must not be replayed onto the restored file
    return database
