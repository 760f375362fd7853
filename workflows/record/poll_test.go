package record

import (
	"net/http/httptest"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"

	"minyi"
	"minyi/crawler"
	"minyi/demosite"
	"minyi/workflows"
)

// poll watches the demo forum's list pages: the first poll is a baseline,
// a new thread makes a later one see a change and crawl the forum in a
// child CrawlWorkflow, and the history is saved once the polling waits
// again after that crawl.
func (r *recorder) poll(t *testing.T) {
	site := demosite.New(demosite.Options{Seed: 11, Threads: 5, Letters: -1})
	srv := httptest.NewServer(site.Handler())
	t.Cleanup(srv.Close)
	src := demosite.ForumSource(srv.URL)
	src.RateLimit = 200
	src = src.WithDefaults()
	c := crawler.New(crawler.Options{})
	r.acts.Crawler, r.acts.Poller = c, c
	r.acts.Sources = map[string]minyi.Source{src.Name: src}

	id := workflows.PollWorkflowPrefix + src.Name
	r.start(t, id, workflows.PollWorkflow, workflows.PollInput{Source: src.Name, Every: src.PollInterval, Interval: time.Hour})
	r.waitTimer(t, id)
	site.Grow(1, 0)
	ctx := timeout(t)
	for {
		var crawled bool
		var last enums.EventType
		it := r.c.GetWorkflowHistory(ctx, id, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			last = ev.GetEventType()
			crawled = crawled || last == enums.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED
		}
		if crawled && last == enums.EVENT_TYPE_TIMER_STARTED {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s never crawled after the new thread: %v", id, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
	r.save(t, "PollWorkflow.json", id, "")
	if err := r.c.TerminateWorkflow(ctx, id, "", "recorded"); err != nil {
		t.Fatal(err)
	}
}
