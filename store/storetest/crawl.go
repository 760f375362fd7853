package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"minyi"
)

func testPageStates(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	// A few thousand urls: a whole board's threads looked up at once.
	var states []minyi.PageState
	var urls []string
	for i := range 3000 {
		p := minyi.PageState{
			URL:          fmt.Sprintf("https://bbs.example.cn/forum.php?mod=viewthread&tid=%d&page=1", i),
			ETag:         fmt.Sprintf(`W/"%x-%d"`, i, i*7),
			LastModified: t0.Add(time.Duration(i) * time.Second).UTC().Format(time.RFC1123),
			ContentHash:  fmt.Sprintf("%032x", i),
			Fetched:      t0.Add(time.Duration(i)*time.Second + 300*time.Millisecond),
		}
		if i%10 == 0 {
			p.ETag, p.LastModified = "", "" // servers that send neither
		}
		states = append(states, p)
		urls = append(urls, p.URL)
	}
	states[5].Fetched = time.Time{}
	if err := s.PutPageStates(ctx, states); err != nil {
		t.Fatal(err)
	}
	got, err := s.PageStates(ctx, append(urls, "https://bbs.example.cn/unknown"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(states) {
		t.Fatalf("PageStates returned %d states, want %d", len(got), len(states))
	}
	for _, want := range states {
		checkPageState(t, got[want.URL], want)
	}

	// Upsert: two change, one is new.
	states[1].ETag, states[1].Fetched = `"v2"`, t0.Add(24*time.Hour)
	states[2].ContentHash = "changed"
	fresh := minyi.PageState{URL: "https://www.example.gov.cn/list_2.html", LastModified: "Tue, 05 Mar 2024 01:30:15 GMT", Fetched: t0}
	if err := s.PutPageStates(ctx, []minyi.PageState{states[1], states[2], fresh}); err != nil {
		t.Fatal(err)
	}
	got, err = s.PageStates(ctx, []string{states[0].URL, states[1].URL, states[2].URL, fresh.URL})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("PageStates returned %d states, want 4", len(got))
	}
	for _, want := range []minyi.PageState{states[0], states[1], states[2], fresh} {
		checkPageState(t, got[want.URL], want)
	}

	got, err = s.PageStates(ctx, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("PageStates(nil) = %v, %v; want empty", got, err)
	}
	if err := s.PutPageStates(ctx, nil); err != nil {
		t.Errorf("PutPageStates(nil) = %v", err)
	}
}

func checkPageState(t *testing.T, got, want minyi.PageState) {
	t.Helper()
	wantFetched := storedTime(want.Fetched)
	if got.URL != want.URL || got.ETag != want.ETag || got.LastModified != want.LastModified ||
		got.ContentHash != want.ContentHash || !got.Fetched.Equal(wantFetched) ||
		(!got.Fetched.IsZero() && got.Fetched.Location() != time.UTC) {
		t.Errorf("page state = %+v, want %+v with Fetched %v", got, want, wantFetched)
	}
}

func testCrawlRuns(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	putRun := func(r minyi.CrawlRun) {
		t.Helper()
		if err := s.PutCrawlRun(ctx, r); err != nil {
			t.Fatalf("PutCrawlRun(%s): %v", r.ID, err)
		}
	}
	// Progress is written repeatedly under one id.
	latest := minyi.CrawlRun{ID: "forum-2", Source: "forum", Started: t0.Add(time.Hour), PagesFetched: 3}
	putRun(latest)
	latest.PagesFetched, latest.PagesNotModified, latest.Items, latest.NewItems = 40, 12, 300, 25
	latest.Errors, latest.LastError = 2, "GET https://bbs.example.cn/thread-9.html: 502 Bad Gateway"
	latest.Finished = t0.Add(time.Hour + 90*time.Second + 400*time.Millisecond)
	putRun(latest)
	// Written after the latest run but started before it.
	putRun(minyi.CrawlRun{ID: "forum-1", Source: "forum", Started: t0, Finished: t0.Add(time.Minute), Items: 9})
	putRun(minyi.CrawlRun{ID: "forum-0", Source: "forum", Started: t0.Add(-time.Hour)})
	mailbox := minyi.CrawlRun{ID: "mailbox-1", Source: "mailbox", Started: t0.Add(-48 * time.Hour)}
	putRun(mailbox)

	put(t, s, message("forum", "f1", 1), message("forum", "f2", 2), message("forum", "f3", 3))
	put(t, s, message("direct", "d1", 4), message("direct", "d2", 5))

	// The sources of documents: mailbox has runs but no document.
	if got, err := s.DocumentSources(ctx); err != nil || !slices.Equal(got, []string{"direct", "forum"}) {
		t.Errorf("DocumentSources = %q, %v; want direct and forum", got, err)
	}
	status, err := s.CrawlStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []minyi.SourceStatus{
		{Source: "direct", Documents: 2},
		{Source: "forum", LastRun: &latest, Runs: 3, Documents: 3},
		{Source: "mailbox", LastRun: &mailbox, Runs: 1},
	}
	if len(status) != len(want) {
		t.Fatalf("CrawlStatus = %+v, want %d sources", status, len(want))
	}
	for i, w := range want {
		g := status[i]
		if g.Source != w.Source || g.Runs != w.Runs || g.Documents != w.Documents {
			t.Errorf("status[%d] = %s runs %d documents %d, want %s runs %d documents %d",
				i, g.Source, g.Runs, g.Documents, w.Source, w.Runs, w.Documents)
		}
		switch {
		case (g.LastRun == nil) != (w.LastRun == nil):
			t.Errorf("%s: LastRun = %+v, want %+v", w.Source, g.LastRun, w.LastRun)
		case g.LastRun != nil:
			checkRun(t, *g.LastRun, *w.LastRun)
		}
	}
}

func checkRun(t *testing.T, got, want minyi.CrawlRun) {
	t.Helper()
	wantStarted, wantFinished := storedTime(want.Started), storedTime(want.Finished)
	timesOK := got.Started.Equal(wantStarted) && got.Started.Location() == time.UTC &&
		got.Finished.Equal(wantFinished) && (got.Finished.IsZero() || got.Finished.Location() == time.UTC)
	got.Started, got.Finished, want.Started, want.Finished = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if got != want || !timesOK {
		t.Errorf("run = %+v, want %+v with Started %v Finished %v", got, want, wantStarted, wantFinished)
	}
}

func testCrawlStatusEmpty(t *testing.T, s minyi.Store) {
	status, err := s.CrawlStatus(context.Background())
	if err != nil || len(status) != 0 {
		t.Errorf("CrawlStatus of an empty store = %+v, %v; want nothing", status, err)
	}
	if got, err := s.DocumentSources(context.Background()); err != nil || got == nil || len(got) != 0 {
		t.Errorf("DocumentSources of an empty store = %#v, %v; want an empty list", got, err)
	}
}

func testInvalidCrawlState(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	for _, r := range []minyi.CrawlRun{
		{Source: "s", Started: t0},
		{ID: "r", Started: t0},
		{ID: "r", Source: "s"},
		{ID: "r", Source: "s", Started: t0, Items: -1},
		{ID: "r", Source: "s", Started: t0, LastError: "\x00"},
	} {
		wantCode(t, s.PutCrawlRun(ctx, r), minyi.EINVALID)
	}
	err := s.PutPageStates(ctx, []minyi.PageState{{URL: "https://example.cn/a"}, {ETag: "x"}})
	wantCode(t, err, minyi.EINVALID)
	got, err := s.PageStates(ctx, []string{"https://example.cn/a"})
	if err != nil || len(got) != 0 {
		t.Errorf("rejected page state batch wrote %v, %v", got, err)
	}
	status, err := s.CrawlStatus(ctx)
	if err != nil || len(status) != 0 {
		t.Errorf("rejected runs were written: %+v, %v", status, err)
	}
}
