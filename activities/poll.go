package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"minyi"
)

// PollInput names the source whose list pages to look at and carries what
// the last look saw.
type PollInput struct {
	Source string
	Prev   minyi.ListState
}

// PollSource looks at a source's list pages (conditional GET, or a hash of
// their links) and says whether they changed since in.Prev. It is short,
// idempotent and read-only, so the polling workflow runs it as a local
// activity.
func (a *Activities) PollSource(ctx context.Context, in PollInput) (minyi.ListState, error) {
	src, ok := a.Sources[in.Source]
	if !ok || a.Poller == nil {
		return in.Prev, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("source %q is not configured for polling on this worker", in.Source), minyi.ENOTFOUND, nil)
	}
	st, err := a.Poller.PollLists(ctx, src, in.Prev)
	pollsTotal.WithLabelValues(src.Name, pollOutcome(st, err)).Inc()
	if err != nil {
		return in.Prev, fmt.Errorf("polling %s: %w", src.Name, err)
	}
	return st, nil
}

func pollOutcome(st minyi.ListState, err error) string {
	switch {
	case err != nil:
		return "error"
	case st.Changed:
		return "changed"
	}
	return "unchanged"
}

// observeFreshness tells a.Freshness how long each document just indexed
// took from its latest publication (the post, or its newest reply) to
// being searchable. Only crawled sources count (intake and imports have no
// site to be fresh against, and their names are not bounded), and documents
// published before this worker started are left out: their wait says when
// minyi began watching, not how fast it is.
func (a *Activities) observeFreshness(docs []minyi.Document, indexed time.Time) {
	for _, d := range docs {
		if _, crawled := a.Sources[d.Source]; !crawled {
			continue
		}
		published := latestPublication(d)
		if published.Before(a.Started) || published.After(indexed) {
			continue
		}
		delay := indexed.Sub(published)
		freshnessSeconds.WithLabelValues(d.Source).Observe(delay.Seconds())
		if a.Freshness != nil {
			a.Freshness.Observe(d.Source, delay)
		}
	}
}

func latestPublication(d minyi.Document) time.Time {
	last := d.Published
	for _, c := range d.Comments {
		if c.Published.After(last) {
			last = c.Published
		}
	}
	if d.Reply != nil && d.Reply.Published.After(last) {
		last = d.Reply.Published
	}
	return last
}
