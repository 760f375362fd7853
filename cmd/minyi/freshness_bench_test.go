package main

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"

	"minyi"
	"minyi/demosite"
	"minyi/workflows"
)

// BenchmarkFreshness measures how long a thread that appears on the demo
// forum takes to become searchable with the one-minute crawl schedule,
// without list polling (schedule) and with the list polled every 5 s
// (poll-5s; also with the default 10-minute schedule), and how much of that is waiting for a crawl to start
// (appearance to the start of the crawl that brought it, scheduled or
// started by a poll) rather than work (that crawl's start to searchable).
// Threads appear every 20 s for 5 minutes, so they fall at every phase of
// the schedule. What the site served is reported per minute: full pages
// and 304s, the load each strategy puts on it.
func BenchmarkFreshness(b *testing.B) {
	for _, c := range []struct {
		name           string
		schedule, poll time.Duration
	}{
		{"schedule", time.Minute, 0},
		{"poll-5s", time.Minute, 5 * time.Second},
		// Polled, the schedule is only the safety net and can be the
		// default 10 minutes: what the site serves then is mostly the
		// crawls of what changed.
		{"poll-5s-schedule-10m", 10 * time.Minute, 5 * time.Second},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				measureFreshness(b, c.schedule, c.poll)
			}
		})
	}
}

func measureFreshness(b *testing.B, schedule, poll time.Duration) {
	const every, span = 20 * time.Second, 5 * time.Minute
	ta := startTestApp(b, demosite.Options{Seed: 3}, func(s *minyi.Source) { s.Interval = schedule; s.PollInterval = poll })
	ctx := context.Background()
	ta.crawl(b, "demo-forum", false)

	type post struct {
		id, title  string
		appeared   time.Time
		searchable time.Time
	}
	var posts []*post
	first := time.Now()
	full0, nm0 := ta.hits.full.Load(), ta.hits.notModified.Load()
	next := first
	for deadline := first.Add(span + 3*time.Minute); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		if time.Now().After(next) && time.Since(first) < span {
			ta.site.Grow(1, 0)
			threads := ta.site.Threads()
			t := threads[len(threads)-1]
			posts = append(posts, &post{id: minyi.DocumentID("demo-forum", "tid:"+strconv.Itoa(t.TID)), title: t.Title, appeared: time.Now()})
			next = next.Add(every)
		}
		waiting := 0
		for _, p := range posts {
			if !p.searchable.IsZero() {
				continue
			}
			res, err := ta.index.Search(ctx, minyi.SearchQuery{Text: `"` + p.title + `"`, Source: "demo-forum", PageSize: 50})
			if err == nil && slices.ContainsFunc(res.Hits, func(h minyi.SearchHit) bool { return h.ID == p.id }) {
				p.searchable = time.Now()
			} else {
				waiting++
			}
		}
		if waiting == 0 && time.Since(first) >= span {
			break
		}
	}
	minutes := time.Since(first).Minutes()
	full, notModified := ta.hits.full.Load()-full0, ta.hits.notModified.Load()-nm0
	starts := crawlStarts(b, ta, "demo-forum")
	var total, wait []time.Duration
	for _, p := range posts {
		if p.searchable.IsZero() {
			b.Fatalf("thread %s (%s) not searchable 3 minutes after the last appeared", p.id, p.title)
		}
		// The crawl that brought it is the last one started before it
		// was searchable; one already running when it appeared may
		// have found it, with no wait.
		crawl := p.appeared
		for _, s := range starts {
			if s.Before(p.searchable) && s.After(crawl) {
				crawl = s
			}
		}
		total = append(total, p.searchable.Sub(p.appeared))
		wait = append(wait, crawl.Sub(p.appeared))
	}
	slices.Sort(total)
	var waited, all time.Duration
	for i := range total {
		all += total[i]
		waited += wait[i]
	}
	b.ReportMetric(total[len(total)/2].Seconds(), "p50-s")
	b.ReportMetric(total[len(total)*99/100].Seconds(), "p99-s")
	b.ReportMetric(float64(waited)/float64(all), "share-waiting-for-crawl")
	b.ReportMetric(float64(len(total)), "threads")
	b.ReportMetric(float64(full)/minutes, "site-pages/min")
	b.ReportMetric(float64(notModified)/minutes, "site-304s/min")
	if fr := ta.freshness.Freshness("demo-forum"); fr.Samples > 0 {
		b.ReportMetric(fr.P50.Seconds(), "page-fresh-p50-s")
	}
}

// crawlStarts lists when the crawls of source started: those of its
// schedule (its recent actions) and those its polling workflow started
// after a change.
func crawlStarts(b *testing.B, ta *testApp, source string) []time.Time {
	ctx := context.Background()
	desc, err := ta.client.ScheduleClient().GetHandle(ctx, schedulePrefix+source).Describe(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var starts []time.Time
	for _, a := range desc.Info.RecentActions {
		starts = append(starts, a.ActualTime)
	}
	it := ta.client.GetWorkflowHistory(ctx, workflows.PollWorkflowPrefix+source, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			break // not polled: no such workflow
		}
		if ev.GetEventType() == enums.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED {
			starts = append(starts, ev.GetEventTime().AsTime())
		}
	}
	return starts
}
