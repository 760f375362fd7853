package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/api/apitest"
)

// The watch desk shows what arrived in the last day on a first visit, the
// new alert, the open 舆情事件 with the overdue one marked, and reloads
// itself; once marked read, nothing is new; a department has no watch desk.
func TestWatchDesk(t *testing.T) {
	ts, _ := newPageServer(t)
	ctx := context.Background()
	for i, level := range []minyi.IncidentLevel{minyi.IncidentGeneral, minyi.IncidentMajor} {
		in := minyi.Incident{ID: minyi.IncidentIDPrefix + string(level), Title: "<b>事件</b>" + string(level), Level: level,
			Note: "研判", DocumentID: "x1", Department: "housing", Deadline: apitest.Now.Add(time.Duration(2*i-1) * time.Hour),
			RaisedBy: "analyst", Raised: apitest.Now.Add(-5 * time.Hour)}
		if err := ts.Store.CreateIncident(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	body := wantPage(t, ts.page("GET", "/watch", pageTokAnalyst, nil), http.StatusOK,
		`http-equiv="refresh"`, "舆情预警：“拆迁补偿”负面信息激增", "&lt;i&gt;负面&lt;/i&gt; 5",
		"&lt;b&gt;事件&lt;/b&gt;major", "超期 1", `id="watch-docs"`, `href="/documents/x1"`)
	if strings.Index(body, "事件&lt;/b&gt;major") > strings.Index(body, "事件&lt;/b&gt;general") {
		t.Error("the major incident is not first")
	}
	if strings.Contains(body, "13800000000") {
		t.Error("the watch desk shows contact data")
	}
	if rec := ts.page("POST", "/watch/seen", pageTokAnalyst, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("mark read: %d", rec.Code)
	}
	wantPage(t, ts.page("GET", "/watch", pageTokAnalyst, nil), http.StatusOK, "没有新信息", "没有新预警", "&lt;b&gt;事件&lt;/b&gt;major")
	if rec := ts.page("GET", "/watch", pageTokDepartment, nil); rec.Code != http.StatusForbidden {
		t.Errorf("a department opened the watch desk: %d", rec.Code)
	}
}
