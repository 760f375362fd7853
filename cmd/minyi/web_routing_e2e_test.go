package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minyi"
	"minyi/api/core"
	"minyi/demosite"
	"minyi/routing"
)

// TestWebAdminRouting: the config's routing is the seed (version 1 by
// "config", without the generated alert rules); an admin adds a department
// and a rule in the browser, the rule tester routes a pasted message by the
// new rule at once, without a restart, and the history lists the admin's
// versions.
func TestWebAdminRouting(t *testing.T) {
	ta := startTestApp(t, demosite.Options{Seed: 1, Threads: 1, Letters: 1})
	ctx := context.Background()
	st := ta.store.(minyi.SettingsStore)
	seed, err := st.Setting(ctx, core.RoutingSetting)
	if err != nil {
		t.Fatal(err)
	}
	if seed.Version != 1 || seed.Author != "config" {
		t.Fatalf("seed is version %d by %q, want 1 by config", seed.Version, seed.Author)
	}
	if strings.Contains(string(seed.Value), `"alert-`) {
		t.Errorf("the seed stores the generated alert rules: %s", seed.Value)
	}
	if len(ta.cfg.alertRules) == 0 {
		t.Fatal("the test config generates no alert rule; the check above proves nothing")
	}

	b := newBrowser(t, ta.apiURL)
	ta.demoLogin(b, "admin")

	// A new department.
	b.visit("/admin/departments")
	b.run(
		chromedp.SendKeys(chromedp.CSS("#d-id"), "bikes"),
		chromedp.SendKeys(chromedp.CSS("#d-name"), "市共享单车管理办公室"),
		chromedp.SetValue(chromedp.CSS("#d-parent"), "urban"),
		chromedp.Click(chromedp.CSS("#dept-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	b.shot("department-added")
	if got := b.text(".flash"); !strings.Contains(got, "已保存") {
		t.Errorf("department flash %q", got)
	}

	// A rule to it, then the tester.
	b.visit("/admin/rules")
	b.run(
		chromedp.SendKeys(chromedp.CSS("#r-name"), "shared-bikes"),
		chromedp.SendKeys(chromedp.CSS("#r-priority"), "95"),
		chromedp.SetValue(chromedp.CSS("#r-department"), "bikes"),
		chromedp.SendKeys(chromedp.CSS("#r-keywords"), "共享单车，单车乱停"),
		chromedp.Click(chromedp.CSS("#rule-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	b.shot("rule-added")
	if got := b.text(".flash"); !strings.Contains(got, "shared-bikes") {
		t.Errorf("rule flash %q", got)
	}
	b.run(
		chromedp.SendKeys(chromedp.CSS("#t-title"), "小区门口共享单车堆积"),
		chromedp.SendKeys(chromedp.CSS("#t-body"), "幸福小区门口的共享单车堵住了人行道，请尽快清理"),
		chromedp.Click(chromedp.CSS("#rule-tester button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#rule-result")),
	)
	b.shot("rule-tester-new-rule")
	if got := b.text("#rule-result"); !strings.Contains(got, "市共享单车管理办公室") || !strings.Contains(got, "shared-bikes") {
		t.Errorf("rule tester says %q, want 市共享单车管理办公室 by rule shared-bikes", got)
	}
	// The activities' router is the same one: it routes by the rule too.
	if r, ok := ta.router.Route(routing.Input{Title: "共享单车乱停", Kind: minyi.KindMessage}); !ok || r.Rule != "shared-bikes" {
		t.Errorf("the app's router routes %+v, want rule shared-bikes", r)
	}

	hist := b.text("#history")
	for _, want := range []string{"3", "2", "admin", "配置文件（初始）"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history %q lacks %q", hist, want)
		}
	}
	if i, j := strings.Index(hist, "3"), strings.Index(hist, "配置文件"); i < 0 || j < 0 || i > j {
		t.Errorf("history %q is not newest first", hist)
	}
	if cur, err := st.Setting(ctx, core.RoutingSetting); err != nil || cur.Version != 3 || cur.Author != "admin" {
		t.Errorf("setting in force: %+v %v, want version 3 by admin", cur, err)
	}
}
