"""Upload templates: one XLSX per kind with Chinese headers and an example row, built in memory.

The assessment template is the wide shape units actually fill in, with one column per item of the current
checklist ("A1 应建尽建（4分）"), so a committee that imported its own scheme gets a template for it. Every
template imports cleanly as it is (tests/test_ingest_load.py checks this).
"""

from __future__ import annotations

import io

import xlsxwriter

from branchboard.charts import PAGE_COLOURS
from branchboard.db import Store
from branchboard.ingest.model import KINDS


def _example_branch(store: Store) -> tuple[str, str, str]:
    rows = store.query("branches__known")  # the first branch of the register fills the example row
    if rows.empty:
        return ("SW001", "市税务局机关第一党支部", "市税务局")
    first = rows.iloc[0]
    return str(first["branch_code"]), str(first["branch_name"]), str(first["unit_name"])


def template_rows(store: Store, kind: str) -> tuple[list[str], list[list[object]]]:
    """(headers, example rows) of a kind's template."""
    code, name, unit = _example_branch(store)
    if kind == "branches":
        return (
            ["支部编码", "支部名称", "所属单位", "所属系统", "党员人数", "支部书记", "成立日期", "换届日期", "任期（年）"],
            [[code, name, unit, "经济管理系统", 28, "张三", "2015-07-01", "2023-06-30", 3]],
        )
    if kind == "standards":
        rows = store.query("standards__current").itertuples(index=False)
        return ["项目编码", "维度", "项目名称", "满分", "一票否决", "英文维度", "英文名称"], [
            [c, d, n, m, "是" if v else "否", d_en or "", n_en or ""] for c, d, n, m, v, d_en, n_en in rows
        ]
    if kind == "assessments":
        checklist = store.query("standards__current")
        items = list(zip(checklist["item_code"], checklist["item_name"], checklist["max_score"], strict=True))
        headers = ["期次", "支部编码", "支部名称", *[f"{c} {n}（{m:g}分）" for c, n, m in items], "总分"]
        return headers, [["2025年度", code, name, *[m for _, _, m in items], sum(m for _, _, m in items)]]
    if kind == "tiers":
        tiers = store.tiers()
        return ["期次", "支部编码", "支部名称", "档次", "荣誉"], [
            ["2025年度", code, name, tiers[0] if tiers else "先进", "红旗党支部"]
        ]
    if kind == "volunteer":
        return (
            ["活动日期", "支部编码", "支部名称", "活动名称", "活动类型", "服务时长（小时）", "人次", "党员编号", "服务对象"],
            [["2025-05-06", code, name, "社区普法讲座", "法治宣传", 6, 3, "", "东城街道朝阳社区"]],
        )
    raise ValueError(f"unknown kind: {kind}")


def build_template(store: Store, kind: str) -> bytes:
    if kind not in KINDS:
        raise ValueError(f"unknown kind: {kind}")
    headers, rows = template_rows(store, kind)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet("数据")
    head = workbook.add_format(
        {"bold": True, "bg_color": PAGE_COLOURS["template_head"], "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, head)
        sheet.set_column(col, col, max(10, min(28, len(header) * 2 + 2)))
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(value))
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()
