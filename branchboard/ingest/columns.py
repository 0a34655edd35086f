"""Stage 3, map columns: headers as written → canonical fields, and the kind a file is, from its headers.

Headers are compared after NFKC (full-width → half-width), with whitespace, `*` and the unit in brackets
removed (`服务时长（小时）` → `服务时长`), case folded. Each kind lists its fields with aliases; a wide
assessment sheet has one column per checklist item, headed by code (`A1`), name (`应建尽建`) or both (`A1应建尽建`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_BRACKETS = re.compile(r"[(\[【〔<《].*?[)\]】〕>》]")
_NOISE = re.compile(r"[\s*:：#]+")

# Canonical field → aliases (compared normalised). Shared by every kind that has the field.
ALIASES: dict[str, tuple[str, ...]] = {
    "branch_code": ("支部编码", "支部代码", "组织编码", "党组织编码", "党组织代码", "支部编号", "组织代码", "branch_code"),
    "branch_name": ("支部名称", "党支部", "党组织名称", "支部", "党支部名称", "组织名称", "支部全称", "branch_name", "branch"),
    "unit_name": ("所属单位", "单位", "单位名称", "所在单位", "unit_name", "unit"),
    "sector": ("所属系统", "系统", "sector"),
    "member_count": ("党员人数", "党员数", "党员总数", "人数", "member_count", "members"),
    "secretary": ("书记", "支部书记", "党支部书记", "secretary"),
    "founded_on": ("成立日期", "成立时间", "建立时间", "建立日期", "founded_on"),
    "last_election_on": (
        "换届日期",
        "换届时间",
        "上次换届时间",
        "上次换届日期",
        "最近换届日期",
        "最近换届时间",
        "last_election_on",
    ),
    "term_years": ("任期", "任期年限", "届期", "term_years"),
    "item_code": ("项目编码", "指标编码", "项目代码", "标准编码", "条目编号", "编码", "item_code"),
    "dimension": ("维度", "一级指标", "考核维度", "dimension"),
    "item_name": ("项目名称", "项目", "指标", "指标名称", "考核项目", "二级指标", "标准名称", "考核内容", "item_name", "item"),
    "dimension_en": ("英文维度", "维度英文", "维度英文名称", "dimension_en", "english dimension"),
    "item_name_en": ("英文名称", "项目英文名称", "英文项目名称", "item_name_en", "english name", "english item"),
    "max_score": ("满分", "分值", "标准分", "max_score"),
    "veto": ("一票否决", "否决项", "是否一票否决", "veto"),
    "period": ("期次", "考核期", "考核期次", "年度", "考核年度", "期间", "定级期次", "period"),
    "score": ("得分", "分数", "评分", "考核得分", "score"),
    "total": ("总分", "总得分", "得分合计", "合计得分", "合计", "综合得分", "考核总分", "得分", "total"),
    "tier": ("档次", "定级", "定级结果", "定级档次", "等次", "评定等次", "等级", "tier"),
    "honors": ("荣誉", "表彰", "荣誉称号", "获得荣誉", "honors"),
    "activity_date": ("日期", "活动日期", "服务日期", "时间", "活动时间", "服务时间", "activity_date", "date"),
    "member_code": ("党员编号", "党员编码", "人员编号", "党员", "member_code"),
    "activity": ("活动名称", "活动", "服务内容", "活动内容", "服务项目", "activity"),
    "activity_type": ("活动类型", "类型", "服务类型", "活动类别", "activity_type"),
    "hours": ("服务时长", "时长", "志愿服务时长", "小时数", "时数", "服务小时", "hours"),
    "person_times": ("人次", "参与人次", "服务人次", "参加人次", "person_times"),
    "partner": ("服务对象", "共建单位", "结对社区", "服务社区", "社区", "partner"),
}

IGNORED_HEADERS = frozenset({"序号", "序", "no", "no."})


@dataclass(frozen=True)
class KindSpec:
    fields: tuple[str, ...]
    # Each group must be matched by at least one of its fields.
    required: tuple[tuple[str, ...], ...]


BRANCH_REF = ("branch_code", "branch_name")

KIND_SPECS: dict[str, KindSpec] = {
    "branches": KindSpec(
        (
            "branch_code",
            "branch_name",
            "unit_name",
            "sector",
            "member_count",
            "secretary",
            "founded_on",
            "last_election_on",
            "term_years",
        ),
        (("branch_code",), ("branch_name",), ("unit_name",), ("member_count",)),
    ),
    "standards": KindSpec(
        ("item_code", "dimension", "item_name", "max_score", "veto", "dimension_en", "item_name_en"),
        (("item_code",), ("dimension",), ("item_name",), ("max_score",)),
    ),
    # Long shape; the wide shape is recognised by its item columns (see match_items).
    "assessments": KindSpec(
        ("period", "branch_code", "branch_name", "unit_name", "item_code", "item_name", "score", "total"),
        (BRANCH_REF, ("item_code", "item_name"), ("score",)),
    ),
    "tiers": KindSpec(("period", "branch_code", "branch_name", "unit_name", "tier", "honors"), (BRANCH_REF, ("tier",))),
    "volunteer": KindSpec(
        (
            "activity_date",
            "branch_code",
            "branch_name",
            "unit_name",
            "member_code",
            "activity",
            "activity_type",
            "hours",
            "person_times",
            "partner",
        ),
        (("activity_date",), BRANCH_REF, ("activity",), ("hours",)),
    ),
}

WIDE_FIELDS = ("period", "branch_code", "branch_name", "unit_name", "total")


def norm_header(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = _BRACKETS.sub("", s)
    return _NOISE.sub("", s).lower()


_ALIAS_INDEX: dict[str, list[str]] = {}
for _field, _aliases in ALIASES.items():
    for _alias in _aliases:
        _ALIAS_INDEX.setdefault(norm_header(_alias), []).append(_field)


def fields_for(header: str) -> list[str]:
    return _ALIAS_INDEX.get(norm_header(header), [])


@dataclass
class Mapping:
    """field → column index; items: column index → item_code (wide assessments)."""

    fields: dict[str, int] = field(default_factory=dict)
    items: dict[int, str] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (field, column) also matching, not used

    def satisfies(self, spec: KindSpec) -> bool:
        return all(any(f in self.fields for f in group) for group in spec.required)


def map_fields(headers: list[str], wanted: tuple[str, ...]) -> Mapping:
    """First column whose header is an alias of each wanted field; later ones are reported as duplicates."""
    mapping = Mapping()
    for col, header in enumerate(headers):
        for f in fields_for(header):
            if f not in wanted:
                continue
            if f in mapping.fields:
                mapping.duplicates.append((f, col))
            elif col not in mapping.fields.values():
                mapping.fields[f] = col
            break
    return mapping


_CODE_PREFIX = re.compile(r"^([a-z]{1,2}\d{1,3})[.、\-_ ]?(.*)$")


def match_items(headers: list[str], standards: list[tuple[str, str]], taken: set[int]) -> dict[int, str]:
    """Columns headed by an item's code, name, or code followed by name → item_code."""
    by_code = {norm_header(code): code for code, _ in standards}
    by_name = {norm_header(name): code for code, name in standards}
    items: dict[int, str] = {}
    for col, header in enumerate(headers):
        if col in taken:
            continue
        h = norm_header(header)
        if not h:
            continue
        code = by_code.get(h) or by_name.get(h)
        if code is None:
            m = _CODE_PREFIX.match(h)
            if m and m.group(1) in by_code:
                code = by_code[m.group(1)]
        if code is not None and code not in items.values():
            items[col] = code
    return items


@dataclass
class KindGuess:
    kind: str
    shape: str | None
    mapping: Mapping
    score: int


def guess_kinds(headers: list[str], standards: list[tuple[str, str]]) -> list[KindGuess]:
    """Every kind the headers could be, best first; a kind qualifies when its required columns are all there."""
    guesses: list[KindGuess] = []
    for kind, spec in KIND_SPECS.items():
        mapping = map_fields(headers, spec.fields)
        if kind == "assessments":
            wide = map_fields(headers, WIDE_FIELDS)
            wide.items = match_items(headers, standards, set(wide.fields.values()))
            long_ok = mapping.satisfies(spec)
            if wide.items and any(f in wide.fields for f in BRANCH_REF) and (not long_ok or len(wide.items) >= 2):
                guesses.append(KindGuess(kind, "wide", wide, len(wide.fields) + len(wide.items)))
                continue
            if long_ok:
                guesses.append(KindGuess(kind, "long", mapping, len(mapping.fields)))
            continue
        if mapping.satisfies(spec):
            guesses.append(KindGuess(kind, None, mapping, len(mapping.fields)))
    guesses.sort(key=lambda g: -g.score)
    return guesses


def header_score(cells: list[str], standards: list[tuple[str, str]]) -> int:
    """How much a row looks like a header: cells that are a known alias or a checklist item."""
    names = {norm_header(c) for c, _ in standards} | {norm_header(n) for _, n in standards}
    score = 0
    for cell in cells:
        h = norm_header(cell)
        if not h:
            continue
        if h in _ALIAS_INDEX or h in names:
            score += 1
        else:
            m = _CODE_PREFIX.match(h)
            if m and m.group(1) in names:
                score += 1
    return score


def spec_fields(kind: str, shape: str | None) -> tuple[str, ...]:
    return WIDE_FIELDS if kind == "assessments" and shape == "wide" else KIND_SPECS[kind].fields


def required_groups(kind: str, shape: str | None) -> tuple[tuple[str, ...], ...]:
    if kind == "assessments" and shape == "wide":
        return (BRANCH_REF,)
    return KIND_SPECS[kind].required
