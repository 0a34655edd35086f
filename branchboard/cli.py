"""Command line: `python -m branchboard init|demo|summary|report|batches …` (see the README "Command line" and docs/design.md "summary --json")."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import duckdb

from branchboard import db, demo
from branchboard import periods as P
from branchboard.filters import FilterState

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2, as argparse does, with our message
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m branchboard", description="党支部建设数据看板 command line")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("init", help="create or migrate the database")
    p.add_argument("--db")

    p = sub.add_parser("demo", help="replace the database content with demo data")
    p.add_argument("--db")
    p.add_argument("--branches", type=int, default=48)
    p.add_argument("--years", type=int, default=3)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument(
        "--volunteer-rows",
        type=int,
        default=None,
        help="exactly this many volunteer records, one per member and activity (default: the demo's own few per branch)",
    )

    p = sub.add_parser("batches", help="list import batches")
    p.add_argument("--db")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("backup", help="write a consistent copy of the database to PATH")
    p.add_argument("path")
    p.add_argument("--db")

    p = sub.add_parser("restore", help="replace the database with the backup at PATH (stop the app first)")
    p.add_argument("path")
    p.add_argument("--db")

    p = sub.add_parser("hash-password", help="print the hash to configure as admin_password_hash")
    p.add_argument("--password", help="read from standard input when omitted")

    p = sub.add_parser("import", help="import a CSV or Excel file (refused as a whole when anything is wrong)")
    p.add_argument("file")
    p.add_argument("--kind", default="auto", choices=["auto", "branches", "standards", "assessments", "tiers", "volunteer"])
    p.add_argument(
        "--sheet",
        action="append",
        default=[],
        help="a sheet to import (repeat for several, imported together as one batch); default: every sheet of the kind",
    )
    p.add_argument("--all-sheets", action="store_true", help="every sheet holding a table of the kind (the default)")
    p.add_argument("--period")
    p.add_argument("--db")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("undo", help="undo an import batch")
    p.add_argument("batch_id", type=int)
    p.add_argument("--db")

    # Its own options (see branchboard/bench.py): main() hands everything after "bench" to it.
    sub.add_parser("bench", help="measure imports, pages, filter changes and memory at 1x and 10x (issue 6)", add_help=False)

    p = sub.add_parser("summary", help="the Overview's figures for the filters")
    _add_filters(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("link", help="links for one unit: signed, scoped, expiring, revocable")
    link = p.add_subparsers(dest="link_command", required=True, parser_class=_Parser)
    q = link.add_parser("create", help="a link that shows only these units, without the viewer code")
    q.add_argument("--unit", action="append", required=True, help="a unit the link shows (repeat for several)")
    q.add_argument("--expires", default="30d", help="12h, 30d, 8w or never (default 30d)")
    q.add_argument("--label", help="who it is for, e.g. 市气象局党组书记")
    q.add_argument("--page", default="overview", choices=["overview", "compliance", "volunteer", "tiers", "branch"])
    q.add_argument("--from", dest="period_from", help="the starting view's first period")
    q.add_argument("--to", dest="period_to", help="the starting view's last period")
    q.add_argument(
        "--base-url", default=None, help="the dashboard's address (default BRANCHBOARD_BASE_URL or http://localhost:8501)"
    )
    q.add_argument("--db")
    q = link.add_parser("list", help="every link: label, units, created, expires, last opened, times opened")
    q.add_argument("--db")
    q.add_argument("--json", action="store_true")
    q = link.add_parser("revoke", help="revoke a link by its id (from link list)")
    q.add_argument("link_id")
    q.add_argument("--db")

    p = sub.add_parser("report", help="draft the committee's report (通报) for the filters as a Word file")
    _add_filters(p)
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--out", required=True, help="the .docx file to write")
    return parser


def _add_filters(p: argparse.ArgumentParser) -> None:
    """--db and the dashboard's filters, as summary and report take them (read by _filter_state)."""
    p.add_argument("--db")
    p.add_argument("--from", dest="period_from")
    p.add_argument("--to", dest="period_to")
    p.add_argument("--unit", action="append", default=[])
    p.add_argument("--sector", action="append", default=[])
    p.add_argument("--tier", action="append", default=[])


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:
        from branchboard import bench

        return bench.run(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except SystemExit:
        raise
    except Exception as exc:  # a clear line, never a traceback, for anything unexpected
        print(_IN_USE if _is_locked(exc) else f"error: {exc}", file=sys.stderr)
        return EXIT_REJECTED


def _init(args: argparse.Namespace) -> int:
    store = db.get_store(args.db)
    print(f"database ready: {store.path}")
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    if args.branches < 1 or args.years < 1:
        print("error: --branches and --years must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.volunteer_rows is not None and args.volunteer_rows < 0:
        print("error: --volunteer-rows must not be negative", file=sys.stderr)
        return EXIT_USAGE
    store = db.get_store(args.db)
    data = demo.generate(branches=args.branches, years=args.years, seed=args.seed, volunteer_rows=args.volunteer_rows)
    demo.load(store, data)
    print(
        f"demo data written to {store.path}: {len(data.branches)} branches, "
        f"{data.assessment_scores['period'].nunique()} periods, {len(data.volunteer_records):,} volunteer records"
    )
    return EXIT_OK


def _batches(args: argparse.Namespace) -> int:
    from branchboard.batches import list_batches

    frame = list_batches(db.get_store(args.db))
    if args.json:
        frame["imported_at"] = frame["imported_at"].astype(str)
        print(json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, indent=2))
    else:
        print(frame.to_string(index=False) if not frame.empty else "no batches")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    import getpass
    from pathlib import Path

    from branchboard import ingest
    from branchboard.ingest.model import ImportResult

    path = Path(args.file)
    if not path.is_file():
        print(f"error: {args.file}: no such file", file=sys.stderr)
        return EXIT_USAGE
    if args.period is not None and P.parse_period(args.period) is None:
        print(f"error: --period {args.period!r} is not a period (examples: 2023, 2023-H1, 2023-Q3)", file=sys.stderr)
        return EXIT_USAGE
    store = db.get_store(args.db)
    if args.sheet and args.all_sheets:
        print("error: --sheet and --all-sheets exclude each other", file=sys.stderr)
        return EXIT_USAGE
    sheets = ingest.ALL_SHEETS if args.all_sheets or not args.sheet else args.sheet
    prepared = ingest.prepare(store, path.name, path.read_bytes(), kind=args.kind, sheets=sheets, period=args.period)
    if prepared.errors:
        result = ImportResult(
            None, prepared.kind, 0, 0, prepared.warnings, prepared.errors, prepared.imported_sheets, prepared.skipped
        )
    else:
        result = ingest.commit(store, prepared, imported_by=_who(getpass))
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        for issue in result.errors:
            print(f"错误 {issue.message()}", file=sys.stderr)
        for issue in result.warnings:
            print(f"提示 {issue.message()}")
        for skipped in result.skipped:
            print(f"跳过 {skipped.message()}")
        if result.sheets:
            print(f"工作表 {'、'.join(result.sheets)}")
        if result.ok:
            print(f"已导入第 {result.batch_id} 批：{result.kind}，{result.rows} 行，替换 {result.replaced} 行")
        else:
            print(f"未导入：{len(result.errors)} 个错误，数据库未改动", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_REJECTED


def _who(getpass) -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return None


def _undo(args: argparse.Namespace) -> int:
    from branchboard import ingest

    try:
        result = ingest.undo(db.get_store(args.db), args.batch_id)
    except ingest.IngestError as exc:
        print(f"error: {exc.issue.message()}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"已撤销第 {result.batch_id} 批：删除 {result.deleted} 行，恢复 {result.restored} 行")
    return EXIT_OK


def _filter_state(args: argparse.Namespace, lang: str = "zh") -> FilterState | None:
    """The filters of `summary` and `report`, as the dashboard would hold them; None (said why) when unusable."""
    periods: dict[str, str | None] = {}
    for name in ("period_from", "period_to"):
        raw = getattr(args, name)
        if raw is None:
            periods[name] = None
            continue
        label = P.parse_period(raw)
        if label is None:
            print(f"error: --{name.split('_')[1]} {raw!r} is not a period (examples: 2023, 2023-H1, 2023-Q3)", file=sys.stderr)
            return None
        periods[name] = label
    a, b = periods["period_from"], periods["period_to"]
    if a and b and P.period_start(a) > P.period_end(b):
        print("error: --from is after --to", file=sys.stderr)
        return None
    return FilterState(
        period_from=periods["period_from"],
        period_to=periods["period_to"],
        units=tuple(args.unit),
        sectors=tuple(args.sector),
        tiers=tuple(args.tier),
        lang=lang,
    )


def _summary(args: argparse.Namespace) -> int:
    from branchboard.metrics import overview_summary

    state = _filter_state(args)
    if state is None:
        return EXIT_USAGE
    result = overview_summary(db.get_store(args.db), state)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_summary(result)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from branchboard import report

    out = Path(args.out)
    if out.suffix.lower() != ".docx":
        print("error: --out must name a .docx file", file=sys.stderr)
        return EXIT_USAGE
    if not out.parent.is_dir():
        print(f"error: {out.parent}: no such directory", file=sys.stderr)
        return EXIT_USAGE
    state = _filter_state(args, args.lang)
    if state is None:
        return EXIT_USAGE
    store = db.get_store(args.db)
    # A typo must not draft a clean, empty 通报: every unit, sector and tier must be one the data holds.
    from branchboard.filters import load_options

    options = load_options(store)
    for flag, given, known in (
        ("--unit", state.units, options.units),
        ("--sector", state.sectors, options.sectors),
        ("--tier", state.tiers, options.tiers),
    ):
        unknown = [v for v in given if v not in known]
        if unknown:
            print(f"error: {flag} {'、'.join(unknown)}: not in the data (known: {'、'.join(known)})", file=sys.stderr)
            return EXIT_USAGE
    facts = report.gather(store, state)
    content = report.compose(facts, progress=lambda done, total: print(f"charts {done}/{total}", file=sys.stderr))
    if any(section.note for section in content.sections):
        print(
            "warning: the charts could not be drawn (is Chromium installed?); the report has figures and lists only",
            file=sys.stderr,
        )
    out.write_bytes(report.document.write(content))
    print(f"report written: {out}")
    return EXIT_OK


def _print_summary(r: dict) -> None:
    a, v, t = r["assessment"], r["volunteer"], r["tiers"]
    rate = "—" if a["compliance_rate"] is None else f"{a['compliance_rate'] * 100:.1f}%"
    print(f"党支部 {r['branches']} 个，党员 {r['members']:,} 名")
    if a["period"]:
        print(
            f"{P.display(a['period'])}：{a['assessed']} 个支部参加考核，{a['passed']} 个达标，达标率 {rate}，平均 {a['mean_score']:.1f} 分"
        )
        print(f"短板项目：{'、'.join(a['weakest_items'])}")
    print(f"志愿服务 {v['hours']:,.1f} 小时，{v['person_times']:,} 人次，{v['activities']:,} 次活动")
    if t["period"]:
        mix = "，".join(f"{k} {n}" for k, n in t["counts"].items())
        print(f"{P.display(t['period'])}定级：{mix}；晋位 {t['promoted']}，降档 {t['demoted']}，持平 {t['unchanged']}")


def _secrets_map() -> dict:
    """.streamlit/secrets.toml as the app reads it (the command line runs from the repository root)."""
    import tomllib
    from pathlib import Path

    path = Path(".streamlit/secrets.toml")
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _link(args: argparse.Namespace) -> int:
    import os

    from branchboard import auth, links

    try:
        store = db.get_store(args.db)
    except duckdb.IOException as exc:
        if not _is_locked(exc):
            raise
        print(
            "error: the database is in use by the running app. Make, list and revoke links on its 分享管理 page "
            "(a revocation there counts at once), or stop the app first.",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    if args.link_command == "list":
        frame = links.listing(store)
        if args.json:
            import pandas as pd

            def plain(value: Any) -> Any:
                if isinstance(value, list):
                    return value
                if value is None or pd.isna(value):  # NaT and NaN too: null, not "NaT"
                    return None
                return value.isoformat() if hasattr(value, "isoformat") else value

            records = frame.assign(units=[list(u) for u in frame["units"]]).to_dict(orient="records")
            rows = [{k: plain(v) for k, v in r.items()} for r in records]
            print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        else:
            print(frame.to_string(index=False) if not frame.empty else "no links")
        return EXIT_OK
    if args.link_command == "revoke":
        if links.revoke(store, args.link_id):
            print(f"revoked: {args.link_id}")
            return EXIT_OK
        print(f"error: no open link {args.link_id!r} (see link list)", file=sys.stderr)
        return EXIT_REJECTED
    # The starting view's periods, checked as summary checks them; the units are the link's scope, not a filter.
    state = _filter_state(argparse.Namespace(period_from=args.period_from, period_to=args.period_to, unit=[], sector=[], tier=[]))
    if state is None:
        return EXIT_USAGE
    try:
        expires = links.parse_expiry(args.expires)
        start = {k: v for k, v in state.to_query_params().items() if k in ("from", "to")}
        from branchboard.views import encode_query

        secret = links.server_secret(store, auth.load_config(_secrets_map()).session_secret)
        link_id, token = links.create(
            store,
            secret,
            args.unit,
            expires_at=expires,
            label=args.label,
            start_page=args.page,
            start_query=encode_query(start),
            created_by=_who(__import__("getpass")),
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    base = args.base_url or os.environ.get("BRANCHBOARD_BASE_URL") or "http://localhost:8501"
    units = "、".join(dict.fromkeys(args.unit))
    print(f"link {link_id} for {units}, " + (f"expires {expires:%Y-%m-%d %H:%M}" if expires else "never expires"))
    if links.open_site_warning(auth.load_config(_secrets_map()).viewers_need_login):
        print(
            "warning: no viewer code is configured, so the site shows every unit to anyone without a link; "
            "this link limits nothing until viewer_code is set (README, Access control)",
            file=sys.stderr,
        )
    print(links.url(base, token, args.page, encode_query(start)))
    return EXIT_OK


def _is_locked(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


_IN_USE = (
    "error: the database is in use by the running app. Stop the app first, or (backup) use the 备份 button "
    "on the 参数设置 page, which copies consistently while the app runs."
)


def _backup(args: argparse.Namespace) -> int:
    from branchboard.backup import backup_to

    try:
        store = db.get_store(args.db)
    except duckdb.IOException as exc:
        print(_IN_USE if _is_locked(exc) else f"error: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    target = backup_to(store, args.path)
    print(f"backup written: {target}")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from branchboard.backup import restore_from

    path = db.resolve_db_path(args.db)
    if path.exists():
        try:  # refuse while another process (the app) holds the file
            duckdb.connect(str(path)).close()
        except duckdb.IOException as exc:
            print(_IN_USE if _is_locked(exc) else f"error: {exc}", file=sys.stderr)
            return EXIT_REJECTED
    try:
        restored = restore_from(args.path, path)
    except (FileNotFoundError, ValueError, duckdb.Error) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"restored {restored} from {args.path}")
    return EXIT_OK


def _hash_password(args: argparse.Namespace) -> int:
    from branchboard.auth import hash_password

    password = args.password if args.password is not None else sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        print("error: use at least 8 characters", file=sys.stderr)
        return EXIT_USAGE
    print(hash_password(password))
    return EXIT_OK


_COMMANDS = {
    "init": _init,
    "demo": _demo,
    "batches": _batches,
    "summary": _summary,
    "report": _report,
    "link": _link,
    "import": _import,
    "undo": _undo,
    "backup": _backup,
    "restore": _restore,
    "hash-password": _hash_password,
}
