package deadline

import (
	"time"

	"minyi"
)

// Ladder is a case's due date and escalation rungs. Every rung time is the
// end of a China working day (23:59:59.999, see calendar.AddWorkdays), so a
// rung fires once the day it names is over. Reminder is zero when the policy
// has no reminder; the other rungs are always set by Plan.
type Ladder struct {
	Received  time.Time `json:"received"`
	Accept    time.Time `json:"accept,omitzero"` // 信访 only: accept or forward by then
	Reminder  time.Time `json:"reminder,omitzero"`
	Due       time.Time `json:"due"`
	Urge      time.Time `json:"urge"`
	Supervise time.Time `json:"supervise"`
	Notice    time.Time `json:"notice"`
}

// Rungs lists the ladder's rungs in the order they fire.
var Rungs = []minyi.Rung{minyi.RungReminder, minyi.RungOverdue, minyi.RungUrge, minyi.RungSupervise, minyi.RungNotice}

// At is when rung r fires; zero for RungNone, an unknown rung, or a reminder
// the policy turned off.
func (l Ladder) At(r minyi.Rung) time.Time {
	switch r {
	case minyi.RungReminder:
		return l.Reminder
	case minyi.RungOverdue:
		return l.Due
	case minyi.RungUrge:
		return l.Urge
	case minyi.RungSupervise:
		return l.Supervise
	case minyi.RungNotice:
		return l.Notice
	}
	return time.Time{}
}

// Reached is the highest rung that has fired at now (its time is at or
// before now), RungNone if none has. History import uses it to set the rung
// an unanswered past case reached without firing anything.
func (l Ladder) Reached(now time.Time) minyi.Rung {
	reached := minyi.RungNone
	for _, r := range Rungs {
		if t := l.At(r); !t.IsZero() && !t.After(now) {
			reached = r
		}
	}
	return reached
}
