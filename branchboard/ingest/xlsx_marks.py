"""What calamine does not tell about an .xlsx sheet: its error cells (#N/A, #DIV/0!) and its hidden rows.

calamine reads an error cell as empty, so a unit's "#N/A" would be reported as a blank cell; and it reads hidden
rows (hidden by hand or by a filter) like any other, so rows a unit meant to leave out would be imported without
a word. Both are in the sheet's XML: cells with t="e" and rows with hidden="1". The XML is scanned as bytes, a
few megabytes at a time, whole rows at once, so a large sheet never has to fit in memory as text.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

CHUNK = 4 << 20
_ROW_END = b"</row>"
_HIDDEN_ROW = re.compile(rb"<row\b[^>]*\bhidden=\"(?:1|true)\"[^>]*>")
_ERROR_CELL = re.compile(rb"<c\b([^>]*\bt=\"e\"[^>]*)(?<!/)>(.*?)</c>", re.S)  # not a self-closing <c .../>
_REF = re.compile(rb"\br=\"([A-Z]+)?(\d+)\"")
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


@dataclass
class SheetMarks:
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (Excel row, Excel column 1-based) → "#N/A"
    hidden_rows: list[int] = field(default_factory=list)  # Excel row numbers


def sheet_marks(data: bytes, sheet: str) -> SheetMarks:
    """Error cells and hidden rows of one sheet of an .xlsx/.xlsm; empty marks for anything else or on failure."""
    marks = SheetMarks()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            part = _sheet_part(book, sheet)
            if part is None:
                return marks
            with book.open(part) as xml:
                _scan(xml, marks)
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return SheetMarks()
    return marks


def _sheet_part(book: zipfile.ZipFile, sheet: str) -> str | None:
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rel_id = next(
        (s.get(f"{{{_NS['r']}}}id") for s in workbook.iterfind("m:sheets/m:sheet", _NS) if s.get("name") == sheet), None
    )
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels.iterfind("rel:Relationship", _NS) if r.get("Id") == rel_id), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _scan(xml, marks: SheetMarks) -> None:
    tail = b""
    while True:
        chunk = xml.read(CHUNK)
        buffer = tail + chunk
        end = len(buffer) if not chunk else buffer.rfind(_ROW_END) + len(_ROW_END)
        if end < len(_ROW_END):  # no complete row yet
            tail = buffer
            continue
        whole, tail = buffer[:end], buffer[end:]
        if b'hidden="' in whole:
            for m in _HIDDEN_ROW.finditer(whole):
                ref = _REF.search(m.group(0))
                if ref:
                    marks.hidden_rows.append(int(ref.group(2)))
        if b't="e"' in whole:
            for m in _ERROR_CELL.finditer(whole):
                ref, value = _REF.search(m.group(1)), _VALUE.search(m.group(2))
                if ref and ref.group(1) and value:
                    marks.errors[(int(ref.group(2)), _column_number(ref.group(1)))] = value.group(1).decode("utf-8", "replace")
        if not chunk:
            return


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n
