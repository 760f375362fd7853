package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/demosite"
	"minyi/store/postgres"
	"minyi/workflows"
)

// BenchmarkScaleCaseStart is case starts per second in one run, three ways:
// the embedded server with its in-process worker (BenchmarkCaseStart's
// self-opening cases), and `minyi temporal-server` on PostgreSQL with one and
// then two `minyi serve --role worker` processes on the PostgreSQL store. A
// case counts once its row is in the store: for a case whose workflow opens
// it, after OpenCase and RecordCase, just before the workflow's first timer.
func BenchmarkScaleCaseStart(b *testing.B) {
	n := benchEnvInt(b, "MINYI_BENCH_SCALE_CASES", 300)
	var embedded, one, two float64
	for b.Loop() {
		cb := startCaseBench(b)
		docs := cb.putMessages(b, 0, n)
		embedded, _ = cb.runStarts(b, "case", n, func() starter {
			return func(i int) (client.StartWorkflowOptions, any, any) {
				return caseStart(workflows.CaseInput{DocumentID: docs[i].ID})
			}
		}).rate(n)

		// A demo site of one thread and one letter: the workers' own crawl
		// is done before the clock starts.
		site := demosite.New(demosite.Options{Seed: 1, Threads: 1, Letters: 1})
		siteURL, stopSite, err := serveHTTP("127.0.0.1:0", site.Handler())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(stopSite)
		sc := startScaleCluster(b, siteURL)
		store, err := postgres.Open(context.Background(), sc.storeDSN)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { store.Close() })
		pg := &caseBench{client: sc.client}
		for k, rate := range []*float64{&one, &two} {
			var workers []*serveProcess
			for i := range k + 1 {
				cfg, url := sc.config(b, fmt.Sprintf("bench%d-worker%d", k+1, i))
				workers = append(workers, sc.serve(b, cfg, url, roleWorker))
			}
			for _, w := range workers {
				waitReady(b, w, 2*time.Minute)
			}
			time.Sleep(5 * time.Second) // their start-up crawl of the tiny site
			base := countStoreCases(b, store)
			docs := putDocuments(b, store, benchMessages((k+1)*n, n))
			t0 := time.Now()
			pg.startAll(b, 0, n, func(i int) (client.StartWorkflowOptions, any, any) {
				return caseStart(workflows.CaseInput{DocumentID: docs[i].ID})
			})
			for countStoreCases(b, store) < base+n {
				if time.Since(t0) > 10*time.Minute {
					b.Fatalf("%d workers: %d of %d cases after 10 minutes", k+1, countStoreCases(b, store)-base, n)
				}
				time.Sleep(100 * time.Millisecond)
			}
			*rate = float64(n) / time.Since(t0).Seconds()
			b.Logf("%d cases with %d worker process(es) on minyi temporal-server: %.1f cases/s", n, k+1, *rate)
			for _, w := range workers {
				w.stop(b)
			}
		}
	}
	b.ReportMetric(embedded, "embedded-cases/s")
	b.ReportMetric(one, "1-worker-cases/s")
	b.ReportMetric(two, "2-worker-cases/s")
}

func countStoreCases(b testing.TB, store minyi.Store) int {
	b.Helper()
	_, total, err := store.Cases(context.Background(), minyi.CaseFilter{Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	return total
}

// putDocuments stores docs and clears their outbox marks, so that the
// reconcile schedule does not ingest them while the clock runs: the
// benchmark starts their cases itself.
func putDocuments(b testing.TB, store minyi.Store, docs []minyi.Document) []minyi.Document {
	b.Helper()
	ctx := context.Background()
	if _, err := store.PutDocuments(ctx, docs); err != nil {
		b.Fatal(err)
	}
	pending, err := store.PendingDocuments(ctx, time.Now().Add(time.Minute), len(docs)+10)
	if err != nil {
		b.Fatal(err)
	}
	if err := store.FinishDocuments(ctx, pending); err != nil {
		b.Fatal(err)
	}
	return docs
}
