package web

import (
	"context"
	"crypto/tls"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/core"
	"minyi/api/labels"
	"minyi/search/bleve"
	"minyi/store/sqlite"
)

// accountEnv is a server with accounts in a real SQLite store and a clock
// the test moves.
type accountEnv struct {
	T       *testing.T
	Store   minyi.Store
	Handler http.Handler
	Server  *core.Server
	mu      sync.Mutex
	now     time.Time
}

func newAccountEnv(t *testing.T, demo bool) *accountEnv {
	t.Helper()
	old := core.ThrottleDelay
	core.ThrottleDelay = 0
	t.Cleanup(func() { core.ThrottleDelay = old })
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	index, err := bleve.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { index.Close() })
	e := &accountEnv{T: t, Store: store, now: apitest.Now}
	srv := &core.Server{Store: store, Index: index, Demo: demo,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:         e.clock,
		Departments: []minyi.Department{{ID: "housing", Name: "市住建局"}},
	}
	e.Handler, e.Server = apitest.ContractHandler(t, srv.Handler()), srv
	for _, u := range []struct {
		login string
		role  minyi.Role
		dept  string
	}{{"admin", core.RoleAdmin, ""}, {"analyst", core.RoleAnalyst, ""}, {"housing", core.RoleDepartment, "housing"}} {
		nu, err := core.NewUser(u.login, "", u.role, u.dept, "secret-123", srv.Departments)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.CreateUser(context.Background(), nu); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *accountEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *accountEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// session is a browser: its cookie and the page's CSRF token.
type session struct {
	cookie *http.Cookie
	csrf   string
}

func (e *accountEnv) request(method, path string, s *session, form url.Values, header map[string]string) *httptest.ResponseRecorder {
	e.T.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	if s != nil && s.cookie != nil {
		req.AddCookie(s.cookie)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// loginForm loads the login page as a browser does: its form's token and
// the cookie that goes with it.
func (e *accountEnv) loginForm() (token string, cookie *http.Cookie) {
	e.T.Helper()
	page := e.request("GET", "/login", nil, nil, nil)
	m := csrfField.FindStringSubmatch(page.Body.String())
	for _, c := range page.Result().Cookies() {
		if c.Name == core.LoginCSRFCookie {
			cookie = c
		}
	}
	if m == nil || cookie == nil {
		e.T.Fatalf("the login page has no form token (%d)", page.Code)
	}
	return m[1], cookie
}

// postLogin submits the login form loaded just before.
func (e *accountEnv) postLogin(form url.Values) *httptest.ResponseRecorder {
	e.T.Helper()
	token, cookie := e.loginForm()
	form.Set("csrf", token)
	return e.request("POST", "/login", &session{cookie: cookie}, form, nil)
}

func (e *accountEnv) login(name, pw string) (*session, *httptest.ResponseRecorder) {
	e.T.Helper()
	rec := e.postLogin(url.Values{"login": {name}, "password": {pw}})
	if rec.Code != http.StatusSeeOther {
		return nil, rec
	}
	s := &session{}
	for _, c := range rec.Result().Cookies() {
		if c.Name == core.SessionCookie {
			s.cookie = c
		}
	}
	page := e.request("GET", "/account", s, nil, nil)
	if m := csrfField.FindStringSubmatch(page.Body.String()); m != nil {
		s.csrf = m[1]
	}
	if s.cookie == nil || s.csrf == "" {
		e.T.Fatalf("login of %s: no cookie or no CSRF token on /account (%d)", name, page.Code)
	}
	return s, rec
}

func TestLoginSetsASafeCookie(t *testing.T) {
	e := newAccountEnv(t, false)
	s, rec := e.login("admin", "secret-123")
	if s == nil {
		t.Fatalf("login failed: %d %s", rec.Code, rec.Body)
	}
	if loc := rec.Header().Get("Location"); loc != homeFor(&minyi.User{Role: core.RoleAdmin}) {
		t.Errorf("login redirects to %q", loc)
	}
	c := s.cookie
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", c)
	}
	// Under TLS the cookie is Secure.
	token, cookie := e.loginForm()
	req := httptest.NewRequest("POST", "/login", strings.NewReader("login=admin&password=secret-123&csrf="+token))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	req.TLS = &tls.ConnectionState{}
	w := httptest.NewRecorder()
	e.Handler.ServeHTTP(w, req)
	if cs := w.Result().Cookies(); len(cs) == 0 || !cs[len(cs)-1].Secure {
		t.Errorf("cookie over TLS is not Secure: %+v", cs)
	}
	// The session reads the API; the page shows the user.
	if rec := e.request("GET", "/api/search?q=x", s, nil, nil); rec.Code != http.StatusOK {
		t.Errorf("GET /api/search with a session: %d %s", rec.Code, rec.Body)
	}
	// A next= pointing off the site is ignored, however it is spelled:
	// browsers drop a tab or newline after the slash and read "//host".
	for _, next := range []string{"//evil.example/", "/\tevil.example/x", "/\t/evil.example/x", "/\n/evil.example", "\\evil.example",
		"/\\evil.example", "https://evil.example/", " //evil.example"} {
		rec = e.postLogin(url.Values{"login": {"admin"}, "password": {"secret-123"}, "next": {next}})
		if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || strings.Contains(loc, "evil") || strings.ContainsAny(loc, "\t\n\\") {
			t.Errorf("login with next=%q redirected to %q (%d)", next, loc, rec.Code)
		}
	}
	// One inside the site is kept.
	if rec = e.postLogin(url.Values{"login": {"admin"}, "password": {"secret-123"}, "next": {"/stats?month=2026-10"}}); rec.Header().Get("Location") != "/stats?month=2026-10" {
		t.Errorf("next=/stats?month=2026-10 redirected to %q", rec.Header().Get("Location"))
	}
	// Logout ends the session.
	if rec := e.request("POST", "/logout", s, url.Values{"csrf": {s.csrf}}, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d %s", rec.Code, rec.Body)
	}
	if rec := e.request("GET", "/api/search", s, nil, nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("after logout: %d, want 401", rec.Code)
	}
	if rec := e.request("GET", "/account", s, nil, nil); rec.Code != http.StatusSeeOther ||
		!strings.HasPrefix(rec.Header().Get("Location"), "/login?next=") {
		t.Errorf("page after logout: %d %q, want a redirect to the login page", rec.Code, rec.Header().Get("Location"))
	}
}

func TestLoginPage(t *testing.T) {
	for _, demo := range []bool{false, true} {
		e := newAccountEnv(t, demo)
		rec := e.request("GET", "/login", nil, nil, nil)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, `id="login-form"`) || !strings.Contains(body, labels.T("login.submit")) {
			t.Fatalf("login page: %d %s", rec.Code, body)
		}
		if got := strings.Contains(body, "minyi-demo"); got != demo {
			t.Errorf("demo %v: page shows the demo password: %v", demo, got)
		}
	}
}

func TestUnauthenticatedReadsAre401(t *testing.T) {
	e := newAccountEnv(t, false)
	for _, path := range []string{"/api/search?q=x", "/api/posts/x", "/api/status", "/api/analytics/sentiment",
		"/api/analytics/topics", "/api/analytics/categories", "/api/cases", "/api/leaguetable"} {
		rec := e.request("GET", path, nil, nil, map[string]string{"Accept": "application/json"})
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("GET %s: %d, want 401", path, rec.Code)
		}
	}
	if rec := e.request("GET", "/healthz", nil, nil, nil); rec.Code != 200 {
		t.Errorf("/healthz: %d", rec.Code)
	}
}

func TestCSRF(t *testing.T) {
	e := newAccountEnv(t, false)
	s, _ := e.login("admin", "secret-123")
	form := url.Values{"login": {"newbie"}, "role": {"analyst"}, "password": {"abcd1234"}}
	for name, hdr := range map[string]map[string]string{"missing": nil, "wrong": {"X-CSRF-Token": "nope"}} {
		rec := e.request("POST", "/admin/users", s, form, hdr)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s CSRF token: %d, want 403", name, rec.Code)
		}
	}
	if _, err := e.Store.User(context.Background(), "newbie"); minyi.ErrorCode(err) != minyi.ENOTFOUND {
		t.Fatalf("user created without a CSRF token: %v", err)
	}
	// An API call from a page is protected too.
	rec := e.request("POST", "/api/messages", s, nil, map[string]string{"Content-Type": "application/json"})
	if rec.Code != http.StatusForbidden {
		t.Errorf("POST /api/messages with a cookie and no token: %d, want 403", rec.Code)
	}
	// The header works as well as the form field.
	if rec := e.request("POST", "/admin/users", s, form, map[string]string{"X-CSRF-Token": s.csrf}); rec.Code != http.StatusCreated {
		t.Fatalf("with the CSRF header: %d %s", rec.Code, rec.Body)
	}
	form.Set("login", "newbie2")
	form.Set("csrf", s.csrf)
	if rec := e.request("POST", "/admin/users", s, form, nil); rec.Code != http.StatusCreated {
		t.Fatalf("with the CSRF field: %d %s", rec.Code, rec.Body)
	}
	entries, _ := e.Store.Audit(context.Background(), 50)
	if !hasAudit(entries, minyi.AuditCSRFRejected, "") {
		t.Errorf("CSRF rejections not in the audit log: %+v", entries)
	}
}

func hasAudit(entries []minyi.AuditEntry, action, target string) bool {
	for _, e := range entries {
		if e.Action == action && (target == "" || e.Target == target) {
			return true
		}
	}
	return false
}

func hasAuditDetail(entries []minyi.AuditEntry, action, target, detail string) bool {
	return slices.ContainsFunc(entries, func(e minyi.AuditEntry) bool {
		return e.Action == action && e.Target == target && e.Detail == detail
	})
}

func TestAPITokenFromTheAccountPage(t *testing.T) {
	e := newAccountEnv(t, false)
	s, _ := e.login("analyst", "secret-123")
	rec := e.request("POST", "/account/tokens", s, url.Values{"csrf": {s.csrf}, "name": {"日报脚本"}}, nil)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create token: %d %s", rec.Code, rec.Body)
	}
	m := regexp.MustCompile(`<code id="new-token">([^<]+)</code>`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("the new token is not shown: %s", rec.Body)
	}
	token := m[1]
	bearer := map[string]string{"Authorization": "Bearer " + token, "Accept": "application/json"}
	if rec := e.request("GET", "/api/status", nil, nil, bearer); rec.Code != http.StatusOK {
		t.Fatalf("GET /api/status with the new token: %d %s", rec.Code, rec.Body)
	}
	// A bearer client needs no CSRF token; the analyst's role still applies.
	if rec := e.request("GET", "/api/cases/export", nil, nil, bearer); rec.Code != http.StatusForbidden {
		t.Errorf("analyst token exporting cases: %d, want 403", rec.Code)
	}
	toks, _ := e.Store.APITokens(context.Background(), "analyst")
	if len(toks) != 1 || toks[0].Name != "日报脚本" || toks[0].LastUsed.IsZero() || strings.Contains(toks[0].TokenHash, token) {
		t.Fatalf("stored tokens: %+v", toks)
	}
	// Shown once: the account page lists it without its value.
	page := e.request("GET", "/account", s, nil, nil).Body.String()
	if strings.Contains(page, token) || !strings.Contains(page, "日报脚本") {
		t.Errorf("account page shows the token again or not its name")
	}
	// Another user cannot revoke it; its owner can, and it stops working.
	other, _ := e.login("housing", "secret-123")
	if rec := e.request("POST", "/account/tokens/"+toks[0].ID+"/delete", other, url.Values{"csrf": {other.csrf}}, nil); rec.Code != http.StatusNotFound {
		t.Errorf("revoking another user's token: %d, want 404", rec.Code)
	}
	if rec := e.request("POST", "/account/tokens/"+toks[0].ID+"/delete", s, url.Values{"csrf": {s.csrf}}, nil); rec.Code != http.StatusOK {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	if rec := e.request("GET", "/api/status", nil, nil, bearer); rec.Code != http.StatusUnauthorized {
		t.Errorf("revoked token: %d, want 401", rec.Code)
	}
}

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	e := newAccountEnv(t, false)
	for i := 0; i < core.ThrottleLockAfter; i++ {
		if _, rec := e.login("housing", "wrong-pass1"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, rec.Code)
		}
	}
	// Locked: even the right password is refused, with a 429 page.
	_, rec := e.login("housing", "secret-123")
	if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "锁定") {
		t.Fatalf("after %d failures: %d %s, want 429 locked", core.ThrottleLockAfter, rec.Code, rec.Body)
	}
	entries, _ := e.Store.Audit(context.Background(), 100)
	if !hasAudit(entries, minyi.AuditLocked, lockName("login:housing")) || !hasAudit(entries, minyi.AuditLoginFailed, "housing") {
		t.Errorf("lock not in the audit log: %+v", entries)
	}
	// The address is locked too, so another name from it is refused ...
	if _, rec := e.login("analyst", "secret-123"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("same address, other name: %d, want 429", rec.Code)
	}
	// ... until the lock runs out.
	e.advance(core.ThrottleLockFor + time.Second)
	if s, rec := e.login("housing", "secret-123"); s == nil {
		t.Fatalf("after the lock: %d %s", rec.Code, rec.Body)
	}
}

func TestSessionExpiry(t *testing.T) {
	e := newAccountEnv(t, false)
	s, _ := e.login("analyst", "secret-123")
	for i := 0; i < 3; i++ { // activity keeps it alive past the idle limit
		e.advance(core.DefaultSessionIdle - time.Minute)
		if rec := e.request("GET", "/api/status", s, nil, nil); rec.Code != 200 {
			t.Fatalf("active session after %d steps: %d", i, rec.Code)
		}
	}
	e.advance(core.DefaultSessionIdle + time.Second)
	if rec := e.request("GET", "/api/status", s, nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("idle session: %d, want 401", rec.Code)
	}
	// The absolute limit ends even a busy session.
	s, _ = e.login("analyst", "secret-123")
	for elapsed := time.Duration(0); elapsed < core.DefaultSessionMax; elapsed += 20 * time.Minute {
		e.advance(20 * time.Minute)
		e.request("GET", "/api/status", s, nil, nil)
	}
	e.advance(time.Minute)
	if rec := e.request("GET", "/api/status", s, nil, nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("session older than %s: %d, want 401", core.DefaultSessionMax, rec.Code)
	}
}

func TestAdminManagesUsers(t *testing.T) {
	e := newAccountEnv(t, false)
	admin, _ := e.login("admin", "secret-123")
	post := func(path string, form url.Values) *httptest.ResponseRecorder {
		form.Set("csrf", admin.csrf)
		return e.request("POST", path, admin, form, nil)
	}
	// Mistakes come back on the page, in Chinese.
	rec := post("/admin/users", url.Values{"login": {"weak"}, "role": {"analyst"}, "password": {"short"}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), labels.T("password.rule")) {
		t.Errorf("weak password: %d", rec.Code)
	}
	rec = post("/admin/users", url.Values{"login": {"zj"}, "name": {"住建 办理员"}, "role": {"department"}, "department": {"housing"}, "password": {"abcd1234"}})
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), "住建 办理员") {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	if rec := post("/admin/users", url.Values{"login": {"zj"}, "role": {"analyst"}, "password": {"abcd1234"}}); rec.Code != http.StatusConflict {
		t.Errorf("duplicate login: %d, want 409", rec.Code)
	}
	zj, rec := e.login("zj", "abcd1234")
	if zj == nil {
		t.Fatalf("new user cannot log in: %d", rec.Code)
	}
	if rec := post("/admin/users/zj/disable", url.Values{}); rec.Code != http.StatusOK {
		t.Fatalf("disable: %d %s", rec.Code, rec.Body)
	}
	if rec := e.request("GET", "/account", zj, nil, nil); rec.Code != http.StatusSeeOther {
		t.Errorf("disabled user's session still works: %d", rec.Code)
	}
	if s, rec := e.login("zj", "abcd1234"); s != nil || !strings.Contains(rec.Body.String(), labels.T("login.disabled")) {
		t.Errorf("disabled user logged in: %d", rec.Code)
	}
	post("/admin/users/zj/enable", url.Values{})
	if rec := post("/admin/users/zj/password", url.Values{"password": {"newpass99"}}); rec.Code != http.StatusOK {
		t.Fatalf("reset: %d %s", rec.Code, rec.Body)
	}
	if s, _ := e.login("zj", "newpass99"); s == nil {
		t.Errorf("reset password does not work")
	}
	if rec := post("/admin/users/admin/disable", url.Values{}); rec.Code != http.StatusBadRequest {
		t.Errorf("admin disabling themself: %d, want 400", rec.Code)
	}
	// Another role is refused and the refusal is audited; the audit page shows it.
	analyst, _ := e.login("analyst", "secret-123")
	if rec := e.request("GET", "/admin/users", analyst, nil, nil); rec.Code != http.StatusForbidden {
		t.Errorf("analyst on /admin/users: %d, want 403", rec.Code)
	}
	page := e.request("GET", "/admin/audit", admin, nil, nil)
	for _, want := range []string{labels.T("audit.action.denied"), labels.T("audit.action.user_add"), labels.T("audit.action.user_disable"), "zj"} {
		if !strings.Contains(page.Body.String(), want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	// The log exports as CSV for an inspector; the export is itself on the record.
	if rec := e.request("GET", "/admin/audit.csv", analyst, nil, nil); rec.Code != http.StatusForbidden {
		t.Errorf("analyst exporting the audit log: %d, want 403", rec.Code)
	}
	csvRec := e.request("GET", "/admin/audit.csv", admin, nil, nil)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvRec.Body.String(), core.UTF8BOM))).ReadAll()
	if csvRec.Code != http.StatusOK || err != nil || len(rows) < 4 || rows[0][2] != labels.T("audit.action") {
		t.Fatalf("audit.csv: %d %v %q", csvRec.Code, err, rows)
	}
	found := false
	for _, r := range rows[1:] {
		found = found || r[2] == labels.T("audit.action.user_add") && r[3] == "zj" && r[1] == "admin"
	}
	if !found {
		t.Errorf("audit.csv lacks the user_add of zj by admin: %q", rows)
	}
	if entries, _ := e.Store.Audit(context.Background(), 5); !hasAudit(entries, minyi.AuditExport, "audit.csv") {
		t.Errorf("exporting the audit log is not audited")
	}
}

func TestChangeOwnPassword(t *testing.T) {
	e := newAccountEnv(t, false)
	s, _ := e.login("analyst", "secret-123")
	other, _ := e.login("analyst", "secret-123")
	change := func(cur, nw, confirm string) *httptest.ResponseRecorder {
		return e.request("POST", "/account", s, url.Values{"csrf": {s.csrf}, "current": {cur}, "new": {nw}, "confirm": {confirm}}, nil)
	}
	if rec := change("wrong", "abcd1234", "abcd1234"); rec.Code != http.StatusBadRequest {
		t.Errorf("wrong current password: %d", rec.Code)
	}
	if rec := change("secret-123", "abcdefgh", "abcdefgh"); rec.Code != http.StatusBadRequest ||
		!strings.Contains(rec.Body.String(), labels.T("password.rule")) {
		t.Errorf("password without digits: %d", rec.Code)
	}
	if rec := change("secret-123", "abcd1234", "abcd1235"); rec.Code != http.StatusBadRequest {
		t.Errorf("mismatched confirmation: %d", rec.Code)
	}
	rec := change("secret-123", "abcd1234", "abcd1234")
	if rec.Code != http.StatusOK {
		t.Fatalf("change: %d %s", rec.Code, rec.Body)
	}
	if rec := e.request("GET", "/api/status", other, nil, nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("other session survived the password change: %d", rec.Code)
	}
	if s, _ := e.login("analyst", "abcd1234"); s == nil {
		t.Errorf("new password does not work")
	}
}

func TestPasswordRule(t *testing.T) {
	for pw, ok := range map[string]bool{"abcd1234": true, "密码密码密码12": true, "abc123": false, "abcdefghij": false, "12345678": false, "": false} {
		if err := core.ValidatePassword(pw); (err == nil) != ok {
			t.Errorf("ValidatePassword(%q) = %v, want ok %v", pw, err, ok)
		}
	}
}

// Guesses sent at once are counted one by one before any password is
// checked: of twenty, no more than the lock allows are checked, and with
// the right password among them at most that many were tried.
func TestConcurrentGuessesAreCountedBeforeTheyAreChecked(t *testing.T) {
	for _, withRight := range []bool{false, true} {
		e := newAccountEnv(t, false)
		codes := make([]int, 20)
		var wg sync.WaitGroup
		for i := range codes {
			pw := "wrong-pass1"
			if withRight && i == len(codes)-1 {
				pw = "secret-123"
			}
			wg.Go(func() {
				_, rec := e.login("housing", pw)
				codes[i] = rec.Code
			})
		}
		wg.Wait()
		checked, locked := 0, 0
		for _, c := range codes {
			switch c {
			case http.StatusUnauthorized, http.StatusSeeOther:
				checked++
			case http.StatusTooManyRequests:
				locked++
			default:
				t.Fatalf("status %d in %v", c, codes)
			}
		}
		if checked > core.ThrottleLockAfter || locked < len(codes)-core.ThrottleLockAfter {
			t.Errorf("right password among them %v: %d passwords checked, %d refused as locked (%v); want at most %d checked",
				withRight, checked, locked, codes, core.ThrottleLockAfter)
		}
	}
}

// A valid login from an address does not wipe what the address tried on
// other names: made-up names from one address lock it however many valid
// logins are interleaved.
func TestAddressLockSurvivesValidLogins(t *testing.T) {
	e := newAccountEnv(t, false)
	lockedAt := 0
	for i := 1; i <= 27 && lockedAt == 0; i++ {
		if _, rec := e.login(fmt.Sprintf("made-up-%d", i), "guess"); rec.Code == http.StatusTooManyRequests {
			lockedAt = i
		}
		if i%3 == 0 {
			if _, rec := e.login("analyst", "secret-123"); rec.Code != http.StatusSeeOther && rec.Code != http.StatusTooManyRequests {
				t.Fatalf("valid login: %d", rec.Code)
			}
		}
	}
	if lockedAt == 0 || lockedAt > core.ThrottleLockAfter+1 {
		t.Fatalf("the address was locked at attempt %d of 27 made-up names, want by %d", lockedAt, core.ThrottleLockAfter+1)
	}
}

// The login form carries a token tied to a cookie of the browser that
// loaded it, so another site cannot log a visitor into its own account.
func TestLoginCSRF(t *testing.T) {
	e := newAccountEnv(t, false)
	form := url.Values{"login": {"admin"}, "password": {"secret-123"}}
	if rec := e.request("POST", "/login", nil, form, nil); rec.Code != http.StatusForbidden || len(rec.Result().Cookies()) > 0 &&
		slices.ContainsFunc(rec.Result().Cookies(), func(c *http.Cookie) bool { return c.Name == core.SessionCookie && c.Value != "" }) {
		t.Errorf("login without the form's token: %d, cookies %v; want 403 and no session", rec.Code, rec.Result().Cookies())
	}
	token, _ := e.loginForm()
	_, otherCookie := e.loginForm() // another browser's cookie
	form.Set("csrf", token)
	if rec := e.request("POST", "/login", &session{cookie: otherCookie}, form, nil); rec.Code != http.StatusForbidden {
		t.Errorf("login with a token of another browser: %d, want 403", rec.Code)
	}
	if s, rec := e.login("admin", "secret-123"); s == nil {
		t.Errorf("login through the form: %d", rec.Code)
	}
}

// Behind a TLS-terminating proxy the session cookie is Secure when the
// proxy is trusted, and a header from anyone else changes nothing.
func TestSecureCookieBehindTrustedProxy(t *testing.T) {
	e := newAccountEnv(t, false)
	e.Server.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	e.Handler = e.Server.Handler()
	for _, tt := range []struct {
		peer   string
		secure bool
	}{{"10.1.2.3:5555", true}, {"192.0.2.7:5555", false}} {
		token, cookie := e.loginForm()
		req := httptest.NewRequest("POST", "/login", strings.NewReader("login=admin&password=secret-123&csrf="+token))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-Proto", "https")
		req.RemoteAddr = tt.peer
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, req)
		var got *http.Cookie
		for _, c := range rec.Result().Cookies() {
			if c.Name == core.SessionCookie {
				got = c
			}
		}
		if got == nil || got.Secure != tt.secure {
			t.Errorf("login via %s with X-Forwarded-Proto https: cookie %+v, want Secure=%v", tt.peer, got, tt.secure)
		}
	}
}
