package rest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/core"
	"minyi/api/rest"
	"minyi/workflows"
)

func TestDepartmentIsolation(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	e.SeedBasic()

	// Reading: water may not see housing's case nor one still being routed.
	for _, id := range []string{"case-h1", "case-r1"} {
		apitest.CaseWant(t, e.Do("GET", "/api/cases/"+id, apitest.TokWater, ""), http.StatusForbidden, minyi.EFORBIDDEN)
	}
	// Listing is forced to the own department; asking for another is refused.
	apitest.CaseWant(t, e.Do("GET", "/api/cases?department=housing", apitest.TokWater, ""), http.StatusForbidden, minyi.EFORBIDDEN)
	for _, q := range []string{"", "?department=water"} {
		rec := e.Do("GET", "/api/cases"+q, apitest.TokWater, "")
		apitest.CaseWant(t, rec, http.StatusOK, "")
		list := apitest.CaseDecode[rest.CaseList](t, rec)
		if got := caseIDs(list.Cases); !reflect.DeepEqual(got, []string{"case-w1", "case-w0"}) || list.Total != 2 {
			t.Errorf("water lists %v (total %d), want its own two cases", got, list.Total)
		}
	}
	// Acting on another department's case: 403 and the workflow never hears of it.
	actions := map[string]string{
		"reply":     `{"text":"已处理"}`,
		"return":    `{"reason":"非本单位职责"}`,
		"extension": `{"reason":"需现场勘查","days":5}`,
	}
	for action, body := range actions {
		for _, id := range []string{"case-h1", "case-r1"} {
			apitest.CaseWant(t, e.Do("POST", "/api/cases/"+id+"/"+action, apitest.TokWater, body), http.StatusForbidden, minyi.EFORBIDDEN)
		}
	}
	if calls := e.Updater.Calls(); len(calls) != 0 {
		t.Fatalf("refused actions reached the workflow: %+v", calls)
	}
	// Its own case goes through, with the department taken from the token.
	for action, body := range actions {
		apitest.CaseWant(t, e.Do("POST", "/api/cases/case-w1/"+action, apitest.TokWater, body), http.StatusOK, "")
	}
	calls := e.Updater.Calls()
	if len(calls) != 3 {
		t.Fatalf("calls = %+v, want 3", calls)
	}
	for _, c := range calls {
		if c.CaseID != "case-w1" || fmt.Sprint(c.Arg) == "" || !strings.Contains(fmt.Sprintf("%+v", c.Arg), "Department:water") {
			t.Errorf("call %+v does not act as water on case-w1", c)
		}
	}
	// The body cannot claim another department.
	apitest.CaseWant(t, e.Do("POST", "/api/cases/case-w1/reply", apitest.TokWater, `{"text":"x","department":"housing"}`), http.StatusBadRequest, minyi.EINVALID)
	if n := len(e.Updater.Calls()); n != 3 {
		t.Errorf("a reply naming a department reached the workflow")
	}
	// Housing sees its case, not water's.
	apitest.CaseWant(t, e.Do("GET", "/api/cases/case-h1", apitest.TokHousing, ""), http.StatusOK, "")
	apitest.CaseWant(t, e.Do("GET", "/api/cases/case-w1", apitest.TokHousing, ""), http.StatusForbidden, minyi.EFORBIDDEN)
}

func TestActionRequests(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	e.SeedBasic()
	steps := []struct {
		token, path, body string
		update            string
		arg               any
	}{
		{apitest.TokWater, "/api/cases/case-w1/reply", `{"text":"  已安排抢修  ","attachments":["files/repair.jpg"],"resolved":true}`,
			workflows.UpdateReply, workflows.ReplyRequest{Department: "water", Text: "已安排抢修", Attachments: []string{"files/repair.jpg"}, Resolved: true}},
		{apitest.TokWater, "/api/cases/case-w1/return", `{"reason":"属住建局职责"}`,
			workflows.UpdateReturn, workflows.ReturnRequest{Department: "water", Reason: "属住建局职责"}},
		{apitest.TokWater, "/api/cases/case-w1/extension", `{"reason":"需协调三个部门","days":10}`,
			workflows.UpdateRequestExtension, workflows.ExtensionRequest{Department: "water", Reason: "需协调三个部门", Days: 10}},
		{apitest.TokSupervisor, "/api/cases/case-w1/extension/decision", `{"approve":false,"reason":"理由不充分"}`,
			workflows.UpdateDecideExtension, workflows.ExtensionDecision{Supervisor: "督查室", Approve: false, Reason: "理由不充分"}},
		{apitest.TokAdmin, "/api/cases/case-w1/rating", `{"rating":"dissatisfied","comment":"仍未修好"}`,
			workflows.UpdateRate, workflows.RatingRequest{Rating: minyi.RatingDissatisfied, Comment: "仍未修好"}},
		{apitest.TokSupervisor, "/api/cases/case-w1/reassign", `{"department":"housing","reason":"小区管网归物业"}`,
			workflows.UpdateReassign, workflows.ReassignRequest{Supervisor: "督查室", Department: "housing", Reason: "小区管网归物业"}},
		{apitest.TokSupervisor, "/api/cases/case-w1/merge", `{"into":" case-w2 ","reason":"同一漏水点"}`,
			workflows.UpdateMerge, workflows.MergeRequest{Supervisor: "督查室", Into: "case-w2", Reason: "同一漏水点"}},
	}
	for i, s := range steps {
		rec := e.Do("POST", s.path, s.token, s.body)
		apitest.CaseWant(t, rec, http.StatusOK, "")
		if got := apitest.CaseDecode[minyi.Case](t, rec); got.ID != "case-w1" || got.Status != minyi.CaseAnswered {
			t.Errorf("%s answered %+v, want the updater's case", s.path, got)
		}
		calls := e.Updater.Calls()
		if len(calls) != i+1 {
			t.Fatalf("%s: %d calls, want %d", s.path, len(calls), i+1)
		}
		want := apitest.UpdateCall{CaseID: "case-w1", Update: s.update, Arg: s.arg}
		if got := calls[i]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s called\n  %+v\nwant\n  %+v", s.path, got, want)
		}
	}
}

func TestActionValidation(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	e.SeedBasic()
	tests := []struct {
		token, path, body string
		status            int
		code              string
	}{
		{apitest.TokWater, "/api/cases/case-w1/reply", `{"text":"   "}`, 400, minyi.EINVALID},
		{apitest.TokWater, "/api/cases/case-w1/reply", `{"text":"ok","attachments":[""]}`, 400, minyi.EINVALID},
		{apitest.TokWater, "/api/cases/case-w1/reply", `{"text":`, 400, minyi.EINVALID},
		{apitest.TokWater, "/api/cases/case-w1/reply", `{"text":"a"} {"text":"b"}`, 400, minyi.EINVALID},
		{apitest.TokWater, "/api/cases/case-w1/reply", `{"text":"` + strings.Repeat("长", minyi.MaxBodyRunes+1) + `"}`, 413, minyi.ETOOLARGE},
		{apitest.TokWater, "/api/cases/case-w1/return", `{}`, 400, minyi.EINVALID},
		{apitest.TokWater, "/api/cases/case-w1/extension", `{"reason":"r","days":0}`, 400, minyi.EINVALID},
		{apitest.TokWater, "/api/cases/case-w1/extension", `{"reason":"r","days":31}`, 400, minyi.EINVALID},
		{apitest.TokWater, "/api/cases/case-w1/extension", `{"reason":"","days":3}`, 400, minyi.EINVALID},
		{apitest.TokSupervisor, "/api/cases/case-w1/extension/decision", `{"reason":"r"}`, 400, minyi.EINVALID},
		{apitest.TokSupervisor, "/api/cases/case-w1/extension/decision", `{"approve":false}`, 400, minyi.EINVALID},
		{apitest.TokSupervisor, "/api/cases/case-w1/rating", `{"rating":"great"}`, 400, minyi.EINVALID},
		{apitest.TokSupervisor, "/api/cases/case-w1/reassign", `{"department":"mars","reason":"r"}`, 400, minyi.EINVALID},
		{apitest.TokSupervisor, "/api/cases/case-w1/reassign", `{"department":"housing"}`, 400, minyi.EINVALID},
		{apitest.TokSupervisor, "/api/cases/case-w1/reassign", `{"department":"housing","reason":"r","supervisor":"x"}`, 400, minyi.EINVALID},
		{apitest.TokSupervisor, "/api/cases/case-w1/merge", `{}`, 400, minyi.EINVALID},
		{apitest.TokSupervisor, "/api/cases/case-w1/merge", `{"into":"   "}`, 400, minyi.EINVALID},
		{apitest.TokSupervisor, "/api/cases/case-w1/merge", `{"into":"` + strings.Repeat("c", 201) + `"}`, 413, minyi.ETOOLARGE},
		{apitest.TokSupervisor, "/api/cases/case-w1/merge", `{"into":"case-w2","supervisor":"x"}`, 400, minyi.EINVALID},
		{apitest.TokWater, "/api/cases/no-such-case/reply", `{"text":"ok"}`, 404, minyi.ENOTFOUND},
		// An imported historical case has no workflow to act on.
		{apitest.TokWater, "/api/cases/case-w0/reply", `{"text":"ok"}`, 409, minyi.ECONFLICT},
	}
	for _, tt := range tests {
		rec := e.Do("POST", tt.path, tt.token, tt.body)
		if rec.Code != tt.status {
			t.Errorf("POST %s %.60s: %d %s, want %d", tt.path, tt.body, rec.Code, rec.Body, tt.status)
			continue
		}
		apitest.CaseWant(t, rec, tt.status, tt.code)
	}
	if calls := e.Updater.Calls(); len(calls) != 0 {
		t.Errorf("invalid actions reached the workflow: %d calls", len(calls))
	}
}

// The workflow is the authority: its refusal reaches the client as is.
func TestWorkflowRefusalIsPassedOn(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	e.SeedBasic()
	e.Updater.Err = minyi.Errorf(minyi.ECONFLICT, "extension requested after the due date")
	rec := e.Do("POST", "/api/cases/case-w1/extension", apitest.TokWater, `{"reason":"r","days":3}`)
	apitest.CaseWant(t, rec, http.StatusConflict, minyi.ECONFLICT)
	if !strings.Contains(rec.Body.String(), "after the due date") {
		t.Errorf("workflow's message lost: %s", rec.Body)
	}
	e.Updater.Err = fmt.Errorf("grpc: connection refused to 10.0.0.3:7233")
	rec = e.Do("POST", "/api/cases/case-w1/reply", apitest.TokWater, `{"text":"ok"}`)
	apitest.CaseWant(t, rec, http.StatusInternalServerError, minyi.EINTERNAL)
	if strings.Contains(rec.Body.String(), "10.0.0.3") {
		t.Errorf("internal detail leaked: %s", rec.Body)
	}
	// A dependency that is down is a 503 saying when to retry.
	e.Updater.Err = minyi.Errorf(minyi.EUNAVAILABLE, "the case workflows cannot be reached; try again")
	rec = e.Do("POST", "/api/cases/case-w1/reply", apitest.TokWater, `{"text":"ok"}`)
	apitest.CaseWant(t, rec, http.StatusServiceUnavailable, minyi.EUNAVAILABLE)
	if rec.Header().Get("Retry-After") == "" {
		t.Error("a 503 without Retry-After")
	}
}

func TestCaseDetailAndContact(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	e.SeedBasic()
	for token, seesContact := range map[string]bool{apitest.TokAnalyst: false, apitest.TokWater: true, apitest.TokSupervisor: true, apitest.TokAdmin: true} {
		rec := e.Do("GET", "/api/cases/case-w1", token, "")
		apitest.CaseWant(t, rec, http.StatusOK, "")
		if got := strings.Contains(rec.Body.String(), "13800000001"); got != seesContact {
			t.Errorf("token %s: phone shown = %v, want %v: %s", token, got, seesContact, rec.Body)
		}
		d := apitest.CaseDecode[rest.CaseDetail](t, rec)
		if seesContact && (d.Contact == nil || d.Contact.Name != "张先生") {
			t.Errorf("token %s: contact = %+v", token, d.Contact)
		}
		if d.Case.Routing == nil || d.Case.Routing.Reason != "标题含“停水”" || !d.Case.Due.Equal(apitest.CaseNow.Add(48*time.Hour)) {
			t.Errorf("case lacks its routing reason or due date: %+v", d.Case)
		}
		if d.Document == nil || d.Document.Title != "关于case-w1的投诉" {
			t.Errorf("document = %+v", d.Document)
		}
		if len(d.Events) != 2 || d.Events[0].Type != minyi.EventOpened || d.Events[1].Type != minyi.EventRouted {
			t.Errorf("events = %+v, want opened then routed", d.Events)
		}
	}
	// A case without contact data has no contact field at all.
	rec := e.Do("GET", "/api/cases/case-r1", apitest.TokSupervisor, "")
	apitest.CaseWant(t, rec, http.StatusOK, "")
	if strings.Contains(rec.Body.String(), `"contact"`) {
		t.Errorf("contact field without contact data: %s", rec.Body)
	}
	apitest.CaseWant(t, e.Do("GET", "/api/cases/nope", apitest.TokSupervisor, ""), http.StatusNotFound, minyi.ENOTFOUND)
}

func TestListCasesFiltersAndPages(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	day := 24 * time.Hour
	// 25 cases received one a day back from yesterday: every third is
	// answered, the others are open with due 10 days after receipt.
	for i := 1; i <= 25; i++ {
		c := minyi.Case{ID: fmt.Sprintf("case-%02d", i), Department: []string{"water", "housing"}[i%2],
			Received: apitest.CaseNow.Add(-time.Duration(i) * day), Due: apitest.CaseNow.Add(time.Duration(10-i) * day)}
		if i%3 == 0 {
			c.Status, c.Answered, c.OnTime = minyi.CaseAnswered, c.Received.Add(day), true
		}
		e.Put(c, nil)
	}
	list := func(q string) rest.CaseList {
		t.Helper()
		rec := e.Do("GET", "/api/cases"+q, apitest.TokSupervisor, "")
		apitest.CaseWant(t, rec, http.StatusOK, "")
		return apitest.CaseDecode[rest.CaseList](t, rec)
	}
	all := list("")
	if all.Total != 25 || all.Page != 1 || all.PageSize != minyi.DefaultPageSize || len(all.Cases) != 20 || all.Cases[0].ID != "case-01" {
		t.Errorf("default list: total %d page %d size %d, %d cases, first %v", all.Total, all.Page, all.PageSize, len(all.Cases), caseIDs(all.Cases[:1]))
	}
	// Pages are disjoint and cover everything, newest first.
	var seen []string
	for p := 1; p <= 3; p++ {
		l := list(fmt.Sprintf("?page=%d&page_size=10", p))
		seen = append(seen, caseIDs(l.Cases)...)
	}
	if len(seen) != 25 || seen[0] != "case-01" || seen[24] != "case-25" {
		t.Errorf("paged ids = %v", seen)
	}
	if l := list("?page=4&page_size=10"); len(l.Cases) != 0 || l.Total != 25 || l.Cases == nil {
		t.Errorf("page past the end: %+v", l)
	}

	// Overdue means open with due before now: i > 10 and not a multiple of 3
	// (11 13 14 16 17 19 20 22 23 25); i = 10 is due exactly now, not past.
	counts := map[string]int{
		"?status=answered":               8, // 3, 6, ..., 24
		"?status=open":                   17,
		"?department=water":              12, // even i
		"?overdue=true":                  10,
		"?overdue=false":                 15,
		"?status=open&department=water":  8,
		"?from=2026-11-20&to=2026-11-22": 3, // received 11-20, 11-21, 11-22: to is inclusive
		"?from=2026-11-20T10:00:00%2B08:00&to=2026-11-22T10:00:00%2B08:00": 2,
	}
	for q, n := range counts {
		if l := list(q); l.Total != n {
			t.Errorf("%s: total %d, want %d (%v)", q, l.Total, n, caseIDs(l.Cases))
		}
	}
	for _, q := range []string{"?status=lost", "?overdue=maybe", "?page=-1", "?page_size=101", "?page=x",
		"?from=yesterday", "?from=2026-11-22&to=2026-11-01", "?historical=perhaps"} {
		if rec := e.Do("GET", "/api/cases"+q, apitest.TokSupervisor, ""); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, rec.Code)
		} else {
			apitest.CaseWant(t, rec, http.StatusBadRequest, minyi.EINVALID)
		}
	}
}

func caseIDs(cs []minyi.Case) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// A chunked body over the limit is cut off while decoding: still a 413.
func TestActionBodyTooLarge(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	e.SeedBasic()
	body := `{"text":"` + strings.Repeat("x", core.DefaultMaxBodyBytes+10) + `"}`
	req := httptest.NewRequest("POST", "/api/cases/case-w1/reply", strings.NewReader(body))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+apitest.TokWater)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	apitest.CaseWant(t, rec, http.StatusRequestEntityTooLarge, minyi.ETOOLARGE)
	if len(e.Updater.Calls()) != 0 {
		t.Error("an oversized reply reached the workflow")
	}
}

// A primary's detail lists the letters merged into it (并单), as its page
// does: each petitioner's contact for the department and supervisors only,
// and a letter of another department only to those who may read it.
func TestCaseDetailListsMergedLetters(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	e.SeedBasic()
	day := 24 * time.Hour
	e.Put(minyi.Case{ID: "case-m1", Department: "water", Received: apitest.CaseNow.Add(-day), Due: apitest.CaseNow.Add(4 * day),
		RepeatOf: []string{"case-w1"}, MergedInto: "case-w1"}, &minyi.Contact{Name: "李女士", Phone: "13900000002"})
	e.Put(minyi.Case{ID: "case-m2", Department: "housing", Received: apitest.CaseNow.Add(-day), Due: apitest.CaseNow.Add(4 * day),
		MergedInto: "case-w1"}, &minyi.Contact{Name: "王先生", Phone: "13900000003"})

	merged := func(token string) map[string]*minyi.Contact {
		rec := e.Do("GET", "/api/cases/case-w1", token, "")
		apitest.CaseWant(t, rec, http.StatusOK, "")
		out := map[string]*minyi.Contact{}
		for _, m := range apitest.CaseDecode[rest.CaseDetail](t, rec).Merged {
			out[m.Case.ID] = m.Contact
		}
		return out
	}
	if got := merged(apitest.TokWater); len(got) != 1 || got["case-m1"] == nil || got["case-m1"].Phone != "13900000002" {
		t.Errorf("department: merged = %v, want case-m1 with its petitioner only", got)
	}
	if got := merged(apitest.TokSupervisor); len(got) != 2 || got["case-m2"] == nil || got["case-m2"].Name != "王先生" {
		t.Errorf("supervisor: merged = %v, want both letters with contacts", got)
	}
	if got := merged(apitest.TokAnalyst); len(got) != 2 || got["case-m1"] != nil || got["case-m2"] != nil {
		t.Errorf("analyst: merged = %v, want both letters without contacts", got)
	}
	rec := e.Do("GET", "/api/cases/case-w1", apitest.TokAnalyst, "")
	if strings.Contains(rec.Body.String(), "13900000002") || strings.Contains(rec.Body.String(), "李女士") {
		t.Errorf("analyst sees a merged petitioner: %s", rec.Body)
	}
	if d := apitest.CaseDecode[rest.CaseDetail](t, e.Do("GET", "/api/cases/case-r1", apitest.TokSupervisor, "")); d.Merged == nil || len(d.Merged) != 0 {
		t.Errorf("a case without merged letters: merged = %v, want []", d.Merged)
	}
}
