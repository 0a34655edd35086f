"""The one string catalog. Chinese is the default; English is switchable (`lang=en`).

`t(key, lang, **values)` formats the entry; a missing key raises in tests (see test_i18n) rather than
showing a key to a user. Keep entries grouped by page; shared ones first.
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # -- app and navigation ------------------------------------------------------------------
    "app.title": {"zh": "党支部建设数据看板", "en": "Party Branch Dashboard"},
    "app.subtitle": {
        "zh": "机关工委 · 党支部标准化建设、志愿服务与分类定级",
        "en": "Standardization, volunteer service and grading of Party branches",
    },
    "page.overview": {"zh": "总览", "en": "Overview"},
    "page.compliance": {"zh": "达标情况", "en": "Compliance"},
    "page.volunteer": {"zh": "志愿服务", "en": "Volunteer service"},
    "page.tiers": {"zh": "分类定级", "en": "Grading tiers"},
    "page.branch": {"zh": "支部画像", "en": "Branch profile"},
    "page.import": {"zh": "数据导入", "en": "Data import"},
    "app.first_start": {"zh": "首次启动：正在生成演示数据……", "en": "First start: building the demo data…"},
    # -- filters -----------------------------------------------------------------------------
    "filters.header": {"zh": "筛选", "en": "Filters"},
    "filters.from": {"zh": "起始期", "en": "From period"},
    "filters.to": {"zh": "截止期", "en": "To period"},
    "filters.all_periods": {"zh": "全部", "en": "All"},
    "filters.units": {"zh": "单位", "en": "Units"},
    "filters.sectors": {"zh": "所属系统", "en": "Sectors"},
    "filters.tiers": {"zh": "定级档次", "en": "Tiers"},
    "filters.tiers_help": {
        "zh": "按范围内最近一期的定级结果筛选支部",
        "en": "Keeps branches by their tier in the latest tier period in range",
    },
    "filters.all": {"zh": "全部", "en": "All"},
    "filters.reset": {"zh": "清除筛选", "en": "Clear filters"},
    "filters.ignored": {
        "zh": "链接中的以下参数无效，已忽略：{items}",
        "en": "These link parameters are not valid and were ignored: {items}",
    },
    "filters.active": {"zh": "当前筛选：{text}", "en": "Filters: {text}"},
    "filters.none": {"zh": "全部单位、全部期次", "en": "all units, all periods"},
    "filters.range": {"zh": "{a} 至 {b}", "en": "{a} to {b}"},
    "filters.lang": {"zh": "English", "en": "中文"},
    # -- common ------------------------------------------------------------------------------
    "common.no_data": {"zh": "当前筛选条件下没有数据。", "en": "No data for the current filters."},
    "common.how": {"zh": "计算口径", "en": "How this is computed"},
    "common.download_csv": {"zh": "下载数据（CSV）", "en": "Download data (CSV)"},
    "common.vs_previous": {"zh": "较{period}", "en": "vs {period}"},
    "common.period": {"zh": "期次", "en": "Period"},
    "common.unit": {"zh": "单位", "en": "Unit"},
    "common.branch": {"zh": "支部", "en": "Branch"},
    "common.branch_code": {"zh": "支部编码", "en": "Branch code"},
    "common.month": {"zh": "月份", "en": "Month"},
    "common.hours": {"zh": "服务时长（小时）", "en": "Hours"},
    "common.person_times": {"zh": "人次", "en": "Person-times"},
    "common.branches": {"zh": "支部数", "en": "Branches"},
    "common.tier": {"zh": "档次", "en": "Tier"},
    "common.target": {"zh": "目标 {value}", "en": "Target {value}"},
    "common.pass_line": {"zh": "达标线 {value} 分", "en": "Pass line {value}"},
    "common.hours_unit": {"zh": "小时", "en": "h"},
    "common.points": {"zh": "分", "en": "pts"},
    "common.demo_note": {
        "zh": "未配置访问控制：本机开放访问。",
        "en": "Access control is off: open on this machine.",
    },
    # -- overview ----------------------------------------------------------------------------
    "overview.title": {"zh": "总览", "en": "Overview"},
    "overview.kpi.branches": {"zh": "党支部", "en": "Branches"},
    "overview.kpi.members": {"zh": "党员", "en": "Members"},
    "overview.kpi.compliance": {"zh": "达标率", "en": "Compliance rate"},
    "overview.kpi.mean_score": {"zh": "平均得分", "en": "Mean score"},
    "overview.kpi.hours": {"zh": "志愿服务时长", "en": "Volunteer hours"},
    "overview.kpi.hours_per_member": {"zh": "人均服务时长", "en": "Hours per member"},
    "overview.kpi.worst_tier": {"zh": "{tier}支部", "en": "{tier} branches"},
    "overview.kpi.period_caption": {"zh": "考核期：{period}", "en": "Assessment period: {period}"},
    "overview.kpi.passed_of": {"zh": "{passed}/{assessed} 个支部达标", "en": "{passed} of {assessed} branches pass"},
    "overview.compliance_trend": {"zh": "达标率趋势", "en": "Compliance rate by period"},
    "overview.tier_mix": {"zh": "定级结构", "en": "Tier mix"},
    "overview.volunteer_trend": {"zh": "志愿服务时长（按月）", "en": "Volunteer hours by month"},
    "overview.weakest": {"zh": "短板项目（达标比例最低）", "en": "Weakest items (lowest pass rate)"},
    "overview.tier_moves": {
        "zh": "较{before}：晋位 {promoted} 个，降档 {demoted} 个，持平 {unchanged} 个",
        "en": "Since {before}: {promoted} promoted, {demoted} demoted, {unchanged} unchanged",
    },
    "help.compliance": {
        "zh": "达标率 = 达标支部数 ÷ 参加考核支部数。达标：总分 ≥ {pass_score} 分且一票否决项均得满分。"
        "图中虚线为年度目标 {target}。",
        "en": "Compliance rate = passing branches ÷ assessed branches. A branch passes with a total ≥ {pass_score} "
        "and full marks on every veto item. The dashed line is the target, {target}.",
    },
    "help.mean_score": {
        "zh": "参加考核支部总分（各项得分之和，满分100）的平均值。",
        "en": "Mean of assessed branches' total scores (sum of item scores, out of 100).",
    },
    "help.hours": {
        "zh": "所选期间内服务时长合计；人次为参与人次合计；活动数按（日期、支部、活动）去重计数。",
        "en": "Sum of hours in the selected range; person-times summed; activities are distinct (date, branch, activity).",
    },
    "help.hours_per_member": {
        "zh": "服务时长合计 ÷ 筛选范围内支部的党员数合计。",
        "en": "Total hours ÷ total members of the branches in the filters.",
    },
    "help.tier_mix": {
        "zh": "每期各档次支部数。晋位/降档：与数据中的上一期相比，两期均有定级的支部。",
        "en": "Branches per tier each period. Promoted/demoted: against the previous period in the data, "
        "for branches rated in both.",
    },
    "help.weakest": {
        "zh": "单项达标：得分 ≥ 该项满分 × {ratio}。单项达标比例 = 该项达标支部数 ÷ 参加考核支部数，"
        "由低到高排列（同比例按项目编码）前三项为短板。",
        "en": "An item is met when its score ≥ {ratio} × its max. Item pass rate = branches meeting it ÷ assessed; "
        "the three lowest (ties by item code) are the weakest items.",
    },
    "help.volunteer_trend": {
        "zh": "按活动日期所在月份汇总服务时长与人次。",
        "en": "Hours and person-times summed by the month of the activity date.",
    },
    "help.delta_volunteer": {
        "zh": "变化量为与紧邻的同长度期间相比。",
        "en": "Change compares with the same-length window just before.",
    },
}


def t(key: str, lang: str = "zh", **values: object) -> str:
    entry = CATALOG[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**values) if values else text


def fmt_percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def fmt_number(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"
