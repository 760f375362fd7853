package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/analysis"
	"minyi/demosite"
	"minyi/search/bleve"
	"minyi/workflows"
)

// Size of the demo city the ingest benchmark crawls.
const (
	benchThreads = 400
	benchLetters = 200
)

// BenchmarkIngest measures how fast demo posts go from the start of a crawl
// to searchable through the whole app (crawl over HTTP, GBK decoding, store,
// Temporal ingest workflows, bleve), and compares it with indexing the very
// same documents straight into a fresh on-disk bleve index. The ratio tells
// how much the pipeline costs on top of the index itself.
func BenchmarkIngest(b *testing.B) {
	if testing.Short() {
		b.Skip("starts a Temporal server and crawls 600 pages; skipped with -short")
	}
	analysis.Preload() // the dictionary load is start-up cost, not ingest
	var searchableSecs, workflowSecs, bleveRate float64
	want := 0
	for b.Loop() {
		ba := startTestApp(b, demosite.Options{Seed: 11, Threads: benchThreads, Letters: benchLetters,
			Start: time.Date(2026, 9, 1, 0, 0, 0, 0, minyi.ChinaTime)}, benchBudgets)
		// +1: the sticky board announcement is a thread of its own.
		want = len(ba.site.Threads()) + 1 + len(ba.site.Letters())
		// Searchable is when the index holds every document; the crawl
		// workflows close later, after what ingest does beyond indexing.
		searchable := ba.watchIndex(b, uint64(want))

		// The schedules fired when the app started; those first crawls are
		// the ones measured, from the earliest start.
		var first, last time.Time
		indexed := 0
		for _, source := range []string{"demo-forum", "demo-mailbox"} {
			res, started, closed := ba.firstCrawl(b, source)
			if res.Run.Errors > 0 || res.Indexed != res.Run.NewItems {
				b.Fatalf("crawl of %s: %+v", source, res)
			}
			b.Logf("%s: %d pages, %d new, %d indexed in %d batches; workflow ran %s", source, res.Run.PagesFetched,
				res.Run.NewItems, res.Indexed, res.Batches, closed.Sub(started).Round(time.Millisecond))
			indexed += res.Indexed
			if first.IsZero() || started.Before(first) {
				first = started
			}
			if closed.After(last) {
				last = closed
			}
		}
		if indexed != want {
			b.Fatalf("the crawls indexed %d documents; the demo site has %d", indexed, want)
		}
		var st struct{ Indexed uint64 }
		ba.getJSON(b, "/api/status", &st)
		if st.Indexed != uint64(want) {
			b.Fatalf("/api/status reports %d indexed; want %d", st.Indexed, want)
		}
		searchableSecs = (<-searchable).Sub(first).Seconds()
		workflowSecs = last.Sub(first).Seconds()

		docs := ba.scanAll(b)
		if len(docs) != want {
			b.Fatalf("store holds %d documents; want %d", len(docs), want)
		}
		ba.Close() // the raw run gets the machine to itself
		bleveRate = rawBleveRate(b, docs)
	}
	pipelineRate := float64(want) / searchableSecs
	b.ReportMetric(pipelineRate, "pipeline-docs/s")
	b.ReportMetric(bleveRate, "bleve-docs/s")
	b.ReportMetric(pipelineRate/bleveRate, "ratio")
	b.ReportMetric(searchableSecs, "searchable-s")
	b.ReportMetric(workflowSecs, "crawl-workflows-s")
}

// watchIndex polls the app's index and sends the moment it first holds want
// documents. Polling every 10 ms costs a document count, next to nothing.
func (ta *testApp) watchIndex(b *testing.B, want uint64) <-chan time.Time {
	at := make(chan time.Time, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	b.Cleanup(cancel)
	go func() {
		for {
			if n, err := ta.index.Count(ctx); err == nil && n >= want {
				at <- time.Now()
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	return at
}

// rawBleveRate indexes docs into a new on-disk bleve index in batches of 100,
// the size of an ingest workflow's batch, and returns documents per second.
func rawBleveRate(b *testing.B, docs []minyi.Document) float64 {
	x, err := bleve.Open(filepath.Join(b.TempDir(), "index.bleve"))
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	ctx := context.Background()
	start := time.Now()
	for i := 0; i < len(docs); i += 100 {
		if err := x.Index(ctx, docs[i:min(i+100, len(docs))]); err != nil {
			b.Fatal(err)
		}
	}
	took := time.Since(start)
	if n, err := x.Count(ctx); err != nil || n != uint64(len(docs)) {
		b.Fatalf("raw bleve index holds %d documents (%v); want %d", n, err, len(docs))
	}
	return float64(len(docs)) / took.Seconds()
}

// benchBudgets lift the crawl budgets so the whole benchmark city is
// crawled: every list page is one link deeper than the one before it.
func benchBudgets(s *minyi.Source) {
	s.RateLimit, s.MaxPages, s.MaxDepth = 1000, 10_000, 100
}

// firstCrawl waits for the crawl the schedule of source started with the
// app and returns its result with the times the Temporal server recorded
// for its start and close.
func (ta *testApp) firstCrawl(b *testing.B, source string) (res workflows.CrawlResult, started, closed time.Time) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	h := ta.client.ScheduleClient().GetHandle(ctx, schedulePrefix+source)
	for {
		desc, err := h.Describe(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(desc.Info.RecentActions) > 0 {
			run := desc.Info.RecentActions[0].StartWorkflowResult
			if err := ta.client.GetWorkflow(ctx, run.WorkflowID, run.FirstExecutionRunID).Get(ctx, &res); err != nil {
				b.Fatalf("crawl of %s: %v", source, err)
			}
			started, closed = ta.workflowTimes(ctx, b, run)
			return res, started, closed
		}
		select {
		case <-ctx.Done():
			b.Fatalf("no crawl of %s started", source)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (ta *testApp) workflowTimes(ctx context.Context, b *testing.B, run *client.ScheduleWorkflowExecution) (started, closed time.Time) {
	b.Helper()
	d, err := ta.client.DescribeWorkflowExecution(ctx, run.WorkflowID, run.FirstExecutionRunID)
	if err != nil {
		b.Fatal(err)
	}
	info := d.GetWorkflowExecutionInfo()
	return info.GetStartTime().AsTime(), info.GetCloseTime().AsTime()
}

func (ta *testApp) getJSON(b *testing.B, path string, out any) {
	b.Helper()
	req, _ := http.NewRequest(http.MethodGet, ta.apiURL+path, nil)
	req.Header.Set("Authorization", "Bearer "+demoToken("admin"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		b.Fatalf("GET %s: decoding: %v", path, err)
	}
}

// scanAll reads every document from the app's store, the way reindex does.
func (ta *testApp) scanAll(b *testing.B) []minyi.Document {
	b.Helper()
	var all []minyi.Document
	after := ""
	for {
		page, err := ta.store.ScanDocuments(context.Background(), after, 500)
		if err != nil {
			b.Fatal(err)
		}
		if len(page) == 0 {
			return all
		}
		all = append(all, page...)
		after = page[len(page)-1].ID
	}
}
