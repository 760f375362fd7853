package activities

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"minyi/internal/safely"
)

// CaseStarter starts the case workflow of a document through the Temporal
// client, with an id derived from the document so that a second start is
// refused (cmd/minyi gives workflowclient.CaseStarter). For a case that is
// running already it passes on the reply the source has published, if any.
type CaseStarter interface {
	StartCase(ctx context.Context, st CaseStart) (started bool, err error)
}

// startersAtOnce bounds the starts of one batch in flight: each is a round
// trip to the server, and the server writes them one at a time anyway.
const startersAtOnce = 8

// StartCases starts the case workflows a batch needs, as the ingest's
// last step but one. Started from here rather than as child workflows, a
// case costs its ingest no events, and its first workflow task comes back
// with the start (eager start) instead of through the server's queue. A
// case already started is left as it is, so the step can run again.
func (a *Activities) StartCases(ctx context.Context, starts []CaseStart) (int, error) {
	if len(starts) == 0 {
		return 0, nil
	}
	if a.Cases == nil {
		return 0, fmt.Errorf("no case starter on this worker for %d cases", len(starts))
	}
	// Every start is queued before the starters run, so a starter that
	// panics (recovered by safely.Group) cannot leave the queue blocked.
	next := make(chan CaseStart, len(starts))
	for _, st := range starts {
		next <- st
	}
	close(next)
	var opened atomic.Int64
	var g safely.Group
	for range min(startersAtOnce, len(starts)) {
		g.Go(func() error {
			var errs []error
			for st := range next {
				started, err := a.Cases.StartCase(ctx, st)
				if err != nil {
					errs = append(errs, fmt.Errorf("starting the case of %s: %w", st.DocumentID, err))
					continue
				}
				if started {
					opened.Add(1)
				}
			}
			return errors.Join(errs...)
		})
	}
	err := g.Wait()
	return int(opened.Load()), err
}
