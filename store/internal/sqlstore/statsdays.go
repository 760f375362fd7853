package sqlstore

import (
	"math"
	"time"
)

// The days of case_day_stats (migration 0019): China days, UTC+8 all year
// (no summer time since 1991), numbered from 1 January 1970 there.
const (
	chinaOffset = 8 * 60 * 60
	daySeconds  = 24 * 60 * 60
	// noDueDay is the due day of the cases without a due date.
	noDueDay = math.MaxInt32
	// maxDay bounds the days a window is split at, far from noDueDay and
	// within the integer column: a window reaching past it (some 270,000
	// years) counts its far part from cases.
	maxDay = 100_000_000
)

// chinaDay is the day t falls on, as the migration's triggers number it,
// bounded by ±maxDay.
func chinaDay(t time.Time) int64 {
	s := t.Unix() + chinaOffset
	d := s / daySeconds
	if s%daySeconds < 0 {
		d--
	}
	return min(max(d, -maxDay), maxDay)
}

// dayStart is the instant day d begins.
func dayStart(d int64) time.Time { return time.Unix(d*daySeconds-chinaOffset, 0).UTC() }

// ceilDay is the first day that begins at or after t.
func ceilDay(t time.Time) int64 {
	d := chinaDay(t)
	if dayStart(d).Before(t) && d < maxDay {
		d++
	}
	return d
}

// span is [from, to) of stored times (whole seconds); empty if to is not
// after from.
type span struct{ from, to time.Time }

func (s span) empty() bool { return !s.to.After(s.from) }

// daySplit is a span cut at China midnights: the whole days [first, end)
// and the parts of a day before and after them. With no whole day inside,
// the span is all head.
type daySplit struct {
	first, end int64
	head, tail span
}

func splitDays(s span) daySplit {
	first, end := ceilDay(s.from), chinaDay(s.to)
	if s.empty() || first >= end {
		return daySplit{head: s}
	}
	return daySplit{first: first, end: end,
		head: span{s.from, dayStart(first)}, tail: span{dayStart(end), s.to}}
}
