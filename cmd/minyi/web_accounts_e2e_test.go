package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"minyi"
	"minyi/api/core"
	"minyi/demosite"
)

// loginAt fills the login form, coming back to next, and returns the text
// of the page it lands on (the login page again when it failed).
func (b *browser) loginAt(name, password, next string) string {
	b.t.Helper()
	b.visit("/login?next=" + next)
	b.run(
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name=login]`), name),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name=password]`), password),
	)
	value(b, chromedp.Evaluate[bool](`document.body.dataset.old = "1"; true`))
	b.run(
		chromedp.Click(chromedp.CSS(`#login-form button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`body[data-old]`)),
		chromedp.WaitReady(chromedp.CSS(`main`)),
	)
	b.shot("login-" + name)
	return b.text("main")
}

// submit clicks a form's button and waits for the page it leads to.
func (b *browser) submit(button, name string) {
	b.t.Helper()
	// The old page is marked, so the wait is for the page the post returns.
	value(b, chromedp.Evaluate[bool](`document.body.dataset.old = "1"; true`))
	b.run(chromedp.Click(chromedp.CSS(button)),
		chromedp.WaitNotPresent(chromedp.CSS(`body[data-old]`)), chromedp.WaitReady(chromedp.CSS(`main`)))
	b.shot(name)
}

func TestWebAccountsE2E(t *testing.T) {
	ta := startTestApp(t, demosite.Options{Seed: 1, Threads: 1, Letters: 1})
	ctx := context.Background()
	admin, err := core.NewUser("admin", "系统管理员", minyi.RoleAdmin, "", "admin-pass1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ta.store.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, ta.apiURL)
	b.login("admin", "admin-pass1")
	b.visit("/admin/users")
	b.run(
		chromedp.SendKeys(chromedp.CSS(`#u-login`), "zhangsan"),
		chromedp.SendKeys(chromedp.CSS(`#u-name`), "张三 舆情科"),
		chromedp.SetValue(chromedp.CSS(`#u-role`), "analyst"),
		chromedp.SendKeys(chromedp.CSS(`#u-password`), "zhang1234"),
	)
	b.submit(`#user-form button[type=submit]`, "user-created")
	if got := b.text(`#users`); !strings.Contains(got, "zhangsan") || !strings.Contains(got, "张三 舆情科") {
		t.Fatalf("the new user is not listed: %q", got)
	}

	// The admin makes an API token on the account page; it works as a bearer token.
	b.visit("/account")
	b.run(chromedp.SendKeys(chromedp.CSS(`#token-name`), "日报脚本"))
	b.submit(`#token-form button[type=submit]`, "token-created")
	token := strings.TrimSpace(b.text(`#new-token`))
	var st struct {
		Indexed uint64 `json:"indexed"`
	}
	if code := ta.do(t, http.MethodGet, "/api/status", token, nil, &st); code != http.StatusOK {
		t.Fatalf("GET /api/status with the token from the account page: %d", code)
	}
	if code := ta.do(t, http.MethodGet, "/api/status", "", nil, &st); code != http.StatusUnauthorized {
		t.Fatalf("GET /api/status without a token: %d, want 401", code)
	}

	// The new user logs in in their own browser.
	u := newBrowser(t, ta.apiURL)
	if got := u.loginAt("zhangsan", "zhang1234", "/account"); !strings.Contains(got, "我的账户") {
		t.Fatalf("the new user did not get in: %q", got)
	}

	// The admin disables them: their session ends and they cannot log in again.
	b.visit("/admin/users")
	b.submit(`tr[data-login=zhangsan] form[action$="/disable"] button`, "user-disabled")
	if got := b.text(`tr[data-login=zhangsan]`); !strings.Contains(got, "已停用") {
		t.Fatalf("row after disabling: %q", got)
	}
	u.visit("/account")
	if got := u.text("main"); !strings.Contains(got, "登录") {
		t.Fatalf("a disabled user's session still opens pages: %q", got)
	}
	if got := u.loginAt("zhangsan", "zhang1234", "/account"); !strings.Contains(got, "已停用") {
		t.Fatalf("a disabled user logged in: %q", got)
	}

	// A form posted without its CSRF token is refused: the user form, sent
	// as the browser would send it, minus the token.
	b.visit("/admin/users")
	status := value(b, chromedp.Evaluate[float64](`(async () => {
		const f = document.querySelector('#user-form');
		const d = new FormData(f);
		d.delete('csrf'); d.set('login', 'lisi'); d.set('password', 'lisi12345');
		const r = await fetch(f.action, {method: 'POST', body: new URLSearchParams(d), headers: {Accept: 'text/html'}});
		const page = await r.text();
		document.open(); document.write(page); document.close();
		return r.status;
	})()`, chromedp.EvalAwaitPromise))
	b.shot("no-csrf")
	if status != 403 {
		t.Fatalf("a form without its CSRF token: status %v, want 403", status)
	}
	if _, err := ta.store.User(ctx, "lisi"); minyi.ErrorCode(err) != minyi.ENOTFOUND {
		t.Fatalf("the user was created without a CSRF token: %v", err)
	}

	// Wrong passwords lock the account: then even the right one is refused.
	w := newBrowser(t, ta.apiURL)
	locked := false
	for i := 0; i < 10 && !locked; i++ {
		got := w.loginAt("admin", "wrong-pass1", "/account")
		locked = strings.Contains(got, "锁定")
		if !locked && !strings.Contains(got, "用户名或密码错误") {
			t.Fatalf("attempt %d: %q", i+1, got)
		}
	}
	if !locked {
		t.Fatal("10 wrong passwords did not lock the login")
	}
	if got := w.loginAt("admin", "admin-pass1", "/account"); !strings.Contains(got, "锁定") {
		t.Fatalf("the right password got through a lock: %q", got)
	}
	entries, err := ta.store.Audit(ctx, 200)
	if err != nil {
		t.Fatal(err)
	}
	var sawLock bool
	for _, e := range entries {
		sawLock = sawLock || e.Action == minyi.AuditLocked
	}
	if !sawLock {
		t.Error("the lock is not in the audit log")
	}
	// The admin, still logged in, sees it on the audit page.
	b.visit("/admin/audit")
	if got := b.text("#audit"); !strings.Contains(got, "登录锁定") {
		t.Errorf("audit page does not show the lock: %q", got)
	}
	// Every user can read the API contract as a page.
	b.visit("/docs/api")
	if got := b.text("main"); !strings.Contains(got, "/api/messages") || !strings.Contains(got, "Retry-After") {
		t.Errorf("the API page does not describe POST /api/messages with its 503: %.300q", got)
	}
}
