"""prepare(): read → locate header → map columns → normalise → validate, without writing anything."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from branchboard.db import Store
from branchboard.ingest import columns as C
from branchboard.ingest import header as H
from branchboard.ingest import validate as VAL
from branchboard.ingest.load import active_batch_with, will_replace
from branchboard.ingest.model import KINDS, Prepared, error, warning
from branchboard.ingest.read import ReadError, read_grid, sheet_names

ITEM_PREFIX = "item:"


def reference(store: Store) -> VAL.Reference:
    cur = store.cursor()
    return VAL.Reference(
        branches=cur.execute("select branch_code, branch_name, unit_name from branches order by branch_code").df(),
        standards=cur.execute("select item_code, item_name, dimension, max_score from standards order by item_code").df(),
        tiers=store.tiers(),
    )


def prepare(
    store: Store,
    file_name: str,
    data: bytes,
    kind: str | None = None,
    sheet: str | None = None,
    period: str | None = None,
    mapping_overrides: Mapping[str, str | None] | None = None,
) -> Prepared:
    """Everything the preview needs and `commit` writes. Never raises for a bad file: problems are issues.

    kind: one of KINDS, or None/"auto" to detect it from the headers. sheet: a sheet name (Excel), default the
    first sheet with a recognisable header. period: the period of a file without a period column (any spelling
    parse_period accepts); default the one the title row names. mapping_overrides: canonical field (or
    "item:<code>" for a wide assessment column) → header as written, or None to leave that field unmapped.
    """
    # Hashing a large file takes a while and releases the GIL. It starts once the file is read: Arrow's reader
    # keeps both cores busy, the checks after it only one, so there the hash costs no time at all.
    with ThreadPoolExecutor(1) as pool:
        digest: list = []

        def start_hash() -> None:
            if not digest:
                digest.append(pool.submit(lambda: hashlib.sha256(data).hexdigest()))

        prepared, complete = _prepare(store, file_name, data, kind, sheet, period, mapping_overrides, start_hash)
        start_hash()
        prepared.sha256 = digest[0].result()
    if complete:
        earlier = active_batch_with(store, prepared.sha256)
        if earlier is not None:
            prepared.issues.append(error("same_file", batch=earlier))
        elif prepared.content_hash is not None:
            earlier = active_batch_with(store, content=prepared.content_hash)
            if earlier is not None:
                prepared.issues.append(error("same_content", batch=earlier))
    return prepared


def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash of every row's values (a categorical column hashes its categories once, then its codes)."""
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


def content_hash(kind: str | None, frame: pd.DataFrame, hashes: np.ndarray | None = None) -> str:
    """The same rows of the same kind give the same hash, whatever file format or encoding carried them."""
    digest = hashlib.sha256(f"{kind}|{'|'.join(map(str, frame.columns))}".encode())
    digest.update((row_hashes(frame) if hashes is None else hashes).tobytes())
    return digest.hexdigest()


def _prepare(
    store: Store,
    file_name: str,
    data: bytes,
    kind: str | None,
    sheet: str | None,
    period: str | None,
    mapping_overrides: Mapping[str, str | None] | None,
    after_read: Callable[[], None] = lambda: None,
) -> tuple[Prepared, bool]:
    """The stages up to validation; (prepared, whether it got through them all). `after_read` is called once the
    file has been read and its header found."""
    prepared = Prepared(file_name=file_name, sha256="")
    if kind in (None, "", "auto"):
        kind = None
    elif kind not in KINDS:
        prepared.issues.append(error("bad_kind", value=kind, kinds="、".join(KINDS)))
        return prepared, False
    ref = reference(store)
    standards = list(ref.standards[["item_code", "item_name"]].itertuples(index=False, name=None))
    try:
        prepared.sheets = sheet_names(data)
        candidates = [sheet] if sheet or not prepared.sheets else prepared.sheets
        table = grid = None
        for name in candidates:
            grid = read_grid(file_name, data, name)
            table = H.locate(grid, standards)
            if table is not None:
                break
        if table is None:
            # No sheet has a header; report on the one asked for (or the first).
            grid = read_grid(file_name, data, sheet or (prepared.sheets[0] if prepared.sheets else None))
    except ReadError as exc:
        prepared.issues.append(exc.issue)
        return prepared, False
    after_read()
    prepared.sheet = grid.sheet
    if table is None:
        prepared.issues.append(error("no_header" if not grid.cells.empty else "empty_sheet"))
        return prepared, False
    prepared.headers = table.headers
    prepared.header_row = table.header_row
    prepared.title = table.title
    prepared.issues.extend(table.issues)
    prepared.proposed_period = H.propose_period(table.title, grid.sheet or "", file_name)

    guesses = C.guess_kinds(table.headers, standards)
    prepared.detected_kind = guesses[0].kind if guesses else None
    kind = kind or prepared.detected_kind
    if kind is None:
        prepared.issues.append(error("unknown_kind", headers="、".join(h for h in table.headers if h)[:200]))
        return prepared, False
    prepared.kind = kind
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
    if missing or prepared.errors:
        return prepared, False

    # Mapped source columns as cleaned text, named by field.
    index_of = {h: i for i, h in reversed(list(enumerate(table.headers)))}
    raw, src = _raw_and_clean(table.data, {f: index_of[h] for f, h in columns.items()})
    checker = VAL.Checker(src, table.rows, columns, raw=raw)
    if table.data.empty:
        prepared.issues.append(error("no_rows"))
        return prepared, False

    prepared.has_period_column = "period" in columns
    if period is not None:
        from branchboard import periods as P

        label = P.parse_period(period)
        if label is None:
            prepared.issues.append(error("bad_period_option", value=period))
            return prepared, False
        period = label
        title_period = prepared.proposed_period
        if not prepared.has_period_column and kind in ("assessments", "tiers") and title_period and title_period != label:
            prepared.issues.append(warning("period_differs_from_title", period=label, title_period=title_period))
    elif not prepared.has_period_column and kind in ("assessments", "tiers") and prepared.proposed_period:
        period = prepared.proposed_period
        prepared.issues.append(warning("period_from_title", period=period))
    prepared.period = period

    if kind == "branches":
        frame, extra = VAL.build_branches(checker, ref)
    elif kind == "standards":
        frame, extra = VAL.build_standards(checker, ref)
    elif kind == "assessments" and shape == "wide":
        frame, extra = VAL.build_assessments_wide(checker, ref, period, item_fields)
    elif kind == "assessments":
        frame, extra = VAL.build_assessments_long(checker, ref, period)
    elif kind == "tiers":
        frame, extra = VAL.build_tiers(checker, ref, period)
    else:
        frame, extra = VAL.build_volunteer(checker, ref)
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
        used = store.cursor().execute("select distinct item_code from assessment_scores order by 1").df()["item_code"]
        orphaned = sorted(set(used) - set(frame["item_code"]))
        if orphaned:
            prepared.issues.append(warning("standards_drop_items", items="、".join(orphaned[:30])))
    if not prepared.errors:
        prepared.will_replace = will_replace(store, kind, frame)
    return prepared, True


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
