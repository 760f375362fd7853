package rest_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/core"
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
	{"POST", "/api/cases/case-w1/merge", `{"into":"case-w2"}`},
	{"GET", "/api/departments/stats", ""},
	{"GET", "/api/departments/stats/export", ""},
	{"GET", "/api/departments/escalations", ""},
	{"GET", "/api/leaguetable?month=2026-10", ""},
}

func TestCaseEndpointsRequireAToken(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	e.SeedBasic()
	for _, ep := range protectedEndpoints {
		for _, header := range []string{"", "Bearer ", "Bearer wrong-token-0123456789", "Basic " + apitest.TokAdmin, apitest.TokAdmin,
			"Bearer " + apitest.TokAdmin[:len(apitest.TokAdmin)-1], "Bearer " + apitest.TokAdmin + "x"} {
			req := httptest.NewRequest(ep.method, ep.path, strings.NewReader(ep.body))
			if header != "" {
				req.Header.Set("Authorization", header)
			}
			rec := httptest.NewRecorder()
			e.Handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), `"unauthorized"`) {
				t.Errorf("%s %s with Authorization %q: %d %s, want 401 unauthorized", ep.method, ep.path, header, rec.Code, rec.Body)
			}
			if rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("%s %s: 401 without WWW-Authenticate", ep.method, ep.path)
			}
		}
	}
	if n := len(e.Updater.Calls()); n != 0 {
		t.Errorf("the case workflow was called %d times without a token", n)
	}
}

// The read endpoints that once answered anyone need a user now; an analyst's
// token reads a post, without the petitioner's contact data.
func TestReadEndpointsNeedAUser(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	e.SeedBasic()
	for _, path := range []string{"/api/posts/doc-case-w1", "/api/search?q=x", "/api/status",
		"/api/analytics/sentiment", "/api/analytics/topics", "/api/analytics/categories", "/api/messages"} {
		method := "GET"
		if path == "/api/messages" {
			method = "POST"
		}
		rec := e.Do(method, path, "", "")
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s without a token: %d %s, want 401", method, path, rec.Code, rec.Body)
		}
	}
	for _, path := range []string{"/login", "/static/app.css"} {
		if rec := e.Do("GET", path, "", ""); rec.Code != http.StatusOK {
			t.Errorf("GET %s without a token: %d, want 200", path, rec.Code)
		}
	}
	rec := e.Do("GET", "/api/posts/doc-case-w1", apitest.TokAnalyst, "")
	apitest.CaseWant(t, rec, http.StatusOK, "")
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
		{apitest.TokAnalyst, "POST", "/api/cases/case-w1/reply", `{"text":"x"}`, 403},
		{apitest.TokSupervisor, "POST", "/api/cases/case-w1/reply", `{"text":"x"}`, 403},
		{apitest.TokAdmin, "POST", "/api/cases/case-w1/return", `{"reason":"x"}`, 403},
		{apitest.TokWater, "POST", "/api/cases/case-w1/extension/decision", `{"approve":true}`, 403},
		{apitest.TokAdmin, "POST", "/api/cases/case-w1/extension/decision", `{"approve":true}`, 403},
		{apitest.TokWater, "POST", "/api/cases/case-w1/rating", `{"rating":"basic"}`, 403},
		{apitest.TokAnalyst, "POST", "/api/cases/case-w1/rating", `{"rating":"basic"}`, 403},
		{apitest.TokWater, "POST", "/api/cases/case-w1/reassign", `{"department":"housing","reason":"x"}`, 403},
		{apitest.TokAdmin, "POST", "/api/cases/case-w1/reassign", `{"department":"housing","reason":"x"}`, 403},
		{apitest.TokWater, "POST", "/api/cases/case-w1/merge", `{"into":"case-w2"}`, 403},
		{apitest.TokAdmin, "POST", "/api/cases/case-w1/merge", `{"into":"case-w2"}`, 403},
		{apitest.TokAnalyst, "POST", "/api/cases/case-w1/merge", `{"into":"case-w2"}`, 403},
		{apitest.TokAnalyst, "GET", "/api/cases/export", "", 403},
		{apitest.TokAnalyst, "GET", "/api/departments/stats/export", "", 403},
		// Allowed:
		{apitest.TokWater, "POST", "/api/cases/case-w1/reply", `{"text":"已处理"}`, 200},
		{apitest.TokSupervisor, "POST", "/api/cases/case-w1/extension/decision", `{"approve":true}`, 200},
		{apitest.TokSupervisor, "POST", "/api/cases/case-w1/rating", `{"rating":"basic"}`, 200},
		{apitest.TokAdmin, "POST", "/api/cases/case-w1/rating", `{"rating":"satisfied"}`, 200},
		{apitest.TokSupervisor, "POST", "/api/cases/case-w1/reassign", `{"department":"housing","reason":"属住建局"}`, 200},
		{apitest.TokSupervisor, "POST", "/api/cases/case-w1/merge", `{"into":"case-w2"}`, 200},
		{apitest.TokAnalyst, "GET", "/api/cases/case-w1", "", 200},
		{apitest.TokAnalyst, "GET", "/api/leaguetable", "", 200},
	}
	for _, tt := range tests {
		e := apitest.NewCaseEnv(t)
		e.SeedBasic()
		rec := e.Do(tt.method, tt.path, tt.token, tt.body)
		if rec.Code != tt.status {
			t.Errorf("%s %s as %s: %d %s, want %d", tt.method, tt.path, tt.token, rec.Code, rec.Body, tt.status)
			continue
		}
		calls := len(e.Updater.Calls())
		switch {
		case tt.status == 403:
			apitest.CaseWant(t, rec, 403, minyi.EFORBIDDEN)
			if calls != 0 {
				t.Errorf("%s %s as %s: refused but the workflow was called", tt.method, tt.path, tt.token)
			}
		case tt.method == "POST" && calls != 1:
			t.Errorf("%s %s as %s: workflow called %d times, want 1", tt.method, tt.path, tt.token, calls)
		}
	}
}

func TestValidateUsers(t *testing.T) {
	if err := core.ValidateUsers(apitest.CaseUsers, apitest.CaseDepartments); err != nil {
		t.Fatalf("test users are invalid: %v", err)
	}
	bad := map[string][]core.TokenUser{
		"short token":      {{Name: "a", Token: "short", Role: core.RoleAdmin}},
		"unknown role":     {{Name: "a", Token: apitest.TokAdmin, Role: "root"}},
		"no department":    {{Name: "a", Token: apitest.TokAdmin, Role: core.RoleDepartment}},
		"department extra": {{Name: "a", Token: apitest.TokAdmin, Role: core.RoleSupervisor, Department: "water"}},
		"unknown dept":     {{Name: "a", Token: apitest.TokAdmin, Role: core.RoleDepartment, Department: "mars"}},
		"shared token":     {{Name: "a", Token: apitest.TokAdmin, Role: core.RoleAdmin}, {Name: "b", Token: apitest.TokAdmin, Role: core.RoleAnalyst}},
		"no name":          {{Token: apitest.TokAdmin, Role: core.RoleAdmin}},
	}
	for name, users := range bad {
		if err := core.ValidateUsers(users, apitest.CaseDepartments); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%s: ValidateUsers = %v, want invalid", name, err)
		}
	}
}

// An invalid configured user cannot log in, and does not take the valid ones down.
func TestInvalidUserCannotLogIn(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	srv := &core.Server{Store: e.Store, Now: func() time.Time { return apitest.CaseNow },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Users: []core.TokenUser{
			{Name: "weak", Token: "weak", Role: core.RoleAdmin},
			{Name: "ok", Token: apitest.TokAdmin, Role: core.RoleAdmin},
		}}
	h := apitest.ContractHandler(t, srv.Handler())
	for token, status := range map[string]int{"weak": 401, apitest.TokAdmin: 200} {
		req := httptest.NewRequest("GET", "/api/cases", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != status {
			t.Errorf("token %q: %d, want %d", token, rec.Code, status)
		}
	}
}
