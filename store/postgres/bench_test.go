package postgres

import (
	"context"
	"testing"

	"minyi/store/internal/storebench"
)

func BenchmarkPutDocuments(b *testing.B) { storebench.PutDocuments(b, openBench(b)) }

func BenchmarkDepartmentStats100k(b *testing.B) { storebench.DepartmentStats100k(b, openSeeded(b)) }

func BenchmarkCases100k(b *testing.B) { storebench.Cases100k(b, openSeeded(b)) }

func openBench(b *testing.B) *Store {
	s, err := Open(context.Background(), freshSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// openSeeded is a new schema with the benchmarks' 100k cases, and the
// planner's statistics refreshed as autovacuum would soon after.
func openSeeded(b *testing.B) *Store {
	s := openBench(b)
	storebench.SeedCases(b, s.PutCases)
	if _, err := s.pool.Exec(context.Background(), `ANALYZE cases`); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkHotEvents ranks hot events over storebench.EventDocs documents
// (MINYI_BENCH_EVENT_DOCS=100000 for a quicker run).
func BenchmarkHotEvents(b *testing.B) {
	s := openBench(b)
	storebench.SeedEvents(b, s, storebench.EventDocs())
	storebench.HotEvents(b, s)
}
