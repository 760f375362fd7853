// Package activities holds every Temporal activity of minyi as a method of
// one struct, so that dependencies are injected once in cmd/minyi and tests
// can build an Activities over real backends. It depends on the interfaces of
// the root package only, which keeps workflows (which name these methods)
// free of the crawler, store and search implementations.
package activities

import (
	"log/slog"
	"time"

	"minyi"
	"minyi/calendar"
	"minyi/deadline"
	"minyi/routing"
)

// Activities carries the dependencies of all activities.
type Activities struct {
	Store   minyi.Store
	Index   minyi.Index
	Crawler minyi.Crawler
	// Poller looks at sources' list pages between crawls; nil: PollSource fails.
	Poller  minyi.ListPoller
	Sources map[string]minyi.Source // by name, defaults applied
	// Freshness is told how long each document indexed took from its
	// publication on the site; nil: not measured.
	Freshness FreshnessObserver

	Router    *routing.Router
	Deadlines deadline.Policy
	// Repeats is how long after its case closed a letter of the same event
	// is a repeat complaint (重复件) of it; 0 is minyi.DefaultRepeatWindow.
	Repeats    time.Duration
	Calendar   *calendar.Calendar
	Recipients Recipients

	// Analyzer is the text analysis of the ingest step; nil skips it.
	Analyzer Analyzer
	// Relabeler labels stored documents again when the models change
	// (RelabelDocuments); nil on workers without text analysis.
	Relabeler Relabeler
	// Settings records which models labelled the stored documents.
	Settings minyi.SettingsStore

	Logger *slog.Logger

	// Started is when this worker started: whatever the outbox marked
	// before then belongs to no ingest still running here.
	Started time.Time
	// InFlight finds the crawls and ingests in flight, whose documents the
	// outbox reconcile leaves to them; nil: it does not look.
	InFlight InFlight
	// Cases starts case workflows for StartCases; nil: that step fails.
	Cases CaseStarter
}

// FreshnessObserver records publication-to-searchable delays by source.
type FreshnessObserver interface {
	Observe(source string, delay time.Duration)
}

// BatchSize is how many documents one ingest workflow handles: large enough
// to amortise a search-index commit, small enough that the ids fit easily in
// workflow history.
const BatchSize = 100

func (a *Activities) logger() *slog.Logger {
	if a.Logger == nil {
		return slog.Default()
	}
	return a.Logger
}

// Batches cuts ids into slices of at most size.
func Batches(ids []string, size int) [][]string {
	var out [][]string
	for len(ids) > 0 {
		n := min(size, len(ids))
		out = append(out, ids[:n:n])
		ids = ids[n:]
	}
	return out
}
