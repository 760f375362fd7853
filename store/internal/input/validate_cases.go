package input

import (
	"math"
	"slices"
	"time"

	"minyi"
)

const (
	// DefaultCaseLimit is the page size of Cases when the filter sets none.
	DefaultCaseLimit = 50
	// MaxCaseLimit bounds a page; exports page through larger sets.
	MaxCaseLimit = 500
)

// PrepareCase checks c and returns a copy normalised for storage: times in
// UTC whole seconds, Routing copied.
func PrepareCase(c minyi.Case) (minyi.Case, error) {
	if err := CheckCase(&c); err != nil {
		return c, minyi.Errorf(minyi.ErrorCode(err), "case %q: %s", c.ID, minyi.ErrorMessage(err))
	}
	c.Received = StoredTime(c.Received)
	c.Due = StoredTime(c.Due)
	c.Answered = StoredTime(c.Answered)
	c.Updated = StoredTime(c.Updated)
	if c.Routing != nil {
		r := *c.Routing
		r.At = StoredTime(r.At)
		c.Routing = &r
	}
	return c, nil
}

func CheckCase(c *minyi.Case) error {
	switch {
	case c.ID == "":
		return minyi.Errorf(minyi.EINVALID, "case has no id")
	case len(c.ID) > MaxIDBytes:
		return minyi.Errorf(minyi.ETOOLARGE, "case id is longer than %d bytes", MaxIDBytes)
	case c.DocumentID == "":
		return minyi.Errorf(minyi.EINVALID, "case has no document id")
	case c.Received.IsZero():
		return minyi.Errorf(minyi.EINVALID, "case has no received time")
	case c.Returns < 0:
		return minyi.Errorf(minyi.EINVALID, "case has a negative return count")
	}
	if err := CheckCaseStatus(c.Status); err != nil {
		return err
	}
	switch c.Rung {
	case minyi.RungNone, minyi.RungReminder, minyi.RungOverdue, minyi.RungUrge, minyi.RungSupervise, minyi.RungNotice:
	default:
		return minyi.Errorf(minyi.EINVALID, "unknown rung %q", c.Rung)
	}
	switch c.Rating {
	case "", minyi.RatingSatisfied, minyi.RatingBasic, minyi.RatingDissatisfied:
	default:
		return minyi.Errorf(minyi.EINVALID, "unknown rating %q", c.Rating)
	}
	fields := []string{c.ID, c.DocumentID, c.Source, c.Title, string(c.MessageType), c.Category, c.Region, c.Department}
	if r := c.Routing; r != nil {
		fields = append(fields, r.Department, r.Rule, r.Reason)
	}
	for _, id := range c.RepeatOf {
		if id == "" || id == c.ID {
			return minyi.Errorf(minyi.EINVALID, "case cannot repeat %q", id)
		}
		fields = append(fields, id)
	}
	switch {
	case c.MergedInto == c.ID && c.ID != "":
		return minyi.Errorf(minyi.EINVALID, "case cannot be merged into itself")
	case len(c.MergedInto) > MaxIDBytes:
		return minyi.Errorf(minyi.ETOOLARGE, "merged-into case id is longer than %d bytes", MaxIDBytes)
	}
	fields = append(fields, c.MergedInto)
	for _, f := range fields {
		if err := CheckText(f); err != nil {
			return err
		}
	}
	return nil
}

func CheckCaseStatus(s minyi.CaseStatus) error {
	switch s {
	case minyi.CaseRouting, minyi.CaseOpen, minyi.CaseAnswered, minyi.CaseClosed:
		return nil
	}
	return minyi.Errorf(minyi.EINVALID, "unknown case status %q", s)
}

// PrepareCaseEvents checks every event before anything is written and returns
// copies with times in UTC whole seconds.
func PrepareCaseEvents(events []minyi.CaseEvent) ([]minyi.CaseEvent, error) {
	out := make([]minyi.CaseEvent, len(events))
	for i, e := range events {
		if err := CheckCaseEvent(&e); err != nil {
			return nil, minyi.Errorf(minyi.ErrorCode(err), "case event %d (case %q, key %q): %s",
				i, e.CaseID, e.Key, minyi.ErrorMessage(err))
		}
		e.At = StoredTime(e.At)
		e.Due = StoredTime(e.Due)
		out[i] = e
	}
	return out, nil
}

func CheckCaseEvent(e *minyi.CaseEvent) error {
	switch {
	case e.CaseID == "":
		return minyi.Errorf(minyi.EINVALID, "event has no case id")
	case e.Key == "":
		return minyi.Errorf(minyi.EINVALID, "event has no key")
	case e.Type == "":
		return minyi.Errorf(minyi.EINVALID, "event has no type")
	case e.At.IsZero():
		return minyi.Errorf(minyi.EINVALID, "event has no time")
	case len(e.CaseID) > MaxIDBytes || len(e.Key) > MaxIDBytes:
		return minyi.Errorf(minyi.ETOOLARGE, "event case id or key is longer than %d bytes", MaxIDBytes)
	}
	for _, f := range []string{e.CaseID, e.Key, string(e.Type), e.Actor, e.Department, e.Detail} {
		if err := CheckText(f); err != nil {
			return err
		}
	}
	return nil
}

// CaseQuery is a checked CaseFilter with its defaults applied.
type CaseQuery struct {
	minyi.CaseFilter
	OverdueBefore time.Time // a case is overdue if its due is before this; see CeilSecond
}

func CheckCaseFilter(f minyi.CaseFilter) (CaseQuery, error) {
	q := CaseQuery{CaseFilter: f}
	if f.Status != "" {
		if err := CheckCaseStatus(f.Status); err != nil {
			return q, err
		}
	}
	if err := CheckText(f.Department); err != nil {
		return q, err
	}
	if err := CheckText(f.MergedInto); err != nil {
		return q, err
	}
	switch {
	case f.Offset < 0:
		return q, minyi.Errorf(minyi.EINVALID, "case offset must not be negative, got %d", f.Offset)
	case f.Limit < 0 || f.Limit > MaxCaseLimit:
		return q, minyi.Errorf(minyi.EINVALID, "case limit must be between 1 and %d, got %d", MaxCaseLimit, f.Limit)
	case f.Overdue != nil && f.Now.IsZero():
		return q, minyi.Errorf(minyi.EINVALID, "the overdue filter needs the time to judge it at")
	case !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From):
		return q, minyi.Errorf(minyi.EINVALID, "case window ends (%s) before it starts (%s)",
			f.To.Format(time.RFC3339), f.From.Format(time.RFC3339))
	}
	if q.Limit == 0 {
		q.Limit = DefaultCaseLimit
	}
	q.OverdueBefore = CeilSecond(f.Now)
	return q, nil
}

// CeilSecond is the first whole second not before t. Stored times are whole
// seconds, so for a stored x, "x < t" iff "x < CeilSecond(t)" and "x >= t"
// iff "x >= CeilSecond(t)": with now as t, "due < CeilSecond(now)" is exactly
// minyi.Case.Overdue's "now after due" even when now has a fractional second.
func CeilSecond(t time.Time) time.Time {
	c := t.UTC().Truncate(time.Second)
	if c.Before(t) {
		c = c.Add(time.Second)
	}
	return c
}

func CheckStatsWindow(from, to, now time.Time) error {
	switch {
	case from.IsZero() || to.IsZero():
		return minyi.Errorf(minyi.EINVALID, "department stats need a window with a start and an end")
	case !to.After(from):
		return minyi.Errorf(minyi.EINVALID, "department stats window ends (%s) before it starts (%s)",
			to.Format(time.RFC3339), from.Format(time.RFC3339))
	case now.IsZero():
		return minyi.Errorf(minyi.EINVALID, "department stats need the time to judge overdue cases at")
	}
	return nil
}

func CheckEscalation(e *minyi.DepartmentEscalation) error {
	var err error
	switch {
	case e.Key == "":
		err = minyi.Errorf(minyi.EINVALID, "escalation has no key")
	case len(e.Key) > MaxIDBytes:
		err = minyi.Errorf(minyi.ETOOLARGE, "escalation key is longer than %d bytes", MaxIDBytes)
	case e.Department == "":
		err = minyi.Errorf(minyi.EINVALID, "escalation has no department")
	case e.Rung != minyi.RungSupervise && e.Rung != minyi.RungNotice:
		err = minyi.Errorf(minyi.EINVALID, "escalation rung must be %q or %q, got %q",
			minyi.RungSupervise, minyi.RungNotice, e.Rung)
	case e.At.IsZero():
		err = minyi.Errorf(minyi.EINVALID, "escalation has no time")
	case math.IsNaN(e.OnTimeRate) || e.OnTimeRate < 0 || e.OnTimeRate > 1:
		err = minyi.Errorf(minyi.EINVALID, "escalation on-time rate must be a fraction between 0 and 1, got %v", e.OnTimeRate)
	}
	for _, f := range []string{e.Key, e.Department, e.Reason} {
		if err == nil {
			err = CheckText(f)
		}
	}
	if err != nil {
		return minyi.Errorf(minyi.ErrorCode(err), "department escalation %q: %s", e.Key, minyi.ErrorMessage(err))
	}
	return nil
}

// CheckOverdueFilter checks a page request of the overdue board and applies
// its default page size.
func CheckOverdueFilter(f minyi.OverdueFilter) (minyi.OverdueFilter, error) {
	if err := CheckText(f.Department); err != nil {
		return f, err
	}
	switch {
	case f.Rung != minyi.RungNone && !slices.Contains(minyi.BoardRungs, f.Rung):
		return f, minyi.Errorf(minyi.EINVALID, "the overdue board has no rung %q", f.Rung)
	case f.Now.IsZero():
		return f, minyi.Errorf(minyi.EINVALID, "the overdue board needs the time to judge it at")
	case f.Offset < 0:
		return f, minyi.Errorf(minyi.EINVALID, "case offset must not be negative, got %d", f.Offset)
	case f.Limit < 0 || f.Limit > MaxCaseLimit:
		return f, minyi.Errorf(minyi.EINVALID, "case limit must be between 1 and %d, got %d", MaxCaseLimit, f.Limit)
	}
	if f.Limit == 0 {
		f.Limit = DefaultCaseLimit
	}
	return f, nil
}
