package minyi

import (
	"context"
	"time"
)

// Sentiment is the tone of a document toward its subject.
type Sentiment string

const (
	SentimentPositive Sentiment = "正面"
	SentimentNeutral  Sentiment = "中性"
	SentimentNegative Sentiment = "负面"
)

// Analysis is what text analysis found in a document. It is stored with the
// document and indexed for facets; the original text is never changed by it.
type Analysis struct {
	Sentiment          Sentiment `json:"sentiment"`
	SentimentScore     float64   `json:"sentiment_score"`     // -1 (negative) .. 1 (positive)
	Category           string    `json:"category,omitempty"`  // first level of the official taxonomy
	Category2          string    `json:"category2,omitempty"` // second level, only when confident
	CategoryConfidence float64   `json:"category_confidence,omitempty"`
	// Topic groups near-duplicates (reposts, copy-paste threads): the id of
	// the first-seen document of the group.
	Topic   string `json:"topic,omitempty"`
	Simhash uint64 `json:"simhash,string,omitempty"`
	// Event groups documents about one problem at one place across
	// wording, sources and weeks (analysis/event): the id of the event's
	// first document, "" for none. Near-duplicates share their event.
	Event string `json:"event,omitempty"`
}

// DocumentAnalysis is an analysis result for one stored document.
type DocumentAnalysis struct {
	ID       string
	Analysis Analysis
	// Absorbed are events this document showed to be Analysis.Event: they
	// stop existing, and the store moves their documents to Analysis.Event
	// in the same write, so event ids stay unique and stable.
	Absorbed []string
	// Label, when set, is how Analysis.Event reads after this document; the
	// store keeps the last one written per event.
	Label *EventLabel
}

// EventLabel is how an event is shown: a title generated from its
// documents' titles, where (sites, regions) and who (crowds), most named
// first.
type EventLabel struct {
	Title   string   `json:"title"`
	Sites   []string `json:"sites,omitempty"`
	Regions []string `json:"regions,omitempty"`
	Crowds  []string `json:"crowds,omitempty"`
}

// Event is a stored event: its label and what its documents span.
type Event struct {
	ID string `json:"id"`
	EventLabel
	First time.Time `json:"first"` // earliest publication of its documents
	Last  time.Time `json:"last"`  // latest
	Count int       `json:"count"` // documents
}

// PublishedKey is a document's place in publication order (ties by id),
// for paging through documents the way the event clusterer reads them.
type PublishedKey struct {
	Published time.Time
	ID        string
}

// Fingerprint is what the near-duplicate index needs of a document.
type Fingerprint struct {
	ID        string
	Simhash   uint64
	Topic     string
	Published time.Time
}

// TopicTrend is a topic's volume in a window and in the window before it.
type TopicTrend struct {
	Topic     string    `json:"topic"`
	Title     string    `json:"title"` // of the topic's first document
	FirstSeen time.Time `json:"first_seen"`
	Count     int       `json:"count"`    // documents published in the window
	Previous  int       `json:"previous"` // in the window of equal length before it
	Negative  int       `json:"negative"` // of Count, negative sentiment
	Total     int       `json:"total"`    // all documents of the topic
	Growth    float64   `json:"growth"`   // (Count+1)/(Previous+1): ranks rising topics first
}

// AnalysisStore keeps analysis results beside the documents.
type AnalysisStore interface {
	// PutAnalyses sets the analysis of existing documents by id, leaving
	// their content and ContentHash alone; unknown ids are ENOTFOUND.
	PutAnalyses(ctx context.Context, results []DocumentAnalysis) error
	// Fingerprints lists documents published at or after since that have a
	// simhash, oldest first, to rebuild the near-duplicate index on start.
	Fingerprints(ctx context.Context, since time.Time) ([]Fingerprint, error)
	// TopicTrends ranks topics with documents published in [from, to) by
	// Growth, then Count; at most limit.
	TopicTrends(ctx context.Context, from, to time.Time, limit int) ([]TopicTrend, error)

	// Event returns a stored event; ENOTFOUND for an unknown or absorbed id.
	Event(ctx context.Context, id string) (*Event, error)
	// ScanPublished pages through the documents published at or after
	// since in order of publication, ties by id: after is the key of the
	// last document seen (zero to start). It is how the event clusterer is
	// rebuilt on start and by minyi reindex.
	ScanPublished(ctx context.Context, since time.Time, after PublishedKey, limit int) ([]Document, error)
	// EventDocumentIDs lists the ids of the documents of any of events, in
	// id order: the index re-tags them when their event is absorbed.
	EventDocumentIDs(ctx context.Context, events []string) ([]string, error)
	// ClearEvents forgets every event and every document's event, before
	// minyi reindex assigns them again from the start.
	ClearEvents(ctx context.Context) error
	// HotEvents ranks the events with documents published in [from, to)
	// by heat (analysis/event.Heat: the period's count, its growth over
	// the period of equal length before, negative share, distinct sources),
	// then id; at most limit, each with what an analyst reads of it.
	HotEvents(ctx context.Context, from, to time.Time, limit int) ([]HotEvent, error)
}

// HotEvent is an event as hot events list it: its stored row, its heat in
// the period and what it did in it.
type HotEvent struct {
	Event
	Heat     float64 `json:"heat"`
	InPeriod int     `json:"in_period"` // documents published in the period
	Previous int     `json:"previous"`  // in the period of equal length before it
	Negative int     `json:"negative"`  // of InPeriod, negative sentiment
	// Likes and Dislikes sum readers' reactions on the period's documents
	// (点赞/支持, 反对), where their sources show any.
	Likes    int `json:"likes"`
	Dislikes int `json:"dislikes"`
	// Sentiments and Sources count the period's documents, most first
	// (ties by value).
	Sentiments []FacetCount `json:"sentiments"`
	Sources    []FacetCount `json:"sources"`
	// Days counts the period's documents per China-time day
	// (YYYY-MM-DD), every day of the period, in order: a trend line.
	Days []FacetCount `json:"days"`
	// Cases are the cases opened for any of the event's documents, at any
	// time, newest received first.
	Cases []EventCase `json:"cases,omitempty"`
}

// EventCase is a case linked to an event through its document.
type EventCase struct {
	ID         string     `json:"id"`
	DocumentID string     `json:"document_id"`
	Status     CaseStatus `json:"status"`
	Received   time.Time  `json:"received"`
}

// Relabeling is a re-analysis of the stored documents after the models
// that label them changed (a new sentiment or category model): its input,
// and its progress as an admin sees it. A run continued as new carries it
// on.
type Relabeling struct {
	Version string    // the models the re-analysis labels with
	Started time.Time // when the first run began
	After   string    // the last id labelled
	Total   int       // documents stored when it began
	Done    int       // documents read
	Changed int       // documents whose labels changed
	// Mixed is set when a step ran on a worker with other models (a
	// rolling upgrade): the version is then not recorded, and the next
	// start labels again.
	Mixed    bool
	Finished time.Time
}
