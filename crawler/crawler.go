// Package crawler fetches forum threads and mailbox letters from the sites
// minyi watches, politely (robots.txt, per-host rate limit, retries with
// backoff, conditional GET, page/depth/body limits), and hands them on as
// minyi.Documents. It is a wrapper around colly with one adapter per kind of
// site; it knows nothing of workflows, search or how state is stored.
package crawler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"minyi"
)

// PageStates is what conditional GET remembers; the store implements it.
type PageStates = minyi.PageStateStore

// Sink receives what a crawl produces: batches of at most Options.BatchSize
// new or changed documents, and progress after every page.
type Sink = minyi.CrawlSink

var _ minyi.Crawler = (*Crawler)(nil)

// Options tune a Crawler; the zero value is usable.
type Options struct {
	BatchSize int // documents per Sink.Documents call; default 100
	Logger    *slog.Logger
	Now       func() time.Time
	Transport http.RoundTripper // optional, for tests
	// MaxRetries is how often a page is retried after a 5xx, 429, timeout or
	// dropped connection; default 3, negative for none.
	MaxRetries int
	// RetryBackoff is the wait before the first retry; it doubles each time. Default 1s.
	RetryBackoff time.Duration
	// RequestTimeout bounds one HTTP request including its body; default 30s.
	RequestTimeout time.Duration
}

const (
	defaultBatchSize      = 100
	defaultMaxRetries     = 3
	defaultRetryBackoff   = time.Second
	defaultRequestTimeout = 30 * time.Second
	defaultUserAgent      = "minyi-crawler/1.0 (public opinion tracker; honours robots.txt)"
)

// Crawler crawls sources. It is safe for concurrent use; each Crawl has its
// own colly collector, robots.txt cache and counters.
type Crawler struct {
	opts   Options
	robots robotsCache // for PollLists
}

// New returns a Crawler with defaults filled into opts.
func New(opts Options) *Crawler {
	if opts.BatchSize <= 0 {
		opts.BatchSize = defaultBatchSize
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = defaultMaxRetries
	} else if opts.MaxRetries < 0 {
		opts.MaxRetries = 0
	}
	if opts.RetryBackoff <= 0 {
		opts.RetryBackoff = defaultRetryBackoff
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = defaultRequestTimeout
	}
	return &Crawler{opts: opts}
}

// Crawl crawls one source once and returns its totals. Page-level failures
// (a 404, a page over the size cap, an unparsable date) are counted in the
// run and do not stop the crawl; a Sink error, cancellation of ctx, an
// invalid source, or a crawl in which every page failed are returned as errors.
func (c *Crawler) Crawl(ctx context.Context, src minyi.Source, states PageStates, sink Sink) (minyi.CrawlRun, error) {
	src = src.WithDefaults()
	started := c.opts.Now()
	run := minyi.CrawlRun{ID: newRunID(src.Name, started), Source: src.Name, Started: started}
	finish := func(err error) (minyi.CrawlRun, error) {
		run.Finished = c.opts.Now()
		return run, err
	}
	if err := src.Validate(); err != nil {
		return finish(err)
	}
	if sink == nil {
		return finish(minyi.Errorf(minyi.EINVALID, "crawl of %q has no sink", src.Name))
	}
	ad, err := newAdapter(src)
	if err != nil {
		return finish(err)
	}

	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	cr := &crawl{
		opts:         c.opts,
		src:          src,
		log:          c.opts.Logger.With("source", src.Name, "run", run.ID),
		ctx:          cctx,
		cancel:       cancel,
		states:       states,
		sink:         sink,
		adapter:      ad,
		frontier:     newFrontier(src.MaxPages, src.MaxDepth),
		run:          run,
		known:        map[string]minyi.PageState{},
		looked:       map[string]bool{},
		starts:       map[string]bool{},
		failedStarts: map[string]bool{},
	}
	cr.collector = cr.newCollector()

	var starts []task
	for _, u := range src.StartURLs {
		t, err := ad.start(u)
		if err != nil {
			cr.pageError(u, err)
			continue
		}
		starts = append(starts, t)
		cr.starts[t.url] = true
	}
	cr.enqueue(starts)

	stop := context.AfterFunc(cctx, cr.frontier.stop)
	defer stop()
	var wg sync.WaitGroup
	for range src.Parallelism {
		wg.Go(cr.work)
	}
	wg.Wait()

	if cctx.Err() == nil {
		ad.finish(cr)
		cr.flushAll()
		cr.saveListStates()
	}
	run = cr.snapshot()
	if err := context.Cause(cctx); err != nil {
		return finish(err)
	}
	if run.PagesFetched == 0 && run.PagesNotModified == 0 && run.Errors > 0 {
		return finish(fmt.Errorf("crawl of %q fetched no page: %s", src.Name, run.LastError))
	}
	// A site that is down often still answers 200, with an error page and
	// no links: every start page failing is an outage, not an empty crawl.
	if run.Items == 0 && len(cr.starts) > 0 && len(cr.failedStarts) == len(cr.starts) {
		return finish(fmt.Errorf("crawl of %q found nothing on its start pages: %s", src.Name, run.LastError))
	}
	return finish(nil)
}

// crawl is the state of one Crawl call.
type crawl struct {
	opts      Options
	src       minyi.Source
	log       *slog.Logger
	ctx       context.Context
	cancel    context.CancelCauseFunc
	states    PageStates
	sink      Sink
	adapter   adapter
	frontier  *frontier
	collector *colly.Collector

	mu           sync.Mutex // guards run, known, looked, failedStarts
	run          minyi.CrawlRun
	known        map[string]minyi.PageState // stored states by URL
	looked       map[string]bool            // URLs whose state was asked for already
	starts       map[string]bool            // the start pages' URLs; written before any fetch
	failedStarts map[string]bool            // start pages that failed or gave nothing usable

	outMu    sync.Mutex // serialises calls to sink and states; guards the batches
	docs     []minyi.Document
	docState []minyi.PageState // states of docs, saved only once the sink took them
	toSave   []minyi.PageState
	lists    []minyi.PageState // of list pages, saved only after a complete crawl

	progMu sync.Mutex
}

// adapter knows one kind of site: which links to follow and how to read a document.
type adapter interface {
	// start turns a configured start URL into its first task.
	start(rawURL string) (task, error)
	// handle reads a fetched page: it follows links with cr.follow and hands
	// finished documents to cr.emit.
	handle(cr *crawl, t task, pg *page)
	// abandon is told that t ended without a page (error, 304, robots.txt),
	// so documents spread over several pages can complete without it.
	abandon(cr *crawl, t task)
	// finish is called once after the last page of a crawl that was not cancelled.
	finish(cr *crawl)
}

func newAdapter(src minyi.Source) (adapter, error) {
	switch src.Kind {
	case minyi.SourceDiscuz:
		return newDiscuz(), nil
	case minyi.SourceMailbox:
		return newMailbox(*src.Selectors)
	}
	return nil, minyi.Errorf(minyi.EINVALID, "source %q: no adapter for kind %q", src.Name, src.Kind)
}

func newRunID(source string, started time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%s-%s", source, started.UTC().Format("20060102T150405Z"), hex.EncodeToString(b[:]))
}

// errText is an error as an operator should read it in LastError.
func errText(err error) string {
	var e *minyi.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
