"""Stage 4, normalise values, column by column.

Every parser takes a text column and returns a typed column plus a mask of cells that were filled but could
not be read; the caller turns the mask into issues naming row, column and value. Parsing runs over the
distinct values of a column (`by_distinct`), so a million-row file with a few thousand distinct dates or names
parses as fast as a small one, and nothing loops over data rows in Python.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from branchboard import periods as P

EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # Excel's serial 1 is 1900-01-01 (with the 1900 leap-year bug)
FULL_MARKS = frozenset({"√", "✓", "✔", "☑", "是", "达标", "合格", "满分", "有", "y", "yes"})
ZERO_MARKS = frozenset({"×", "✗", "✘", "x", "☒", "否", "未达标", "不达标", "不合格", "无", "n", "no"})
TRUE_WORDS = frozenset({"是", "√", "✓", "✔", "true", "1", "y", "yes", "一票否决"})
FALSE_WORDS = frozenset({"否", "×", "✗", "false", "0", "n", "no", ""})


def distinct_codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code of every cell, the distinct values as an object array): `uniques[codes]` is the column.

    A categorical column (how the CSV reader hands over a large file) already is this pair, so no hashing of a
    million strings happens; other columns are factorized once. Unused categories may appear among the uniques.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        uniques = series.cat.categories.to_numpy(dtype=object)
        if len(codes) and codes.min() < 0:  # missing cells: one more unique, NaN
            uniques = np.append(uniques, np.nan).astype(object)
            codes = np.where(codes < 0, len(uniques) - 1, codes)
        return codes, uniques
    factor_codes, factor_uniques = pd.factorize(series, use_na_sentinel=False)
    return factor_codes, np.asarray(factor_uniques, dtype=object)


# Python's \s for pyarrow's RE2 regexes, whose \s is ASCII only: the full-width space and other Unicode spaces too.
WHITESPACE = r"[\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}]"


def arrow_text(uniques: np.ndarray):
    """Distinct values as an Arrow string array ("" for a missing cell), for pyarrow.compute's text kernels:
    a column's hundred thousand distinct member codes are checked in C++ rather than one regex call each."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.fill_null(pa.array(uniques, type=pa.string(), from_pandas=True), "")


def distinct_text(series: pd.Series) -> tuple[np.ndarray | None, Any]:
    """(codes, the distinct values as Arrow text, "" for a missing cell): distinct_codes for pyarrow.compute's text
    kernels, whose masks `spread` back to the rows. A column kept as Arrow text (a nearly distinct one, see
    read._categorical_frame) comes back whole with codes None: its cells are checked as they are rather than
    hashed first to find the few that repeat."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(series.dtype, pd.ArrowDtype):
        text = pa.array(series.array)  # zero-copy: the Arrow array the column wraps, chunked or not
        text = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
        return None, pc.fill_null(text.cast(pa.string()), "")
    codes, uniques = distinct_codes(series)
    return codes, arrow_text(uniques)


def spread(mask: np.ndarray, codes: np.ndarray | None) -> np.ndarray:
    """A mask over distinct_text's values as a mask over the rows."""
    return mask if codes is None else mask[codes]


def mask_of(array) -> np.ndarray:
    """An Arrow boolean array as a numpy one (null as False)."""
    import pyarrow.compute as pc

    return pc.fill_null(array, False).to_numpy(zero_copy_only=False)


def by_distinct(series: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a column function to the distinct values only and spread the result back.

    A text result stays categorical: the steps after it (comparisons, lookups, duplicate checks, the insert as an
    Arrow dictionary) then work on codes instead of a million Python strings.
    """
    codes, uniques = distinct_codes(series)
    result = fn(pd.Series(uniques, dtype=object))
    if result.dtype == object or pd.api.types.is_string_dtype(result.dtype):
        return pd.Series(categorical(codes, result.to_numpy(dtype=object)), index=series.index)
    return pd.Series(result.to_numpy()[codes], index=series.index)


def categorical(codes: np.ndarray, values: np.ndarray) -> pd.Categorical:
    """The column `values[codes]` as a categorical; `values` may repeat and hold None/NaN (a missing cell)."""
    ucodes, cats = pd.factorize(values, use_na_sentinel=True)
    return pd.Categorical.from_codes(ucodes[codes], dtype=distinct_categories(cats), validate=False)


def distinct_categories(values: np.ndarray) -> pd.CategoricalDtype:
    """A categorical dtype over values already known to be distinct (factorize's uniques, a unified Arrow
    dictionary). pandas' public constructor hashes them all again to check: ~35 ms for a file's 200,000
    member codes. Its own fast path (pandas is pinned) skips that; the public one stands in if it goes."""
    index = pd.Index(values, dtype=object)
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    return fast(index, False) if fast is not None else pd.CategoricalDtype(index)


def clean_distinct(uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values trimmed (as the user wrote them: quoted in messages, stored for names and notes) and
    cleaned: NFKC (full-width letters and digits to half-width) and trimmed, for codes, values and lookups;
    "" stays "" (meaning empty). Object arrays, aligned with `uniques`."""
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(arrow_text(uniques))
    cleaned = pc.utf8_trim_whitespace(pc.utf8_normalize(trimmed, "NFKC"))
    return trimmed.to_numpy(zero_copy_only=False), cleaned.to_numpy(zero_copy_only=False)


def _to_number(s: pd.Series) -> pd.Series:
    s = s.astype(str).str.normalize("NFKC").str.strip()
    s = s.str.replace(r"[,\s]", "", regex=True).str.replace(r"^(-?\d+(?:\.\d+)?)(分|小时|h|人次|人|个)$", r"\1", regex=True)
    out = pd.to_numeric(s.where(s.ne("")), errors="coerce")
    return out.astype("float64")


def parse_number(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(values as float, bad mask): numbers stored as text, full-width digits, thousands separators, "85分"."""
    values = by_distinct(text, _to_number).astype("float64")
    bad = values.isna() & text.ne("")
    return values, bad


def parse_marks(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(1.0 full marks / 0.0 zero / NaN, is_mark) for √/是/达标 and ×/否/未达标."""
    lowered = text.str.lower()
    full = lowered.isin(FULL_MARKS)
    zero = lowered.isin(ZERO_MARKS)
    value = pd.Series(np.where(full, 1.0, np.where(zero, 0.0, np.nan)), index=text.index)
    return value, full | zero


def parse_bool(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    lowered = text.str.lower()
    true = lowered.isin(TRUE_WORDS)
    false = lowered.isin(FALSE_WORDS)
    return pd.Series(true.to_numpy(), index=text.index), ~(true | false)


def _to_date(s: pd.Series) -> pd.Series:
    # The ISO dates of most files by pandas' own parser (a thousandth of the general path's time each); anything
    # else, and an ISO-looking text that is no date (2023-02-30), by the general path.
    iso = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).to_numpy(dtype=bool)
    if not iso.any():
        return _to_date_general(s)
    parsed = pd.to_datetime(s.where(iso), format="%Y-%m-%d", errors="coerce").to_numpy(dtype="datetime64[us]")
    rest = ~iso | np.isnat(parsed)
    if rest.any():
        parsed = parsed.copy()
        parsed[rest] = _to_date_general(s[rest]).to_numpy(dtype="datetime64[us]")
    return pd.Series(parsed, index=s.index)


def _to_date_general(s: pd.Series) -> pd.Series:
    # 2023-05-06, 2023/5/6, 2023.05.06, 2023年5月6日, "2023-05-06 00:00:00"
    parts = s.str.extract(
        r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
    )
    compact = s.str.extract(r"^(\d{4})(\d{2})(\d{2})$")  # 20230506
    parts = parts.fillna(compact)
    ymd = parts.apply(pd.to_numeric, errors="coerce")
    dated = pd.to_datetime(pd.DataFrame({"year": ymd[0], "month": ymd[1], "day": ymd[2]}), errors="coerce")
    # Excel serial dates (a date cell read as text, or typed as a number). Only 10000 … 109574
    # (1927-05-18 … 2199-12-31): a bare year such as "2025" would otherwise become 1905-07-17.
    serial = pd.to_numeric(s.where(s.str.fullmatch(r"\d{5,6}(?:\.\d+)?") & parts[0].isna()), errors="coerce")
    serial = serial.where((serial >= 10000) & (serial < 109575))
    from_serial = EXCEL_EPOCH + pd.to_timedelta(np.floor(serial), unit="D")
    return dated.fillna(from_serial)


def parse_date(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(datetime64 column, bad mask) for ISO, 2023/5/6, 2023.05.06, 2023年5月6日, 20230506 and Excel serials."""
    values = pd.to_datetime(by_distinct(text, _to_date))
    bad = values.isna() & text.ne("")
    return values, bad


def parse_periods(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(canonical labels, bad mask) through branchboard.periods.parse_period, once per distinct spelling."""
    values = by_distinct(text, lambda s: s.map(P.parse_period))
    bad = values.isna() & text.ne("")
    return values, bad


def suggest(name: str, known: list[str], n: int = 3) -> list[str]:
    """The closest known names, for "did you mean …?"."""
    close = difflib.get_close_matches(name, known, n=n, cutoff=0.6)
    if close:
        return close
    # Abbreviated names ("税务局一支部") score low on the ratio; fall back to shared-character overlap.
    ranked = sorted(known, key=lambda k: -difflib.SequenceMatcher(None, name, k).ratio())
    return [k for k in ranked[:n] if difflib.SequenceMatcher(None, name, k).ratio() >= 0.4]
