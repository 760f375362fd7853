package api

import "fmt"

// labels is the one table of the interface's words: Chinese first, English
// beside it so that an English rendering is a switch, not a rewrite. Pages
// take every fixed word from here through the template function t; a key
// missing from the table renders as the key itself, and a test fails on it.
// The domain's own words (rungs, statuses, roles) come from their Label().
var labels = map[string][2]string{
	"app.name":    {"民意", "minyi"},
	"app.tagline": {"网络舆情与网上信访督办", "Public opinion and petition tracking"},

	"nav.inbox":       {"待办案件", "Inbox"},
	"nav.answered":    {"已办案件", "Answered"},
	"nav.overdue":     {"超期督办", "Overdue board"},
	"nav.stats":       {"统计排名", "Statistics"},
	"nav.extensions":  {"延期审批", "Extensions"},
	"nav.escalations": {"升级记录", "Escalations"},
	"nav.search":      {"舆情搜索", "Search"},
	"nav.trends":      {"趋势分析", "Trends"},
	"nav.alerts":      {"预警订阅", "Alerts"},
	"nav.departments": {"部门", "Departments"},
	"nav.rules":       {"分派规则", "Routing rules"},
	"nav.deadlines":   {"办理时限", "Deadlines"},
	"nav.sources":     {"数据源", "Sources"},
	"nav.users":       {"用户与令牌", "Users and tokens"},
	"nav.import":      {"历史导入", "Import"},
	"nav.account":     {"修改密码", "Password"},
	"nav.logout":      {"退出", "Log out"},
	"nav.skip":        {"跳到正文", "Skip to content"},
	"nav.menu":        {"导航", "Navigation"},

	"common.none":     {"—", "—"},
	"common.submit":   {"提交", "Submit"},
	"common.save":     {"保存", "Save"},
	"common.cancel":   {"取消", "Cancel"},
	"common.export":   {"导出 XLSX", "Export XLSX"},
	"common.prev":     {"上一页", "Previous"},
	"common.next":     {"下一页", "Next"},
	"common.page":     {"第 %d / %d 页", "Page %d of %d"},
	"common.total":    {"共 %d 条", "%d in all"},
	"common.empty":    {"暂无数据", "Nothing here"},
	"common.from":     {"开始日期", "From"},
	"common.to":       {"结束日期", "To"},
	"common.filter":   {"筛选", "Filter"},
	"common.yes":      {"是", "Yes"},
	"common.no":       {"否", "No"},
	"common.back":     {"返回", "Back"},
	"common.loggedin": {"当前用户", "Signed in as"},

	"error.title":          {"出错了", "Something went wrong"},
	"error.role_forbidden": {"您的角色无权访问此页面", "Your role may not open this page"},
	"error.home":           {"返回首页", "Back to the start page"},
	"error.400":            {"请求有误", "Bad request"},
	"error.401":            {"请先登录", "Please log in"},
	"error.403":            {"无权访问", "Forbidden"},
	"error.404":            {"页面不存在", "Not found"},
	"error.409":            {"操作冲突", "Conflict"},
	"error.413":            {"内容过大", "Too large"},
	"error.415":            {"格式不支持", "Unsupported format"},
	"error.429":            {"尝试过于频繁", "Too many attempts"},
	"error.500":            {"系统内部错误", "Internal error"},
	"error.503":            {"服务暂不可用", "Service unavailable"},

	// Case work: department and supervisor pages.
	"common.paging":  {"分页", "Pages"},
	"col.id":         {"编号", "No."},
	"col.title":      {"标题", "Title"},
	"col.type":       {"类型", "Type"},
	"col.source":     {"来源", "Source"},
	"col.department": {"承办单位", "Department"},
	"col.received":   {"受理时间", "Received"},
	"col.due":        {"办理时限", "Due"},
	"col.days_left":  {"剩余工作日", "Working days left"},
	"col.days_over":  {"超期", "Overdue by"},
	"col.answered":   {"答复时间", "Answered"},
	"col.rung":       {"督办级别", "Escalation"},
	"col.rating":     {"回访评价", "Rating"},
	"col.at":         {"时间", "Time"},

	"case.overdue":           {"已超期", "Overdue"},
	"case.days_left":         {"%d 个工作日", "%d working days"},
	"case.due_today":         {"今日到期", "Due today"},
	"case.days_over":         {"超期 %d 个工作日", "%d working days overdue"},
	"case.extended":          {"已延期", "Extended"},
	"case.on_time":           {"按时", "On time"},
	"case.late":              {"超时", "Late"},
	"case.unassigned":        {"待交办", "Not assigned"},
	"case.message":           {"来信内容", "Message"},
	"case.original":          {"原文", "Original"},
	"case.contact":           {"来信人联系方式", "Petitioner's contact"},
	"case.contact_name":      {"姓名", "Name"},
	"case.contact_phone":     {"电话", "Phone"},
	"case.contact_email":     {"邮箱", "Email"},
	"case.routing":           {"交办依据", "Why it was assigned here"},
	"case.attachments":       {"答复附件", "Reply attachments"},
	"case.timeline":          {"办理过程", "Timeline"},
	"case.reply":             {"答复", "Reply"},
	"case.reply_text":        {"答复内容", "Reply text"},
	"case.resolved":          {"问题是否已解决", "Is the problem solved?"},
	"case.attach":            {"附件（可多选）", "Attachments (several allowed)"},
	"case.attach_hint":       {"全部附件合计不超过 %s", "All files together at most %s"},
	"case.no_attachments":    {"本系统未配置附件存储，请去掉附件后提交", "This server keeps no attachments; submit without files"},
	"case.reply_submit":      {"提交答复", "Send reply"},
	"case.return":            {"回退", "Return (回退)"},
	"case.return_reason":     {"回退理由（非本单位职责的依据）", "Reason (why it is not ours)"},
	"case.return_confirm":    {"确定回退此案件？回退后本单位将无法再办理。", "Return this case? Your department can no longer act on it."},
	"case.return_submit":     {"回退案件", "Return case"},
	"case.extension":         {"申请延期", "Request an extension"},
	"case.extension_days":    {"延期天数（1–%d 天）", "Days (1–%d)"},
	"case.extension_reason":  {"延期理由", "Reason"},
	"case.extension_submit":  {"提交延期申请", "Request extension"},
	"case.extension_pending": {"延期申请待审批", "Extension request waiting for a decision"},
	"case.days_invalid":      {"延期天数须为 1 到 %d 的整数", "Days must be a whole number from 1 to %d"},
	"case.reassign":          {"改派", "Reassign"},
	"case.reassign_reason":   {"改派理由", "Reason"},
	"case.reassign_submit":   {"改派", "Reassign"},
	"case.choose":            {"请选择", "Choose"},
	"case.rate":              {"回访评价", "Record the citizen's rating (回访)"},
	"case.rate_comment":      {"回访记录", "Notes"},
	"case.rate_submit":       {"记录回访", "Record rating"},

	"answered.search": {"按标题搜索", "Search titles"},

	"overdue.count": {"%d 件", "%d cases"},
	"overdue.none":  {"目前没有超期案件", "No case is overdue"},

	"stats.period_hint":       {"选择月份、季度、年度或起止日期之一（起止日期优先）", "Pick a month, a quarter, a year or a from/to range (the range wins)"},
	"stats.month":             {"月份", "Month"},
	"stats.quarter":           {"季度（如 2026-Q4）", "Quarter (e.g. 2026-Q4)"},
	"stats.year":              {"年度", "Year"},
	"stats.range_needs_both":  {"请同时填写开始日期和结束日期", "Give both a from and a to date"},
	"stats.heading":           {"统计周期：%s", "Period: %s"},
	"stats.chart":             {"各单位按时答复率与响应率柱状图", "Bar chart of on-time and response rates"},
	"stats.red":               {"红榜（前 5 名）", "Red list (top 5)"},
	"stats.black":             {"黑榜（后 5 名）", "Black list (bottom 5)"},
	"stats.too_few":           {"单位太少，不排名", "Too few departments to rank"},
	"stats.all":               {"各单位统计", "All departments"},
	"stats.received":          {"受理量", "Received"},
	"stats.answered":          {"答复量", "Answered"},
	"stats.due":               {"到期量", "Due"},
	"stats.on_time":           {"按时答复量", "On time"},
	"stats.returned":          {"回退量", "Returned"},
	"stats.open":              {"在办量", "Open"},
	"stats.overdue":           {"超期量", "Overdue"},
	"stats.response_rate":     {"响应率", "Response rate"},
	"stats.on_time_rate":      {"按时答复率", "On-time rate"},
	"stats.return_rate":       {"回退率", "Return rate"},
	"stats.satisfaction_rate": {"满意率", "Satisfaction rate"},

	"ext.request":     {"延期申请", "Request"},
	"ext.decide":      {"审批", "Decision"},
	"ext.reason":      {"审批意见", "Note"},
	"ext.reason_hint": {"驳回时必填", "Required to deny"},
	"ext.approve":     {"同意延期", "Approve"},
	"ext.deny":        {"驳回", "Deny"},
	"ext.none":        {"没有待审批的延期申请", "No extension request is waiting"},

	"ext.days":          {"延期 %d 天：", "%d more days: "},
	"ext.days_approved": {"同意延期 %d 天 ", "%d more days approved "},
	"case.unresolved":   {"【未解决】", "[unresolved]"},

	"actor.system":     {"系统", "System"},
	"actor.supervisor": {"督查", "Supervisor"},
	"actor.citizen":    {"来信人", "Petitioner"},

	"esc.since":  {"起始日期", "Since"},
	"esc.reason": {"原因", "Reason"},

	"flash.replied":             {"答复已提交", "Reply sent"},
	"flash.returned":            {"案件已回退，将重新交办", "Case returned; it will be routed again"},
	"flash.extension_requested": {"延期申请已提交，等待督查审批", "Extension requested; a supervisor will decide"},
	"flash.extension_approved":  {"已同意延期，办理时限已顺延", "Extension approved; the due date moved"},
	"flash.extension_denied":    {"已驳回延期申请", "Extension denied"},
	"flash.reassigned":          {"案件已改派", "Case reassigned"},
	"flash.rated":               {"回访评价已记录", "Rating recorded"},
}

// lang is the rendering language: 0 Chinese, 1 English. One switch, for
// the day an English interface is asked for.
var lang = 0

// label returns the word for key; a key missing from the table shows as
// itself, so a typo is visible on the page and in TestLabelsComplete.
func label(key string) string {
	if l, ok := labels[key]; ok {
		return l[lang]
	}
	return key
}

// labelf formats the word for key, e.g. "第 %d / %d 页".
func labelf(key string, args ...any) string {
	return fmt.Sprintf(label(key), args...)
}
