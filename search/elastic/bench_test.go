package elastic

import (
	"context"
	"fmt"
	"testing"
	"time"

	"minyi"
	"minyi/search/searchtest"
)

// BenchmarkReindex is `minyi reindex` against the node at
// TEST_ELASTICSEARCH_URL: a new version loaded in batches of 500 without
// refreshes, committed behind the alias. It reports documents per second.
func BenchmarkReindex(b *testing.B) {
	cfg := nodeConfig(b)
	const docs, batch = 20_000, 500
	fixtures := searchtest.Documents()
	corpus := make([]minyi.Document, docs)
	for i := range corpus {
		d := fixtures[i%len(fixtures)]
		d.ID = fmt.Sprintf("%s-%d", d.ID, i)
		corpus[i] = d
	}
	ctx := context.Background()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		cfg.Index = fmt.Sprintf("minyi-bench-%d", time.Now().UnixNano())
		start := time.Now()
		build, err := Rebuild(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		for from := 0; from < len(corpus); from += batch {
			if err := build.Index(ctx, corpus[from:min(from+batch, len(corpus))]); err != nil {
				b.Fatal(err)
			}
		}
		if err := build.Commit(ctx); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		x, err := Open(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := x.Count(ctx); err != nil || n != docs {
			b.Fatalf("Count = %d, %v; want %d", n, err, docs)
		}
		if err := x.DropIndex(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(docs*b.N)/elapsed.Seconds(), "docs/s")
}
