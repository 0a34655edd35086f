"""Import pipeline: read → locate header → map columns → normalise values → validate → load.

    prepared = prepare(store, "得分表.xlsx", data)          # nothing written; prepared.issues says what is wrong
    result = commit(store, prepared, imported_by="张三")     # one transaction, one batch
    undo(store, result.batch_id)

Each stage is its own module (read, header, columns, values, validate, load) and can be tested alone.
"""

from branchboard.ingest.load import commit, undo
from branchboard.ingest.model import KINDS, ImportResult, IngestError, Issue, Prepared, UndoResult
from branchboard.ingest.pipeline import ALL_SHEETS, prepare

__all__ = ["ALL_SHEETS", "KINDS", "ImportResult", "IngestError", "Issue", "Prepared", "UndoResult", "commit", "prepare", "undo"]
