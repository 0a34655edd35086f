"""What the stages pass between them: issues (errors and warnings), the prepared import, the result.

An `Issue` carries a message key of the i18n catalog and its values rather than text, so the page shows it in
the reader's language and the command line prints the Chinese one. Its `row` is the file row as Excel numbers
it (1-based, title rows counted), `column` the header as the user wrote it, `value` the cell as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from branchboard.i18n import cell_text, t

if TYPE_CHECKING:
    from branchboard.db import SetAside

KINDS: tuple[str, ...] = ("branches", "standards", "assessments", "tiers", "volunteer")

# Table each kind is stored in.
TABLE_OF_KIND: dict[str, str] = {
    "branches": "branches",
    "standards": "standards",
    "assessments": "assessment_scores",
    "tiers": "tier_ratings",
    "volunteer": "volunteer_records",
}


@dataclass(frozen=True)
class Issue:
    level: str  # "error" | "warning"
    code: str  # i18n key suffix: import.error.<code> / import.warning.<code>
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None  # the workbook's sheet, when the import takes several

    def in_sheet(self, sheet: str | None) -> Issue:
        return self if sheet is None else replace(self, sheet=sheet)

    def body(self, lang: str = "zh") -> str:
        """What is wrong and what was expected, without the location."""
        # A tuple parameter holds catalog keys (e.g. field names), translated into the reader's language.
        params = {
            k: ("、" if lang == "zh" else ", ").join(t(key, lang) for key in v) if isinstance(v, tuple) else v
            for k, v in self.params.items()
        }
        return t(f"import.{self.level}.{self.code}", lang, **params)

    def message(self, lang: str = "zh") -> str:
        """The full message: file row as Excel numbers it, column as written, value, then what was expected."""
        parts = []
        if self.sheet is not None:
            parts.append(t("import.where.sheet", lang, sheet=self.sheet))
        if self.row is not None:
            parts.append(t("import.where.row", lang, row=self.row))
        if self.column is not None:
            parts.append(t("import.where.column", lang, column=self.column))
        if self.value is not None:
            parts.append(t("import.where.value", lang, value=self.value))
        if not parts:
            return self.body(lang)
        return t("import.where.join", lang, where=t("import.where.sep", lang).join(parts), body=self.body(lang))

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        out = {"row": self.row, "column": self.column, "value": self.value, "message": self.message(lang)}
        if self.sheet is not None:
            out["sheet"] = self.sheet
        return out


def error(code: str, row: int | None = None, column: str | None = None, value: Any = None, **params: Any) -> Issue:
    return Issue("error", code, row, column, None if value is None else str(value), params)


def warning(code: str, row: int | None = None, column: str | None = None, value: Any = None, **params: Any) -> Issue:
    return Issue("warning", code, row, column, None if value is None else str(value), params)


@dataclass(frozen=True)
class Part:
    """One sheet of an import (or the whole text file, sheet None)."""

    sheet: str | None
    part_sha: str  # sha256 of the file's bytes and the sheet's name: the same sheet of the same file
    content_hash: str | None  # the rows it holds, whatever format carried them
    rows: int


@dataclass(frozen=True)
class SkippedSheet:
    sheet: str
    reason: str  # i18n key suffix: import.skipped.<reason>
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        return t(f"import.skipped.{self.reason}", lang, sheet=self.sheet, **self.params)


@dataclass
class Prepared:
    """Everything the preview shows, and what `commit` writes."""

    file_name: str
    sha256: str
    content_hash: str | None = None  # kind + parsed rows: the same content in another file format or encoding
    kind: str | None = None
    detected_kind: str | None = None
    shape: str | None = None  # assessments: "long" | "wide"
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    title: str = ""
    proposed_period: str | None = None
    period: str | None = None  # the period used for a file without a period column
    has_period_column: bool = False
    headers: list[str] = field(default_factory=list)  # the file's headers, as written
    mapping: dict[str, str] = field(default_factory=dict)  # canonical field -> header as written
    header_row: int | None = None  # Excel row number of the (last) header row
    frame: pd.DataFrame | None = None  # rows as they will be stored (table columns), valid only without errors
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)  # other tables written alongside (units)
    source_rows: pd.Series | None = None  # the Excel row number of each frame row
    source_sheets: pd.Series | None = None  # … and its sheet, when several sheets were combined (else self.sheet)
    issues: list[Issue] = field(default_factory=list)
    will_replace: int = 0
    # The sheets taken (or [] for a text file), each part's identity for the "already imported" check, and the
    # sheets left out with the reason (another kind, a 说明 sheet, empty …).
    parts: list[Part] = field(default_factory=list)
    skipped: list[SkippedSheet] = field(default_factory=list)
    standards_preview: dict[str, pd.DataFrame] | None = None  # what replacing the checklist changes
    set_aside: tuple[SetAside, ...] = ()  # stored records the commit's refresh reads, read during the checks

    data_sheets: list[str] = field(default_factory=list)  # the sheets read as data (imported, unless refused)

    @property
    def imported_sheets(self) -> list[str]:
        return list(self.data_sheets)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def rows(self) -> int:
        return 0 if self.frame is None else len(self.frame)

    @property
    def ok(self) -> bool:
        return not self.errors and self.frame is not None

    def preview(self, n: int = 20) -> pd.DataFrame:
        return pd.DataFrame() if self.frame is None else self.frame.head(n)

    def marked_preview(self, n: int = 20, lang: str = "zh") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """The preview as the user checks it: the rows with a problem first (in file order), then the others, up
        to `n`, every cell as text ("" when empty, never "None"). Returns (cells, levels, rows): `levels` is
        "error", "warning" or "" per cell, and a flagged cell shows the value as the file has it, not the blank it
        would be stored as; `rows` gives each shown row its sheet (when several), Excel row number and problems."""
        if self.frame is None or self.source_rows is None or self.frame.empty:
            return pd.DataFrame(), pd.DataFrame(), pd.DataFrame()
        field_of = {header: name for name, header in self.mapping.items()}
        sheets = self.source_sheets if self.source_sheets is not None else pd.Series([self.sheet] * len(self.frame))
        # An Excel row may be several stored rows (a wide assessment row: one per item).
        positions: dict[tuple[object, int], list[int]] = {}
        for i, (sheet, row) in enumerate(zip(sheets, self.source_rows, strict=True)):
            positions.setdefault((sheet, int(row)), []).append(i)
        flagged: dict[int, list[tuple[Issue, str | None]]] = {}
        for issue in self.issues:
            found = positions.get((issue.sheet if issue.sheet is not None else self.sheet, issue.row or -1))
            if not found:
                continue
            name = field_of.get(issue.column or "")
            at = found[0]
            if name and name.startswith("item:") and "item_code" in self.frame.columns:  # the item's own stored row
                code = name.split(":", 1)[1]
                at = next((i for i in found if self.frame["item_code"].iloc[i] == code), at)
                name = "score"
            flagged.setdefault(at, []).append((issue, name))
        order = sorted(flagged) + [i for i in range(len(self.frame)) if i not in flagged]
        chosen = order[:n]
        cells = self.frame.iloc[chosen].reset_index(drop=True).astype(object)
        cells = cells.apply(lambda column: [cell_text(v) for v in column])
        levels = pd.DataFrame("", index=cells.index, columns=cells.columns)
        notes = []
        for at, i in enumerate(chosen):
            marks = flagged.get(i, [])
            for issue, name in sorted(marks, key=lambda x: x[0].level != "error"):  # an error's mark wins
                if name in cells.columns and not levels.at[at, name]:
                    cells.at[at, name] = "" if issue.value is None else str(issue.value)
                    levels.at[at, name] = issue.level
            notes.append(
                t("import.preview_separator", lang).join(
                    t("import.preview_problem", lang, column=x.column, body=x.body(lang)) if x.column else x.body(lang)
                    for x, _ in marks
                )
            )
        rows = pd.DataFrame({"row": [int(self.source_rows.iloc[i]) for i in chosen], "problems": notes})
        if self.source_sheets is not None and self.source_sheets.nunique() > 1:
            rows.insert(0, "sheet", [sheets.iloc[i] for i in chosen])
        return cells, levels, rows

    def report(self, lang: str = "zh") -> pd.DataFrame:
        """The validation report as a table, errors first, each level in file order."""
        ordered = in_file_order(self.errors) + in_file_order(self.warnings)
        sheets = {"sheet": [i.sheet or "" for i in ordered]} if any(i.sheet for i in ordered) else {}
        return pd.DataFrame(
            {
                "level": [t(f"import.level.{i.level}", lang) for i in ordered],
                **sheets,
                "row": pd.array([i.row for i in ordered], dtype="Int64"),
                "column": [i.column for i in ordered],
                "value": [i.value for i in ordered],
                "message": [i.body(lang) for i in ordered],
            }
        )


def in_file_order(issues: list[Issue]) -> list[Issue]:
    """Sheet by sheet (in the order they came), by Excel row, file-wide issues (no row) last: the order the user
    reads the file in."""
    sheets: dict[str | None, int] = {}
    for i in issues:
        sheets.setdefault(i.sheet, len(sheets))
    return sorted(issues, key=lambda i: (sheets[i.sheet], i.row is None, i.row or 0))


@dataclass(frozen=True)
class ImportResult:
    batch_id: int | None
    kind: str | None
    rows: int
    replaced: int
    warnings: list[Issue]
    errors: list[Issue]
    sheets: list[str] = field(default_factory=list)
    skipped: list[SkippedSheet] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.batch_id is not None and not self.errors

    def as_json(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "kind": self.kind,
            "rows": self.rows,
            "replaced": self.replaced,
            "warnings": [w.message(lang) for w in in_file_order(self.warnings)],
            "errors": [e.as_dict(lang) for e in in_file_order(self.errors)],
            "sheets": {
                "imported": list(self.sheets),
                "skipped": [{"sheet": s.sheet, "reason": s.message(lang)} for s in self.skipped],
            },
        }


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    deleted: int
    restored: int


class IngestError(Exception):
    """A refusal with an Issue behind it (same file again, undo not possible …)."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message("zh"))
        self.issue = issue
