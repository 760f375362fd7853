// Package storebench holds the benchmarks every store backend runs, over
// the same data: documents written in ingest-sized batches, and the audit's
// department statistics and the case listings over 100,000 cases.
package storebench

import (
	"context"
	"fmt"
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
// seeded cases (a year), and over the audit's rolling 30 days.
func DepartmentStats100k(b *testing.B, s minyi.CaseStore) {
	ctx := context.Background()
	now := storetest.BenchStart.AddDate(1, 0, 0)
	for _, w := range []struct {
		name     string
		from, to time.Time
	}{
		{"year", storetest.BenchStart, now},
		{"30d", now.AddDate(0, 0, -30), now},
	} {
		b.Run(w.name, func(b *testing.B) {
			var stats []minyi.DepartmentStats
			for b.Loop() {
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
