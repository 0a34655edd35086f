"""The default checklist: the committee's "六化" 24 standards, 100 points in all."""

from __future__ import annotations

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

_ITEMS: dict[str, tuple[float, list[str]]] = {
    "A": (4, ["应建尽建", "班子健全", "按期换届", "划分小组"]),
    "B": (4, ["责任落实", "制定计划", "建立台账", "阶段小结", "年终总结"]),
    "C": (4, ["议事决策", "述职评议", "检查评比"]),
    "D": (5, ["上好党课", "活动多样", "会风严谨", "民主评议", "谈话及时"]),
    "E": (4, ["规范发展", "严格教育", "强化管理", "关怀帮扶", "服务群众"]),
    "F": (3.5, ["台账规范", "阵地保障"]),
}

# (item_code, dimension, item_name, max_score, veto)
DEFAULT_STANDARDS: list[tuple[str, str, str, float, bool]] = [
    (f"{dim}{i}", DIMENSIONS[dim], name, max_score, False)
    for dim, (max_score, names) in _ITEMS.items()
    for i, name in enumerate(names, start=1)
]

assert abs(sum(row[3] for row in DEFAULT_STANDARDS) - 100) < 1e-9, "the 六化 checklist totals 100 points"


def ensure_default_standards(conn: duckdb.DuckDBPyConnection) -> None:
    """Seed the checklist into an empty standards table (a committee may replace it by import)."""
    from branchboard.db import run  # db imports this module while it opens a file

    if run(conn, "standards__count").fetchall()[0][0]:
        return
    for item_code, dimension, item_name, max_score, veto in DEFAULT_STANDARDS:
        run(
            conn,
            "standards__add",
            {"item_code": item_code, "dimension": dimension, "item_name": item_name, "max_score": max_score, "veto": veto},
        )


def replacement_preview(store, incoming: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """What importing `incoming` as the checklist changes: items added, removed or changed (max score, veto, name,
    dimension), and the periods whose pass count (达标率) moves. Shown before a checklist is replaced."""
    current = store.query("standards__current")
    merged = current.merge(incoming, on="item_code", how="outer", suffixes=("_before", "_after"), indicator=True)
    rows = []
    for r in merged.sort_values("item_code").to_dict("records"):
        state = r["_merge"]
        before = _describe(r["item_name_before"], r["max_score_before"], r["veto_before"]) if state != "right_only" else ""
        after = _describe(r["item_name_after"], r["max_score_after"], r["veto_after"]) if state != "left_only" else ""
        change = {"left_only": "removed", "right_only": "added"}.get(state)
        if change is None:
            if before == after and r["dimension_before"] == r["dimension_after"]:
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


def _describe(name: object, max_score: float | None, veto: object) -> str:
    if max_score is None or pd.isna(max_score):
        return ""
    text = f"{name}（{float(max_score):g} 分"
    return text + ("，一票否决）" if bool(veto) else "）")
