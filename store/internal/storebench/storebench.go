// Package storebench holds the benchmarks every store backend runs, over
// the same data: documents written in ingest-sized batches, and the audit's
// department statistics and the case listings over 100,000 cases.
package storebench

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"minyi"
	"minyi/store/storetest"
)

// The audit benchmark: 100,000 cases across 40 departments.
const Cases, Departments = 100_000, 40

// SeedCases writes the set of storetest.BenchCase with put, in batches of
// 5,000 the way an import would, bypassing PutCase's one transaction per case.
func SeedCases(b *testing.B, put func(context.Context, []minyi.Case) error) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	for from := 0; from < Cases; from += 5000 {
		batch := make([]minyi.Case, 0, 5000)
		for i := from; i < from+5000; i++ {
			batch = append(batch, storetest.BenchCase(i, Departments))
		}
		if err := put(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d cases in %s", Cases, time.Since(start).Round(time.Millisecond))
}

// DepartmentStats100k computes every department's figures over all the
// seeded cases (a year), and over the audit's rolling 30 days: counted
// after a case is written (the write itself untimed), and served again as
// kept while nothing changed ("-kept").
func DepartmentStats100k(b *testing.B, s minyi.CaseStore) {
	ctx := context.Background()
	now := storetest.BenchStart.AddDate(1, 0, 0)
	touch := minyi.Case{ID: "bench-touch", DocumentID: "bench-touch", Status: minyi.CaseOpen, Received: now}
	for _, w := range []struct {
		name     string
		from, to time.Time
	}{
		{"year", storetest.BenchStart, now},
		{"30d", now.AddDate(0, 0, -30), now},
	} {
		for _, kept := range []bool{false, true} {
			name := w.name
			if kept {
				name += "-kept"
			}
			b.Run(name, func(b *testing.B) {
				var stats []minyi.DepartmentStats
				for b.Loop() {
					if !kept {
						b.StopTimer()
						touch.Updated = touch.Updated.Add(time.Second)
						if err := s.PutCase(ctx, touch); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					var err error
					if stats, err = s.DepartmentStats(ctx, w.from, w.to, now); err != nil {
						b.Fatal(err)
					}
				}
				if len(stats) != Departments {
					b.Fatalf("%d departments, want %d", len(stats), Departments)
				}
				received := 0
				for _, d := range stats {
					received += d.Received
				}
				b.ReportMetric(float64(received), "cases")
			})
		}
	}
}

// Cases100k is a department's inbox page, with its total, and the
// city-wide overdue board, over the seeded cases.
func Cases100k(b *testing.B, s minyi.CaseStore) {
	ctx := context.Background()
	now := storetest.BenchStart.AddDate(1, 0, 0)
	yes := true
	for _, tc := range []struct {
		name string
		f    minyi.CaseFilter
	}{
		{"inbox", minyi.CaseFilter{Department: "dept-10", Status: minyi.CaseOpen}},
		{"inbox-page-20", minyi.CaseFilter{Department: "dept-10", Status: minyi.CaseOpen, Offset: 950}},
		{"overdue-board", minyi.CaseFilter{Overdue: &yes, Now: now}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				page, total, err := s.Cases(ctx, tc.f)
				if err != nil || len(page) == 0 || total == 0 {
					b.Fatalf("Cases: %d cases, total %d, %v", len(page), total, err)
				}
			}
		})
	}
}

// PutDocuments measures new documents written in batches of 500,
// the size an ingest activity hands over.
func PutDocuments(b *testing.B, s minyi.DocumentStore) {
	ctx := context.Background()
	published := time.Date(2024, 3, 5, 9, 30, 0, 0, minyi.ChinaTime)
	batch := make([]minyi.Document, 500)
	n := 0
	for b.Loop() {
		for i := range batch {
			n++
			d := minyi.Document{
				ID: fmt.Sprintf("%020d", n), Source: "bench", Kind: minyi.KindMessage,
				Title:     fmt.Sprintf("关于小区停车难的问题（%d）", n),
				Body:      "我们小区晚上停车位严重不足，消防通道被占用，希望有关部门尽快协调解决。",
				Published: published.Add(time.Duration(n) * time.Second),
				Comments:  []minyi.Comment{{Body: "同感", Published: published}},
			}
			d.ContentHash = d.Hash()
			batch[i] = d
		}
		res, err := s.PutDocuments(ctx, batch)
		if err != nil || len(res.Changed) != len(batch) {
			b.Fatalf("PutDocuments: %d changed, %v", len(res.Changed), err)
		}
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "docs/s")
}

// EventsSeed names the stores SeedEvents fills in a benchmark cache; it
// changes whenever what SeedEvents writes does, so that no stale store is
// reused.
const EventsSeed = "events-v1"

// CacheRoot is MINYI_BENCH_CACHE, where benchmarks keep seeded stores
// between runs; "" when unset (seed afresh every run).
func CacheRoot() string { return os.Getenv("MINYI_BENCH_CACHE") }

// EventDocs is how many documents HotEvents seeds: a year of a large
// city's posts and letters (issue 21 measures hot events at 1M). The
// environment variable MINYI_BENCH_EVENT_DOCS overrides it.
func EventDocs() int {
	if n, err := strconv.Atoi(os.Getenv("MINYI_BENCH_EVENT_DOCS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// SeedEvents writes n analysed documents over a year from BenchStart, in
// events as a city has them: each week some 2,000 events of Zipf-distributed
// size (a few with hundreds of letters, most with one or two), across four
// sources and three sentiments, and a case for every tenth document.
func SeedEvents(b *testing.B, s minyi.Store, n int) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	rng := rand.New(rand.NewPCG(21, 1))
	zipf := rand.NewZipf(rand.New(rand.NewPCG(21, 2)), 1.2, 1, 1999)
	sources := []string{"mailbox", "forum", "hotline", "weibo"}
	sentiments := []minyi.Sentiment{minyi.SentimentNegative, minyi.SentimentNeutral, minyi.SentimentPositive}
	year := 365 * 24 * time.Hour
	const batch = 5000
	for from := 0; from < n; from += batch {
		docs := make([]minyi.Document, 0, batch)
		results := make([]minyi.DocumentAnalysis, 0, batch)
		var cases []minyi.Case
		for i := from; i < min(from+batch, n); i++ {
			published := storetest.BenchStart.Add(time.Duration(float64(year) * float64(i) / float64(n)))
			week := int(published.Sub(storetest.BenchStart) / (7 * 24 * time.Hour))
			ev := fmt.Sprintf("ev-%02d-%04d", week, zipf.Uint64())
			d := minyi.Document{
				ID: fmt.Sprintf("%020d", i), Source: sources[rng.IntN(len(sources))], Kind: minyi.KindMessage,
				Title: "关于小区停车难的问题", Body: "我们小区晚上停车位严重不足，消防通道被占用。", Published: published,
			}
			d.ContentHash = d.Hash()
			docs = append(docs, d)
			results = append(results, minyi.DocumentAnalysis{ID: d.ID,
				Analysis: minyi.Analysis{Sentiment: sentiments[rng.IntN(len(sentiments))], Event: ev},
				Label:    &minyi.EventLabel{Title: "停车难 " + ev, Sites: []string{"某小区"}}})
			if i%10 == 0 {
				cases = append(cases, minyi.Case{ID: minyi.CaseIDFor(d.ID), DocumentID: d.ID, Status: minyi.CaseOpen, Received: published})
			}
		}
		if _, err := s.PutDocuments(ctx, docs); err != nil {
			b.Fatal(err)
		}
		if err := s.PutAnalyses(ctx, results); err != nil {
			b.Fatal(err)
		}
		if err := s.PutCases(ctx, cases); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d documents in events in %s", n, time.Since(start).Round(time.Millisecond))
}

// HotEvents ranks the top 20 events of periods ending at the seeded year's
// end: a day, a week, a month and the whole year.
func HotEvents(b *testing.B, s minyi.AnalysisStore) {
	ctx := context.Background()
	end := storetest.BenchStart.AddDate(1, 0, 0)
	for _, p := range []struct {
		name string
		from time.Time
	}{
		{"day", end.AddDate(0, 0, -1)}, {"week", end.AddDate(0, 0, -7)},
		{"month", end.AddDate(0, -1, 0)}, {"year", storetest.BenchStart},
	} {
		b.Run(p.name, func(b *testing.B) {
			var hot []minyi.HotEvent
			var times []time.Duration
			cpu := processCPU(b)
			for b.Loop() {
				t := time.Now()
				var err error
				if hot, err = s.HotEvents(ctx, p.from, end, 20); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t))
			}
			if len(hot) != 20 || hot[0].InPeriod == 0 || len(hot[0].Days) == 0 {
				b.Fatalf("%d hot events: %+v", len(hot), hot)
			}
			// The digest tells whether a change of the queries changed an
			// answer over the same seeded store.
			digest, err := json.Marshal(hot)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: answer digest %x", p.name, sha256.Sum256(digest))
			// The process's CPU time per call tells the work from the wait
			// on a shared machine (PostgreSQL's own is not in it).
			b.ReportMetric(float64((processCPU(b)-cpu).Microseconds())/1000/float64(len(times)), "cpu-ms/op")
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// processCPU is the user and system time the process has used.
func processCPU(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
