package calendar

import "time"

// IsWorkday reports whether t's date in China is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool { return c.workday(dayOf(t)) }

// Holiday names the holiday t's date in China is a day off for, e.g. "春节"
// on 2026-02-18. ok is false on working days (make-up workdays included) and
// on ordinary weekends.
func (c *Calendar) Holiday(t time.Time) (name string, ok bool) {
	e, ok := c.lookup(dayOf(t))
	if !ok || e.workday {
		return "", false
	}
	return e.name, true
}

// Provisional reports whether t's year has no published schedule behind it:
// neither the library nor the configured table has the year, so its holidays
// are the embedded provisional table or derived from the law, without 调休.
// A UI can flag deadlines that fall in such a year.
func (c *Calendar) Provisional(t time.Time) bool {
	y := dayOf(t).year()
	if c.lib.years[y] || c.config.years[y] {
		return false
	}
	for _, dy := range defaultTable {
		if dy.year == y {
			return dy.provisional
		}
	}
	return true
}

// AddWorkdays is the deadline n working days after t: the end (23:59:59.999
// China time, see day.end) of the nth working day after t's date in China.
// t's own date never counts, whether or not it is a working day — so a
// message received on Saturday and one received on Friday at 17:00 are both
// due at the end of Thursday for n=4 in an ordinary week, and a message received
// during 春节 starts counting from the first day back at work.
//
// n < 0 counts back: the end of the |n|th working day before t's date (a
// reminder 2 working days before a due date). n == 0 is the end of t's date
// if it is a working day, else the end of the next working day.
//
// The cost is linear in |n| plus the days off crossed.
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	d := dayOf(t)
	switch {
	case n == 0:
		for !c.workday(d) {
			d++
		}
	case n > 0:
		for n > 0 {
			d++
			if c.workday(d) {
				n--
			}
		}
	default:
		for n < 0 {
			d--
			if c.workday(d) {
				n++
			}
		}
	}
	return d.end()
}

// WorkdaysBetween counts the working days after a's date up to and including
// b's date (China dates), negated when b's date is before a's. So
// WorkdaysBetween(t, c.AddWorkdays(t, n)) == n for n >= 1, and for a due
// date and a later reply time it is how many working days late the reply is.
func (c *Calendar) WorkdaysBetween(a, b time.Time) int {
	da, db := dayOf(a), dayOf(b)
	sign := 1
	if db < da {
		da, db, sign = db, da, -1
	}
	n := 0
	for d := da + 1; d <= db; d++ {
		if c.workday(d) {
			n++
		}
	}
	return sign * n
}
