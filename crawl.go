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

// ListPoller tells cheaply whether a source's list pages changed since the
// last look, so that a crawl starts when there is likely something new.
type ListPoller interface {
	// PollLists fetches the source's start URLs, conditionally where prev
	// holds validators, and returns their states now. Changed is set when
	// any page changed since prev; a prev with no pages (the first poll) is
	// a baseline and never changed.
	PollLists(ctx context.Context, src Source, prev ListState) (ListState, error)
}

// ListState is what a poll remembers of a source's list pages; it travels
// in the polling workflow's input, so it stays small.
type ListState struct {
	Pages   []ListPage `json:"pages,omitempty"`
	Changed bool       `json:"changed,omitempty"`
	// NotModified counts the pages the server answered 304 in this poll.
	NotModified int `json:"not_modified,omitempty"`
}

// ListPage is one polled list page: the server's validators when it sends
// them, else a hash of the links on it.
type ListPage struct {
	URL          string `json:"url"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	LinksHash    string `json:"links_hash,omitempty"`
}
