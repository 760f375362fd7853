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
	"nav.audit":       {"审计日志", "Audit log"},
	"nav.account":     {"我的账户", "My account"},
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

	"login.title":     {"登录", "Log in"},
	"login.name":      {"用户名", "Login name"},
	"login.password":  {"密码", "Password"},
	"login.submit":    {"登录", "Log in"},
	"login.failed":    {"用户名或密码错误", "Wrong login name or password"},
	"login.disabled":  {"该账户已停用，请联系管理员", "This account is disabled; ask an administrator"},
	"login.locked":    {"登录失败次数过多，已暂时锁定，请 %d 分钟后再试", "Too many failed logins: locked, try again in %d minutes"},
	"login.demo_hint": {"演示模式：用户名 admin、supervisor、analyst 或部门编号（如 housing），密码 minyi-demo", "Demo: log in as admin, supervisor, analyst or a department id (e.g. housing) with password minyi-demo"},

	"password.rule":     {"密码至少 8 位，且须同时包含字母和数字", "A password has at least 8 characters, with letters and digits"},
	"password.too_long": {"密码不能超过 72 个字节", "A password has at most 72 bytes"},

	"account.title":         {"我的账户", "My account"},
	"account.password":      {"修改密码", "Change password"},
	"account.current":       {"当前密码", "Current password"},
	"account.new":           {"新密码", "New password"},
	"account.confirm":       {"确认新密码", "New password again"},
	"account.change":        {"修改密码", "Change password"},
	"account.changed":       {"密码已修改，其他设备上的登录已退出", "Password changed; other sessions were logged out"},
	"account.wrong_current": {"当前密码不正确", "The current password is wrong"},
	"account.mismatch":      {"两次输入的新密码不一致", "The new passwords differ"},
	"account.config_user":   {"此用户来自配置文件，只能使用配置的令牌", "This user comes from the configuration file and uses its configured token"},

	"token.title":          {"API 令牌", "API tokens"},
	"token.explain":        {"脚本和其他系统用令牌调用接口：请求头 Authorization: Bearer <令牌>", "Scripts call the API with a token: Authorization: Bearer <token>"},
	"token.name":           {"令牌名称", "Token name"},
	"token.name_hint":      {"例如：日报脚本", "e.g. daily report script"},
	"token.name_long":      {"令牌名称不能超过 100 个字", "A token name has at most 100 characters"},
	"token.created_at":     {"创建时间", "Created"},
	"token.last_used":      {"最近使用", "Last used"},
	"token.create":         {"新建令牌", "Create token"},
	"token.created":        {"令牌已创建", "Token created"},
	"token.new":            {"新令牌", "New token"},
	"token.once":           {"请立即复制保存，此令牌只显示这一次", "Copy it now: it is shown only this once"},
	"token.none":           {"尚无令牌", "No tokens yet"},
	"token.revoke":         {"吊销", "Revoke"},
	"token.revoke_confirm": {"确定吊销此令牌？使用它的脚本将无法访问", "Revoke this token? Scripts using it stop working"},
	"token.revoked":        {"令牌已吊销", "Token revoked"},

	"users.title":           {"用户管理", "Users"},
	"users.add":             {"新建用户", "New user"},
	"users.list":            {"全部用户", "All users"},
	"users.login":           {"用户名", "Login"},
	"users.name":            {"姓名或岗位", "Name"},
	"users.role":            {"角色", "Role"},
	"users.department":      {"所属部门", "Department"},
	"users.department_hint": {"仅承办单位用户需选择部门。", "Only department users have a department."},
	"users.password":        {"初始密码", "Initial password"},
	"users.create":          {"创建用户", "Create user"},
	"users.created":         {"用户 %s 已创建", "User %s created"},
	"users.status":          {"状态", "Status"},
	"users.is_active":       {"正常", "Active"},
	"users.is_disabled":     {"已停用", "Disabled"},
	"users.last_login":      {"最近登录", "Last login"},
	"users.actions":         {"操作", "Actions"},
	"users.disable":         {"停用", "Disable"},
	"users.enable":          {"启用", "Enable"},
	"users.disabled":        {"用户 %s 已停用", "User %s disabled"},
	"users.enabled":         {"用户 %s 已启用", "User %s enabled"},
	"users.not_self":        {"不能停用自己的账户", "You cannot disable your own account"},
	"users.new_password":    {"新密码", "New password"},
	"users.reset":           {"重置密码", "Reset password"},
	"users.password_set":    {"用户 %s 的密码已重置", "Password of %s reset"},

	"audit.title":                  {"审计日志", "Audit log"},
	"audit.at":                     {"时间", "Time"},
	"audit.actor":                  {"操作人", "By"},
	"audit.action":                 {"事件", "Event"},
	"audit.target":                 {"对象", "Target"},
	"audit.detail":                 {"说明", "Detail"},
	"audit.address":                {"来源地址", "Address"},
	"audit.reason.wrong_password":  {"密码错误", "wrong password"},
	"audit.reason.unknown":         {"用户名不存在", "unknown login"},
	"audit.reason.disabled":        {"账户已停用", "account disabled"},
	"audit.reason.locked":          {"已锁定（%s）", "locked (%s)"},
	"audit.reason.lock":            {"连续 %d 次登录失败，锁定 %d 分钟", "%d failed logins: locked for %d minutes"},
	"audit.lock_login":             {"用户 %s", "login %s"},
	"audit.lock_addr":              {"地址 %s", "address %s"},
	"audit.action.login":           {"登录", "Login"},
	"audit.action.login_failed":    {"登录失败", "Failed login"},
	"audit.action.locked":          {"登录锁定", "Login locked"},
	"audit.action.logout":          {"退出", "Logout"},
	"audit.action.denied":          {"越权访问", "Permission denied"},
	"audit.action.password_change": {"修改密码", "Password changed"},
	"audit.action.password_reset":  {"重置密码", "Password reset"},
	"audit.action.user_add":        {"新建用户", "User added"},
	"audit.action.user_disable":    {"停用用户", "User disabled"},
	"audit.action.user_enable":     {"启用用户", "User enabled"},
	"audit.action.token_create":    {"新建令牌", "Token created"},
	"audit.action.token_revoke":    {"吊销令牌", "Token revoked"},
	"audit.action.csrf_rejected":   {"表单校验失败", "Form token rejected"},

	"error.title":          {"出错了", "Something went wrong"},
	"error.role_forbidden": {"您的角色无权访问此页面", "Your role may not open this page"},
	"error.csrf":           {"表单已过期或来源不明，请刷新页面后重试", "The form expired or did not come from this site; reload and try again"},
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
