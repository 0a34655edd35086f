"""The one string catalog. Chinese is the default; English is switchable (`lang=en`).

`t(key, lang, **values)` formats the entry; a missing key raises in tests (see test_i18n) rather than
showing a key to a user. Keep entries grouped by page; shared ones first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

CATALOG: dict[str, dict[str, str]] = {
    # -- app and navigation ------------------------------------------------------------------
    "app.title": {"zh": "党支部建设数据看板", "en": "Party Branch Dashboard"},
    "page.overview": {"zh": "总览", "en": "Overview"},
    "page.compliance": {"zh": "达标情况", "en": "Compliance"},
    "page.volunteer": {"zh": "志愿服务", "en": "Volunteer service"},
    "page.tiers": {"zh": "分类定级", "en": "Grading tiers"},
    "page.branch": {"zh": "支部画像", "en": "Branch profile"},
    "page.import": {"zh": "数据导入", "en": "Data import"},
    "app.failed": {
        "zh": "本页出现错误，未能完成显示。请刷新页面重试；如仍出现，请把参考编号 {reference} 告知管理员（详情已记入服务器日志）。",
        "en": "This page ran into an error and could not be shown. Reload to try again; if it happens again, give "
        "reference {reference} to the administrator (the details are in the server log).",
    },
    "app.db_in_use": {
        "zh": "数据库正被另一个程序使用（例如命令行导入或另一个看板进程），暂时无法打开：请等它结束后刷新页面。",
        "en": "The database is in use by another program (a command-line import or another dashboard process): "
        "reload once it has finished.",
    },
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
    "filters.range_from": {"zh": "{a}起", "en": "from {a}"},
    "filters.range_to": {"zh": "截至{b}", "en": "until {b}"},
    # -- common ------------------------------------------------------------------------------
    "common.no_data": {"zh": "当前筛选条件下没有数据。", "en": "No data for the current filters."},
    "common.how": {"zh": "计算口径", "en": "How this is computed"},
    "common.download_csv": {"zh": "下载数据（CSV）", "en": "Download data (CSV)"},
    "common.vs_previous": {"zh": "较{period}", "en": "vs {period}"},
    "common.no_change": {"zh": "持平", "en": "no change"},
    "common.change_pp": {"zh": "{value} 个百分点", "en": "{value} pp"},
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
    # -- overview ----------------------------------------------------------------------------
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
    "access.admin_page": {
        "zh": "“{page}”仅限管理员使用。如您是管理员，请在侧栏“管理员登录”后再打开。",
        "en": "“{page}” is for admins only. Admins: log in from the sidebar, then open it again.",
    },
    "access.admin_only": {"zh": "此操作仅限管理员。", "en": "Only admins can do this."},
    "settings.backup": {"zh": "数据备份", "en": "Backup"},
    "settings.backup_help": {
        "zh": "生成数据库的一致性副本（应用运行期间也可进行），下载后妥善保存；恢复请使用命令 python -m branchboard restore。",
        "en": "Makes a consistent copy of the database, also while the app runs. Restore with python -m branchboard restore.",
    },
    "settings.backup_make": {"zh": "生成备份", "en": "Make a backup"},
    "settings.backup_download": {"zh": "下载备份文件", "en": "Download the backup"},
    "settings.backup_once": {
        "zh": "链接两分钟内有效、只能下载一次；下载完成后服务器上不保留副本。",
        "en": "The link works once, within two minutes; no copy stays on the server after the download.",
    },
    # -- share and present -------------------------------------------------------------------
    "share.header": {"zh": "分享与展示", "en": "Share and present"},
    "share.english": {"zh": "English", "en": "English"},
    # d3 time formats of a month on a chart: its axis (two short lines; a year's when the chart spans years), hover
    "chart.month_tick": {"zh": "%-m月<br>%Y年", "en": "%b<br>%Y"},
    "chart.month_hover": {"zh": "%Y年%-m月", "en": "%b %Y"},
    "chart.year_tick": {"zh": "%Y年", "en": "%Y"},
    "import.preview_flagged": {
        "zh": "数据预览（有问题的行在前，标红的单元格为原值）",
        "en": "Preview (rows with a problem first; a marked cell shows the value as the file has it)",
    },
    "import.preview_problems": {"zh": "问题", "en": "Problems"},
    "import.preview_problem": {"zh": "{column}：{body}", "en": "{column}: {body}"},
    "import.preview_separator": {"zh": "；", "en": "; "},
    "overview.item_rate": {"zh": "{rate}（{met}/{assessed}）", "en": "{rate} ({met} of {assessed})"},
    "kpi.open_list": {"zh": "查看名单", "en": "Show the list"},
    "kpi.list_count": {"zh": "共 {n} 个支部，点击一行打开支部画像。", "en": "{n} branches; choose a row to open its profile."},
    "kpi.list_empty": {"zh": "没有支部。", "en": "No branches."},
    "kpi.passed": {"zh": "达标", "en": "Passed"},
    "kpi.not_passed": {"zh": "未达标", "en": "Not passed"},
    "names.untranslated": {
        "zh": "以下名称按数据原文显示（考核标准或参数设置未给出英文名称）：{names}",
        "en": "Shown as written in the data (the checklist or the tier settings give no English name): {names}",
    },
    "share.meeting": {"zh": "会议模式", "en": "Meeting mode"},
    "share.meeting_help": {
        "zh": "放大字号与图表、收起侧栏，适合投影。",
        "en": "Larger type and charts, sidebar folded: for a projector.",
    },
    "share.link": {"zh": "复制链接", "en": "Copy link"},
    "share.copy": {"zh": "复制链接", "en": "Copy link"},
    "share.copied": {"zh": "已复制", "en": "Copied"},
    "share.copy_by_hand": {"zh": "请长按上面的链接复制", "en": "Press and hold the link above to copy it"},
    "share.qr": {"zh": "手机扫码打开同一画面", "en": "Scan to open this view on a phone"},
    "share.link_help": {
        "zh": "打开此链接即看到当前画面（筛选、期次、选中的支部与页内选项都在其中）。",
        "en": "The link opens this exact view (filters, periods, the branch and the page's own choices).",
    },
    "share.data_as_of": {"zh": "数据截至 {stamp}", "en": "Data as of {stamp}"},
    "share.no_data_yet": {"zh": "尚无导入数据", "en": "no data imported yet"},
    "share.saved_views": {"zh": "已保存视图", "en": "Saved views"},
    "share.view_name": {"zh": "视图名称", "en": "View name"},
    "share.save_view": {"zh": "保存当前视图", "en": "Save this view"},
    "share.saved": {"zh": "已保存视图“{name}”。", "en": "Saved the view “{name}”."},
    "share.view_exists": {
        "zh": "已有名为“{name}”的视图，请换一个名称（管理员可删除原有视图）",
        "en": "A view called “{name}” exists already: choose another name (an administrator can delete the old one)",
    },
    "share.view_too_many": {
        "zh": "一小时内最多保存 {n} 个视图，请稍后再保存",
        "en": "At most {n} views can be saved in an hour: try again later",
    },
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
    "settings.tiers_en": {
        "zh": "定级档次的英文名称（与上面的档次一一对应，英文界面显示；可不填）",
        "en": "The tiers' English names (one for each tier above, in the same order; shown in English; optional)",
    },
    "settings.bad_tiers_en": {
        "zh": "英文名称应与档次一一对应（个数相同、互不相同），或不填。",
        "en": "Give one distinct English name for each tier, or none.",
    },
    "settings.save": {"zh": "保存设置", "en": "Save settings"},
    "settings.saved": {"zh": "设置已保存。", "en": "Settings saved."},
    "settings.bad_pass_score": {"zh": "达标分数线应在 0 到 100 之间。", "en": "The pass score must be between 0 and 100."},
    "settings.bad_ratio": {"zh": "比例应在 0 到 1 之间。", "en": "Ratios must be between 0 and 1."},
    "settings.bad_tiers": {"zh": "档次应为 2 至 6 个互不相同的名称。", "en": "Give 2 to 6 distinct tier names."},
    "settings.tiers_in_use": {
        "zh": "已有定级数据使用了以下档次，不能删除：{tiers}",
        "en": "Existing ratings use these tiers, which cannot be removed: {tiers}",
    },
    # -- analysis pages: drill-down ----------------------------------------------------------
    "drill.click_unit": {"zh": "点击图中的单位可筛选到该单位。", "en": "Click a unit in the chart to filter to it."},
    "drill.click_unit_row": {"zh": "选中一行即筛选到该单位。", "en": "Select a row to filter to that unit."},
    "drill.click_branch": {"zh": "选中一行可打开该支部画像。", "en": "Select a row to open that branch's profile."},
    "drill.click_branch_chart": {
        "zh": "点击图中的支部可打开支部画像。",
        "en": "Click a branch in the chart to open its profile.",
    },
    # -- compliance page ---------------------------------------------------------------------
    "compliance.period": {"zh": "考核期", "en": "Assessment period"},
    "compliance.kpi.passed": {"zh": "达标/参评", "en": "Passing / assessed"},
    "compliance.kpi.below": {"zh": "未达标支部", "en": "Below the line"},
    "compliance.by_period": {"zh": "各期达标率", "en": "Compliance rate by period"},
    "compliance.by_unit": {"zh": "各单位达标率（{period}）", "en": "Compliance rate by unit ({period})"},
    "compliance.heatmap": {"zh": "各单位“六化”维度得分率（{period}）", "en": "Dimension scores by unit ({period})"},
    "compliance.heatmap_table": {
        "zh": "维度得分率明细表（选中一行筛选到该单位）",
        "en": "Dimension scores as a table (select a row to filter)",
    },
    "compliance.dimension": {"zh": "维度", "en": "Dimension"},
    "compliance.dimension_rate": {"zh": "得分率", "en": "Score %"},
    "compliance.items": {"zh": "各项标准达标比例（{period}，短板在上）", "en": "Item pass rates ({period}, weakest first)"},
    "compliance.item": {"zh": "标准项目", "en": "Item"},
    "compliance.item_pass_rate": {"zh": "达标比例", "en": "Pass rate"},
    "compliance.met_of": {"zh": "达标支部/参评支部", "en": "Meeting it / assessed"},
    "compliance.distribution": {"zh": "总分分布（{period}）", "en": "Total score distribution ({period})"},
    "compliance.total_score": {"zh": "总分", "en": "Total score"},
    "compliance.below_title": {"zh": "未达标支部（{period}）", "en": "Branches below the line ({period})"},
    "compliance.none_below": {"zh": "本期所有参评支部均达标。", "en": "Every assessed branch passes in this period."},
    "compliance.gap": {"zh": "距达标线（分）", "en": "Points short"},
    "compliance.veto_failed": {"zh": "否决项未满分", "en": "Veto item missed"},
    "compliance.items_not_met": {"zh": "未达标项数", "en": "Items not met"},
    "compliance.weakest_items": {"zh": "最弱三项", "en": "Three weakest items"},
    "compliance.yes": {"zh": "是", "en": "yes"},
    "compliance.help.heatmap": {
        "zh": "维度得分率 = 该单位参评支部在该维度的得分之和 ÷ 该维度满分之和。颜色越深得分率越高。",
        "en": "Dimension score = the unit's assessed branches' sum of scores in the dimension ÷ their sum of max scores. "
        "Darker is higher.",
    },
    "compliance.help.distribution": {
        "zh": "参评支部按总分每 5 分一段计数（100 分计入 95–100 段）。虚线为达标线 {pass_score} 分，达标线以上的分段为红色。",
        "en": "Assessed branches counted in 5-point bins of total score (100 falls in 95–100). The dashed line is "
        "the pass line, {pass_score}; bins at or above it are red.",
    },
    "compliance.help.below": {
        "zh": "总分低于 {pass_score} 分，或一票否决项未得满分的支部。最弱三项：得分 ÷ 满分最低的三项（同比例按项目编码）。",
        "en": "Branches with a total below {pass_score} or a veto item below full marks. Three weakest items: "
        "lowest score ÷ max score (ties by item code).",
    },
    # -- volunteer page ----------------------------------------------------------------------
    "volunteer.activities": {"zh": "活动次数", "en": "Activities"},
    "volunteer.kpi.silent": {"zh": "无服务记录支部", "en": "Branches with no service"},
    "volunteer.by_month": {"zh": "服务时长与人次（按月）", "en": "Hours and person-times by month"},
    "volunteer.by_unit": {"zh": "各单位服务时长", "en": "Hours by unit"},
    "volunteer.by_type": {"zh": "各类型服务时长", "en": "Hours by activity type"},
    "volunteer.activity_type": {"zh": "活动类型", "en": "Activity type"},
    "volunteer.untyped": {"zh": "未分类", "en": "Untyped"},
    "volunteer.detail_pt": {"zh": "人次：{n:,}", "en": "Person-times: {n:,}"},
    "volunteer.detail_members": {"zh": "时长 {hours} 小时 · 党员 {members} 人", "en": "{hours} h · {members} members"},
    "volunteer.hours_per_member": {"zh": "人均时长（小时/人）", "en": "Hours per member"},
    "volunteer.per_member_by_unit": {"zh": "各单位人均服务时长", "en": "Hours per member by unit"},
    "volunteer.ranking_choice": {"zh": "支部排名", "en": "Branch ranking"},
    "volunteer.ranking_top": {"zh": "人均时长最高 {n} 个", "en": "Top {n}"},
    "volunteer.ranking_bottom": {"zh": "人均时长最低 {n} 个", "en": "Bottom {n}"},
    "volunteer.ranking_top_title": {"zh": "人均服务时长最高的 {n} 个支部", "en": "Top {n} branches by hours per member"},
    "volunteer.ranking_bottom_title": {
        "zh": "人均服务时长最低的 {n} 个支部（有服务记录）",
        "en": "Bottom {n} branches by hours per member (with service)",
    },
    "volunteer.silent_title": {"zh": "期间内无志愿服务记录的支部", "en": "Branches with no service in the range"},
    "volunteer.none_silent": {"zh": "筛选范围内每个支部都有服务记录。", "en": "Every branch in the filters has service records."},
    "volunteer.help.ranking": {
        "zh": "支部人均时长 = 该支部服务时长 ÷ 该支部党员数；在有服务记录的支部中取最高/最低 {n} 个（无记录的支部见下表）。",
        "en": "Branch hours per member = its hours ÷ its members; the top/bottom {n} among branches with service "
        "(those without are listed below).",
    },
    "volunteer.help.silent": {
        "zh": "筛选范围内、所选期间没有任何志愿服务记录的支部。",
        "en": "Branches inside the filters with no volunteer record in the selected range.",
    },
    # -- tiers page --------------------------------------------------------------------------
    "tiers.mix": {"zh": "各期定级结构", "en": "Tier mix by period"},
    "tiers.moves_title": {"zh": "晋位升级：两期对比", "en": "Moves between two periods"},
    "tiers.period_a": {"zh": "对比期（前）", "en": "Compare: earlier period"},
    "tiers.period_b": {"zh": "对比期（后）", "en": "Compare: later period"},
    "tiers.need_two": {"zh": "至少需要两期定级结果才能对比。", "en": "Two tier periods are needed for a comparison."},
    "tiers.same_period": {"zh": "请选择两个不同的期次。", "en": "Choose two different periods."},
    "tiers.compared": {
        "zh": "{a}与{b}均有定级的支部 {n} 个（筛选范围内）。",
        "en": "{n} branches in the filters are rated in both {a} and {b}.",
    },
    "tiers.kpi.promoted": {"zh": "晋位", "en": "Promoted"},
    "tiers.kpi.demoted": {"zh": "降档", "en": "Demoted"},
    "tiers.kpi.unchanged": {"zh": "持平", "en": "Unchanged"},
    "tiers.kpi.lifted": {"zh": "帮扶转化（原{worst}）", "en": "Lifted (was {worst})"},
    "tiers.sankey": {"zh": "定级变动：{a} → {b}", "en": "Tier moves: {a} → {b}"},
    "tiers.list_promoted": {"zh": "晋位支部（{n}）", "en": "Promoted ({n})"},
    "tiers.list_demoted": {"zh": "降档支部（{n}）", "en": "Demoted ({n})"},
    "tiers.list_still_worst": {"zh": "仍为{worst}（{n}）", "en": "Still {worst} ({n})"},
    "tiers.list_empty": {"zh": "没有符合条件的支部。", "en": "No branches."},
    "tiers.help.mix": {
        "zh": "每期各档次支部数（筛选范围内的支部）。颜色固定：档次越高颜色越深。",
        "en": "Branches per tier each period (branches in the filters). Fixed colours: the better the tier, the darker.",
    },
    "tiers.help.moves": {
        "zh": "只统计两期均有定级的支部：档次提高为晋位，降低为降档，不变为持平。左侧为前一期档次，右侧为后一期档次，"
        "连线宽度为支部数。下方列表可打开支部画像。",
        "en": "Branches rated in both periods: a better tier is promoted, a worse one demoted, else unchanged. Left: the "
        "earlier tier, right: the later; link width is the number of branches. The lists below open branch profiles.",
    },
    "tiers.help.lifted": {
        "zh": "帮扶转化 = 前一期为{worst}、后一期档次提升的支部数。",
        "en": "Branches rated {worst} in the earlier period and better in the later one.",
    },
    # -- branch page -------------------------------------------------------------------------
    "branch.pick": {"zh": "选择支部（可输入名称或编码搜索）", "en": "Branch (type a name or code to search)"},
    "branch.pick_placeholder": {"zh": "输入支部名称或编码……", "en": "Type a branch name or code…"},
    "branch.pick_hint": {
        "zh": "请在上方选择一个支部；也可在其他页面的列表或图表中点击支部打开画像。",
        "en": "Choose a branch above, or click a branch in a list or chart on another page.",
    },
    "branch.outside_filters": {
        "zh": "注：该支部不在当前筛选范围内，画像仍按支部本身显示。",
        "en": "Note: this branch is outside the current filters; its profile is shown regardless.",
    },
    "branch.secretary": {"zh": "支部书记", "en": "Secretary"},
    "branch.next_due": {"zh": "下次换届", "en": "Next election due"},
    "branch.term.overdue": {
        "zh": "换届已逾期 {days} 天：上次换届 {last}，任期 {years} 年，应于 {due} 前换届。",
        "en": "Election overdue by {days} days: last held {last}, {years}-year term, due {due}.",
    },
    "branch.term.due_3m": {
        "zh": "3 个月内到期换届（还有 {days} 天）：上次换届 {last}，任期 {years} 年，{due} 到期。",
        "en": "Election due within 3 months ({days} days): last held {last}, {years}-year term, due {due}.",
    },
    "branch.term.due_6m": {
        "zh": "6 个月内到期换届（还有 {days} 天）：上次换届 {last}，任期 {years} 年，{due} 到期。",
        "en": "Election due within 6 months ({days} days): last held {last}, {years}-year term, due {due}.",
    },
    "branch.term.ok": {
        "zh": "任期正常：上次换届 {last}，任期 {years} 年，{due} 到期。",
        "en": "Term in order: last held {last}, {years}-year term, due {due}.",
    },
    "branch.term.unknown": {
        "zh": "支部名册中没有上次换届日期，无法判断换届时间。",
        "en": "The register has no last election date, so the due date is unknown.",
    },
    "branch.score_history": {"zh": "历次考核总分", "en": "Total score by period"},
    "branch.this_branch": {"zh": "本支部", "en": "This branch"},
    "branch.unit_mean": {"zh": "本单位平均", "en": "Unit mean"},
    "branch.committee_mean": {"zh": "全工委平均", "en": "Committee mean"},
    "branch.radar": {"zh": "“六化”维度得分率（{period}）", "en": "Dimension scores ({period})"},
    "branch.items": {"zh": "各项标准得分（{period}）", "en": "Item scores ({period})"},
    "branch.items_caption": {
        "zh": "总分 {total} 分 · 达标 {met}/{n} 项（单项得分 ≥ 满分 × {ratio} 为达标）",
        "en": "Total {total} · {met} of {n} items met (score ≥ {ratio} × max)",
    },
    "branch.item_code": {"zh": "编码", "en": "Code"},
    "branch.score": {"zh": "得分", "en": "Score"},
    "branch.max_score": {"zh": "满分", "en": "Max"},
    "branch.veto": {"zh": "否决项", "en": "Veto"},
    "branch.met": {"zh": "达标", "en": "Met"},
    "branch.met_yes": {"zh": "达标", "en": "met"},
    "branch.met_no": {"zh": "未达标", "en": "not met"},
    "branch.committee_pass_rate": {"zh": "全工委该项达标比例", "en": "Committee pass rate"},
    "branch.no_assessment": {"zh": "该支部在所选期间没有考核得分。", "en": "No assessment scores in the selected range."},
    "branch.volunteer": {
        "zh": "志愿服务（按月，合计 {hours} 小时 / {pt} 人次）",
        "en": "Volunteer service by month ({hours} h / {pt} person-times in all)",
    },
    "branch.tier_history": {"zh": "历次定级", "en": "Tier history"},
    "branch.help.term": {
        "zh": "下次换届 = 上次换届日期 + 任期年数（默认 3 年）。已过期为逾期；3 个月、6 个月内到期分别提示。",
        "en": "Next election = last election + term years (3 by default). Past it is overdue; due within 3 or 6 months "
        "are flagged.",
    },
    "branch.help.history": {
        "zh": "总分 = 各项得分之和。实心点为达标（总分 ≥ {pass_score} 分且否决项满分），空心点为未达标。"
        "单位平均、全工委平均为同期参评支部总分的平均值（不受筛选影响）。",
        "en": "Total = sum of item scores. Filled markers pass (total ≥ {pass_score}, full marks on veto items). "
        "Unit and committee means are over all branches assessed in the period (not filtered).",
    },
    "branch.help.radar": {
        "zh": "维度得分率 = 该维度得分之和 ÷ 该维度满分之和。单位平均、全工委平均为同期各参评支部维度得分率的平均值。",
        "en": "Dimension score = sum of scores ÷ sum of max scores in the dimension. Unit and committee means average "
        "the assessed branches' dimension scores in the same period.",
    },
    "branch.help.items": {
        "zh": "单项达标：得分 ≥ 该项满分 × {ratio}。全工委该项达标比例 = 同期该项达标支部数 ÷ 参评支部数。",
        "en": "An item is met when its score ≥ {ratio} × its max. Committee pass rate = branches meeting it ÷ assessed "
        "in the same period.",
    },
    "branch.help.tiers": {
        "zh": "所选期间内各期定级结果，图中标注荣誉称号。档次越高颜色越深。",
        "en": "The tier in each period of the range, with honours labelled. The better the tier, the darker.",
    },
    # -- overview: 换届提醒 ---------------------------------------------------------------------
    "overview.terms.title": {"zh": "换届提醒", "en": "Elections due"},
    "overview.terms.none": {
        "zh": "筛选范围内没有逾期或 6 个月内到期换届的支部。",
        "en": "No branch in the filters is overdue or due within 6 months.",
    },
    "overview.terms.caption": {
        "zh": "已逾期 {overdue} 个 · 3 个月内到期 {due_3m} 个 · 3 至 6 个月内到期 {due_6m} 个",
        "en": "{overdue} overdue · {due_3m} due within 3 months · {due_6m} due in 3 to 6 months",
    },
    "overview.terms.open_all": {"zh": "查看全部 {n} 个支部", "en": "Show all {n} branches"},
    "terms.overdue_days": {"zh": "逾期{days}天", "en": "{days} days overdue"},
    "terms.days_to_go": {"zh": "还有{days}天", "en": "in {days} days"},
    "overview.terms.overdue": {"zh": "已逾期", "en": "Overdue"},
    "overview.terms.due_3m": {"zh": "3个月内到期", "en": "Within 3 months"},
    "overview.terms.due_6m": {"zh": "3至6个月内到期", "en": "In 3 to 6 months"},
    # -- import page -------------------------------------------------------------------------
    "import.where.sheet": {"zh": "工作表“{sheet}”", "en": "sheet “{sheet}”"},
    "import.skipped.standards": {
        "zh": "工作表“{sheet}”是考核标准（评分标准）表，未导入；如要用它替换委员会的考核标准，请把数据类型选为“考核标准”",
        "en": "Sheet “{sheet}” is a checklist (standards) table and was not imported; to replace the committee's checklist with it, choose the kind “standards”",
    },
    "import.skipped.other_kind": {
        "zh": "工作表“{sheet}”是另一类数据（{kind}），未导入",
        "en": "Sheet “{sheet}” holds another kind of data ({kind}) and was not imported",
    },
    "import.skipped.no_table": {
        "zh": "工作表“{sheet}”中没有可识别的表格（说明或封面页），未导入",
        "en": "Sheet “{sheet}” holds no table (a note or cover sheet) and was not imported",
    },
    "import.skipped.empty": {"zh": "工作表“{sheet}”是空的，未导入", "en": "Sheet “{sheet}” is empty and was not imported"},
    "import.skipped.unreadable": {
        "zh": "工作表“{sheet}”无法读取，未导入：{reason}",
        "en": "Sheet “{sheet}” could not be read and was not imported: {reason}",
    },
    "import.warning.standards_changes": {
        "zh": "将替换考核标准：新增 {added} 项、删除 {removed} 项、分值/否决项/名称变化 {changed} 项；达标率随之变化的期次：{moved}。撤销本批即可恢复原标准",
        "en": "The checklist will be replaced: {added} items added, {removed} removed, {changed} changed (max score, veto or name); periods whose compliance rate moves: {moved}. Undoing this batch restores the checklist",
    },
    "import.error.standards_need_choice": {
        "zh": "这是考核标准（评分标准）表。导入它会替换委员会现行的考核标准，因此不会自动导入：如确要替换，请把数据类型选为“考核标准”（命令行：--kind standards），核对变更预览后再导入",
        "en": "This is a checklist (standards) table. Importing it replaces the committee's checklist, so it is never imported by itself: to replace the checklist, choose the kind “standards” (command line: --kind standards) and check the preview of the changes first",
    },
    "import.error.key_in_two_sheets": {
        "zh": "同一条记录（{value}）出现在多个工作表中：{sheets}；请只保留一处",
        "en": "The same record ({value}) is in several sheets: {sheets}; keep it in one",
    },
    "import.warning.duplicate_rows_across_sheets": {
        "zh": "不同工作表之间有 {count} 行完全相同的记录，可能重复填报，请核对",
        "en": "{count} rows repeat rows of another sheet exactly: check they were not entered twice",
    },
    "import.where.row": {"zh": "第 {row} 行", "en": "row {row}"},
    "import.where.column": {"zh": "「{column}」列", "en": "column “{column}”"},
    "import.where.value": {"zh": "值“{value}”", "en": "value “{value}”"},
    "import.where.sep": {"zh": "，", "en": ", "},
    "import.where.join": {"zh": "{where}：{body}", "en": "{where}: {body}"},
    "import.level.error": {"zh": "错误", "en": "Error"},
    "import.level.warning": {"zh": "提示", "en": "Warning"},
    # errors: what is wrong and what is expected (the location is added in front)
    "import.error.more": {
        "zh": "同类问题还有 {count} 处（仅列出前 {first} 处）",
        "en": "{count} more of the same (only the first {first} listed)",
    },
    "import.error.required": {"zh": "不能为空，应填写{expected}", "en": "is empty; expected {expected}"},
    "import.error.not_number": {"zh": "不是数字，应为{expected}", "en": "is not a number; expected {expected}"},
    "import.error.too_many_decimals": {
        "zh": "最多保留两位小数（得分、分值和时长按分计，精确到 0.01）",
        "en": "has more than two decimal places (scores, maxima and hours are kept to 0.01)",
    },
    "import.error.cell_too_long": {
        "zh": "单元格内容有 {length} 个字符，超过上限 {limit}：请检查是否误粘贴了大段文字",
        "en": "the cell holds {length} characters, more than {limit}: check for text pasted by mistake",
    },
    "import.error.too_large": {
        "zh": "数值过大（不能超过 {maximum}），应为{expected}",
        "en": "is too large (at most {maximum}); expected {expected}",
    },
    "import.error.date_out_of_range": {
        "zh": "日期不在合理范围内，应在 {earliest} 至 {latest} 之间（请检查年份是否录错）",
        "en": "is outside the sensible range {earliest} to {latest} (check the year)",
    },
    "import.error.not_date": {
        "zh": "不是可识别的日期，应为 2023-05-06、2023/5/6、2023.05.06 或 2023年5月6日",
        "en": "is not a date; expected 2023-05-06, 2023/5/6, 2023.05.06 or 2023年5月6日",
    },
    "import.error.bad_period": {
        "zh": "不是可识别的期次，应为 2023、2023年度、2023年上半年、2023H1、2023Q3 或 2023年第三季度",
        "en": "is not a period; expected 2023, 2023年度, 2023年上半年, 2023H1, 2023Q3 or 2023年第三季度",
    },
    "import.error.no_period": {
        "zh": "文件没有期次列，标题中也未找到期次：请在“期次”框中填写，如 2023年度（命令行用 --period）",
        "en": "The file has no period column and its title names none: enter it in the Period box, e.g. 2023 (--period on the command line)",
    },
    "import.error.unknown_branch_code": {
        "zh": "支部名册中没有此支部编码，是否为：{suggestions}？",
        "en": "no branch has this code; did you mean {suggestions}?",
    },
    "import.error.unknown_branch_code_nohint": {
        "zh": "支部名册中没有此支部编码，请先导入支部名册或核对编码",
        "en": "no branch has this code; import the branch roster first or check the code",
    },
    "import.error.unknown_branch_name": {
        "zh": "支部名册中没有此支部名称，是否为：{suggestions}？",
        "en": "no branch has this name; did you mean {suggestions}?",
    },
    "import.error.unknown_branch_name_nohint": {
        "zh": "支部名册中没有此支部名称，请先导入支部名册或核对名称",
        "en": "no branch has this name; import the branch roster first or check the name",
    },
    "import.error.ambiguous_branch": {
        "zh": "多个单位有同名支部（{units}），应增加“所属单位”列或改用支部编码",
        "en": "several units have a branch of this name ({units}); add a unit column or use branch codes",
    },
    "import.error.duplicate_key": {
        "zh": "与第 {first} 行重复：同一文件中每条记录（支部、期次、项目）只能出现一次",
        "en": "repeats row {first}; each record (branch, period, item) may appear once in a file",
    },
    "import.error.bad_members": {"zh": "党员人数应为 ≥ 0 的整数", "en": "members must be a whole number ≥ 0"},
    "import.error.bad_term": {"zh": "任期应为正整数（年）", "en": "term must be a whole number of years > 0"},
    "import.error.bad_max": {"zh": "满分应大于 0", "en": "max score must be greater than 0"},
    "import.error.dimension_en_clash": {
        "zh": "同一维度应只有一个英文名称，不同维度的英文名称应互不相同",
        "en": "a dimension has one English name, and no two dimensions share one",
    },
    "import.error.bad_bool": {"zh": "应为 是/否", "en": "expected 是 (yes) or 否 (no)"},
    "import.error.unknown_item": {
        "zh": "不是考核标准中的项目，应为：{allowed}",
        "en": "is not an item of the checklist; expected one of {allowed}",
    },
    "import.error.not_score": {
        "zh": "不是分数，应为数字或 √/×（√ 记满分，× 记 0 分）",
        "en": "is not a score; expected a number or √/× (full marks / 0)",
    },
    "import.error.score_range": {
        "zh": "超出范围，应为 0 至 {max} 之间的分数",
        "en": "out of range; expected a score from 0 to {max}",
    },
    "import.error.unknown_tier": {
        "zh": "不是设定的档次，应为：{allowed}",
        "en": "is not a configured tier; expected one of {allowed}",
    },
    "import.error.bad_person_times": {"zh": "人次应为 ≥ 1 的整数", "en": "person-times must be a whole number ≥ 1"},
    "import.error.hours_not_positive": {"zh": "服务时长应大于 0", "en": "hours must be greater than 0"},
    "import.error.hours_over_day": {
        "zh": "服务时长超过 24 小时 × 人次（{person_times} 人次最多 {limit} 小时）",
        "en": "hours exceed 24 × person-times (at most {limit} h for {person_times} person-times)",
    },
    "import.error.empty_file": {"zh": "文件是空的，没有任何内容", "en": "The file is empty"},
    "import.error.xml_file": {
        "zh": "这是一个 XML 文件，但不是 Excel 2003 XML 表格：请用 Excel 打开后另存为 .xlsx 再上传",
        "en": "This is an XML file but not an Excel 2003 XML workbook: open it in Excel and save it as .xlsx",
    },
    "import.error.legacy_malformed": {
        "zh": "这个网页或 Excel 2003 XML 格式的导出文件结构有误，无法读取（{detail}）：请用 Excel 打开后另存为 .xlsx 再上传",
        "en": "This web-page or Excel 2003 XML export is malformed and cannot be read ({detail}): save it as .xlsx in Excel",
    },
    "import.error.legacy_extent": {
        "zh": "这个网页或 Excel 2003 XML 格式的导出文件中的表格范围过大（{cells}），不像正常的表格：请用 Excel 打开后另存为 .xlsx 再上传",
        "en": "The table in this web-page or Excel 2003 XML export is far too large ({cells}): save it as .xlsx in Excel",
    },
    "import.error.legacy_too_large": {
        "zh": "这是网页或 Excel 2003 XML 格式的导出文件，有 {size} MB，超过此类文件的上限 {limit} MB：请用 Excel 打开后另存为 .xlsx 或 CSV 再上传",
        "en": "This web-page or Excel 2003 XML export is {size} MB, more than the {limit} MB such files may have: save it as .xlsx or CSV in Excel",
    },
    "import.error.html_file": {
        "zh": "这是网页（HTML）格式的导出文件，其中没有表格：请用 Excel 打开后另存为 .xlsx 再上传",
        "en": "This is an HTML export, not a spreadsheet: open it in Excel and save it as .xlsx",
    },
    "import.error.not_excel": {
        "zh": "文件扩展名是 .{suffix}，但内容不是 Excel 表格（可能已损坏或是其他文件改名而来）",
        "en": "The file is named .{suffix} but its content is not an Excel workbook (damaged, or another file renamed)",
    },
    "import.error.unknown_format": {
        "zh": "无法识别的文件格式：请上传 CSV、XLSX、XLS 或 XLSM 文件",
        "en": "Unknown file format: upload CSV, XLSX, XLS or XLSM",
    },
    "import.error.corrupt_excel": {
        "zh": "Excel 文件已损坏或不完整，无法读取（{detail}）：请重新导出后上传",
        "en": "The Excel file is damaged or incomplete and cannot be read ({detail}): export it again",
    },
    "import.error.no_sheets": {"zh": "工作簿中没有工作表", "en": "The workbook has no sheets"},
    "import.error.excel_encrypted": {
        "zh": "文件已加密，请另存为未加密的文件后上传（在 Excel 中：文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）",
        "en": "The file is encrypted: save it again without a password and upload that copy",
    },
    "import.error.excel_far_cell": {
        "zh": "工作表“{sheet}”有内容的单元格一直延伸到第 {last_row} 行、第 {last_column} 列，表格范围达 {cells} 个单元格（实际有值的只有 {values} 个）：请删除表格以外的多余单元格（或只复制表格到新文件）后重新上传",
        "en": "Sheet “{sheet}” has cells with content out to row {last_row} and column {last_column}, a grid of {cells} cells of which only {values} hold values: delete the cells outside the table (or copy the table into a new file) and upload again",
    },
    "import.error.excel_bomb": {
        "zh": "文件中的“{part}”解压后是压缩前的 {ratio} 倍，不像正常的表格文件，已拒绝读取：请在 Excel 中另存为新文件后上传",
        "en": "Part “{part}” of the file inflates to {ratio} times its packed size, which no real spreadsheet does; it was not read. Save the file again in Excel and upload that copy",
    },
    "import.error.excel_too_large": {
        "zh": "文件解压后有 {size} MB，超过可读取的上限 {limit} MB：请拆分为几个文件，或另存为 CSV 后上传",
        "en": "The file inflates to {size} MB, more than the {limit} MB that can be read: split it, or save it as CSV",
    },
    "import.error.excel_too_many_parts": {
        "zh": "文件内部有 {count} 个部件（上限 {limit}），不像正常的表格文件：请在 Excel 中另存为新文件后上传",
        "en": "The file holds {count} parts (at most {limit}), which no real spreadsheet does: save it again in Excel and upload that copy",
    },
    "import.error.excel_bad_sheet": {
        "zh": "工作表“{sheet}”的结构异常（单个单元格超过 16 MB），无法读取：请在 Excel 中另存为新文件后上传",
        "en": "Sheet “{sheet}” is malformed (one cell holds more than 16 MB) and cannot be read: save it again in Excel",
    },
    "import.error.excel_timeout": {
        "zh": "读取这个文件超过了 {seconds} 秒，已停止：文件可能过大或结构异常，请拆分或另存为 CSV 后上传",
        "en": "Reading this file took more than {seconds} seconds and was stopped: it may be too large or malformed; split it or save it as CSV",
    },
    "import.error.excel_crashed": {
        "zh": "读取这个文件时读取程序异常退出（文件过大或结构异常），未导入任何内容：请在 Excel 中另存为新文件、拆分或另存为 CSV 后上传",
        "en": "The reader stopped on this file (too large or malformed) and nothing was imported: save it again in Excel, split it, or save it as CSV",
    },
    "import.error.excel_too_large_memory": {
        "zh": "读取这个文件所需内存超过上限，未导入任何内容：请拆分为几个文件，或另存为 CSV 后上传",
        "en": "Reading this file needs more memory than allowed and nothing was imported: split it, or save it as CSV",
    },
    "import.error.unknown_sheet": {
        "zh": "工作簿中没有这个工作表，现有：{sheets}",
        "en": "No such sheet; the workbook has {sheets}",
    },
    "import.error.csv_parse": {"zh": "CSV 文件格式有误（{detail}）", "en": "The CSV file is malformed ({detail})"},
    "import.error.nul_bytes": {
        "zh": "这一行含有空字符（NUL），不是正常的文本：请用 Excel 打开后重新另存为 CSV 或 .xlsx",
        "en": "this row holds NUL characters, which no text file has: open the file in Excel and save it again",
    },
    "import.error.bom_mismatch": {
        "zh": "文件开头标明是 UTF-8 编码，但这一行不是 UTF-8（像是 GBK）：请用 Excel 打开后重新另存为 CSV 再上传",
        "en": "the file is marked as UTF-8 at its start, but this row is not UTF-8 (GBK?): open it in Excel and save it again",
    },
    "import.error.mixed_encoding": {
        "zh": "文件前面的行是 {first} 编码，从这一行起变成了 {then} 编码（可能是把两个文件拼在了一起）：请用 Excel 打开后统一另存为一个文件再上传",
        "en": "the rows before this one are {first}-encoded and this row is {then} (two files joined together?): open it in Excel and save it again as one file",
    },
    "import.error.line_too_long": {
        "zh": "这一行超过 {limit}，不是表格的一行：请确认上传的是表格文件（CSV/Excel）",
        "en": "this line is longer than {limit}, which no table row is: check that the file is a table (CSV/Excel)",
    },
    "import.error.too_many_columns": {
        "zh": "文件有 {count} 列，超过上限 {limit} 列，不像一张表格：请检查分隔符或文件内容",
        "en": "The file has {count} columns, more than {limit}: check the delimiter or the file",
    },
    "import.error.csv_fields": {
        "zh": "这一行有 {saw} 列，比表头多（表头 {expected} 列）：请检查是否有多余的分隔符",
        "en": "this row has {saw} fields, more than the header's {expected}: look for a stray delimiter",
    },
    "import.error.bad_kind": {"zh": "未知的数据类型，应为：{kinds}", "en": "Unknown kind; expected one of {kinds}"},
    "import.error.no_header": {
        "zh": "前 30 行中找不到表头（如“支部名称”“得分”“服务时长”）：请检查文件或下载模板对照",
        "en": "No header row found in the first 30 rows (e.g. 支部名称, 得分, 服务时长): compare with a template",
    },
    "import.error.empty_sheet": {"zh": "工作表是空的", "en": "The sheet is empty"},
    "import.error.unknown_kind": {
        "zh": "无法从表头判断数据类型（表头：{headers}），请选择数据类型",
        "en": "Cannot tell the kind of data from the headers ({headers}); choose the kind",
    },
    "import.error.override_unknown_header": {"zh": "文件中没有这个列名", "en": "the file has no such column"},
    "import.error.missing_column": {
        "zh": "缺少“{field}”列（可用列名：{accepted}）",
        "en": "Missing the “{field}” column (accepted headers: {accepted})",
    },
    "import.error.item_like_column": {
        "zh": "不是考核项目；是否为 {suggestion}？请改正列名，或在“列对应”中指定",
        "en": "is not a checklist item; did you mean {suggestion}? Correct the header or map it",
    },
    "import.warning.partial_periods": {
        "zh": "有 {count} 个支部的某期得分不足 {items} 项：{branches}。导入会替换这些支部该期的全部得分，文件中没有的项目将被删除；如非本意，请补齐全部项目",
        "en": "{count} branches have fewer than {items} items in a period: {branches}. The import replaces their whole period, so stored items missing from the file will be deleted; if that is not intended, include every item",
    },
    "import.warning.missing_items": {
        "zh": "缺少考核项目列：{items}。导入会替换这些支部本期的全部得分，已有的这几项得分将被删除；如非本意，请补齐或改用长表",
        "en": "Checklist item columns missing: {items}. The import replaces these branches' whole period, so stored "
        "scores of these items will be deleted; if that is not intended, add them or use the long shape",
    },
    "import.error.no_item_columns": {
        "zh": "找不到考核项目列（如 A1 或 应建尽建）",
        "en": "No checklist item columns found (e.g. A1 or 应建尽建)",
    },
    "import.error.no_rows": {"zh": "表头下面没有数据行", "en": "There are no data rows under the header"},
    "import.error.bad_period_option": {
        "zh": "指定的期次无法识别，应为 2023、2023年上半年、2023Q3 等",
        "en": "The period given is not a period; expected 2023, 2023-H1, 2023Q3 …",
    },
    "import.error.same_content": {
        "zh": "这些数据已在第 {batch} 批导入过（内容相同，只是文件格式或编码不同）；如需重新导入，请先撤销第 {batch} 批",
        "en": "These rows were imported before as batch {batch} (same content in another format or encoding); "
        "undo batch {batch} first to import them again",
    },
    "import.error.same_file": {
        "zh": "同一文件（内容完全相同）已作为第 {batch} 批导入，不能重复导入；如需重新导入请先撤销该批",
        "en": "This exact file was already imported as batch {batch}; undo that batch first to import it again",
    },
    "import.error.nothing_to_import": {"zh": "没有可导入的数据", "en": "Nothing to import"},
    "import.error.no_batch": {"zh": "没有第 {batch} 批导入记录", "en": "There is no batch {batch}"},
    "import.error.already_undone": {"zh": "第 {batch} 批已撤销", "en": "Batch {batch} is already undone"},
    "import.error.undo_orphans": {
        "zh": "不能撤销第 {batch} 批：批次 {batches} 的数据引用了此批导入的支部，请先撤销这些批次",
        "en": "Cannot undo batch {batch}: batches {batches} refer to branches it brought in; undo those first",
    },
    # warnings: do not block the import
    "import.warning.more": {
        "zh": "同类提示还有 {count} 处（仅列出前 {first} 处）",
        "en": "{count} more of the same (only the first {first} listed)",
    },
    "import.warning.not_number": {
        "zh": "不是数字，应为{expected}，未核对总分",
        "en": "is not a number ({expected}); total not checked",
    },
    "import.warning.total_mismatch": {
        "zh": "总分与各项得分之和 {sum} 不一致，以各项得分为准",
        "en": "total differs from the item sum {sum}; item scores are used",
    },
    "import.warning.long_day": {
        "zh": "每人次服务时长超过 {limit} 小时，请核实",
        "en": "more than {limit} hours per person-time; please check",
    },
    "import.warning.duplicate_rows": {
        "zh": "有 {count} 行与前面某行完全相同（第 {rows} 行），仍将导入，请核实是否重复登记",
        "en": "{count} rows repeat an earlier row exactly (rows {rows}); they will be imported — check for double entries",
    },
    "import.warning.unit_differs": {
        "zh": "支部名册中此支部属于“{roster_unit}”",
        "en": "the roster places this branch in “{roster_unit}”",
    },
    "import.warning.blank_rows": {
        "zh": "已跳过 {count} 个空行（第 {rows} 行）",
        "en": "Skipped {count} blank rows (rows {rows})",
    },
    "import.warning.total_rows": {
        "zh": "已跳过 {count} 个合计/总计/小计行（第 {rows} 行）",
        "en": "Skipped {count} total rows (合计/总计/小计; rows {rows})",
    },
    "import.warning.total_row_differs": {
        "zh": "合计行的数与数据不符：各行合计为 {sum}。请核对是否漏填或多填了行",
        "en": "the total row does not match the data: the rows add up to {sum}. Check for a missing or repeated row",
    },
    "import.warning.summary_rows": {
        "zh": "第 {rows} 行是统计行（平均分、最高分、最低分等，共 {count} 行），不是数据，已跳过",
        "en": "Rows {rows} are summary rows (averages, highest, lowest; {count} in all), not data, and were skipped",
    },
    "import.warning.note_rows": {
        "zh": "已跳过 {count} 个备注/落款行（第 {rows} 行）",
        "en": "Skipped {count} note rows (rows {rows})",
    },
    "import.warning.hidden_rows": {
        "zh": "第 {rows} 行在 Excel 中是隐藏的（共 {count} 行），已照常导入；如这些行不应导入，请删除后重新上传",
        "en": "Rows {rows} are hidden in Excel ({count} rows) and were imported like the others; delete them and upload again if they should not be",
    },
    "import.warning.kept_fields": {
        "zh": "文件没有以下列，已登记的内容保持不变：{fields}",
        "en": "The file has no column for these; what is stored is kept: {fields}",
    },
    "import.warning.unnamed_column": {
        "zh": "第 {number} 列没有列名，已忽略",
        "en": "Column {number} has no header and was ignored",
    },
    "import.warning.duplicate_column": {
        "zh": "与「{used}」列含义相同，已忽略此列",
        "en": "means the same as “{used}”; this column is ignored",
    },
    "import.warning.period_from_title": {
        "zh": "文件没有期次列，按标题中的期次 {period} 导入",
        "en": "No period column: using {period}, from the title",
    },
    "import.warning.period_differs_from_title": {
        "zh": "所选期次 {period} 与文件标题中的期次 {title_period} 不一致，将按 {period} 导入，请核实",
        "en": "The chosen period {period} differs from the one the title names ({title_period}); importing as {period} — please check",
    },
    "import.warning.standards_drop_items": {
        "zh": "已有考核得分使用的项目 {items} 不在新的考核标准中，这些得分将不再计入",
        "en": "Items {items} have stored scores but are not in the new checklist; those scores will no longer count",
    },
    # canonical fields, as the page labels them
    # What a cell should hold (import.error.required / not_number / too_large: "…, expected {expected}").
    "import.expected.branch_code": {"zh": "支部编码", "en": "a branch code"},
    "import.expected.branch_name": {"zh": "支部名称", "en": "a branch name"},
    "import.expected.unit_name": {"zh": "所属单位", "en": "the unit's name"},
    "import.expected.whole_from_0": {"zh": "≥ 0 的整数", "en": "a whole number ≥ 0"},
    "import.expected.whole_from_1": {"zh": "≥ 1 的整数", "en": "a whole number ≥ 1"},
    "import.expected.term_years": {"zh": "正整数（年）", "en": "a whole number of years above 0"},
    "import.expected.item_code_like": {"zh": "项目编码，如 A1", "en": "an item code such as A1"},
    "import.expected.item_code": {"zh": "项目编码", "en": "an item code"},
    "import.expected.item_name": {"zh": "项目名称", "en": "an item name"},
    "import.expected.dimension": {"zh": "维度名称", "en": "a dimension name"},
    "import.expected.positive": {"zh": "大于 0 的数", "en": "a number above 0"},
    "import.expected.activity": {"zh": "活动名称", "en": "an activity name"},
    "import.expected.hours": {"zh": "大于 0 的小时数", "en": "a number of hours above 0"},
    "import.expected.score": {"zh": "得分或 √/×", "en": "a score, or √ / ×"},
    "import.expected.number": {"zh": "数字", "en": "a number"},
    "import.expected.period": {"zh": "2023 / 2023年上半年 / 2023Q3", "en": "2023 / 2023 H1 / 2023Q3"},
    "import.field.branch_code": {"zh": "支部编码", "en": "Branch code"},
    "import.field.branch_name": {"zh": "支部名称", "en": "Branch name"},
    "import.field.unit_name": {"zh": "所属单位", "en": "Unit"},
    "import.field.sector": {"zh": "所属系统", "en": "Sector"},
    "import.field.member_count": {"zh": "党员人数", "en": "Members"},
    "import.field.secretary": {"zh": "支部书记", "en": "Secretary"},
    "import.field.founded_on": {"zh": "成立日期", "en": "Founded on"},
    "import.field.last_election_on": {"zh": "换届日期", "en": "Last election"},
    "import.field.term_years": {"zh": "任期（年）", "en": "Term (years)"},
    "import.field.item_code": {"zh": "项目编码", "en": "Item code"},
    "import.field.dimension": {"zh": "维度", "en": "Dimension"},
    "import.field.item_name": {"zh": "项目名称", "en": "Item name"},
    "import.field.dimension_en": {"zh": "英文维度", "en": "Dimension (English)"},
    "import.field.item_name_en": {"zh": "英文名称", "en": "Item (English)"},
    "import.field.max_score": {"zh": "满分", "en": "Max score"},
    "import.field.veto": {"zh": "一票否决", "en": "Veto"},
    "import.field.period": {"zh": "期次", "en": "Period"},
    "import.field.score": {"zh": "得分", "en": "Score"},
    "import.field.total": {"zh": "总分", "en": "Total"},
    "import.field.tier": {"zh": "档次", "en": "Tier"},
    "import.field.honors": {"zh": "荣誉", "en": "Honors"},
    "import.field.activity_date": {"zh": "活动日期", "en": "Date"},
    "import.field.member_code": {"zh": "党员编号", "en": "Member code"},
    "import.field.activity": {"zh": "活动名称", "en": "Activity"},
    "import.field.activity_type": {"zh": "活动类型", "en": "Activity type"},
    "import.field.hours": {"zh": "服务时长（小时）", "en": "Hours"},
    "import.field.person_times": {"zh": "人次", "en": "Person-times"},
    "import.field.partner": {"zh": "服务对象", "en": "Partner"},
    # kinds
    "import.kind.auto": {"zh": "自动识别", "en": "Detect"},
    "import.kind.branches": {"zh": "支部名册", "en": "Branch roster"},
    "import.kind.standards": {"zh": "考核标准", "en": "Checklist"},
    "import.kind.assessments": {"zh": "考核得分", "en": "Assessment scores"},
    "import.kind.tiers": {"zh": "分类定级", "en": "Grading tiers"},
    "import.kind.volunteer": {"zh": "志愿服务记录", "en": "Volunteer records"},
    # page
    "import.who_admin": {"zh": "管理员", "en": "admin"},
    "import.upload": {"zh": "上传文件（可多选）", "en": "Upload files (several at once)"},
    "import.upload_help": {
        "zh": "支持 CSV（UTF-8、GBK 均可）、XLSX、XLS、XLSM、ODS。标题行、两行表头、合计行会自动识别；一个工作簿中同类的多个工作表可一并导入。",
        "en": "CSV (UTF-8 or GBK), XLSX, XLS, XLSM, ODS. Title rows, two-row headers and total rows are recognised; several sheets of one kind in a workbook can be imported together.",
    },
    "import.admin_only": {"zh": "仅管理员可以导入或撤销数据。", "en": "Only administrators can import or undo data."},
    "import.kind": {"zh": "数据类型", "en": "Kind of data"},
    "import.kind_help": {
        "zh": "根据表头自动识别为：{kind}；如有误可在此更改。",
        "en": "Detected from the headers: {kind}; change it here if wrong.",
    },
    "import.sheets": {"zh": "工作表（可多选，合为一批导入）", "en": "Sheets (imported together as one batch)"},
    "import.sheets_help": {
        "zh": "默认选中所有属于该数据类型的工作表；说明页、其他类型的表不在其中",
        "en": "Every sheet holding this kind of table is selected; note sheets and other kinds are not",
    },
    "import.pick_sheet": {"zh": "请至少选择一个工作表。", "en": "Choose at least one sheet."},
    "import.standards.title": {
        "zh": "替换考核标准前请核对：以下变化导入后立即生效（撤销本批可恢复）",
        "en": "Check before replacing the checklist: these changes apply at once (undoing the batch restores it)",
    },
    "import.standards.added": {"zh": "新增", "en": "added"},
    "import.standards.removed": {"zh": "删除", "en": "removed"},
    "import.standards.changed": {"zh": "变化", "en": "changed"},
    "import.standards.col.item_code": {"zh": "项目编码", "en": "Item"},
    "import.standards.col.change": {"zh": "变化", "en": "Change"},
    "import.standards.col.before": {"zh": "现行标准", "en": "Now"},
    "import.standards.col.after": {"zh": "导入后", "en": "After the import"},
    "import.standards.col.period": {"zh": "期次", "en": "Period"},
    "import.standards.col.assessed": {"zh": "参评支部", "en": "Assessed"},
    "import.standards.col.passed_before": {"zh": "现达标数", "en": "Passing now"},
    "import.standards.col.passed_after": {"zh": "导入后达标数", "en": "Passing after"},
    "import.standards.col.rate_before": {"zh": "现达标率", "en": "Rate now"},
    "import.standards.col.rate_after": {"zh": "导入后达标率", "en": "Rate after"},
    "import.standards.no_item_change": {"zh": "各项目与现行标准相同。", "en": "Every item is as in the current checklist."},
    "import.standards.no_rate_change": {"zh": "各期达标率不变。", "en": "No period's compliance rate changes."},
    "import.standards.confirm": {
        "zh": "我已核对以上变化，确认用此文件替换考核标准",
        "en": "I have checked the changes and replace the checklist with this file",
    },
    "import.sheet": {"zh": "工作表", "en": "Sheet"},
    "import.period": {"zh": "期次", "en": "Period"},
    "import.period_placeholder": {"zh": "如 2023年度", "en": "e.g. 2023"},
    "import.period_help": {
        "zh": "文件没有期次列时使用；留空则取标题中的期次（灰色提示即为标题中找到的期次）。",
        "en": "Used when the file has no period column; empty means the period its title names (shown greyed).",
    },
    "import.period_bad": {"zh": "期次无法识别，例：2023、2023年上半年、2023Q3", "en": "Not a period; e.g. 2023, 2023-H1, 2023Q3"},
    "import.mapping": {"zh": "列对应关系（可修改）", "en": "Column mapping (editable)"},
    "import.mapping_help": {
        "zh": "左边是系统字段，右边选择文件中对应的列；选“—”表示不导入该字段。",
        "en": "For each field, pick the file's column; “—” leaves the field out.",
    },
    "import.mapping_items": {"zh": "识别出 {n} 个考核项目列：", "en": "{n} checklist item columns found:"},
    "import.header_in_file": {"zh": "文件中的列名", "en": "Header in the file"},
    "import.shape.wide": {"zh": "宽表：每个项目一列", "en": "wide: one column per item"},
    "import.shape.long": {"zh": "长表：每行一个项目", "en": "long: one item per row"},
    "import.fact.kind": {"zh": "类型：{kind}", "en": "Kind: {kind}"},
    "import.fact.sheet": {"zh": "工作表：{sheet}", "en": "Sheet: {sheet}"},
    "import.fact.header_row": {"zh": "表头在第 {row} 行", "en": "Header on row {row}"},
    "import.fact.period": {"zh": "期次：{period}", "en": "Period: {period}"},
    "import.fact.rows": {"zh": "将导入 {rows} 行", "en": "{rows} rows to import"},
    "import.fact.replace": {"zh": "将替换已有数据 {n} 行", "en": "replaces {n} stored rows"},
    "import.preview": {"zh": "预览（前 20 行，按入库后的样子）", "en": "Preview (first 20 rows, as they will be stored)"},
    "import.report": {"zh": "校验报告", "en": "Validation report"},
    "import.report_errors": {"zh": "有 {n} 个错误，改正后才能导入。", "en": "{n} errors: fix them to import."},
    "import.report_warnings": {"zh": "有 {n} 条提示，不影响导入。", "en": "{n} warnings; they do not block the import."},
    "import.report_clean": {"zh": "校验通过，没有发现问题。", "en": "All checks passed."},
    "import.report_download": {"zh": "下载校验报告（CSV）", "en": "Download the report (CSV)"},
    "import.report.level": {"zh": "级别", "en": "Level"},
    "import.report.sheet": {"zh": "工作表", "en": "Sheet"},
    "import.report.row": {"zh": "行号", "en": "Row"},
    "import.report.column": {"zh": "列", "en": "Column"},
    "import.report.value": {"zh": "值", "en": "Value"},
    "import.report.message": {"zh": "说明", "en": "Message"},
    "import.do_import": {"zh": "导入", "en": "Import"},
    "import.done": {
        "zh": "“{name}”已导入为第 {batch} 批：{rows} 行，替换 {replaced} 行。",
        "en": "“{name}” imported as batch {batch}: {rows} rows, {replaced} replaced.",
    },
    "import.history": {"zh": "导入记录", "en": "Import history"},
    "import.history_empty": {"zh": "还没有导入记录。", "en": "No imports yet."},
    "import.history.batch_id": {"zh": "批次", "en": "Batch"},
    "import.history.kind": {"zh": "类型", "en": "Kind"},
    "import.history.file_name": {"zh": "文件", "en": "File"},
    "import.history.rows": {"zh": "行数", "en": "Rows"},
    "import.history.replaced": {"zh": "替换行数", "en": "Replaced"},
    "import.history.imported_at": {"zh": "导入时间", "en": "When"},
    "import.history.imported_by": {"zh": "导入人", "en": "Who"},
    "import.history.status": {"zh": "状态", "en": "Status"},
    "import.status.active": {"zh": "有效", "en": "active"},
    "import.status.undone": {"zh": "已撤销", "en": "undone"},
    "import.undo_pick": {"zh": "选择要撤销的批次", "en": "Batch to undo"},
    "import.demo_data": {"zh": "演示数据", "en": "Demo data"},
    "import.undo_placeholder": {"zh": "请选择批次", "en": "Choose a batch"},
    "import.undo_label": {
        "zh": "第 {batch} 批 · {file} · {kind} · {rows} 行",
        "en": "Batch {batch} · {file} · {kind} · {rows} rows",
    },
    "import.undo": {"zh": "撤销…", "en": "Undo…"},
    "import.undo_confirm": {
        "zh": "确定撤销 {batch}？该批导入的数据将被删除，被它替换的旧数据将恢复。",
        "en": "Undo {batch}? Its rows are deleted and the rows it replaced come back.",
    },
    "import.undo_yes": {"zh": "确认撤销", "en": "Yes, undo"},
    "import.undo_no": {"zh": "取消", "en": "Cancel"},
    "import.undone": {
        "zh": "已撤销第 {batch} 批：删除 {deleted} 行，恢复 {restored} 行。",
        "en": "Batch {batch} undone: {deleted} rows deleted, {restored} restored.",
    },
    "import.templates": {"zh": "模板下载", "en": "Templates"},
    "import.templates_help": {
        "zh": "每种数据一个 Excel 模板，含中文表头和一行示例；考核得分模板按当前考核标准生成。",
        "en": "One Excel template per kind, with Chinese headers and an example row; the score template follows the current checklist.",
    },
    "import.template_file": {"zh": "模板_{kind}.xlsx", "en": "template_{kind}.xlsx"},
    # -- table columns in exports (CSV, XLSX, HTML brief) ------------------------------------
    # -- unit links (分享管理) ------------------------------------------------------------------
    "page.links": {"zh": "分享管理", "en": "Unit links"},
    "links.refused": {
        "zh": "此链接已过期或已撤销，请联系机关工委。",
        "en": "This link has expired or been revoked. Please contact the work committee.",
    },
    "links.scope_caption": {
        "zh": "本链接仅显示 {units} 的数据，有效期至 {expires}。",
        "en": "This link shows {units} only, until {expires}.",
    },
    "links.scope_caption_forever": {"zh": "本链接仅显示 {units} 的数据。", "en": "This link shows {units} only."},
    "links.committee": {"zh": "全工委平均", "en": "Committee average"},
    "links.not_here": {"zh": "“{page}”不在本链接的查看范围内。", "en": "“{page}” is not part of what this link shows."},
    "links.open_site": {
        "zh": "注意：当前未设置访问码，不带链接打开本站的人可以看到全部单位的数据，单位链接起不到限定作用。"
        "请先在部署配置中设置 viewer_code（见 README“访问控制”）。",
        "en": "Note: no viewer code is set, so anyone opening this site without a link sees every unit, and a unit link "
        "limits nothing. Set viewer_code first (see the README, Access control).",
    },
    "links.intro": {
        "zh": "为单位书记或领导生成专属链接：打开即可查看本单位各支部的详细情况及其在全工委中的位置（只显示全工委平均，不显示其他单位），"
        "无需访问码；到期自动失效，也可随时撤销。",
        "en": "A link for a unit's secretary or leader: it opens without the viewer code and shows that unit's branches "
        "in detail and where it stands against the committee average (no other unit is named); it expires, and can "
        "be revoked at any time.",
    },
    "links.units": {"zh": "可查看的单位", "en": "Units it shows"},
    "links.pick_units": {"zh": "选择一个或几个单位", "en": "Choose one or more units"},
    "links.label": {"zh": "备注（发给谁）", "en": "Label (who it is for)"},
    "links.expires": {"zh": "有效期", "en": "Expires"},
    "links.expiry.7d": {"zh": "7天", "en": "7 days"},
    "links.expiry.30d": {"zh": "30天", "en": "30 days"},
    "links.expiry.90d": {"zh": "90天", "en": "90 days"},
    "links.expiry.365d": {"zh": "1年", "en": "1 year"},
    "links.expiry.never": {"zh": "长期有效", "en": "Never"},
    "links.page": {"zh": "打开页面", "en": "Opens on"},
    "links.start_view": {
        "zh": "链接以当前筛选的期次范围和语言作为初始画面；持有人可在本单位范围内继续筛选。",
        "en": "The link starts with the current period range and language; its holder can filter further inside the units.",
    },
    "links.create": {"zh": "生成链接", "en": "Make the link"},
    "links.need_unit": {"zh": "请至少选择一个单位。", "en": "Choose at least one unit."},
    "links.made": {"zh": "已生成链接 {id}：", "en": "Link {id} made:"},
    "links.send_hint": {
        "zh": "复制上面的地址发给对方（内网邮件或政务通讯工具）。链接本身即凭证，请勿公开转发；如有泄露，在下方撤销即可。",
        "en": "Copy the address above and send it (intranet mail or messenger). The link is the credential: do not post "
        "it publicly; if it leaks, revoke it below.",
    },
    "links.list": {"zh": "已生成的链接", "en": "Links made"},
    "links.none": {"zh": "还没有生成链接。", "en": "No links yet."},
    "links.col.id": {"zh": "编号", "en": "ID"},
    "links.col.status": {"zh": "状态", "en": "Status"},
    "links.col.created": {"zh": "生成时间", "en": "Created"},
    "links.col.last_opened": {"zh": "最近打开", "en": "Last opened"},
    "links.col.times_opened": {"zh": "打开次数", "en": "Times opened"},
    "links.status.active": {"zh": "有效", "en": "Active"},
    "links.status.expired": {"zh": "已过期", "en": "Expired"},
    "links.status.revoked": {"zh": "已撤销", "en": "Revoked"},
    "links.revoke_pick": {"zh": "撤销链接", "en": "Revoke a link"},
    "links.revoke": {"zh": "撤销", "en": "Revoke"},
    # -- the Word report (通报) ------------------------------------------------------------------
    "report.button": {"zh": "生成报告（Word）", "en": "Draft the report (Word)"},
    "report.button_help": {
        "zh": "按当前筛选起草一份情况通报：各部分的数字与看板一致，附图表和名单，可在 Word 中修改后印发。",
        "en": "Drafts a written report for the current filters: the figures as the dashboard shows them, with "
        "charts and lists, to edit in Word before it goes out.",
    },
    "report.working": {"zh": "正在生成报告……", "en": "Drafting the report…"},
    "report.charts_progress": {"zh": "正在绘制图表 {done}/{total}", "en": "Drawing charts {done}/{total}"},
    "report.file_name": {"zh": "党支部建设情况通报", "en": "party-branch-report"},
    "report.download": {"zh": "下载报告（Word）", "en": "Download the report (Word)"},
    "report.failed": {
        "zh": "报告未能生成，请稍后重试；如仍出现，请把参考编号 {reference} 告知管理员。",
        "en": "The report could not be drafted; try again later, and if it happens again give reference {reference} "
        "to the administrator.",
    },
    "report.title": {"zh": "关于{period}党支部建设情况的通报", "en": "Party branch work in {period}: a report"},
    "report.title_no_period": {"zh": "关于党支部建设情况的通报", "en": "Party branch work: a report"},
    "report.scope": {"zh": "统计范围：{text}", "en": "Scope: {text}"},
    "report.periods": {
        "zh": "考核期次：{period}（与{previous}比较）",
        "en": "Assessment period: {period} (compared with {previous})",
    },
    "report.period_only": {"zh": "考核期次：{period}", "en": "Assessment period: {period}"},
    "report.tier_filter": {
        "zh": "定级筛选：{period}定级为{tiers}的支部",
        "en": "Tier filter: branches rated {tiers} in {period}",
    },
    "report.volunteer_window": {"zh": "志愿服务统计区间：{window}", "en": "Volunteer service: {window}"},
    "report.stamp": {"zh": "{as_of} · 生成日期 {today}", "en": "{as_of} · drafted {today}"},
    "report.section.compliance": {"zh": "一、标准化规范化建设达标情况", "en": "1. Standardization compliance"},
    "report.section.tiers": {"zh": "二、分类定级情况", "en": "2. Grading tiers"},
    "report.section.volunteer": {"zh": "三、志愿服务情况", "en": "3. Volunteer service"},
    "report.section.terms": {"zh": "四、换届提醒", "en": "4. Elections due"},
    "report.figure": {"zh": "图{n}　{title}", "en": "Figure {n}. {title}"},
    "report.table": {"zh": "表{n}　{title}", "en": "Table {n}. {title}"},
    "report.table_cut": {
        "zh": "（共{total}行，此处列出前{shown}行，完整名单见看板导出。）",
        "en": "({total} rows; the first {shown} are listed here, the full list is in the dashboard's export.)",
    },
    "report.no_charts": {
        "zh": "（本节图表未能生成：服务器上的浏览器组件不可用。数字与名单不受影响。）",
        "en": "(The charts of this section could not be drawn: the server's browser is unavailable. Figures and lists are unaffected.)",
    },
    "report.chart.compliance_trend": {"zh": "各期达标率", "en": "Compliance rate by period"},
    "report.chart.compliance_by_unit": {"zh": "{period}各单位达标率", "en": "Compliance rate by unit, {period}"},
    "report.chart.tier_mix": {"zh": "各期分类定级结构", "en": "Tier mix by period"},
    "report.chart.volunteer_by_month": {"zh": "志愿服务时长与人次（按月）", "en": "Volunteer hours and person-times by month"},
    "report.list.by_unit": {"zh": "{period}各单位达标情况", "en": "Compliance by unit, {period}"},
    "report.list.below": {"zh": "{period}未达标支部", "en": "Branches below the pass line, {period}"},
    "report.list.still_worst": {"zh": "连续两期为{worst}的支部", "en": "Branches rated {worst} in both periods"},
    "report.list.volunteer_by_unit": {"zh": "各单位志愿服务情况", "en": "Volunteer service by unit"},
    "report.list.terms": {"zh": "需换届的支部", "en": "Branches due for election"},
    "report.term.when": {"zh": "期限", "en": "When"},
    "col.period": {"zh": "期次", "en": "Period"},
    "col.period_label": {"zh": "期次", "en": "Period"},
    "col.branch_code": {"zh": "支部编码", "en": "Branch code"},
    "col.branch_name": {"zh": "支部", "en": "Branch"},
    "col.unit_name": {"zh": "单位", "en": "Unit"},
    "col.sector": {"zh": "所属系统", "en": "Sector"},
    "col.tier": {"zh": "档次", "en": "Tier"},
    "col.tier_rank": {"zh": "档次序号", "en": "Tier rank"},
    "col.tier_before": {"zh": "原档次", "en": "Tier before"},
    "col.tier_after": {"zh": "现档次", "en": "Tier after"},
    "col.movement": {"zh": "变动", "en": "Movement"},
    "col.lifted_from_worst": {"zh": "帮扶转化", "en": "Lifted from worst"},
    "col.branches": {"zh": "支部数", "en": "Branches"},
    "col.members": {"zh": "党员数", "en": "Members"},
    "col.member_count": {"zh": "党员数", "en": "Members"},
    "col.assessed": {"zh": "参评支部", "en": "Assessed"},
    "col.passed": {"zh": "达标支部", "en": "Passed"},
    "col.compliance_rate": {"zh": "达标率", "en": "Compliance rate"},
    "col.mean_score": {"zh": "平均得分", "en": "Mean score"},
    "col.total_score": {"zh": "总分", "en": "Total score"},
    "col.item_code": {"zh": "项目编码", "en": "Item code"},
    "col.item_name": {"zh": "项目", "en": "Item"},
    "col.dimension": {"zh": "维度", "en": "Dimension"},
    "col.max_score": {"zh": "满分", "en": "Max score"},
    "col.score": {"zh": "得分", "en": "Score"},
    "col.met": {"zh": "达标支部", "en": "Branches meeting it"},
    "col.pass_rate": {"zh": "达标比例", "en": "Pass rate"},
    "col.month": {"zh": "月份", "en": "Month"},
    "col.hours": {"zh": "服务时长（小时）", "en": "Hours"},
    "col.person_times": {"zh": "人次", "en": "Person-times"},
    "col.activities": {"zh": "活动次数", "en": "Activities"},
    "col.hours_per_member": {"zh": "人均服务时长", "en": "Hours per member"},
    "col.activity_type": {"zh": "活动类型", "en": "Activity type"},
    "col.dimension_rate": {"zh": "维度得分率", "en": "Dimension score"},
    "col.unit_rate": {"zh": "单位平均", "en": "Unit average"},
    "col.committee_rate": {"zh": "全工委平均", "en": "Committee average"},
    "col.branch_rate": {"zh": "本支部", "en": "This branch"},
    "col.next_due": {"zh": "下次换届", "en": "Next election due"},
    "col.last_election_on": {"zh": "上次换届", "en": "Last election"},
    "col.deadline": {"zh": "期限", "en": "Deadline"},
    "col.term_status": {"zh": "换届状态", "en": "Term status"},
    "col.gap_to_pass": {"zh": "距达标线（分）", "en": "Points to pass"},
    "col.weakest_items": {"zh": "最弱项目", "en": "Weakest items"},
    "col.items_not_met": {"zh": "未达标项数", "en": "Items not met"},
    "col.bin_start": {"zh": "分数段起", "en": "Bin from"},
    "col.bin_end": {"zh": "分数段止", "en": "Bin to"},
    "col.last_activity_on": {"zh": "最近活动", "en": "Last activity"},
    "col.unit_mean": {"zh": "单位平均", "en": "Unit mean"},
    "col.committee_mean": {"zh": "全工委平均", "en": "Committee mean"},
    "col.secretary": {"zh": "书记", "en": "Secretary"},
    "col.honors": {"zh": "荣誉", "en": "Honors"},
    "col.result": {"zh": "结果", "en": "Result"},
}


def t(key: str, lang: str = "zh", **values: object) -> str:
    entry = CATALOG[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Translator:
    """`t` for one language, as a value: what is built with it (a figure's words) is shared by its language
    (branchboard.fingerprint takes a frozen dataclass by its fields)."""

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def label_columns(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy with the committee's words as column headers, for exported tables."""
    return frame.rename(columns={c: t(f"col.{c}", lang) for c in frame.columns if f"col.{c}" in CATALOG})


def cell_text(value: object) -> str:
    """A table cell that is not a figure, as text: empty when missing (never "None", "nan" or "NaT"), a date as
    2024-03-06 (a time as 2024-03-06 09:30), a whole number without ".0", a list as its items."""
    import numpy as np
    import pandas as pd

    if isinstance(value, list | tuple | np.ndarray):
        return "、".join(cell_text(v) for v in value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    if isinstance(value, pd.Timestamp | datetime):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def display_width(text: str) -> int:
    """Columns a text takes: a CJK character two, any other one (as on paper, and about as on screen)."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def fmt_percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def fmt_number(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def fmt_hours(value: float | Decimal | None, *, signed: bool = False) -> str:
    """Service hours as stored (two decimals at most), thousands separated, no trailing zeros: 55,878.5 / 1,234.

    Hours are exact decimals in the store; a float from a query is taken at its shortest repr, which is the
    stored value, so nothing is rounded away. `signed` puts + before a positive change."""
    if value is None or value != value:  # None or NaN
        return "—"
    exact = Decimal(str(value)).quantize(Decimal("0.01"))
    if exact == 0:
        return "0"
    text = f"{exact:,.2f}".rstrip("0").rstrip(".")
    return f"+{text}" if signed and exact > 0 else text


def fmt_change(value: float | Decimal | None, lang: str = "zh", *, unit: str = "number", digits: int = 1) -> str | None:
    """A change against the previous period as cards and documents show it: "+2.3 个百分点" / "+2.3 pp" for a rate
    (`unit="pp"`, the value a difference of two rates 0..1), "+1,234.5" hours (`unit="hours"`), "+2" or "-0.4"
    otherwise; "持平" / "no change" when it is zero at the precision shown. None: nothing to compare with."""
    if value is None or value != value:  # None or NaN
        return None
    if change_is_zero(value, unit=unit, digits=digits):
        return t("common.no_change", lang)
    if unit == "pp":
        return t("common.change_pp", lang, value=f"{float(value) * 100:+.{digits}f}")
    if unit == "hours":
        return fmt_hours(value, signed=True)
    return f"{float(value):+,.{digits}f}"


def fmt_deadline(days_left: Any, lang: str = "zh") -> str:
    """An election's deadline in words, on screens, exports and the report alike: "逾期12天" once passed (never a
    negative number of days left), "还有40天" before; — when unknown."""
    if days_left is None or days_left != days_left:
        return "—"
    days = int(days_left)
    return t("terms.overdue_days", lang, days=-days) if days < 0 else t("terms.days_to_go", lang, days=days)


def change_is_zero(value: float | Decimal, *, unit: str = "number", digits: int = 1) -> bool:
    """A change that reads as zero where it is shown (a rate's at one decimal of a percentage point, hours' at the
    cent): neutral, never a red or green arrow."""
    if unit == "hours":
        return Decimal(str(value)).quantize(Decimal("0.01")) == 0
    shown = float(value) * 100 if unit == "pp" else float(value)
    return round(shown, digits) == 0


def with_code(name: str, code: str, lang: str, *, two_lines: bool = False) -> str:
    """A branch as a label: its name and code, in the reader's brackets (full-width in Chinese); `two_lines` puts
    the code under the name (a chart's axis label, which "\n" breaks: half as wide, the bars get the room)."""
    if lang == "zh":
        return f"{name}{chr(10) if two_lines else ''}（{code}）"
    return f"{name}{chr(10) if two_lines else ' '}({code})"


def fmt_date(value: Any) -> str:
    """A calendar date as 2024-03-06, in both languages: tables, lists, stamps. A missing one (None, NaT) is —."""
    moment = _moment(value)
    return "—" if moment is None else moment.strftime("%Y-%m-%d")


def fmt_datetime(value: Any) -> str:
    """A moment as 2024-03-06 14:05 (imports, links opened), in both languages. A missing one (None, NaT) is —."""
    moment = _moment(value)
    return "—" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


def _moment(value: Any) -> date | None:
    """A date or time as held in a frame or the database (date, datetime, Timestamp, numpy datetime64, ISO text);
    None when missing. NaT is a datetime to isinstance, so it is checked for after."""
    import pandas as pd

    if value is None:
        return None
    if not isinstance(value, date):
        value = pd.Timestamp(value)
    return None if pd.isna(value) else value


def fmt_long_date(value: date | None, lang: str = "zh") -> str:
    """A date in running text: 2026年12月2日 as Chinese documents write it, 2 December 2026 in English."""
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日" if lang == "zh" else f"{value.day} {value:%B %Y}"
