package pipeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/demosite"
)

// The demo site's reposts that carry their original's whole text (plus an
// intro and maybe an outro line) must land in its topic, and threads that
// are not reposts of each other must not. Reposts that also drop the last
// line lose a third of a short post: simhash is not meant to find those, and
// the test only logs how many it does.
func TestDemoRepostsShareTopics(t *testing.T) {
	site := demosite.New(demosite.Options{Seed: 1, Start: time.Date(2026, 10, 1, 0, 0, 0, 0, minyi.ChinaTime)})
	threads := site.Threads()
	docs := make([]minyi.Document, len(threads))
	for i, th := range threads {
		docs[i] = minyi.Document{ID: fmt.Sprint(th.TID), Title: th.Title, Body: th.Body, Published: th.Published}
	}
	a := newAnalyzer(t, nil, Options{})
	res := a.Analyze(docs)
	topic := map[string]string{}
	for _, r := range res {
		topic[r.ID] = r.Analysis.Topic
	}
	byTID := map[int]demosite.Thread{}
	for _, th := range threads {
		byTID[th.TID] = th
	}
	reposts, whole, found, merged := 0, 0, 0, 0
	for _, th := range threads {
		id := fmt.Sprint(th.TID)
		if th.RepostOf != 0 {
			reposts++
			same := topic[id] == topic[fmt.Sprint(th.RepostOf)]
			if same {
				found++
			}
			if strings.Contains(th.Body, byTID[th.RepostOf].Body) {
				whole++
				if !same {
					t.Errorf("repost %d (%q) in topic %s, original %d in %s", th.TID, th.Title, topic[id], th.RepostOf, topic[fmt.Sprint(th.RepostOf)])
				}
			}
		} else if topic[id] != id {
			merged++
			t.Logf("thread %d (%q) joined topic %s", th.TID, th.Title, topic[id])
		}
	}
	if reposts == 0 {
		t.Fatal("demo site made no reposts")
	}
	if whole == 0 {
		t.Fatal("no demo repost carries its original's whole text")
	}
	if merged > 0 {
		t.Errorf("%d of %d threads that are no reposts joined another topic", merged, len(threads)-reposts)
	}
	t.Logf("%d of %d reposts found (%d carry the whole original)", found, reposts, whole)
}
