"""The default checklist: the committee's "六化" 24 standards, 100 points in all."""

from __future__ import annotations

from typing import NamedTuple

import duckdb
import pandas as pd

DIMENSIONS: dict[str, str] = {
    "A": "组织设置标准化",
    "B": "职责任务明晰化",
    "C": "工作机制科学化",
    "D": "组织生活严格化",
    "E": "党员作用常态化",
    "F": "保障机制精准化",
}

# English names for English mode: short, because they label heatmap columns and radar axes. A committee's own
# checklist may give its own (columns dimension_en / item_name_en) or none; then the Chinese name is shown.
DIMENSIONS_EN: dict[str, str] = {
    "A": "Organization setup",
    "B": "Duties and tasks",
    "C": "Working mechanisms",
    "D": "Organizational life",
    "E": "Members' role",
    "F": "Support mechanisms",
}

_ITEMS: dict[str, tuple[float, list[str]]] = {
    "A": (4, ["应建尽建", "班子健全", "按期换届", "划分小组"]),
    "B": (4, ["责任落实", "制定计划", "建立台账", "阶段小结", "年终总结"]),
    "C": (4, ["议事决策", "述职评议", "检查评比"]),
    "D": (5, ["上好党课", "活动多样", "会风严谨", "民主评议", "谈话及时"]),
    "E": (4, ["规范发展", "严格教育", "强化管理", "关怀帮扶", "服务群众"]),
    "F": (3.5, ["台账规范", "阵地保障"]),
}

_ITEMS_EN: dict[str, list[str]] = {
    "A": ["Branch in every unit", "Full branch committee", "Elections on time", "Party groups formed"],
    "B": ["Duties carried out", "Annual work plan", "Records kept", "Interim reviews", "Year-end summary"],
    "C": ["Decision rules", "Reports and appraisal", "Inspection and rating"],
    "D": ["Party lectures", "Varied activities", "Disciplined meetings", "Democratic appraisal", "Timely talks"],
    "E": ["Recruitment by the rules", "Rigorous education", "Close management", "Care and support", "Serving the public"],
    "F": ["Well-kept ledgers", "Activity venues"],
}


class Standard(NamedTuple):
    item_code: str
    dimension: str
    item_name: str
    max_score: float
    veto: bool
    dimension_en: str
    item_name_en: str


DEFAULT_STANDARDS: list[Standard] = [
    Standard(f"{dim}{i}", DIMENSIONS[dim], name, max_score, False, DIMENSIONS_EN[dim], _ITEMS_EN[dim][i - 1])
    for dim, (max_score, names) in _ITEMS.items()
    for i, name in enumerate(names, start=1)
]

assert abs(sum(row.max_score for row in DEFAULT_STANDARDS) - 100) < 1e-9, "the 六化 checklist totals 100 points"


def ensure_default_standards(conn: duckdb.DuckDBPyConnection) -> None:
    """Seed the checklist into an empty standards table (a committee may replace it by import)."""
    from branchboard.db import run  # db imports this module while it opens a file

    if run(conn, "standards__count").fetchall()[0][0]:
        return
    for row in DEFAULT_STANDARDS:
        run(conn, "standards__add", row._asdict())


def add_default_english(conn: duckdb.DuckDBPyConnection) -> None:
    """Give the English names to a stored checklist's items that are the default ones, word for word (a database
    from before the checklist had English names). Items a committee renamed or added keep none."""
    from branchboard.db import run

    run(
        conn,
        "standards__add_default_english",
        {
            "codes": [r.item_code for r in DEFAULT_STANDARDS],
            "dimensions": [r.dimension for r in DEFAULT_STANDARDS],
            "names": [r.item_name for r in DEFAULT_STANDARDS],
            "dimensions_en": [r.dimension_en for r in DEFAULT_STANDARDS],
            "names_en": [r.item_name_en for r in DEFAULT_STANDARDS],
        },
    )


def replacement_preview(store, incoming: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """What importing `incoming` as the checklist changes: items added, removed or changed (max score, veto, name,
    dimension), and the periods whose pass count (达标率) moves. Shown before a checklist is replaced."""
    current = store.query("standards__current")
    merged = current.merge(incoming, on="item_code", how="outer", suffixes=("_before", "_after"), indicator=True)
    rows = []
    for r in merged.sort_values("item_code").to_dict("records"):
        state = r["_merge"]
        english = not _same(r, "item_name_en")  # named only when it changes: else it is noise beside the change
        before = _describe(r, "before", english) if state != "right_only" else ""
        after = _describe(r, "after", english) if state != "left_only" else ""
        change = {"left_only": "removed", "right_only": "added"}.get(state)
        if change is None:
            if before == after and r["dimension_before"] == r["dimension_after"] and _same(r, "dimension_en"):
                continue
            change = "changed"
        rows.append({"item_code": r["item_code"], "change": change, "before": before, "after": after})
    changes = pd.DataFrame(rows, columns=["item_code", "change", "before", "after"])
    periods = store.query(
        "standards__replacement_effect",
        {
            "codes": incoming["item_code"].tolist(),
            "maxima": [float(m) for m in incoming["max_score"]],
            "vetoes": [bool(v) for v in incoming["veto"]],
        },
    )
    return {"changes": changes, "periods": periods}


def _describe(row: dict, side: str, english: bool) -> str:
    """An item as the preview lists it: name, maximum, veto and, with `english` (its English name changes: given,
    taken away or renamed, which changes English mode), its English name."""
    max_score = row[f"max_score_{side}"]
    if max_score is None or pd.isna(max_score):
        return ""
    text = f"{row[f'item_name_{side}']}（{float(max_score):g} 分"
    text += "，一票否决）" if bool(row[f"veto_{side}"]) else "）"
    name_en = row.get(f"item_name_en_{side}")
    return text + (f" · {name_en}" if english and isinstance(name_en, str) and name_en else "")


def _same(row: dict, column: str) -> bool:
    a, b = row.get(f"{column}_before"), row.get(f"{column}_after")
    return (a if isinstance(a, str) and a else None) == (b if isinstance(b, str) and b else None)
