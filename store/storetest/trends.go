package storetest

import (
	"context"
	"testing"
	"time"

	"minyi"
)

// testTopicTrends checks every number of TopicTrends on a hand-built set. The
// window is one day from w; the previous window is the day before.
func testTopicTrends(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	w := time.Date(2026, 6, 10, 0, 0, 0, 0, minyi.ChinaTime)
	h := func(n int) time.Time { return w.Add(time.Duration(n) * time.Hour) }
	neg, neu, pos := minyi.SentimentNegative, minyi.SentimentNeutral, minyi.SentimentPositive

	type row struct {
		id, topic string
		published time.Time
		sentiment minyi.Sentiment
	}
	rows := []row{
		// tA: its head document "tA" is not its earliest (a0 was grouped in
		// later); the window holds a2 (at exactly from), a3, a4; the previous
		// window a1 (at exactly its start).
		{"a0", "tA", h(-40), neu},
		{"tA", "tA", h(-30), neg},
		{"a1", "tA", h(-24), neg},
		{"a2", "tA", h(0), neg},
		{"a3", "tA", h(2), neu},
		{"a4", "tA", h(3), neg},
		// tB has no head document: the earliest one heads it.
		{"b3", "tB", h(-5), pos},
		{"b1", "tB", h(5), pos},
		{"b2", "tB", h(6), neg},
		// tC and tE tie with tA on growth and with each other on count.
		{"tC", "tC", h(1), neg},
		{"e1", "tE", h(7), neu},
		{"e0", "tE", h(24), neg}, // at exactly to: outside the window
		// tF has documents in the previous window only.
		{"f1", "tF", h(-3), neg},
		// In the window but in no topic.
		{"solo", "", h(4), neg},
	}
	var docs []minyi.Document
	var results []minyi.DocumentAnalysis
	for i, r := range rows {
		d := message("forum", r.id, i)
		d.Title = "标题-" + r.id
		d.Published = r.published
		d.ContentHash = d.Hash()
		docs = append(docs, d)
		results = append(results, minyi.DocumentAnalysis{ID: r.id, Analysis: minyi.Analysis{
			Sentiment: r.sentiment, Topic: r.topic, Simhash: uint64(i + 1)}})
	}
	unanalysed := message("forum", "never-analysed", 99)
	unanalysed.Published = h(1)
	unanalysed.ContentHash = unanalysed.Hash()
	put(t, s, append(docs, unanalysed)...)
	putAnalyses(t, s, results...)

	want := []minyi.TopicTrend{
		{Topic: "tA", Title: "标题-tA", FirstSeen: h(-30), Count: 3, Previous: 1, Negative: 2, Total: 6, Growth: 2},
		{Topic: "tC", Title: "标题-tC", FirstSeen: h(1), Count: 1, Previous: 0, Negative: 1, Total: 1, Growth: 2},
		{Topic: "tE", Title: "标题-e1", FirstSeen: h(7), Count: 1, Previous: 0, Negative: 0, Total: 2, Growth: 2},
		{Topic: "tB", Title: "标题-b3", FirstSeen: h(-5), Count: 2, Previous: 1, Negative: 1, Total: 3, Growth: 1.5},
	}
	checkTrends(t, "TopicTrends", trends(t, s, w, h(24), 10), want)
	checkTrends(t, "TopicTrends limit 2", trends(t, s, w, h(24), 2), want[:2])
	// Sub-second bounds are the exact instants: a2 (at w) falls out, and the
	// previous window shifts with from.
	checkTrends(t, "TopicTrends from w+0.5s", trends(t, s, w.Add(500*time.Millisecond), h(24), 1),
		[]minyi.TopicTrend{{Topic: "tC", Title: "标题-tC", FirstSeen: h(1), Count: 1, Previous: 0, Negative: 1, Total: 1, Growth: 2}})
	if got := trends(t, s, h(100), h(200), 10); len(got) != 0 {
		t.Errorf("TopicTrends of an empty window = %+v", got)
	}

	for name, args := range map[string]struct {
		from, to time.Time
		limit    int
	}{
		"zero from":      {time.Time{}, w, 10},
		"to before from": {w, h(-1), 10},
		"empty window":   {w, w, 10},
		"zero limit":     {w, h(24), 0},
	} {
		_, err := s.TopicTrends(ctx, args.from, args.to, args.limit)
		if minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%s: error %v, want code %s", name, err, minyi.EINVALID)
		}
	}
}

func trends(t *testing.T, s minyi.Store, from, to time.Time, limit int) []minyi.TopicTrend {
	t.Helper()
	got, err := s.TopicTrends(context.Background(), from, to, limit)
	if err != nil {
		t.Fatalf("TopicTrends(%v, %v, %d): %v", from, to, limit, err)
	}
	return got
}

func checkTrends(t *testing.T, what string, got, want []minyi.TopicTrend) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d topics %+v, want %d %+v", what, len(got), got, len(want), want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if !g.FirstSeen.Equal(w.FirstSeen) || g.FirstSeen.Location() != time.UTC {
			t.Errorf("%s[%d] (%s): FirstSeen %v, want %v in UTC", what, i, g.Topic, g.FirstSeen, w.FirstSeen)
		}
		g.FirstSeen, w.FirstSeen = time.Time{}, time.Time{}
		if g != w {
			t.Errorf("%s[%d] = %+v, want %+v", what, i, g, w)
		}
	}
}
