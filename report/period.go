package report

import (
	"time"

	"minyi"
)

// MaxPeriod bounds a report's period: the series has one bucket a day
// beyond two days, and the index's day facets hold about a year.
const MaxPeriod = 400 * 24 * time.Hour

// hourlyUpTo is the longest period whose series is counted by the hour:
// a day's report shows its hours, a week's its days.
const hourlyUpTo = 2 * 24 * time.Hour

// LastPeriod is the last whole period of kind k that ended at or before
// now, in China time: yesterday for a daily report (the morning's report is
// about the day before), last week (Monday to Monday) for a weekly one,
// last calendar month for a monthly one. A special report has no period of
// its own: it returns zero times.
func LastPeriod(k Kind, now time.Time) (from, to time.Time) {
	y, m, d := now.In(minyi.ChinaTime).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, minyi.ChinaTime)
	switch k {
	case Daily:
		return today.AddDate(0, 0, -1), today
	case Weekly:
		monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
		return monday.AddDate(0, 0, -7), monday
	case Monthly:
		first := time.Date(y, m, 1, 0, 0, 0, 0, minyi.ChinaTime)
		return first.AddDate(0, -1, 0), first
	}
	return time.Time{}, time.Time{}
}

// PeriodFrom is the period of kind k that starts at from: a day, seven
// days, or a month. A special report has none: it returns from, from.
func PeriodFrom(k Kind, from time.Time) time.Time {
	switch k {
	case Daily:
		return from.AddDate(0, 0, 1)
	case Weekly:
		return from.AddDate(0, 0, 7)
	case Monthly:
		return from.AddDate(0, 1, 0)
	}
	return from
}

// buckets splits [from, to) into the series' hours or days, China time;
// the first and last may be partial when the period does not start or end
// on the hour or the day.
func buckets(from, to time.Time) []Bucket {
	step, label := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }, "01-02"
	start := from.In(minyi.ChinaTime)
	if to.Sub(from) <= hourlyUpTo {
		step, label = func(t time.Time) time.Time { return t.Add(time.Hour) }, "15时"
		start = start.Truncate(time.Hour)
		if to.Sub(from) > 24*time.Hour {
			label = "02日15时"
		}
	} else {
		y, m, d := start.Date()
		start = time.Date(y, m, d, 0, 0, 0, 0, minyi.ChinaTime)
	}
	var out []Bucket
	for t := start; t.Before(to); t = step(t) {
		out = append(out, Bucket{Start: t, Label: t.Format(label)})
	}
	return out
}

// bucketBounds is the part of [from, to) that bucket i of bs covers.
func bucketBounds(bs []Bucket, i int, from, to time.Time) (time.Time, time.Time) {
	lo, hi := bs[i].Start, to
	if i+1 < len(bs) {
		hi = bs[i+1].Start
	}
	if lo.Before(from) {
		lo = from
	}
	return lo, hi
}
