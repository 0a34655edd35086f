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
    # -- access ----------------------------------------------------------------------------
    "access.login_prompt": {
        "zh": "请输入访问码，或使用统一身份认证登录。",
        "en": "Enter the access code, or log in with single sign-on.",
    },
    "access.login_prompt_code": {"zh": "请输入访问码。", "en": "Enter the access code."},
    "access.login_prompt_sso": {"zh": "请使用统一身份认证登录。", "en": "Log in with single sign-on."},
    "access.code": {"zh": "访问码", "en": "Access code"},
    "access.enter": {"zh": "进入", "en": "Enter"},
    "access.sso": {"zh": "统一身份认证登录", "en": "Log in with single sign-on"},
    "access.wrong_code": {"zh": "访问码不正确。", "en": "That access code is not correct."},
    "access.wrong_password": {"zh": "密码不正确。", "en": "That password is not correct."},
    "access.locked": {"zh": "尝试次数过多，请 {seconds} 秒后再试。", "en": "Too many attempts; try again in {seconds} s."},
    "access.off": {
        "zh": "未配置访问控制，当前为开放访问（仅适合本机使用）。",
        "en": "Access control is off: open access (fit for this machine only).",
    },
    "access.admin": {"zh": "管理员登录", "en": "Admin log-in"},
    "access.admin_on": {"zh": "管理员（已登录）", "en": "Admin (logged in)"},
    "access.password": {"zh": "管理员密码", "en": "Admin password"},
    "access.logout": {"zh": "退出管理员", "en": "Leave admin mode"},
    "access.no_admin": {"zh": "未配置管理员密码。", "en": "No admin password is configured."},
    "access.admin_only": {"zh": "此操作仅限管理员。", "en": "Only admins can do this."},
    "settings.backup": {"zh": "数据备份", "en": "Backup"},
    "settings.backup_help": {
        "zh": "生成数据库的一致性副本（应用运行期间也可进行），下载后妥善保存；恢复请使用命令 python -m branchboard restore。",
        "en": "Makes a consistent copy of the database, also while the app runs. Restore with python -m branchboard restore.",
    },
    "settings.backup_make": {"zh": "生成备份", "en": "Make a backup"},
    "settings.backup_download": {"zh": "下载备份文件", "en": "Download the backup"},
    # -- share and present -------------------------------------------------------------------
    "share.header": {"zh": "分享与展示", "en": "Share and present"},
    "share.english": {"zh": "English", "en": "English"},
    "share.meeting": {"zh": "会议模式", "en": "Meeting mode"},
    "share.meeting_help": {
        "zh": "放大字号与图表、收起侧栏，适合投影。",
        "en": "Larger type and charts, sidebar folded: for a projector.",
    },
    "share.link": {"zh": "复制链接", "en": "Copy link"},
    "share.link_help": {
        "zh": "点击右上角图标复制；打开此链接即看到当前画面。",
        "en": "Click the icon to copy; the link opens this exact view.",
    },
    "share.data_as_of": {"zh": "数据截至 {stamp}", "en": "Data as of {stamp}"},
    "share.no_data_yet": {"zh": "尚无导入数据", "en": "no data imported yet"},
    "share.saved_views": {"zh": "已保存视图", "en": "Saved views"},
    "share.view_name": {"zh": "视图名称", "en": "View name"},
    "share.save_view": {"zh": "保存当前视图", "en": "Save this view"},
    "share.saved": {"zh": "已保存视图“{name}”。", "en": "Saved the view “{name}”."},
    "share.name_needed": {"zh": "请填写 1–40 个字的视图名称。", "en": "Give the view a name of 1–40 characters."},
    "share.delete_view": {"zh": "删除", "en": "Delete"},
    "share.no_views": {"zh": "还没有保存的视图。", "en": "No saved views yet."},
    "share.brief": {"zh": "下载本页简报（HTML）", "en": "Download a brief of this page (HTML)"},
    "share.download_xlsx": {"zh": "下载数据（Excel）", "en": "Download data (Excel)"},
    # -- settings page -----------------------------------------------------------------------
    "page.settings": {"zh": "参数设置", "en": "Settings"},
    "settings.intro": {"zh": "修改后立即在所有页面生效。", "en": "Changes take effect on every page at once."},
    "settings.pass_score": {"zh": "达标分数线（分）", "en": "Pass score"},
    "settings.item_pass_ratio": {"zh": "单项达标比例（得分 ÷ 满分）", "en": "Item pass ratio (score ÷ max)"},
    "settings.compliance_target": {"zh": "年度达标率目标", "en": "Compliance target"},
    "settings.tiers": {"zh": "定级档次（由好到差，用逗号分隔）", "en": "Tiers, best first, comma separated"},
    "settings.save": {"zh": "保存设置", "en": "Save settings"},
    "settings.saved": {"zh": "设置已保存。", "en": "Settings saved."},
    "settings.bad_pass_score": {"zh": "达标分数线应在 0 到 100 之间。", "en": "The pass score must be between 0 and 100."},
    "settings.bad_ratio": {"zh": "比例应在 0 到 1 之间。", "en": "Ratios must be between 0 and 1."},
    "settings.bad_tiers": {"zh": "档次应为 2 至 6 个互不相同的名称。", "en": "Give 2 to 6 distinct tier names."},
    "settings.tiers_in_use": {
        "zh": "已有定级数据使用了以下档次，不能删除：{tiers}",
        "en": "Existing ratings use these tiers, which cannot be removed: {tiers}",
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
