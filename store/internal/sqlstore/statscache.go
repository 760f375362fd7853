package sqlstore

import (
	"sync"
	"time"

	"minyi"
)

// statsCache keeps the last DepartmentStats of each window. A year of a
// large city is 100,000 cases, and counting them takes longer than a page
// may; the statistics page and the league table ask for the same few
// windows again and again between writes.
//
// A kept result is served only while it is exactly what the query would
// return: no case was written since (the case_revision row, which every
// write to cases moves in its own transaction, whichever process writes),
// and no due date of a case in the window was passed since it was computed
// (the figures that depend on now are those of due dates at or before it).
type statsCache struct {
	mu      sync.Mutex
	entries map[statsKey]statsEntry
}

// statsCacheSize bounds the windows kept: a caller choosing windows at will
// costs a query each, never memory.
const statsCacheSize = 64

// statsKey is a window as the query bounds it, in Unix seconds.
type statsKey struct{ from, to int64 }

// statsInstant is now as the query reads it: the whole seconds at or before
// it (due counts) and at or after it (overdue counts).
type statsInstant struct{ floor, ceil time.Time }

type statsEntry struct {
	revision int64
	at       statsInstant
	// nextDue is the first due date at or after at.floor of a case in the
	// window, zero if there is none.
	nextDue time.Time
	rows    []minyi.DepartmentStats
}

// get returns a copy of the result kept for key if it still holds at now.
// A later now holds while no due date falls in (at.floor, now.floor] (the
// cases due by now) or in [at.ceil, now.ceil) (the cases overdue at now);
// every such date is at or after nextDue. An earlier now is computed again.
func (c *statsCache) get(key statsKey, revision int64, now statsInstant) ([]minyi.DepartmentStats, bool) {
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if !ok || e.revision != revision || now.floor.Before(e.at.floor) || now.ceil.Before(e.at.ceil) {
		return nil, false
	}
	if !e.nextDue.IsZero() && (!now.floor.Before(e.nextDue) || now.ceil.After(e.nextDue)) {
		return nil, false
	}
	return copyStats(e.rows), true
}

func (c *statsCache) put(key statsKey, e statsEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= statsCacheSize {
		c.entries = make(map[statsKey]statsEntry)
	}
	c.entries[key] = e
}

// copyStats gives a caller rows and rates of its own: callers sort and
// rank what they get.
func copyStats(rows []minyi.DepartmentStats) []minyi.DepartmentStats {
	out := make([]minyi.DepartmentStats, len(rows))
	for i, d := range rows {
		out[i] = d.WithRates()
	}
	return out
}
