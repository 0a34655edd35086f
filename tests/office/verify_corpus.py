"""Read the office corpus back and check it against expected.json (not a pytest file; the project's importer is not used).

    .venv/bin/python tests/office/verify_corpus.py [--dir tests/office/files] [-v]

Workbooks are read with python-calamine, CSVs with the csv module in the encoding expected.json names. For every file:
the header is where expected.json says, the data rows are exactly those listed, scores / hours / counts come back as
numbers (not text) and dates as dates in the workbooks, and the figures recomputed from what was read (with Decimal)
equal the dataset's figures. For .xlsx and .ods the sheet XML is also checked: numeric cells are typed numbers, hidden
rows are the listed ones, merged ranges are the listed ones.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import sys
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import python_calamine as pc

HERE = Path(__file__).resolve().parent
PASS = Decimal(80)
RATIO = Decimal("0.6")


class Failure(Exception):
    pass


def check(cond: bool, msg: str) -> None:
    if not cond:
        raise Failure(msg)


def num(v, where: str, text_ok: bool) -> Decimal:
    """A cell value as an exact Decimal with at most two places. Workbook cells must be numbers."""
    if isinstance(v, bool):
        raise Failure(f"{where}: boolean {v!r}")
    if isinstance(v, (int, float)):
        d = Decimal(repr(float(v)))
    elif isinstance(v, str) and text_ok:
        d = Decimal(v.strip())
    else:
        raise Failure(f"{where}: expected a number, got {type(v).__name__} {v!r}")
    q = d.quantize(Decimal("0.01"))
    check(q == d, f"{where}: {v!r} has more than two decimals")
    return q


DATE_RES = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


def date_of(v, where: str, text_ok: bool) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str) and text_ok:
        for rx in DATE_RES:
            m = rx.match(v.strip())
            if m:
                return dt.date(*map(int, m.groups()))
    raise Failure(f"{where}: expected a date, got {type(v).__name__} {v!r}")


def read_table(path: Path, meta: dict) -> list[tuple[dict, list[list]]]:
    """[(sheet info, all rows as lists)] for the sheets listed in expected.json."""
    if meta["format"] == "csv":
        enc = {"utf-8": "utf-8", "gbk": "gbk", "utf-16 (LE, BOM)": "utf-16"}[meta["encoding"]]
        raw = path.read_bytes()
        if enc == "utf-16":
            check(raw[:2] == b"\xff\xfe", f"{path.name}: no UTF-16LE BOM")
        text = raw.decode(enc)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=meta["delimiter"]))
        return [(meta["sheets"][0], rows)]
    wb = pc.CalamineWorkbook.from_path(str(path))
    names = wb.sheet_names
    check(names == [s["name"] for s in meta["sheets"]], f"{path.name}: sheets {names}")
    return [(s, wb.get_sheet_by_name(s["name"]).to_python(skip_empty_area=False)) for s in meta["sheets"]]


def data_rows(rows: list[list], info: dict, where: str) -> tuple[list, list[list]]:
    h = info["header_row"] - 1
    check(len(rows) > h, f"{where}: only {len(rows)} rows")
    header = [str(c).strip() for c in rows[h]]
    while header and header[-1] == "":
        header.pop()
    body = rows[info["first_data_row"] - 1 : info["last_data_row"]]
    check(len(body) == info["data_rows"], f"{where}: {len(body)} data rows, expected {info['data_rows']}")
    # nothing that looks like data right after the last data row other than the listed footers
    after = rows[info["last_data_row"] :]
    extra = set(
        info.get("total_rows", []) + info.get("footer_rows", []) + info.get("blank_rows", []) + info.get("signature_rows", [])
    )
    for k, r in enumerate(after, start=info["last_data_row"] + 1):
        if any(str(c).strip() for c in r):
            check(k in extra, f"{where}: unexpected content in row {k}: {r[:6]}")
    return header, body


def verify_file(path: Path, meta: dict, ds: dict, notes: list[str]) -> None:
    text_ok = meta["format"] == "csv"
    kind = meta["kind"]
    tables = read_table(path, meta)
    collected: list = []
    for info, rows in tables:
        where = f"{path.name}[{info['name']}]" if info["name"] else path.name
        header, body = data_rows(rows, info, where)
        if info["role"].startswith("reference"):
            check(header == ["项目编码", "维度", "项目名称", "分值"], f"{where}: header {header}")
            maxes = [num(r[3], where, text_ok) for r in body]
            check(sum(maxes) == 100 and len(maxes) == 24, f"{where}: standards sum {sum(maxes)}")
            continue
        if kind == "assessments":
            check(
                header[:4] == ["序号", "支部编码", "支部名称", "所属单位"] and header[-1] == "总分", f"{where}: header {header}"
            )
            for r_i, r in enumerate(body, start=info["first_data_row"]):
                items = [num(v, f"{where} row {r_i} col {c + 1}", text_ok) for c, v in enumerate(r[4:28], start=4)]
                total = r[28]
                collected.append((r[1], items, total))
        elif kind == "volunteer":
            check(header[0] == "活动日期" and header[4] == "服务时长（小时）", f"{where}: header {header}")
            part = []
            for r_i, r in enumerate(body, start=info["first_data_row"]):
                d = date_of(r[0], f"{where} row {r_i}", text_ok)
                hours = num(r[4], f"{where} row {r_i} hours", text_ok)
                pt = num(r[5], f"{where} row {r_i} 人次", text_ok)
                part.append((d, r[1], r[2], hours, int(pt)))
            if "dataset" in info:
                fig = ds[info["dataset"]]
                check(len(part) == fig["rows"], f"{where}: rows")
                check(
                    str(sum((p[3] for p in part), Decimal(0)).normalize()) == str(Decimal(fig["total_hours"]).normalize()),
                    f"{where}: hours",
                )
            collected += part
        elif kind == "branches":
            off = 1 if header[0] == "序号" else 0
            unit = None
            for r_i, r in enumerate(body, start=info["first_data_row"]):
                unit = (str(r[off + 2]).strip() or unit) if info.get("merged_column") else str(r[off + 2])
                members = num(r[off + 4], f"{where} row {r_i} 党员人数", text_ok)
                founded = date_of(r[off + 6], f"{where} row {r_i} 成立日期", text_ok)
                date_of(r[off + 7], f"{where} row {r_i} 换届日期", text_ok)
                collected.append((r[off], unit, members, founded))
        elif kind == "tiers":
            collected += [(r[0], r[1], r[3], r[4]) for r in body]

    fig = ds[meta["dataset"]]
    if kind == "assessments":
        check(len(collected) == fig["assessed"], f"{path.name}: assessed {len(collected)}")
        passed = 0
        item_pass = Counter()
        maxes = {it["code"]: Decimal(it["max"]) for it in ds["standards"]["items_list"]}
        codes = list(maxes)
        for code, items, total in collected:
            exact = sum(items, Decimal(0))
            check(str(exact.normalize()) == str(Decimal(fig["totals"][code]).normalize()), f"{path.name}: total of {code}")
            passed += exact >= PASS
            for c, v in zip(codes, items, strict=True):
                if v >= RATIO * maxes[c]:
                    item_pass[c] += 1
            if isinstance(total, float) and Decimal(repr(total)) != exact:
                notes.append(f"{path.name}: 总分 of {code} reads back as {total!r} (exact {exact})")
            elif isinstance(total, str) and not text_ok:
                raise Failure(f"{path.name}: 总分 of {code} is text {total!r}")
        check(passed == fig["passed"], f"{path.name}: passed {passed} != {fig['passed']}")
        check(dict(item_pass) == {k: v for k, v in fig["item_pass_counts"].items() if v}, f"{path.name}: item pass counts")
    elif kind == "volunteer":
        check(len(collected) == fig["rows"], f"{path.name}: rows {len(collected)}")
        hours = sum((p[3] for p in collected), Decimal(0))
        check(hours == Decimal(fig["total_hours"]), f"{path.name}: hours {hours} != {fig['total_hours']}")
        check(sum(p[4] for p in collected) == fig["person_times"], f"{path.name}: person_times")
        check(len({p[:3] for p in collected}) == fig["activities"], f"{path.name}: activities")
        check(min(p[0] for p in collected).isoformat() == fig["first_date"], f"{path.name}: first date")
    elif kind == "branches":
        check(len(collected) == fig["branches"], f"{path.name}: branches")
        check(sum(p[2] for p in collected) == fig["members"], f"{path.name}: members")
        check(dict(Counter(p[1] for p in collected)) == fig["branches_by_unit"], f"{path.name}: branches by unit")
    elif kind == "tiers":
        for period, pf in fig["periods"].items():
            got = Counter(t for p, _c, t, _h in collected if str(p).startswith(period))
            check({k: got.get(k, 0) for k in pf["tier_counts"]} == pf["tier_counts"], f"{path.name}: tiers {period}")

    if meta["format"] in ("xlsx", "ods"):
        verify_xml(path, meta)


def verify_xml(path: Path, meta: dict) -> None:
    z = zipfile.ZipFile(path)
    if meta["format"] == "xlsx":
        for i, info in enumerate(meta["sheets"], start=1):
            xml = z.read(f"xl/worksheets/sheet{i}.xml").decode()
            check("<dimension ref=" in xml, f"{path.name}: no <dimension>")
            hidden = sorted(int(m) for m in re.findall(r'<row r="(\d+)"[^>]*hidden="true"', xml))
            check(hidden == info.get("hidden_rows", []), f"{path.name}[{info['name']}]: hidden rows {hidden}")
            merged = re.findall(r'<mergeCell ref="([A-Z0-9:]+)"', xml)
            check(sorted(merged) == sorted(info.get("merged", [])), f"{path.name}[{info['name']}]: merged {merged}")
            # every cell of a data row in a numeric column is a typed number (t="n" or no t), never a string
            numeric_cols = {
                "assessments": [col(c) for c in range(4, 29)],
                "volunteer": ["A", "E", "F"],
                "branches": ["E", "G", "H"] if not info.get("merged_column") else ["F", "H", "I"],
            }
            cols = numeric_cols.get(meta["kind"], []) if info["role"] == "data" else ["D"]
            for r in range(info["first_data_row"], info["last_data_row"] + 1):
                for c in cols:
                    m = re.search(rf'<c r="{c}{r}"([^>]*)>', xml)
                    check(m is not None, f"{path.name}: no cell {c}{r}")
                    t = re.search(r't="(\w+)"', m.group(1))
                    check(t is None or t.group(1) == "n", f"{path.name}: {c}{r} has t={t.group(1) if t else None}")
    else:
        xml = z.read("content.xml").decode()
        for info in meta["sheets"]:
            body = xml.split(f'table:name="{info["name"]}"', 1)[1].split("</table:table>", 1)[0]
            if info.get("hidden_rows"):
                check('table:visibility="collapse"' in body, f"{path.name}: no collapsed rows")


def col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=Path, default=HERE / "files")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    expected = json.loads((args.dir / "expected.json").read_text(encoding="utf-8"))
    ds = expected["datasets"]
    failures, notes = [], []
    on_disk = {p.name for p in args.dir.iterdir() if p.is_file() and p.name != "expected.json"}
    listed = set(expected["files"])
    if on_disk != listed:
        failures.append(f"files on disk vs expected.json: extra {sorted(on_disk - listed)}, missing {sorted(listed - on_disk)}")
    for name, meta in expected["files"].items():
        try:
            verify_file(args.dir / name, meta, ds, notes)
            if args.verbose:
                print("ok  ", name)
        except (Failure, OSError, ValueError, IndexError) as e:
            failures.append(f"{name}: {e}")
    for n in notes:
        print("note", n)
    for f in failures:
        print("FAIL", f)
    print(f"{len(expected['files']) - len(failures)}/{len(expected['files'])} files ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
