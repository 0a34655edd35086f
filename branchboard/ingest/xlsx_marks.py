"""What calamine does not tell about an .xlsx sheet, read from its XML in one linear pass before calamine runs:

- its extent: the last row and the widest column holding a value, and how many values there are. calamine builds a
  dense grid from the first to the last cell that holds a value, so one cell at XFD1048576 in a 2 KB file would make
  it allocate 17 billion cells; the workbook guard (workbook.py) refuses such a sheet from these figures instead.
- its error cells (#N/A, #DIV/0!): calamine reads them as empty, so a unit's "#N/A" would be reported as blank.
- its hidden rows (by hand or by a filter): calamine reads them like any other, so rows a unit meant to leave out
  would be imported without a word.

The XML is read a few megabytes at a time and cut only after a complete cell or row, so each byte is looked at a
bounded number of times (no quadratic re-scan of a growing buffer), and every pattern has a bounded length.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

import numpy as np

from branchboard.ingest.extent import Extent

CHUNK = 4 << 20
MAX_CARRY = 16 << 20  # a cell or row longer than this (no '</c>', '/>' or '</row>' in 16 MB) is not a real sheet
_CUTS = (b"row>", b"</c>", b"/>")  # "row>" also ends </x:row> of a prefixed sheet
_HIDDEN_ROW = re.compile(rb"<row\b[^<>]{0,4096}?\bhidden=\"(?:1|true)\"[^<>]{0,4096}>")
_ERROR_CELL = re.compile(rb"<c\b([^<>]{0,1024}\bt=\"e\"[^<>]{0,1024})>")
_REF = re.compile(rb"\br=\"([A-Z]{0,3})(\d{1,7})\"")
_VALUE = re.compile(rb"<v>([^<]{0,256})</v>")
_MERGE = re.compile(rb"<mergeCell\b[^<>]{0,64}?\bref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


class SheetTooLarge(Exception):
    """The sheet's XML is not the shape of a spreadsheet (a cell of more than MAX_CARRY bytes)."""


@dataclass
class SheetMarks(Extent):
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (Excel row, Excel column 1-based) → "#N/A"
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (col1, row1, col2, row2), 1-based


def sheet_marks(data: bytes, sheet: str) -> SheetMarks:
    """Marks of one sheet of an .xlsx/.xlsm; empty marks for anything else or on failure to find the sheet."""
    marks = SheetMarks()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            part = sheet_part(book, sheet)
            if part is None:
                return marks
            with book.open(part) as xml:
                _scan(xml, marks)
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return SheetMarks()
    return marks


def sheet_part(book: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding a sheet's XML."""
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
    carry = b""
    while True:
        chunk = xml.read(CHUNK)
        buffer = carry + chunk if carry else chunk
        end = _last_cut(buffer) if chunk else len(buffer)
        whole, carry = (buffer, b"") if end == len(buffer) else (buffer[:end], buffer[end:])
        if len(carry) > MAX_CARRY:
            raise SheetTooLarge
        if whole:
            _scan_piece(whole, marks)
        if not chunk:
            return


def _last_cut(buffer: bytes) -> int:
    """Just past the last complete cell or row in the buffer (0 when there is none)."""
    return max((at + len(cut) for cut in _CUTS if (at := buffer.rfind(cut)) >= 0), default=0)


def _scan_piece(piece: bytes, marks: SheetMarks) -> None:
    """One run of whole cells and rows. Every attribute is found by its '=': one vectorised pass over the bytes
    finds them all, and the few that matter (hidden rows, error cells, merged ranges) are looked at closely."""
    # Padded with NULs on both sides, so that looking a few bytes around any '=' stays inside the array.
    a = np.frombuffer(bytes(8) + piece + bytes(16), np.uint8)
    eq = np.flatnonzero(a == 0x3D)
    if not len(eq):
        return
    _scan_cells(a, eq, marks)
    name1, name2, value1 = a[eq - 1], a[eq - 2], a[eq + 2]
    # hidden="1" / hidden="true" on a row
    if ((name1 == 0x6E) & (name2 == 0x65) & ((value1 == 0x31) | (value1 == 0x74))).any():
        for m in _HIDDEN_ROW.finditer(piece):
            ref = _REF.search(m.group(0))
            if ref:
                marks.hidden_rows.append(int(ref.group(2)))
    # t="e" on a cell
    if ((name1 == 0x74) & (value1 == 0x65) & (a[eq + 3] == 0x22)).any():
        for m in _ERROR_CELL.finditer(piece):
            if m.group(0).endswith(b"/>"):
                continue  # a value-less error cell <c t="e"/> borrows nothing from the next cell
            close = piece.find(b"</c>", m.end())
            value = _VALUE.search(piece, m.end(), close if close >= 0 else len(piece))
            ref = _REF.search(m.group(1))
            if ref and ref.group(1) and value:
                marks.errors[(int(ref.group(2)), column_number(ref.group(1)))] = value.group(1).decode("utf-8", "replace")
    # ref="A1:A5" on a mergeCell (and on the dimension, hyperlinks …: the regex keeps the mergeCells)
    if ((name1 == 0x66) & (name2 == 0x65) & (a[eq - 3] == 0x72)).any():
        for m in _MERGE.finditer(piece):
            col1, row1, col2, row2 = m.groups()
            marks.merges.append((column_number(col1), int(row1), column_number(col2), int(row2)))


def _scan_cells(a: np.ndarray, eq: np.ndarray, marks: SheetMarks) -> None:
    """The rows and columns of the cells that hold something, vectorised: a million-row sheet has eight million
    cell references, too many to match one by one in Python.

    A cell is `<c r="AB12" …>` followed by content; `<c r="AB12" s="3"/>` and `<c …></c>` are empty (formatting only)
    and, as in calamine, do not count. References are read in either case (r="xfd9" is XFD9 to calamine). A row
    `<row r="1048576">` whose cells carry no reference of their own counts by its own number.
    """
    n = len(a) - 16
    # r="A… / r='a…' / r="7…" after white space: a cell reference starts with a letter, a row's with a digit.
    before, quote, first = a[eq - 2], a[eq + 1], a[eq + 2]
    attribute = (
        (a[eq - 1] == 0x72)
        & ((before == 0x20) | (before == 0x09) | (before == 0x0A) | (before == 0x0D))
        & ((quote == 0x22) | (quote == 0x27))
    )
    upper = first & 0xDF  # a-z → A-Z
    at = eq[attribute & (upper >= 65) & (upper <= 90)] + 2
    rows_at = eq[attribute & (first >= 0x31) & (first <= 0x39)] + 2
    _cells_with_values(a, n, at, marks)
    _rows_with_values(a, n, rows_at, marks)


def _cells_with_values(a: np.ndarray, n: int, at: np.ndarray, marks: SheetMarks) -> None:
    if not len(at):
        return
    # Empty cells: the start tag ends in "/>", or "</c>" follows it at once.
    closes = np.flatnonzero(a == 0x3E)
    ends = closes[np.minimum(np.searchsorted(closes, at), len(closes) - 1)]
    nxt = np.minimum(ends + 3, n - 1)
    empty = (
        (ends <= at)
        | (a[ends - 1] == 0x2F)
        | ((a[np.minimum(ends + 1, n - 1)] == 0x3C) & (a[np.minimum(ends + 2, n - 1)] == 0x2F) & (a[nxt] == 0x63))
    )
    at = at[~empty]
    if not len(at):
        return
    column, row = _reference(a, at)
    valid = (row > 0) & (column > 0)
    if not valid.any():
        return
    row, column = row[valid], column[valid]
    marks.values += len(row)
    marks.last_row = max(marks.last_row, int(row.max()))
    marks.last_column = max(marks.last_column, int(column.max()))
    low_row, low_column = int(row.min()), int(column.min())
    marks.first_row = low_row if not marks.first_row else min(marks.first_row, low_row)
    marks.first_column = low_column if not marks.first_column else min(marks.first_column, low_column)


def _reference(a: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(column, row) of the references starting at `at`: up to three letters (either case), then up to 7 digits."""
    column = np.zeros(len(at), np.int64)
    row = np.zeros(len(at), np.int64)
    in_letters = np.ones(len(at), bool)
    in_digits = np.ones(len(at), bool)
    for k in range(10):
        ch = a[at + k].astype(np.int64)
        up = ch & 0xDF
        is_letter = in_letters & (up >= 65) & (up <= 90)
        column = np.where(is_letter, column * 26 + up - 64, column)
        in_letters &= is_letter
        is_digit = ~is_letter & in_digits & (ch >= 48) & (ch <= 57)
        row = np.where(is_digit, row * 10 + ch - 48, row)
        in_digits &= is_letter | is_digit
    return column, row


def _rows_with_values(a: np.ndarray, n: int, rows_at: np.ndarray, marks: SheetMarks) -> None:
    """Rows outside the extent the cell references gave (cells written without a reference), counted when they hold a
    value (<v>, <is>). In a sheet whose cells all carry references there are none, and this costs one parse of the
    rows' numbers."""
    if not len(rows_at):
        return
    _, numbers = _reference(a, rows_at)
    outside = (numbers > marks.last_row) | ((numbers > 0) & (numbers < (marks.first_row or numbers.max() + 1)))
    for i in np.flatnonzero(outside)[:10_000]:
        start = int(rows_at[i])
        stop = int(rows_at[i + 1]) if i + 1 < len(rows_at) else n
        body = a[start:stop].tobytes()
        if b"<v>" in body or b"<v " in body or b"<is>" in body:
            number = int(numbers[i])
            marks.last_row = max(marks.last_row, number)
            marks.first_row = number if not marks.first_row else min(marks.first_row, number)


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def column_letters(number: int) -> str:
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out
