package activities

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
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
	var (
		opened atomic.Int64
		wg     sync.WaitGroup
		mu     sync.Mutex
		first  error
	)
	next := make(chan CaseStart)
	for range min(startersAtOnce, len(starts)) {
		wg.Go(func() {
			for st := range next {
				started, err := a.Cases.StartCase(ctx, st)
				if err != nil {
					mu.Lock()
					first = cmp.Or(first, fmt.Errorf("starting the case of %s: %w", st.DocumentID, err))
					mu.Unlock()
					continue
				}
				if started {
					opened.Add(1)
				}
			}
		})
	}
	for _, st := range starts {
		next <- st
	}
	close(next)
	wg.Wait()
	return int(opened.Load()), first
}
