package minyi

import (
	"context"
	"time"
)

// Index is a full-text search index over documents. It holds no data the
// Store lacks: `minyi reindex` rebuilds it.
type Index interface {
	// Index adds or replaces documents by id, as one batch.
	Index(ctx context.Context, docs []Document) error
	Delete(ctx context.Context, ids []string) error
	// Search returns EINVALID for a query a user got wrong, never EINTERNAL.
	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)
	Count(ctx context.Context) (uint64, error)
	Close() error
}

// BulkIndex is an Index for which waiting until a write is searchable
// costs time per call (Elasticsearch refreshes its shards, up to a second).
// IndexBulk writes like Index but returns without that wait; the documents
// become searchable shortly after. Bulk loads (crawl batches) use it; a write
// that someone reads back at once (direct intake, a reply) uses Index.
type BulkIndex interface {
	Index
	IndexBulk(ctx context.Context, docs []Document) error
}

// IndexBulk writes docs with ix's IndexBulk when it has one, else with Index.
func IndexBulk(ctx context.Context, ix Index, docs []Document) error {
	if b, ok := ix.(BulkIndex); ok {
		return b.IndexBulk(ctx, docs)
	}
	return ix.Index(ctx, docs)
}

// Paging limits keep deep pagination from loading the whole index.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
	MaxSearchWindow = 10_000 // page*page_size may not exceed this
	MaxQueryRunes   = 500
)

// SearchQuery is a user's search. Text uses the syntax of ParseQuery.
type SearchQuery struct {
	Text     string
	Source   string
	Kind     Kind
	From, To time.Time // published within [From, To); zero means unbounded
	// Filters on analysis results; "" means any.
	Sentiment Sentiment
	Category  string
	Topic     string
	Event     string // documents of one event (Analysis.Event)
	// GroupByTopic returns one hit per topic (its best match), with the
	// topic's size in the hit, so reposts do not crowd a page.
	GroupByTopic bool
	// TopicsBySize, with GroupByTopic, puts the topics with the most
	// matches first, equal sizes in an order the backend keeps from page to
	// page: a report names the largest topics of a period, where a search
	// page shows the best or newest.
	TopicsBySize bool
	Page         int // 1-based
	PageSize     int
}

// SearchResult is one page of hits plus facets over all matches.
type SearchResult struct {
	Total    uint64       `json:"total"`
	Page     int          `json:"page"`
	PageSize int          `json:"page_size"`
	Hits     []SearchHit  `json:"hits"`
	Facets   SearchFacets `json:"facets"`
}

// SearchHit is a matching document with highlighted fragments (matches
// wrapped in <mark>, the rest HTML-escaped) per field.
type SearchHit struct {
	ID         string              `json:"id"`
	Source     string              `json:"source"`
	Kind       Kind                `json:"kind"`
	Title      string              `json:"title"`
	URL        string              `json:"url,omitempty"`
	Author     string              `json:"author,omitempty"`
	Published  time.Time           `json:"published"`
	Score      float64             `json:"score"`
	Highlights map[string][]string `json:"highlights,omitempty"`
	Sentiment  Sentiment           `json:"sentiment,omitempty"`
	Category   string              `json:"category,omitempty"`
	Topic      string              `json:"topic,omitempty"`
	Event      string              `json:"event,omitempty"`
	TopicSize  int                 `json:"topic_size,omitempty"` // with GroupByTopic: matches in the topic
}

// SearchFacets count all matches by source and by day (China time, YYYY-MM-DD).
type SearchFacets struct {
	Sources    []FacetCount `json:"sources"`
	Days       []FacetCount `json:"days"` // ascending by day
	Sentiments []FacetCount `json:"sentiments"`
	Categories []FacetCount `json:"categories"`
}

type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Normalize fills in paging defaults and rejects out-of-range values.
func (q *SearchQuery) Normalize() error {
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PageSize == 0 {
		q.PageSize = DefaultPageSize
	}
	switch {
	case q.Page < 1:
		return Errorf(EINVALID, "page must be 1 or more")
	case q.PageSize < 1 || q.PageSize > MaxPageSize:
		return Errorf(EINVALID, "page_size must be between 1 and %d", MaxPageSize)
	// Dividing, not multiplying: page*page_size wraps around for a page
	// near 2^62 and would pass.
	case q.Page > MaxSearchWindow/q.PageSize:
		return Errorf(EINVALID, "page*page_size may not exceed %d; narrow the query instead", MaxSearchWindow)
	case !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To):
		return Errorf(EINVALID, "from must be before to")
	case q.TopicsBySize && !q.GroupByTopic:
		return Errorf(EINVALID, "ordering topics by size needs grouping by topic")
	}
	return nil
}
