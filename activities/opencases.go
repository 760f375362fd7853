package activities

import (
	"context"
	"fmt"
	"time"

	"minyi"
	"minyi/internal/crashpoint"
)

// OpenCases opens the cases of a batch in one go: it chooses the documents
// that need an answer (as SelectCases does), and for those without a case
// yet it builds and records the case with its opened and routed events
// before any workflow starts. A department sees the case as soon as the
// batch is indexed, and each case workflow starts with nothing left to
// read or write but its own timers. A case already in the store is not
// rebuilt: its workflow may have moved it on (or, after a crash here, must
// still be started, and then opens it the single way, idempotently).
func (a *Activities) OpenCases(ctx context.Context, ids []string) ([]CaseStart, error) {
	defer keepAlive(ctx)()
	docs, err := a.Store.Documents(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []CaseStart
	var events []minyi.CaseEvent
	var cases []minyi.Case
	now := time.Now().UTC()
	repeats := newRepeats(a)
	for i := range docs {
		d := &docs[i]
		c, err := a.recordedCase(ctx, d.ID)
		switch {
		case err != nil:
			return nil, err
		case c != nil && c.Historical:
			continue // imported history: its case is final and no workflow owns it
		case c != nil:
			out = append(out, CaseStart{DocumentID: d.ID, Reply: d.Reply})
			continue
		case !a.needsAnswer(d):
			continue
		}
		o := a.opened(d)
		if o.Case.RepeatOf, err = repeats.of(ctx, d); err != nil {
			return nil, fmt.Errorf("repeat complaints of %s: %w", d.ID, err)
		}
		if err := a.redo(ctx, &o); err != nil {
			return nil, fmt.Errorf("重办 of %s: %w", d.ID, err)
		}
		o.Case.Updated = now
		opening := openingEvents(o.Case, now)
		o.Recorded = len(opening)
		events = append(events, opening...)
		cases = append(cases, o.Case)
		out = append(out, CaseStart{DocumentID: d.ID, Reply: d.Reply, Opened: &o})
	}
	if err := a.Store.AppendCaseEvents(ctx, events); err != nil {
		return nil, fmt.Errorf("recording the opening of %d cases: %w", len(cases), err)
	}
	if err := a.Store.PutCases(ctx, cases); err != nil {
		return nil, fmt.Errorf("recording %d cases: %w", len(cases), err)
	}
	if len(out) > 0 {
		crashpoint.Hit(crashpoint.BeforeCaseStart)
	}
	return out, nil
}

// openingEvents are the first events of every case, keyed as the case
// workflow keys its own, so that it numbers the next one after them.
func openingEvents(c minyi.Case, at time.Time) []minyi.CaseEvent {
	evs := []minyi.CaseEvent{{CaseID: c.ID, Key: minyi.EventKey(1, minyi.EventOpened), Type: minyi.EventOpened,
		At: at, Actor: "system", Due: c.Due}}
	if r := c.Routing; r != nil {
		evs = append(evs, minyi.CaseEvent{CaseID: c.ID, Key: minyi.EventKey(2, minyi.EventRouted), Type: minyi.EventRouted,
			At: at, Actor: "system", Department: r.Department, Detail: r.Reason, Due: c.Due})
	}
	return evs
}
