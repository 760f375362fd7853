package sqlite

import (
	"testing"

	"minyi/store/internal/storebench"
)

func BenchmarkPutDocuments(b *testing.B) { storebench.PutDocuments(b, openFresh(b)) }

func BenchmarkDepartmentStats100k(b *testing.B) { storebench.DepartmentStats100k(b, openSeeded(b)) }

func BenchmarkCases100k(b *testing.B) { storebench.Cases100k(b, openSeeded(b)) }

// openSeeded is a new database with the benchmarks' 100k cases.
func openSeeded(b *testing.B) *Store {
	s := openFresh(b)
	storebench.SeedCases(b, s.PutCases)
	return s
}

// BenchmarkHotEvents ranks hot events over storebench.EventDocs documents
// (MINYI_BENCH_EVENT_DOCS=100000 for a quicker run).
func BenchmarkHotEvents(b *testing.B) {
	s := openFresh(b)
	storebench.SeedEvents(b, s, storebench.EventDocs())
	storebench.HotEvents(b, s)
}
