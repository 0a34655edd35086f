"""Stage 5, validate: build the rows as they will be stored, column-wise, and report every problem.

Each check is a vector mask over the data rows; only the rows it flags become issues (at most
`MAX_LISTED` per check, then one line counting the rest), each naming the Excel row, the header as written,
the value and what was expected. Nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from branchboard.ingest import values as V
from branchboard.ingest.model import Issue, error, warning

MAX_LISTED = 20
HOURS_PER_PERSON_WARNING = 12
# Dates a committee's records can hold: none before the People's Republic, none more than a year ahead (a typo
# such as 2205 or 1923 for 2023 is an error naming the row, not a record kept for two centuries).
EARLIEST_DATE = pd.Timestamp("1949-01-01")
LATEST_AHEAD = pd.Timedelta(days=366)
# Upper bounds that keep every number inside its column (DuckDB integer) and inside reason; beyond them a value
# is an error naming the row, not a failed insert.
MAX_MEMBERS = 100_000
MAX_PERSON_TIMES = 1_000_000
MAX_TERM_YEARS = 20
MAX_HOURS = 100_000
MAX_ITEM_SCORE = 1_000


def _expected(name: str) -> tuple[str, ...]:
    """What a cell should hold, as a catalog key (import.expected.<name>): an issue's tuple parameter is said in
    the reader's language. Examples that read the same in both (2023-05-06) and lists of the committee's own
    values (its tiers) stay plain text."""
    return (f"import.expected.{name}",)


@dataclass
class Reference:
    """What the database already knows: the roster, the checklist, the tiers."""

    branches: pd.DataFrame  # branch_code, branch_name, unit_name
    standards: pd.DataFrame  # item_code, item_name, dimension, max_score
    tiers: list[str]


class Checker:
    """The mapped source columns (cleaned text), their headers and row numbers, and the issues found."""

    def __init__(self, src: pd.DataFrame, rows: np.ndarray, headers: dict[str, str], raw: pd.DataFrame | None = None) -> None:
        self.src = src.reset_index(drop=True)
        # Cells as the user wrote them (only trimmed), for messages: "８" stays "８" there.
        self.raw = self.src if raw is None else raw.reset_index(drop=True)
        self.rows = np.asarray(rows)
        self.headers = headers
        self.issues: list[Issue] = []

    def issues_with_level(self, level: str) -> list[Issue]:
        return [i for i in self.issues if i.level == level]

    def shown(self, field: str, i: int) -> str:
        return str(self.raw[field].iloc[i]) if field in self.raw.columns else ""

    def has(self, field: str) -> bool:
        return field in self.src.columns

    def text(self, field: str) -> pd.Series:
        return self.src[field] if self.has(field) else pd.Series("", index=self.src.index, dtype=object)

    def flag(
        self,
        mask: pd.Series | np.ndarray,
        field: str | None,
        code: str,
        level: str = "error",
        per_row: Callable[[int], dict[str, object]] | None = None,
        **params: object,
    ) -> None:
        """An issue for each flagged row (the first MAX_LISTED, then one counting the rest). `per_row(i)` adds
        parameters that differ by row, such as the bound of that row's item."""
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(idx):
            return
        make = error if level == "error" else warning
        column = self.headers.get(field) if field else None
        values = self.raw[field].to_numpy() if field and field in self.raw.columns else None
        for i in idx[:MAX_LISTED]:
            extra = per_row(i) if per_row else {}
            self.issues.append(make(code, int(self.rows[i]), column, None if values is None else values[i], **params, **extra))
        if len(idx) > MAX_LISTED:
            self.issues.append(make("more", None, column, None, count=len(idx) - MAX_LISTED, first=MAX_LISTED))

    def required(self, field: str, expected: str | tuple[str, ...]) -> pd.Series:
        """The column's text; empty cells are errors."""
        s = self.text(field)
        self.flag(s.eq(""), field, "required", expected=expected)
        return s

    def number(
        self, field: str, expected: str | tuple[str, ...], *, required: bool = True, maximum: float | None = None
    ) -> pd.Series:
        """Numbers of a column; unreadable ones, and with `maximum` infinite or larger ones ("1e400", a typed
        phone number), are errors and come back as NaN."""
        s = self.text(field)
        values, bad = V.parse_number(s)
        self.flag(bad, field, "not_number", expected=expected)
        if required:
            self.flag(s.eq(""), field, "required", expected=expected)
        if maximum is not None:
            v = values.to_numpy(dtype=float)
            too_large = np.isfinite(v) & (np.abs(v) > maximum)  # infinity: the field's own check says why
            self.flag(too_large, field, "too_large", maximum=f"{maximum:,.0f}", expected=expected)
            values = values.where(~too_large)
        return values

    def cents(self, values: pd.Series, field: str) -> pd.Series:
        """Scores, maxima and hours have at most two decimal places (they are stored as exact decimals): a value with
        more is an error naming the row; the others are rounded to the cent, which only removes float noise such
        as 2.6999999999999997 written by a spreadsheet."""
        v = values.to_numpy(dtype=float)  # numpy, not Series arithmetic: a million hours, no index alignment
        with np.errstate(invalid="ignore", over="ignore"):
            hundredths = v * 100
            extra = np.isfinite(v) & (np.abs(hundredths - np.round(hundredths)) > 1e-6)
        self.flag(extra, field, "too_many_decimals")
        return values.round(2).where(~extra)

    def date(self, field: str, *, required: bool = False) -> pd.Series:
        s = self.text(field)
        values, bad = V.parse_date(s)
        self.flag(bad, field, "not_date")
        if required:
            self.flag(s.eq(""), field, "required", expected="2023-05-06")
        latest = pd.Timestamp.today().normalize() + LATEST_AHEAD
        outside = values.notna() & ((values < EARLIEST_DATE) | (values > latest))
        self.flag(outside, field, "date_out_of_range", earliest="1949-01-01", latest=latest.strftime("%Y-%m-%d"))
        return values.where(~outside)

    def nullable_text(self, field: str) -> pd.Series:
        return _blank_as_null(self.text(field))

    def as_written(self, field: str, *, nullable: bool = False) -> pd.Series:
        """Text people read (names, notes) as the unit wrote it, only trimmed: "第一党支部（二）" keeps its
        full-width brackets. Codes, numbers, dates and the names used to look rows up go through `text`
        (NFKC-folded) instead."""
        if field not in self.raw.columns:
            return pd.Series(None if nullable else "", index=self.src.index, dtype=object)
        s = self.raw[field]
        return _blank_as_null(s) if nullable else s


def _blank_as_null(s: pd.Series) -> pd.Series:
    """Empty cells as missing. A categorical column's "" is found by comparing its categories, not by looking it
    up: the first lookup builds a hash table of every category (20 ms for a file's 120,000 member codes)."""
    if not isinstance(s.dtype, pd.CategoricalDtype):
        return s.where(s.ne(""), None)
    blank = np.flatnonzero(s.cat.categories.to_numpy(dtype=object) == "")
    if not len(blank):
        return s
    codes = s.cat.codes.to_numpy()
    values = pd.Categorical.from_codes(np.where(codes == blank[0], -1, codes), dtype=s.dtype, validate=False)
    return pd.Series(values, index=s.index, name=s.name, copy=False)


def period_column(ch: Checker, period: str | None) -> tuple[pd.Series, bool]:
    """The period of every row: its own column, else the file's period; (values, ok)."""
    if ch.has("period"):
        s = ch.text("period")
        values, bad = V.parse_periods(s)
        ch.flag(bad, "period", "bad_period")
        missing = s.eq("")
        if period is not None:
            values = values.where(~missing, period)
        else:
            ch.flag(missing, "period", "required", expected=_expected("period"))
        return values, not bad.any()
    if period is None:
        ch.issues.append(error("no_period"))
        return pd.Series(None, index=ch.src.index, dtype=object), False
    return pd.Series(period, index=ch.src.index, dtype=object), True


def resolve_branches(ch: Checker, ref: Reference) -> pd.Series:
    """branch_code of every row, by code, or by exact name (with the unit where names repeat)."""
    known = ref.branches
    if ch.has("branch_code"):
        codes = ch.required("branch_code", _expected("branch_code"))
        # A code typed in another case (sw001) is the known code when only the case differs.
        known_list = known["branch_code"].to_numpy(dtype=object)
        known_codes = set(known_list)

        def case_folded(s: pd.Series) -> pd.Series:
            if all(c in known_codes or not isinstance(c, str) for c in s):
                return s
            by_upper = {str(k).upper(): k for k in known_list}  # built only when some code is not found as written
            return s.map(lambda c: c if c in known_codes or not isinstance(c, str) else by_upper.get(c.upper(), c))

        codes = V.by_distinct(codes, case_folded)
        unknown = codes.ne("") & ~codes.isin(known["branch_code"])
        if unknown.any():
            _flag_unknown(ch, unknown, "branch_code", "unknown_branch_code", codes, known["branch_code"].tolist())
        return codes.where(codes.ne("") & ~unknown, None)
    return _branches_by_name(ch, known)


def _branches_by_name(ch: Checker, known: pd.DataFrame) -> pd.Series:
    """branch_code of every row by its exact name, with its unit where names repeat (the rows' errors and warnings
    added to `ch`)."""
    names = V.by_distinct(ch.required("branch_name", _expected("branch_name")), _no_spaces)
    units = V.by_distinct(ch.text("unit_name"), _no_spaces) if ch.has("unit_name") else None
    roster = known.assign(_name=_lookup_key(known["branch_name"]), _unit=_lookup_key(known["unit_name"]))
    per_name = roster.groupby("_name")["branch_code"].agg(["first", "count"])
    # Looked up once per distinct name (and unit) and spread back to the rows by code: a million records name a
    # few thousand branches (joining every row took 0.2 s, and a column of a million codes as text as much again).
    name_codes, name_values = V.distinct_codes(names)
    if units is None:
        row_key, pair_names, pair_units = name_codes, name_values, None
    else:
        unit_codes, unit_values = V.distinct_codes(units)
        width = max(len(unit_values), 1)
        row_key, pairs = pd.factorize(name_codes.astype(np.int64) * width + unit_codes)
        pair_names, pair_units = name_values[pairs // width], unit_values[pairs % width]
    frame = pd.DataFrame({"_name": pd.Series(pair_names, dtype=object)}).join(per_name, on="_name")
    matches = frame["count"].to_numpy(dtype=float)
    found = frame["first"].where(matches == 1).to_numpy(dtype=object)
    repeated = matches > 1
    if pair_units is not None:
        by_unit = roster.drop_duplicates(["_name", "_unit"]).set_index(["_name", "_unit"])["branch_code"]
        via_unit = by_unit.reindex(pd.MultiIndex.from_arrays([pair_names, pair_units])).to_numpy(dtype=object)
        found = np.where(repeated, via_unit, found)
        ambiguous = repeated & pd.isna(via_unit)
        wrong_unit = (matches == 1) & (pair_units != "") & pd.isna(via_unit)
        if wrong_unit.any():
            unit_of = roster.drop_duplicates("_name").set_index("_name")["unit_name"]
            for i in np.flatnonzero(wrong_unit[row_key])[:MAX_LISTED]:
                ch.issues.append(
                    warning(
                        "unit_differs",
                        int(ch.rows[i]),
                        ch.headers.get("unit_name"),
                        ch.shown("unit_name", i),
                        roster_unit=unit_of[names.iloc[i]],
                    )
                )
    else:
        ambiguous = repeated
    if ambiguous.any():
        units_of = roster.groupby("_name")["unit_name"].agg(lambda u: "、".join(sorted(set(u))))
        for i in np.flatnonzero(ambiguous[row_key])[:MAX_LISTED]:
            ch.issues.append(
                error(
                    "ambiguous_branch",
                    int(ch.rows[i]),
                    ch.headers.get("branch_name"),
                    ch.shown("branch_name", i),
                    units=units_of[names.iloc[i]],
                )
            )
    named = pair_names != ""
    unknown = named & np.isnan(matches)
    if unknown.any():
        _flag_unknown(
            ch,
            pd.Series(unknown[row_key]),
            "branch_name",
            "unknown_branch_name",
            ch.text("branch_name"),
            known["branch_name"].tolist(),
        )
    resolved = found.copy()
    resolved[~(named & ~ambiguous & ~unknown)] = None
    return pd.Series(V.categorical(row_key, resolved), index=names.index)


def _no_spaces(s: pd.Series) -> pd.Series:
    return s.astype(str).str.replace(r"\s+", "", regex=True)


def _lookup_key(stored: pd.Series) -> pd.Series:
    """Stored names folded the way a file's cells are (NFKC, no spaces), so "(二)" in a file finds "（二）"."""
    return _no_spaces(stored.astype(str).str.normalize("NFKC"))


def _flag_unknown(ch: Checker, mask: pd.Series, field: str, code: str, values: pd.Series, known: list[str]) -> None:
    """Unknown names/codes: one suggestion lookup per distinct value, one issue per row (capped)."""
    idx = np.flatnonzero(mask.to_numpy())
    suggestions: dict[str, str] = {}
    for value in pd.unique(values.iloc[idx[:MAX_LISTED]]):
        close = V.suggest(str(value), known)
        suggestions[value] = "、".join(close)
    for i in idx[:MAX_LISTED]:
        value = values.iloc[i]
        hint = suggestions[value]
        ch.issues.append(
            error(code if hint else f"{code}_nohint", int(ch.rows[i]), ch.headers.get(field), value, suggestions=hint)
        )
    if len(idx) > MAX_LISTED:
        ch.issues.append(error("more", None, ch.headers.get(field), None, count=len(idx) - MAX_LISTED, first=MAX_LISTED))


def duplicate_keys(ch: Checker, keys: pd.DataFrame, field: str) -> None:
    """Rows whose key repeats an earlier row of the file: an error naming the first row."""
    complete = keys.notna().all(axis=1)
    dup = keys.duplicated(keep="first") & complete
    if not dup.any():
        return
    first_row = pd.Series(ch.rows, index=keys.index).groupby([keys[c] for c in keys.columns], dropna=True).transform("first")
    ch.flag(dup, field, "duplicate_key", per_row=lambda i: {"first": int(first_row.iloc[i])})


def _allowed(values: list[str], limit: int = 30) -> str:
    return "、".join(values[:limit]) + ("…" if len(values) > limit else "")


# -- kinds -----------------------------------------------------------------------------------------
def build_branches(ch: Checker, ref: Reference) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    code = ch.required("branch_code", _expected("branch_code"))
    ch.required("branch_name", _expected("branch_name"))
    ch.required("unit_name", _expected("unit_name"))
    name, unit = ch.as_written("branch_name"), ch.as_written("unit_name")
    members = ch.number("member_count", _expected("whole_from_0"), maximum=MAX_MEMBERS)
    infinite = members.notna() & ~np.isfinite(members)  # "inf": not a whole number of members
    ch.flag(members.notna() & (infinite | (members < 0) | (members % 1 != 0)), "member_count", "bad_members")
    members = members.where(~infinite)
    term_text = ch.text("term_years")
    term = ch.number("term_years", _expected("term_years"), required=False, maximum=MAX_TERM_YEARS)
    infinite = term.notna() & ~np.isfinite(term)
    ch.flag(term_text.ne("") & term.notna() & (infinite | (term <= 0) | (term % 1 != 0)), "term_years", "bad_term")
    term = term.where(~infinite).fillna(3)
    frame = pd.DataFrame(
        {
            "branch_code": code,
            "branch_name": name,
            "unit_name": unit,
            "member_count": members.fillna(0).round().astype("int64"),
            "secretary": ch.as_written("secretary", nullable=True),
            "founded_on": ch.date("founded_on"),
            "last_election_on": ch.date("last_election_on"),
            "term_years": term.round().astype("int64"),
        }
    )
    duplicate_keys(ch, frame[["branch_code"]].where(code.ne(""), None), "branch_code")
    sector = ch.as_written("sector", nullable=True)
    units = pd.DataFrame({"unit_name": unit, "sector": sector})
    units = units[units["unit_name"].ne("")].sort_values("sector", na_position="last").drop_duplicates("unit_name")
    return frame, {"units": units.reset_index(drop=True)}


def build_standards(ch: Checker, ref: Reference) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    code = ch.required("item_code", _expected("item_code_like")).str.upper()
    maxima = ch.cents(ch.number("max_score", _expected("positive"), maximum=MAX_ITEM_SCORE), "max_score")
    ch.flag(maxima.notna() & (maxima <= 0), "max_score", "bad_max")
    veto, bad_veto = V.parse_bool(ch.text("veto"))
    ch.flag(bad_veto, "veto", "bad_bool")
    ch.required("dimension", _expected("dimension"))
    ch.required("item_name", _expected("item_name"))
    frame = pd.DataFrame(
        {
            "item_code": code,
            "dimension": ch.as_written("dimension"),
            "item_name": ch.as_written("item_name"),
            "max_score": maxima,
            "veto": veto,
            # English names are optional: an item without one is shown in Chinese in English mode.
            "dimension_en": ch.as_written("dimension_en", nullable=True),
            "item_name_en": ch.as_written("item_name_en", nullable=True),
        }
    )
    duplicate_keys(ch, frame[["item_code"]].where(code.ne(""), None), "item_code")
    _keep_english_names(frame, ref.standards)
    # A dimension's English name stands for it on every English chart: one dimension, one name, not shared with another.
    english = frame[["dimension", "dimension_en"]].dropna()
    names_of = english.groupby("dimension")["dimension_en"].nunique()
    owners_of = english.groupby("dimension_en")["dimension"].nunique()
    clash = frame["dimension"].isin(names_of[names_of > 1].index) | frame["dimension_en"].isin(owners_of[owners_of > 1].index)
    ch.flag(clash & frame["dimension_en"].notna(), "dimension_en", "dimension_en_clash")
    return frame, {}


def _keep_english_names(frame: pd.DataFrame, stored: pd.DataFrame) -> None:
    """An item the file gives no English name for keeps the one stored, if it is the same item (code, dimension and
    name as stored): a checklist re-sent from a unit's spreadsheet, without the English columns, changes nothing in
    English mode. A renamed or new item has none until a file gives it one."""
    if "item_name_en" not in stored.columns or stored.empty:
        return
    same = frame[["item_code", "dimension", "item_name"]].merge(
        stored[["item_code", "dimension", "item_name", "dimension_en", "item_name_en"]], how="left", validate="many_to_one"
    )
    for column in ("dimension_en", "item_name_en"):
        given = frame[column].where(frame[column].notna(), None)
        frame[column] = given.where(given.notna(), same[column].where(same[column].notna(), None).to_numpy())


def _item_codes(ch: Checker, ref: Reference) -> pd.Series:
    """Long shape: the item of every row, by code or by name."""
    codes_known = ref.standards["item_code"].tolist()
    if ch.has("item_code"):
        codes = ch.required("item_code", _expected("item_code")).str.upper()
        bad = codes.ne("") & ~codes.isin(codes_known)
        ch.flag(bad, "item_code", "unknown_item", allowed=_allowed(codes_known))
        return codes.where(codes.ne("") & ~bad, None)
    names = V.by_distinct(ch.required("item_name", _expected("item_name")), _no_spaces)
    by_name = ref.standards.assign(_key=_lookup_key(ref.standards["item_name"])).drop_duplicates("_key")
    codes = names.map(by_name.set_index("_key")["item_code"])
    bad = names.ne("") & codes.isna()
    ch.flag(bad, "item_name", "unknown_item", allowed=_allowed(ref.standards["item_name"].tolist()))
    return codes.where(~bad, None)


def _scores(ch: Checker, text: pd.Series, field: str, maxima: pd.Series) -> pd.Series:
    """Numbers, or marks (√ = the item's full marks, × = 0); range 0 … max."""
    marks, is_mark = V.parse_marks(text)
    numbers, _ = V.parse_number(text)
    score = numbers.where(~is_mark, marks * maxima)
    ch.flag(text.eq(""), field, "required", expected=_expected("score"))
    bad = text.ne("") & score.isna()
    ch.flag(bad, field, "not_score")
    score = ch.cents(score, field)
    # Both sides are whole hundredths here: compared as integers, never as floats near the bound.
    over = score.notna() & maxima.notna() & ((score < 0) | ((score * 100).round() > (maxima * 100).round()))
    # The maximum differs per item: each row's issue names its own bound.
    ch.flag(over, field, "score_range", per_row=lambda i: {"max": _fmt(maxima.iloc[i])})
    return score


def build_assessments_long(ch: Checker, ref: Reference, period: str | None) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    periods, _ = period_column(ch, period)
    branch = resolve_branches(ch, ref)
    items = _item_codes(ch, ref)
    maxima = items.map(ref.standards.set_index("item_code")["max_score"]).astype("float64")
    score = _scores(ch, ch.text("score"), "score", maxima)
    frame = pd.DataFrame({"period": periods, "branch_code": branch, "item_code": items, "score": score})
    duplicate_keys(ch, frame[["period", "branch_code", "item_code"]], "branch_code" if ch.has("branch_code") else "branch_name")
    _warn_partial_periods(ch, frame, len(ref.standards))
    return frame, {}


def _warn_partial_periods(ch: Checker, frame: pd.DataFrame, items: int) -> None:
    """A long file replaces each branch's whole period, as a wide one does: a branch given fewer items than the
    checklist has loses its other stored items. Said as the wide shape says it (missing_items)."""
    known = frame.dropna(subset=["period", "branch_code", "item_code"])
    if known.empty or not items:
        return
    counts = known.groupby(["period", "branch_code"], sort=False)["item_code"].nunique()
    partial = counts[counts < items]
    if partial.empty:
        return
    first_row = (
        pd.Series(ch.rows[known.index.to_numpy()], index=known.index).groupby([known["period"], known["branch_code"]]).min()
    )
    shown = []
    for key, n in partial.head(10).items():
        period, branch = cast(tuple[str, str], key)  # a label of the (period, branch_code) groupby
        shown.append(f"{branch}（{period}，{n} 项，第 {int(first_row[(period, branch)])} 行起）")
    ch.issues.append(
        warning(
            "partial_periods",
            count=len(partial),
            items=items,
            branches="、".join(shown) + ("…" if len(partial) > 10 else ""),
        )
    )


def build_assessments_wide(
    ch: Checker, ref: Reference, period: str | None, item_fields: dict[str, str]
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """One row per branch, one column per item (field name "item:A1"); melted to the long table."""
    periods, _ = period_column(ch, period)
    branch = resolve_branches(ch, ref)
    ref_field = "branch_code" if ch.has("branch_code") else "branch_name"
    duplicate_keys(ch, pd.DataFrame({"period": periods, "branch_code": branch}), ref_field)
    max_of = ref.standards.set_index("item_code")["max_score"]
    parts = []
    for field, code in item_fields.items():  # one pass per item column, not per row
        maxima = pd.Series(float(max_of[code]), index=ch.src.index)
        parts.append(_scores(ch, ch.text(field), field, maxima).rename(code))
    scores = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=ch.src.index)
    if ch.has("total") and parts:
        total_text = ch.text("total")
        total, bad = V.parse_number(total_text)
        ch.flag(bad, "total", "not_number", level="warning", expected=_expected("number"))
        item_sum = scores.sum(axis=1, min_count=1)
        # In hundredths: a 总分 that a spreadsheet summed as floats (60.379999999999995) still equals 60.38.
        mismatch = total.notna() & item_sum.notna() & (total * 100).round().ne((item_sum * 100).round())
        ch.flag(mismatch, "total", "total_mismatch", level="warning", per_row=lambda i: {"sum": _fmt(item_sum.iloc[i])})
    wide = scores.assign(period=periods.to_numpy(), branch_code=branch.to_numpy(), _row=ch.rows)
    long = wide.melt(id_vars=["period", "branch_code", "_row"], var_name="item_code", value_name="score")
    long = long.sort_values(["_row", "item_code"], kind="stable")
    return long[["period", "branch_code", "item_code", "score"]].reset_index(drop=True), {
        "_rows": long[["_row"]].reset_index(drop=True)
    }


def build_tiers(ch: Checker, ref: Reference, period: str | None) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    periods, _ = period_column(ch, period)
    branch = resolve_branches(ch, ref)
    tier = V.by_distinct(ch.required("tier", "、".join(ref.tiers)), _no_spaces)
    ch.flag(tier.ne("") & ~tier.isin(ref.tiers), "tier", "unknown_tier", allowed="、".join(ref.tiers))
    frame = pd.DataFrame(
        {"period": periods, "branch_code": branch, "tier": tier, "honors": ch.as_written("honors", nullable=True)}
    )
    duplicate_keys(ch, frame[["period", "branch_code"]], "branch_code" if ch.has("branch_code") else "branch_name")
    return frame, {}


def build_volunteer(ch: Checker, ref: Reference) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    dates = ch.date("activity_date", required=True)
    branch = resolve_branches(ch, ref)
    ch.required("activity", _expected("activity"))
    activity = ch.as_written("activity")
    hours = ch.cents(ch.number("hours", _expected("hours"), maximum=MAX_HOURS), "hours").to_numpy(dtype=float)
    given = ch.text("person_times").ne("").to_numpy()
    person_times = ch.number("person_times", _expected("whole_from_1"), required=False, maximum=MAX_PERSON_TIMES).to_numpy(
        dtype=float
    )
    # numpy rather than Series arithmetic: a million rows, a dozen masks, no index alignment or copies.
    ch.flag(
        ~np.isnan(person_times) & (~np.isfinite(person_times) | (person_times < 1) | (person_times != np.floor(person_times))),
        "person_times",
        "bad_person_times",
    )
    person_times = np.where(given, person_times, 1.0)  # an empty 人次 is one person; an unreadable one stays NaN
    ch.flag(hours <= 0, "hours", "hours_not_positive")
    with np.errstate(invalid="ignore", divide="ignore"):  # NaN (already reported) compares False
        over = (person_times >= 1) & (hours > 24 * person_times)
        long_day = (person_times > 0) & (hours / person_times > HOURS_PER_PERSON_WARNING) & ~over
    ch.flag(
        over,
        "hours",
        "hours_over_day",
        per_row=lambda i: {"limit": _fmt(24 * person_times[i]), "person_times": _fmt(person_times[i])},
    )
    ch.flag(long_day, "hours", "long_day", level="warning", limit=HOURS_PER_PERSON_WARNING)
    frame = pd.DataFrame(
        {
            "activity_date": dates,
            "branch_code": branch,
            "member_code": ch.nullable_text("member_code"),
            "activity": activity,
            "activity_type": ch.as_written("activity_type", nullable=True),
            "hours": hours,
            "person_times": np.round(np.where(np.isfinite(person_times), person_times, 1)).astype("int64"),
            "partner": ch.as_written("partner", nullable=True),
        },
        copy=False,
    )
    return frame, {}


def warn_repeated_rows(ch: Checker, frame: pd.DataFrame, hashes: np.ndarray) -> None:
    """A warning for rows equal to an earlier row. Equal row hashes find the candidates; only those are
    compared exactly, so a hash collision never reports a false duplicate."""
    # The hashes that repeat, from one sort (numpy's sort of a million 64-bit hashes takes a fifth of the time of a
    # hash table over them), then every row holding one of them, first ones too: looked up in a hash table of the
    # few repeated ones (numpy's isin would sort the million again).
    ordered = np.sort(hashes)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(repeated):  # the usual case
        return
    candidates = pd.Series(hashes).isin(np.unique(repeated)).to_numpy()
    dup = np.zeros(len(frame), bool)
    dup[candidates] = frame[candidates].duplicated(keep="first").to_numpy()
    if dup.any():
        ch.issues.append(warning("duplicate_rows", None, None, None, count=int(dup.sum()), rows=_rows_text(ch.rows[dup])))


def _rows_text(rows: np.ndarray, limit: int = 10) -> str:
    return "、".join(str(int(r)) for r in rows[:limit]) + ("…" if len(rows) > limit else "")


def _fmt(x: float) -> str:
    return f"{x:g}"
