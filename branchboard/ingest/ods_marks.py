"""What calamine does not tell about an .ods sheet (OpenDocument, LibreOffice's own format), read from content.xml in
one streaming pass before calamine runs: the extent of the cells holding values (a cell repeated across 16,384
columns would make calamine build that grid), the rows hidden in the sheet, and the cells merged down a column.

Rows and columns are counted as LibreOffice writes them: `table:number-rows-repeated` and
`table:number-columns-repeated` stand for that many identical rows or cells; a covered cell (under a merge) takes a
column like any other.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from branchboard.ingest.extent import Extent

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_T = f"{{{_TABLE}}}"
_VALUE_TYPE = f"{{{_OFFICE}}}value-type"
MAX_HIDDEN = 1_048_576


@dataclass
class OdsSheetMarks(Extent):
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)  # (first row, last row, 0-based column)


def ods_marks(book: zipfile.ZipFile) -> dict[str, OdsSheetMarks]:
    """Marks of every sheet of an .ods, by sheet name."""
    out: dict[str, OdsSheetMarks] = {}
    marks: OdsSheetMarks | None = None
    row = 0  # 1-based number of the current row (its first, when repeated)
    column = 0  # 0-based column of the next cell
    row_repeat = 1
    row_hidden = False
    row_has_value = False
    depth_in_cell = 0
    with book.open("content.xml") as xml:
        for event, element in ElementTree.iterparse(xml, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_T}table":
                    marks = out.setdefault(element.get(f"{_T}name", ""), OdsSheetMarks())
                    row = 0
                elif tag == f"{_T}table-row" and marks is not None:
                    row += 1
                    column = 0
                    row_repeat = int(element.get(f"{_T}number-rows-repeated", "1"))
                    row_hidden = element.get(f"{_T}visibility", "visible") in ("collapse", "filter")
                    row_has_value = False
                elif tag in (f"{_T}table-cell", f"{_T}covered-table-cell") and marks is not None:
                    depth_in_cell += 1
                    repeat = int(element.get(f"{_T}number-columns-repeated", "1"))
                    if tag == f"{_T}table-cell" and element.get(_VALUE_TYPE) is not None:
                        row_has_value = True
                        marks.cell(row, column + 1, count=repeat, rows=row_repeat)
                        spanned = int(element.get(f"{_T}number-rows-spanned", "1"))
                        if spanned > 1 and int(element.get(f"{_T}number-columns-spanned", "1")) == 1:
                            marks.merged_down.append((row, row + spanned - 1, column))
                    column += repeat
            else:
                if tag == f"{_T}table-row" and marks is not None:
                    if row_hidden and row_has_value and len(marks.hidden_rows) < MAX_HIDDEN:
                        marks.hidden_rows.extend(range(row, min(row + row_repeat, row + MAX_HIDDEN)))
                    row += row_repeat - 1
                    element.clear()
                elif tag in (f"{_T}table-cell", f"{_T}covered-table-cell"):
                    depth_in_cell -= 1
                elif tag == f"{_T}table":
                    marks = None
                    element.clear()
    return out
