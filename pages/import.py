"""数据导入 Import: upload, check, preview and import files; batch history with undo; templates."""

import functools
import hashlib

import pandas as pd
import streamlit as st

from branchboard import access, demo, ingest
from branchboard import periods as P
from branchboard.charts import with_palette
from branchboard.escape import md
from branchboard.export import to_csv_bytes
from branchboard.i18n import fmt_datetime, fmt_percent
from branchboard.ingest import columns as C
from branchboard.ingest import workbook
from branchboard.ingest.model import KINDS
from branchboard.ingest.pipeline import ITEM_PREFIX
from branchboard.ingest.templates import build_template
from branchboard.ui import admin_allowed, start_page

ctx = start_page("import")
store, lang = ctx.store, ctx.lang
NONE = "—"


@st.cache_resource(max_entries=16, ttl=900, show_spinner=False)
def _prepare(_store, _data: bytes, db_path: str, data_version: int, sha: str, file_name: str, kind, sheets, period, overrides):
    # Keyed on the database, its data version and the file's hash: after any import the file is checked again.
    # `sheets` None: every sheet of the kind (the importer's own choice). The first look (no kind chosen yet) is
    # never the one imported: it does not read the stored records ahead for the commit.
    return ingest.prepare(
        _store,
        file_name,
        _data,
        kind=kind,
        sheets=list(sheets) if sheets else None,
        period=period,
        mapping_overrides=dict(overrides),
        read_ahead=kind is not None,
    )


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Table columns under their Chinese (or English) names (the cells are text already: Prepared.marked_preview)."""
    return frame.rename(columns={c: ctx.t(f"import.field.{c}") for c in frame.columns if f"import.field.{c}" in _FIELD_KEYS})


_FIELD_KEYS = {f"import.field.{f}" for f in C.ALIASES}


def _kind_label(kind: str) -> str:
    return ctx.t(f"import.kind.{kind}")


def _file_label(file_name: object) -> str:
    """A batch's file as the history shows it: the demo's batches are 演示数据, not their internal names."""
    if not isinstance(file_name, str) or not file_name:
        return "—"
    return ctx.t("import.demo_data") if file_name.startswith(demo.DEMO_FILE_PREFIX) else file_name


def _imported_by_label(who: object) -> str:
    if not isinstance(who, str) or not who:
        return "—"
    return ctx.t("import.demo_data") if who == demo.DEMO_IMPORTED_BY else who


def _file_panel(upload) -> None:
    """One uploaded file: its kind, sheets, period and columns as chosen, the check's report, the preview, import."""
    data = upload.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    key = sha[:12]
    st.markdown(f"#### :material/description: {md(upload.name)}")
    imported = st.session_state.get("imp_imported", {}).get(sha)
    active = store.query("batches__list").query("status == 'active'")["batch_id"].tolist()
    if imported is not None and imported[1] in active:
        # Imported in this session: say so rather than show the file again as "already imported".
        st.success(md(imported[0]))
        return
    check = functools.partial(_prepare, store, data, str(store.path), store.data_version(), sha, upload.name)
    top = st.columns([1.2, 1.6, 1, 2.2])
    kind, chosen_sheets, picked_any = _choose_kind_and_sheets(top, check, key)
    if not picked_any:
        return
    period_text = _choose_period(top, check, kind, chosen_sheets, key)
    base = check(kind, chosen_sheets, period_text, ())
    overrides = _mapping_overrides(base, kind, key)
    prepared = check(kind, chosen_sheets, period_text, tuple(sorted(overrides.items()))) if overrides else base
    _facts(prepared)
    _check_report(prepared, upload.name, key)
    # The report comes first (errors before anything else); the preview of the rows as stored follows.
    if prepared.frame is not None and not prepared.frame.empty:
        _preview(prepared)
    _import_button(prepared, upload.name, sha, key)


# A flagged cell of the preview: red for an error, amber for a warning (the report's colours).
_MARKS = {
    "error": with_palette("background-color: $error_fill; color: $error_ink; font-weight: 600"),
    "warning": with_palette("background-color: $warning_fill"),
}


def _preview(prepared) -> None:
    """The rows as they will be stored, the ones with a problem first: the flagged cell shows the value as the file
    has it, highlighted, and the row's problems are written out in full beside it."""
    cells, levels, rows = prepared.marked_preview(20, lang)
    flagged = bool(rows["problems"].str.len().gt(0).any())
    st.markdown(f"**{md(ctx.t('import.preview_flagged' if flagged else 'import.preview'))}**")
    head = pd.DataFrame({ctx.t("import.report.row"): rows["row"].astype(str)})
    if "sheet" in rows.columns:  # several sheets: row 5 of which
        head.insert(0, ctx.t("import.report.sheet"), rows["sheet"])
    if flagged:
        head[ctx.t("import.preview_problems")] = rows["problems"]
    shown = pd.concat([head, _labelled(cells)], axis=1)
    marks = pd.concat(
        [pd.DataFrame("", index=head.index, columns=head.columns), levels.set_axis(shown.columns[len(head.columns) :], axis=1)],
        axis=1,
    )
    styled = shown.style.apply(lambda column: [_MARKS.get(level, "") for level in marks[column.name]])
    longest = int(rows["problems"].str.len().max() or 0)
    st.dataframe(
        styled,
        hide_index=True,
        height=min(35 * len(shown) + 38, 420) if not flagged else "auto",
        # A problem is written out, not cut: rows tall enough for its lines (about 24 characters to a line).
        row_height=min(24 * (1 + longest // 24) + 10, 200) if flagged else None,
        column_config={ctx.t("import.preview_problems"): st.column_config.TextColumn(width="large")} if flagged else None,
        placeholder="",
    )


def _choose_kind_and_sheets(top, check, key: str) -> tuple[str, tuple[str, ...] | None, bool]:
    """The kind (detected, or the user's) and the sheets of a workbook: (kind, the sheets asked for or None for
    every sheet of the kind, False when the user unticked every sheet)."""
    first_look = check(None, None, None, ())  # cached: the workbook is read once, not on every widget change
    detected, sheets = first_look.detected_kind, first_look.sheets
    options = list(KINDS)
    kind = top[0].selectbox(
        ctx.t("import.kind"),
        options,
        index=options.index(detected) if detected in options else 0,
        format_func=_kind_label,
        key=f"imp_kind_{key}",
        help=ctx.t("import.kind_help", kind=_kind_label(detected) if detected else NONE),
    )
    if len(sheets) > 1:
        # Offered: every sheet holding a table of this kind (上半年 and 下半年 alike), not a 说明 or cover sheet.
        found = check(kind, None, None, ()).data_sheets
        picked = top[1].multiselect(
            ctx.t("import.sheets"),
            sheets,
            default=[s for s in found if s in sheets],
            key=f"imp_sheets_{key}_{kind}",
            help=ctx.t("import.sheets_help"),
            select_all=False,  # Streamlit's entry is English; the sheets of this kind are already chosen
        )
        if not picked:
            st.info(md(ctx.t("import.pick_sheet")))
            return kind, None, False
        # The importer's own choice is asked for as None, so the checks below reuse that cached run.
        return kind, None if picked == found else tuple(picked), True
    if sheets:
        top[1].text_input(ctx.t("import.sheet"), sheets[0], disabled=True, key=f"imp_sheet_{key}")
    return kind, None, True


def _choose_period(top, check, kind: str, chosen_sheets: tuple[str, ...] | None, key: str) -> str | None:
    """The period typed for a file without a period column (the title's is proposed); None when blank or not a
    period (said beside the box)."""
    # The title's period does not depend on the period typed, so the first check proposes it.
    proposed = check(kind, chosen_sheets, None, ()).proposed_period
    period_text = top[2].text_input(
        ctx.t("import.period"),
        key=f"imp_period_{key}",
        placeholder=P.display(proposed, lang) if proposed else ctx.t("import.period_placeholder"),
        help=ctx.t("import.period_help"),
    )
    period_text = period_text.strip() or None
    if period_text and P.parse_period(period_text) is None:
        top[3].error(md(ctx.t("import.period_bad")))
        return None
    return period_text


def _mapping_overrides(base, kind: str, key: str) -> dict[str, str | None]:
    """The column mapping, shown folded: the fields whose column the user changed ({field: header or None})."""
    overrides: dict[str, str | None] = {}
    if not base.headers:
        return overrides
    with st.expander(md(ctx.t("import.mapping")), expanded=False):
        st.caption(md(ctx.t("import.mapping_help")))
        choices = [NONE, *dict.fromkeys(h for h in base.headers if h)]
        fields = list(C.spec_fields(kind, base.shape))
        cols = st.columns(3)
        for i, field in enumerate(fields):
            current = base.mapping.get(field, NONE)
            chosen = cols[i % 3].selectbox(
                ctx.t(f"import.field.{field}"),
                choices,
                index=choices.index(current) if current in choices else 0,
                key=f"imp_map_{key}_{kind}_{field}",
            )
            if chosen != current:
                overrides[field] = None if chosen == NONE else chosen
        items = {f[len(ITEM_PREFIX) :]: h for f, h in base.mapping.items() if f.startswith(ITEM_PREFIX)}
        if items:
            st.caption(md(ctx.t("import.mapping_items", n=len(items))))
            st.dataframe(
                pd.DataFrame(
                    {ctx.t("import.field.item_code"): list(items), ctx.t("import.header_in_file"): list(items.values())}
                ),
                hide_index=True,
                height=min(35 * len(items) + 38, 260),
            )
    return overrides


def _facts(prepared) -> None:
    """One line of what the check found (kind, sheets, header row, period, rows, rows replaced), and every sheet
    left out with its reason."""
    facts = []
    if prepared.kind:
        shape = f"（{ctx.t('import.shape.' + prepared.shape)}）" if prepared.shape else ""
        facts.append(ctx.t("import.fact.kind", kind=_kind_label(prepared.kind) + shape))
    if prepared.data_sheets:
        facts.append(ctx.t("import.fact.sheet", sheet="、".join(prepared.data_sheets)))
    if prepared.header_row:
        facts.append(ctx.t("import.fact.header_row", row=prepared.header_row))
    if prepared.period and not prepared.has_period_column:
        facts.append(ctx.t("import.fact.period", period=P.display(prepared.period, lang)))
    if prepared.frame is not None:
        facts.append(ctx.t("import.fact.rows", rows=f"{prepared.rows:,}"))
        facts.append(ctx.t("import.fact.replace", n=f"{prepared.will_replace:,}"))
    if facts:
        st.caption(md(" · ".join(facts)))
    for skipped in prepared.skipped:  # no sheet is left out without a word
        st.caption(md(skipped.message(lang)))


def _check_report(prepared, file_name: str, key: str) -> None:
    """The check's errors and warnings: a file-wide problem in full, then the table (row as in Excel, column, value,
    message) and its CSV; or a line saying the file is clean."""
    errors, warnings = prepared.errors, prepared.warnings
    if not errors and not warnings:
        if prepared.frame is not None:
            st.success(md(ctx.t("import.report_clean")))
        return
    st.markdown(f"**{md(ctx.t('import.report'))}**")
    if errors:
        st.error(md(ctx.t("import.report_errors", n=len(errors))))
    else:
        st.warning(md(ctx.t("import.report_warnings", n=len(warnings))))
    # A problem with the file as a whole (unreadable, encrypted, too large) is said in full, not in a table cell.
    for issue in errors:
        if issue.row is None and issue.code != "more":
            st.error(md(issue.message(lang)), icon=":material/block:")
    # Empty cells stay empty (not "None"); the message gets the room.
    report = prepared.report(lang)
    report = report.assign(row=report["row"].astype("string"))
    report = (
        report.astype(object)
        .where(report.notna(), "")
        .rename(columns={c: ctx.t(f"import.report.{c}") for c in ("level", "sheet", "row", "column", "value", "message")})
    )
    longest = int(report[ctx.t("import.report.message")].astype(str).str.len().max() or 0)
    st.dataframe(
        report,
        hide_index=True,
        # Every message in full: rows as tall as the longest one needs (about 24 characters to a line).
        row_height=min(24 * (1 + longest // 24) + 10, 200),
        column_config={ctx.t("import.report.message"): st.column_config.TextColumn(width="large")},
        placeholder="",
    )
    st.download_button(
        ctx.t("import.report_download"),
        data=to_csv_bytes(report),  # formula-safe, like every other export
        file_name=f"{file_name.rsplit('.', 1)[0]}_校验报告.csv",
        mime="text/csv",
        key=f"imp_report_{key}",
    )


def _import_button(prepared, file_name: str, sha: str, key: str) -> None:
    """Import (an admin's, once the check found no error, a new checklist confirmed): one batch, all or nothing."""
    confirmed = _confirm_checklist(prepared, key) if prepared.kind == "standards" and prepared.frame is not None else True
    if not st.button(
        ctx.t("import.do_import"),
        type="primary",
        disabled=bool(prepared.errors) or prepared.frame is None or not admin_allowed() or not confirmed,
        key=f"imp_go_{key}",
    ):
        return
    result = ingest.commit(store, prepared, imported_by=_who())
    if result.ok:
        message = ctx.t(
            "import.done", name=file_name, batch=result.batch_id, rows=f"{result.rows:,}", replaced=f"{result.replaced:,}"
        )
        st.session_state.setdefault("imp_imported", {})[sha] = (message, result.batch_id)
        st.session_state["imp_undo_offer"] = result.batch_id  # the batch just imported is the one to offer
        st.rerun()
    for issue in result.errors:
        st.error(md(issue.message(lang)))


def _confirm_checklist(prepared, key: str) -> bool:
    """Replacing the committee's checklist: what changes and whose 达标率 moves, then an explicit confirmation."""
    preview = prepared.standards_preview or {}
    st.markdown(f"**{md(ctx.t('import.standards.title'))}**")
    changes = preview.get("changes")
    if changes is not None and not changes.empty:
        shown = changes.assign(change=[ctx.t(f"import.standards.{c}") for c in changes["change"]])
        st.dataframe(
            shown.rename(columns={c: ctx.t(f"import.standards.col.{c}") for c in shown.columns}),
            hide_index=True,
            height=min(35 * len(shown) + 38, 320),
        )
    else:
        st.caption(md(ctx.t("import.standards.no_item_change")))
    periods = preview.get("periods")
    if periods is not None and not periods.empty:
        moved = periods.assign(
            period=[P.display(p, lang) for p in periods["period"]],
            rate_before=[fmt_percent(v) for v in periods["rate_before"]],
            rate_after=[fmt_percent(v) for v in periods["rate_after"]],
        )
        st.dataframe(
            moved.rename(columns={c: ctx.t(f"import.standards.col.{c}") for c in moved.columns}),
            hide_index=True,
        )
    else:
        st.caption(md(ctx.t("import.standards.no_rate_change")))
    return st.checkbox(ctx.t("import.standards.confirm"), key=f"imp_confirm_standards_{key}")


def _who() -> str:
    """Who imports or undoes: the single sign-on user, else the admin role of this session."""
    return access.signed_in_email() or ctx.t("import.who_admin")


# -- upload -------------------------------------------------------------------------------------
if not admin_allowed():
    st.info(md(ctx.t("import.admin_only")))
else:
    workbook.warm_up()  # a workbook reader is ready before the first file arrives
    done = st.session_state.pop("imp_done", None)
    if done:
        st.success(md(done))
    uploads = st.file_uploader(
        ctx.t("import.upload"),
        type=["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods"],
        accept_multiple_files=True,
        key="imp_files",
        help=ctx.t("import.upload_help"),
    )
    for upload in uploads or []:
        with st.container(border=True):
            _file_panel(upload)

# -- history --------------------------------------------------------------------------------------
st.subheader(md(ctx.t("import.history")))
history = store.query("batches__list")
if history.empty:
    st.info(md(ctx.t("import.history_empty")))
else:
    shown = history.assign(
        file_name=[_file_label(f) for f in history["file_name"]],
        imported_by=[_imported_by_label(w) for w in history["imported_by"]],
        kind=[_kind_label(k) if k in KINDS else k for k in history["kind"]],
        status=[ctx.t(f"import.status.{s}") if s in ("active", "undone") else s for s in history["status"]],
        imported_at=[fmt_datetime(v) for v in history["imported_at"]],
    ).rename(columns={c: ctx.t(f"import.history.{c}") for c in history.columns})
    counts = {ctx.t(f"import.history.{c}"): st.column_config.NumberColumn(format="localized") for c in ("rows", "replaced")}
    st.dataframe(shown, hide_index=True, height=min(35 * len(shown) + 38, 360), column_config=counts)
    active = history[history["status"] == "active"]
    if admin_allowed() and not active.empty:
        # A batch is named the same way in the list and in the confirmation: number, file, kind and rows.
        labels: dict[int, str] = {
            int(r["batch_id"]): ctx.t(
                "import.undo_label",
                batch=r["batch_id"],
                file=_file_label(r["file_name"]),
                kind=_kind_label(r["kind"]) if r["kind"] in KINDS else r["kind"],
                rows=f"{int(r['rows']):,}",
            )
            for r in active.to_dict("records")
        }
        # Offered: the batch just imported in this session, else nothing. After an undo nothing is preselected, so a
        # second click cannot undo the next batch by accident.
        offer = st.session_state.pop("imp_undo_offer", None)
        if offer in labels or st.session_state.get("imp_undo_pick") not in labels:
            # Set the widget's value, not only forget it: a keyed selectbox keeps its old choice otherwise.
            st.session_state["imp_undo_pick"] = offer if offer in labels else None
        cols = st.columns([3, 1, 3])
        chosen = cols[0].selectbox(
            ctx.t("import.undo_pick"),
            list(labels),
            format_func=lambda b: labels.get(b, str(b)),
            key="imp_undo_pick",
            placeholder=ctx.t("import.undo_placeholder"),
        )
        if cols[1].button(ctx.t("import.undo"), key="imp_undo", disabled=chosen is None):
            st.session_state["imp_undo_pending"] = chosen
        pending = st.session_state.get("imp_undo_pending")
        if pending is not None and pending in labels:
            st.warning(md(ctx.t("import.undo_confirm", batch=labels[pending])))
            yes, no, _ = st.columns([1, 1, 4])
            if yes.button(ctx.t("import.undo_yes"), type="primary", key="imp_undo_yes"):
                st.session_state.pop("imp_undo_pending", None)
                try:
                    res = ingest.undo(store, pending, undone_by=_who())
                    st.session_state["imp_done"] = ctx.t(
                        "import.undone", batch=pending, deleted=f"{res.deleted:,}", restored=f"{res.restored:,}"
                    )
                except ingest.IngestError as exc:
                    st.session_state["imp_done"] = None
                    st.session_state["imp_undo_error"] = exc.issue.message(lang)
                st.rerun()
            if no.button(ctx.t("import.undo_no"), key="imp_undo_no"):
                st.session_state.pop("imp_undo_pending", None)
                st.rerun()
        undo_error = st.session_state.pop("imp_undo_error", None)
        if undo_error:
            st.error(md(undo_error))

# -- templates ------------------------------------------------------------------------------------
st.subheader(md(ctx.t("import.templates")))
st.caption(md(ctx.t("import.templates_help")))
cols = st.columns(len(KINDS))
for col, kind in zip(cols, KINDS, strict=True):
    col.download_button(
        _kind_label(kind),
        data=build_template(store, kind),
        file_name=ctx.t("import.template_file", kind=_kind_label(kind)),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"imp_tpl_{kind}",
        icon=":material/download:",
        width="stretch",
    )
