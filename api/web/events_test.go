package web

import (
	"context"
	"fmt"
	"net/http"
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
			Title: "阳光小区工地夜里施工", Body: "吵得睡不着", Published: at, Fetched: at,
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
		"<strong>6</strong>", "负面占 100%", `class="spark"`)
	if strings.Count(page, `class="event-card"`) != 1 {
		t.Errorf("%d event cards, want the one event", strings.Count(page, `class="event-card"`))
	}
	wantPage(t, ts.page("GET", "/trends?window=24h", pageTokAnalyst, nil), http.StatusOK, "<strong>2</strong>")

	wantPage(t, ts.page("GET", "/events/yard", pageTokAnalyst, nil), http.StatusOK,
		"阳光小区", "业主", `href="/documents/yard-0"`, `href="/documents/yard-5"`, "最新帖子与来信（共 6 篇）", `id="chart-event"`)
	wantPage(t, ts.page("GET", "/events/none", pageTokAnalyst, nil), http.StatusNotFound)
	if rec := ts.page("GET", "/events/yard", pageTokDepartment, nil); rec.Code != http.StatusForbidden {
		t.Errorf("a department opened an event page: %d", rec.Code)
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
