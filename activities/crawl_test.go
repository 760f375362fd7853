package activities

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"go.temporal.io/sdk/temporal"

	"minyi"
	"minyi/crawler"
	"minyi/demosite"
)

// CrawlSource over the demo city's mailbox served by httptest, with the
// real crawler: letters stored, their ids batched, the run recorded; a
// second crawl finds nothing new.
func TestCrawlSource(t *testing.T) {
	f := newFixture(t)
	site := demosite.New(demosite.Options{Seed: 1, Letters: 6, LettersPerPage: 3})
	srv := httptest.NewServer(site.Handler())
	t.Cleanup(srv.Close)
	src := demosite.MailboxSource(srv.URL).WithDefaults()
	f.acts.Sources = map[string]minyi.Source{src.Name: src}
	f.acts.Crawler = crawler.New(crawler.Options{})

	var out CrawlOutput
	f.must(t, &out, f.acts.CrawlSource, CrawlInput{Source: src.Name, RunID: "run-1"})
	if len(out.Batches) != 1 || len(out.Batches[0]) != 6 || out.Run.NewItems != 6 || out.Run.ID != "run-1" {
		t.Fatalf("crawl output %+v, want the 6 letters in one batch", out)
	}
	docs, err := f.store.Documents(context.Background(), out.Batches[0])
	if err != nil || len(docs) != 6 || docs[0].Kind != minyi.KindMessage || docs[0].Source != src.Name {
		t.Fatalf("stored %d documents (%v)", len(docs), err)
	}
	status, err := f.store.CrawlStatus(context.Background())
	if err != nil || len(status) != 1 || status[0].LastRun == nil || status[0].LastRun.ID != "run-1" || status[0].Documents != 6 {
		t.Fatalf("crawl status %+v, %v", status, err)
	}

	f.must(t, &out, f.acts.CrawlSource, CrawlInput{Source: src.Name, RunID: "run-2"})
	if len(out.Batches) != 0 || out.Run.NewItems != 0 {
		t.Errorf("second crawl %+v, want nothing new", out)
	}

	// A source this worker does not know is not retried.
	err = f.run(t, nil, f.acts.CrawlSource, CrawlInput{Source: "nope", RunID: "run-3"})
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != minyi.ENOTFOUND || !app.NonRetryable() {
		t.Errorf("unknown source: %v, want a non-retryable not_found", err)
	}
}
