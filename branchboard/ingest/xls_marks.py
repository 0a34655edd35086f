"""What calamine does not tell about an .xls sheet (Excel 97–2003, BIFF8), read from the workbook stream before
calamine runs: the extent of the cells holding values (a cell at IV65536 makes calamine build 16 million cells),
the rows hidden in the sheet, and whether the workbook is encrypted (a FILEPASS record).

The OLE container is opened with olefile; the BIFF records are walked once, four bytes of header each.
"""

from __future__ import annotations

import io
import struct

from branchboard.ingest.extent import Extent

_BOF, _EOF, _BOUNDSHEET, _FILEPASS, _ROW, _CONTINUE = 0x0809, 0x000A, 0x0085, 0x002F, 0x0208, 0x003C
# Cell records holding a value, each starting with (row, column): NUMBER, RK, LABELSST, LABEL, BOOLERR, FORMULA, RSTRING.
_VALUE_CELLS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6}
_MULRK = 0x00BD  # several RK cells: row, first column, …, last column
_ROW_HIDDEN = 0x20  # fDyZero in the ROW record's flags


class XlsSheetMarks(Extent):
    pass


class XlsEncrypted(Exception):
    pass


def xls_marks(data: bytes) -> dict[str, XlsSheetMarks]:
    """Marks of every worksheet of an .xls, by sheet name; raises XlsEncrypted for a password-protected workbook."""
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
        if name is None:
            return {}
        stream = ole.openstream(name).read()
    sheets: list[tuple[int, str]] = []
    at = 0
    # The workbook globals: sheet names and where each sheet's records start.
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4 : at + 4 + length]
        if kind == _FILEPASS:
            raise XlsEncrypted
        if kind == _BOUNDSHEET and len(body) >= 8:
            offset, _sheet_type, count, flags = struct.unpack_from("<IxBBB", body)
            raw = body[8 : 8 + (count * 2 if flags & 1 else count)]
            sheets.append((offset, raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")))
        if kind == _EOF:
            break
        at += 4 + length
    out: dict[str, XlsSheetMarks] = {}
    for offset, sheet in sheets:
        marks = out.setdefault(sheet, XlsSheetMarks())
        at = offset
        while at + 4 <= len(stream):
            kind, length = struct.unpack_from("<HH", stream, at)
            body = stream[at + 4 : at + 4 + length]
            at += 4 + length
            if kind == _EOF:
                break
            if kind in _VALUE_CELLS and len(body) >= 4:
                row, column = struct.unpack_from("<HH", body)
                marks.cell(row + 1, column + 1)
            elif kind == _MULRK and len(body) >= 6:
                row, first = struct.unpack_from("<HH", body)
                (last,) = struct.unpack_from("<H", body, len(body) - 2)
                if last >= first:
                    marks.cell(row + 1, first + 1, last - first + 1)
            elif kind == _ROW and len(body) >= 14:
                row = struct.unpack_from("<H", body)[0]
                flags = struct.unpack_from("<H", body, 12)[0]
                if flags & _ROW_HIDDEN:
                    marks.hidden_rows.append(row + 1)
    # A hidden row counts only where it holds values (Excel marks formatted empty rows too).
    for marks in out.values():
        marks.hidden_rows = [r for r in marks.hidden_rows if marks.first_row <= r <= marks.last_row]
    return out
