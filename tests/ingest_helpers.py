"""Builders for the messy files the ingest tests feed in, and a snapshot of the database to compare."""

from __future__ import annotations

import io
import shutil

import xlsxwriter

from branchboard import db

DATA_TABLES = (
    "units",
    "branches",
    "standards",
    "assessment_scores",
    "tier_ratings",
    "volunteer_records",
    "import_batches",
    "replaced_assessment_scores",
)


def demo_store(tmp_path, demo_db_path, name: str = "demo.duckdb") -> db.Store:
    path = tmp_path / name
    shutil.copy(demo_db_path, path)
    return db.Store(path)


def snapshot(store: db.Store) -> dict[str, object]:
    """Row counts of every table, a checksum of the facts, and the data version."""
    cur = store.cursor()
    out: dict[str, object] = {t: cur.execute(f"select count(*) from {t}").fetchall()[0][0] for t in DATA_TABLES}
    out["score_sum"] = cur.execute("select coalesce(sum(score), 0) from assessment_scores").fetchall()[0][0]
    out["hours_sum"] = cur.execute("select coalesce(sum(hours), 0) from volunteer_records").fetchall()[0][0]
    out["data_version"] = store.data_version()
    return out


def csv_bytes(rows: list[list[object]], *, delimiter: str = ",", encoding: str = "utf-8", line_end: str = "\r\n") -> bytes:
    text = line_end.join(delimiter.join("" if v is None else str(v) for v in row) for row in rows) + line_end
    return text.encode(encoding)


def xlsx_bytes(
    sheets: dict[str, list[list[object]]], *, merges: dict[str, list[tuple]] | None = None, first_row: int = 0
) -> bytes:
    """Sheets of rows (None = empty cell); merges: sheet → [(r1, c1, r2, c2, text)] drawn with merge_range."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, int | float):
                    sheet.write_number(first_row + r, c, value)
                else:
                    sheet.write_string(first_row + r, c, str(value))
        for r1, c1, r2, c2, text in (merges or {}).get(name, []):
            sheet.merge_range(first_row + r1, c1, first_row + r2, c2, text)
    workbook.close()
    return buffer.getvalue()


def xls_bytes(rows: list[list[object]], sheet: str = "Sheet1") -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
