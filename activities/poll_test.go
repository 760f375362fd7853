package activities

import (
	"sync"
	"testing"
	"time"

	"minyi"
)

type observed struct {
	mu     sync.Mutex
	delays map[string][]time.Duration
}

func (o *observed) Observe(source string, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.delays[source] = append(o.delays[source], d)
}

// Indexing tells the freshness observer how long each crawled document
// took from its newest publication (its last reply here) to searchable;
// documents of no crawled source, or published before the worker started,
// are not freshness.
func TestIndexVersionsObservesFreshness(t *testing.T) {
	f := newFixture(t)
	obs := &observed{delays: map[string][]time.Duration{}}
	now := time.Now()
	f.acts.Freshness = obs
	f.acts.Started = now.Add(-time.Hour)
	f.acts.Sources = map[string]minyi.Source{"city-forum": {Name: "city-forum"}}

	thread := f.put(t, minyi.Document{Source: "city-forum", Kind: minyi.KindPost, ExternalID: "tid:1", Title: "路灯不亮",
		Body: "江北区人民路路灯坏了", Published: now.Add(-10 * time.Minute), Fetched: now,
		Comments: []minyi.Comment{{Body: "同样", Published: now.Add(-20 * time.Second)}}})
	old := f.put(t, minyi.Document{Source: "city-forum", Kind: minyi.KindPost, ExternalID: "tid:2", Title: "旧帖",
		Body: "去年的帖子", Published: now.Add(-48 * time.Hour), Fetched: now})
	intake := f.letter(t, "L1", "停车难", "没有车位", now.Add(-5*time.Second))

	var res IndexResult
	f.must(t, &res, f.acts.IndexVersions, []string{thread.ID, old.ID, intake.ID})
	if res.Indexed != 3 {
		t.Fatalf("indexed %d", res.Indexed)
	}
	got := obs.delays["city-forum"]
	if len(got) != 1 || got[0] < 20*time.Second || got[0] > time.Minute {
		t.Errorf("city-forum delays %v, want one of about 20 s (from the newest reply)", got)
	}
	if d := obs.delays["mayor-mailbox"]; len(d) != 0 {
		t.Errorf("a source that is not crawled was observed: %v", d)
	}
}
