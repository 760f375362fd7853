package bleve

import (
	"log/slog"
	"time"

	blevesearch "github.com/blevesearch/bleve/v2"

	"minyi"
)

// A batch that scorch cannot persist (a full disk, a directory made
// read-only) leaves its segment half-introduced in memory: later batches and
// searches over that snapshot panic inside zapx. So after a failed write the
// index is reopened from disk, where the last persisted state is whole; if
// the directory cannot be opened for writing, it is opened read-only, so
// analysts keep searching what was indexed while new documents wait in the
// store's outbox, and every later write first tries to reopen it writable.

// reopenEvery bounds how often a write retries opening an unwritable index.
const reopenEvery = 2 * time.Second

// index is the bleve index in force; a search that holds it across a
// reopen gets "index closed" once, never a half-written segment.
func (x *Indexer) index() blevesearch.Index {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.idx
}

// writable is the index a write goes to, reopened for writing first if an
// earlier write could not be persisted.
func (x *Indexer) writable() (blevesearch.Index, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.unwritable == nil || x.closed {
		return x.idx, nil
	}
	if time.Since(x.triedAt) < reopenEvery {
		return nil, x.unwritable
	}
	x.triedAt = time.Now()
	// The read-only handle holds a shared lock on the index's bolt file,
	// which a writable open would wait for: close it first.
	x.idx.Close()
	if x.reopen() {
		slog.Info("search index writable again", "path", x.path)
		return x.idx, nil
	}
	return nil, x.unwritable
}

// failed reopens the index after a write to it failed with cause.
func (x *Indexer) failed(idx blevesearch.Index, cause error) {
	if x.path == "" {
		return // in memory: nothing to reopen from
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx != idx || x.closed {
		return // another write already reopened it, or the index is closing
	}
	x.idx.Close()
	x.triedAt = time.Now()
	x.unwritable = minyi.Errorf(minyi.EUNAVAILABLE, "search index %s cannot be written (%v); documents wait in the store and are indexed once it can", x.path, cause)
	if x.reopen() {
		slog.Warn("search index write failed; reopened it from disk", "path", x.path, "err", cause)
		return
	}
	slog.Error("search index cannot be written; new documents wait in the store's outbox", "path", x.path, "err", cause,
		"read_only_search", x.idx != idx)
}

// reopen opens the index writable, else read-only; it reports whether it
// is writable. With neither, the closed index stays and its calls fail
// with "index closed".
func (x *Indexer) reopen() bool {
	// Without a timeout, bolt waits forever for a lock another handle holds.
	idx, err := blevesearch.OpenUsing(x.path, map[string]any{"bolt_timeout": "1s"})
	if err == nil {
		x.idx, x.unwritable = idx, nil
		return true
	}
	if ro, err := blevesearch.OpenUsing(x.path, map[string]any{"read_only": true, "bolt_timeout": "1s"}); err == nil {
		x.idx = ro
	}
	return false
}
