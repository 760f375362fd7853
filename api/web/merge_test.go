package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"minyi"
	"minyi/api/apitest"
	"minyi/workflows"
)

// 并单 on the staff pages: a supervisor merges a repeat letter from its
// page; the primary lists its merged letters, each petitioner's contact
// shown only to the department and supervisors; the merged letter takes
// no reply of its own and wears 已并单 in the inbox.
func TestMergePages(t *testing.T) {
	e, _ := newPageEnv(t)
	e.SeedBasic()
	day := 24 * time.Hour
	letter := minyi.Case{ID: "case-m1", Department: "water", Received: apitest.CaseNow.Add(-day), Due: apitest.CaseNow.Add(4 * day),
		RepeatOf: []string{"case-w1"}}
	e.Put(letter, &minyi.Contact{Name: "李女士", Phone: "13900000002"})

	wantPage(t, e.page("/cases/case-m1", apitest.TokSupervisor), http.StatusOK, `id="merge-form"`, `<option value="case-w1">`, "重复件")
	lacks(t, wantPage(t, e.page("/cases/case-m1", apitest.TokWater), http.StatusOK), `id="merge-form"`)
	lacks(t, wantPage(t, e.page("/cases/case-w1", apitest.TokSupervisor), http.StatusOK), `id="merge-form"`) // not a repeat

	wantPage(t, e.form("/cases/case-m1/merge", apitest.TokWater, url.Values{"into": {"case-w1"}}, nil), http.StatusForbidden)
	rec := e.form("/cases/case-m1/merge", apitest.TokSupervisor, url.Values{"into": {"case-w1"}, "reason": {"同一漏水点"}}, nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cases/case-m1?flash=merged" {
		t.Fatalf("merge: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	calls := e.Updater.Calls()
	if len(calls) != 1 || calls[0].Update != workflows.UpdateMerge ||
		calls[0].Arg != (workflows.MergeRequest{Supervisor: "督查室", Into: "case-w1", Reason: "同一漏水点"}) {
		t.Fatalf("calls %+v", calls)
	}
	wantPage(t, e.form("/cases/case-m1/merge", apitest.TokSupervisor, url.Values{"into": {" "}}, nil), http.StatusBadRequest)

	// The workflow has merged it: the store has the link.
	letter.MergedInto = "case-w1"
	if err := e.Store.PutCase(context.Background(), withDefaults(letter)); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.AppendCaseEvents(context.Background(), []minyi.CaseEvent{{CaseID: "case-m1", Key: "003-merged",
		Type: minyi.EventMerged, At: apitest.CaseNow, Actor: "督查室", Detail: "并单 merged into case-w1: 同一漏水点"}}); err != nil {
		t.Fatal(err)
	}
	body := wantPage(t, e.page("/cases/case-m1?flash=merged", apitest.TokWater), http.StatusOK, "已并单", `id="case-merged-into"`,
		"并入 case-w1。同一漏水点")
	lacks(t, body, `id="reply-form"`, `id="merge-form"`)
	wantPage(t, e.page("/cases/case-w1", apitest.TokWater), http.StatusOK, `id="merged-letters"`, "关于case-m1的投诉", "李女士", "13900000002", `id="reply-form"`)
	wantPage(t, e.page("/cases/case-w1", apitest.TokSupervisor), http.StatusOK, "李女士")
	lacks(t, wantPage(t, e.page("/cases/case-w1", apitest.TokHousing), http.StatusForbidden), "李女士", "13900000002")
	wantPage(t, e.page("/inbox", apitest.TokWater), http.StatusOK, `class="badge merged"`)

	// A letter of another department (its workflow missed the primary's
	// news) is not shown to this one, nor its petitioner.
	stray := minyi.Case{ID: "case-m2", Department: "housing", Received: apitest.CaseNow.Add(-day), Due: apitest.CaseNow.Add(4 * day),
		MergedInto: "case-w1"}
	e.Put(stray, &minyi.Contact{Name: "王先生", Phone: "13900000003"})
	lacks(t, wantPage(t, e.page("/cases/case-w1", apitest.TokWater), http.StatusOK, "李女士"), "case-m2", "王先生")
	wantPage(t, e.page("/cases/case-w1", apitest.TokSupervisor), http.StatusOK, "关于case-m2的投诉", "王先生")
}

// withDefaults fills what CaseEnv.Put fills, for a second write.
func withDefaults(c minyi.Case) minyi.Case {
	c.DocumentID, c.Title, c.Source, c.MessageType, c.Status = "doc-"+c.ID, "关于"+c.ID+"的投诉", "mayor-mailbox", minyi.TypeComplaint, minyi.CaseOpen
	return c
}
