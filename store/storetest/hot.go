package storetest

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"minyi"
	events "minyi/analysis/event"
)

// testHotEvents ranks the events of a ten-day period by heat: one rising
// across two sources with negative letters, one steady, one with a single
// letter; an event only in the period before or only after is not listed.
func testHotEvents(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	day := func(d int, hour int) time.Time {
		return t0.Add(time.Duration(d)*24*time.Hour + time.Duration(hour)*time.Hour)
	}
	from, to := day(10, 0), day(20, 0)
	type letter struct {
		ev, source string
		at         time.Time
		sentiment  minyi.Sentiment
	}
	neg, neu := minyi.SentimentNegative, minyi.SentimentNeutral
	letters := []letter{
		{"rise", "mailbox", day(5, 1), neu},
		{"rise", "mailbox", day(11, 1), neg}, {"rise", "forum", day(11, 2), neg},
		{"rise", "forum", day(12, 1), neu}, {"rise", "mailbox", day(19, 23), ""},
		{"steady", "mailbox", day(1, 0), neu}, {"steady", "mailbox", day(3, 0), neu},
		{"steady", "mailbox", day(6, 0), neu}, {"steady", "mailbox", day(9, 0), neu},
		{"steady", "mailbox", day(13, 0), neu}, {"steady", "mailbox", day(14, 0), neu},
		{"steady", "mailbox", day(15, 0), neu}, {"steady", "mailbox", day(16, 0), neg},
		{"single", "forum", day(10, 0), neu},
		{"old", "mailbox", day(2, 0), neg}, {"old", "mailbox", day(4, 0), neg},
		{"later", "mailbox", day(20, 0), neg},
	}
	var docs []minyi.Document
	var results []minyi.DocumentAnalysis
	for i, l := range letters {
		d := message(l.source, fmt.Sprintf("%s-%02d", l.ev, i), i)
		d.Published = l.at
		docs = append(docs, d)
		r := minyi.DocumentAnalysis{ID: d.ID, Analysis: minyi.Analysis{Sentiment: l.sentiment, Event: l.ev}}
		r.Label = &minyi.EventLabel{Title: l.ev + "的标题", Sites: []string{l.ev + "小区"}, Crowds: []string{"业主"}}
		results = append(results, r)
	}
	put(t, s, docs...)
	putAnalyses(t, s, results...)
	// A case for a letter of the rising event, and one for another event.
	rising := minyi.Case{ID: minyi.CaseIDFor(docs[2].ID), DocumentID: docs[2].ID, Status: minyi.CaseOpen, Received: day(11, 3)}
	other := minyi.Case{ID: minyi.CaseIDFor(docs[14].ID), DocumentID: docs[14].ID, Status: minyi.CaseClosed, Received: day(2, 1)}
	putCase(t, s, rising, other)

	got, err := s.HotEvents(ctx, from, to, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id                        string
		count, previous, negative int
		sources                   int
		sentiments, sourceCounts  []minyi.FacetCount
		first, last               time.Time
		total                     int
	}{
		{"rise", 4, 1, 2, 2, []minyi.FacetCount{{Value: "负面", Count: 2}, {Value: "中性", Count: 1}},
			[]minyi.FacetCount{{Value: "forum", Count: 2}, {Value: "mailbox", Count: 2}}, day(5, 1), day(19, 23), 5},
		{"steady", 4, 4, 1, 1, []minyi.FacetCount{{Value: "中性", Count: 3}, {Value: "负面", Count: 1}},
			[]minyi.FacetCount{{Value: "mailbox", Count: 4}}, day(1, 0), day(16, 0), 8},
		{"single", 1, 0, 0, 1, []minyi.FacetCount{{Value: "中性", Count: 1}},
			[]minyi.FacetCount{{Value: "forum", Count: 1}}, day(10, 0), day(10, 0), 1},
	}
	var ids []string
	for _, h := range got {
		ids = append(ids, h.ID)
	}
	if len(got) != len(want) {
		t.Fatalf("hot events %q, want rise, steady, single", ids)
	}
	for i, w := range want {
		h := got[i]
		heat := events.Heat(events.Period{Count: w.count, Previous: w.previous, Negative: w.negative, Sources: w.sources})
		if h.ID != w.id || h.InPeriod != w.count || h.Previous != w.previous || h.Negative != w.negative || math.Abs(h.Heat-heat) > 1e-9 {
			t.Errorf("hot event %d = %s: %d in period, %d before, %d negative, heat %.3f; want %s: %d, %d, %d, %.3f",
				i, h.ID, h.InPeriod, h.Previous, h.Negative, h.Heat, w.id, w.count, w.previous, w.negative, heat)
		}
		if h.Title != w.id+"的标题" || !slices.Equal(h.Sites, []string{w.id + "小区"}) || !slices.Equal(h.Crowds, []string{"业主"}) ||
			!h.First.Equal(storedTime(w.first)) || !h.Last.Equal(storedTime(w.last)) || h.Count != w.total {
			t.Errorf("hot event %s row = %+v", w.id, h.Event)
		}
		if !slices.Equal(h.Sentiments, w.sentiments) || !slices.Equal(h.Sources, w.sourceCounts) {
			t.Errorf("hot event %s: sentiments %v sources %v; want %v %v", w.id, h.Sentiments, h.Sources, w.sentiments, w.sourceCounts)
		}
		// One point per China-time day the period touches, adding up.
		sum := 0
		for _, d := range h.Days {
			sum += d.Count
		}
		if len(h.Days) != 11 || sum != w.count {
			t.Errorf("hot event %s: %d days adding up to %d; want 11 adding up to %d: %v", w.id, len(h.Days), sum, w.count, h.Days)
		}
	}
	if h := got[0]; len(h.Cases) != 1 || h.Cases[0].ID != rising.ID || h.Cases[0].Status != minyi.CaseOpen ||
		h.Cases[0].DocumentID != docs[2].ID || !h.Cases[0].Received.Equal(storedTime(rising.Received)) {
		t.Errorf("cases of rise = %+v, want %s open", h.Cases, rising.ID)
	}
	if len(got[1].Cases) != 0 {
		t.Errorf("steady has cases %+v", got[1].Cases)
	}
	// The rising event's 11th-day letters, China time.
	if d := got[0].Days; d[1].Value != day(11, 0).In(minyi.ChinaTime).Format(time.DateOnly) || d[1].Count != 2 {
		t.Errorf("rise's second day = %+v", d[1])
	}

	if top, err := s.HotEvents(ctx, from, to, 1); err != nil || len(top) != 1 || top[0].ID != "rise" {
		t.Errorf("top 1 = %v, %v", top, err)
	}
	if none, err := s.HotEvents(ctx, day(30, 0), day(31, 0), 5); err != nil || none == nil || len(none) != 0 {
		t.Errorf("an empty period = %v, %v; want an empty list", none, err)
	}
	_, err = s.HotEvents(ctx, to, from, 5)
	wantCode(t, err, minyi.EINVALID)
}
