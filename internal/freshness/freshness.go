// Package freshness keeps, per source, how long its most recent documents
// took from their publication on the site to being searchable, and the
// percentiles of that for the sources page.
package freshness

import (
	"slices"
	"sync"
	"time"

	"minyi"
)

// Window is how many recent documents of a source the percentiles cover.
const Window = 200

// maxSources bounds the memory a stream of made-up source names can take
// (intake and import name their own sources).
const maxSources = 1000

// Tracker is safe for concurrent use; the zero value is ready.
type Tracker struct {
	mu       sync.Mutex
	bySource map[string]*ring
}

type ring struct {
	delays []time.Duration
	next   int
}

var _ minyi.FreshnessReader = (*Tracker)(nil)

// Observe records one document of source that became searchable delay
// after it was published. A negative delay (a site clock ahead of ours) is
// dropped: it measures the clocks, not minyi.
func (t *Tracker) Observe(source string, delay time.Duration) {
	if delay < 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.bySource[source]
	if r == nil {
		if len(t.bySource) >= maxSources {
			return
		}
		if t.bySource == nil {
			t.bySource = map[string]*ring{}
		}
		r = &ring{}
		t.bySource[source] = r
	}
	if len(r.delays) < Window {
		r.delays = append(r.delays, delay)
		return
	}
	r.delays[r.next] = delay
	r.next = (r.next + 1) % Window
}

// Freshness gives the median and 90th percentile of source's recent
// delays (nearest rank).
func (t *Tracker) Freshness(source string) minyi.Freshness {
	t.mu.Lock()
	var ds []time.Duration
	if r := t.bySource[source]; r != nil {
		ds = slices.Clone(r.delays)
	}
	t.mu.Unlock()
	if len(ds) == 0 {
		return minyi.Freshness{}
	}
	slices.Sort(ds)
	rank := func(p int) time.Duration { return ds[(len(ds)*p+99)/100-1] }
	return minyi.Freshness{Samples: len(ds), P50: rank(50), P90: rank(90)}
}
