package calendar

import (
	"time"

	"minyi"
)

// day is a civil date in China counted in days since 1970-01-01. Working-day
// arithmetic happens on civil dates, never on durations, so that a message
// received at 23:30 and one received at 00:10 the next day get different due
// dates exactly when their Chinese calendar days differ.
type day int64

const secondsPerDay = 24 * 60 * 60

func dayFromYMD(y int, m time.Month, d int) day {
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay)
}

// dayOf is the civil date of t in China, wherever t's location is.
func dayOf(t time.Time) day {
	y, m, d := t.In(minyi.ChinaTime).Date()
	return dayFromYMD(y, m, d)
}

func (d day) utc() time.Time { return time.Unix(int64(d)*secondsPerDay, 0).UTC() }

func (d day) year() int { return d.utc().Year() }

func (d day) weekend() bool {
	wd := d.utc().Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func (d day) String() string { return d.utc().Format(time.DateOnly) }

// end is the last millisecond of d in China. Milliseconds rather than
// nanoseconds because PostgreSQL keeps microseconds and rounds: 23:59:59.999999999
// would come back from the store as the next day's 00:00.
func (d day) end() time.Time {
	y, m, dd := d.utc().Date()
	return time.Date(y, m, dd, 23, 59, 59, int(999*time.Millisecond), minyi.ChinaTime)
}

// parseDay reads a "2006-01-02" date; time.Parse rejects "2025-1-1", "2025-02-30"
// and trailing text, which is what config validation needs.
func parseDay(s string) (day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return dayFromYMD(t.Date()), nil
}
