"""Stage 1, read: bytes of an uploaded file → a grid of text cells with the Excel row number of each row.

The file type is decided by its content, not its name: a ZIP is an .xlsx/.xlsm, an OLE2 container an .xls,
anything that decodes as text a CSV (many systems export a tab-separated ".xls"). Excel goes through fastexcel
(calamine, Rust) as strings, so "001" stays "001" and a date cell arrives as its Excel serial number, which the
value stage understands. CSV goes through pandas' C parser with every cell as text.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from branchboard.ingest import legacy, workbook
from branchboard.ingest.model import Issue, error

ZIP_MAGIC = workbook.ZIP_MAGIC
OLE_MAGIC = workbook.OLE_MAGIC
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb")
DELIMITERS = (",", "\t", ";", "|")
SAMPLE_LINES = 60
SAMPLE_BYTES = 200_000
_BLANK = re.compile(rb"[ \t\r\n\x00]*")


@dataclass
class Grid:
    """Cells as text ("" when empty), columns numbered 0..n-1; `rows` holds each row's Excel row number."""

    cells: pd.DataFrame
    rows: np.ndarray
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    # Cells merged down a column (Excel): (first Excel row, last Excel row, grid column). A roster often merges
    # 所属单位 over its branches; the value sits in the first cell only.
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)  # Excel rows hidden in the sheet (by hand or by a filter)


class ReadError(Exception):
    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.code)
        self.issue = issue


def sheet_names(data: bytes) -> list[str]:
    """Sheet names of a workbook, visible ones first ([] for a text file). Read in the bounded reader process."""
    if not is_workbook(data) or legacy.is_html(data):
        return []
    try:
        return workbook.list_sheets(data)
    except workbook.WorkbookError as exc:
        raise ReadError(exc.issue) from None


def is_workbook(data: bytes) -> bool:
    """A file for the workbook reader process: Excel, OpenDocument, or a legacy export (Excel 2003 XML, HTML)."""
    return data.startswith((ZIP_MAGIC, OLE_MAGIC)) or legacy.legacy_kind(data) is not None


def read_grid(file_name: str, data: bytes, sheet: str | None = None) -> Grid:
    """The file as a grid of text; raises ReadError with a user-facing issue when it cannot be read."""
    if not data or _BLANK.fullmatch(data):  # a regex, not data.strip(): no copy of a large file
        raise ReadError(error("empty_file"))
    if is_workbook(data):
        return _read_excel(data, sheet)
    lower = file_name.lower()
    if data[:5].lower() == b"<?xml":
        raise ReadError(error("xml_file"))
    _refuse_nul_bytes(data)
    if len(data) > MAX_LINE and data.find(b"\n", 0, MAX_LINE) < 0:
        raise ReadError(error("line_too_long", row=1, limit="128 KB"))
    fast = _read_utf8_arrow(data)
    if fast is not None:
        return fast
    _refuse_mixed_encodings(data)
    decoded = _decode(data)
    if decoded is None:
        if lower.endswith(EXCEL_SUFFIXES):
            raise ReadError(error("not_excel", suffix=lower.rsplit(".", 1)[-1]))
        raise ReadError(error("unknown_format"))
    text, encoding = decoded
    # UTF-8 files go on as they are (without the BOM); others are encoded once to UTF-8 for the parsers.
    utf8 = (data[3:] if data.startswith(b"\xef\xbb\xbf") else data) if encoding == "utf-8-sig" else text.encode("utf-8")
    # A UTF-8 file here is an irregular one Arrow has already refused: straight to pandas, not Arrow again.
    return _read_csv(text, utf8=utf8, try_arrow=encoding != "utf-8-sig")


def _is_utf16(data: bytes) -> bool:
    return data.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in data[:4096] and _utf16_without_bom(data[:4096]) is not None)


def _line_of(data: bytes, at: int) -> int:
    """The line (1-based, as a spreadsheet numbers the rows of a CSV) holding byte `at`."""
    return data.count(b"\n", 0, at) + 1


def _refuse_nul_bytes(data: bytes) -> None:
    """A NUL byte has no place in a text file (outside UTF-16, where every ASCII character carries one). One in the
    first 4 KB makes the file binary (unknown_format, later); one further on is named by its row."""
    if _is_utf16(data) or b"\x00" in data[:4096]:
        return
    at = data.find(b"\x00")
    if at >= 0:
        raise ReadError(error("nul_bytes", row=_line_of(data, at)))


# Two CJK characters in UTF-8 (three bytes each, lead byte E4–E9): what a UTF-8 line of Chinese text holds. Written
# for RE2 over bytes (Arrow's regex kernels read a binary value byte by byte, as Latin-1).
_UTF8_CJK = r"[\xe4-\xe9][\x80-\xbf]{2}[\xe4-\xe9][\x80-\xbf]{2}"


def _find_utf8_cjk(data: bytes, start: int, end: int | None = None) -> int:
    """Where the first two UTF-8 CJK characters in data[start:end] begin, or -1. By Arrow's RE2, over a view of the
    bytes: linear in the file, a third of the time of Python's regex engine on a 90 MB GBK file (0.18 s, not 0.56),
    which tries the pattern at every byte."""
    import pyarrow as pa
    import pyarrow.compute as pc

    end = len(data) if end is None else end
    if end - start < 6:
        return -1
    offsets = pa.py_buffer(np.array([start, end], dtype=np.int64).tobytes())
    view = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    found = pc.find_substring_regex(view, pattern=_UTF8_CJK)[0].as_py()
    return -1 if found < 0 else start + found


def _refuse_mixed_encodings(data: bytes) -> None:
    """A file whose rows were saved in two encodings (UTF-8 rows appended to a GBK file, or the other way round)
    is refused with the first row of the second encoding, instead of being stored as mojibake."""
    if _is_utf16(data):
        return
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        data[start:].decode("utf-8")
        return  # all UTF-8
    except UnicodeDecodeError as exc:
        bad = start + exc.start
    bad_line = data.rfind(b"\n", 0, bad) + 1
    if start:
        # A UTF-8 byte-order mark, then bytes that are not UTF-8: saved by something that marked the file wrongly.
        raise ReadError(error("bom_mismatch", row=_line_of(data, bad)))
    if _find_utf8_cjk(data, start, bad_line) >= 0:
        # Whole lines of Chinese text before it decoded as UTF-8: it began as UTF-8, and stops being UTF-8 here. (A
        # GBK file can pass for UTF-8 for a character or two, never for a line of Chinese.)
        raise ReadError(error("mixed_encoding", row=_line_of(data, bad), first="UTF-8", then="GBK"))
    # It began in another encoding (GBK): a later line that is whole, valid UTF-8 Chinese text was saved as UTF-8.
    at = bad
    while (found := _find_utf8_cjk(data, at)) >= 0:
        line_start = data.rfind(b"\n", 0, found) + 1
        line_end = data.find(b"\n", found + 6)
        line_end = len(data) if line_end < 0 else line_end
        try:
            data[line_start:line_end].decode("utf-8")
        except UnicodeDecodeError:
            at = line_end
            continue
        raise ReadError(error("mixed_encoding", row=_line_of(data, line_start), first="GBK", then="UTF-8"))


def _read_utf8_arrow(data: bytes) -> Grid | None:
    """A UTF-8 file (the usual case for a large export) read by Arrow straight from its bytes.

    Only the first lines are decoded here, to sniff the delimiter and width: Arrow checks the UTF-8 of every
    cell itself, so decoding the whole file first would only repeat that. None when the file is not UTF-8 or
    is irregular; read_grid then decodes it in full and takes the general path.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        return None
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    head = data[start : start + SAMPLE_BYTES]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not a character cut at the sample's end: not UTF-8
            return None
        text = head[: exc.start].decode("utf-8")
    if not _looks_like_text(text):
        return None
    delim, width = _sniff_shape(text)
    if not width:
        return None
    # A view past the BOM, not a copy of a file of tens of megabytes.
    return _read_csv_arrow(memoryview(data)[start:], delim, width, quoted=data.find(b'"', start) >= 0)


# -- text files ------------------------------------------------------------------------------------
def decode_text(data: bytes) -> str | None:
    """UTF-16 (by BOM), UTF-8 (with or without BOM), else GB18030 (a superset of GBK); None for binary data."""
    decoded = _decode(data)
    return None if decoded is None else decoded[0]


def _decode(data: bytes) -> tuple[str, str] | None:
    """(text, the encoding it was in), or None for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:4096]:
        # Text files never contain NUL bytes, except UTF-16 saved without its BOM (some systems' "Unicode text").
        encoding = _utf16_without_bom(data[:4096])
        if encoding is None:
            return None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            return None
        return (text, encoding) if _looks_like_text(text) else None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """utf-16-le/-be when the NULs fall on one side of the byte pairs, as the high bytes of ASCII characters
    (digits, delimiters, line ends) do in UTF-16; None otherwise (binary data has NULs on both sides)."""
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    odd, even = sample[1 : 2 * pairs : 2].count(0), sample[0 : 2 * pairs : 2].count(0)
    # A CJK character's low byte can be 0 too (一 is U+4E00), so the other side need only have far fewer.
    if odd >= pairs * 0.15 and even * 4 <= odd:
        return "utf-16-le"
    if even >= pairs * 0.15 and odd * 4 <= even:
        return "utf-16-be"
    return None


def _looks_like_text(text: str) -> bool:
    """Random bytes can decode as GB18030; real text has few control characters."""
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls <= len(sample) * 0.01


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the sample into the most fields (Excel writes , ; tab or |)."""
    best, best_score = ",", -1
    for delim in DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delim)] if lines else []
        score = sum(w - 1 for w in widths)
        if score > best_score:
            best, best_score = delim, score
    return best


MAX_LINE = 128 * 1024  # characters in one line of the sample: a table's row is never that long
MAX_COLUMNS = 2_000


def _sniff_shape(text: str) -> tuple[str, int]:
    """(delimiter, widest row) of the file's first lines."""
    sample = text[:SAMPLE_BYTES].splitlines()[:SAMPLE_LINES]
    for i, line in enumerate(sample):
        if len(line) > MAX_LINE:
            raise ReadError(error("line_too_long", row=i + 1, limit="128 KB"))
    try:
        delim = sniff_delimiter(sample)
        width = max((len(r) for r in csv.reader(sample, delimiter=delim)), default=0)
    except csv.Error as exc:
        raise ReadError(error("csv_parse", detail=_short(exc))) from exc
    if width > MAX_COLUMNS:
        raise ReadError(error("too_many_columns", count=f"{width:,}", limit=f"{MAX_COLUMNS:,}"))
    return delim, width


def _read_csv(text: str, utf8: bytes | None = None, *, try_arrow: bool = True) -> Grid:
    delim, width = _sniff_shape(text)
    if width == 0:
        raise ReadError(error("empty_file"))
    utf8 = text.encode("utf-8") if utf8 is None else utf8
    fast = _read_csv_arrow(utf8, delim, width, quoted=b'"' in utf8) if try_arrow else None
    if fast is not None:
        return fast
    try:
        cells = pd.read_csv(
            # Bytes, not StringIO: pandas reads a StringIO in small re-encoded chunks, ten times slower.
            io.BytesIO(utf8),
            encoding="utf-8",
            sep=delim,
            header=None,
            names=list(range(width)),
            dtype=object,  # plain Python strings: no Arrow round trips in the column-wise steps that follow
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,  # keeps the row numbers equal to Excel's
            engine="c",
            index_col=False,
        )
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:  # a row longer than the header region: say which, in the user's terms
            raise ReadError(error("csv_fields", row=int(m.group(2)), expected=int(m.group(1)), saw=int(m.group(3)))) from exc
        raise ReadError(error("csv_parse", detail=_short(exc))) from exc
    except pd.errors.EmptyDataError as exc:
        raise ReadError(error("empty_file")) from exc
    cells = cells.fillna("")
    return Grid(cells=cells, rows=np.arange(1, len(cells) + 1))


def _read_csv_arrow(utf8: bytes | memoryview, delim: str, width: int, *, quoted: bool) -> Grid | None:
    """A regular file (every row as wide as the sample's widest) through Arrow's multi-threaded reader.

    Cells come back as categorical text columns: a million rows carry few distinct values per column, and
    every later step works on those (values.distinct_codes). Anything irregular — a short title row, a blank
    line between rows, a row longer than the header — returns None, and pandas' reader, which pads short rows
    and names the offending line of a long one, reads the file instead.
    """
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    names = [str(i) for i in range(width)]
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(utf8)),  # zero-copy over the uploaded bytes
            read_options=pa_csv.ReadOptions(column_names=names, block_size=1 << 24),
            # A line break inside a cell needs quotes; without any quote in the file every line is a row, and
            # Arrow can split the file between its threads without scanning for quoted line breaks first.
            parse_options=pa_csv.ParseOptions(delimiter=delim, newlines_in_values=quoted, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                # Dictionary-encoded while parsing: the categorical columns come out without hashing every cell again.
                column_types=dict.fromkeys(names, pa.dictionary(pa.int32(), pa.string())),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    cells = _categorical_frame(table)
    cells.columns = list(range(width))
    return Grid(cells=cells, rows=np.arange(1, len(cells) + 1))


# A column at least this long whose cells are nearly all distinct (a 序号, a row id) is kept as Arrow text.
NEARLY_DISTINCT_ROWS = 10_000


def _categorical_frame(table) -> pd.DataFrame:
    """Dictionary-encoded Arrow columns as pandas categoricals with plain-object categories.

    Built from the unified dictionaries directly: about half of what `to_pandas` takes, and the categories come
    as Python strings, which the per-distinct-value steps want (pandas 3 would make them Arrow strings, to be
    converted back on every look). A nearly distinct column is the exception: its categories would be the column
    itself, and unifying a million of them and making them Python strings took 0.35 s for a 序号 column that is
    then only looked at for 合计 and note rows (header._drop_skipped, on Arrow's kernels). It stays Arrow text; a
    stage that maps it factorizes it like any other non-categorical column (values.distinct_codes).
    """
    import pyarrow as pa

    from branchboard.ingest.values import distinct_categories

    distinct = [name for name in table.column_names if _nearly_distinct(table.column(name))]
    coded = table.drop_columns(distinct).unify_dictionaries()
    columns: dict[str, Any] = {}
    for name in table.column_names:
        if name in distinct:
            columns[name] = pd.arrays.ArrowExtensionArray(table.column(name).cast(pa.string()))
            continue
        chunks = coded.column(name).chunks
        if chunks:
            codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks])
            categories = chunks[0].dictionary.to_numpy(zero_copy_only=False)
        else:
            codes, categories = np.zeros(0, np.int32), np.array([], dtype=object)
        columns[name] = pd.Categorical.from_codes(codes, dtype=distinct_categories(categories), validate=False)
    return pd.DataFrame(columns, copy=False)


def _nearly_distinct(column) -> bool:
    """A column of at least NEARLY_DISTINCT_ROWS cells, nine in ten of them distinct within each block the reader
    encoded (a block's dictionary holds its own values only), and blocks that do not share their values: the
    second block's values looked up among the first's (~10 ms), so member codes cycling through a file with a
    few hundred thousand rows a block apart are not taken for row numbers."""
    import pyarrow.compute as pc

    rows, chunks = len(column), column.chunks
    if rows < NEARLY_DISTINCT_ROWS or sum(len(c.dictionary) for c in chunks) < 0.9 * rows:
        return False
    if len(chunks) < 2:
        return True
    shared = pc.sum(pc.is_in(chunks[1].dictionary, value_set=chunks[0].dictionary)).as_py() or 0
    return shared <= 0.1 * len(chunks[1].dictionary)


# -- Excel ----------------------------------------------------------------------------------------
def read_sheets(data: bytes, sheets: list[str] | None = None) -> tuple[list[str], dict[str, Grid | Issue]]:
    """Several sheets of a workbook in one read (all when `sheets` is None): (every sheet name, visible first;
    each sheet asked for as a grid, or the issue that kept it from being read). Raises ReadError for a problem
    with the workbook as a whole."""
    try:
        book = workbook.load_sheets(data, sheets)
    except workbook.WorkbookError as exc:
        raise ReadError(exc.issue) from None
    return book.sheets, {name: read if isinstance(read, Issue) else _grid(read) for name, read in book.loaded.items()}


def _read_excel(data: bytes, sheet: str | None) -> Grid:
    """A sheet read by calamine in the bounded reader process (workbook.py), as categorical text columns."""
    try:
        read = workbook.load_sheet(data, sheet)
    except workbook.WorkbookError as exc:
        raise ReadError(exc.issue) from None
    return _grid(read)


def _grid(read: workbook.SheetData) -> Grid:
    import pyarrow as pa

    table = pa.ipc.open_stream(read.table).read_all()
    cells = _categorical_frame(table) if table.num_columns else pd.DataFrame()
    cells.columns = list(range(cells.shape[1]))
    return Grid(
        cells=cells,
        rows=np.arange(read.first_row, read.first_row + len(cells)),
        sheets=read.sheets,
        sheet=read.sheet,
        merged_down=read.merged_down,
        hidden_rows=read.hidden_rows,
    )


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]
