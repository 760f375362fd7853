package activities

import (
	"cmp"
	"context"
	"slices"
	"time"

	"minyi"
)

// repeats finds the cases a new letter repeats (重复件): the cases of its
// event (Analysis.Event) received before it that are open, or closed
// within the repeat window before it, in the store or opened earlier in
// the same batch.
type repeats struct {
	a      *Activities
	window time.Duration
	batch  map[string][]minyi.EventCase // event → cases opened in this batch
}

func newRepeats(a *Activities) *repeats {
	w := a.Repeats
	if w <= 0 {
		w = minyi.DefaultRepeatWindow
	}
	return &repeats{a: a, window: w, batch: map[string][]minyi.EventCase{}}
}

// of returns the ids of the cases d repeats, newest received first, and
// remembers d's own case for the letters after it in the batch.
func (r *repeats) of(ctx context.Context, d *minyi.Document) ([]string, error) {
	if d.Analysis == nil || d.Analysis.Event == "" {
		return nil, nil
	}
	ev, own := d.Analysis.Event, minyi.CaseIDFor(d.ID)
	cs, err := r.a.Store.EventCases(ctx, ev, d.Published, d.Published.Add(-r.window))
	if err != nil {
		return nil, err
	}
	for _, c := range r.batch[ev] {
		if !c.Received.After(d.Published) && !slices.ContainsFunc(cs, func(s minyi.EventCase) bool { return s.ID == c.ID }) {
			cs = append(cs, c)
		}
	}
	r.batch[ev] = append(r.batch[ev], minyi.EventCase{ID: own, DocumentID: d.ID, Status: minyi.CaseOpen, Received: d.Published})
	slices.SortFunc(cs, func(a, b minyi.EventCase) int {
		if c := b.Received.Compare(a.Received); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	var out []string
	for _, c := range cs {
		if c.ID != own {
			out = append(out, c.ID)
		}
	}
	return out, nil
}
