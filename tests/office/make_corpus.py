"""Build a corpus of spreadsheets written by a real office suite (LibreOffice Calc, headless).

    python tests/office/make_corpus.py [--out DIR] [--soffice PATH] [--keep-sources]

Standard library only; needs ``soffice`` (Debian: ``apt-get install libreoffice-calc-nogui``).

1. A committee-sized dataset is generated with a fixed seed: 6 units, 40 branches, the default 六化
   checklist, decimal item scores for 2023 and 2024 (with totals of exactly 80 made of decimals, 79.99,
   80.01, items exactly at and just under 0.6 × max), tiers for both years and 600 volunteer records.
2. Every table is written as a plain UTF-8 CSV (as a unit would type it) and as a flat ODS document
   (``.fods``: typed numeric and date cells, several sheets, merged cells, hidden rows, formulas).
3. ``soffice --headless --convert-to`` turns each ``.fods`` into ``.xlsx`` / ``.xls`` / ``.ods``, and the
   first sheet into a GBK CSV and a UTF-16 (tab separated) CSV, the way a unit's office saves them.
4. ``expected.json`` holds figures computed independently here with ``decimal.Decimal`` (never floats),
   and for every file which sheets hold data, where the header is and how many data rows there are.

The ``.fods`` sources are thrown away unless ``--keep-sources`` is given; LibreOffice's output is not edited.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from xml.sax.saxutils import escape

SEED = 20250110
HERE = Path(__file__).resolve().parent

PASS_SCORE = Decimal(80)
ITEM_PASS_RATIO = Decimal("0.6")
TIERS = ["先进", "较好", "一般", "后进"]  # best first

# ---------------------------------------------------------------------------------------------------------------
# the default checklist (docs/design.md "The default checklist")

DIMENSIONS = [
    ("A", "组织设置标准化", "4", ["应建尽建", "班子健全", "按期换届", "划分小组"]),
    ("B", "职责任务明晰化", "4", ["责任落实", "制定计划", "建立台账", "阶段小结", "年终总结"]),
    ("C", "工作机制科学化", "4", ["议事决策", "述职评议", "检查评比"]),
    ("D", "组织生活严格化", "5", ["上好党课", "活动多样", "会风严谨", "民主评议", "谈话及时"]),
    ("E", "党员作用常态化", "4", ["规范发展", "严格教育", "强化管理", "关怀帮扶", "服务群众"]),
    ("F", "保障机制精准化", "3.5", ["台账规范", "阵地保障"]),
]
ITEMS = [
    {"code": f"{dim}{i}", "dimension": dname, "name": name, "max": Decimal(mx)}
    for dim, dname, mx, names in DIMENSIONS
    for i, name in enumerate(names, start=1)
]
MAX_H = [int(it["max"] * 100) for it in ITEMS]  # max scores in hundredths
assert sum(MAX_H) == 10000 and len(ITEMS) == 24

# ---------------------------------------------------------------------------------------------------------------
# the committee

UNITS = [  # name, code prefix, 所属系统, branch names after the unit name
    (
        "市税务局",
        "SW",
        "经济系统",
        [
            "机关第一党支部",
            "机关第二党支部",
            "机关第三党支部",
            "机关第四党支部",
            "稽查局党支部",
            "第一税务分局党支部",
            "第二税务分局党支部",
            "离退休干部党支部",
        ],
    ),
    (
        "市财政局",
        "CZ",
        "经济系统",
        [
            "机关第一党支部",
            "机关第二党支部",
            "机关第三党支部",
            "预算编审中心党支部",
            "国库支付中心党支部（联合）",
            "财政投资评审中心党支部",
            "离退休干部党支部",
        ],
    ),
    (
        "市教育局",
        "JY",
        "社会事业系统",
        [
            "机关第一党支部",
            "机关第二党支部",
            "机关第三党支部",
            "教育考试院党支部",
            "电化教育馆党支部",
            "教育科学研究所党支部",
            "离退休干部党支部",
        ],
    ),
    (
        "市卫生健康委员会",
        "WJ",
        "社会事业系统",
        [
            "机关第一党支部",
            "机关第二党支部",
            "疾病预防控制中心党支部",
            "卫生健康监督所党支部",
            "血液中心党支部",
            "离退休干部党支部",
        ],
    ),
    (
        "市司法局",
        "SF",
        "政法系统",
        ["机关第一党支部", "机关第二党支部", "公证处党支部", "法律援助中心党支部", "社区矫正管理局党支部", "离退休干部党支部"],
    ),
    (
        "市气象局",
        "QX",
        "农业农村系统",
        [
            "机关第一党支部",
            "机关第二党支部",
            "气象台党支部",
            "气象服务中心党支部",
            "人工影响天气办公室党支部",
            "新一代天气雷达站党支部",
        ],
    ),
]
NEW_BRANCHES = {"JY006", "QX006"}  # founded late in 2023: assessed and rated only in 2024

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高郑梁谢宋唐韩冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "晓东",
    "海燕",
    "志强",
    "丽华",
    "国庆",
    "红梅",
    "文博",
    "思远",
    "立新",
    "春燕",
    "卫东",
    "雪梅",
    "建国",
]

ACTIVITIES = [  # activity, type
    ("社区环境卫生整治", "环境保护"),
    ("垃圾分类入户宣传", "环境保护"),
    ("义务植树", "环境保护"),
    ("河道巡护清漂", "环境保护"),
    ("关爱空巢老人", "扶老助残"),
    ("助残日走访慰问", "扶老助残"),
    ("文明交通劝导", "文明实践"),
    ("文明城市创建志愿服务", "文明实践"),
    ("党的创新理论进社区宣讲", "理论宣讲"),
    ("政策法规宣传咨询", "理论宣讲"),
    ("税收政策进企业", "理论宣讲"),
    ("留守儿童课业辅导", "助学支教"),
    ("爱心助学结对", "助学支教"),
    ("无偿献血", "应急救援"),
    ("防汛值守", "应急救援"),
    ("疫苗接种点秩序维护", "应急救援"),
]
PARTNERS = [
    "幸福社区",
    "东湖街道",
    "城南社区",
    "西关社区",
    "实验小学",
    "第二中学",
    "光明敬老院",
    "滨江村",
    "新华路社区",
    "红星村",
    "市儿童福利院",
    "火车站广场",
    "人民公园",
    "金桥社区",
]
PER_PERSON_HOURS = ["0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "0.75", "1.25", "2.25", "2.75"]


def d2(h: int) -> Decimal:
    """Hundredths → Decimal with exactly the digits that matter (330 → 3.3, 8000 → 80)."""
    v = Decimal(h) / 100
    return v.quantize(Decimal(1)) if v == v.to_integral_value() else v.normalize()


def fmt(v: Decimal) -> str:
    s = format(v, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def build_branches(rng: random.Random) -> list[dict]:
    branches = []
    for unit, prefix, sector, names in UNITS:
        for i, tail in enumerate(names, start=1):
            code = f"{prefix}{i:03d}"
            if code in NEW_BRANCHES:
                founded = dt.date(2023, 9, 1) + dt.timedelta(days=rng.randint(0, 60))
                election = founded
            else:
                founded = rand_date(rng, dt.date(1985, 1, 1), dt.date(2016, 12, 31))
                election = rand_date(rng, dt.date(2020, 3, 1), dt.date(2024, 11, 30))
            branches.append(
                {
                    "code": code,
                    "name": unit + tail,
                    "unit": unit,
                    "sector": sector,
                    "members": rng.randint(4, 9) if "离退休" not in tail else rng.randint(25, 60),
                    "secretary": person_name(rng),
                    "founded": founded,
                    "election": election,
                }
            )
    for b in branches:  # ordinary branches of larger size
        if "机关" in b["name"]:
            b["members"] = rng.randint(8, 35)
    return branches


# ---------------------------------------------------------------------------------------------------------------
# scores


def item_scores(rng: random.Random, target: int, locks: dict[int, int]) -> list[int]:
    """24 item scores in hundredths, each 0..max, mostly one decimal, summing to exactly ``target``."""
    free = [i for i in range(24) if i not in locks]
    rest = target - sum(locks.values())
    ratio = rest / sum(MAX_H[i] for i in free)
    vals = dict(locks)
    for i in free:
        v = MAX_H[i] * ratio + rng.gauss(0, 0.07 * MAX_H[i])
        r = rng.random()
        step = 10 if r < 0.8 else (5 if r < 0.93 else 1)  # 3.3 / 2.75 / 2.37
        vals[i] = min(MAX_H[i], max(0, round(v / step) * step))
    diff = rest - sum(vals[i] for i in free)
    guard = 0
    while diff:
        guard += 1
        if guard > 10000:
            raise RuntimeError("cannot reach target")
        i = rng.choice(free)
        step = diff if abs(diff) < 10 else (10 * rng.randint(1, min(4, abs(diff) // 10))) * (1 if diff > 0 else -1)
        new = min(MAX_H[i], max(0, vals[i] + step))
        diff -= new - vals[i]
        vals[i] = new
    out = [vals[i] for i in range(24)]
    assert sum(out) == target and all(0 <= v <= m for v, m in zip(out, MAX_H, strict=True))
    return out


def float_sum(hs: list[int]) -> float:
    total = 0.0
    for h in hs:
        total += float(fmt(d2(h)))
    return total


def build_scores(rng: random.Random, codes: list[str]) -> dict[str, list[int]]:
    n = len(codes)
    targets = [8000] * 6 + [7999] * 2 + [8001] * 2
    rest = n - len(targets)
    low = rest * 2 // 5
    targets += [rng.randint(6000, 7980) for _ in range(low)]
    targets += [rng.randint(8020, 9860) for _ in range(rest - low)]
    rng.shuffle(targets)
    # boundary items: exactly 0.6 × max (2.4 / 3 / 2.1) and one hundredth below it
    thresholds = [m * 6 // 10 for m in MAX_H]
    scores = {}
    for k, (code, target) in enumerate(zip(codes, targets, strict=True)):
        locks: dict[int, int] = {}
        if k % 3 == 0:
            i = rng.randrange(24)
            locks[i] = thresholds[i]
        if k % 5 == 1:
            i = rng.randrange(24)
            locks[i] = thresholds[i] - 1
        if k % 7 == 2:
            locks[rng.choice([22, 23])] = 210  # F: 2.1 against 0.6 × 3.5
        # an exact 80 should not also be an exact 80 in binary floating point
        for _ in range(200):
            hs = item_scores(rng, target, locks)
            if target != 8000 or float_sum(hs) != 80.0:
                break
        scores[code] = hs
    return scores


def tier_for(rng: random.Random, total: int) -> str:
    base = 0 if total >= 9000 else 1 if total >= 8000 else 2 if total >= 7000 else 3
    r = rng.random()
    if r < 0.08:
        base = max(0, base - 1)
    elif r < 0.16:
        base = min(3, base + 1)
    return TIERS[base]


# ---------------------------------------------------------------------------------------------------------------
# volunteer records


def build_volunteer(rng: random.Random, branches: list[dict], n_rows: int = 600) -> list[dict]:
    idle = {"CZ006", "WJ005"}  # branches that gave no service in 2023–2024
    active = [b for b in branches if b["code"] not in idle]
    rows: list[dict] = []
    seen: set = set()
    start, end = dt.date(2023, 1, 1), dt.date(2024, 12, 31)
    while len(rows) < n_rows:
        b = rng.choice(active)
        first = max(start, b["founded"] + dt.timedelta(days=14))
        date = rand_date(rng, first, end)
        activity, kind = rng.choice(ACTIVITIES)
        k = rng.choices([1, 2, 3], weights=[70, 20, 10])[0]
        for _ in range(min(k, n_rows - len(rows))):
            pt = rng.choices([1, 2, 3, 5, 8, 12, 20], weights=[30, 12, 12, 15, 12, 12, 7])[0]
            per = Decimal(rng.choice(PER_PERSON_HOURS))
            row = {
                "date": date,
                "branch": b["code"],
                "branch_name": b["name"],
                "activity": activity,
                "type": kind,
                "hours": pt * per,
                "person_times": pt,
                "partner": rng.choice(PARTNERS),
            }
            key = tuple(row.values())
            if key in seen:
                continue
            seen.add(key)
            rows.append(row)
    rows.sort(key=lambda r: (r["date"], r["branch"], r["activity"]))
    for r in rows:
        assert r["hours"] > 0 and r["hours"] == r["hours"].quantize(Decimal("0.01"))
        r["hours"] = Decimal(fmt(r["hours"]))
    return rows


def build_dataset() -> dict:
    rng = random.Random(SEED)
    branches = build_branches(rng)
    codes = [b["code"] for b in branches]
    scores = {
        "2023": build_scores(rng, [c for c in codes if c not in NEW_BRANCHES]),
        "2024": build_scores(rng, codes),
    }
    tiers: dict[str, dict[str, str]] = {}
    for period in ("2023", "2024"):
        tiers[period] = {c: tier_for(rng, sum(hs)) for c, hs in scores[period].items()}
    # 帮扶转化: make sure some 后进 branches of 2023 are better in 2024, and one stays 后进
    behind = sorted(c for c, t in tiers["2023"].items() if t == "后进")
    for c in behind[:3]:
        tiers["2024"][c] = rng.choice(["较好", "一般"])
    if len(behind) > 3:
        tiers["2024"][behind[3]] = "后进"
    honors: dict[str, dict[str, str]] = {}
    for period in ("2023", "2024"):
        best = sorted(c for c, t in tiers[period].items() if t == "先进")
        honors[period] = {c: ("红旗党支部" if i % 2 == 0 else "示范党支部") for i, c in enumerate(best[:4])}
    volunteer = build_volunteer(rng, branches)
    return {"branches": branches, "scores": scores, "tiers": tiers, "honors": honors, "volunteer": volunteer}


# ---------------------------------------------------------------------------------------------------------------
# expected figures, Decimal only


def ratio_str(num: int, den: int) -> str:
    return str(Decimal(num) / Decimal(den)) if den else "0"


def assessment_figures(data: dict, period: str) -> dict:
    branches = {b["code"]: b for b in data["branches"]}
    sc = data["scores"][period]
    totals = {c: sum((d2(h) for h in hs), Decimal(0)) for c, hs in sc.items()}
    passed = sorted(c for c, t in totals.items() if t >= PASS_SCORE)
    item_pass = {}
    for i, it in enumerate(ITEMS):
        line = ITEM_PASS_RATIO * it["max"]
        item_pass[it["code"]] = sum(1 for hs in sc.values() if d2(hs[i]) >= line)
    n = len(sc)
    weakest = sorted(item_pass, key=lambda code: (Fraction(item_pass[code], n), code))[:3]
    by_unit = {}
    for unit, *_ in UNITS:
        us = [c for c in sc if branches[c]["unit"] == unit]
        up = [c for c in us if totals[c] >= PASS_SCORE]
        by_unit[unit] = {"assessed": len(us), "passed": len(up), "compliance_rate": ratio_str(len(up), len(us))}
    at_line = {
        "exactly_80": sorted(c for c, t in totals.items() if t == Decimal(80)),
        "exactly_79_99": sorted(c for c, t in totals.items() if t == Decimal("79.99")),
        "exactly_80_01": sorted(c for c, t in totals.items() if t == Decimal("80.01")),
    }
    float_traps = {
        c: repr(float_sum(sc[c]))
        for c in at_line["exactly_80"] + at_line["exactly_79_99"] + at_line["exactly_80_01"]
        if float_sum(sc[c]) != float(totals[c])
    }
    thresholds = {it["code"]: fmt(ITEM_PASS_RATIO * it["max"]) for it in ITEMS}
    boundary = Counter()
    below = Counter()
    for hs in sc.values():
        for i, it in enumerate(ITEMS):
            if d2(hs[i]) == ITEM_PASS_RATIO * it["max"]:
                boundary[it["code"]] += 1
            elif d2(hs[i]) == ITEM_PASS_RATIO * it["max"] - Decimal("0.01"):
                below[it["code"]] += 1
    dims = {}
    for dim, dname, _mx, _names in DIMENSIONS:
        idx = [i for i, it in enumerate(ITEMS) if it["code"].startswith(dim)]
        got = sum((d2(hs[i]) for hs in sc.values() for i in idx), Decimal(0))
        cap = sum((ITEMS[i]["max"] for i in idx), Decimal(0)) * n
        dims[dim] = {"dimension": dname, "score_sum": fmt(got), "max_sum": fmt(cap), "ratio": str(got / cap)}
    return {
        "period": period,
        "assessed": n,
        "passed": len(passed),
        "failed": n - len(passed),
        "compliance_rate": ratio_str(len(passed), n),
        "compliance_fraction": f"{len(passed)}/{n}",
        "compliance_fraction_reduced": str(Fraction(len(passed), n)),
        "passed_branches": passed,
        "item_pass_counts": item_pass,
        "item_pass_lines": thresholds,
        "weakest_items": weakest,
        "by_unit": by_unit,
        "dimensions": dims,
        "score_sum": fmt(sum(totals.values(), Decimal(0))),
        "totals": {c: fmt(t) for c, t in sorted(totals.items())},
        "at_the_line": at_line,
        "float_sum_differs_from_exact_total": float_traps,
        "items_exactly_at_pass_line": dict(sorted(boundary.items())),
        "items_one_hundredth_below_pass_line": dict(sorted(below.items())),
    }


def volunteer_figures(rows: list[dict], branches: list[dict]) -> dict:
    hours = sum((r["hours"] for r in rows), Decimal(0))
    members = sum(b["members"] for b in branches)
    by_type: dict[str, Decimal] = defaultdict(Decimal)
    by_unit: dict[str, Decimal] = defaultdict(Decimal)
    unit_of = {b["code"]: b["unit"] for b in branches}
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        by_type[r["type"]] += r["hours"]
        by_unit[unit_of[r["branch"]]] += r["hours"]
        by_month[r["date"].strftime("%Y-%m")] += r["hours"]
    served = {r["branch"] for r in rows}
    return {
        "rows": len(rows),
        "total_hours": fmt(hours),
        "person_times": sum(r["person_times"] for r in rows),
        "activities": len({(r["date"], r["branch"], r["activity"]) for r in rows}),
        "branches_with_service": len(served),
        "branches_without_service": sorted(b["code"] for b in branches if b["code"] not in served),
        "hours_per_member_all_branches": str(hours / Decimal(members)),
        "first_date": min(r["date"] for r in rows).isoformat() if rows else None,
        "last_date": max(r["date"] for r in rows).isoformat() if rows else None,
        "hours_by_type": {k: fmt(v) for k, v in sorted(by_type.items())},
        "hours_by_unit": {k: fmt(v) for k, v in sorted(by_unit.items())},
        "hours_by_month": {k: fmt(v) for k, v in sorted(by_month.items())},
    }


def tier_figures(data: dict) -> dict:
    out: dict = {"periods": {}}
    for period, t in data["tiers"].items():
        counts = Counter(t.values())
        out["periods"][period] = {
            "rated": len(t),
            "tier_counts": {tier: counts.get(tier, 0) for tier in TIERS},
            "honors": dict(Counter(data["honors"][period].values())),
        }
    before, after = data["tiers"]["2023"], data["tiers"]["2024"]
    both = sorted(set(before) & set(after))
    rank = {t: i for i, t in enumerate(TIERS)}
    promoted = [c for c in both if rank[after[c]] < rank[before[c]]]
    demoted = [c for c in both if rank[after[c]] > rank[before[c]]]
    out["movement_2023_to_2024"] = {
        "rated_in_both": len(both),
        "promoted": len(promoted),
        "demoted": len(demoted),
        "unchanged": len(both) - len(promoted) - len(demoted),
        "helped_out_of_last_tier": sorted(c for c in both if before[c] == TIERS[-1] and after[c] != TIERS[-1]),
        "still_last_tier": sorted(c for c in both if before[c] == TIERS[-1] and after[c] == TIERS[-1]),
    }
    return out


def branch_figures(branches: list[dict]) -> dict:
    return {
        "branches": len(branches),
        "units": len({b["unit"] for b in branches}),
        "members": sum(b["members"] for b in branches),
        "branches_by_unit": dict(Counter(b["unit"] for b in branches)),
        "sector_of_unit": {u: s for u, _p, s, _n in UNITS},
        "codes": [b["code"] for b in branches],
    }


# ---------------------------------------------------------------------------------------------------------------
# tables (header + rows of Python values: str, int, Decimal, date, Formula, None)


class Formula:
    def __init__(self, expr: str, style: str | None = None):
        self.expr, self.style = expr, style


class Cell:
    """A cell with options: merged span, number/date style."""

    def __init__(self, value, colspan: int = 1, rowspan: int = 1, style: str | None = None):
        self.value, self.colspan, self.rowspan, self.style = value, colspan, rowspan, style


def col_letter(i: int) -> str:  # 0 → A
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


ROSTER_HEADER = ["支部编码", "支部名称", "所属单位", "所属系统", "党员人数", "支部书记", "成立日期", "换届日期"]
TIER_HEADER = ["期次", "支部编码", "支部名称", "档次", "荣誉"]
VOL_HEADER = ["活动日期", "支部编码", "活动名称", "活动类型", "服务时长（小时）", "人次", "服务对象"]
STD_HEADER = ["项目编码", "维度", "项目名称", "分值"]


def roster_rows(data: dict) -> list[list]:
    return [
        [b["code"], b["name"], b["unit"], b["sector"], b["members"], b["secretary"], b["founded"], b["election"]]
        for b in data["branches"]
    ]


def wide_header(style: str) -> list[str]:
    if style == "code+name":
        items = [it["code"] + it["name"] for it in ITEMS]
    elif style == "name":
        items = [it["name"] for it in ITEMS]
    else:
        items = [it["code"] for it in ITEMS]
    return ["序号", "支部编码", "支部名称", "所属单位", *items, "总分"]


def wide_rows(data: dict, period: str, total_formula: bool = False, first_row: int = 2) -> list[list]:
    by_code = {b["code"]: b for b in data["branches"]}
    rows = []
    for k, (code, hs) in enumerate(data["scores"][period].items(), start=1):
        b = by_code[code]
        total: Decimal | Formula = sum((d2(h) for h in hs), Decimal(0))
        if total_formula:
            r = first_row + k - 1
            total = Formula(f"SUM([.E{r}:.{col_letter(3 + 24)}{r}])")
        rows.append([k, code, b["name"], b["unit"], *[d2(h) for h in hs], total])
    return rows


def tier_rows(data: dict) -> list[list]:
    names = {b["code"]: b["name"] for b in data["branches"]}
    return [
        [f"{period}年度", c, names[c], t, data["honors"][period].get(c)]
        for period, ts in data["tiers"].items()
        for c, t in ts.items()
    ]


def vol_rows(rows: list[dict]) -> list[list]:
    return [[r["date"], r["branch"], r["activity"], r["type"], r["hours"], r["person_times"], r["partner"]] for r in rows]


def std_rows() -> list[list]:
    return [[it["code"], it["dimension"], it["name"], it["max"]] for it in ITEMS]


# ---------------------------------------------------------------------------------------------------------------
# writers


def csv_value(v) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return fmt(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        for r in rows:
            w.writerow([csv_value(v) for v in r])


FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<number:date-style style:name="N_iso"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
<number:date-style style:name="N_slash"><number:year number:style="long"/><number:text>/</number:text><number:month/><number:text>/</number:text><number:day/></number:date-style>
<number:date-style style:name="N_cn"><number:year number:style="long"/><number:text>年</number:text><number:month/><number:text>月</number:text><number:day/><number:text>日</number:text></number:date-style>
<number:number-style style:name="N_2dp"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1"/></number:number-style>
<style:style style:name="date_iso" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_iso"/>
<style:style style:name="date_slash" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_slash"/>
<style:style style:name="date_cn" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_cn"/>
<style:style style:name="num_2dp" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N_2dp"/>
<style:style style:name="bold" style:family="table-cell" style:parent-style-name="Default"><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="row_hidden" style:family="table-row"><style:table-row-properties style:row-height="0.178in" fo:break-before="auto" style:use-optimal-row-height="true"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
"""
FODS_TAIL = "</office:spreadsheet></office:body></office:document>\n"


class Sheet:
    def __init__(self, name: str, date_style: str = "date_iso"):
        self.name, self.date_style = name, date_style
        self.rows: list[list] = []
        self.hidden: set[int] = set()  # 0-based row indexes

    def add(self, row: list, hidden: bool = False) -> int:
        self.rows.append(row)
        if hidden:
            self.hidden.add(len(self.rows) - 1)
        return len(self.rows)  # the Excel row number of the row just added


def fods_cell(v, style: str | None, date_style: str) -> str:
    attrs = ""
    span = ""
    if isinstance(v, Cell):
        if v.colspan > 1:
            span += f' table:number-columns-spanned="{v.colspan}"'
        if v.rowspan > 1:
            span += f' table:number-rows-spanned="{v.rowspan}"'
        style = v.style or style
        v = v.value
    if style:
        attrs += f' table:style-name="{style}"'
    if v is None:
        return f"<table:table-cell{attrs}{span}/>"
    if isinstance(v, Formula):
        if v.style:
            attrs = f' table:style-name="{v.style}"'
        return f'<table:table-cell{attrs}{span} table:formula="of:={escape(v.expr)}" office:value-type="float"/>'
    if isinstance(v, bool):
        raise TypeError(v)
    if isinstance(v, (int, Decimal)):
        s = fmt(v) if isinstance(v, Decimal) else str(v)
        return (
            f'<table:table-cell{attrs}{span} office:value-type="float" office:value="{s}"><text:p>{s}</text:p></table:table-cell>'
        )
    if isinstance(v, dt.date):
        if not style:
            attrs += f' table:style-name="{date_style}"'
        return (
            f'<table:table-cell{attrs}{span} office:value-type="date" office:date-value="{v.isoformat()}">'
            f"<text:p>{v.isoformat()}</text:p></table:table-cell>"
        )
    return f'<table:table-cell{attrs}{span} office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'


def write_fods(path: Path, sheets: list[Sheet]) -> None:
    parts = [FODS_HEAD]
    for sh in sheets:
        width = max(sum(c.colspan if isinstance(c, Cell) else 1 for c in r) for r in sh.rows)
        covered: set[tuple[int, int]] = set()
        parts.append(f'<table:table table:name="{escape(sh.name)}">')
        parts.append(f'<table:table-column table:number-columns-repeated="{width}"/>')
        for ri, row in enumerate(sh.rows):
            vis = ' table:style-name="row_hidden" table:visibility="collapse"' if ri in sh.hidden else ""
            parts.append(f"<table:table-row{vis}>")
            ci = 0
            cells = iter(row)
            while True:
                if (ri, ci) in covered:
                    parts.append("<table:covered-table-cell/>")
                    ci += 1
                    continue
                try:
                    v = next(cells)
                except StopIteration:
                    break
                parts.append(fods_cell(v, None, sh.date_style))
                if isinstance(v, Cell) and (v.colspan > 1 or v.rowspan > 1):
                    for dr in range(v.rowspan):
                        for dc in range(v.colspan):
                            if dr or dc:
                                covered.add((ri + dr, ci + dc))
                ci += 1
            while (ri, ci) in covered:  # trailing covered cells of a horizontal merge
                parts.append("<table:covered-table-cell/>")
                ci += 1
            parts.append("</table:table-row>")
        parts.append("</table:table>")
    parts.append(FODS_TAIL)
    path.write_text("".join(parts), encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------------
# the corpus


def sheet_info(name: str, role: str, header_row: int | None, first: int | None, last: int | None, **extra) -> dict:
    info = {
        "name": name,
        "role": role,
        "header_row": header_row,
        "first_data_row": first,
        "last_data_row": last,
        "data_rows": (last - first + 1) if first and last else 0,
    }
    info.update(extra)
    return info


def plain_sheet(name: str, header: list[str], rows: list[list], date_style: str = "date_iso") -> tuple[Sheet, dict]:
    sh = Sheet(name, date_style)
    sh.add(header)
    for r in rows:
        sh.add(r)
    return sh, sheet_info(name, "data", 1, 2, 1 + len(rows))


def build_workbooks(data: dict) -> list[dict]:
    """Each workbook: stem, kind, dataset, sheets (Sheet objects), sheet infos, csv variants and notes."""
    books = []
    vol = data["volunteer"]
    vol23 = [r for r in vol if r["date"].year == 2023]
    vol24 = [r for r in vol if r["date"].year == 2024]
    h1 = [r for r in vol24 if r["date"].month <= 6]
    h2 = [r for r in vol24 if r["date"].month > 6]

    # --- plain tables -------------------------------------------------------------------------------------
    sh, info = plain_sheet("支部名册", ROSTER_HEADER, roster_rows(data), "date_slash")
    books.append(
        {
            "stem": "roster",
            "kind": "branches",
            "dataset": "branches",
            "sheets": [sh],
            "info": [info],
            "csv": (ROSTER_HEADER, roster_rows(data)),
            "notes": "支部名册, one row per branch; 成立日期/换届日期 are date cells shown as yyyy/m/d",
        }
    )
    for period, style in (("2023", "name"), ("2024", "code+name")):
        header = wide_header(style)
        rows = wide_rows(data, period)
        sh, info = plain_sheet(f"{period}年度考核得分", header, rows)
        books.append(
            {
                "stem": f"scores_{period}",
                "kind": "assessments",
                "dataset": f"assessments_{period}",
                "period": period,
                "sheets": [sh],
                "info": [info],
                "csv": (header, rows),
                "notes": f"wide assessment sheet, items headed by {'item name (应建尽建)' if style == 'name' else 'code and name (A1应建尽建)'}; "
                "总分 is a typed number equal to the exact item sum; no period in the file (pass --period)",
            }
        )
    sh, info = plain_sheet("分类定级", TIER_HEADER, tier_rows(data))
    books.append(
        {
            "stem": "tiers",
            "kind": "tiers",
            "dataset": "tiers",
            "sheets": [sh],
            "info": [info],
            "csv": (TIER_HEADER, tier_rows(data)),
            "notes": "tiers for 2023年度 and 2024年度 in one sheet; 荣誉 mostly empty",
        }
    )
    sh, info = plain_sheet("志愿服务", VOL_HEADER, vol_rows(vol))
    books.append(
        {
            "stem": "volunteer",
            "kind": "volunteer",
            "dataset": "volunteer_all",
            "sheets": [sh],
            "info": [info],
            "csv": (VOL_HEADER, vol_rows(vol)),
            "notes": "all 600 volunteer records of 2023–2024; dates as yyyy-mm-dd date cells",
        }
    )

    # --- (a) title row above the header, 合计 row under the table, 总分 as =SUM() ------------------------------
    header = wide_header("code+name")
    sh = Sheet("考核得分")
    width = len(header)
    sh.add([Cell("2024年度市直机关党支部考核得分表", colspan=width, style="bold")])
    sh.add(header)
    rows = wide_rows(data, "2024", total_formula=True, first_row=3)
    for r in rows:
        sh.add(r)
    last = 2 + len(rows)
    total_row = [Cell("合计", colspan=4)] + [Formula(f"SUM([.{col_letter(c)}3:.{col_letter(c)}{last}])") for c in range(4, width)]
    total_at = sh.add(total_row)
    books.append(
        {
            "stem": "a_title_total_2024",
            "kind": "assessments",
            "dataset": "assessments_2024",
            "period": "2024",
            "sheets": [sh],
            "csv_from_workbook": True,
            "info": [
                sheet_info(
                    "考核得分",
                    "data",
                    2,
                    3,
                    last,
                    title_rows=[1],
                    total_rows=[total_at],
                    merged=[f"A1:{col_letter(width - 1)}1", f"A{total_at}:D{total_at}"],
                    formula_columns=["总分"],
                    period_in_title="2024",
                )
            ],
            "notes": "title row merged across the table, header on row 2, 40 branches, then a 合计 row (label merged over A:D, "
            "=SUM() of every item column); 总分 of each branch is =SUM(E:AB) of its row, so its cached value is "
            "LibreOffice's floating-point sum",
        }
    )

    # --- (b) first sheet is the 评分标准 reference table, second holds the 2024 wide scores ----------------------
    s1, i1 = plain_sheet("评分标准", STD_HEADER, std_rows())
    i1["role"] = "reference (standards)"
    header = wide_header("name")
    s2, i2 = plain_sheet("2024年度得分", header, wide_rows(data, "2024"))
    books.append(
        {
            "stem": "b_standards_first_2024",
            "kind": "assessments",
            "dataset": "assessments_2024",
            "period": "2024",
            "sheets": [s1, s2],
            "info": [i1, i2],
            "notes": "sheet 1 评分标准 (项目编码, 维度, 项目名称, 分值: the 24 items, a standards table, not scores); "
            "sheet 2 the 2024 wide scores headed by item names",
        }
    )

    # --- (c) volunteer workbook split into 上半年 / 下半年 sheets -----------------------------------------------
    s1, i1 = plain_sheet("上半年", VOL_HEADER, vol_rows(h1), "date_slash")
    s2, i2 = plain_sheet("下半年", VOL_HEADER, vol_rows(h2), "date_slash")
    i1["dataset"], i2["dataset"] = "volunteer_2024_H1", "volunteer_2024_H2"
    books.append(
        {
            "stem": "c_volunteer_halves_2024",
            "kind": "volunteer",
            "dataset": "volunteer_2024",
            "sheets": [s1, s2],
            "info": [i1, i2],
            "notes": "2024 volunteer records in two sheets with the same headers (上半年 Jan–Jun, 下半年 Jul–Dec); "
            "all rows of both sheets belong to the import; dates shown as yyyy/m/d",
        }
    )

    # --- (d) footers: 平均分 / 最高分 / 最低分 rows and a signature line over several cells --------------------------
    header = wide_header("code")
    sh = Sheet("考核得分")
    sh.add(header)
    rows = wide_rows(data, "2023")
    for r in rows:
        sh.add(r)
    last = 1 + len(rows)
    footer_rows = []
    for label, fn in (("平均分", "AVERAGE"), ("最高分", "MAX"), ("最低分", "MIN")):
        footer_rows.append(
            sh.add(
                [label, None, None, None]
                + [Formula(f"{fn}([.{col_letter(c)}2:.{col_letter(c)}{last}])", "num_2dp") for c in range(4, len(header))]
            )
        )
    blank = sh.add([None])
    sig = [None] * 20
    sig[0], sig[5], sig[10], sig[15] = "填表人：张三", "审核人：李四", "联系电话：12345678", "填报日期：2025年1月10日"
    sig_at = sh.add(sig)
    books.append(
        {
            "stem": "d_footers_2023",
            "kind": "assessments",
            "dataset": "assessments_2023",
            "period": "2023",
            "sheets": [sh],
            "csv_from_workbook": True,
            "info": [
                sheet_info(
                    "考核得分",
                    "data",
                    1,
                    2,
                    last,
                    footer_rows=footer_rows,
                    blank_rows=[blank],
                    signature_rows=[sig_at],
                    signature_cells=[f"A{sig_at}", f"F{sig_at}", f"K{sig_at}", f"P{sig_at}"],
                )
            ],
            "notes": "2023 wide scores headed by item codes only (A1 … F2); under the table 平均分/最高分/最低分 rows "
            "(=AVERAGE/MAX/MIN shown with 2 decimals), a blank row, then one row of signature cells "
            "填表人：张三 | 审核人：李四 | 联系电话：12345678 | 填报日期：2025年1月10日 in A, F, K, P",
        }
    )

    # --- (e) roster with 所属单位 merged down over its branches ------------------------------------------------
    header = ["序号", *ROSTER_HEADER]
    sh = Sheet("支部名册", "date_slash")
    sh.add(header)
    merges = []
    k = 0
    for unit, *_ in UNITS:
        group = [b for b in data["branches"] if b["unit"] == unit]
        for j, b in enumerate(group):
            k += 1
            if j == 0:  # the merged 所属单位 cell; the rows below it get a covered cell from the writer
                row_no = sh.add(
                    [
                        k,
                        b["code"],
                        b["name"],
                        Cell(unit, rowspan=len(group)),
                        b["sector"],
                        b["members"],
                        b["secretary"],
                        b["founded"],
                        b["election"],
                    ]
                )
                merges.append(f"D{row_no}:D{row_no + len(group) - 1}")
            else:
                sh.add([k, b["code"], b["name"], b["sector"], b["members"], b["secretary"], b["founded"], b["election"]])
    books.append(
        {
            "stem": "e_roster_merged",
            "kind": "branches",
            "dataset": "branches",
            "sheets": [sh],
            "csv_from_workbook": True,
            "info": [sheet_info("支部名册", "data", 1, 2, 1 + len(data["branches"]), merged=merges, merged_column="所属单位")],
            "notes": "roster sorted by unit with a 序号 column; 所属单位 is one merged cell per unit spanning its branches, "
            "so only the first row of each unit has the value in the file",
        }
    )

    # --- (f) volunteer sheet with a few hidden rows --------------------------------------------------------------
    sh = Sheet("2023年志愿服务", "date_cn")
    sh.add(VOL_HEADER)
    hide_at = {7, 8, 150}  # 0-based data row indexes
    hidden_rows = []
    for i, r in enumerate(vol_rows(vol23)):
        n = sh.add(r, hidden=i in hide_at)
        if i in hide_at:
            hidden_rows.append(n)
    books.append(
        {
            "stem": "f_volunteer_hidden_2023",
            "kind": "volunteer",
            "dataset": "volunteer_2023",
            "sheets": [sh],
            "csv_from_workbook": True,
            "info": [sheet_info("2023年志愿服务", "data", 1, 2, 1 + len(vol23), hidden_rows=hidden_rows)],
            "notes": "2023 volunteer records; rows "
            + ", ".join(map(str, hidden_rows))
            + " are hidden in the sheet and are data like the others; dates shown as yyyy年m月d日",
        }
    )
    return books


def soffice_version(soffice: str) -> str:
    out = subprocess.run([soffice, "--headless", "--version"], capture_output=True, text=True, check=True).stdout
    return out.strip()


def convert(soffice: str, profile: Path, target: str, outdir: Path, files: list[Path]) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"soffice failed ({res.returncode}): {' '.join(cmd)}\n{res.stdout}\n{res.stderr}")
    missing = [f for f in files if not (outdir / (f.stem + "." + target.split(":")[0])).exists()]
    if missing:
        raise SystemExit(f"soffice wrote nothing for {missing}: {res.stdout}\n{res.stderr}")


# the exact conversion targets (filter name : filter options)
TARGETS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "xls": "xls:MS Excel 97",
    "ods": "ods:calc8",
    # CSV export options: separator, text delimiter, character set (numeric rtl_TextEncoding: 67 = GBK,
    # 65535 = UTF-16LE with BOM; names such as GBK or UNICODE are silently ignored by LibreOffice 7.4 and give UTF-8),
    # first line (unused on export), cell formats (unused), language, quote all text, detect special numbers
    # (unused), save cell contents as shown
    "gbk.csv": "csv:Text - txt - csv (StarCalc):44,34,67,1,,0,false,true,true",
    "utf16.csv": "csv:Text - txt - csv (StarCalc):9,34,65535,1,,0,false,true,true",
    # Legacy exports that old systems still name .xls: Excel 2003 XML (SpreadsheetML) and an HTML table.
    "2003xml.xls": "xml:MS Excel 2003 XML",
    "html.xls": "html:HTML (StarCalc)",
}
LEGACY_STEMS = ("roster", "tiers")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=HERE / "files")
    ap.add_argument("--soffice", default=shutil.which("soffice") or "soffice")
    ap.add_argument("--keep-sources", action="store_true", help="keep the .fods files LibreOffice converted")
    args = ap.parse_args(argv)
    t0 = time.monotonic()

    data = build_dataset()
    books = build_workbooks(data)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    version = soffice_version(args.soffice)

    with tempfile.TemporaryDirectory(prefix="office_corpus_") as tmp_name:
        tmp = Path(tmp_name)
        src = tmp / "src"
        src.mkdir()
        fods = []
        for book in books:
            path = src / f"{book['stem']}.fods"
            write_fods(path, book["sheets"])
            fods.append(path)
            if "csv" in book:
                write_csv(out / f"{book['stem']}.utf8.csv", *book["csv"])
        profile = tmp / "profile"
        for ext in ("xlsx", "xls", "ods"):
            convert(args.soffice, profile, TARGETS[ext], tmp / ext, fods)
            for f in fods:
                shutil.move(str(tmp / ext / f"{f.stem}.{ext}"), out / f"{f.stem}.{ext}")
        single = [f for f, b in zip(fods, books, strict=True) if "csv" in b or b.get("csv_from_workbook")]
        for ext in ("gbk.csv", "utf16.csv"):
            wanted = single if ext == "gbk.csv" else [f for f, b in zip(fods, books, strict=True) if "csv" in b]
            convert(args.soffice, profile, TARGETS[ext], tmp / ext, wanted)
            for f in wanted:
                shutil.move(str(tmp / ext / f"{f.stem}.csv"), out / f"{f.stem}.{ext}")
        legacy = [f for f in fods if f.stem in LEGACY_STEMS]
        for ext, written in (("2003xml.xls", "xml"), ("html.xls", "html")):
            convert(args.soffice, profile, TARGETS[ext], tmp / ext, legacy)
            for f in legacy:
                shutil.move(str(tmp / ext / f"{f.stem}.{written}"), out / f"{f.stem}.{ext}")
        if args.keep_sources:
            (out / "src").mkdir(exist_ok=True)
            for f in fods:
                shutil.copy(f, out / "src" / f.name)

    vol = data["volunteer"]
    datasets = {
        "branches": branch_figures(data["branches"]),
        "standards": {
            "items": len(ITEMS),
            "max_total": fmt(sum((it["max"] for it in ITEMS), Decimal(0))),
            "items_list": [
                {"code": it["code"], "dimension": it["dimension"], "name": it["name"], "max": fmt(it["max"])} for it in ITEMS
            ],
        },
        "assessments_2023": assessment_figures(data, "2023"),
        "assessments_2024": assessment_figures(data, "2024"),
        "tiers": tier_figures(data),
        "volunteer_all": volunteer_figures(vol, data["branches"]),
        "volunteer_2023": volunteer_figures([r for r in vol if r["date"].year == 2023], data["branches"]),
        "volunteer_2024": volunteer_figures([r for r in vol if r["date"].year == 2024], data["branches"]),
        "volunteer_2024_H1": volunteer_figures(
            [r for r in vol if r["date"].year == 2024 and r["date"].month <= 6], data["branches"]
        ),
        "volunteer_2024_H2": volunteer_figures(
            [r for r in vol if r["date"].year == 2024 and r["date"].month > 6], data["branches"]
        ),
    }
    files = {}
    for book in books:
        base = {k: book[k] for k in ("kind", "dataset") if k in book}
        if "period" in book:
            base["period"] = book["period"]
        base["notes"] = book["notes"]
        for ext in ("xlsx", "xls", "ods"):
            files[f"{book['stem']}.{ext}"] = {**base, "format": ext, "sheets": book["info"]}
        first = book["info"][0]
        csv_sheet = [{**first, "name": None}]
        if "csv" in book:
            files[f"{book['stem']}.utf8.csv"] = {
                **base,
                "format": "csv",
                "encoding": "utf-8",
                "delimiter": ",",
                "writer": "python csv (dates ISO, decimals as typed)",
                "sheets": csv_sheet,
            }
            files[f"{book['stem']}.utf16.csv"] = {
                **base,
                "format": "csv",
                "encoding": "utf-16 (LE, BOM)",
                "delimiter": "\t",
                "writer": "LibreOffice",
                "sheets": csv_sheet,
            }
        if book["stem"] in LEGACY_STEMS:
            files[f"{book['stem']}.2003xml.xls"] = {**base, "format": "Excel 2003 XML (SpreadsheetML)", "sheets": book["info"]}
            files[f"{book['stem']}.html.xls"] = {**base, "format": "HTML table", "sheets": csv_sheet}
        if "csv" in book or book.get("csv_from_workbook"):
            files[f"{book['stem']}.gbk.csv"] = {
                **base,
                "format": "csv",
                "encoding": "gbk",
                "delimiter": ",",
                "writer": "LibreOffice",
                "sheets": csv_sheet,
            }
    expected = {
        "about": "Figures computed with decimal.Decimal by tests/office/make_corpus.py from the generated data, not from the files. "
        "Rows are Excel row numbers (1-based). Rates are passed/assessed as Decimal strings (28 significant digits).",
        "seed": SEED,
        "generator": {"libreoffice": version, "targets": TARGETS},
        "settings": {"pass_score": "80", "item_pass_ratio": "0.6", "tiers": TIERS, "veto_items": []},
        "datasets": datasets,
        "files": dict(sorted(files.items())),
    }
    (out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"wrote {len(files)} files + expected.json to {out} in {time.monotonic() - t0:.1f}s ({version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
