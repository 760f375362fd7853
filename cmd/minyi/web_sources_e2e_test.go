package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minyi"
	"minyi/demosite"
)

// TestWebSourcesFreshness: with the demo's list pages polled every 5 s, a
// thread and a letter posted on the site are crawled without waiting for
// the hourly schedule, and the sources page shows each source's measured
// freshness and its polling, at 1366 px and on a 390 px phone.
func TestWebSourcesFreshness(t *testing.T) {
	ta := startTestApp(t, demosite.Options{Seed: 2, Threads: 3, Letters: 3}, func(s *minyi.Source) { s.PollInterval = 5 * time.Second })
	ta.crawl(t, "demo-forum", false)
	ta.crawl(t, "demo-mailbox", false)
	// A poller takes its first look at a list as the baseline to compare
	// the next with; posting before both have looked would go unseen until
	// the schedule. A 304 on a list page says its poller has looked.
	for wait := time.Now().Add(time.Minute); ta.hits.unchangedAt("/forum.php") == 0 || ta.hits.unchangedAt("/mailbox/list") == 0; {
		if time.Now().After(wait) {
			t.Fatalf("the list pages were not polled within a minute: %d and %d 304s",
				ta.hits.unchangedAt("/forum.php"), ta.hits.unchangedAt("/mailbox/list"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	ta.site.Grow(1, 1)
	deadline := time.Now().Add(2 * time.Minute)
	for ta.freshness.Freshness("demo-forum").Samples == 0 || ta.freshness.Freshness("demo-mailbox").Samples == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no freshness measured 2 minutes after new posts: forum %+v, mailbox %+v",
				ta.freshness.Freshness("demo-forum"), ta.freshness.Freshness("demo-mailbox"))
		}
		time.Sleep(250 * time.Millisecond)
	}

	b := newBrowser(t, ta.apiURL)
	ta.demoLogin(b, "admin")
	b.run(chromedp.EmulateViewport(1366, 900))
	b.visit("/admin/sources")
	b.shot("sources-1366")
	table := b.text("table")
	for _, w := range []string{"中位", "P90", "每 5 秒检查一次列表页"} {
		if !strings.Contains(table, w) {
			t.Errorf("sources page lacks %q: %s", w, table)
		}
	}
	b.run(chromedp.EmulateViewport(390, 844))
	b.visit("/admin/sources")
	b.shot("sources-390")
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 395 {
		t.Errorf("on a 390px phone the sources page is %dpx wide", w)
	}
}
