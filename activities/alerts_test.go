package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"minyi"
)

func TestAlertKeyIsTheWindow(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, minyi.ChinaTime)
	k := AlertKey("keyword:noise", start)
	if k != AlertKey("keyword:noise", start.UTC()) || k != "keyword:noise@2026-11-23T01:00Z" {
		t.Errorf("key %q depends on the zone or is not the window", k)
	}
	if k == AlertKey("keyword:noise", start.Add(time.Hour)) || k == AlertKey("keyword:traffic", start) {
		t.Error("different windows or subscriptions share a key")
	}
}

// negativeIndex answers counts of negative documents per window from a list
// of publication times per keyword or topic.
// anIndex is embedded under its own name: a field named Index would hide
// the interface's Index method.
type anIndex = minyi.Index

type negativeIndex struct {
	anIndex // only Search is called
	times   map[string][]time.Time
	queries []minyi.SearchQuery
}

func (x *negativeIndex) Search(_ context.Context, q minyi.SearchQuery) (*minyi.SearchResult, error) {
	x.queries = append(x.queries, q)
	if q.Sentiment != minyi.SentimentNegative || q.PageSize != 1 {
		return &minyi.SearchResult{}, nil
	}
	n := 0
	for _, at := range x.times[q.Text+q.Topic] {
		if !at.Before(q.From) && at.Before(q.To) {
			n++
		}
	}
	return &minyi.SearchResult{Total: uint64(n)}, nil
}

type trendStore struct {
	minyi.Store
	trends []minyi.TopicTrend
}

func (s trendStore) TopicTrends(context.Context, time.Time, time.Time, int) ([]minyi.TopicTrend, error) {
	return s.trends, nil
}

func TestCheckAlerts(t *testing.T) {
	end := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	every := func(from time.Time, n int, step time.Duration) []time.Time {
		var out []time.Time
		for i := range n {
			out = append(out, from.Add(time.Duration(i)*step))
		}
		return out
	}
	idx := &negativeIndex{times: map[string][]time.Time{
		// one an hour for a day, then 12 in the last hour
		"噪音": append(every(end.Add(-25*time.Hour), 24, time.Hour), every(end.Add(-time.Hour), 12, time.Minute)...),
		// steady: 3 an hour all along
		"拥堵": every(end.Add(-25*time.Hour), 75, 20*time.Minute),
		"t1": every(end.Add(-30*time.Minute), 6, time.Minute),
	}}
	acts := &Activities{Index: idx, Store: trendStore{trends: []minyi.TopicTrend{
		{Topic: "t0", Title: "少量负面", Count: 9, Negative: 1, Total: 9},
		{Topic: "t1", Title: "电梯又坏了", Count: 6, Negative: 6, Total: 7, FirstSeen: end.Add(-2 * time.Hour)},
	}}}
	check := AlertCheck{Rule: minyi.DefaultAlertRule, End: end, Subscriptions: []Subscription{
		{Name: "noise", Keyword: "噪音", Department: "env", OpenCase: true},
		{Name: "traffic", Keyword: "拥堵", Department: "traffic"},
	}}
	alerts, err := acts.CheckAlerts(context.Background(), check)
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 2 {
		t.Fatalf("alerts %+v; want noise and topic t1", alerts)
	}
	noise, topic := alerts[0], alerts[1]
	if noise.Subscription != "noise" || noise.Count != 12 || noise.Baseline != 1 || !noise.OpenCase || noise.Department != "env" {
		t.Errorf("noise alert %+v", noise)
	}
	if want := "负面 12 in the last hour vs mean 1.0 over the previous 24 hours"; !strings.Contains(noise.Text, want) {
		t.Errorf("alert text %q does not explain the baseline as %q", noise.Text, want)
	}
	if noise.Key != AlertKey("keyword:noise", end.Add(-time.Hour)) {
		t.Errorf("key %q", noise.Key)
	}
	if topic.Topic != "t1" || topic.Count != 6 || topic.Baseline != 0 || topic.OpenCase {
		t.Errorf("topic alert %+v", topic)
	}
	// every subscription counts the window and 24 before it, each a search of one hour
	for _, q := range idx.queries {
		if q.To.Sub(q.From) != time.Hour || q.To.After(end) || q.To.Before(end.Add(-24*time.Hour)) {
			t.Errorf("query window %s..%s", q.From, q.To)
		}
	}
	// again: same keys, so the workflow opens no second case
	again, err := acts.CheckAlerts(context.Background(), check)
	if err != nil || again[0].Key != noise.Key || again[1].Key != topic.Key {
		t.Errorf("second check: %v %+v", err, again)
	}
}

type docStore struct {
	minyi.Store
	docs map[string]minyi.Document
}

func (s *docStore) PutDocuments(_ context.Context, docs []minyi.Document) (minyi.PutResult, error) {
	var res minyi.PutResult
	for _, d := range docs {
		if err := d.Validate(); err != nil {
			return res, err
		}
		if old, ok := s.docs[d.ID]; ok && old.ContentHash == d.ContentHash {
			res.Unchanged++
			continue
		}
		s.docs[d.ID] = d
		res.Changed = append(res.Changed, d.ID)
	}
	return res, nil
}

func TestAlertDocumentIsIdempotent(t *testing.T) {
	st := &docStore{docs: map[string]minyi.Document{}}
	acts := &Activities{Store: st}
	end := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	al := Alert{Key: AlertKey("keyword:noise", end.Add(-time.Hour)), Keyword: "噪音", Start: end.Add(-time.Hour), End: end,
		Title: "舆情预警：“噪音”负面信息激增", Text: "负面 12 in the last hour vs mean 1.0"}
	id1, err := acts.AlertDocument(context.Background(), al)
	if err != nil {
		t.Fatal(err)
	}
	id2, err := acts.AlertDocument(context.Background(), al)
	if err != nil || id1 != id2 || len(st.docs) != 1 {
		t.Fatalf("second store: %v, ids %s %s, %d documents", err, id1, id2, len(st.docs))
	}
	d := st.docs[id1]
	if d.Source != AlertSource || d.ExternalID != al.Key || d.Kind != minyi.KindMessage || !strings.Contains(d.Title, "噪音") {
		t.Errorf("alert document %+v", d)
	}
}

// The alert activities over a real bleve index and SQLite store: a burst of
// negative posts against a quiet baseline raises the subscription's alert,
// and its message is stored once however often it is asked for.
func TestAlertActivitiesOnRealBackends(t *testing.T) {
	f := newFixture(t)
	end := monday.Truncate(time.Hour)
	var burst []minyi.Document
	for i := range 4 {
		d := minyi.Document{Source: "city-forum", Kind: minyi.KindPost, ExternalID: fmt.Sprintf("burst-%d", i),
			Title: "夜里噪音吵得睡不着", Body: fmt.Sprintf("第%d晚了，工地噪音一直不停。", i+1),
			Published: end.Add(-time.Duration(10*(i+1)) * time.Minute), Fetched: end,
			Analysis: &minyi.Analysis{Sentiment: minyi.SentimentNegative}}
		d.ID, d.ContentHash = minyi.DocumentID(d.Source, d.ExternalID), d.Hash()
		burst = append(burst, d)
	}
	if err := f.index.Index(context.Background(), burst); err != nil {
		t.Fatal(err)
	}
	check := AlertCheck{Rule: minyi.AlertRule{Window: time.Hour, BaselineWindows: 3, Factor: 2, MinCount: 3}, End: end,
		Subscriptions: []Subscription{{Name: "noise", Keyword: "噪音", Department: "ecology", OpenCase: true}, {Name: "traffic", Keyword: "拥堵"}}}
	var alerts []Alert
	f.must(t, &alerts, f.acts.CheckAlerts, check)
	if len(alerts) != 1 || alerts[0].Subscription != "noise" || alerts[0].Count != 4 || alerts[0].Baseline != 0 {
		t.Fatalf("alerts %+v, want noise's 4 against a baseline of 0", alerts)
	}
	var id, again string
	f.must(t, &id, f.acts.AlertDocument, alerts[0])
	f.must(t, &again, f.acts.AlertDocument, alerts[0])
	d, err := f.store.Document(context.Background(), id)
	if err != nil || id != again || d.Source != AlertSource || !strings.Contains(d.Body, SubscriptionMarker("noise")) {
		t.Fatalf("alert document %s/%s: %+v, %v", id, again, d, err)
	}
	if n, _ := f.store.CountDocuments(context.Background()); n != 1 {
		t.Errorf("%d documents stored, want the one alert", n)
	}

	invalid := check
	invalid.Rule.Factor = 0.5
	err = f.run(t, nil, f.acts.CheckAlerts, invalid)
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != minyi.EINVALID || !app.NonRetryable() {
		t.Errorf("invalid rule: %v, want a non-retryable invalid", err)
	}
}
