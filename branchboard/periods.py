"""Assessment periods: canonical labels ('2023', '2023-H1', '2023-Q3'), parsing and ordering.

The SQL side has the same definitions as macros (period_start / period_end in macros.sql).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})(?:年|年度)?$"), "year"),
    (re.compile(r"^(\d{4})-?H([12])$", re.I), "half"),
    (re.compile(r"^(\d{4})年?(上|下)半年(?:度)?$"), "half_cn"),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^(\d{4})年?第?([1-4一二三四])季度?$"), "quarter_cn"),
]

CANONICAL = re.compile(r"^\d{4}(-H[12]|-Q[1-4])?$")


def parse_period(text: object) -> str | None:
    """Canonical label for any accepted spelling, or None when it is not a period."""
    if text is None:
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        if float(text).is_integer():
            text = str(int(text))
        else:
            return None
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    for pattern, kind in _PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        year = int(m.group(1))
        if not 1900 <= year <= 2200:
            return None
        if kind == "year":
            return f"{year}"
        if kind == "half":
            return f"{year}-H{m.group(2)}"
        if kind == "half_cn":
            return f"{year}-H{1 if m.group(2) == '上' else 2}"
        if kind == "quarter":
            return f"{year}-Q{m.group(2)}"
        return f"{year}-Q{_CN_DIGITS[m.group(2)]}"
    return None


def is_canonical(label: str) -> bool:
    return bool(CANONICAL.match(label))


def period_start(label: str) -> date:
    year = int(label[:4])
    if len(label) == 4:
        return date(year, 1, 1)
    n = int(label[6])
    return date(year, (n - 1) * 6 + 1, 1) if label[5] == "H" else date(year, (n - 1) * 3 + 1, 1)


def period_end(label: str) -> date:
    start = period_start(label)
    months = 12 if len(label) == 4 else 6 if label[5] == "H" else 3
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def sort_key(label: str) -> tuple[date, date]:
    """Chronological: by end, longer period first where two end together (2023 before 2023-Q4)."""
    return (period_end(label), period_start(label))


def sort_periods(labels: list[str]) -> list[str]:
    return sorted(set(labels), key=sort_key)


def display(label: str, lang: str = "zh") -> str:
    """How a period is shown: 2023年度 / 2023年上半年 / 2023年第3季度 (or 2023, 2023 H1, 2023 Q3)."""
    if lang == "en":
        return label.replace("-", " ")
    year = label[:4]
    if len(label) == 4:
        return f"{year}年度"
    if label[5] == "H":
        return f"{year}年{'上' if label[6] == '1' else '下'}半年"
    return f"{year}年第{label[6]}季度"
