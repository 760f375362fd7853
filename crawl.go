package minyi

import "context"

// Crawler crawls one source once. It lives behind an interface so that the
// activities, and the workflows that name them, never import the colly-based
// implementation.
type Crawler interface {
	Crawl(ctx context.Context, src Source, states PageStateStore, sink CrawlSink) (CrawlRun, error)
}

// PageStateStore remembers validators of fetched pages for conditional GET.
type PageStateStore interface {
	// PageStates returns the known states of urls, keyed by URL.
	PageStates(ctx context.Context, urls []string) (map[string]PageState, error)
	PutPageStates(ctx context.Context, states []PageState) error
}

// CrawlSink receives what a crawl produces.
type CrawlSink interface {
	// Documents gets batches of extracted, validated documents with ID and
	// ContentHash set. Returning an error aborts the crawl.
	Documents(ctx context.Context, docs []Document) error
	// Progress is called after every page with running totals.
	Progress(ctx context.Context, run CrawlRun)
}
