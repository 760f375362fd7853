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
// callers waiting meanwhile, each in a savepoint of its own: fn's error
// rolls back fn's writes only, and is what inGroupTx returns. A write that
// is queued is written whatever its caller's context does meanwhile: the
// transaction it shares is other callers' too.
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
// went. A write that panics fails alone: its savepoint is rolled back and
// the others are committed.
func (s *Store) writeGroup(ctx context.Context, batch []*groupedWrite) {
	errs := make([]error, len(batch))
	err := s.c.InTx(ctx, func(tx DB) error {
		if len(batch) == 1 {
			errs[0] = safely.Call(func() error { return batch[0].fn(tx) })
			return errs[0]
		}
		for i, w := range batch {
			if _, err := tx.Exec(ctx, `SAVEPOINT grouped_write`); err != nil {
				return err
			}
			if errs[i] = safely.Call(func() error { return w.fn(tx) }); errs[i] != nil {
				if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT grouped_write`); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `RELEASE SAVEPOINT grouped_write`); err != nil {
				return err
			}
		}
		return nil
	})
	for i, w := range batch {
		w.err = errs[i]
		if w.err == nil {
			w.err = err
		}
		close(w.done)
	}
}
