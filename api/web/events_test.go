package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/api/apitest"
)

// The trends page lists events, not single posts: one estate's night-time
// construction written about six times this week is one card with its
// place, count, growth and sentiment; its page lists the posts. An event
// title from a post stays text.
func TestHotEventsOnTheTrendsPage(t *testing.T) {
	ts, _ := newPageServer(t)
	ctx := context.Background()
	evil := "<script>window.pwned=1</script>阳光小区夜间施工"
	var docs []minyi.Document
	var analyses []minyi.DocumentAnalysis
	for i := range 6 {
		at := apitest.Now.Add(-time.Duration(i*20+1) * time.Hour)
		d := minyi.Document{ID: fmt.Sprintf("yard-%d", i), Source: []string{"city-forum", "mayor-mailbox"}[i%2], Kind: minyi.KindPost,
			Title: "阳光小区工地夜里施工", Body: "吵得睡不着", Published: at, Fetched: at, Likes: 10 * i, Dislikes: i,
			Analysis: &minyi.Analysis{Sentiment: minyi.SentimentNegative, Event: "yard", Simhash: 1}}
		docs = append(docs, d)
		analyses = append(analyses, minyi.DocumentAnalysis{ID: d.ID, Analysis: *d.Analysis,
			Label: &minyi.EventLabel{Title: evil, Sites: []string{"阳光小区"}, Crowds: []string{"业主"}}})
	}
	if _, err := ts.Store.PutDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := ts.Store.PutAnalyses(ctx, analyses); err != nil {
		t.Fatal(err)
	}
	if err := ts.Index.Index(ctx, docs); err != nil {
		t.Fatal(err)
	}

	page := wantPage(t, ts.page("GET", "/trends?window=7d", pageTokAnalyst, nil), http.StatusOK,
		"热点事件", `href="/events/yard"`, "&lt;script&gt;window.pwned=1&lt;/script&gt;阳光小区夜间施工", "地点：阳光小区", "人群：业主",
		"<strong>6</strong>", "负面占 100%", `class="spark"`, "读者点赞 150 · 反对 15")
	if strings.Count(page, `class="event-card"`) != 1 {
		t.Errorf("%d event cards, want the one event", strings.Count(page, `class="event-card"`))
	}
	// The last 24 hours hold yard-0 and yard-1 only: their reactions alone.
	wantPage(t, ts.page("GET", "/trends?window=24h", pageTokAnalyst, nil), http.StatusOK, "<strong>2</strong>", "读者点赞 10 · 反对 1")
	wantPage(t, ts.page("GET", "/documents/yard-3", pageTokAnalyst, nil), http.StatusOK, "点赞 30 · 反对 3")

	wantPage(t, ts.page("GET", "/events/yard", pageTokAnalyst, nil), http.StatusOK,
		"阳光小区", "业主", `href="/documents/yard-0"`, `href="/documents/yard-5"`, "最新帖子与来信（共 6 篇）", `id="chart-event"`)
	wantPage(t, ts.page("GET", "/events/none", pageTokAnalyst, nil), http.StatusNotFound)
	if rec := ts.page("GET", "/events/yard", pageTokDepartment, nil); rec.Code != http.StatusForbidden {
		t.Errorf("a department opened an event page: %d", rec.Code)
	}
	// The analyst may make the event's special report and raise it to a 舆情事件.
	wantPage(t, ts.page("GET", "/events/yard", pageTokAnalyst, nil), http.StatusOK,
		`action="/events/yard/report"`, `id="raise-incident"`, `name="event" value="yard"`)
	rec := ts.page("POST", "/events/yard/report", pageTokAnalyst, nil)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/reports/special-") {
		t.Fatalf("event report: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	wantPage(t, ts.page("GET", rec.Header().Get("Location"), pageTokAnalyst, nil), http.StatusOK,
		"舆情专报", `href="/events/yard"`, "&lt;script&gt;window.pwned=1&lt;/script&gt;阳光小区夜间施工")
	if rec := ts.page("POST", "/events/yard/report", pageTokDepartment, nil); rec.Code != http.StatusForbidden {
		t.Errorf("a department made an event report: %d", rec.Code)
	}
	ts.Server.Incidents = &apitest.IncidentStarter{Store: ts.Store}
	rec = ts.page("POST", "/incidents", pageTokAnalyst, url.Values{"event": {"yard"}, "level": {"general"}, "note": {"持续发酵"},
		"department": {"housing"}, "deadline": {apitest.Now.AddDate(0, 0, 2).Format("2006-01-02")}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("raise the event: %d %s", rec.Code, rec.Body)
	}
	list, _, err := ts.Store.Incidents(ctx, minyi.IncidentFilter{})
	if err != nil || len(list) != 1 || list[0].Event != "yard" || list[0].DocumentID != "yard-0" {
		t.Errorf("incidents %+v, %v: want the event's newest document", list, err)
	}
	// The search page filters by the event, and says so.
	wantPage(t, ts.page("GET", "/search?event=yard", pageTokAnalyst, nil), http.StatusOK, `href="/documents/yard-3"`, "事件")
}

// An event's chart shows the quiet days between its documents as zeros.
func TestEventChartFillsQuietDays(t *testing.T) {
	c := eventChart([]minyi.FacetCount{{Value: "2026-10-30", Count: 2}, {Value: "2026-11-02", Count: 1}})
	names := c["xAxis"].(map[string]any)["data"].([]string)
	counts := c["series"].([]map[string]any)[0]["data"].([]int)
	if fmt.Sprint(names) != "[2026-10-30 2026-10-31 2026-11-01 2026-11-02]" || fmt.Sprint(counts) != "[2 0 0 1]" {
		t.Errorf("days %v, counts %v", names, counts)
	}
}

// An event written about more often than its page shows lists the newest
// cases only, says how many there are, and counts all of them by status.
func TestEventPageBoundsItsCases(t *testing.T) {
	ts, _ := newPageServer(t)
	ctx := context.Background()
	n := eventCasesShown + 3
	var docs []minyi.Document
	var analyses []minyi.DocumentAnalysis
	var cases []minyi.Case
	for i := range n {
		at := apitest.Now.Add(-time.Duration(n-i) * time.Hour)
		d := minyi.Document{ID: fmt.Sprintf("lamp-%03d", i), Source: "mayor-mailbox", Kind: minyi.KindMessage,
			Title: "人民路路灯不亮", Body: "晚上很黑", Published: at, Fetched: at,
			Analysis: &minyi.Analysis{Sentiment: minyi.SentimentNegative, Event: "lamp", Simhash: 1}}
		docs = append(docs, d)
		analyses = append(analyses, minyi.DocumentAnalysis{ID: d.ID, Analysis: *d.Analysis,
			Label: &minyi.EventLabel{Title: "人民路：路灯不亮", Sites: []string{"人民路"}}})
		cases = append(cases, minyi.Case{ID: minyi.CaseIDFor(d.ID), DocumentID: d.ID, Title: d.Title, Source: d.Source,
			MessageType: minyi.TypeComplaint, Status: minyi.CaseOpen, Department: "urban", Received: at, Updated: at,
			Due: at.Add(5 * 24 * time.Hour)})
	}
	if _, err := ts.Store.PutDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := ts.Store.PutAnalyses(ctx, analyses); err != nil {
		t.Fatal(err)
	}
	if err := ts.Store.PutCases(ctx, cases); err != nil {
		t.Fatal(err)
	}
	if err := ts.Index.Index(ctx, docs); err != nil {
		t.Fatal(err)
	}
	newest, oldest := cases[n-1].ID, cases[0].ID
	page := wantPage(t, ts.page("GET", "/events/lamp", pageTokAnalyst, nil), http.StatusOK,
		`id="event-cases-more"`, fmt.Sprintf("显示最新 %d 件，共 %d 件", eventCasesShown, n), fmt.Sprintf("办理中 %d", n),
		"<tr><td>"+newest+"</td>")
	if strings.Contains(page, oldest) {
		t.Errorf("the oldest case %s is listed", oldest)
	}
	if rows := strings.Count(page, "<tr><td>case-"); rows != eventCasesShown {
		t.Errorf("%d case rows, want the newest %d", rows, eventCasesShown)
	}
}
