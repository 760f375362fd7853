package sqlstore

import (
	"context"
	"sync"

	"minyi/internal/safely"
)

// writeGroup gathers the small writes that callers make at once (a
// portal letter and its audit entry per citizen) into one transaction:
// while one transaction commits, the writes that arrive wait, and the
// first of them then writes them all. A letter's transaction rewrites
// pages its neighbours' rewrite too (the search grams' common characters,
// the outbox, the indexes' last pages), so that one commit of many
// letters writes each page once instead of once per letter.
type writeGroup struct {
	mu      sync.Mutex
	queue   []*groupedWrite
	leading bool // a caller is writing a group; the next group waits for it
}

type groupedWrite struct {
	fn   func(DB) error
	err  error
	lead chan struct{} // closed when this caller is to write the next group
	done chan struct{} // closed when the write is committed or failed
}

// maxGroup bounds the writes of one transaction, so that none waits
// behind a long one.
const maxGroup = 64

// inGroupTx runs fn in a write transaction with the writes of other
// callers waiting meanwhile; fn's error is what inGroupTx returns, and
// rolls back fn's writes only (see writeGroup), so fn may run twice. A
// write that is queued is written whatever its caller's context does
// meanwhile: the transaction it shares is other callers' too.
func (s *Store) inGroupTx(ctx context.Context, fn func(DB) error) error {
	g := s.group
	w := &groupedWrite{fn: fn, lead: make(chan struct{}), done: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, w)
	if !g.leading {
		g.leading = true
		close(w.lead)
	}
	g.mu.Unlock()
	select {
	case <-w.done:
		return w.err
	case <-w.lead:
	}
	g.mu.Lock()
	n := min(len(g.queue), maxGroup)
	batch := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()
	s.writeGroup(context.WithoutCancel(ctx), batch)
	g.mu.Lock()
	if len(g.queue) > 0 {
		close(g.queue[0].lead)
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	<-w.done
	return w.err
}

// writeGroup commits batch in one transaction and tells each write how it
// went. When one of them fails (a number taken, a panic) the group is
// rolled back and each write runs again in a transaction of its own, so
// that it fails alone: savepoints would spare that, but SQLite journals
// every page a savepoint changes, which cost more than the group saved.
func (s *Store) writeGroup(ctx context.Context, batch []*groupedWrite) {
	err := s.c.InTx(ctx, func(tx DB) error {
		for _, w := range batch {
			if err := safely.Call(func() error { return w.fn(tx) }); err != nil {
				return err
			}
		}
		return nil
	})
	for _, w := range batch {
		if err != nil && len(batch) > 1 {
			w.err = s.c.InTx(ctx, func(tx DB) error { return safely.Call(func() error { return w.fn(tx) }) })
		} else {
			w.err = err
		}
		close(w.done)
	}
}
