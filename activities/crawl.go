package activities

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"minyi"
	"minyi/internal/crashpoint"
	"minyi/internal/safely"
)

// CrawlInput names the source to crawl; its configuration stays in the
// worker, so a schedule never carries stale settings.
type CrawlInput struct {
	Source string
	RunID  string
	// ChangedListsOnly skips the list pages the site answers 304 (see
	// minyi.Source.ChangedListsOnly): set by the crawl a poll starts.
	ChangedListsOnly bool
}

// CrawlOutput lists the ids of documents that are new or changed, cut into
// ingest batches; the documents themselves are already in the store.
type CrawlOutput struct {
	Run     minyi.CrawlRun
	Batches [][]string
}

// crawlHeartbeat is what a retried attempt resumes from: documents an earlier
// attempt stored are unchanged by now and would otherwise never be indexed.
type crawlHeartbeat struct {
	Run     minyi.CrawlRun
	Changed []string
}

// CrawlSource crawls one source once, writing documents to the store as they
// arrive, and heartbeats its progress.
func (a *Activities) CrawlSource(ctx context.Context, in CrawlInput) (CrawlOutput, error) {
	src, ok := a.Sources[in.Source]
	if !ok {
		return CrawlOutput{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("source %q is not configured on this worker", in.Source), minyi.ENOTFOUND, nil)
	}
	src.ChangedListsOnly = in.ChangedListsOnly
	sink := &storeSink{a: a, runID: in.RunID, source: src.Name}
	if activity.HasHeartbeatDetails(ctx) {
		var hb crawlHeartbeat
		if err := activity.GetHeartbeatDetails(ctx, &hb); err == nil {
			sink.changed = hb.Changed
		}
	}
	stopBeat := sink.beat(ctx, 3*time.Second)
	started := time.Now()
	run, err := a.Crawler.Crawl(ctx, src, a.Store, sink)
	stopBeat()
	run.ID, run.Source = in.RunID, src.Name
	if run.Started.IsZero() {
		run.Started = started
	}
	if run.Finished.IsZero() {
		run.Finished = time.Now()
	}
	changed := sink.changedIDs()
	run.NewItems = len(changed)
	if err != nil {
		run.Errors++
		run.LastError = err.Error()
	}
	// A run record is progress information; failing to write it must not
	// throw away a crawl whose documents are already stored.
	if perr := a.Store.PutCrawlRun(context.WithoutCancel(ctx), run); perr != nil {
		a.logger().Warn("recording crawl run", "source", src.Name, "err", perr)
	}
	crawlsTotal.WithLabelValues(src.Name).Inc()
	pagesFetched.WithLabelValues(src.Name).Add(float64(run.PagesFetched))
	documentsNew.WithLabelValues(src.Name).Add(float64(run.NewItems))
	if err != nil {
		return CrawlOutput{}, fmt.Errorf("crawling %s: %w", src.Name, err)
	}
	a.logger().Info("crawl finished", "source", src.Name, "pages", run.PagesFetched,
		"not_modified", run.PagesNotModified, "items", run.Items, "new", run.NewItems, "errors", run.Errors)
	return CrawlOutput{Run: run, Batches: Batches(changed, BatchSize)}, nil
}

// storeSink writes each batch of crawled documents to the store and keeps the
// ids that changed.
type storeSink struct {
	a      *Activities
	runID  string
	source string

	mu        sync.Mutex
	changed   []string
	run       minyi.CrawlRun
	lastSaved time.Time
}

func (s *storeSink) Documents(ctx context.Context, docs []minyi.Document) error {
	res, err := s.a.Store.PutDocuments(ctx, docs)
	if err != nil {
		return err
	}
	crashpoint.Hit(crashpoint.StoreWrite)
	s.mu.Lock()
	s.changed = append(s.changed, res.Changed...)
	hb := crawlHeartbeat{Run: s.run, Changed: append([]string(nil), s.changed...)}
	s.mu.Unlock()
	activity.RecordHeartbeat(ctx, hb)
	return nil
}

// Progress heartbeats and, every few seconds, saves the run so that
// `minyi status` shows a crawl in flight.
func (s *storeSink) Progress(ctx context.Context, run minyi.CrawlRun) {
	run.ID, run.Source = s.runID, s.source
	s.mu.Lock()
	s.run = run
	run.NewItems = len(s.changed)
	save := time.Since(s.lastSaved) > 2*time.Second
	if save {
		s.lastSaved = time.Now()
	}
	hb := crawlHeartbeat{Run: run, Changed: append([]string(nil), s.changed...)}
	s.mu.Unlock()
	activity.RecordHeartbeat(ctx, hb)
	if save {
		if err := s.a.Store.PutCrawlRun(ctx, run); err != nil {
			s.a.logger().Warn("recording crawl progress", "source", s.source, "err", err)
		}
	}
}

// beat heartbeats every interval until stopped, so that a slow page or a
// long politeness delay never looks like a dead worker.
func (s *storeSink) beat(ctx context.Context, every time.Duration) (stop func()) {
	done := make(chan struct{})
	safely.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				s.mu.Lock()
				hb := crawlHeartbeat{Run: s.run, Changed: append([]string(nil), s.changed...)}
				s.mu.Unlock()
				activity.RecordHeartbeat(ctx, hb)
			}
		}
	})
	return func() { close(done) }
}

func (s *storeSink) changedIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := make(map[string]bool, len(s.changed))
	out := make([]string, 0, len(s.changed))
	for _, id := range s.changed {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
