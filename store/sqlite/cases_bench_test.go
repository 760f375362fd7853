package sqlite

import (
	"context"
	"testing"
	"time"

	"minyi"
	"minyi/store/storetest"
)

// The audit benchmark: 100,000 cases across 40 departments.
const benchCases, benchDepartments = 100_000, 40

// seedCases writes the benchmark set in transactions of 5,000, the way an
// import would, bypassing PutCase's one transaction per case.
func seedCases(b *testing.B, s *Store) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	for from := 0; from < benchCases; from += 5000 {
		batch := make([]minyi.Case, 0, 5000)
		for i := from; i < from+5000; i++ {
			batch = append(batch, storetest.BenchCase(i, benchDepartments))
		}
		if err := s.PutCases(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d cases in %s", benchCases, time.Since(start).Round(time.Millisecond))
}

// BenchmarkDepartmentStats100k computes every department's figures over all
// 100k cases (a year), and over the audit's rolling 30 days.
func BenchmarkDepartmentStats100k(b *testing.B) {
	s := openFresh(b)
	seedCases(b, s)
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
			if len(stats) != benchDepartments {
				b.Fatalf("%d departments, want %d", len(stats), benchDepartments)
			}
			received := 0
			for _, d := range stats {
				received += d.Received
			}
			b.ReportMetric(float64(received), "cases")
		})
	}
}

// BenchmarkCases100k is a department's inbox page, with its total, and the
// city-wide overdue board, over the same 100k cases.
func BenchmarkCases100k(b *testing.B) {
	s := openFresh(b)
	seedCases(b, s)
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
