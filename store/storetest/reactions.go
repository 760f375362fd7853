package storetest

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"minyi"
	events "minyi/analysis/event"
)

// testReactions (every letter negative, one source): readers' 点赞 and 反对 are stored with their document; a
// change of them is a new version of it; an event's row sums them, and hot
// events count those of the period's documents only, so that of two events
// alike in every other way the one readers reacted to ranks first.
func testReactions(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	day := func(d int) time.Time { return t0.Add(time.Duration(d) * 24 * time.Hour) }
	from, to := day(10), day(20)
	doc := func(ev string, i, d, likes, dislikes int) minyi.Document {
		m := message("forum", fmt.Sprintf("%s-%d", ev, i), i)
		m.Published, m.Likes, m.Dislikes = day(d), likes, dislikes
		m.ContentHash = m.Hash()
		return m
	}
	docs := []minyi.Document{
		doc("quiet", 1, 11, 0, 0), doc("quiet", 2, 12, 0, 0),
		// The 900 likes before the period do not heat it.
		doc("liked", 3, 5, 900, 0), doc("liked", 4, 11, 120, 30), doc("liked", 5, 12, 0, 0),
	}
	put(t, s, docs...)
	var results []minyi.DocumentAnalysis
	for i, d := range docs {
		ev := "quiet"
		if i >= 2 {
			ev = "liked"
		}
		results = append(results, inEvent(d.ID, ev))
	}
	putAnalyses(t, s, results...)

	stored, err := s.Document(ctx, docs[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Likes != 120 || stored.Dislikes != 30 {
		t.Fatalf("stored reactions = %d/%d, want 120/30", stored.Likes, stored.Dislikes)
	}
	hot := func() []minyi.HotEvent {
		t.Helper()
		got, err := s.HotEvents(ctx, from, to, 10)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	check := func(h minyi.HotEvent, id string, count, previous, likes, dislikes int) {
		t.Helper()
		heat := events.Heat(events.Period{Count: count, Previous: previous, Negative: count, Likes: likes, Dislikes: dislikes, Sources: 1})
		if h.ID != id || h.InPeriod != count || h.Likes != likes || h.Dislikes != dislikes || math.Abs(h.Heat-heat) > 1e-9 {
			t.Errorf("hot event %s: %d in period, %d likes, %d dislikes, heat %.3f; want %s: %d, %d, %d, %.3f",
				h.ID, h.InPeriod, h.Likes, h.Dislikes, h.Heat, id, count, likes, dislikes, heat)
		}
	}
	got := hot()
	if len(got) != 2 {
		t.Fatalf("hot events %+v, want liked and quiet", got)
	}
	// liked straddles the period's start: counted from its documents.
	check(got[0], "liked", 2, 1, 120, 30)
	check(got[1], "quiet", 2, 0, 0, 0)

	// More likes on a page fetched again: a new version, analysed again.
	more := doc("quiet", 2, 12, 5000, 0)
	if res := put(t, s, more); len(res.Changed) != 1 {
		t.Fatalf("a change of likes only = %+v, want the document changed", res)
	}
	putAnalyses(t, s, inEvent(more.ID, "quiet"))
	got = hot()
	// quiet lies inside the period: read from its row, which sums them.
	check(got[0], "quiet", 2, 0, 5000, 0)
	if ev := storedEvent(t, s, "quiet"); ev == nil || ev.Count != 2 {
		t.Errorf("quiet's row = %+v", ev)
	}

	bad := doc("bad", 9, 11, -1, 0)
	_, err = s.PutDocuments(ctx, []minyi.Document{bad})
	wantCode(t, err, minyi.EINVALID)
	bad = doc("bad", 9, 11, 0, minyi.MaxReactions+1)
	_, err = s.PutDocuments(ctx, []minyi.Document{bad})
	wantCode(t, err, minyi.EINVALID)
}

// testHotEventsRanking: the engine ranks the events inside a period (by
// event.Heat written in SQL) exactly as event.Heat ranks them, ties by id,
// among events of every mix of size, negative share, sources and reactions.
func testHotEventsRanking(t *testing.T, s minyi.Store) {
	from := t0.Add(10 * 24 * time.Hour)
	to := from.Add(10 * 24 * time.Hour)
	rng := rand.New(rand.NewPCG(5, 8))
	var docs []minyi.Document
	var results []minyi.DocumentAnalysis
	want := map[string]float64{}
	for e := range 300 {
		ev := fmt.Sprintf("ev-%02d", e)
		n, negative, sources := 1+rng.IntN(12), 0, 1+rng.IntN(6)
		likes, dislikes := 0, 0
		used := map[string]bool{}
		for i := range n {
			d := message(fmt.Sprintf("src-%d", i%sources), fmt.Sprintf("%s-%02d", ev, i), e*20+i)
			d.Published = from.Add(time.Duration(rng.IntN(9*24)) * time.Hour)
			if rng.IntN(3) == 0 {
				d.Likes, d.Dislikes = rng.IntN(500), rng.IntN(40)
			}
			likes, dislikes, used[d.Source] = likes+d.Likes, dislikes+d.Dislikes, true
			d.ContentHash = d.Hash()
			sentiment := minyi.SentimentNeutral
			if rng.IntN(2) == 0 {
				sentiment = minyi.SentimentNegative
				negative++
			}
			docs = append(docs, d)
			results = append(results, minyi.DocumentAnalysis{ID: d.ID, Analysis: minyi.Analysis{Sentiment: sentiment, Event: ev}})
		}
		want[ev] = events.Heat(events.Period{Count: n, Negative: negative, Sources: len(used), Likes: likes, Dislikes: dislikes})
	}
	put(t, s, docs...)
	putAnalyses(t, s, results...)
	ranked := make([]string, 0, len(want))
	for ev := range want {
		ranked = append(ranked, ev)
	}
	slices.SortFunc(ranked, func(a, b string) int {
		if c := cmp.Compare(want[b], want[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	// A long period ranks from the hottest events of all, a short one
	// from its own; all these events are inside both.
	for _, end := range []time.Time{to, from.Add(40 * 24 * time.Hour)} {
		for _, limit := range []int{1, 5, 20, 300} {
			checkRanking(t, s, from, end, limit, want, ranked)
		}
	}
}

func checkRanking(t *testing.T, s minyi.Store, from, to time.Time, limit int, want map[string]float64, ranked []string) {
	t.Helper()
	got, err := s.HotEvents(context.Background(), from, to, limit)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range got {
		ids = append(ids, h.ID)
		if math.Abs(h.Heat-want[h.ID]) > 1e-9 {
			t.Errorf("%s: heat %.6f, want %.6f", h.ID, h.Heat, want[h.ID])
		}
	}
	if !slices.Equal(ids, ranked[:limit]) {
		t.Errorf("%s to %s: top %d = %v, want %v", from, to, limit, ids, ranked[:limit])
	}
}
