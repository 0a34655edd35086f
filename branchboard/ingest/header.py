"""Stage 2, locate the header: skip title rows, understand a two-row header, drop spacer, total and note rows.

The header is the row among the first few dozen that most looks like one (cells that are known aliases or
checklist items). The row directly above it joins the header when it has at least two filled cells (a title
has one): that is the merged dimension row of a two-row header, or carries headers merged down over both rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from branchboard import periods as P
from branchboard.ingest.columns import IGNORED_HEADERS, header_score, norm_header
from branchboard.ingest.model import Issue, warning
from branchboard.ingest.read import Grid
from branchboard.ingest.values import WHITESPACE, distinct_text, mask_of, spread

SCAN_ROWS = 30
_TOTAL_WORDS = ("合计", "总计", "小计", "共计", "总合计")
# Rows of figures about the table rather than data: 平均分 / 平均值 / 最高分 / 最低分 under a score sheet.
_SUMMARY_WORDS = ("平均分", "平均值", "平均数", "最高分", "最高值", "最低分", "最低值", "中位数")
# A signature line, often split over several cells: 填表人：… | 审核人：… | 联系电话：… | 填报日期：…
_NOTE_WORDS = (
    "注",
    "说明",
    "备注",
    "填表",
    "制表",
    "审核",
    "审批",
    "填报",
    "联系人",
    "联系电话",
    "电话",
    "负责人",
    "签字",
    "签名",
    "盖章",
    "单位盖章",
    "日期",
)
_TOTAL = "^(" + "|".join(_TOTAL_WORDS) + ")"  # RE2 patterns, matched against a cell without spaces
_SUMMARY = "^(" + "|".join(_SUMMARY_WORDS) + ")"
_NOTE = "^(" + "|".join(_NOTE_WORDS) + ")"
_LEADS = sorted({word[0] for word in _TOTAL_WORDS + _SUMMARY_WORDS + _NOTE_WORDS})
_PERIOD_IN_TEXT = re.compile(
    r"(\d{4})\s*(?:年\s*(?:度|上半年|下半年|第?\s*[1-4一二三四]\s*季度?)?|上半年|下半年|-?\s*[HhQq][1-4])?"
)


@dataclass
class Table:
    headers: list[str]  # header as written, one per column ("" when none)
    data: pd.DataFrame  # data rows (columns numbered like headers)
    rows: np.ndarray  # Excel row number of each data row
    header_row: int  # Excel row number of the (last) header row
    title: str  # text of the rows above the header
    issues: list[Issue]
    # The 合计 rows taken out of the data (cells and Excel row numbers), to check their sums against the data.
    totals: pd.DataFrame | None = None
    total_rows: np.ndarray | None = None


def locate(grid: Grid, standards: list[tuple[str, str]]) -> Table | None:
    cells = grid.cells
    if cells.empty:
        return None
    scan = cells.head(SCAN_ROWS)
    scores = [header_score(list(row), standards) for row in scan.itertuples(index=False)]  # a few dozen rows only
    best = int(np.argmax(scores)) if scores else 0
    if not scores or scores[best] < 2:
        return None
    bottom = _row_text(cells, best)
    headers = list(bottom)
    first_header = best
    if best > 0:
        above = _row_text(cells, best - 1)
        if sum(1 for c in above if c) >= 2:
            first_header = best - 1
            # A header merged down over both rows sits in the upper cell; otherwise the lower one names the column.
            headers = [b if b else a for a, b in zip(above, bottom, strict=True)]
    title = " ".join(c for i in range(first_header) for c in _row_text(cells, i) if c)
    data = _fill_merged_down(cells.iloc[best + 1 :], grid.rows[best + 1 :], grid.merged_down)
    rows = grid.rows[best + 1 :]
    issues: list[Issue] = []
    data, rows, totals = _drop_skipped(data, rows, headers, issues)
    if grid.hidden_rows:
        hidden = np.isin(rows, grid.hidden_rows)
        if hidden.any():
            issues.append(warning("hidden_rows", rows=_row_list(rows[hidden]), count=int(hidden.sum())))
    return Table(
        headers=headers,
        data=data,
        rows=rows,
        header_row=int(grid.rows[best]),
        title=title,
        issues=issues,
        totals=totals[0] if totals else None,
        total_rows=totals[1] if totals else None,
    )


def _row_text(cells: pd.DataFrame, i: int) -> list[str]:
    """Row i's cells as trimmed text, read column by column: `cells.iloc[i]` would first find a dtype common to
    every column, which for categorical columns hashes all their categories (50 ms for a file's 120,000 member
    codes), to read eight cells."""
    return [str(cells[c].iloc[i]).strip() for c in cells.columns]


def _fill_merged_down(data: pd.DataFrame, rows: np.ndarray, merged: list[tuple[int, int, int]]) -> pd.DataFrame:
    """Give every cell of a vertical merge in the data rows the value its first cell holds."""
    inside = [(r1, r2, c) for r1, r2, c in merged if len(rows) and r1 >= rows[0] and 0 <= c < data.shape[1]]
    if not inside:
        return data
    data = data.copy()
    for c in {c for _, _, c in inside}:
        if isinstance(data[c].dtype, pd.ArrowDtype):  # a nearly distinct column kept as Arrow text (read.py):
            data[c] = data[c].astype(object)  # each cell set would copy the whole Arrow array
    position = {int(r): i for i, r in enumerate(rows)}
    for r1, r2, c in inside:
        top = position.get(r1)
        if top is None:
            continue
        value = cast(str, data.iat[top, c])  # grid cells are text
        for r in range(r1 + 1, r2 + 1):
            i = position.get(r)
            if i is not None and data.iat[i, c] == "":
                data.iat[i, c] = value
    return data


def _drop_skipped(
    data: pd.DataFrame, rows: np.ndarray, headers: list[str], issues: list[Issue]
) -> tuple[pd.DataFrame, np.ndarray, tuple[pd.DataFrame, np.ndarray] | None]:
    import pyarrow as pa
    import pyarrow.compute as pc

    used = [c for c, h in enumerate(headers) if h and norm_header(h) not in IGNORED_HEADERS]
    unnamed = [c for c, h in enumerate(headers) if not h]
    if data.empty:
        return data, rows, None
    # Column-wise, over each column's distinct values (a million rows have few distinct cells per column):
    # the tests run on the distinct values, and only the masks that can be true are spread back to the rows.
    n = len(data)
    filled: dict[int, np.ndarray | None] = {}  # column → rows with a cell; None when every row has one
    note_cells: dict[int, np.ndarray] = {}  # column → rows whose cell is a note
    total = np.zeros(n, bool)  # 合计 often sits in the 序号 column, so totals and notes look at every column
    summary = np.zeros(n, bool)
    leads = pa.array(_LEADS)
    for j, c in enumerate(data.columns):
        codes, text = distinct_text(data[c])
        trimmed = pc.utf8_trim_whitespace(text)
        filled_u = mask_of(pc.not_equal(trimmed, ""))
        filled[j] = None if filled_u.all() else spread(filled_u, codes)
        # Only a cell whose first character can start a total or a note is looked at closely ("合 计"): in a
        # column of 200,000 member codes, usually none is.
        maybe = np.flatnonzero(mask_of(pc.is_in(pc.utf8_slice_codeunits(trimmed, 0, 1), value_set=leads)))
        if not len(maybe):
            continue
        nospace = pc.replace_substring_regex(trimmed.take(maybe), WHITESPACE + "+", "")
        total_u = np.zeros(len(trimmed), bool)
        total_u[maybe] = mask_of(pc.match_substring_regex(nospace, _TOTAL))
        if total_u.any():
            total |= spread(total_u, codes)
        summary_u = np.zeros(len(trimmed), bool)
        summary_u[maybe] = mask_of(pc.match_substring_regex(nospace, _SUMMARY))
        if summary_u.any():
            summary |= spread(summary_u, codes)
        note_u = np.zeros(len(trimmed), bool)
        note_u[maybe] = mask_of(pc.match_substring_regex(nospace, _NOTE))
        if note_u.any():
            note_cells[j] = spread(note_u, codes)

    def has(j: int) -> np.ndarray:
        mask = filled[j]
        return np.ones(n, bool) if mask is None else mask

    # A note row ("填表人：张三", often with "审核人：李四" and "联系电话：…" in other cells): every cell it has is a note.
    summary &= ~total
    note = np.zeros(n, bool)
    if note_cells:
        counts = sum((has(j).astype(np.int16) for j in filled), np.zeros(n, np.int16))
        note = counts >= 1
        for j in filled:
            note &= note_cells[j] | ~has(j) if j in note_cells else ~has(j)
        note &= ~total & ~summary
    # A row with nothing but a 序号 is a spacer of a pre-numbered form.
    used_cols = [j for j, c in enumerate(data.columns) if c in used]
    blank = np.ones(n, bool)
    for j in used_cols:
        column_filled = filled[j]
        if column_filled is None:
            blank[:] = False
            break
        blank &= ~column_filled
    blank &= ~total & ~summary & ~note
    # Trailing blank rows are not worth a warning; blank rows between data rows are.
    last_data = np.flatnonzero(~blank)
    end = last_data[-1] + 1 if len(last_data) else 0
    inner_blank = blank.copy()
    inner_blank[end:] = False
    if inner_blank.any():
        issues.append(warning("blank_rows", rows=_row_list(rows[inner_blank]), count=int(inner_blank.sum())))
    if total.any():
        issues.append(warning("total_rows", rows=_row_list(rows[total]), count=int(total.sum())))
    if summary.any():
        issues.append(warning("summary_rows", rows=_row_list(rows[summary]), count=int(summary.sum())))
    if note.any():
        issues.append(warning("note_rows", rows=_row_list(rows[note]), count=int(note.sum())))
    keep = ~(blank | total | summary | note)
    labels: list[Hashable] = list(data.columns)  # numbered 0..n-1 like the headers, not the str the stubs assume
    for u in unnamed:
        if has(labels.index(u))[keep].any():
            issues.append(warning("unnamed_column", column=str(u + 1), number=str(u + 1)))
    totals = (data[total], rows[total]) if total.any() else None
    if keep.all():  # the usual large export: no copy of a million rows
        return data, rows, totals
    return data[keep], rows[keep], totals


def _row_list(rows: np.ndarray, limit: int = 10) -> str:
    shown = "、".join(str(int(r)) for r in rows[:limit])
    return shown + ("…" if len(rows) > limit else "")


# Dates and timestamps name a day, not an assessment period: "填报日期：2026年1月10日", "导出_20260110",
# "export-2026-01-10". They are removed before looking for a period.
_DATE_IN_TEXT = re.compile(r"\d{4}\s*[年/.\-_]\s*\d{1,2}\s*[月/.\-_]\s*\d{1,2}\s*日?|\d{4}\s*年\s*\d{1,2}\s*月|\d{5,}")


def propose_period(*texts: str) -> str | None:
    """The period a title names ("2022年度市直机关党支部考核得分表" → 2022), else None.

    Only a year standing on its own counts: dates, timestamps and longer digit runs are skipped.
    """
    for text in texts:
        s = _DATE_IN_TEXT.sub(" ", unicodedata.normalize("NFKC", text or ""))
        for m in _PERIOD_IN_TEXT.finditer(s):
            if m.start() > 0 and s[m.start() - 1].isdigit():
                continue
            label = P.parse_period(m.group(0).replace(" ", ""))
            if label is None and m.group(0).endswith("年"):
                label = P.parse_period(m.group(1))
            if label:
                return label
    return None
