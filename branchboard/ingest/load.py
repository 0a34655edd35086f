"""Stage 6, load: one transaction per file, replacing what a re-import supersedes; and undo.

Replacement (DESIGN "Import rules" 3): a file replaces, for every key it carries, the rows already stored
under that key — a branch's period for assessments and tiers, a branch code for the roster, a unit for units,
and the whole checklist for standards (a standards file is a complete scheme). Volunteer records have no key
and are only ever added; the same file twice is refused by its sha256.

Undo semantics (chosen here): undoing batch B makes the data as if B had never been imported.
  1. B's rows are deleted from the live tables, and B's rows kept in the replaced_* tables are dropped.
  2. Rows B had replaced come back — unless a later active batch has since written the same key; then they
     are handed over to that batch (their `replaced_by` becomes its id), so undoing that one later restores them.
  3. Undo is refused (nothing changes) when it would leave facts of other batches pointing at branches that
     no longer exist: undo those batches first.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pandas as pd

from branchboard.batches import FACT_TABLES, insert_frame, open_batch
from branchboard.db import Store, mark_batch, run
from branchboard.ingest.model import TABLE_OF_KIND, ImportResult, IngestError, Part, Prepared, UndoResult, error

# Key a re-import replaces by, per table; () means the whole table.
REPLACE_KEYS: dict[str, tuple[str, ...]] = {
    "units": ("unit_name",),
    "branches": ("branch_code",),
    "standards": (),
    "assessment_scores": ("period", "branch_code"),
    "tier_ratings": ("period", "branch_code"),
}
BRANCH_FACTS = ("assessment_scores", "tier_ratings", "volunteer_records")

# Test hook: a path here makes the loader write that file and sleep inside the transaction, so a test can kill
# the process at exactly that point and check the database is as before.
PAUSE_ENV = "BRANCHBOARD_TEST_PAUSE_IN_TRANSACTION"


def _key_match(keys: tuple[str, ...], left: str, right: str) -> str:
    # Column names come from REPLACE_KEYS (constants), never from a file.
    return " and ".join(f"{left}.{k} = {right}.{k}" for k in keys) or "true"


def will_replace(store: Store, kind: str, frame: pd.DataFrame) -> int:
    """How many stored rows the import of this frame would replace (the preview shows it)."""
    table = TABLE_OF_KIND[kind]
    if table not in REPLACE_KEYS:
        return 0
    keys = REPLACE_KEYS[table]
    cur = store.cursor()
    if not keys:
        return int(cur.execute(f"select count(*) from {table}").fetchall()[0][0])
    incoming = frame[list(keys)].drop_duplicates()
    cur.register("incoming_keys", incoming)
    try:
        sql = f"select count(*) from {table} t where exists (select 1 from incoming_keys i where {_key_match(keys, 'i', 't')})"
        return int(cur.execute(sql).fetchall()[0][0])
    finally:
        cur.unregister("incoming_keys")


def active_batch_with(store: Store, sha256: str | None = None, content: str | None = None, cur=None) -> int | None:
    """The active batch that took this part (a sheet of a file, or a text file: its part sha) or stored this
    content (content hash)."""
    rows = run(cur or store.cursor(), "batches__active_with", {"part_sha": sha256, "content_hash": content}).fetchall()
    return int(rows[0][0]) if rows else None


def _replace(cur, table: str, frame: pd.DataFrame, batch_id: int) -> int:
    """Move the live rows this frame supersedes to replaced_<table>; returns how many. Their keys are marked
    (db.mark_batch), like every write to a fact table: the pre-aggregates rebuild them."""
    keys = REPLACE_KEYS[table]
    cur.register("incoming_keys", frame[list(keys)].drop_duplicates() if keys else pd.DataFrame({"_": [1]}))
    try:
        cond = f"exists (select 1 from incoming_keys i where {_key_match(keys, 'i', 't')})"
        cur.execute(
            f"insert into replaced_{table} by name select t.*, $b as replaced_by from {table} t where {cond}", {"b": batch_id}
        )
        mark_batch(cur, f"replaced_{table}", batch_id, column="replaced_by")
        return int(cur.execute(f"delete from {table} t where {cond}").fetchall()[0][0])
    finally:
        cur.unregister("incoming_keys")


def commit(store: Store, prepared: Prepared, imported_by: str | None = None) -> ImportResult:
    """Write a prepared file as one batch, all or nothing. Refused (nothing written) when it has errors."""
    if not prepared.ok:
        errors = prepared.errors or [error("nothing_to_import")]
        return ImportResult(None, prepared.kind, 0, 0, prepared.warnings, errors, prepared.imported_sheets, prepared.skipped)
    kind = prepared.kind
    frame = prepared.frame
    # ok means a frame, and a sheet gets its frame only after its kind is settled (pipeline._prepare_sheet).
    assert kind is not None and frame is not None
    table = TABLE_OF_KIND[kind]
    # Facts of branches (scores, tiers, volunteer records) change their table, its archive of replaced rows and the
    # batch records: the pages reading none of them keep their cached results. A roster or a checklist may change
    # anything.
    changes = None
    if table in BRANCH_FACTS:
        changes = (table, "import_batches", "import_parts") + ((f"replaced_{table}",) if table in REPLACE_KEYS else ())
    try:
        with store.transaction(changes=changes, set_aside=prepared.set_aside) as cur:
            parts = prepared.parts or [Part(None, prepared.sha256, prepared.content_hash, len(frame))]
            for part in parts:  # again inside the transaction: another session may have imported it meanwhile
                earlier = active_batch_with(store, part.part_sha, None, cur)
                if earlier is not None:
                    raise IngestError(error("same_file", batch=earlier).in_sheet(part.sheet if len(parts) > 1 else None))
                earlier = active_batch_with(store, None, part.content_hash, cur) if part.content_hash else None
                if earlier is not None:
                    raise IngestError(error("same_content", batch=earlier).in_sheet(part.sheet if len(parts) > 1 else None))
            batch = open_batch(cur, kind, prepared.file_name, prepared.sha256, len(frame), imported_by, prepared.content_hash)
            for part in parts:
                run(
                    cur,
                    "batches__add_part",
                    {
                        "batch_id": batch,
                        "sheet": part.sheet,
                        "part_sha": part.part_sha,
                        "content_hash": part.content_hash,
                        "rows": part.rows,
                    },
                )
            replaced = 0
            if kind == "branches":
                units = prepared.extra["units"]
                # Keep a unit's sector when the roster does not give one.
                cur.register("incoming_units", units)
                try:
                    units = run(cur, "units__keep_sector").df()
                finally:
                    cur.unregister("incoming_units")
                _replace(cur, "units", units, batch)
                insert_frame(cur, "units", units, batch)
            if kind == "branches":
                frame = _keep_fields_the_file_lacks(cur, frame, prepared.mapping)
            if table in REPLACE_KEYS:
                replaced = _replace(cur, table, frame, batch)
            insert_frame(cur, table, frame, batch)
            if kind == "branches":
                _retire_empty_units(cur, batch)
            run(cur, "batches__set_replaced", {"batch_id": batch, "replaced": replaced})
            _maybe_pause()
    except IngestError as exc:
        return ImportResult(None, kind, 0, 0, prepared.warnings, [exc.issue], prepared.imported_sheets, prepared.skipped)
    return ImportResult(batch, kind, len(frame), replaced, prepared.warnings, [], prepared.imported_sheets, prepared.skipped)


def _retire_empty_units(cur, batch_id: int) -> None:
    """Units no branch belongs to any more (all moved, or the unit's name now spelled differently) leave the
    filters; they are kept in replaced_units under this batch, so undoing the roster brings them back."""
    run(cur, "units__archive_empty", {"batch_id": batch_id})
    run(cur, "units__delete_empty")


# Roster fields a unit's file may leave out; a re-imported roster without them keeps what is stored.
OPTIONAL_BRANCH_FIELDS = ("secretary", "founded_on", "last_election_on", "term_years")


def _keep_fields_the_file_lacks(cur: duckdb.DuckDBPyConnection, frame: pd.DataFrame, mapping: dict) -> pd.DataFrame:
    absent = [c for c in OPTIONAL_BRANCH_FIELDS if c not in mapping and c in frame.columns]
    if not absent:
        return frame
    cur.register("incoming_branches", frame)
    try:
        columns = ", ".join(
            f"coalesce(stored.{c}, incoming.{c}) as {c}" if c in absent else f"incoming.{c}" for c in frame.columns
        )
        return cur.execute(
            f"select {columns} from incoming_branches as incoming "
            "left join branches as stored on stored.branch_code = incoming.branch_code"
        ).df()
    finally:
        cur.unregister("incoming_branches")


def _maybe_pause() -> None:
    marker = os.environ.get(PAUSE_ENV)
    if marker:
        Path(marker).write_text("inside transaction", encoding="utf-8")
        time.sleep(60)


def _orphans(cur) -> int:
    parts = " union all ".join(
        f"select count(*) as n from {t} where branch_code not in (select branch_code from branches)" for t in BRANCH_FACTS
    )
    return int(cur.execute(f"select sum(n) from ({parts})").fetchall()[0][0] or 0)


def undo(store: Store, batch_id: int, undone_by: str | None = None) -> UndoResult:
    """Undo an active batch (see the module docstring); raises IngestError when it cannot."""
    with store.transaction() as cur:
        found = run(cur, "batches__status", {"batch_id": batch_id}).fetchall()
        if not found:
            raise IngestError(error("no_batch", batch=batch_id))
        if found[0][0] != "active":
            raise IngestError(error("already_undone", batch=batch_id))
        orphans_before = _orphans(cur)
        deleted = restored = 0
        # The keys this undo changes, marked before it changes them: the batch's rows, and the rows it had replaced
        # (those that come back, and those handed over to a later batch, which stay as they are).
        for table in FACT_TABLES:
            mark_batch(cur, table, batch_id)
        for table in REPLACE_KEYS:
            mark_batch(cur, f"replaced_{table}", batch_id, column="replaced_by")
        for table in FACT_TABLES:
            deleted += int(cur.execute(f"delete from {table} where batch_id = $b", {"b": batch_id}).fetchall()[0][0])
        for table, keys in REPLACE_KEYS.items():
            arch = f"replaced_{table}"
            cur.execute(f"delete from {arch} where batch_id = $b", {"b": batch_id})
            # Keys a later batch holds now: hand the old rows over to it.
            cur.execute(
                f"update {arch} a set replaced_by = (select max(l.batch_id) from {table} l where {_key_match(keys, 'l', 'a')}) "
                f"where a.replaced_by = $b and exists (select 1 from {table} l where {_key_match(keys, 'l', 'a')})",
                {"b": batch_id},
            )
            restored += int(
                cur.execute(
                    f"insert into {table} by name select * exclude (replaced_by) from {arch} where replaced_by = $b",
                    {"b": batch_id},
                ).fetchall()[0][0]
            )
            cur.execute(f"delete from {arch} where replaced_by = $b", {"b": batch_id})
        if _orphans(cur) > orphans_before:
            later = cur.execute(
                " union ".join(
                    f"select distinct batch_id from {t} where branch_code not in (select branch_code from branches)"
                    for t in BRANCH_FACTS
                )
                + " order by 1"
            ).fetchall()
            raise IngestError(error("undo_orphans", batch=batch_id, batches="、".join(f"#{r[0]}" for r in later)))
        run(cur, "batches__mark_undone", {"batch_id": batch_id, "undone_by": undone_by})
    return UndoResult(batch_id, deleted, restored)
