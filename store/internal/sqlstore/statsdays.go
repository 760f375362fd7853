package sqlstore

import (
	"fmt"
	"math"
	"time"

	"minyi"
)

// The days and months of the running totals (migration 0019): China time,
// UTC+8 all year (no summer time since 1991); days are numbered from 1
// January 1970 there, months as year * 12 + month - 1.
const (
	chinaOffset = 8 * 60 * 60
	daySeconds  = 24 * 60 * 60
	// noDue is the due day and month of the cases without a due date.
	noDue = math.MaxInt32
	// maxDay bounds the days a window is cut at, far from noDue and within
	// the integer column: a window reaching past it (some 270,000 years)
	// counts its far part from cases.
	maxDay = 100_000_000
	// The months a window is cut at lie in the years SQLite's strftime
	// reads; a window's part beyond them is counted by the day.
	minMonth, maxMonth = 1 * 12, 9999*12 + 11
)

// unit is the day or the month of the running totals.
type unit struct {
	of     func(time.Time) int64 // the unit t falls in, bounded
	start  func(int64) time.Time // the instant a unit begins
	totals string                // the query of the totals by this unit
}

var (
	days = unit{
		of: func(t time.Time) int64 {
			s := t.Unix() + chinaOffset
			d := s / daySeconds
			if s%daySeconds < 0 {
				d--
			}
			return min(max(d, -maxDay), maxDay)
		},
		start:  func(d int64) time.Time { return time.Unix(d*daySeconds-chinaOffset, 0).UTC() },
		totals: fmt.Sprintf(totalsQuery, "case_day_stats", "received_day", "due_day"),
	}
	months = unit{
		of: func(t time.Time) int64 {
			y, m, _ := t.In(minyi.ChinaTime).Date()
			return min(max(int64(y)*12+int64(m)-1, minMonth), maxMonth)
		},
		start: func(m int64) time.Time {
			return time.Date(int(m/12), time.Month(m%12+1), 1, 0, 0, 0, 0, minyi.ChinaTime).UTC()
		},
		totals: fmt.Sprintf(totalsQuery, "case_month_stats", "received_month", "due_month"),
	}
)

// ceil is the first unit that begins at or after t (past the bound if t is).
func (u unit) ceil(t time.Time) int64 {
	n := u.of(t)
	if u.start(n).Before(t) {
		n++
	}
	return n
}

// span is [from, to) of stored times (whole seconds); empty if to is not
// after from.
type span struct{ from, to time.Time }

func (s span) empty() bool { return !s.to.After(s.from) }

// unitSplit is a span cut at the starts of units: the whole units [first,
// end) and the parts before and after them. With no whole unit inside,
// the span is all head.
type unitSplit struct {
	first, end int64
	head, tail span
}

func (u unit) split(s span) unitSplit {
	first, end := u.ceil(s.from), u.of(s.to)
	if s.empty() || first >= end {
		return unitSplit{head: s}
	}
	return unitSplit{first: first, end: end,
		head: span{s.from, u.start(first)}, tail: span{u.start(end), s.to}}
}
