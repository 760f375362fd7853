// Package elastic is the search index for deployments at scale:
// Elasticsearch 8 through the typed client. Chinese text is folded and
// segmented here, in Go, so the cluster needs no analysis plugin, and
// highlights are cut here from the original text with the same analyser.
package elastic

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	elasticsearch "github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types"

	"minyi"
)

// Indexer is a minyi.Index over the alias Config.Index.
type Indexer struct {
	es  *elasticsearch.TypedClient
	cfg Config
	// target is what requests name: the alias, or for a Build the new
	// index version itself.
	target string
	// viaAlias makes writes require the alias, so that a write after the
	// alias vanished fails instead of auto-creating an index with a
	// guessed mapping.
	viaAlias bool
	// waitForRefresh makes Index and Delete return only once a search
	// sees the change; a Build never waits and refreshes once at Commit.
	waitForRefresh bool
}

var (
	_ minyi.Index     = (*Indexer)(nil)
	_ minyi.BulkIndex = (*Indexer)(nil)
)

// ErrMappingMismatch is returned by Open when the index behind the alias
// was created from another mapping than this minyi's.
var ErrMappingMismatch = errors.New("elasticsearch index has another mapping version")

// Open connects to the cluster and checks the index behind the alias
// cfg.Index. On an empty cluster it creates the first version, with the
// alias. It refuses an index of another mapping version, and a plain index
// named like the alias (made by an earlier minyi), with a message that says
// to run `minyi reindex`.
func Open(ctx context.Context, cfg Config) (*Indexer, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	es, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	x := &Indexer{es: es, cfg: cfg, target: cfg.Index, viaAlias: true, waitForRefresh: true}
	current, err := x.aliasTargets(ctx)
	if err != nil {
		return nil, err
	}
	if len(current) == 0 {
		if err := x.refuseLegacy(ctx); err != nil {
			return nil, err
		}
		if err := x.createVersion(ctx, firstVersionName(cfg.Index), true, nil); err != nil {
			return nil, err
		}
		if current, err = x.aliasTargets(ctx); err != nil {
			return nil, err
		}
	}
	if len(current) != 1 {
		return nil, fmt.Errorf("elasticsearch alias %s points at %d indices %v; minyi writes through an alias with one index: run \"minyi reindex\"", cfg.Index, len(current), current)
	}
	if err := x.checkVersion(ctx, current[0]); err != nil {
		return nil, err
	}
	return x, nil
}

// aliasTargets lists the indices behind the alias; none when it does not
// exist.
func (x *Indexer) aliasTargets(ctx context.Context) ([]string, error) {
	alias := x.cfg.Index
	exists, err := x.es.Indices.ExistsAlias(alias).Do(ctx)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch at %v: checking alias %s: %w", x.cfg.redactedURLs(), alias, err)
	}
	if !exists {
		return nil, nil
	}
	res, err := x.es.Indices.GetAlias().Name(alias).Do(ctx)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch: reading alias %s: %w", alias, err)
	}
	var out []string
	for index := range res {
		out = append(out, index)
	}
	return out, nil
}

// refuseLegacy fails when a concrete index holds the alias's name.
func (x *Indexer) refuseLegacy(ctx context.Context) error {
	exists, err := x.es.Indices.Exists(x.cfg.Index).Do(ctx)
	if err != nil {
		return fmt.Errorf("elasticsearch at %v: checking index %s: %w", x.cfg.redactedURLs(), x.cfg.Index, err)
	}
	if exists {
		return fmt.Errorf("%w: %s is a plain index made by an earlier minyi, not an alias over a versioned index: run \"minyi reindex\" to rebuild it as %s",
			ErrMappingMismatch, x.cfg.Index, firstVersionName(x.cfg.Index))
	}
	return nil
}

// createVersion creates a new index version, under the alias when
// withAlias is set. An index that another process created meanwhile under
// the same fixed name is as good as ours.
func (x *Indexer) createVersion(ctx context.Context, name string, withAlias bool, settings map[string]any) error {
	alias := ""
	if withAlias {
		alias = x.cfg.Index
	}
	body, err := createBody(alias, settings)
	if err != nil {
		return fmt.Errorf("elasticsearch index definition: %w", err)
	}
	_, err = x.es.Indices.Create(name).Raw(strings.NewReader(string(body))).Do(ctx)
	var esErr *types.ElasticsearchError
	if withAlias && errors.As(err, &esErr) && esErr.ErrorCause.Type == "resource_already_exists_exception" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create elasticsearch index %s: %w", name, err)
	}
	return nil
}

// checkVersion compares the mapping version recorded in the index with
// this minyi's.
func (x *Indexer) checkVersion(ctx context.Context, index string) error {
	res, err := x.es.Indices.GetMapping().Index(index).Do(ctx)
	if err != nil {
		return fmt.Errorf("elasticsearch: reading the mapping of %s: %w", index, err)
	}
	have := "none"
	if rec, ok := res[index]; ok {
		if raw, ok := rec.Mappings.Meta_[metaKey]; ok {
			have = strings.Trim(string(raw), `"`)
		}
	}
	if have != mappingVersion {
		return fmt.Errorf("%w: %s (behind alias %s) holds mapping version %s, this minyi writes version %s: run \"minyi reindex\" to build the new version and move the alias to it",
			ErrMappingMismatch, index, x.cfg.Index, have, mappingVersion)
	}
	return nil
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
	Event      string `json:"event,omitempty"`
}

// commentSeparator joins comments into one field, one per line.
const commentSeparator = "\n"

func toSource(d *minyi.Document) source {
	comments := make([]string, 0, len(d.Comments))
	for _, c := range d.Comments {
		comments = append(comments, c.Body)
	}
	joined := strings.Join(comments, commentSeparator)
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
		Topic: a.Topic, TopicGroup: group, Event: a.Event,
		ID: d.ID, Source: d.Source, Kind: string(d.Kind), Author: d.Author,
		MessageType: d.MessageType, Board: d.Board, URL: d.URL,
		Published: d.Published.UTC(),
		Day:       d.Published.In(minyi.ChinaTime).Format("2006-01-02"),
		Title:     d.Title, Body: d.Body, Comments: joined,
		TitleTokens: tokenText(d.Title), BodyTokens: tokenText(d.Body), CommentsTokens: tokenText(joined),
	}
}

func (x *Indexer) Count(ctx context.Context) (uint64, error) {
	res, err := x.es.Count().Index(x.target).Do(ctx)
	if err != nil {
		return 0, fmt.Errorf("elasticsearch count: %w", err)
	}
	if err := shardFailure(res.Shards_, false); err != nil {
		return 0, fmt.Errorf("elasticsearch count: %w", err)
	}
	return uint64(res.Count), nil
}

// Close releases nothing: the client holds only idle HTTP connections, and
// closing it would fail a DropIndex that tests run after Close.
func (x *Indexer) Close() error { return nil }

// DropIndex deletes every index behind the alias (a Build's own index),
// for tests.
func (x *Indexer) DropIndex(ctx context.Context) error {
	indices := []string{x.target}
	if x.viaAlias {
		var err error
		if indices, err = x.aliasTargets(ctx); err != nil {
			return err
		}
	}
	for _, index := range indices {
		if _, err := x.es.Indices.Delete(index).Do(ctx); err != nil {
			return fmt.Errorf("delete elasticsearch index %s: %w", index, err)
		}
	}
	return nil
}
