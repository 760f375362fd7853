package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/activities"
	"minyi/demosite"
	"minyi/search/bleve"
	"minyi/store/sqlite"
	"minyi/workflows"
)

// BenchmarkIngestPrefetched feeds 20,000 already-fetched posts
// (MINYI_BENCH_INGEST_DOCS for another number) through the
// pipeline (stored in batches of 100 by two feeders, one ingest workflow
// per batch: the index step an activity, the others local ones) until all
// are searchable, with a timeline of progress and CPU,
// and beside it, in the same run, the same work without Temporal in one
// process: store upsert, analysis and one index batch per 100, on two
// goroutines as the worker uses both cores. The ratio is pipeline over raw,
// by rate to searchable and by CPU per document to done (cases opened,
// outbox cleared).
func BenchmarkIngestPrefetched(b *testing.B) {
	n := benchEnvInt(b, "MINYI_BENCH_INGEST_DOCS", 20000)
	docs := prefetchedPosts(b, n)
	for b.Loop() {
		ta := startTestApp(b, demosite.Options{Seed: 1, Threads: 1, Letters: 1})
		ctx := context.Background()

		cpu := cpuTime(b)
		raw := rawIngest(b, ta.analyzer, docs)
		rawCPU := cpuTime(b) - cpu

		base, _ := ta.index.Count(ctx)
		indexedBefore := counterValue(b, "minyi_documents_indexed_total")
		_, baseCases, err := ta.store.Cases(ctx, minyi.CaseFilter{Limit: 1})
		if err != nil {
			b.Fatal(err)
		}
		start, cpu := time.Now(), cpuTime(b)
		fed := feedPipeline(b, ta, docs)
		var tl timeline
		for deadline := start.Add(20 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
			c, _ := ta.index.Count(ctx)
			tl.sample(b, c-base)
			if c >= base+uint64(n) || b.Failed() {
				break
			}
			if time.Now().After(deadline) {
				b.Fatal("20 minutes and not all searchable")
			}
		}
		pipeline := float64(n) / time.Since(start).Seconds()
		fed.Wait()
		// Searchable is not done: the cases are opened and the outbox
		// cleared after the index step, and work left past the measure
		// would flatter the rate. Done is nothing pending any more.
		for deadline := start.Add(20 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
			pending, err := ta.store.CountPending(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if pending == 0 {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("20 minutes and %d documents still pending", pending)
			}
		}
		done := float64(n) / time.Since(start).Seconds()
		pipelineCPU := cpuTime(b) - cpu
		_, cases, err := ta.store.Cases(ctx, minyi.CaseFilter{Limit: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%d of the %d posts route to a department: the pipeline opened a case for each, the raw work none", cases-baseCases, n)
		b.Logf("the pipeline wrote %.0f documents to the index for the %d posts", counterValue(b, "minyi_documents_indexed_total")-indexedBefore, n)
		ev := historyCounts(b, ta.client, "bench-ingest-0")
		b.Logf("the first batch's ingest: %d events, %d workflow tasks, %d activity tasks, %d child workflows",
			sumCounts(ev), ev[enums.EVENT_TYPE_WORKFLOW_TASK_COMPLETED], ev[enums.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED],
			ev[enums.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED])
		b.Logf("pipeline, each 5 s: documents searchable, and CPU of the process (100%% = one core): %s", tl)
		b.ReportMetric(pipeline, "pipeline-docs/s")
		b.ReportMetric(raw, "raw-docs/s")
		b.ReportMetric(pipeline/raw, "ratio")
		b.ReportMetric(done, "done-docs/s")
		// On a machine shared with other work the rates follow its load;
		// the CPU each document costs the process to done (Temporal's
		// embedded server included) much less so.
		b.ReportMetric(float64(pipelineCPU.Milliseconds())/float64(n), "pipeline-cpu-ms/doc")
		b.ReportMetric(float64(rawCPU.Milliseconds())/float64(n), "raw-cpu-ms/doc")
		b.ReportMetric(rawCPU.Seconds()/pipelineCPU.Seconds(), "cpu-ratio")
	}
}

// feedPipeline stores the documents batch by batch and starts each
// batch's ingest, as a crawl does, on two goroutines as the raw side runs.
func feedPipeline(b *testing.B, ta *testApp, docs []minyi.Document) *sync.WaitGroup {
	ctx := context.Background()
	batches := make(chan int)
	var fed sync.WaitGroup
	for range 2 {
		fed.Go(func() {
			for i := range batches {
				batch := docs[i*activities.BatchSize : min(len(docs), (i+1)*activities.BatchSize)]
				if _, err := ta.store.PutDocuments(ctx, batch); err != nil {
					b.Error(err)
					return
				}
				opts := client.StartWorkflowOptions{ID: fmt.Sprintf("bench-ingest-%d", i), TaskQueue: workflows.TaskQueue}
				if _, err := ta.client.ExecuteWorkflow(ctx, opts, workflows.IngestWorkflow, workflows.IngestInput{IDs: docIDs(batch)}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	go func() {
		defer close(batches)
		for i := 0; i*activities.BatchSize < len(docs); i++ {
			batches <- i
		}
	}()
	return &fed
}

// timeline keeps, every 5 s, how many documents became searchable and how
// much CPU the process used: a pipeline that waits on something shows as
// seconds of little CPU and no progress.
type timeline struct {
	at       time.Time
	cpu      time.Duration
	done     uint64
	segments []string
}

func (t *timeline) sample(b *testing.B, done uint64) {
	now := time.Now()
	if t.at.IsZero() {
		t.at, t.cpu = now, cpuTime(b)
		return
	}
	if now.Sub(t.at) < 5*time.Second {
		return
	}
	cpu := cpuTime(b)
	t.segments = append(t.segments, fmt.Sprintf("%d@%.0f%%", done-t.done, 100*(cpu-t.cpu).Seconds()/now.Sub(t.at).Seconds()))
	t.at, t.cpu, t.done = now, cpu, done
}

func (t timeline) String() string { return strings.Join(t.segments, " ") }

// counterValue reads a counter of the process's metrics.
func counterValue(b *testing.B, name string) float64 {
	mfs, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		b.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	b.Fatalf("no metric %s", name)
	return 0
}

// rawIngest is the pipeline's work without Temporal, on a store and index
// of its own; it returns documents per second.
func rawIngest(b *testing.B, analyzer activities.Analyzer, docs []minyi.Document) float64 {
	ctx := context.Background()
	dir := b.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "raw.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	idx, err := bleve.Open(filepath.Join(dir, "raw.bleve"))
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	batches := make(chan []minyi.Document)
	var wg sync.WaitGroup
	start := time.Now()
	for range 2 {
		wg.Go(func() {
			for batch := range batches {
				if _, err := st.PutDocuments(ctx, batch); err != nil {
					b.Error(err)
					return
				}
				if err := st.PutAnalyses(ctx, analyzer.Analyze(batch)); err != nil {
					b.Error(err)
					return
				}
				stored, err := st.Documents(ctx, docIDs(batch))
				if err == nil {
					err = idx.Index(ctx, stored)
				}
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	for i := 0; i < len(docs); i += activities.BatchSize {
		batches <- docs[i:min(i+activities.BatchSize, len(docs))]
	}
	close(batches)
	wg.Wait()
	return float64(len(docs)) / time.Since(start).Seconds()
}

// prefetchedPosts are n forum posts of real text: the titles and bodies of
// the 494 labelled government messages, recombined.
func prefetchedPosts(b *testing.B, n int) []minyi.Document {
	f, err := os.Open(filepath.Join("..", "..", "..", "shared", "data", "gov-messages-labelled-494.csv"))
	if err != nil {
		b.Skipf("the labelled messages are not here: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	rows = rows[1:] // id,title,time,body,category
	now := time.Now().UTC().Truncate(time.Second)
	docs := make([]minyi.Document, n)
	for i := range docs {
		r, s := rows[i%len(rows)], rows[(i*7+3)%len(rows)]
		d := minyi.Document{ID: minyi.DocumentID("bench-forum", fmt.Sprintf("tid:%d", i)), Source: "bench-forum",
			Kind: minyi.KindPost, ExternalID: fmt.Sprintf("tid:%d", i), Board: r[4],
			Title: fmt.Sprintf("%s（%d）", r[1], i), Body: r[3] + "\n" + s[3],
			Published: now.Add(-time.Duration(i) * time.Minute), Fetched: now}
		d.ContentHash = d.Hash()
		docs[i] = d
	}
	return docs
}

func docIDs(docs []minyi.Document) []string {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids
}
