"""A demo committee that looks like a real one: units named like the committee's own, the 六化 checklist,
several annual assessments that improve over time with a few chronic weak items, tiers with some 后进
branches lifted and some falling back, and a few thousand volunteer records with partner communities.

Deterministic for a given seed and reference date, so tests and screenshots are repeatable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from branchboard.batches import insert_frame, open_batch
from branchboard.db import Store, mark_all
from branchboard.standards import DEFAULT_STANDARDS

# How the demo's batches are recorded (file "demo:branches", by "demo"): screens show them as 演示数据.
DEMO_FILE_PREFIX = "demo:"
DEMO_IMPORTED_BY = "demo"

# (unit, sector, code prefix, departments that have their own branch)
UNITS: list[tuple[str, str, str, list[str]]] = [
    ("市税务局", "经济管理系统", "SW", ["机关第一", "机关第二", "征收管理科", "纳税服务科", "稽查局", "离退休干部"]),
    ("市公安局", "政法系统", "GA", ["机关第一", "机关第二", "治安支队", "交警支队", "刑侦支队", "出入境管理", "离退休干部"]),
    ("市气象局", "农业与资源系统", "QX", ["机关", "气象台", "气象服务中心"]),
    ("市委党校", "党群系统", "DX", ["机关", "教研第一", "教研第二", "图书信息中心", "学员"]),
    ("市教育局", "科教文卫系统", "JY", ["机关第一", "机关第二", "教研室", "招生考试院", "电教馆", "离退休干部"]),
    ("市司法局", "政法系统", "SF", ["机关", "法律援助中心", "公证处", "社区矫正科", "普法宣传科"]),
    ("市统计局", "经济管理系统", "TJ", ["机关", "普查中心", "调查队"]),
    ("市行政审批局", "政务服务系统", "SP", ["机关", "政务服务大厅第一", "政务服务大厅第二", "投资项目审批科"]),
    ("市文化旅游局", "科教文卫系统", "WL", ["机关", "文化馆", "图书馆", "博物馆", "旅游服务中心"]),
]

# Items most branches find hard: the "short boards" the committee's reports talk about.
CHRONIC_WEAK_ITEMS = {"C2": 0.55, "E1": 0.6, "B4": 0.62, "F2": 0.66}

ACTIVITIES: list[tuple[str, str]] = [
    ("“模法师”法治进校园", "法治宣传"),
    ("社区普法讲座", "法治宣传"),
    ("文明交通劝导", "文明创建"),
    ("创建全国文明城市志愿服务", "文明创建"),
    ("社区环境整治", "环境保护"),
    ("垃圾分类宣传", "环境保护"),
    ("关爱空巢老人", "关爱帮扶"),
    ("困难群众走访慰问", "关爱帮扶"),
    ("助学结对辅导", "助学支教"),
    ("无偿献血", "公益服务"),
    ("政策宣讲进社区", "理论宣讲"),
    ("便民服务进社区", "便民服务"),
]

PARTNERS = [
    "临夏路街道",
    "东城街道朝阳社区",
    "新华街道幸福里社区",
    "西湖街道",
    "金山社区",
    "南关街道",
    "实验小学",
    "第三中学",
    "城南社区",
    "滨河社区",
]

HONORS_BEST = "红旗党支部"
HONORS_MODEL = "示范党支部"


@dataclass(frozen=True)
class DemoData:
    units: pd.DataFrame
    branches: pd.DataFrame
    assessment_scores: pd.DataFrame
    tier_ratings: pd.DataFrame
    volunteer_records: pd.DataFrame


def generate(
    branches: int = 48,
    years: int = 3,
    seed: int = 7,
    today: date | None = None,
    volunteer_rows: int | None = None,
    varied: bool = False,
) -> DemoData:
    """Build the demo tables. `branches` is a target: units get departments in turn until it is reached.

    volunteer_rows: when given, exactly that many volunteer records, one per member and activity (the shape of
    a province's export, for benchmarks); when None, the demo's own few records per branch and year.
    varied: with volunteer_rows, records as varied as the files units send (issue 17): about 3,000 activity names,
    a thousand partners, every day of the year, quarter hours, rows in date order only.
    """
    rng = np.random.default_rng(seed)
    today = today or date.today()
    last_year = today.year - 1
    year_list = list(range(last_year - years + 1, last_year + 1))

    units = pd.DataFrame([(u, s) for u, s, _, _ in UNITS], columns=["unit_name", "sector"])

    rows: list[tuple[str, str, str]] = []
    counters = {u: 0 for u, *_ in UNITS}
    while len(rows) < branches:
        for unit, _, prefix, depts in UNITS:
            if len(rows) >= branches:
                break
            n = counters[unit]
            counters[unit] += 1
            dept = depts[n] if n < len(depts) else f"第{n + 1}"
            name = f"{unit}{dept}党支部"
            rows.append((f"{prefix}{n + 1:03d}", name, unit))
    branch_frame = pd.DataFrame(rows, columns=["branch_code", "branch_name", "unit_name"])
    n_branches = len(branch_frame)
    branch_frame["member_count"] = rng.integers(6, 46, n_branches)
    surnames = list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗")
    given = ["建国", "丽华", "志强", "海燕", "文博", "静", "伟", "晓东", "红梅", "立新", "敏", "国庆"]
    branch_frame["secretary"] = [rng.choice(surnames) + rng.choice(given) for _ in range(n_branches)]
    branch_frame["founded_on"] = [date(int(rng.integers(1985, 2016)), int(rng.integers(1, 13)), 1) for _ in range(n_branches)]
    # Elections spread over the last 3.5 years, so some are overdue and some due soon relative to today.
    branch_frame["last_election_on"] = [today - timedelta(days=int(d)) for d in rng.integers(60, 3 * 365 + 200, n_branches)]
    branch_frame["term_years"] = 3

    # Branch quality: a latent level, improving over the years; a few branches start well behind.
    quality = rng.normal(0.0, 1.0, n_branches)
    laggards = rng.choice(n_branches, size=max(2, n_branches // 10), replace=False)
    quality[laggards] -= 1.6
    silent = set(rng.choice(n_branches, size=max(1, n_branches // 16), replace=False).tolist())

    score_rows = []
    totals: dict[int, np.ndarray] = {}
    for yi, year in enumerate(year_list):
        progress = 0.05 * yi
        year_totals = np.zeros(n_branches)
        for standard in DEFAULT_STANDARDS:
            code, max_score = standard.item_code, standard.max_score
            base = CHRONIC_WEAK_ITEMS.get(code, 0.82) + progress
            level = base + 0.1 * quality + rng.normal(0, 0.11, n_branches)
            raw = np.clip(level, 0.2, 1.0) * max_score
            score = np.round(raw * 2) / 2  # committees score in half points
            year_totals += score
            score_rows.append(
                pd.DataFrame({"period": str(year), "branch_code": branch_frame["branch_code"], "item_code": code, "score": score})
            )
        totals[year] = year_totals
    scores = pd.concat(score_rows, ignore_index=True)

    tier_rows = []
    for year in year_list:
        # Tiers follow the score with some judgement on top, so the mix shifts as scores improve.
        judged = totals[year] + rng.normal(0, 2.5, n_branches)
        order = np.argsort(-judged)
        tiers = np.select([judged >= 90, judged >= 81, judged >= 68], ["先进", "较好", "一般"], "后进").astype(object)
        honors = [(HONORS_BEST if rank < 3 else HONORS_MODEL if rank < 6 else None) for rank in np.argsort(order)]
        tier_rows.append(
            pd.DataFrame({"period": str(year), "branch_code": branch_frame["branch_code"], "tier": tiers, "honors": honors})
        )
    tier_ratings = pd.concat(tier_rows, ignore_index=True)

    if volunteer_rows is None:
        volunteer = _volunteer(rng, branch_frame, year_list, quality, silent, today)
    else:
        volunteer = _volunteer_rows(
            np.random.default_rng(seed + 1), branch_frame, year_list, quality, silent, volunteer_rows, varied
        )
    return DemoData(units, branch_frame, scores, tier_ratings, volunteer)


def _volunteer(
    rng: np.random.Generator,
    branches: pd.DataFrame,
    years: list[int],
    quality: np.ndarray,
    silent: set[int],
    today: date,
) -> pd.DataFrame:
    frames = []
    for i, row in enumerate(branches.to_dict("records")):
        if i in silent:
            continue  # a few branches report no service at all: the page lists them
        partner_pool = rng.choice(PARTNERS, size=2, replace=False)
        for year in years:
            n = max(2, int(rng.poisson(22 + 6 * quality[i])))
            # More service in spring (学雷锋月) and around the autumn term start.
            months = rng.choice(np.arange(1, 13), size=n, p=_MONTH_WEIGHTS)
            days = rng.integers(1, 29, n)
            picks = rng.integers(0, len(ACTIVITIES), n)
            person_times = rng.integers(1, max(2, int(row["member_count"] * 0.6)), n)
            hours = np.round(person_times * rng.uniform(1.5, 3.5, n) * 2) / 2
            dates = [date(year, int(m), int(d)) for m, d in zip(months, days, strict=True)]
            frames.append(
                pd.DataFrame(
                    {
                        "activity_date": dates,
                        "branch_code": row["branch_code"],
                        "member_code": None,
                        "activity": [ACTIVITIES[p][0] for p in picks],
                        "activity_type": [ACTIVITIES[p][1] for p in picks],
                        "hours": hours,
                        "person_times": person_times,
                        "partner": rng.choice(partner_pool, size=n),
                    }
                )
            )
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[frame["activity_date"] <= today]
    return frame.sort_values(["activity_date", "branch_code"]).reset_index(drop=True)


def _volunteer_rows(
    rng: np.random.Generator,
    branches: pd.DataFrame,
    years: list[int],
    quality: np.ndarray,
    silent: set[int],
    rows: int,
    varied: bool = False,
) -> pd.DataFrame:
    """Exactly `rows` records, one per member and activity (person_times 1), built column-wise.

    Rows are shared among the branches that serve by size and quality; each branch's rows are grouped into
    activities of a few members each (same date, activity and partner), the way a member-level export looks.
    All dates fall in the assessed years, which end before today. `varied`: see generate().
    """
    if rows <= 0:
        return pd.DataFrame(columns=_VOLUNTEER_COLUMNS)
    active = np.array([i for i in range(len(branches)) if i not in silent])
    members = branches["member_count"].to_numpy()[active].astype(float)
    weights = members * np.exp(0.3 * quality[active])
    per_branch = rng.multinomial(rows, weights / weights.sum())
    # Activities of ~5 members on average: each row joins one of its branch's activities at random.
    n_events = np.maximum(1, np.ceil(per_branch / 5).astype(int))
    offsets = np.concatenate([[0], np.cumsum(n_events)[:-1]])
    row_branch = np.repeat(np.arange(len(active)), per_branch)
    row_event = offsets[row_branch] + (rng.random(rows) * n_events[row_branch]).astype(int)

    total_events = int(n_events.sum())
    event_years = np.asarray(years)[rng.integers(0, len(years), total_events)]
    year_starts = (event_years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    if varied:  # any day of the year
        year_lengths = ((event_years + 1 - 1970).astype("datetime64[Y]").astype("datetime64[D]") - year_starts).astype(int)
        event_dates = year_starts + (rng.random(total_events) * year_lengths).astype(int).astype("timedelta64[D]")
    else:
        event_months = rng.choice(np.arange(1, 13), size=total_events, p=_MONTH_WEIGHTS)
        event_days = rng.integers(1, 29, total_events)
        event_dates = (year_starts.astype("datetime64[M]") + (event_months - 1).astype("timedelta64[M]")).astype(
            "datetime64[D]"
        ) + (event_days - 1).astype("timedelta64[D]")
    names, types, partners = (
        _varied_names()
        if varied
        else (
            np.array([a for a, _ in ACTIVITIES], dtype=object),
            np.array([t for _, t in ACTIVITIES], dtype=object),
            np.array(PARTNERS, dtype=object),
        )
    )
    event_activity = rng.integers(0, len(names), total_events)
    event_partner = rng.integers(0, len(partners), total_events)

    codes = branches["branch_code"].to_numpy()[active][row_branch]
    member_no = (rng.random(rows) * members[row_branch]).astype(int) + 1
    hours = np.round(rng.uniform(0.5, 8.0, rows) * 4) / 4 if varied else np.round(rng.uniform(1.0, 4.0, rows) * 2) / 2
    frame = pd.DataFrame(
        {
            "activity_date": event_dates[row_event],
            "branch_code": codes,
            "member_code": pd.Series(codes, dtype=object) + "-" + pd.Series(member_no).astype(str).str.zfill(3),
            "activity": names[event_activity[row_event]],
            "activity_type": types[event_activity[row_event]],
            "hours": hours,
            "person_times": np.ones(rows, dtype="int64"),
            "partner": partners[event_partner[row_event]],
        }
    )
    order = ["activity_date"] if varied else ["activity_date", "branch_code"]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


# A hundred street names (ten first characters by ten second ones) for the varied benchmark file.
_PLACES = [a + b for a in "东西南北中新老长安和" for b in "城湖山河桥门关坪园林"]


def _varied_names() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Activity names, their types and partners as many as a province's files hold: each of the demo's activities
    of six types held at 300 places (3,000 names), and 1,000 partner communities."""
    six = list(dict.fromkeys(t for _, t in ACTIVITIES))[:6]
    bases = [(a, t) for a, t in ACTIVITIES if t in six]
    streets = [f"{s}街道" for s in _PLACES]
    places = [f"{s}{n}" for s in streets for n in ("", "第一社区", "第二社区", "第三社区", "第四社区")][:300]
    names = np.array([f"{p}{a}" for p in places for a, _ in bases], dtype=object)
    types = np.array([t for _ in places for _, t in bases], dtype=object)
    partners = np.array(
        [f"{s}{k}社区" for s in streets for k in ("东", "西", "南", "北", "中", "新", "老", "前", "后", "上")][:1000],
        dtype=object,
    )
    return names, types, partners


_VOLUNTEER_COLUMNS = [
    "activity_date",
    "branch_code",
    "member_code",
    "activity",
    "activity_type",
    "hours",
    "person_times",
    "partner",
]

_MONTH_WEIGHTS = np.array([4, 5, 14, 9, 8, 7, 6, 6, 10, 9, 8, 14], dtype=float)
_MONTH_WEIGHTS /= _MONTH_WEIGHTS.sum()


def load(store: Store, data: DemoData, replace_existing: bool = True) -> None:
    """Write the demo into the store in one transaction, one batch per kind."""
    with store.transaction() as cur:
        if replace_existing:
            for table in (
                "volunteer_records",
                "tier_ratings",
                "assessment_scores",
                "branches",
                "units",
                "replaced_units",
                "replaced_branches",
                "replaced_standards",
                "replaced_assessment_scores",
                "replaced_tier_ratings",
            ):
                cur.execute(f"delete from {table}")
            cur.execute("delete from import_batches")
            mark_all(cur)  # every fact is replaced: the pre-aggregates are rebuilt whole
        # One batch per kind, as the importer makes them: the roster's units and branches together, so undoing
        # it cannot leave branches whose unit is gone.
        for kind, name, tables in (
            ("branches", f"{DEMO_FILE_PREFIX}branches", (("units", data.units), ("branches", data.branches))),
            ("assessments", f"{DEMO_FILE_PREFIX}assessment_scores", (("assessment_scores", data.assessment_scores),)),
            ("tiers", f"{DEMO_FILE_PREFIX}tier_ratings", (("tier_ratings", data.tier_ratings),)),
            ("volunteer", f"{DEMO_FILE_PREFIX}volunteer_records", (("volunteer_records", data.volunteer_records),)),
        ):
            batch = open_batch(cur, kind, name, None, len(tables[-1][1]), DEMO_IMPORTED_BY)
            for table, frame in tables:
                insert_frame(cur, table, frame, batch)
