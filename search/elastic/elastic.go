// Package elastic is the search index for deployments at scale:
// Elasticsearch 8 through the typed client. Chinese text is folded and
// segmented here, in Go, so the cluster needs no analysis plugin.
package elastic

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"time"

	elasticsearch "github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/typedapi/core/bulk"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/refresh"

	"minyi"
)

// indexDefinition is the settings and mapping of the index; the same JSON is
// in deploy/elasticsearch/minyi-index.json for operators (a test keeps the
// two equal).
//
//go:embed mapping.json
var indexDefinition []byte

// Indexer is a minyi.Index backed by one Elasticsearch index.
type Indexer struct {
	es    *elasticsearch.TypedClient
	index string
}

var _ minyi.Index = (*Indexer)(nil)

// Open connects to the cluster at url and creates the index with minyi's
// mapping if it does not exist yet.
func Open(ctx context.Context, url string, indexName string) (*Indexer, error) {
	if indexName == "" || strings.ToLower(indexName) != indexName {
		return nil, minyi.Errorf(minyi.EINVALID, "elasticsearch index name %q must be non-empty lower case", indexName)
	}
	es, err := elasticsearch.NewTypedClient(elasticsearch.Config{Addresses: []string{url}})
	if err != nil {
		return nil, fmt.Errorf("elasticsearch client for %s: %w", url, err)
	}
	x := &Indexer{es: es, index: indexName}
	exists, err := es.Indices.Exists(indexName).Do(ctx)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch at %s: checking index %s: %w", url, indexName, err)
	}
	if !exists {
		_, err := es.Indices.Create(indexName).Raw(bytes.NewReader(indexDefinition)).Do(ctx)
		var esErr *types.ElasticsearchError
		// Another replica may have created it since we looked.
		if errors.As(err, &esErr) && esErr.ErrorCause.Type == "resource_already_exists_exception" {
			err = nil
		}
		if err != nil {
			return nil, fmt.Errorf("create elasticsearch index %s: %w", indexName, err)
		}
	}
	return x, nil
}

// source is a document as stored in Elasticsearch.
type source struct {
	ID             string    `json:"id"`
	Source         string    `json:"source"`
	Kind           string    `json:"kind"`
	Author         string    `json:"author,omitempty"`
	MessageType    string    `json:"message_type,omitempty"`
	Board          string    `json:"board,omitempty"`
	URL            string    `json:"url,omitempty"`
	Published      time.Time `json:"published"`
	Day            string    `json:"day"`
	Title          string    `json:"title"`
	Body           string    `json:"body"`
	Comments       string    `json:"comments,omitempty"`
	TitleTokens    string    `json:"title_tokens"`
	BodyTokens     string    `json:"body_tokens"`
	CommentsTokens string    `json:"comments_tokens,omitempty"`
	// Analysis results, absent until the document is analysed.
	Sentiment string `json:"sentiment,omitempty"`
	Category  string `json:"category,omitempty"`
	Category2 string `json:"category2,omitempty"`
	Topic     string `json:"topic,omitempty"`
	// TopicGroup is what GroupByTopic collapses on: the topic, or the
	// document's own id when it has none, so that it is a group of its own
	// (collapsing on topic alone would lump all such documents together).
	TopicGroup string `json:"topic_group"`
}

func toSource(d *minyi.Document) source {
	comments := make([]string, 0, len(d.Comments))
	for _, c := range d.Comments {
		comments = append(comments, c.Body)
	}
	joined := strings.Join(comments, "\n")
	var a minyi.Analysis
	if d.Analysis != nil {
		a = *d.Analysis
	}
	group := a.Topic
	if group == "" {
		group = d.ID
	}
	return source{
		Sentiment: string(a.Sentiment), Category: a.Category, Category2: a.Category2,
		Topic: a.Topic, TopicGroup: group,
		ID: d.ID, Source: d.Source, Kind: string(d.Kind), Author: d.Author,
		MessageType: d.MessageType, Board: d.Board, URL: d.URL,
		Published: d.Published.UTC(),
		Day:       d.Published.In(minyi.ChinaTime).Format("2006-01-02"),
		Title:     d.Title, Body: d.Body, Comments: joined,
		TitleTokens: tokenText(d.Title), BodyTokens: tokenText(d.Body), CommentsTokens: tokenText(joined),
	}
}

// Index sends all documents in one bulk request and waits until they are
// searchable, so a caller that indexes and then searches sees its documents.
func (x *Indexer) Index(ctx context.Context, docs []minyi.Document) error {
	if len(docs) == 0 {
		return nil
	}
	b := x.es.Bulk().Index(x.index).Refresh(refresh.Waitfor)
	for i := range docs {
		d := &docs[i]
		if d.ID == "" {
			return minyi.Errorf(minyi.EINVALID, "document %d of the batch has no id", i)
		}
		if err := b.IndexOp(types.IndexOperation{Id_: &d.ID}, toSource(d)); err != nil {
			return fmt.Errorf("encode document %s: %w", d.ID, err)
		}
	}
	return x.doBulk(ctx, b, len(docs))
}

// Delete removes documents by id; unknown ids are ignored.
func (x *Indexer) Delete(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	b := x.es.Bulk().Index(x.index).Refresh(refresh.Waitfor)
	for _, id := range ids {
		if err := b.DeleteOp(types.DeleteOperation{Id_: &id}); err != nil {
			return fmt.Errorf("encode delete of %s: %w", id, err)
		}
	}
	return x.doBulk(ctx, b, len(ids))
}

func (x *Indexer) doBulk(ctx context.Context, b *bulk.Bulk, n int) error {
	res, err := b.Do(ctx)
	if err != nil {
		return fmt.Errorf("elasticsearch bulk of %d operations: %w", n, err)
	}
	if !res.Errors {
		return nil
	}
	var failed []string
	for _, item := range res.Items {
		for op, r := range item {
			if r.Error != nil {
				id := ""
				if r.Id_ != nil {
					id = *r.Id_
				}
				reason := ""
				if r.Error.Reason != nil {
					reason = *r.Error.Reason
				}
				failed = append(failed, fmt.Sprintf("%s %s: %s %s", op, id, r.Error.Type, reason))
			}
		}
	}
	return fmt.Errorf("elasticsearch bulk: %d of %d operations failed: %s", len(failed), n, strings.Join(failed[:min(3, len(failed))], "; "))
}

func (x *Indexer) Count(ctx context.Context) (uint64, error) {
	res, err := x.es.Count().Index(x.index).Do(ctx)
	if err != nil {
		return 0, fmt.Errorf("elasticsearch count: %w", err)
	}
	return uint64(res.Count), nil
}

// Close releases nothing: the client holds only idle HTTP connections.
func (x *Indexer) Close() error { return nil }

// DropIndex deletes the whole index, for tests and for a rebuild from the
// store (`minyi reindex`) into a fresh mapping.
func (x *Indexer) DropIndex(ctx context.Context) error {
	if _, err := x.es.Indices.Delete(x.index).Do(ctx); err != nil {
		return fmt.Errorf("delete elasticsearch index %s: %w", x.index, err)
	}
	return nil
}
