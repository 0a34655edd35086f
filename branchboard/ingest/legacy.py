"""Legacy exports that old government systems still produce under an .xls name:

- **Excel 2003 XML (SpreadsheetML)**: `<?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-
  microsoft-com:office:spreadsheet">`, read with the standard library's XML parser (iterparse: a sheet at a time,
  elements cleared as they are read; no external entities are resolved).
- **An HTML table saved as .xls** ("Web page" exports): the first `<table>`, read with the standard library's HTML
  parser, colspan and rowspan spread like merged cells.

Both become the same grid of text cells as any other file, with Excel's row numbers, hidden rows (SpreadsheetML
`ss:Hidden`) and cells merged down a column (`ss:MergeDown`, `rowspan`).
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from branchboard.ingest.model import error

_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_S = f"{{{_SS}}}"
MAX_CELLS = 5_000_000
MAX_COLUMNS = 2_000


def is_spreadsheetml(data: bytes) -> bool:
    head = data[:4096]
    return head.lstrip().startswith(b"<?xml") and (b'progid="Excel.Sheet"' in head or _SS.encode() in head)


def is_html(data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    return head.startswith((b"<html", b"<!doctype html")) or b"<table" in head


class LegacyError(Exception):
    def __init__(self, issue) -> None:
        super().__init__(issue.code)
        self.issue = issue


class _Cells:
    """Rows of text cells being collected, with merges spread down and across."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.pending: dict[tuple[int, int], str] = {}  # (row, column) filled by a merge from above
        self.merged_down: list[tuple[int, int, int]] = []
        self.hidden: list[int] = []
        self.count = 0

    def put(self, row: int, column: int, text: str, across: int = 0, down: int = 0) -> None:
        if column >= MAX_COLUMNS:
            raise LegacyError(error("too_many_columns", count=f"{column + 1:,}", limit=f"{MAX_COLUMNS:,}"))
        while len(self.rows) <= row:
            self.rows.append([])
        line = self.rows[row]
        while len(line) <= column + across:
            line.append("")
        line[column] = text
        self.count += 1 + across
        if self.count > MAX_CELLS:
            raise LegacyError(error("excel_too_large", size="—", limit="—"))
        if down:
            self.merged_down.append((row + 1, row + 1 + down, column))
        for r in range(row + 1, row + 1 + min(down, 10_000)):
            for c in range(column, column + across + 1):
                self.pending[(r, c)] = ""  # taken: the next cell of that row moves past it

    def grid_frame(self) -> pd.DataFrame:
        width = max((len(r) for r in self.rows), default=0)
        return pd.DataFrame([r + [""] * (width - len(r)) for r in self.rows], dtype=object)


def read_spreadsheetml(data: bytes, sheet: str | None) -> tuple[list[str], dict]:
    """(sheet names, the chosen sheet's cells and marks) of an Excel 2003 XML workbook."""
    names: list[str] = []
    found: dict | None = None
    cells: _Cells | None = None
    row = -1
    column = 0
    in_cell = False
    text: list[str] = []
    try:
        for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_S}Worksheet":
                    name = element.get(f"{_S}Name", f"Sheet{len(names) + 1}")
                    names.append(name)
                    cells = _Cells() if found is None and (sheet is None or sheet == name) else None
                    row = -1
                elif tag == f"{_S}Row" and cells is not None:
                    index = element.get(f"{_S}Index")
                    row = int(index) - 1 if index else row + 1
                    column = 0
                    if element.get(f"{_S}Hidden") == "1":
                        cells.hidden.append(row + 1)
                elif tag == f"{_S}Cell" and cells is not None:
                    index = element.get(f"{_S}Index")
                    column = int(index) - 1 if index else column
                    while (row, column) in cells.pending:
                        column += 1
                    in_cell, text = True, []
                continue
            if tag == f"{_S}Data" and in_cell:
                text.append("".join(element.itertext()))
            elif tag == f"{_S}Cell" and cells is not None:
                across = int(element.get(f"{_S}MergeAcross", "0"))
                down = int(element.get(f"{_S}MergeDown", "0"))
                cells.put(row, column, "".join(text).strip(), across, down)
                column += 1 + across
                in_cell = False
                element.clear()
            elif tag == f"{_S}Row":
                element.clear()
            elif tag == f"{_S}Worksheet":
                if cells is not None:
                    found = {"cells": cells, "name": names[-1]}
                cells = None
                element.clear()
    except ElementTree.ParseError as exc:
        raise LegacyError(error("corrupt_excel", detail=f"Excel 2003 XML: {exc}")) from None
    if sheet is not None and sheet not in names:
        raise LegacyError(error("unknown_sheet", value=sheet, sheets="、".join(names)))
    return names, found or {"cells": _Cells(), "name": names[0] if names else None}


class _TableParser(HTMLParser):
    """The first <table>: its rows and cells as text, colspan and rowspan spread."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells = _Cells()
        self.depth = 0  # nesting of tables; only the first top-level one is read
        self.done = False
        self.row = -1
        self.column = 0
        self.span = (0, 0)
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "table":
            self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self.row += 1
            self.column = 0
        elif self.depth == 1 and tag in ("td", "th"):
            values = dict(attrs)
            while (self.row, self.column) in self.cells.pending:
                self.column += 1
            self.span = (_int(values.get("colspan"), 1) - 1, _int(values.get("rowspan"), 1) - 1)
            self.text = []
        elif self.depth == 1 and tag == "br" and self.text is not None:
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag == "table":
            self.depth -= 1
            self.done = self.depth == 0
        elif self.depth == 1 and tag in ("td", "th") and self.text is not None:
            across, down = self.span
            self.cells.put(max(self.row, 0), self.column, re.sub(r"\s+", " ", "".join(self.text)).strip(), across, down)
            self.column += 1 + across
            self.text = None

    def handle_data(self, data: str) -> None:
        if self.text is not None and self.depth == 1:
            self.text.append(data)


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, min(int(value or default), 10_000))
    except ValueError:
        return default


def read_html_table(data: bytes) -> dict:
    """The cells and marks of the first table of an HTML page."""
    text = _decode_html(data)
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    return {"cells": parser.cells, "name": None}


def _decode_html(data: bytes) -> str:
    declared = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:4096])
    encodings = [declared.group(1).decode("ascii")] if declared else []
    for encoding in [*encodings, "utf-8", "gb18030"]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", "replace")


def grid_parts(found: dict) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, int, int]], list[int]]:
    """(cells, Excel row numbers, merged-down ranges, hidden rows) of a legacy sheet."""
    cells: _Cells = found["cells"]
    frame = cells.grid_frame()
    return frame, np.arange(1, len(frame) + 1), cells.merged_down, cells.hidden
