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
