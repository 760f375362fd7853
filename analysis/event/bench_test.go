package event

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// benchDocs is the size of the stream already assigned when the timed
// assignments start; MINYI_BENCH_EVENT_DOCS makes it smaller for a quick run.
func benchDocs() int {
	if n, err := strconv.Atoi(os.Getenv("MINYI_BENCH_EVENT_DOCS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

var bench struct {
	once   sync.Once
	stream *synthetic
	c      *Clusterer
	next   int
	warm   time.Duration
	heapMB float64
}

// BenchmarkEventAssign times the assignment of one document to an event
// once a million documents (three years of a large city) have been
// assigned, and reports the heap the clusterer holds then. Features are
// generated (synthetic_test.go), so the time is the clusterer's alone.
func BenchmarkEventAssign(b *testing.B) {
	warm := benchDocs()
	bench.once.Do(func() {
		bench.stream = newSynthetic(warm+200_000, 21)
		bench.c = New(Options{})
		start := time.Now()
		for i := range warm {
			bench.c.Assign(bench.stream.doc(i))
		}
		bench.warm = time.Since(start)
		bench.next = warm
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		bench.heapMB = float64(ms.HeapAlloc) / (1 << 20)
		fmt.Printf("assigned %d documents in %s (%.1f µs each, features generated included); %d events active; heap %.0f MiB\n",
			warm, bench.warm.Round(time.Second), float64(bench.warm.Microseconds())/float64(warm), bench.c.Active(), bench.heapMB)
	})
	docs := make([]Doc, b.N)
	for i := range docs {
		if bench.next >= len(bench.stream.docs) {
			b.Fatalf("stream exhausted after %d documents", bench.next)
		}
		docs[i] = bench.stream.doc(bench.next)
		bench.next++
	}
	b.ResetTimer()
	for i := range b.N {
		bench.c.Assign(docs[i])
	}
	b.StopTimer()
	b.ReportMetric(bench.heapMB, "heap-MiB")
	b.ReportMetric(float64(bench.c.Active()), "active-events")
}
