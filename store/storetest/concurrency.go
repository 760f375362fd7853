package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"minyi"
)

// testConcurrentPuts has 8 writers whose batches all share some documents, as
// when retried activities redeliver the same page, while readers scan.
func testConcurrentPuts(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	const writers, batches, own, shared = 8, 5, 20, 20
	var common []minyi.Document
	for i := range shared {
		common = append(common, message("s", fmt.Sprintf("shared-%02d", i), i))
	}

	var wg sync.WaitGroup
	errs := make(chan error, writers*batches+writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				batch := append([]minyi.Document(nil), common...)
				for i := range own {
					n := (w*batches+b)*own + i
					batch = append(batch, message(fmt.Sprintf("s%d", w), fmt.Sprintf("w%d-%04d", w, n), n))
				}
				// Alternate the order so that writers meet shared rows in
				// different orders, which deadlocks a naive row-locking store.
				if (w+b)%2 == 1 {
					for i, j := 0, len(batch)-1; i < j; i, j = i+1, j-1 {
						batch[i], batch[j] = batch[j], batch[i]
					}
				}
				if _, err := s.PutDocuments(ctx, batch); err != nil {
					errs <- fmt.Errorf("writer %d batch %d: %w", w, b, err)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 20 {
			if _, err := s.ScanDocuments(ctx, "", 50); err != nil {
				errs <- fmt.Errorf("reader: %w", err)
			}
			if _, err := s.Documents(ctx, []string{"shared-03", "w1-0001"}); err != nil {
				errs <- fmt.Errorf("reader: %w", err)
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, want := count(t, s), shared+writers*batches*own; n != want {
		t.Errorf("CountDocuments = %d, want %d", n, want)
	}
}

func testCancelledContext(t *testing.T, s minyi.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	wantCancelled := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: err = %v, want context.Canceled", what, err)
		}
	}
	_, err := s.PutDocuments(ctx, []minyi.Document{message("s", "a", 1)})
	wantCancelled("PutDocuments", err)
	_, err = s.Document(ctx, "a")
	wantCancelled("Document", err)
	_, err = s.Documents(ctx, []string{"a"})
	wantCancelled("Documents", err)
	_, err = s.ScanDocuments(ctx, "", 10)
	wantCancelled("ScanDocuments", err)
	_, err = s.CountDocuments(ctx)
	wantCancelled("CountDocuments", err)
	err = s.PutPageStates(ctx, []minyi.PageState{{URL: "https://example.cn/", Fetched: t0}})
	wantCancelled("PutPageStates", err)
	_, err = s.PageStates(ctx, []string{"https://example.cn/"})
	wantCancelled("PageStates", err)
	err = s.PutCrawlRun(ctx, minyi.CrawlRun{ID: "r", Source: "s", Started: t0})
	wantCancelled("PutCrawlRun", err)
	_, err = s.CrawlStatus(ctx)
	wantCancelled("CrawlStatus", err)
	wantCancelled("PutCase", s.PutCase(ctx, fullCase()))
	_, err = s.Case(ctx, fullCase().ID)
	wantCancelled("Case", err)
	_, _, err = s.Cases(ctx, minyi.CaseFilter{})
	wantCancelled("Cases", err)
	wantCancelled("AppendCaseEvents", s.AppendCaseEvents(ctx, []minyi.CaseEvent{event("c", "k", minyi.EventOpened, t0)}))
	_, err = s.CaseEvents(ctx, "c")
	wantCancelled("CaseEvents", err)
	_, err = s.DepartmentStats(ctx, statsFrom, statsTo, statsNow)
	wantCancelled("DepartmentStats", err)
	wantCancelled("PutDepartmentEscalation", s.PutDepartmentEscalation(ctx, minyi.DepartmentEscalation{
		Key: "k", Department: "d", Rung: minyi.RungNotice, At: t0, OnTimeRate: 0.5}))
	_, err = s.DepartmentEscalations(ctx, "", time.Time{})
	wantCancelled("DepartmentEscalations", err)

	if n := count(t, s); n != 0 {
		t.Errorf("cancelled PutDocuments wrote %d documents", n)
	}
	status, err := s.CrawlStatus(context.Background())
	if err != nil || len(status) != 0 {
		t.Errorf("cancelled writes left crawl status %+v, %v", status, err)
	}
	// A deadline that has passed is a cancellation too.
	dctx, dcancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer dcancel()
	if _, err := s.CountDocuments(dctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("CountDocuments past its deadline: err = %v, want context.DeadlineExceeded", err)
	}
}
