package sqlite

import (
	"math"
	"time"

	"minyi"
)

// The store/postgres package has a twin of this file: both backends must
// accept and refuse exactly the same cases, events, filters and escalations.

const (
	// defaultCaseLimit is the page size of Cases when the filter sets none.
	defaultCaseLimit = 50
	// maxCaseLimit bounds a page; exports page through larger sets.
	maxCaseLimit = 500
)

// prepareCase checks c and returns a copy normalised for storage: times in
// UTC whole seconds, Routing copied.
func prepareCase(c minyi.Case) (minyi.Case, error) {
	if err := checkCase(&c); err != nil {
		return c, minyi.Errorf(minyi.ErrorCode(err), "case %q: %s", c.ID, minyi.ErrorMessage(err))
	}
	c.Received = storedTime(c.Received)
	c.Due = storedTime(c.Due)
	c.Answered = storedTime(c.Answered)
	c.Updated = storedTime(c.Updated)
	if c.Routing != nil {
		r := *c.Routing
		r.At = storedTime(r.At)
		c.Routing = &r
	}
	return c, nil
}

func checkCase(c *minyi.Case) error {
	switch {
	case c.ID == "":
		return minyi.Errorf(minyi.EINVALID, "case has no id")
	case len(c.ID) > maxIDBytes:
		return minyi.Errorf(minyi.ETOOLARGE, "case id is longer than %d bytes", maxIDBytes)
	case c.DocumentID == "":
		return minyi.Errorf(minyi.EINVALID, "case has no document id")
	case c.Received.IsZero():
		return minyi.Errorf(minyi.EINVALID, "case has no received time")
	case c.Returns < 0:
		return minyi.Errorf(minyi.EINVALID, "case has a negative return count")
	}
	if err := checkCaseStatus(c.Status); err != nil {
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
	for _, f := range fields {
		if err := checkText(f); err != nil {
			return err
		}
	}
	return nil
}

func checkCaseStatus(s minyi.CaseStatus) error {
	switch s {
	case minyi.CaseRouting, minyi.CaseOpen, minyi.CaseAnswered, minyi.CaseClosed:
		return nil
	}
	return minyi.Errorf(minyi.EINVALID, "unknown case status %q", s)
}

// prepareCaseEvents checks every event before anything is written and returns
// copies with times in UTC whole seconds.
func prepareCaseEvents(events []minyi.CaseEvent) ([]minyi.CaseEvent, error) {
	out := make([]minyi.CaseEvent, len(events))
	for i, e := range events {
		if err := checkCaseEvent(&e); err != nil {
			return nil, minyi.Errorf(minyi.ErrorCode(err), "case event %d (case %q, key %q): %s",
				i, e.CaseID, e.Key, minyi.ErrorMessage(err))
		}
		e.At = storedTime(e.At)
		e.Due = storedTime(e.Due)
		out[i] = e
	}
	return out, nil
}

func checkCaseEvent(e *minyi.CaseEvent) error {
	switch {
	case e.CaseID == "":
		return minyi.Errorf(minyi.EINVALID, "event has no case id")
	case e.Key == "":
		return minyi.Errorf(minyi.EINVALID, "event has no key")
	case e.Type == "":
		return minyi.Errorf(minyi.EINVALID, "event has no type")
	case e.At.IsZero():
		return minyi.Errorf(minyi.EINVALID, "event has no time")
	case len(e.CaseID) > maxIDBytes || len(e.Key) > maxIDBytes:
		return minyi.Errorf(minyi.ETOOLARGE, "event case id or key is longer than %d bytes", maxIDBytes)
	}
	for _, f := range []string{e.CaseID, e.Key, string(e.Type), e.Actor, e.Department, e.Detail} {
		if err := checkText(f); err != nil {
			return err
		}
	}
	return nil
}

// caseQuery is a checked CaseFilter with its defaults applied.
type caseQuery struct {
	minyi.CaseFilter
	overdueBefore time.Time // a case is overdue if its due is before this; see ceilSecond
}

func checkCaseFilter(f minyi.CaseFilter) (caseQuery, error) {
	q := caseQuery{CaseFilter: f}
	if f.Status != "" {
		if err := checkCaseStatus(f.Status); err != nil {
			return q, err
		}
	}
	if err := checkText(f.Department); err != nil {
		return q, err
	}
	switch {
	case f.Offset < 0:
		return q, minyi.Errorf(minyi.EINVALID, "case offset must not be negative, got %d", f.Offset)
	case f.Limit < 0 || f.Limit > maxCaseLimit:
		return q, minyi.Errorf(minyi.EINVALID, "case limit must be between 1 and %d, got %d", maxCaseLimit, f.Limit)
	case f.Overdue != nil && f.Now.IsZero():
		return q, minyi.Errorf(minyi.EINVALID, "the overdue filter needs the time to judge it at")
	case !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From):
		return q, minyi.Errorf(minyi.EINVALID, "case window ends (%s) before it starts (%s)",
			f.To.Format(time.RFC3339), f.From.Format(time.RFC3339))
	}
	if q.Limit == 0 {
		q.Limit = defaultCaseLimit
	}
	q.overdueBefore = ceilSecond(f.Now)
	return q, nil
}

// ceilSecond is the first whole second not before t. Stored times are whole
// seconds, so for a stored x, "x < t" iff "x < ceilSecond(t)" and "x >= t"
// iff "x >= ceilSecond(t)": with now as t, "due < ceilSecond(now)" is exactly
// minyi.Case.Overdue's "now after due" even when now has a fractional second.
func ceilSecond(t time.Time) time.Time {
	c := t.UTC().Truncate(time.Second)
	if c.Before(t) {
		c = c.Add(time.Second)
	}
	return c
}

func checkStatsWindow(from, to, now time.Time) error {
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

// withRates fills in the four rates; a rate whose denominator is 0 is 0.
func withRates(d minyi.DepartmentStats) minyi.DepartmentStats {
	ratio := func(n, of int) float64 {
		if of == 0 {
			return 0
		}
		return float64(n) / float64(of)
	}
	d.ResponseRate = ratio(d.Answered, d.Received)
	d.OnTimeRate = ratio(d.AnsweredOnTime, d.Due)
	d.ReturnRate = ratio(d.Returned, d.Received)
	d.SatisfactionRate = ratio(d.Satisfied, d.Rated)
	return d
}

func checkEscalation(e *minyi.DepartmentEscalation) error {
	var err error
	switch {
	case e.Key == "":
		err = minyi.Errorf(minyi.EINVALID, "escalation has no key")
	case len(e.Key) > maxIDBytes:
		err = minyi.Errorf(minyi.ETOOLARGE, "escalation key is longer than %d bytes", maxIDBytes)
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
			err = checkText(f)
		}
	}
	if err != nil {
		return minyi.Errorf(minyi.ErrorCode(err), "department escalation %q: %s", e.Key, minyi.ErrorMessage(err))
	}
	return nil
}
