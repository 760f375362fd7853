package minyi

import (
	"context"
	"time"
)

// Store is the system of record. The search index is rebuilt from it.
type Store interface {
	DocumentStore
	OutboxStore
	CrawlStore
	CaseStore
	AnalysisStore
	AccountStore
	ReportStore
	IncidentStore
	WatchStore
	Close() error
}

// PutResult says which documents a write actually changed.
type PutResult struct {
	Changed   []string // ids inserted, or whose content hash differs from the stored one
	Unchanged int
}

// DocumentStore keeps posts and messages.
type DocumentStore interface {
	// PutDocuments upserts by id in one transaction. A document whose
	// ContentHash equals the stored one is left alone (Fetched included), so
	// redelivery is a no-op; every changed one is marked pending in the
	// outbox in the same transaction. Each document must pass Validate.
	PutDocuments(ctx context.Context, docs []Document) (PutResult, error)
	// Document returns ENOTFOUND for an unknown id. Contact is filled in.
	Document(ctx context.Context, id string) (*Document, error)
	// Documents returns the documents that exist among ids, in ids order.
	Documents(ctx context.Context, ids []string) ([]Document, error)
	// ScanDocuments pages through all documents in id order: pass the last id
	// seen as afterID ("" to start).
	ScanDocuments(ctx context.Context, afterID string, limit int) ([]Document, error)
	CountDocuments(ctx context.Context) (int, error)
	// DocumentSources lists the sources that have documents, in bytewise
	// order, at a cost that grows with the sources, not the documents.
	DocumentSources(ctx context.Context) ([]string, error)
}

// DocumentVersion names one stored version of a document.
type DocumentVersion struct {
	ID          string `json:"id"`
	ContentHash string `json:"content_hash"`
}

// OutboxStore is the store's record of the documents whose pipeline
// (analysis, index, case) has not finished. PutDocuments marks every
// document it changes in the same transaction, so whatever crashes after the
// write, the document is still owed its pipeline; the ingest workflow clears
// the mark when it is done, and a reconciling workflow finishes the rest.
type OutboxStore interface {
	// PendingDocuments lists up to limit pending documents marked at or
	// before `before`, oldest first.
	PendingDocuments(ctx context.Context, before time.Time, limit int) ([]DocumentVersion, error)
	// FinishDocuments clears the marks of exactly these versions: a document
	// changed since the pipeline read it stays pending.
	FinishDocuments(ctx context.Context, done []DocumentVersion) error
	// CountPending counts the pending documents.
	CountPending(ctx context.Context) (int, error)
}

// PageState is what the crawler remembers of a URL for conditional GET.
type PageState struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	ContentHash  string    `json:"content_hash,omitempty"`
	Fetched      time.Time `json:"fetched"`
}

// CrawlRun is the progress and outcome of one crawl of one source.
type CrawlRun struct {
	ID               string    `json:"id"`
	Source           string    `json:"source"`
	Started          time.Time `json:"started"`
	Finished         time.Time `json:"finished,omitzero"`
	PagesFetched     int       `json:"pages_fetched"`
	PagesNotModified int       `json:"pages_not_modified"`
	Items            int       `json:"items"`     // documents extracted
	NewItems         int       `json:"new_items"` // documents new or changed
	Errors           int       `json:"errors"`
	LastError        string    `json:"last_error,omitempty"`
}

// SourceStatus is what `minyi status` shows for a source.
type SourceStatus struct {
	Source    string    `json:"source"`
	LastRun   *CrawlRun `json:"last_run,omitempty"`
	Runs      int       `json:"runs"`
	Documents int       `json:"documents"`
}

// CrawlStore keeps crawl state and progress.
type CrawlStore interface {
	PageStateStore
	// PutCrawlRun upserts a run by ID, so progress can be written repeatedly.
	PutCrawlRun(ctx context.Context, run CrawlRun) error
	// CrawlStatus returns one row per source that has documents or runs, by name.
	CrawlStatus(ctx context.Context) ([]SourceStatus, error)
}
