package storetest

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
)

// testHotEventsMix checks what a hot event shows of its period against the
// documents themselves: the counts per China-time day, sentiment (none
// not counted) and source, the period before, and the cases of its
// documents at any time. The events span two months at random seconds, so
// the periods' bounds cut days and events anywhere, and many documents fall
// on the hours that are already the next day in China time.
func testHotEventsMix(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(21, 4))
	sentiments := []minyi.Sentiment{minyi.SentimentNegative, minyi.SentimentNeutral, minyi.SentimentPositive, ""}
	sources := []string{"mailbox", "forum", "hotline"}
	const events, span = 12, 60 * 24 * time.Hour
	var docs []minyi.Document
	var results []minyi.DocumentAnalysis
	var cases []minyi.Case
	event := map[string]string{}     // document → event
	sentiment := map[string]string{} // document → sentiment
	for e := range events {
		ev := fmt.Sprintf("mix-%02d", e)
		for i := range 5 + rng.IntN(40) {
			d := message(sources[rng.IntN(len(sources))], fmt.Sprintf("%s-%02d", ev, i), len(docs))
			d.Published = t0.Add(time.Duration(rng.Int64N(int64(span/time.Second))) * time.Second)
			d.ContentHash = d.Hash()
			docs = append(docs, d)
			sn := sentiments[rng.IntN(len(sentiments))]
			results = append(results, minyi.DocumentAnalysis{ID: d.ID, Analysis: minyi.Analysis{Sentiment: sn, Event: ev}})
			event[d.ID], sentiment[d.ID] = ev, string(sn)
			if rng.IntN(4) == 0 || i == 0 { // every event has a case
				cases = append(cases, minyi.Case{ID: minyi.CaseIDFor(d.ID), DocumentID: d.ID,
					Status: minyi.CaseOpen, Received: d.Published.Add(time.Hour)})
			}
		}
	}
	// Half the cases are opened before their documents have an event,
	// which they then take; the rest after.
	put(t, s, docs...)
	if err := s.PutCases(ctx, cases[:len(cases)/2]); err != nil {
		t.Fatal(err)
	}
	putAnalyses(t, s, results...)
	if err := s.PutCases(ctx, cases[len(cases)/2:]); err != nil {
		t.Fatal(err)
	}

	midnight := time.Date(2024, 3, 20, 0, 0, 0, 0, minyi.ChinaTime)
	for _, p := range []struct{ from, to time.Time }{
		{t0.Add(-time.Hour), t0.Add(span + time.Hour)},                                    // all of it
		{t0.Add(13*24*time.Hour + 77*time.Minute), t0.Add(29*24*time.Hour + 3*time.Hour)}, // cut anywhere
		{midnight, midnight.AddDate(0, 0, 7)},                                             // whole China days
		{midnight.Add(-8 * time.Hour), midnight.Add(16 * time.Hour)},                      // a UTC day
	} {
		got, err := s.HotEvents(ctx, p.from, p.to, events)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]*minyi.HotEvent{}
		var days []string
		y, m, dd := p.from.In(minyi.ChinaTime).Date()
		for day := time.Date(y, m, dd, 0, 0, 0, 0, minyi.ChinaTime); day.Before(p.to); day = day.AddDate(0, 0, 1) {
			days = append(days, day.Format(time.DateOnly))
		}
		counts := map[string]map[string]int{} // event → "day "+day, "sentiment "+…, "source "+… → documents
		previous := p.from.Add(-p.to.Sub(p.from))
		for _, d := range docs {
			ev := event[d.ID]
			if want[ev] == nil {
				want[ev], counts[ev] = &minyi.HotEvent{}, map[string]int{}
			}
			switch at := storedTime(d.Published); {
			case !at.Before(p.from) && at.Before(p.to):
				want[ev].InPeriod++
				if sentiment[d.ID] == string(minyi.SentimentNegative) {
					want[ev].Negative++
				}
				if sentiment[d.ID] != "" {
					counts[ev]["sentiment "+sentiment[d.ID]]++
				}
				counts[ev]["source "+d.Source]++
				counts[ev]["day "+at.In(minyi.ChinaTime).Format(time.DateOnly)]++
			case !at.Before(previous) && at.Before(p.from):
				want[ev].Previous++
			}
		}
		inPeriod := 0
		for ev, w := range want {
			if w.InPeriod > 0 {
				inPeriod++
			}
			w.Sentiments, w.Sources = countsOf(counts[ev], "sentiment "), countsOf(counts[ev], "source ")
			for _, day := range days {
				w.Days = append(w.Days, minyi.FacetCount{Value: day, Count: counts[ev]["day "+day]})
			}
			for _, c := range cases {
				if event[c.DocumentID] == ev {
					w.Cases = append(w.Cases, minyi.EventCase{ID: c.ID, DocumentID: c.DocumentID, Status: c.Status, Received: storedTime(c.Received)})
				}
			}
			slices.SortFunc(w.Cases, func(a, b minyi.EventCase) int {
				if c := b.Received.Compare(a.Received); c != 0 {
					return c
				}
				return cmp.Compare(b.ID, a.ID)
			})
		}
		if len(got) != inPeriod {
			t.Errorf("%s to %s: %d hot events, want the %d with documents in the period", p.from, p.to, len(got), inPeriod)
		}
		for _, h := range got {
			w := want[h.ID]
			if w == nil || h.InPeriod != w.InPeriod || h.Previous != w.Previous || h.Negative != w.Negative {
				t.Errorf("%s to %s: %s has %d in period, %d before, %d negative; want %+v", p.from, p.to, h.ID, h.InPeriod, h.Previous, h.Negative, w)
				continue
			}
			if !slices.Equal(h.Sentiments, w.Sentiments) || !slices.Equal(h.Sources, w.Sources) || !slices.Equal(h.Days, w.Days) {
				t.Errorf("%s to %s: %s has sentiments %v, sources %v, days %v;\nwant %v, %v, %v",
					p.from, p.to, h.ID, h.Sentiments, h.Sources, h.Days, w.Sentiments, w.Sources, w.Days)
			}
			if !slices.EqualFunc(h.Cases, w.Cases, func(a, b minyi.EventCase) bool {
				return a.ID == b.ID && a.DocumentID == b.DocumentID && a.Status == b.Status && a.Received.Equal(b.Received)
			}) {
				t.Errorf("%s to %s: %s has cases %v, want %v", p.from, p.to, h.ID, h.Cases, w.Cases)
			}
		}
	}

	// An event absorbed takes its cases along with its documents.
	absorbing := results[0]
	absorbing.Absorbed = []string{"mix-01"}
	putAnalyses(t, s, absorbing)
	got, err := s.HotEvents(ctx, t0.Add(-time.Hour), t0.Add(span+time.Hour), events)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, c := range cases {
		if e := event[c.DocumentID]; e == "mix-00" || e == "mix-01" {
			want++
		}
	}
	for _, h := range got {
		if h.ID == "mix-01" || (h.ID == "mix-00" && len(h.Cases) != want) {
			t.Errorf("after mix-00 absorbed mix-01: %s has %d cases, want mix-00 with %d", h.ID, len(h.Cases), want)
		}
	}
}

// countsOf lists the counts whose key starts with prefix, most first, ties
// by value, as hot events list sentiments and sources.
func countsOf(counts map[string]int, prefix string) []minyi.FacetCount {
	out := []minyi.FacetCount{}
	for k, n := range counts {
		if v, ok := strings.CutPrefix(k, prefix); ok {
			out = append(out, minyi.FacetCount{Value: v, Count: n})
		}
	}
	slices.SortFunc(out, func(a, b minyi.FacetCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return out
}
