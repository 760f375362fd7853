package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"minyi"
	"minyi/api/apitest"
	"minyi/workflows"
)

// An analyst raises a post to a 舆情事件 from its page, reads it in the
// list and on its page (the judgement escaped, no contact data), and
// closes it once the department answered; a department sees no raise
// form and no incident pages.
func TestIncidentPages(t *testing.T) {
	ts, _ := newPageServer(t)
	starter := &apitest.IncidentStarter{Store: ts.Store}
	updater := &apitest.RecordingUpdater{}
	ts.Server.Incidents, ts.Server.Cases = starter, updater
	ctx := context.Background()

	body := wantPage(t, ts.page("GET", "/documents/x1", pageTokAnalyst, nil), http.StatusOK,
		`id="raise-incident"`, `name="document_id" value="x1"`, `value="major"`, "重大", `value="housing"`)
	if strings.Contains(body, "13800000000") {
		t.Error("the document page shows contact data to an analyst")
	}
	if body := ts.page("GET", "/documents/x1", pageTokDepartment, nil).Body.String(); strings.Contains(body, "raise-incident") {
		t.Error("a department is offered the raise form")
	}

	deadline := apitest.Now.AddDate(0, 0, 3).Format("2006-01-02")
	form := url.Values{"document_id": {"x1"}, "level": {"major"}, "note": {"<b>加粗</b>研判：情绪激烈"}, "department": {"housing"}, "deadline": {deadline}}
	if rec := ts.page("POST", "/incidents", pageTokDepartment, form); rec.Code != http.StatusForbidden {
		t.Errorf("a department raises: %d", rec.Code)
	}
	bad := url.Values{"document_id": {"x1"}, "level": {"major"}, "note": {" "}, "department": {"housing"}, "deadline": {deadline}}
	wantPage(t, ts.page("POST", "/incidents", pageTokAnalyst, bad), http.StatusBadRequest, "请填写研判意见")

	rec := ts.page("POST", "/incidents", pageTokAnalyst, form)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/incidents/incident-") {
		t.Fatalf("raise: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	path, _, _ := strings.Cut(rec.Header().Get("Location"), "?")
	id := strings.TrimPrefix(path, "/incidents/")
	body = wantPage(t, ts.page("GET", rec.Header().Get("Location"), pageTokAnalyst, nil), http.StatusOK,
		"已上升为舆情事件并交办", "重大", "住建局", "&lt;b&gt;加粗&lt;/b&gt;研判", `href="/documents/x1"`, "等待处置单位记录处置结果")
	if strings.Contains(body, "13800000000") || strings.Contains(body, `id="close-incident"`) {
		t.Error("the incident page shows contact data, or a close form before the 处置")
	}
	wantPage(t, ts.page("GET", "/incidents?open=true", pageTokAnalyst, nil), http.StatusOK, `href="/incidents/`+id+`"`, "共 1 条")
	if rec := ts.page("GET", path, pageTokDepartment, nil); rec.Code != http.StatusForbidden {
		t.Errorf("a department opens the incident page: %d", rec.Code)
	}

	// The department answers in its inbox (the workflow records it).
	c, err := ts.Store.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	c.Status, c.Answered = minyi.CaseAnswered, apitest.Now
	if err := ts.Store.PutCase(ctx, *c); err != nil {
		t.Fatal(err)
	}
	wantPage(t, ts.page("GET", path, pageTokAnalyst, nil), http.StatusOK, `id="close-incident"`, "确认办结")
	rec = ts.page("POST", path+"/close", pageTokAnalyst, url.Values{"note": {"处置到位"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != path+"?flash=closed" {
		t.Fatalf("close: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if calls := updater.Calls(); len(calls) != 1 || calls[0].Update != workflows.UpdateCloseIncident || calls[0].CaseID != id {
		t.Errorf("close sent %+v", calls)
	}
}
