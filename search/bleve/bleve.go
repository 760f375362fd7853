// Package bleve is the embedded search index: bleve v2 with a Chinese
// analyzer built on minyi/analysis.
package bleve

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"minyi"
)

// Indexer is a minyi.Index backed by a bleve index on disk or in memory.
type Indexer struct {
	path string // "" in memory

	mu         sync.RWMutex
	idx        blevesearch.Index
	unwritable error     // why writes fail until the index reopens writable (recover.go)
	triedAt    time.Time // the last attempt to reopen it
	closed     bool
}

var _ minyi.Index = (*Indexer)(nil)

// Open opens the index at path, creating it when path does not exist.
// An empty path gives an in-memory index, for tests.
func Open(path string) (*Indexer, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("bleve mapping: %w", err)
	}
	var idx blevesearch.Index
	switch {
	case path == "":
		// scorch, not NewMemOnly's upsidedown store: the same engine as on
		// disk, and several times faster at indexing.
		idx, err = blevesearch.NewUsing("", m, scorch.Name, scorch.Name, nil)
	default:
		idx, err = blevesearch.Open(path)
		if errors.Is(err, blevesearch.ErrorIndexPathDoesNotExist) {
			idx, err = blevesearch.New(path, m)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open bleve index %q: %w", path, err)
	}
	if !hasAnalysisFields(idx) {
		idx.Close()
		// The mapping is fixed when an index is created, and an old one
		// would silently ignore the analysis fields: filters and facets on
		// them would find nothing.
		return nil, fmt.Errorf("bleve index %q was built before analysis fields (sentiment, category, topic) "+
			"were indexed; move it aside and rebuild it from the store with `minyi reindex`", path)
	}
	return &Indexer{path: path, idx: idx}, nil
}

// Index adds or replaces the documents in one bleve batch, so a caller sees
// all of them or, on error, none.
func (x *Indexer) Index(ctx context.Context, docs []minyi.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	idx, err := x.writable()
	if err != nil {
		return err
	}
	b := idx.NewBatch()
	for i := range docs {
		d := &docs[i]
		if d.ID == "" {
			return minyi.Errorf(minyi.EINVALID, "document %d of the batch has no id", i)
		}
		if err := b.Index(d.ID, fields(d)); err != nil {
			return fmt.Errorf("index document %s: %w", d.ID, err)
		}
	}
	if err := idx.Batch(b); err != nil {
		x.failed(idx, err)
		return fmt.Errorf("bleve batch of %d documents: %w", len(docs), err)
	}
	return nil
}

// Delete removes documents by id; unknown ids are ignored.
func (x *Indexer) Delete(ctx context.Context, ids []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	idx, err := x.writable()
	if err != nil {
		return err
	}
	b := idx.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	if err := idx.Batch(b); err != nil {
		x.failed(idx, err)
		return fmt.Errorf("bleve delete of %d documents: %w", len(ids), err)
	}
	return nil
}

func (x *Indexer) Count(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return x.index().DocCount()
}

func hasAnalysisFields(idx blevesearch.Index) bool {
	m, ok := idx.Mapping().(*mapping.IndexMappingImpl)
	if !ok || m.DefaultMapping == nil {
		return false
	}
	_, ok = m.DefaultMapping.Properties[fieldTopic]
	return ok
}

// Close closes the index once; scorch panics on a second close.
func (x *Indexer) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	return x.idx.Close()
}
