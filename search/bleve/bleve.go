// Package bleve is the embedded search index: bleve v2 with a Chinese
// analyzer built on minyi/analysis.
package bleve

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"minyi"
	"minyi/analysis"
)

// Indexer is a minyi.Index backed by a bleve index on disk or in memory.
type Indexer struct {
	path string // "" in memory
	// phrase turns a query clause into the tokens of a phrase query; it
	// is the query side of the index's analyzer.
	phrase func(string) []analysis.Token
	// narrow gives the terms a match of a clause also holds, anywhere
	// (nil: none besides the phrase's own).
	narrow func(string) []analysis.Token

	mu         sync.RWMutex
	idx        blevesearch.Index
	unwritable error     // why writes fail until the index reopens writable (recover.go)
	triedAt    time.Time // the last attempt to reopen it
	closed     bool

	cols      columnCache   // of the segments searched (columns.go)
	positions positionCache // of their common terms (positions.go)
}

var _ minyi.Index = (*Indexer)(nil)

// Open opens the index at path, creating it when path does not exist.
// An empty path gives an in-memory index, for tests. An index built by an
// older minyi, with another analyzer, is refused: its terms would not match
// today's queries.
func Open(path string) (*Indexer, error) {
	if path == "" {
		return create("")
	}
	idx, err := blevesearch.Open(path)
	if errors.Is(err, blevesearch.ErrorIndexPathDoesNotExist) {
		return create(path)
	}
	if err != nil {
		return nil, fmt.Errorf("open bleve index %q: %w", path, err)
	}
	if err := checkVersion(idx, path); err != nil {
		idx.Close()
		return nil, err
	}
	x := &Indexer{path: path, idx: idx, phrase: analysis.BigramPhrase, narrow: analysis.BigramsOf}
	go x.warm()
	return x, nil
}

// create makes a new, empty index of the current version at path ("" for
// memory).
func create(path string) (*Indexer, error) {
	m, err := newMapping(BigramAnalyzerName)
	if err != nil {
		return nil, fmt.Errorf("bleve mapping: %w", err)
	}
	idx, err := newIndex(path, m)
	if err != nil {
		return nil, err
	}
	if err := idx.SetInternal(versionKey, []byte(strconv.Itoa(version))); err != nil {
		idx.Close()
		return nil, fmt.Errorf("bleve index %q: recording its version: %w", path, err)
	}
	return &Indexer{path: path, idx: idx, phrase: analysis.BigramPhrase, narrow: analysis.BigramsOf}, nil
}

func newIndex(path string, m *mapping.IndexMappingImpl) (blevesearch.Index, error) {
	var idx blevesearch.Index
	var err error
	if path == "" {
		// scorch, not NewMemOnly's upsidedown store: the same engine as on
		// disk, and several times faster at indexing.
		idx, err = blevesearch.NewUsing("", m, scorch.Name, scorch.Name, nil)
	} else {
		idx, err = blevesearch.New(path, m)
	}
	if err != nil {
		return nil, fmt.Errorf("create bleve index %q: %w", path, err)
	}
	return idx, nil
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
