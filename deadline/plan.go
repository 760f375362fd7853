package deadline

import (
	"slices"
	"time"

	"minyi"
	"minyi/calendar"
)

// DaysFor is the reply deadline in working days of a message of type t from
// source: the source's override if it has one, else the type's default. A
// type the policy does not know — empty, misspelt, or 信访 (which counts
// calendar days, see Plan) — is treated as 求助 (help), the type
// routing.InferType falls back to, so a case always gets a deadline.
func (p Policy) DaysFor(source string, t minyi.MessageType) int {
	if n, ok := p.Sources[source][t]; ok && n > 0 {
		return n
	}
	if n, ok := p.Days[t]; ok && n > 0 {
		return n
	}
	return p.Days[minyi.TypeHelp]
}

// Plan computes the ladder of a message received at received.
//
// Ordinary messages are due at the end of the DaysFor-th working day after
// the day of receipt (the day of receipt never counts). A 信访 petition is
// due HandleDays calendar days after receipt and must be accepted within
// AcceptDays; when such a period ends on a day off it ends on the next
// working day, the general rule for statutory periods (民法典 第二百零三条).
// The rungs around the due date are in working days for every type.
func (p Policy) Plan(cal *calendar.Calendar, source string, t minyi.MessageType, received time.Time) Ladder {
	l := Ladder{Received: received}
	if t == minyi.TypePetition {
		l.Accept = calendarDays(cal, received, p.Petition.AcceptDays)
		l.Due = calendarDays(cal, received, p.Petition.HandleDays)
	} else {
		l.Due = cal.AddWorkdays(received, p.DaysFor(source, t))
	}
	return p.rungs(cal, l)
}

// PlanDue is the ladder of a case whose due date was set by whoever opened
// it, as an analyst does for a 舆情事件: the rungs around due as Plan's.
func (p Policy) PlanDue(cal *calendar.Calendar, received, due time.Time) Ladder {
	return p.rungs(cal, Ladder{Received: received, Due: due})
}

// rungs sets every rung from l.Due. Every time is cut to whole seconds, the
// precision of the store, so that the workflow and the statistics judge a
// reply against the same instant.
func (p Policy) rungs(cal *calendar.Calendar, l Ladder) Ladder {
	sec := func(t time.Time) time.Time { return t.Truncate(time.Second) }
	l.Due, l.Accept = sec(l.Due), sec(l.Accept)
	l.Reminder = time.Time{}
	if p.ReminderBefore > 0 {
		l.Reminder = sec(cal.AddWorkdays(l.Due, -p.ReminderBefore))
	}
	l.Urge = sec(cal.AddWorkdays(l.Due, p.UrgeAfter))
	l.Supervise = sec(cal.AddWorkdays(l.Due, p.SuperviseAfter))
	l.Notice = sec(cal.AddWorkdays(l.Due, p.NoticeAfter))
	return l
}

// calendarDays is the end of the day n calendar days after t's China date,
// moved to the end of the next working day when that day is off.
func calendarDays(cal *calendar.Calendar, t time.Time, n int) time.Time {
	return cal.AddWorkdays(t.In(minyi.ChinaTime).AddDate(0, 0, n), 0)
}

// Extend applies an approved extension (延期) of days to ladder l of a case
// of type t: Due moves and every rung is recomputed from it, the reminder
// included (an extended case is reminded again before its new due date).
// Received and Accept stay.
//
// days counts calendar days for 信访 (at most Petition.MaxExtensionDays) and
// working days for other types (at most the type's own deadline in Days, so
// an extension never more than doubles the time to answer; per-source
// overrides do not raise that cap). Anything else is minyi.EINVALID. Whether
// a case may be extended at all (once, before its due date) is the case
// workflow's decision, not this function's.
func (p Policy) Extend(cal *calendar.Calendar, l Ladder, t minyi.MessageType, days int) (Ladder, error) {
	if l.Due.IsZero() {
		return l, minyi.Errorf(minyi.EINVALID, "extension: the case has no due date to extend")
	}
	if days <= 0 {
		return l, minyi.Errorf(minyi.EINVALID, "extension of %d days: an extension must be at least 1 day", days)
	}
	if t == minyi.TypePetition {
		limit := p.Petition.MaxExtensionDays
		if days > limit {
			return l, minyi.Errorf(minyi.EINVALID, "extension of %d days: a 信访 petition may be extended by at most %d calendar days", days, limit)
		}
		l.Due = calendarDays(cal, l.Due, days)
		return p.rungs(cal, l), nil
	}
	if !slices.Contains(minyi.MessageTypes, t) {
		t = minyi.TypeHelp // as DaysFor
	}
	limit := p.DaysFor("", t)
	if days > limit {
		return l, minyi.Errorf(minyi.EINVALID, "extension of %d working days: a %s case may be extended by at most %d working days", days, t, limit)
	}
	l.Due = cal.AddWorkdays(l.Due, days)
	return p.rungs(cal, l), nil
}

// Reroute is when a case returned (回退) at at must have been routed again.
func (p Policy) Reroute(cal *calendar.Calendar, at time.Time) time.Time {
	return cal.AddWorkdays(at, p.RerouteWithin).Truncate(time.Second)
}

// Close is when an answered case closes if the citizen has not rated it.
func (p Policy) Close(answered time.Time) time.Time {
	return answered.Add(p.RatingWindow)
}
