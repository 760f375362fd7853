package main

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"minyi"
	"minyi/demosite"
)

// BenchmarkFreshness measures how long a thread that appears on the demo
// forum takes to become searchable with the default one-minute crawl
// interval, and how much of that is waiting for the schedule (appearance to
// the start of the crawl that brought it) rather than work (that crawl's
// start to searchable). Threads appear every 20 s for 5 minutes, so they
// fall at every phase of the schedule.
func BenchmarkFreshness(b *testing.B) {
	const every, span = 20 * time.Second, 5 * time.Minute
	for b.Loop() {
		ta := startTestApp(b, demosite.Options{Seed: 3}, func(s *minyi.Source) { s.Interval = time.Minute })
		ctx := context.Background()
		ta.crawl(b, "demo-forum", false)

		type post struct {
			id, title  string
			appeared   time.Time
			searchable time.Time
		}
		var posts []*post
		first := time.Now()
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
		desc, err := ta.client.ScheduleClient().GetHandle(ctx, schedulePrefix+"demo-forum").Describe(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var starts []time.Time
		for _, a := range desc.Info.RecentActions {
			starts = append(starts, a.ActualTime)
		}
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
		b.ReportMetric(float64(waited)/float64(all), "share-waiting-for-schedule")
		b.ReportMetric(float64(len(total)), "threads")
	}
}
