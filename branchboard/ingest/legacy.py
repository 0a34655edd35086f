"""Legacy exports that old government systems still produce under an .xls name:

- **Excel 2003 XML (SpreadsheetML)**: `<?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-
  microsoft-com:office:spreadsheet">`, read with the standard library's XML parser (iterparse: a sheet at a time,
  elements cleared as they are read; no external entities are resolved).
- **An HTML table saved as .xls** ("Web page" exports): the first `<table>`, read with the standard library's HTML
  parser, colspan and rowspan spread like merged cells.

Both become the same grid of text cells as any other file, with Excel's row numbers, hidden rows (SpreadsheetML
`ss:Hidden`) and cells merged down a column (`ss:MergeDown`, `rowspan`). They are parsed in the workbook reader
process (workbook.py), with its memory and time limits; every span and skipped row counts against MAX_CELLS before
anything is filled, and a parser's own failure on a malformed file becomes a product message.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

from branchboard.ingest.model import error

_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_S = f"{{{_SS}}}"
MAX_CELLS = 2_000_000  # cells of a sheet, spans and skipped rows counted
MAX_COLUMNS = 2_000
MAX_ROWS = 1_048_576
MAX_BYTES = 50 << 20


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
        """A cell at 0-based (row, column), merged `across` columns to its right and `down` rows below. Everything it
        covers counts against the limits before anything is filled, so a cell spanning 10,000 × 10,000 is refused,
        not spread."""
        if row < 0 or column < 0 or across < 0 or down < 0:
            raise LegacyError(error("legacy_malformed", detail="negative index"))
        if row >= MAX_ROWS:
            raise LegacyError(error("legacy_extent", cells=f"row {row + 1:,}"))
        if column + across >= MAX_COLUMNS:
            raise LegacyError(error("too_many_columns", count=f"{column + across + 1:,}", limit=f"{MAX_COLUMNS:,}"))
        self.count += (1 + across) * (1 + down) + max(0, row - len(self.rows))
        if self.count > MAX_CELLS:
            raise LegacyError(error("legacy_extent", cells=f"{self.count:,}"))
        while len(self.rows) <= row:
            self.rows.append([])
        line = self.rows[row]
        while len(line) <= column + across:
            line.append("")
        line[column] = text
        if down:
            self.merged_down.append((row + 1, row + 1 + down, column))
        for r in range(row + 1, row + 1 + down):
            for c in range(column, column + across + 1):
                self.pending[(r, c)] = ""  # taken: the next cell of that row moves past it


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
                    row = _index(index) - 1 if index else row + 1
                    column = 0
                    if element.get(f"{_S}Hidden") == "1":
                        cells.hidden.append(row + 1)
                elif tag == f"{_S}Cell" and cells is not None:
                    index = element.get(f"{_S}Index")
                    column = _index(index) - 1 if index else column
                    while (row, column) in cells.pending:
                        column += 1
                    in_cell, text = True, []
                continue
            if tag == f"{_S}Data" and in_cell:
                text.append("".join(element.itertext()))
            elif tag == f"{_S}Cell" and cells is not None:
                across = _index(element.get(f"{_S}MergeAcross", "0"), allow_zero=True)
                down = _index(element.get(f"{_S}MergeDown", "0"), allow_zero=True)
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


def _index(value: str | None, allow_zero: bool = False) -> int:
    """An ss:Index / ss:Merge* attribute: a whole number within a sheet's bounds."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise LegacyError(error("legacy_malformed", detail=f"ss:Index={str(value)[:20]}")) from None
    if number < (0 if allow_zero else 1) or number > MAX_ROWS:
        raise LegacyError(error("legacy_extent", cells=f"{number:,}"))
    return number


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
    """A colspan / rowspan: at least 1 (the limits in _Cells.put refuse a span too large)."""
    try:
        return max(1, int(value or default))
    except (ValueError, OverflowError):
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
        except (UnicodeError, LookupError):  # UnicodeError too: "punycode" and such raise it, not a decode error
            continue
    return data.decode("utf-8", "replace")


def legacy_kind(data: bytes) -> str | None:
    if is_spreadsheetml(data[:4096]):
        return "spreadsheetml"
    if is_html(data):
        return "html"
    return None


def _bounded(data: bytes) -> bytes:
    if len(data) > MAX_BYTES:
        raise LegacyError(error("legacy_too_large", size=f"{len(data) >> 20:,}", limit=f"{MAX_BYTES >> 20}"))
    return data


def sheet_names(data: bytes) -> list[str]:
    """The sheets of a legacy export (an HTML page is one unnamed table: [])."""
    if legacy_kind(data) == "spreadsheetml":
        return _guard(lambda: read_spreadsheetml(_bounded(data), None)[0])
    return []


def read(data: bytes, sheet: str | None) -> dict:
    """A legacy sheet: {"cells": _Cells, "name": …}. Any parser failure is a LegacyError with a product message."""
    if legacy_kind(data) == "spreadsheetml":
        return _guard(lambda: read_spreadsheetml(_bounded(data), sheet)[1])
    # Python's HTML parser slows down quadratically on runs of "<" that open no tag; a page where they far outnumber
    # the ">" is not an export of a table, and is refused before parsing (the reader's time limit is the backstop).
    if data.count(b"<") > 2 * data.count(b">") + 1_000:
        raise LegacyError(error("legacy_malformed", detail="unbalanced < and >"))
    found = _guard(lambda: read_html_table(_bounded(data)))
    if not found["cells"].rows:
        raise LegacyError(error("html_file"))
    return found


def _guard(parse):
    try:
        return parse()
    except LegacyError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # a parser's own error on a malformed file (HTMLParser assertions, bad XML …)
        raise LegacyError(error("legacy_malformed", detail=f"{type(exc).__name__}: {str(exc)[:120]}")) from None
