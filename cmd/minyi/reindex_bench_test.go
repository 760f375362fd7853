package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"minyi"
	"minyi/analysis"
	"minyi/search/searchtest"
	"minyi/store/sqlite"
)

// BenchmarkReindex is `minyi reindex` (rebuildIndex) from a SQLite store of
// 10,000 documents into bleve, and into Elasticsearch when
// TEST_ELASTICSEARCH_URL names a node (with TEST_ELASTICSEARCH_API_KEY and
// TEST_ELASTICSEARCH_CA_CERT when secured). Each reports documents per
// second.
func BenchmarkReindex(b *testing.B) {
	const docs = 10_000
	ctx := context.Background()
	analysis.Preload()
	store, err := sqlite.Open(filepath.Join(b.TempDir(), "minyi.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	fixtures := searchtest.Documents()
	for from := 0; from < docs; from += 500 {
		batch := make([]minyi.Document, 0, 500)
		for i := from; i < from+500; i++ {
			d := fixtures[i%len(fixtures)]
			d.ID, d.ExternalID = fmt.Sprintf("%s-%05d", d.ID, i), fmt.Sprintf("%s-%05d", d.ExternalID, i)
			d.ContentHash = d.Hash()
			batch = append(batch, d)
		}
		if _, err := store.PutDocuments(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	run := func(b *testing.B, cfg func() SearchConfig) {
		var elapsed time.Duration
		for i := 0; i < b.N; i++ {
			search := cfg()
			start := time.Now()
			n, err := rebuildIndex(ctx, search, store)
			if err != nil || n != docs {
				b.Fatalf("rebuildIndex = %d, %v; want %d", n, err, docs)
			}
			elapsed += time.Since(start)
			index, err := openIndex(ctx, search)
			if err != nil {
				b.Fatal(err)
			}
			if got, err := index.Count(ctx); err != nil || got != docs {
				b.Fatalf("Count = %d, %v", got, err)
			}
			if d, ok := index.(interface{ DropIndex(context.Context) error }); ok {
				if err := d.DropIndex(ctx); err != nil {
					b.Fatal(err)
				}
			}
			index.Close()
		}
		b.ReportMetric(float64(docs*b.N)/elapsed.Seconds(), "docs/s")
	}
	b.Run("bleve", func(b *testing.B) {
		run(b, func() SearchConfig {
			return SearchConfig{Backend: "bleve", Index: filepath.Join(b.TempDir(), "index.bleve")}
		})
	})
	b.Run("elasticsearch", func(b *testing.B) {
		url := os.Getenv("TEST_ELASTICSEARCH_URL")
		if url == "" {
			b.Skip("TEST_ELASTICSEARCH_URL is not set")
		}
		b.Setenv(envElasticAPIKey, os.Getenv("TEST_ELASTICSEARCH_API_KEY"))
		run(b, func() SearchConfig {
			return SearchConfig{Backend: "elasticsearch", URL: url, Index: fmt.Sprintf("minyi-bench-%d", time.Now().UnixNano()),
				Elasticsearch: ElasticsearchConfig{CACert: os.Getenv("TEST_ELASTICSEARCH_CA_CERT")}}
		})
	})
}
