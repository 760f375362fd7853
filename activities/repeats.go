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

// of returns the ids of the cases d repeats, newest received first (at
// most minyi.MaxRepeatOf; one more is read in case d's own is among them), and
// remembers d's own case for the letters after it in the batch.
func (r *repeats) of(ctx context.Context, d *minyi.Document) ([]string, error) {
	if d.Analysis == nil || d.Analysis.Event == "" {
		return nil, nil
	}
	ev, own := d.Analysis.Event, minyi.CaseIDFor(d.ID)
	cs, err := r.a.Store.EventCases(ctx, ev, d.Published, d.Published.Add(-r.window), minyi.MaxRepeatOf+1)
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
		if c.ID != own && len(out) < minyi.MaxRepeatOf {
			out = append(out, c.ID)
		}
	}
	return out, nil
}

// redo makes o a 重办 when a case it repeats was closed with a dissatisfied
// rating (history imported with 不满意, or a case already redone once and
// rated so again): the citizen wrote again because the answer did not
// solve it. The new letter keeps its own deadline but goes to the
// department that answered before, whatever the routing rules say, and
// counts in that department's 重办率. The newest such case decides.
func (a *Activities) redo(ctx context.Context, o *CaseOpened) error {
	for _, id := range o.Case.RepeatOf {
		prev, err := a.Store.Case(ctx, id)
		if minyi.ErrorCode(err) == minyi.ENOTFOUND {
			continue // opened earlier in this batch: open, not closed
		} else if err != nil {
			return err
		}
		if prev.Status != minyi.CaseClosed || prev.Rating != minyi.RatingDissatisfied || prev.Department == "" {
			continue
		}
		o.Case.Redo = true
		o.Case.Routing = &minyi.Routing{Department: prev.Department, Rule: RedoRule,
			Reason: "重办：前案 " + prev.ID + " 回访不满意后再次来信 (written again after a dissatisfied rating)", At: o.Case.Received}
		o.Case.Department, o.Case.Status = prev.Department, minyi.CaseOpen
		return nil
	}
	return nil
}

// RedoRule names the routing of a letter that reopens a dissatisfied case.
const RedoRule = "redo"
