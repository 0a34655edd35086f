"""prepare(): read → locate header → map columns → normalise → validate, without writing anything."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

from branchboard.db import Store
from branchboard.ingest import columns as C
from branchboard.ingest import header as H
from branchboard.ingest import legacy
from branchboard.ingest import validate as VAL
from branchboard.ingest.load import active_batch_with, will_replace
from branchboard.ingest.model import KINDS, TABLE_OF_KIND, Issue, Part, Prepared, SkippedSheet, error, warning
from branchboard.ingest.read import Grid, ReadError, is_workbook, read_grid, read_sheets

ITEM_PREFIX = "item:"


def reference(store: Store) -> VAL.Reference:
    return VAL.Reference(
        branches=store.query("branches__known"),
        standards=store.query("standards__current"),
        tiers=store.tiers(),
    )


ALL_SHEETS = "*"


def prepare(
    store: Store,
    file_name: str,
    data: bytes,
    kind: str | None = None,
    sheet: str | None = None,
    period: str | None = None,
    mapping_overrides: Mapping[str, str | None] | None = None,
    sheets: Sequence[str] | str | None = None,
    read_ahead: bool = True,
) -> Prepared:
    """Everything the preview needs and `commit` writes. Never raises for a bad file: problems are issues.

    kind: one of KINDS, or None/"auto" to detect it from the headers (never "standards": the checklist is replaced
    only when that kind is asked for). sheet / sheets: the sheet(s) of a workbook to import together, or
    ALL_SHEETS; by default every sheet holding a table of the kind (the others are listed in `skipped` with the
    reason). period: the period of a file without a period column (any spelling parse_period accepts); default the
    one each sheet's title names. mapping_overrides: canonical field (or "item:<code>" for a wide assessment
    column) → header as written, or None to leave that field unmapped. read_ahead: read the stored records a
    volunteer file's commit needs while the checks run (False for a look at a file that will not be committed).
    """
    # Hashing a large file takes a while and releases the GIL. It starts once the file is read: Arrow's reader
    # keeps both cores busy, the checks after it only one, so there the hash costs no time at all.
    # The same holds for the stored records a volunteer file's commit would read to count an activity once across
    # files (db.Store.set_aside_ahead): read once the rows are built, while the checks after them run.
    wanted: list[str] | None = [sheet] if sheet else (None if sheets in (None, ALL_SHEETS) else list(sheets))
    with ThreadPoolExecutor(2) as pool:
        digest: list = []
        ahead: list = []

        def start_hash() -> None:
            if not digest:
                digest.append(pool.submit(lambda: hashlib.sha256(data).hexdigest()))

        def set_aside(frame: pd.DataFrame) -> None:
            ahead.append((frame, pool.submit(store.set_aside_ahead, TABLE_OF_KIND["volunteer"], frame)))

        prepared, pieces = _prepare(
            store, file_name, data, kind, wanted, period, mapping_overrides, start_hash, set_aside if read_ahead else None
        )
        start_hash()
        prepared.sha256 = digest[0].result()
        if ahead and ahead[0][0] is prepared.frame and not prepared.errors:
            try:
                prepared.set_aside = ahead[0][1].result()
            except Exception:  # only a head start: the commit sets the records aside itself
                prepared.set_aside = ()
    if pieces:
        prepared.parts = [
            Part(p.sheet, part_sha(prepared.sha256, p.sheet), p.content_hash, p.rows) for p in pieces if p.frame is not None
        ]
        for part in prepared.parts:
            earlier = active_batch_with(store, part.part_sha)
            if earlier is not None:
                prepared.issues.append(error("same_file", batch=earlier).in_sheet(part.sheet if len(pieces) > 1 else None))
            elif part.content_hash is not None:
                earlier = active_batch_with(store, content=part.content_hash)
                if earlier is not None:
                    prepared.issues.append(error("same_content", batch=earlier).in_sheet(part.sheet if len(pieces) > 1 else None))
    return prepared


def part_sha(file_sha: str, sheet: str | None) -> str:
    """The identity of one sheet of one file (the file's own sha256 for a text file, as batches always had)."""
    return file_sha if sheet is None else hashlib.sha256(f"{file_sha}|{sheet}".encode()).hexdigest()


def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash of every row's values (a categorical column hashes its categories once, then its codes)."""
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


def content_hash(kind: str | None, frame: pd.DataFrame, hashes: np.ndarray | None = None) -> str:
    """The same rows of the same kind give the same hash, whatever file format or encoding carried them."""
    digest = hashlib.sha256(f"{kind}|{'|'.join(map(str, frame.columns))}".encode())
    digest.update((row_hashes(frame) if hashes is None else hashes).tobytes())
    return digest.hexdigest()


@dataclass
class _Sheet:
    """A sheet read and its table located (or why not)."""

    name: str | None
    grid: Grid | None
    table: H.Table | None
    issue: Issue | None = None  # could not be read
    guesses: list = field(default_factory=list)

    @property
    def kind(self) -> str | None:
        return self.guesses[0].kind if self.guesses else None


def _survey(
    file_name: str, data: bytes, wanted: list[str] | None, standards: list[tuple[str, str]]
) -> tuple[list[str], list[_Sheet]]:
    """Every sheet asked for (all, by default) read, its header located and its kind guessed."""
    if not is_workbook(data) and not legacy.is_spreadsheetml(data[:4096]):  # a text file: one table
        grid = read_grid(file_name, data, None)
        table = H.locate(grid, standards)
        return [], [_Sheet(None, grid, table, guesses=C.guess_kinds(table.headers, standards) if table else [])]
    names, read = read_sheets(data, wanted)
    out = []
    for key, sheet in read.items():
        name = key or None  # an HTML table has no sheet name
        if isinstance(sheet, Issue):
            out.append(_Sheet(name, None, None, issue=sheet))
            continue
        table = H.locate(sheet, standards)
        out.append(_Sheet(name, sheet, table, guesses=C.guess_kinds(table.headers, standards) if table else []))
    return names, out


def _prepare(
    store: Store,
    file_name: str,
    data: bytes,
    kind: str | None,
    wanted: list[str] | None,
    period: str | None,
    mapping_overrides: Mapping[str, str | None] | None,
    after_read: Callable[[], None] = lambda: None,
    set_aside: Callable[[pd.DataFrame], None] | None = None,
) -> tuple[Prepared, list[Prepared]]:
    """Read, choose the sheets and the kind, prepare each sheet, put them together; (prepared, the sheets'
    pieces that got through every stage)."""
    prepared = Prepared(file_name=file_name, sha256="")
    if kind in (None, "", "auto"):
        kind = None
    elif kind not in KINDS:
        prepared.issues.append(error("bad_kind", value=kind, kinds="、".join(KINDS)))
        return prepared, []
    ref = reference(store)
    standards = list(ref.standards[["item_code", "item_name"]].itertuples(index=False, name=None))
    try:
        prepared.sheets, surveyed = _survey(file_name, data, wanted, standards)
    except ReadError as exc:
        prepared.issues.append(exc.issue)
        return prepared, []
    after_read()
    kind, decided = _choose_kind(prepared, surveyed, kind)
    if not decided:
        return prepared, []
    chosen = _choose_sheets(prepared, surveyed, kind, asked=wanted is not None)
    if not chosen:
        _report_no_table(prepared, surveyed)
        return prepared, []
    data_sheets = [s.name for s in chosen if s.name is not None]
    # Several sheets are imported as one frame, built after them all: nothing left to read the records beside.
    one = set_aside if len(chosen) == 1 else None
    pieces = [
        _prepare_piece(store, ref, standards, prepared, s, kind, period, mapping_overrides, len(chosen) > 1, one) for s in chosen
    ]
    if len(pieces) == 1:
        only = pieces[0]
        only.skipped, only.data_sheets = prepared.skipped, data_sheets
        return only, [only] if only.frame is not None and not only.errors else []
    prepared.data_sheets = data_sheets
    return _combine(store, prepared, pieces, kind)


def _choose_kind(prepared: Prepared, surveyed: list[_Sheet], kind: str | None) -> tuple[str | None, bool]:
    """The kind asked for, else the first data sheet's; (kind, False) when the file cannot go on without a choice."""
    if kind is not None:
        prepared.detected_kind = next((s.kind for s in surveyed if s.kind is not None), None)
        return kind, True
    # The kind is the first sheet's that holds data. A checklist (评分标准) sheet never decides it: replacing the
    # committee's checklist is done only when the kind "standards" is asked for.
    kinds = [s.kind for s in surveyed if s.kind is not None]
    prepared.detected_kind = next((k for k in kinds if k != "standards"), kinds[0] if kinds else None)
    kind = next((k for k in kinds if k != "standards"), None)
    if kind is None and prepared.detected_kind == "standards":
        prepared.issues.append(error("standards_need_choice"))
        return None, False
    return kind, True


def _choose_sheets(prepared: Prepared, surveyed: list[_Sheet], kind: str | None, *, asked: bool) -> list[_Sheet]:
    """The sheets to import: those asked for, else every sheet of the kind; each other sheet is listed in
    `prepared.skipped` with the reason (never skipped silently)."""
    chosen: list[_Sheet] = []
    for s in surveyed:
        if s.name is None or asked:
            chosen.append(s)
        elif s.issue is not None:
            prepared.skipped.append(SkippedSheet(s.name, "unreadable", {"reason": s.issue.message()}))
        elif s.table is None:
            reason = "empty" if s.grid is None or s.grid.cells.empty else "no_table"
            prepared.skipped.append(SkippedSheet(s.name, reason))
        elif kind is not None and s.kind != kind:
            if s.kind == "standards":
                prepared.skipped.append(SkippedSheet(s.name, "standards"))
            else:
                other = s.kind or "unknown"
                prepared.skipped.append(SkippedSheet(s.name, "other_kind", {"kind": (f"import.kind.{other}",)}))
        else:
            chosen.append(s)
    return chosen


def _report_no_table(prepared: Prepared, surveyed: list[_Sheet]) -> None:
    """No sheet holds a table: say why of the first one."""
    first = surveyed[0] if surveyed else None
    if first is not None and first.issue is not None:
        prepared.issues.append(first.issue)
    elif first is None or first.grid is None or first.grid.cells.empty:
        prepared.issues.append(error("empty_sheet"))
    elif first.table is None:
        prepared.issues.append(error("no_header"))
    else:
        prepared.issues.append(error("unknown_kind", headers="、".join(h for h in first.table.headers if h)[:200]))
    prepared.sheet = first.name if first else None


def _prepare_piece(
    store: Store,
    ref: VAL.Reference,
    standards: list[tuple[str, str]],
    prepared: Prepared,
    sheet: _Sheet,
    kind: str | None,
    period: str | None,
    mapping_overrides: Mapping[str, str | None] | None,
    several: bool,
    set_aside: Callable[[pd.DataFrame], None] | None = None,
) -> Prepared:
    """One chosen sheet prepared on its own; with several sheets its issues name the sheet."""
    piece = Prepared(file_name=prepared.file_name, sha256="", sheets=prepared.sheets, detected_kind=prepared.detected_kind)
    piece.sheet = sheet.name
    if sheet.issue is not None:
        piece.issues.append(sheet.issue)
    elif sheet.table is None or sheet.grid is None:
        piece.issues.append(error("no_header" if sheet.grid is not None and not sheet.grid.cells.empty else "empty_sheet"))
    else:
        _prepare_sheet(
            store, ref, standards, piece, sheet.grid, sheet.table, kind, period, mapping_overrides, prepared.file_name, set_aside
        )
    if several:
        piece.issues = [i.in_sheet(sheet.name) for i in piece.issues]
    return piece


def _combine(store: Store, prepared: Prepared, pieces: list[Prepared], kind: str | None) -> tuple[Prepared, list[Prepared]]:
    """Several sheets of one kind as one import: rows one after the other, issues named by sheet, keys unique
    across the sheets."""
    first = pieces[0]
    for attribute in ("kind", "shape", "headers", "mapping", "header_row", "title", "proposed_period", "period"):
        setattr(prepared, attribute, getattr(first, attribute))
    prepared.has_period_column = first.has_period_column
    prepared.sheet = first.sheet
    for piece in pieces:
        prepared.issues.extend(piece.issues)
    frames = [p.frame for p in pieces if p.frame is not None]
    if prepared.errors or len(frames) < len(pieces):
        return prepared, []
    # Every sheet has its frame, so its kind: with none asked for or guessed, each would have stopped at unknown_kind.
    assert kind is not None
    prepared.frame = pd.concat(frames, ignore_index=True)
    prepared.source_rows = pd.concat([p.source_rows for p in pieces], ignore_index=True)
    # Each row's sheet beside its row number: row 5 of 上半年 is not row 5 of 下半年 (the preview marks cells by both).
    prepared.source_sheets = pd.Series(np.repeat([p.sheet for p in pieces], [len(f) for f in frames]), dtype=object)
    prepared.extra = {
        key: pd.concat([p.extra[key] for p in pieces if key in p.extra], ignore_index=True).drop_duplicates()
        for key in first.extra
    }
    keys = {"branches": ["branch_code"], "standards": ["item_code"], "assessments": ["period", "branch_code", "item_code"]}
    keys["tiers"] = ["period", "branch_code"]
    if kind in keys:
        sheet_of = prepared.source_sheets
        key = prepared.frame[keys[kind]]
        repeated = key.duplicated(keep=False) & key.notna().all(axis=1)
        if repeated.any():
            groups = sheet_of[repeated].groupby([key[c][repeated] for c in keys[kind]]).agg(lambda x: "、".join(dict.fromkeys(x)))
            across = groups[groups.str.contains("、")]
            for values, sheets in across.head(20).items():
                shown = " / ".join(map(str, values if isinstance(values, tuple) else (values,)))
                prepared.issues.append(error("key_in_two_sheets", value=shown, sheets=sheets))
    if kind == "volunteer":
        hashes = row_hashes(prepared.frame)
        later = pd.Series(hashes).duplicated(keep="first").to_numpy()
        if later.any() and not any(i.code == "duplicate_rows" for i in prepared.issues):
            prepared.issues.append(warning("duplicate_rows_across_sheets", count=int(later.sum())))
    prepared.content_hash = content_hash(kind, prepared.frame)
    if not prepared.errors:
        prepared.will_replace = will_replace(store, kind, prepared.frame)
    return prepared, pieces


def _prepare_sheet(
    store: Store,
    ref: VAL.Reference,
    standards: list[tuple[str, str]],
    prepared: Prepared,
    grid: Grid,
    table: H.Table,
    kind: str | None,
    period: str | None,
    mapping_overrides: Mapping[str, str | None] | None,
    file_name: str,
    set_aside: Callable[[pd.DataFrame], None] | None = None,
) -> None:
    """The stages after the header for one sheet (or text file): map columns, read values, validate. Fills
    `prepared`; its frame stays None when a stage stopped. `set_aside` is given the volunteer rows once built."""
    prepared.headers = table.headers
    prepared.header_row = table.header_row
    prepared.title = table.title
    prepared.issues.extend(table.issues)
    prepared.proposed_period = H.propose_period(table.title, grid.sheet or "", file_name)

    guesses = C.guess_kinds(table.headers, standards)
    kind = kind or (guesses[0].kind if guesses else None)
    if kind is None:
        prepared.issues.append(error("unknown_kind", headers="、".join(h for h in table.headers if h)[:200]))
        return
    prepared.kind = kind
    columns, shape = _map_columns(prepared, table, kind, guesses, standards, mapping_overrides)
    item_fields = _check_columns(prepared, table, kind, shape, columns, standards)
    if item_fields is None:
        return

    # Mapped source columns as cleaned text, named by field.
    index_of = {h: i for i, h in reversed(list(enumerate(table.headers)))}
    raw, src = _raw_and_clean(table.data, {f: index_of[h] for f, h in columns.items()})
    checker = VAL.Checker(src, table.rows, columns, raw=raw)
    _refuse_long_cells(prepared, raw, table.rows, columns)
    if prepared.errors:
        return
    if table.data.empty:
        prepared.issues.append(error("no_rows"))
        return

    prepared.has_period_column = "period" in columns
    if not _settle_period(prepared, kind, period):
        return
    frame, extra = _build(checker, ref, kind, shape, prepared.period, item_fields)
    if kind == "volunteer" and set_aside is not None and not checker.issues_with_level("error"):
        set_aside(frame)
    if table.totals is not None and not checker.issues_with_level("error"):
        _check_total_rows(prepared, table, columns, frame, kind)
    hashes = row_hashes(frame)
    if kind == "volunteer":  # records have no key: a row repeated exactly is most likely sent twice
        VAL.warn_repeated_rows(checker, frame, hashes)
    prepared.content_hash = content_hash(kind, frame, hashes)
    prepared.issues.extend(checker.issues)
    rows = extra.pop("_rows", None)
    prepared.source_rows = pd.Series(rows["_row"].to_numpy() if rows is not None else np.asarray(table.rows))
    prepared.extra = extra
    prepared.frame = frame
    if kind == "standards" and not prepared.errors:
        used = store.query("standards__items_scored")["item_code"]
        orphaned = sorted(set(used) - set(frame["item_code"]))
        if orphaned:
            prepared.issues.append(warning("standards_drop_items", items="、".join(orphaned[:30])))
        _preview_standards(store, prepared, frame)
    if not prepared.errors:
        prepared.will_replace = will_replace(store, kind, frame)


def _map_columns(
    prepared: Prepared,
    table: H.Table,
    kind: str,
    guesses: list,
    standards: list[tuple[str, str]],
    mapping_overrides: Mapping[str, str | None] | None,
) -> tuple[dict[str, str], str | None]:
    """Which header holds which field (the guess for this kind, then the user's overrides): ({field: header},
    the assessments' shape, wide or long)."""
    guess = next((g for g in guesses if g.kind == kind), None)
    if guess is None:  # the user chose a kind the headers do not fit: map what we can
        mapping = C.map_fields(table.headers, C.KIND_SPECS[kind].fields)
        shape = "long" if kind == "assessments" else None
        if kind == "assessments":
            wide = C.map_fields(table.headers, C.WIDE_FIELDS)
            wide.items = C.match_items(table.headers, standards, set(wide.fields.values()))
            if wide.items:
                mapping, shape = wide, "wide"
    else:
        mapping, shape = guess.mapping, guess.shape
    prepared.shape = shape

    columns = {f: table.headers[c] for f, c in mapping.fields.items()}
    columns.update({f"{ITEM_PREFIX}{code}": table.headers[c] for c, code in mapping.items.items()})
    for f, c in mapping.duplicates:
        prepared.issues.append(warning("duplicate_column", column=table.headers[c], used=columns.get(f, "")))
    if mapping_overrides:
        for f, header in mapping_overrides.items():
            if header in (None, ""):
                columns.pop(f, None)
            elif header in table.headers:
                columns[f] = header
            else:
                prepared.issues.append(error("override_unknown_header", value=header))
    prepared.mapping = columns
    return columns, shape


def _check_columns(
    prepared: Prepared, table: H.Table, kind: str, shape: str | None, columns: dict[str, str], standards: list[tuple[str, str]]
) -> dict[str, str] | None:
    """Every required field has its column (and a wide score sheet its item columns): the item columns as {field:
    item code}, or None when the sheet cannot go on."""
    if kind == "branches":
        from branchboard.ingest.load import OPTIONAL_BRANCH_FIELDS

        absent = [f for f in OPTIONAL_BRANCH_FIELDS if f not in columns]
        if absent:
            prepared.issues.append(warning("kept_fields", fields=tuple(f"import.field.{f}" for f in absent)))

    missing = [group for group in C.required_groups(kind, shape) if not any(f in columns for f in group)]
    for group in missing:
        accepted = "、".join(C.ALIASES[group[0]][:6])
        prepared.issues.append(error("missing_column", field=_field_label(group), accepted=accepted))
    item_fields = {f: f[len(ITEM_PREFIX) :] for f in columns if f.startswith(ITEM_PREFIX)}
    if kind == "assessments" and shape == "wide" and not item_fields:
        prepared.issues.append(error("no_item_columns"))
    elif kind == "assessments" and shape == "wide":
        prepared.issues.extend(_wide_item_problems(table.headers, set(columns.values()), item_fields, standards))
    return None if missing or prepared.errors else item_fields


def _settle_period(prepared: Prepared, kind: str, period: str | None) -> bool:
    """The period of a file without a period column: the one chosen (checked), else the one its title names.
    Sets prepared.period; False when the chosen period is not a period."""
    if period is not None:
        from branchboard import periods as P

        label = P.parse_period(period)
        if label is None:
            prepared.issues.append(error("bad_period_option", value=period))
            return False
        period = label
        title_period = prepared.proposed_period
        if not prepared.has_period_column and kind in ("assessments", "tiers") and title_period and title_period != label:
            prepared.issues.append(warning("period_differs_from_title", period=label, title_period=title_period))
    elif not prepared.has_period_column and kind in ("assessments", "tiers") and prepared.proposed_period:
        period = prepared.proposed_period
        prepared.issues.append(warning("period_from_title", period=period))
    prepared.period = period
    return True


def _build(
    checker: VAL.Checker, ref: VAL.Reference, kind: str, shape: str | None, period: str | None, item_fields: dict[str, str]
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The rows to store, validated by the builder of the kind (and the shape of a score sheet)."""
    if kind == "branches":
        return VAL.build_branches(checker, ref)
    if kind == "standards":
        return VAL.build_standards(checker, ref)
    if kind == "assessments" and shape == "wide":
        return VAL.build_assessments_wide(checker, ref, period, item_fields)
    if kind == "assessments":
        return VAL.build_assessments_long(checker, ref, period)
    if kind == "tiers":
        return VAL.build_tiers(checker, ref, period)
    return VAL.build_volunteer(checker, ref)


MAX_CELL_CHARS = 2_000  # no name, activity or note of a committee's table is longer


def _refuse_long_cells(prepared: Prepared, raw: pd.DataFrame, rows: np.ndarray, columns: dict[str, str]) -> None:
    """A cell of the mapped columns longer than MAX_CELL_CHARS (a two-million-character "branch name" would be stored
    and drawn on every page) is an error naming its row; looked at over each column's distinct values."""
    import pyarrow.compute as pc

    from branchboard.ingest.values import arrow_text

    for field_name in raw.columns:
        column = raw[field_name]
        values = column.cat.categories if isinstance(column.dtype, pd.CategoricalDtype) else pd.Index(column.unique())
        # Lengths by Arrow's kernel: a file's 120,000 distinct member codes in a millisecond, not 20.
        lengths = pc.utf8_length(arrow_text(values.to_numpy(dtype=object))).to_numpy()
        if not len(lengths) or lengths.max() <= MAX_CELL_CHARS:
            continue
        long_values = set(values[lengths > MAX_CELL_CHARS])
        at = np.flatnonzero(column.isin(long_values).to_numpy())[:1]
        for i in at:
            text = str(column.iloc[i])
            prepared.issues.append(
                error(
                    "cell_too_long",
                    int(rows[i]),
                    columns.get(field_name),
                    text[:30] + "…",
                    length=f"{len(text):,}",
                    limit=f"{MAX_CELL_CHARS:,}",
                )
            )


def _check_total_rows(prepared: Prepared, table: H.Table, columns: dict[str, str], frame: pd.DataFrame, kind: str) -> None:
    """A 合计 row is not data, but where it sums a column the importer also reads, its figure is checked against the
    data: a unit that left a row out (or typed one twice) sees it before the committee does."""
    from branchboard.ingest.values import parse_number

    sums: dict[str, float] = {}
    if kind == "volunteer":
        sums = {"hours": frame["hours"].sum(), "person_times": frame["person_times"].sum()}
    elif kind == "branches":
        sums = {"member_count": frame["member_count"].sum()}
    elif kind == "assessments" and prepared.shape == "wide":
        by_item = frame.groupby("item_code")["score"].sum()
        sums = {f"{ITEM_PREFIX}{code}": value for code, value in by_item.items()}
        sums["total"] = frame["score"].sum()
    position = {h: i for i, h in reversed(list(enumerate(table.headers)))}
    totals, total_rows = table.totals, table.total_rows
    assert totals is not None and total_rows is not None  # called only for a table with total rows
    for field_name, expected in sums.items():
        header = columns.get(field_name)
        if header is None or header not in position:
            continue
        cells = totals[position[header]].astype(str)
        values, _ = parse_number(cells.str.strip())
        for row, value, written in zip(total_rows, values, cells, strict=True):
            if pd.notna(value) and round(float(value) * 100) != round(float(expected) * 100):
                prepared.issues.append(
                    warning(
                        "total_row_differs",
                        int(row),
                        header,
                        written.strip(),
                        sum=f"{float(expected):,.2f}".rstrip("0").rstrip("."),
                    )
                )


def _preview_standards(store: Store, prepared: Prepared, frame: pd.DataFrame) -> None:
    """Replacing the checklist is shown before it is done: what changes, and whose 达标率 moves."""
    from branchboard import periods as P
    from branchboard.standards import replacement_preview

    preview = replacement_preview(store, frame)
    prepared.standards_preview = preview
    counts = preview["changes"]["change"].value_counts()
    moved = "；".join(
        f"{P.display(cast(str, r.period), 'zh')} {cast(float, r.rate_before) * 100:.1f}% → {cast(float, r.rate_after) * 100:.1f}%"
        for r in preview["periods"].itertuples()
    )
    prepared.issues.append(
        warning(
            "standards_changes",
            added=int(counts.get("added", 0)),
            removed=int(counts.get("removed", 0)),
            changed=int(counts.get("changed", 0)),
            moved=moved or "无",
        )
    )


# Header words that are not items in a wide sheet: branch/unit columns, totals, remarks, ranks.
_NOT_ITEM_HINTS = (
    "总分",
    "合计",
    "得分合计",
    "备注",
    "说明",
    "排名",
    "名次",
    "等次",
    "等级",
    "档次",
    "结果",
    "序号",
    "联系人",
    "电话",
)


def _wide_item_problems(
    headers: list[str], mapped: set[str], item_fields: dict[str, str], standards: list[tuple[str, str]]
) -> list:
    """A wide sheet replaces each branch's whole period, so every item must be there, and a column that
    looks like an item but matches none ("班子键全（4分）") is a typo, not something to drop silently."""
    problems = []
    names = {code: name for code, name in standards}
    missing = [code for code in names if code not in item_fields.values()]
    if missing:
        shown = "、".join(f"{code} {names[code]}" for code in missing[:12]) + ("…" if len(missing) > 12 else "")
        problems.append(warning("missing_items", items=shown))
    candidates = [*names.values(), *names]
    for header in headers:
        if not header or header in mapped or any(h in header for h in _NOT_ITEM_HINTS):
            continue
        bare = re.sub(r"[（(].*?[)）]", "", C.norm_header(header)).strip()
        close = difflib.get_close_matches(bare, candidates, n=1, cutoff=0.5)
        if close or re.search(r"\d+(\.\d+)?\s*分", header):
            guess = close[0] if close else ""
            label = f"{next((c for c, n in names.items() if n == guess), guess)} {names.get(guess, guess)}".strip()
            problems.append(error("item_like_column", column=header, value=header, suggestion=label or "—"))
    return problems


def _raw_and_clean(data: pd.DataFrame, columns: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each mapped column as written (only trimmed) and cleaned (NFKC, trimmed), named by field.

    Both are worked out once per distinct value and kept categorical, so the validation steps that follow
    look at a column's few distinct values rather than at every row.
    """
    from branchboard.ingest.values import categorical, clean_distinct, distinct_codes

    raw, src = {}, {}
    for f, c in columns.items():
        column = data[c]
        codes, uniques = distinct_codes(column)
        trimmed, cleaned = clean_distinct(uniques)
        # A column that trimming or cleaning leaves as it is (most of a large export) is reused, not re-coded.
        same = isinstance(column.dtype, pd.CategoricalDtype) and np.array_equal(trimmed, uniques)
        raw[f] = column.array if same else categorical(codes, trimmed)
        src[f] = raw[f] if np.array_equal(cleaned, trimmed) else categorical(codes, cleaned)
    return pd.DataFrame(raw, copy=False), pd.DataFrame(src, copy=False)


def _field_label(group: tuple[str, ...]) -> str:
    from branchboard.i18n import t

    return " / ".join(t(f"import.field.{f}", "zh") for f in group)
