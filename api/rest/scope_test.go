package rest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"minyi/api/apitest"

	"minyi"
)

// A department reads the forum and its own letters; another department's
// letter is a 403 on the document endpoint, and every refusal of a
// department, wherever in a handler it happens, is in the audit log.
func TestDepartmentReadsOnlyItsOwnLetters(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	day := 24 * time.Hour
	letter := func(docID, dept string, events ...minyi.CaseEvent) {
		e.Put(minyi.Case{ID: minyi.CaseIDFor(docID), DocumentID: docID, Department: dept,
			Received: apitest.CaseNow.Add(-3 * day), Due: apitest.CaseNow.Add(2 * day)}, &minyi.Contact{Phone: "13800000099"}, events...)
	}
	letter("doc-water", "water")
	letter("doc-housing", "housing")
	// Routed to water first, then reassigned to housing: water worked on it.
	letter("doc-moved", "housing",
		minyi.CaseEvent{CaseID: minyi.CaseIDFor("doc-moved"), Key: "001-routed", Type: minyi.EventRouted, At: apitest.CaseNow.Add(-3 * day), Actor: "system", Department: "water"},
		minyi.CaseEvent{CaseID: minyi.CaseIDFor("doc-moved"), Key: "002-reassigned", Type: minyi.EventReassigned, At: apitest.CaseNow.Add(-2 * day), Actor: "supervisor", Department: "housing"})
	ctx := context.Background()
	if _, err := e.Store.PutDocuments(ctx, []minyi.Document{
		{ID: "post-1", Source: "forum", Kind: minyi.KindPost, Title: "小区停水", Body: "三天没水", Published: apitest.CaseNow, Fetched: apitest.CaseNow},
		{ID: "doc-nocase", Source: "mailbox", Kind: minyi.KindMessage, Title: "一封咨询", Body: "无需答复", Published: apitest.CaseNow, Fetched: apitest.CaseNow},
	}); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		token, doc string
		status     int
	}{
		{apitest.TokWater, "doc-water", 200},
		{apitest.TokWater, "post-1", 200},
		{apitest.TokWater, "doc-moved", 200},
		{apitest.TokHousing, "doc-moved", 200},
		{apitest.TokWater, "doc-housing", 403},
		{apitest.TokHousing, "doc-water", 403},
		{apitest.TokWater, "doc-nocase", 403},
		{apitest.TokAnalyst, "doc-housing", 200},
		{apitest.TokSupervisor, "doc-water", 200},
	} {
		rec := e.Do("GET", "/api/posts/"+tt.doc, tt.token, "")
		if rec.Code != tt.status {
			t.Errorf("GET /api/posts/%s with %s: %d %s, want %d", tt.doc, tt.token, rec.Code, rec.Body, tt.status)
		}
		if strings.Contains(rec.Body.String(), "13800000099") {
			t.Errorf("GET /api/posts/%s leaks the contact", tt.doc)
		}
	}

	// Refusals deep in handlers: another department's case, its file, an
	// action on it, and a filter naming another department.
	denials := func(method, path string) int {
		entries, err := e.Store.Audit(ctx, 500)
		if err != nil {
			t.Fatal(err)
		}
		path, _, _ = strings.Cut(path, "?")
		n := 0
		for _, a := range entries {
			if a.Action == minyi.AuditDenied && a.Actor == "水务局值班" && a.Target == method+" "+path {
				n++
			}
		}
		return n
	}
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/api/posts/doc-housing", ""},
		{"GET", "/api/cases/" + minyi.CaseIDFor("doc-housing"), ""},
		{"GET", "/cases/" + minyi.CaseIDFor("doc-housing") + "/files/a.pdf", ""},
		{"POST", "/api/cases/" + minyi.CaseIDFor("doc-housing") + "/reply", `{"text":"已处理"}`},
		{"GET", "/api/cases?department=housing", ""},
		{"GET", "/api/analytics/topics", ""},
	} {
		before := denials(r.method, r.path)
		if rec := e.Do(r.method, r.path, apitest.TokWater, r.body); rec.Code != http.StatusForbidden {
			t.Errorf("%s %s as water: %d, want 403", r.method, r.path, rec.Code)
			continue
		}
		if n := denials(r.method, r.path) - before; n != 1 {
			t.Errorf("%s %s refused: %d new denials in the audit log, want exactly 1", r.method, r.path, n)
		}
	}
	if calls := e.Updater.Calls(); len(calls) != 0 {
		t.Errorf("a refused action reached the case workflow: %+v", calls)
	}
}

// Answers that can carry a petitioner's contact data stay out of caches.
func TestContactDataIsNotCached(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	e.SeedBasic()
	for _, r := range []struct{ path, token string }{
		{"/api/cases/case-w1", apitest.TokWater}, {"/api/cases/case-w1", apitest.TokSupervisor}, {"/cases/case-w1", apitest.TokWater},
		{"/api/cases/export?format=csv", apitest.TokSupervisor},
	} {
		rec := e.Do("GET", r.path, r.token, "")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Cache-Control"), "no-store") {
			t.Errorf("GET %s: %d, Cache-Control %q; want 200 and no-store", r.path, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
}
