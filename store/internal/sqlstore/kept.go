package sqlstore

import (
	"context"
	"sync"
	"time"

	"minyi/store/internal/input"
)

// kept holds the last answers of a read that counts many cases (the
// statistics of a window, the overdue board), to serve them again while
// they are exactly what the query would return. A year of a large city is
// 100,000 cases, and counting them takes longer than a page may; the pages
// ask for the same few answers again and again between writes.
//
// An answer is served only while no case was written since (the
// case_revision row, which every write to cases moves in its own
// transaction, whichever process writes) and no due date that the answer
// depends on was passed since it was computed: such answers count the
// cases due at or before now and those overdue (due before now).
type kept[K comparable, V any] struct {
	mu      sync.Mutex
	entries map[K]keptEntry[V]
	copy    func(V) V // a caller gets a copy it may change
}

// keptSize bounds the answers kept: a caller choosing windows at will costs
// a query each, never memory.
const keptSize = 64

// keptInstant is now as a query reads it: the whole seconds at or before it
// (due counts) and at or after it (overdue counts).
type keptInstant struct{ floor, ceil time.Time }

func instantOf(now time.Time) keptInstant {
	return keptInstant{floor: now.Truncate(time.Second), ceil: input.CeilSecond(now)}
}

// caseRevision is read before the query whose answer is kept: what the
// query reads after it is at least as new, so an answer is never kept
// under a revision newer than itself.
func (s *Store) caseRevision(ctx context.Context) (int64, error) {
	var n int64
	if err := s.c.Read().QueryRow(ctx, `SELECT n FROM case_revision WHERE id = 1`).Scan(&n); err != nil {
		return 0, s.errorf("case revision: %w", err)
	}
	return n, nil
}

type keptEntry[V any] struct {
	revision int64
	at       keptInstant
	// nextDue is the first due date at or after at.floor of a case the
	// answer counts, zero if there is none.
	nextDue time.Time
	value   V
}

// get returns a copy of the answer kept for key if it still holds at now.
// A later now holds while no due date falls in (at.floor, now.floor] (the
// cases due by now) or in [at.ceil, now.ceil) (the cases overdue at now);
// every such date is at or after nextDue. An earlier now is computed again.
func (c *kept[K, V]) get(key K, revision int64, now keptInstant) (V, bool) {
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	var zero V
	if !ok || e.revision != revision || now.floor.Before(e.at.floor) || now.ceil.Before(e.at.ceil) {
		return zero, false
	}
	if !e.nextDue.IsZero() && (!now.floor.Before(e.nextDue) || now.ceil.After(e.nextDue)) {
		return zero, false
	}
	return c.copy(e.value), true
}

// put keeps value and returns a copy of it for the caller.
func (c *kept[K, V]) put(key K, e keptEntry[V]) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= keptSize {
		c.entries = make(map[K]keptEntry[V])
	}
	c.entries[key] = e
	return c.copy(e.value)
}
