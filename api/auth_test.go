package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/api"
)

// Every case, statistics and export endpoint, with a body that would pass validation.
var protectedEndpoints = []struct{ method, path, body string }{
	{"GET", "/api/cases", ""},
	{"GET", "/api/cases/case-w1", ""},
	{"GET", "/api/cases/export?format=csv", ""},
	{"POST", "/api/cases/case-w1/reply", `{"text":"已处理"}`},
	{"POST", "/api/cases/case-w1/return", `{"reason":"非本单位职责"}`},
	{"POST", "/api/cases/case-w1/extension", `{"reason":"需现场勘查","days":5}`},
	{"POST", "/api/cases/case-w1/extension/decision", `{"approve":true}`},
	{"POST", "/api/cases/case-w1/rating", `{"rating":"satisfied"}`},
	{"POST", "/api/cases/case-w1/reassign", `{"department":"housing","reason":"属住建局"}`},
	{"GET", "/api/departments/stats", ""},
	{"GET", "/api/departments/stats/export", ""},
	{"GET", "/api/departments/escalations", ""},
	{"GET", "/api/leaguetable?month=2026-10", ""},
}

func TestCaseEndpointsRequireAToken(t *testing.T) {
	e := newCaseEnv(t)
	e.seedBasic()
	for _, ep := range protectedEndpoints {
		for _, header := range []string{"", "Bearer ", "Bearer wrong-token-0123456789", "Basic " + tokAdmin, tokAdmin,
			"Bearer " + tokAdmin[:len(tokAdmin)-1], "Bearer " + tokAdmin + "x"} {
			req := httptest.NewRequest(ep.method, ep.path, strings.NewReader(ep.body))
			if header != "" {
				req.Header.Set("Authorization", header)
			}
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), `"unauthorized"`) {
				t.Errorf("%s %s with Authorization %q: %d %s, want 401 unauthorized", ep.method, ep.path, header, rec.Code, rec.Body)
			}
			if rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: 401 without WWW-Authenticate", ep.method, ep.path)
			}
		}
	}
	if n := len(e.updater.Calls()); n != 0 {
		t.Errorf("the case workflow was called %d times without a token", n)
	}
}

// The read endpoints that once answered anyone need a user now; an analyst's
// token reads a post, without the petitioner's contact data.
func TestReadEndpointsNeedAUser(t *testing.T) {
	e := newCaseEnv(t)
	e.seedBasic()
	for _, path := range []string{"/api/posts/doc-case-w1", "/api/search?q=x", "/api/status",
		"/api/analytics/sentiment", "/api/analytics/topics", "/api/analytics/categories", "/api/messages"} {
		method := "GET"
		if path == "/api/messages" {
			method = "POST"
		}
		rec := e.do(method, path, "", "")
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s without a token: %d %s, want 401", method, path, rec.Code, rec.Body)
		}
	}
	for _, path := range []string{"/login", "/static/app.css"} {
		if rec := e.do("GET", path, "", ""); rec.Code != http.StatusOK {
			t.Errorf("GET %s without a token: %d, want 200", path, rec.Code)
		}
	}
	rec := e.do("GET", "/api/posts/doc-case-w1", tokAnalyst, "")
	caseWant(t, rec, http.StatusOK, "")
	// The document endpoint never carried contact data and still does not.
	if strings.Contains(rec.Body.String(), "13800000001") {
		t.Errorf("GET /api/posts leaks the petitioner's phone: %s", rec.Body)
	}
}

func TestRolesPerAction(t *testing.T) {
	tests := []struct {
		token, method, path, body string
		status                    int
	}{
		{tokAnalyst, "POST", "/api/cases/case-w1/reply", `{"text":"x"}`, 403},
		{tokSupervisor, "POST", "/api/cases/case-w1/reply", `{"text":"x"}`, 403},
		{tokAdmin, "POST", "/api/cases/case-w1/return", `{"reason":"x"}`, 403},
		{tokWater, "POST", "/api/cases/case-w1/extension/decision", `{"approve":true}`, 403},
		{tokAdmin, "POST", "/api/cases/case-w1/extension/decision", `{"approve":true}`, 403},
		{tokWater, "POST", "/api/cases/case-w1/rating", `{"rating":"basic"}`, 403},
		{tokAnalyst, "POST", "/api/cases/case-w1/rating", `{"rating":"basic"}`, 403},
		{tokWater, "POST", "/api/cases/case-w1/reassign", `{"department":"housing","reason":"x"}`, 403},
		{tokAdmin, "POST", "/api/cases/case-w1/reassign", `{"department":"housing","reason":"x"}`, 403},
		{tokAnalyst, "GET", "/api/cases/export", "", 403},
		{tokAnalyst, "GET", "/api/departments/stats/export", "", 403},
		// Allowed:
		{tokWater, "POST", "/api/cases/case-w1/reply", `{"text":"已处理"}`, 200},
		{tokSupervisor, "POST", "/api/cases/case-w1/extension/decision", `{"approve":true}`, 200},
		{tokSupervisor, "POST", "/api/cases/case-w1/rating", `{"rating":"basic"}`, 200},
		{tokAdmin, "POST", "/api/cases/case-w1/rating", `{"rating":"satisfied"}`, 200},
		{tokSupervisor, "POST", "/api/cases/case-w1/reassign", `{"department":"housing","reason":"属住建局"}`, 200},
		{tokAnalyst, "GET", "/api/cases/case-w1", "", 200},
		{tokAnalyst, "GET", "/api/leaguetable", "", 200},
	}
	for _, tt := range tests {
		e := newCaseEnv(t)
		e.seedBasic()
		rec := e.do(tt.method, tt.path, tt.token, tt.body)
		if rec.Code != tt.status {
			t.Errorf("%s %s as %s: %d %s, want %d", tt.method, tt.path, tt.token, rec.Code, rec.Body, tt.status)
			continue
		}
		calls := len(e.updater.Calls())
		switch {
		case tt.status == 403:
			caseWant(t, rec, 403, minyi.EFORBIDDEN)
			if calls != 0 {
				t.Errorf("%s %s as %s: refused but the workflow was called", tt.method, tt.path, tt.token)
			}
		case tt.method == "POST" && calls != 1:
			t.Errorf("%s %s as %s: workflow called %d times, want 1", tt.method, tt.path, tt.token, calls)
		}
	}
}

func TestValidateUsers(t *testing.T) {
	if err := api.ValidateUsers(caseUsers, caseDepartments); err != nil {
		t.Fatalf("test users are invalid: %v", err)
	}
	bad := map[string][]api.TokenUser{
		"short token":      {{Name: "a", Token: "short", Role: api.RoleAdmin}},
		"unknown role":     {{Name: "a", Token: tokAdmin, Role: "root"}},
		"no department":    {{Name: "a", Token: tokAdmin, Role: api.RoleDepartment}},
		"department extra": {{Name: "a", Token: tokAdmin, Role: api.RoleSupervisor, Department: "water"}},
		"unknown dept":     {{Name: "a", Token: tokAdmin, Role: api.RoleDepartment, Department: "mars"}},
		"shared token":     {{Name: "a", Token: tokAdmin, Role: api.RoleAdmin}, {Name: "b", Token: tokAdmin, Role: api.RoleAnalyst}},
		"no name":          {{Token: tokAdmin, Role: api.RoleAdmin}},
	}
	for name, users := range bad {
		if err := api.ValidateUsers(users, caseDepartments); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%s: ValidateUsers = %v, want invalid", name, err)
		}
	}
}

// An invalid configured user cannot log in, and does not take the valid ones down.
func TestInvalidUserCannotLogIn(t *testing.T) {
	e := newCaseEnv(t)
	srv := &api.Server{Store: e.store, Now: func() time.Time { return caseNow },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Users: []api.TokenUser{
			{Name: "weak", Token: "weak", Role: api.RoleAdmin},
			{Name: "ok", Token: tokAdmin, Role: api.RoleAdmin},
		}}
	h := api.ContractHandler(t, srv.Handler())
	for token, status := range map[string]int{"weak": 401, tokAdmin: 200} {
		req := httptest.NewRequest("GET", "/api/cases", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != status {
			t.Errorf("token %q: %d, want %d", token, rec.Code, status)
		}
	}
}
