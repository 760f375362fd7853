package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/activities"
	"minyi/api/core"
	"minyi/api/rest"
	"minyi/demosite"
	"minyi/workflows"
)

// testAnalysis checks what text analysis added to the first crawl of the
// demo site, through the API.
func testAnalysis(t *testing.T, ta *testApp, threads []demosite.Thread, start, now time.Time) {
	threadDoc := func(tid int) minyi.Document {
		t.Helper()
		var doc minyi.Document
		if code := ta.get(t, "/api/posts/"+minyi.DocumentID("demo-forum", fmt.Sprintf("tid:%d", tid)), &doc); code != http.StatusOK {
			t.Fatalf("thread %d: status %d", tid, code)
		}
		if doc.Analysis == nil || doc.Analysis.Sentiment == "" || doc.Analysis.Topic == "" {
			t.Fatalf("thread %d has no analysis: %+v", tid, doc.Analysis)
		}
		return doc
	}
	byTID := map[int]demosite.Thread{}
	for _, th := range threads {
		byTID[th.TID] = th
	}
	// A repost that carries its original's whole text shares its topic;
	// one that also drops a line may not (see analysis/pipeline).
	whole, grouped := 0, ""
	for _, th := range threads {
		if th.RepostOf == 0 || !strings.Contains(th.Body, byTID[th.RepostOf].Body) {
			continue
		}
		whole++
		repost, orig := threadDoc(th.TID), threadDoc(th.RepostOf)
		// Ingest batches run side by side, so whichever of the two was
		// analysed first names the topic.
		if topic := orig.Analysis.Topic; repost.Analysis.Topic != topic || topic != orig.ID && topic != repost.ID {
			t.Errorf("repost %d in topic %s, original %d (%s) in %s", th.TID, repost.Analysis.Topic, th.RepostOf, orig.ID, orig.Analysis.Topic)
		}
		grouped = orig.Title
	}
	if whole == 0 {
		t.Fatal("the demo site made no repost of a whole thread; the test needs one")
	}
	t.Run("search groups a repost with its original", func(t *testing.T) {
		res := ta.search(t, url.Values{"q": {`"` + grouped + `"`}, "source": {"demo-forum"}, "group_by_topic": {"true"}})
		if len(res.Hits) == 0 || res.Hits[0].TopicSize < 2 {
			t.Errorf("grouped search for %q: %+v", grouped, res.Hits)
		}
	})

	t.Run("search facets count sentiments", func(t *testing.T) {
		res := ta.search(t, url.Values{"q": {"拆迁补偿"}})
		sum := 0
		for _, f := range res.Facets.Sentiments {
			sum += f.Count
		}
		if len(res.Facets.Sentiments) == 0 || sum != int(res.Total) {
			t.Errorf("sentiment facets %+v sum to %d, total %d", res.Facets.Sentiments, sum, res.Total)
		}
		neg := ta.search(t, url.Values{"q": {"拆迁补偿"}, "sentiment": {"负面"}})
		for _, h := range neg.Hits {
			if h.Sentiment != minyi.SentimentNegative {
				t.Errorf("sentiment=负面 returned %s %s", h.ID, h.Sentiment)
			}
		}
	})

	t.Run("analytics count every document once", func(t *testing.T) {
		from, to := start.Format(time.DateOnly), now.Format(time.DateOnly)
		all := ta.search(t, url.Values{"from": {from}, "to": {to}})
		var s core.SentimentSeries
		if code := ta.get(t, "/api/analytics/sentiment?interval=week&from="+from+"&to="+to, &s); code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		sum := 0
		for _, b := range s.Buckets {
			sum += b.Total
		}
		if all.Total == 0 || sum != int(all.Total) || s.Total != int(all.Total) {
			t.Errorf("weekly sentiment buckets sum to %d (total %d); search finds %d", sum, s.Total, all.Total)
		}
		if s.Totals[minyi.SentimentNegative] == 0 {
			t.Errorf("no negative document in the demo city: %v", s.Totals)
		}
		var cats core.CategoryCounts
		if code := ta.get(t, "/api/analytics/categories", &cats); code != http.StatusOK || cats.Uncategorized != cats.Total {
			t.Errorf("categories without a model: %d %+v", code, cats)
		}
	})
}

// testAlerts runs the alert workflow over the last week of the demo data
// and checks it against counts read through the search API: an alert for
// exactly the subscriptions whose negative volume beat their baseline, and
// a case in the subscription's department for each.
func testAlerts(t *testing.T, ta *testApp, now time.Time) {
	rule := minyi.AlertRule{Window: 7 * 24 * time.Hour, BaselineWindows: 3, Factor: 1, MinCount: 1}
	subs := ta.cfg.Alerts.Subscriptions
	end := now.Truncate(24 * time.Hour)
	want := map[string]string{} // alert key → department
	for _, sub := range subs {
		var counts []int
		for i := range rule.BaselineWindows + 1 {
			to := end.Add(-time.Duration(i) * rule.Window)
			res := ta.search(t, url.Values{"q": {sub.Keyword}, "sentiment": {"负面"}, "page_size": {"1"},
				"from": {to.Add(-rule.Window).Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)}})
			counts = append(counts, int(res.Total))
		}
		if _, spike := rule.Spike(counts[0], counts[1:]); spike {
			want[activities.AlertKey("keyword:"+sub.Name, end.Add(-rule.Window))] = sub.Department
		}
		t.Logf("%s: negative per week, newest first: %v", sub.Keyword, counts)
	}
	if len(want) == 0 {
		t.Fatal("no subscription spikes in the demo data; the test needs one")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	in := workflows.AlertInput{Rule: rule, Subscriptions: subs, End: end}
	run, err := ta.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "alerts-test", TaskQueue: workflows.TaskQueue},
		workflows.AlertWorkflow, in)
	if err != nil {
		t.Fatal(err)
	}
	var res workflows.AlertResult
	if err := run.Get(ctx, &res); err != nil {
		t.Fatal(err)
	}
	recordHistory(t, ta.client, "AlertWorkflow", run.GetID(), run.GetRunID())
	var keywordAlerts []string
	for _, k := range res.Alerts {
		if strings.HasPrefix(k, "keyword:") {
			keywordAlerts = append(keywordAlerts, k)
		}
	}
	wantKeys := make([]string, 0, len(want))
	for k := range want {
		wantKeys = append(wantKeys, k)
	}
	slices.Sort(wantKeys)
	slices.Sort(keywordAlerts)
	if !slices.Equal(keywordAlerts, wantKeys) || res.Cases != len(want) {
		t.Fatalf("alerts %v, %d cases; want %v", res.Alerts, res.Cases, wantKeys)
	}
	for key, dept := range want {
		id := minyi.CaseIDFor(minyi.DocumentID(activities.AlertSource, key))
		c := ta.waitCase(t, id)
		if c.Department != dept || c.Routing == nil || c.Routing.Rule == "" || !strings.HasPrefix(c.Routing.Rule, "alert-") {
			t.Errorf("case %s: department %q routing %+v; want %s by its alert rule", id, c.Department, c.Routing, dept)
		}
	}
	// The same window again raises the same keys and opens no second case.
	run2, err := ta.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "alerts-test-again", TaskQueue: workflows.TaskQueue},
		workflows.AlertWorkflow, in)
	if err != nil {
		t.Fatal(err)
	}
	var res2 workflows.AlertResult
	if err := run2.Get(ctx, &res2); err != nil || res2.Cases != 0 || len(res2.Alerts) != len(res.Alerts) {
		t.Errorf("second run: %v, %+v", err, res2)
	}
}

// testSubscriptions watch issues the demo site keeps producing; each opens
// a case for the department that handles it.
func testSubscriptions() []activities.Subscription {
	var subs []activities.Subscription
	for _, s := range [][2]string{{"噪音", "ecology"}, {"电梯", "housing"}, {"拆迁", "expropriation"}, {"工资", "hrss"}, {"停车", "traffic-police"}} {
		subs = append(subs, activities.Subscription{Name: "sub-" + s[1], Keyword: s[0], Department: s[1], OpenCase: true})
	}
	return subs
}

// waitCase waits until the case workflow has recorded its case.
func (ta *testApp) waitCase(t *testing.T, id string) minyi.Case {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var d rest.CaseDetail
		if code := ta.do(t, http.MethodGet, "/api/cases/"+id, supervisor, nil, &d); code == http.StatusOK && d.Case.Status != minyi.CaseRouting {
			return d.Case
		}
		if time.Now().After(deadline) {
			t.Fatalf("case %s not recorded after a minute", id)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
