"""Excel workbooks (.xlsx/.xlsm/.xls, and .ods) are read in a separate, bounded process.

A workbook is a program's data structure handed to a Rust reader: a 2 KB .xlsx with one cell at XFD1048576 makes
calamine allocate 512 GB and abort, and a 3 MB .xlsx can inflate to 3 GB of whitespace. So, before calamine sees a
file, the container is bounded (entries, uncompressed sizes, compression ratio, encryption) and the sheet's extent
is read from its XML (xlsx_marks) and capped; and the whole read — checks, calamine, the conversion to Arrow — runs
in a separate reader process with a memory limit and a time limit. A reader crash, a memory blow-up or a time-out fails that
one upload with a clear message; the server process and every other session carry on.

The reader is a fresh `python -m branchboard.ingest.reader_process` that has already imported the readers when a file
arrives (one is kept on standby), so a read costs no Python start-up; a fresh process, not a fork of the server,
so nothing of the server's threads or locks comes along. The file goes in through a pipe; the sheet comes back as an Arrow IPC stream of dictionary-encoded text
columns (few distinct values per column), which the parent turns into categoricals without copying every cell.
"""

from __future__ import annotations

import atexit
import io
import logging
import os
import pickle
import struct
import subprocess
import sys
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from branchboard.ingest import legacy, xlsx_marks
from branchboard.ingest.extent import Extent
from branchboard.ingest.model import Issue, error

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


@dataclass(frozen=True)
class Limits:
    """Bounds for one workbook. Real committee workbooks sit far inside them: a million-row, eight-column volunteer
    export is 8 million cells and about 300 MB of XML at a compression ratio near 10."""

    max_entries: int = 5_000  # files inside the zip
    max_uncompressed: int = 1 << 30  # all of them, inflated
    max_ratio: float = 100.0  # inflated / compressed, for an entry above ratio_floor bytes inflated
    ratio_floor: int = 4 << 20
    max_cells: int = int(os.environ.get("BRANCHBOARD_READ_MAX_CELLS", "12000000"))  # the grid calamine builds
    max_sparse: int = int(os.environ.get("BRANCHBOARD_READ_MAX_SPARSE", "40"))  # grid cells per cell with a value
    timeout: float = float(os.environ.get("BRANCHBOARD_READ_TIMEOUT", "120"))  # seconds for one read
    # Address space for one file, above what the reader process has mapped before it (Python, Arrow, calamine):
    # one upload stays under about 1 GB. A workbook of some 500,000 rows × 8 columns fits; larger ones are refused
    # with the advice to send CSV, which is read in the server process at a fraction of the memory.
    memory: int = int(os.environ.get("BRANCHBOARD_READ_MEMORY_MB", "1024")) << 20


LIMITS = Limits()


@dataclass
class SheetData:
    """One sheet as text cells, and what calamine knows about it beyond the values."""

    sheets: list[str]  # visible sheets first
    sheet: str | None  # None for an HTML table: it has no sheet name
    table: bytes  # Arrow IPC stream: columns "0".."n-1", dictionary-encoded strings, "" for an empty cell
    first_row: int  # Excel row number of the table's first row
    first_column: int  # 0-based column of the table's first column
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)  # (first row, last row, table column)
    hidden_rows: list[int] = field(default_factory=list)


class WorkbookError(Exception):
    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.code)
        self.issue = issue


# -- the parent's side ---------------------------------------------------------------------------------------------
def list_sheets(data: bytes, limits: Limits | None = None) -> list[str]:
    """Sheet names, visible sheets first. Raises WorkbookError with the user-facing issue."""
    return _guarded("sheets", data, None, limits or LIMITS)


def load_sheet(data: bytes, sheet: str | None, limits: Limits | None = None) -> SheetData:
    """One sheet (the first visible one when `sheet` is None). Raises WorkbookError with the user-facing issue."""
    book = load_sheets(data, None if sheet is None else [sheet], limits, first_only=sheet is None)
    found = next(iter(book.loaded.values()))
    if isinstance(found, Issue):
        raise WorkbookError(found)
    return found


@dataclass
class WorkbookData:
    """Sheets of one workbook read in one go: every sheet's name (visible first), and each sheet asked for as its
    data or as the issue that kept it from being read (a sheet reaching out to XFD1048576 …)."""

    sheets: list[str]
    loaded: dict[str, SheetData | Issue]


def load_sheets(data: bytes, sheets: list[str] | None, limits: Limits | None = None, *, first_only: bool = False) -> WorkbookData:
    """The sheets named (every sheet when None; the first visible one with `first_only`), in one reader process.
    Raises WorkbookError for a problem with the workbook as a whole."""
    return _guarded("sheets_data", data, (sheets, first_only), limits or LIMITS)


# A reader process is started ahead of need (a "standby"), so a read does not wait for Python and the readers to
# load: each read takes the standby and starts the next one.
_standby_lock = threading.Lock()
_standby: subprocess.Popen | None = None
_ROOT = Path(__file__).resolve().parents[2]


def _start_reader() -> subprocess.Popen:
    path = os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))
    # A reader that aborts (calamine out of memory) leaves one line in the server's log, not a Rust backtrace; Arrow
    # allocates with malloc, since its own allocators reserve gigabytes of address space up front, which the
    # reader's address-space limit would refuse.
    env = {**os.environ, "PYTHONPATH": path, "RUST_BACKTRACE": "0", "ARROW_DEFAULT_MEMORY_POOL": "system"}
    return subprocess.Popen(
        [sys.executable, "-m", "branchboard.ingest.reader_process"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        cwd=_ROOT,
    )


def _take_reader() -> subprocess.Popen:
    global _standby
    with _standby_lock:
        reader, _standby = _standby, None
        if reader is None or reader.poll() is not None:
            reader = _start_reader()
        _standby = _start_reader()
    return reader


def warm_up() -> None:
    """Start a reader ahead of the first upload (the import page calls this as it opens)."""
    global _standby
    with _standby_lock:
        if _standby is None or _standby.poll() is not None:
            _standby = _start_reader()


@atexit.register
def _stop_standby() -> None:
    with _standby_lock:
        if _standby is not None and _standby.poll() is None:
            _standby.kill()
            _standby.wait(5)


def _guarded(task: str, data: bytes, sheet: Any, limits: Limits) -> Any:
    reader = _take_reader()
    header = pickle.dumps((task, sheet, limits, len(data)))
    try:
        out, _ = reader.communicate(struct.pack("<Q", len(header)) + header + data, timeout=limits.timeout)
    except subprocess.TimeoutExpired:
        reader.kill()
        reader.communicate()
        raise WorkbookError(error("excel_timeout", seconds=int(limits.timeout))) from None
    if reader.returncode != 0 or not out:
        logging.getLogger(__name__).warning("workbook reader ended with exit code %s", reader.returncode)
        raise WorkbookError(error("excel_crashed"))
    status, payload = pickle.loads(out)  # our own reader's answer, never the file's bytes
    if status == "error":
        raise WorkbookError(payload)
    return payload


# -- the reader process --------------------------------------------------------------------------------------------
def reader_main() -> None:
    """One read: the request on standard input, the answer (pickled) on standard output; then exit."""
    import resource

    import fastexcel  # noqa: F401 - loaded before the request arrives (the standby's point)
    import pyarrow.compute  # noqa: F401
    import python_calamine  # noqa: F401

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    head = stdin.read(8)
    if len(head) < 8:
        return  # a standby the parent never used
    task, sheet, limits, size = pickle.loads(stdin.read(struct.unpack("<Q", head)[0]))
    _limit_memory(limits.memory + size, resource)
    data = stdin.read(size)
    result: tuple[str, list[str] | WorkbookData | Issue]
    try:
        if task == "sheets":
            result = ("ok", _list_sheets(data, limits))
        else:
            wanted, first_only = sheet  # as read_sheets sends it
            result = ("ok", _load_sheets(data, wanted, first_only, limits))
    except WorkbookError as exc:
        result = ("error", exc.issue)
    except legacy.LegacyError as exc:
        result = ("error", exc.issue)
    except MemoryError:
        result = ("error", error("excel_too_large_memory"))
    except Exception as exc:  # calamine's errors: truncated zip, not a workbook, password …
        result = ("error", _reader_issue(exc))
    stdout.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    stdout.flush()


def _limit_memory(budget: int, resource) -> None:
    """Address space: what the reader has now (Python, pandas, Arrow mapped in) plus the budget for one file."""
    with open("/proc/self/statm") as f:
        current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = current + budget
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _reader_issue(exc: Exception) -> Issue:
    text = str(exc).strip().splitlines()
    detail = (text[0] if text else type(exc).__name__)[:200]
    if "password" in detail.lower() or "encrypt" in detail.lower():
        return error("excel_encrypted")
    return error("corrupt_excel", detail=detail)


def container_kind(data: bytes, limits: Limits) -> str:
    """'xlsx', 'ods' or 'xls' after the container's bounds are checked; raises WorkbookError."""
    if data.startswith(OLE_MAGIC):
        # An encrypted .xlsx (Office's "password to open") is an OLE file holding EncryptionInfo/EncryptedPackage.
        if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
            raise WorkbookError(error("excel_encrypted"))
        return "xls"
    entries = _zip_entry_count(data)
    if entries is None:
        raise WorkbookError(error("corrupt_excel", detail="zip directory not found"))
    if entries > limits.max_entries:
        raise WorkbookError(error("excel_too_many_parts", count=entries, limit=limits.max_entries))
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookError(error("corrupt_excel", detail=str(exc)[:200])) from None
    with book:
        infos = book.infolist()
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise WorkbookError(error("excel_encrypted"))
            total += info.file_size
            if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise WorkbookError(
                    error("excel_bomb", part=info.filename[:80], ratio=int(info.file_size / max(info.compress_size, 1)))
                )
        if total > limits.max_uncompressed:
            raise WorkbookError(
                error("excel_too_large", size=f"{total / (1 << 20):,.0f}", limit=f"{limits.max_uncompressed >> 20:,}")
            )
        names = {i.filename for i in infos}
        if "mimetype" in names and book.read("mimetype").strip().startswith(_ODS_MIME):
            if "META-INF/manifest.xml" in names and b"encryption-data" in book.read("META-INF/manifest.xml"):
                raise WorkbookError(error("excel_encrypted"))
            return "ods"
    return "xlsx"


def _zip_entry_count(data: bytes) -> int | None:
    """Entries in the zip's central directory, read from its end record before any directory is parsed."""
    tail = data[-(65536 + 22) :]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    count = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    if count == 0xFFFF:  # zip64: the count is in the zip64 end record
        at64 = tail.rfind(b"PK\x06\x06")
        if at64 < 0 or len(tail) - at64 < 40:
            return None
        count = struct.unpack("<Q", tail[at64 + 32 : at64 + 40])[0]
    return count


def _check_extent(data: bytes, sheet: str, limits: Limits):
    """Scan an .xlsx sheet's XML once: refuse a grid too large or too sparse; return its marks."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        try:
            part = xlsx_marks.sheet_part(book, sheet)
        except (KeyError, ValueError, SyntaxError) as exc:
            raise WorkbookError(error("corrupt_excel", detail=str(exc)[:200])) from None
        marks = xlsx_marks.SheetMarks()
        if part is None or part not in book.namelist():
            return marks
        try:
            with book.open(part) as xml:
                xlsx_marks._scan(xml, marks)
        except xlsx_marks.SheetTooLarge:
            raise WorkbookError(error("excel_bad_sheet", sheet=sheet)) from None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise WorkbookError(error("corrupt_excel", detail=str(exc)[:200])) from None
    _refuse_extent(sheet, marks, limits)
    return marks


def _workbook(data: bytes):
    import fastexcel

    return fastexcel.read_excel(data)


def _visible_first(data: bytes, names: list[str]) -> list[str]:
    """Sheet names with the visible ones first: a hidden sheet (old data, lookups) is never the default."""
    import python_calamine

    try:
        meta = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).sheets_metadata
        hidden = {m.name for m in meta if m.visible != python_calamine.SheetVisibleEnum.Visible}
    except Exception:  # no metadata (some .xls): keep the workbook's order
        return names
    return [n for n in names if n not in hidden] + [n for n in names if n in hidden]


def _list_sheets(data: bytes, limits: Limits) -> list[str]:
    if legacy.legacy_kind(data):
        return legacy.sheet_names(data)
    container_kind(data, limits)
    return _visible_first(data, list(_workbook(data).sheet_names))


def _load_legacy(data: bytes, wanted: list[str] | None, first_only: bool) -> WorkbookData:
    """An Excel 2003 XML or HTML export: parsed here, in the reader process, like any workbook (bounded in memory
    and time: a malformed one can make Python's parsers slow)."""
    names = legacy.sheet_names(data)
    if wanted is not None:
        for name in wanted:
            if name not in names:
                raise WorkbookError(error("unknown_sheet", value=name, sheets="、".join(names)))
    chosen: Sequence[str | None] = (names[:1] if first_only else wanted if wanted is not None else names) or [None]
    loaded: dict[str, SheetData | Issue] = {}
    for sheet in chosen:
        found = legacy.read(data, sheet)
        loaded[found["name"] or ""] = _sheet_data(
            [[str(v) for v in row] for row in found["cells"].rows],
            names,
            found["name"],
            merged_down=found["cells"].merged_down,
            hidden_rows=found["cells"].hidden,
        )
    return WorkbookData(sheets=names, loaded=loaded)


def _sheet_data(rows: list[list[str]], names: list[str], name: str | None, **marks: Any) -> SheetData:
    """Rows of text as a SheetData (Arrow IPC, dictionary-encoded columns), from the first row on."""
    import pyarrow as pa
    import pyarrow.compute as pc

    width = max((len(r) for r in rows), default=0)
    columns = [pc.dictionary_encode(pa.array([r[i] if i < len(r) else "" for r in rows], pa.string())) for i in range(width)]
    out = pa.table(columns, names=[str(i) for i in range(width)])
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, out.schema) as writer:
        writer.write_table(out)
    return SheetData(sheets=names, sheet=name, table=sink.getvalue(), first_row=1, first_column=0, **marks)


def _load_sheets(data: bytes, wanted: list[str] | None, first_only: bool, limits: Limits) -> WorkbookData:
    from branchboard.ingest.ods_marks import ods_marks
    from branchboard.ingest.xls_marks import XlsEncrypted, xls_marks

    if legacy.legacy_kind(data):
        return _load_legacy(data, wanted, first_only)
    kind = container_kind(data, limits)
    marks: dict[str, Any] = {}
    try:
        if kind == "xls":
            marks = xls_marks(data)
        elif kind == "ods":
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                marks = ods_marks(book)
    except XlsEncrypted:
        raise WorkbookError(error("excel_encrypted")) from None
    except Exception:  # no marks (an unusual writer): calamine's own reading still applies, without them
        marks = {}
    reader = _workbook(data)
    names = _visible_first(data, list(reader.sheet_names))
    if not names:
        raise WorkbookError(error("no_sheets"))
    for name in wanted or ():
        if name not in names:
            raise WorkbookError(error("unknown_sheet", value=name, sheets="、".join(names)))
    chosen = names[:1] if first_only else (wanted if wanted is not None else names)
    loaded: dict[str, SheetData | Issue] = {}
    for name in chosen:
        try:
            loaded[name] = _load_one(data, reader, kind, name, marks.get(name), names, limits)
        except WorkbookError as exc:
            loaded[name] = exc.issue
    return WorkbookData(sheets=names, loaded=loaded)


def _refuse_extent(sheet: str, marks: Any, limits: Limits) -> None:
    """A grid far larger than its values (a cell far out) is refused before calamine builds it."""
    extent = marks.extent
    if extent > limits.max_cells or (extent > 1_000_000 and extent > limits.max_sparse * max(marks.values, 1)):
        raise WorkbookError(
            error(
                "excel_far_cell",
                sheet=sheet,
                last_row=f"{marks.last_row:,}",
                last_column=xlsx_marks.column_letters(marks.last_column),
                cells=f"{extent:,}",
                values=f"{marks.values:,}",
            )
        )


def _load_one(data: bytes, reader: Any, kind: str, name: str, marks: Any, names: list[str], limits: Limits) -> SheetData:
    import pyarrow as pa
    import pyarrow.compute as pc
    import python_calamine

    if kind == "xlsx":
        marks = _check_extent(data, name, limits)
    elif marks is not None:
        _refuse_extent(name, marks, limits)
    table = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()
    # Without a scan (an unusual writer), the grid itself is bounded once read.
    shape = Extent(1, 1, table.num_rows, max(table.num_columns, 1), table.num_rows * max(table.num_columns, 1))
    _refuse_extent(name, shape, limits)
    # calamine starts a sheet at its first cell holding a value. The scan before found that cell (and, in .xlsx and
    # .ods, the merged ranges); where its grid agrees with calamine's there is no need for a second parse.
    agrees = (
        marks is not None
        and marks.last_row
        and table.num_rows == marks.last_row - marks.first_row + 1
        and table.num_columns == marks.last_column - marks.first_column + 1
    )
    if agrees and kind in ("xlsx", "ods"):
        first_row, first_column = marks.first_row, marks.first_column - 1
        if kind == "xlsx":
            merges = [((r1 - 1, c1 - 1), (r2 - 1, c2 - 1)) for c1, r1, c2, r2 in marks.merges]
        else:
            merges = [((r1 - 1, c), (r2 - 1, c)) for r1, r2, c in marks.merged_down]
    else:
        calamine_sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name)
        start = calamine_sheet.start
        first_row = (start[0] if start else 0) + 1
        first_column = start[1] if start else 0
        merges = calamine_sheet.merged_cell_ranges or []
        if kind == "ods" and marks is not None:
            merges = [((r1 - 1, c), (r2 - 1, c)) for r1, r2, c in marks.merged_down]
    errors = marks.errors if kind == "xlsx" else {}
    columns = []
    for i, column in enumerate(table.columns):
        values = pc.fill_null(column.cast(pa.string()), "")
        # An error cell shows its error ("#N/A"), as Excel does, so a message quotes what the user sees there.
        fixes = {r - first_row: text for (r, c), text in errors.items() if c - 1 - first_column == i}
        if fixes:
            cells = values.to_pylist()
            for at, text in fixes.items():
                if 0 <= at < len(cells):
                    cells[at] = text
            values = pa.array(cells, pa.string())
        columns.append(pc.dictionary_encode(values))
    out = pa.table(columns, names=[str(i) for i in range(len(columns))])
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, out.schema) as writer:
        writer.write_table(out)
    return SheetData(
        sheets=names,
        sheet=name,
        table=sink.getvalue(),
        first_row=first_row,
        first_column=first_column,
        merged_down=[(r1 + 1, r2 + 1, c1 - first_column) for (r1, c1), (r2, c2) in merges if c1 == c2 and r2 > r1],
        hidden_rows=list(marks.hidden_rows) if marks is not None else [],
    )


def with_limits(**changes: Any) -> Limits:
    """The default limits with some changed (tests, and a deployment that sets them from its environment)."""
    return replace(LIMITS, **changes)
