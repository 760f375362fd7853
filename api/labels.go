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

	"kind.post":    {"论坛帖子", "Forum post"},
	"kind.message": {"留言信件", "Message"},

	"search.title":      {"舆情搜索", "Search"},
	"search.query":      {"搜索内容", "Search for"},
	"search.submit":     {"搜索", "Search"},
	"search.syntax":     {"空格分隔的词都须出现；\"引号\"内为完整短语；词前加 - 表示排除。不填则按筛选条件列出最新内容。", "Words separated by spaces must all occur; \"quotes\" keep a phrase; a leading - excludes. Leave empty to list the newest by filters."},
	"search.error":      {"搜索条件有误：", "The search is not valid: "},
	"search.filters":    {"筛选条件", "Filters"},
	"search.source":     {"来源", "Source"},
	"search.kind":       {"类型", "Kind"},
	"search.sentiment":  {"情感倾向", "Sentiment"},
	"search.category":   {"分类", "Category"},
	"search.topic":      {"话题", "Topic"},
	"search.from":       {"开始日期", "From"},
	"search.to":         {"结束日期", "To"},
	"search.any":        {"不限", "Any"},
	"search.group":      {"按话题合并", "Group by topic"},
	"search.active":     {"当前筛选：", "Filters in effect:"},
	"search.remove":     {"去掉筛选 %s：%s", "Remove filter %s: %s"},
	"search.facets":     {"结果分布", "Facets"},
	"search.none":       {"没有找到匹配的内容。", "Nothing matches."},
	"search.topic_size": {"同话题 %d 篇", "%d in this topic"},
	"search.paging":     {"翻页", "Pages"},

	"doc.back":          {"返回搜索", "Back to search"},
	"doc.source_link":   {"查看原文", "Open the original"},
	"doc.body":          {"正文", "Text"},
	"doc.reply":         {"官方回复", "Official reply"},
	"doc.comments":      {"回帖（%d）", "Replies (%d)"},
	"doc.analysis":      {"分析结果", "Analysis"},
	"doc.confidence":    {"置信度 %s", "confidence %s"},
	"doc.topic_size":    {"本话题共 %d 篇", "%d in this topic"},
	"doc.topic_alone":   {"无相似内容", "No similar posts"},
	"doc.not_analysed":  {"尚未分析", "Not analysed yet"},
	"doc.topic_members": {"同话题的其他内容", "Others in this topic"},

	"trends.title":          {"趋势分析", "Trends"},
	"trends.query":          {"关键词（可选）", "Keyword (optional)"},
	"trends.interval":       {"时间粒度", "Interval"},
	"trends.interval.day":   {"按日", "By day"},
	"trends.interval.week":  {"按周", "By week"},
	"trends.interval.month": {"按月", "By month"},
	"trends.window":         {"热点话题时段", "Hot topics over"},
	"trends.window.24h":     {"最近 24 小时", "Last 24 hours"},
	"trends.window.7d":      {"最近 7 天", "Last 7 days"},
	"trends.window.30d":     {"最近 30 天", "Last 30 days"},
	"trends.sentiment":      {"情感倾向走势", "Sentiment over time"},
	"trends.analysed":       {"已分析 %d 篇", "%d analysed"},
	"trends.table":          {"数据表", "Data table"},
	"trends.period":         {"时段", "Period"},
	"trends.total":          {"合计", "Total"},
	"trends.categories":     {"分类分布", "Categories"},
	"trends.documents":      {"篇数", "Documents"},
	"trends.uncategorized":  {"未分类", "Uncategorized"},
	"trends.topics":         {"热点话题", "Hot topics"},
	"trends.topic":          {"话题", "Topic"},
	"trends.current":        {"本时段", "This period"},
	"trends.previous":       {"上一时段", "Period before"},
	"trends.growth":         {"增长", "Growth"},
	"trends.new":            {"新出现", "New"},
	"trends.negative":       {"负面", "Negative"},
	"trends.first_seen":     {"首见 %s", "first seen %s"},

	"alerts.title":              {"预警订阅", "Alerts and subscriptions"},
	"alerts.raised":             {"已触发的预警", "Raised alerts"},
	"alerts.raised_error":       {"暂时无法读取已触发的预警，请稍后刷新。", "Raised alerts cannot be read right now; reload later."},
	"alerts.none_raised":        {"暂无预警。", "No alerts raised."},
	"alerts.count":              {"负面 %d 篇，基线均值 %s", "%d negative vs mean %s"},
	"alerts.case":               {"案件", "Case"},
	"alerts.subscriptions":      {"关键词订阅", "Keyword subscriptions"},
	"alerts.disabled":           {"本服务未配置预警订阅。", "Alert subscriptions are not configured on this server."},
	"alerts.name":               {"名称", "Name"},
	"alerts.keyword":            {"关键词", "Keyword"},
	"alerts.keyword_help":       {"与搜索语法相同；负面内容激增时预警。", "Search syntax; alerts when negative posts matching it spike."},
	"alerts.department":         {"通知部门", "Department"},
	"alerts.open_case":          {"预警时立案交办", "Open a case on alert"},
	"alerts.actions":            {"操作", "Actions"},
	"alerts.remove":             {"删除", "Remove"},
	"alerts.remove_named":       {"删除订阅 %s", "Remove subscription %s"},
	"alerts.confirm_remove":     {"确定删除订阅“%s”？", "Remove subscription %q?"},
	"alerts.no_subscriptions":   {"暂无订阅。", "No subscriptions."},
	"alerts.add":                {"新增订阅", "Add a subscription"},
	"alerts.add_button":         {"添加", "Add"},
	"alerts.added":              {"已添加订阅“%s”。", "Subscription %q added."},
	"alerts.removed":            {"已删除订阅“%s”。", "Subscription %q removed."},
	"alerts.need_name":          {"请填写订阅名称。", "Give the subscription a name."},
	"alerts.name_long":          {"名称最多 %d 个字。", "A name has at most %d characters."},
	"alerts.need_department":    {"立案交办须选择通知部门。", "Opening cases needs a department."},
	"alerts.unknown_department": {"未知部门 %s。", "Unknown department %s."},
	"alerts.exists":             {"已有名为“%s”的订阅。", "A subscription named %q exists."},
	"alerts.unknown":            {"没有名为“%s”的订阅。", "No subscription named %q."},

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
