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
    "tiers.period_a": {"zh": "对比期（前）", "en": "From period"},
    "tiers.period_b": {"zh": "对比期（后）", "en": "To period"},
    "tiers.need_two": {"zh": "至少需要两期定级结果才能对比。", "en": "Two tier periods are needed for a comparison."},
    "tiers.same_period": {"zh": "请选择两个不同的期次。", "en": "Choose two different periods."},
    "tiers.compared": {
        "zh": "{a}与{b}均有定级的支部 {n} 个（筛选范围内）。",
        "en": "{n} branches in the filters are rated in both {a} and {b}.",
    },
    "tiers.kpi.promoted": {"zh": "晋位", "en": "Promoted"},
    "tiers.kpi.demoted": {"zh": "降档", "en": "Demoted"},
    "tiers.kpi.unchanged": {"zh": "持平", "en": "Unchanged"},
    "tiers.kpi.lifted": {"zh": "帮扶转化", "en": "Lifted from {worst}"},
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
        "zh": "已逾期 {overdue} 个 · 3 个月内到期 {due_3m} 个 · 6 个月内到期 {due_6m} 个",
        "en": "{overdue} overdue · {due_3m} due within 3 months · {due_6m} due within 6 months",
    },
    "overview.terms.status": {"zh": "状态", "en": "Status"},
    "overview.terms.last": {"zh": "上次换届", "en": "Last election"},
    "overview.terms.days_left": {"zh": "剩余天数", "en": "Days left"},
    "overview.terms.overdue": {"zh": "已逾期", "en": "Overdue"},
    "overview.terms.due_3m": {"zh": "3个月内到期", "en": "Within 3 months"},
    "overview.terms.due_6m": {"zh": "6个月内到期", "en": "Within 6 months"},
}


def t(key: str, lang: str = "zh", **values: object) -> str:
    entry = CATALOG[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**values) if values else text


def fmt_percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def fmt_number(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"
