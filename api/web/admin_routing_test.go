package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi"
	"minyi/api/core"
	"minyi/routing"
)

func (as *adminServer) postForm(path string, form url.Values) (int, string) {
	as.T.Helper()
	rec := as.Do(http.MethodPost, path, adminToken, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	return rec.Code, rec.Body.String()
}

func (as *adminServer) routingVersion() int {
	as.T.Helper()
	set, err := as.Store.(minyi.SettingsStore).Setting(context.Background(), core.RoutingSetting)
	if minyi.ErrorCode(err) == minyi.ENOTFOUND {
		return 0
	}
	if err != nil {
		as.T.Fatal(err)
	}
	return set.Version
}

// TestAdminRoutingEdit: a rule saved on the page is stored as a new version
// by its admin and routes at once; a bad edit and a stale base save nothing
// and say why in Chinese; a department still in use is not removed.
func TestAdminRoutingEdit(t *testing.T) {
	as := newAdminServer(t)
	tester := "/admin/rules?title=" + url.QueryEscape("共享单车堆积") + "&body=" + url.QueryEscape("小区门口共享单车堆满了人行通道")
	if p := as.page(tester); !strings.Contains(p, `<span class="badge reminder">兜底</span>`) || !strings.Contains(p, "尚无修改记录") {
		t.Fatalf("before the edit the tester should fall back and there is no history:\n%s", p)
	}

	rule := url.Values{"base": {"0"}, "name": {"bikes"}, "priority": {"95"}, "department": {"urban"},
		"keywords": {"共享单车，单车乱停"}, "types": {"投诉", "求助"}}
	code, body := as.postForm("/admin/rules", rule)
	if code != http.StatusOK || !strings.Contains(body, "规则“bikes”已保存") {
		t.Fatalf("save rule: %d\n%s", code, body)
	}
	if v := as.routingVersion(); v != 1 {
		t.Fatalf("version after the first save = %d, want 1", v)
	}
	p := as.page(tester)
	if !strings.Contains(p, "<code>bikes</code>") || !strings.Contains(p, `关键词 &#34;共享单车&#34;`) {
		t.Fatalf("the tester does not route by the new rule:\n%s", p)
	}
	hist := p[strings.Index(p, `id="history"`):]
	if !strings.Contains(hist, "<td>admin</td>") || !strings.Contains(hist, `<td class="num">1</td>`) {
		t.Fatalf("history does not list version 1 by admin:\n%s", hist)
	}
	if !strings.Contains(p, `name="base" value="1"`) {
		t.Fatal("the forms do not carry base version 1")
	}
	// The edit form shows the stored rule.
	if p := as.page("/admin/rules?edit=bikes"); !strings.Contains(p, `value="共享单车, 单车乱停"`) || !strings.Contains(p, `name="orig" value="bikes"`) {
		t.Fatalf("edit form:\n%s", p)
	}

	// Validation: no condition; an unknown type that routing.New refuses.
	bad := url.Values{"base": {"1"}, "name": {"empty"}, "department": {"urban"}}
	if code, body := as.postForm("/admin/rules", bad); code != http.StatusBadRequest || !strings.Contains(body, "规则至少要设一个条件") {
		t.Fatalf("rule without condition: %d\n%s", code, body)
	}
	bad = url.Values{"base": {"1"}, "name": {"odd"}, "department": {"urban"}, "types": {"闲聊"}}
	if code, body := as.postForm("/admin/rules", bad); code != http.StatusBadRequest || !strings.Contains(body, "设置无效，未保存") || !strings.Contains(body, `value="odd"`) {
		t.Fatalf("rule with an unknown type: %d\n%s", code, body)
	}
	if v := as.routingVersion(); v != 1 {
		t.Fatalf("a refused edit saved version %d", v)
	}

	// Conflict: a second admin still on version 0.
	stale := url.Values{"base": {"0"}, "name": {"stale"}, "department": {"urban"}, "keywords": {"井盖"}}
	if code, body := as.postForm("/admin/rules", stale); code != http.StatusConflict || !strings.Contains(body, "保存冲突") {
		t.Fatalf("stale save: %d\n%s", code, body)
	}
	if v := as.routingVersion(); v != 1 {
		t.Fatalf("a conflicting edit saved version %d", v)
	}

	// Departments: add one, take bikes to it, refuse to remove a used one.
	dept := url.Values{"base": {"1"}, "id": {"bikes-office"}, "name": {"市共享单车管理办公室"}, "parent": {"urban"}, "regions": {""}, "email": {"bikes@example.gov.cn"}}
	if code, body := as.postForm("/admin/departments", dept); code != http.StatusOK || !strings.Contains(body, "部门“市共享单车管理办公室”已保存") || !strings.Contains(body, "<code>bikes-office</code>") {
		t.Fatalf("add department: %d\n%s", code, body)
	}
	rule.Set("base", "2")
	rule.Set("orig", "bikes")
	rule.Set("department", "bikes-office")
	if code, body := as.postForm("/admin/rules", rule); code != http.StatusOK {
		t.Fatalf("edit rule: %d\n%s", code, body)
	}
	if p := as.page(tester); !strings.Contains(p, "<strong>市共享单车管理办公室</strong>") {
		t.Fatalf("the edited rule does not route to the new department:\n%s", p)
	}
	if code, body := as.postForm("/admin/departments/remove", url.Values{"base": {"3"}, "id": {"bikes-office"}}); code != http.StatusBadRequest || !strings.Contains(body, "仍被使用") || !strings.Contains(body, "bikes") {
		t.Fatalf("remove a used department: %d\n%s", code, body)
	}
	if code, body := as.postForm("/admin/departments/remove", url.Values{"base": {"3"}, "id": {routing.DemoMailbox}}); code != http.StatusBadRequest || !strings.Contains(body, "兜底") {
		t.Fatalf("removed the fallback department:\n%s", body)
	}
	// The stored JSON keeps the notification addresses minyi.Department's JSON omits.
	set, err := as.Store.(minyi.SettingsStore).Setting(context.Background(), core.RoutingSetting)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := core.DecodeRouting(set.Value)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := routing.New(cfg); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range cfg.Departments {
		found = found || d.ID == "bikes-office" && len(d.Email) == 1
	}
	if !found || set.Version != 3 || set.Author != "admin" {
		t.Fatalf("stored version %d by %q, bikes-office with email %v", set.Version, set.Author, found)
	}
	// Every save is an admin change in the audit log, with its version.
	entries, err := as.Store.Audit(context.Background(), 50)
	if err != nil || !hasAuditDetail(entries, minyi.AuditRouting, core.RoutingSetting, "v3") {
		t.Fatalf("no audit entry for routing version 3 (%v): %+v", err, entries)
	}
	// Remove the rule, then the department goes too; fallback can be set.
	if code, body := as.postForm("/admin/rules/remove", url.Values{"base": {"3"}, "name": {"bikes"}}); code != http.StatusOK || !strings.Contains(body, "规则“bikes”已删除") {
		t.Fatalf("remove rule: %d\n%s", code, body)
	}
	if code, body := as.postForm("/admin/departments/remove", url.Values{"base": {"4"}, "id": {"bikes-office"}}); code != http.StatusOK {
		t.Fatalf("remove department: %d\n%s", code, body)
	}
	if code, body := as.postForm("/admin/rules/fallback", url.Values{"base": {"5"}, "fallback": {"urban"}}); code != http.StatusOK || !strings.Contains(body, "兜底部门已保存") {
		t.Fatalf("set fallback: %d\n%s", code, body)
	}
	if p := as.page("/admin/rules?title=" + url.QueryEscape("你好")); !strings.Contains(p, `id="fallback-name">市城管局<`) || !strings.Contains(p, "<strong>市城管局</strong>") {
		t.Fatalf("fallback not in force:\n%s", p)
	}
}

// TestAdminRoutingGenerated: rules generated for alert subscriptions are
// listed on top and routed by, but never stored nor edited, and their
// department cannot be removed.
func TestAdminRoutingGenerated(t *testing.T) {
	as := newAdminServer(t)
	gen := minyi.RoutingRule{Name: "alert-noise", Department: "ecology", Sources: []string{"alerts"}, Keywords: []string{"[订阅 noise]"}}
	as.admin.Generated = []minyi.RoutingRule{gen}
	p := as.page("/admin/rules")
	if !strings.Contains(p, "<code>alert-noise</code>") || !strings.Contains(p, "预警订阅自动生成") || strings.Contains(p, "edit=alert-noise") {
		t.Fatalf("generated rule listing:\n%s", p)
	}
	if got := core.WithGenerated(routing.DemoConfig(), as.admin.Generated); got.Rules[len(got.Rules)-1].Priority != 101 {
		t.Fatalf("generated rule priority %d, want above every rule (101)", got.Rules[len(got.Rules)-1].Priority)
	}
	if code, body := as.postForm("/admin/rules", url.Values{"base": {"0"}, "name": {"alert-noise"}, "department": {"urban"}, "keywords": {"x"}}); code != http.StatusBadRequest || !strings.Contains(body, "已有名为") {
		t.Fatalf("a rule named like a generated one: %d\n%s", code, body)
	}
	// Move the only configured ecology rules away is not needed: the
	// generated rule alone keeps ecology in use.
	if code, body := as.postForm("/admin/departments/remove", url.Values{"base": {"0"}, "id": {"ecology"}}); code != http.StatusBadRequest || !strings.Contains(body, "alert-noise") {
		t.Fatalf("remove a department an alert rule uses: %d\n%s", code, body)
	}
	if code, body := as.postForm("/admin/rules/fallback", url.Values{"base": {"0"}, "fallback": {"urban"}}); code != http.StatusOK {
		t.Fatalf("set fallback: %d\n%s", code, body)
	}
	set, err := as.Store.(minyi.SettingsStore).Setting(context.Background(), core.RoutingSetting)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(set.Value), "alert-noise") {
		t.Fatalf("the generated rule was stored: %s", set.Value)
	}
	r, ok := as.admin.Router.Route(routing.Input{Title: "[订阅 noise] 噪音激增", Source: "alerts", Kind: minyi.KindMessage})
	if !ok || r.Rule != "alert-noise" {
		t.Fatalf("after a save the router lost the generated rule: %+v", r)
	}
}
