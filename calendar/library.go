package calendar

import (
	"sync"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// entry is what a schedule says about one date: a day off for a holiday, or a
// working day (a 调休 make-up Saturday/Sunday, or an override that cancels a day off).
type entry struct {
	workday bool
	name    string
}

// librarySchedule is a snapshot of lunar-go's State Council schedule (放假 and
// 调休 days since 2001-12-29). lunar-go keeps its table in a package variable
// that HolidayUtil.Fix can rewrite; reading it once keeps every Calendar
// deterministic however the process uses the library later.
type librarySchedule struct {
	days  map[day]entry
	years map[int]bool // years with at least one entry: the library has that year's notice
	last  int          // the latest such year
}

// Years scanned for library data: lunar-go starts in 2001 and a release adds a
// year each winter; 2100 leaves room for any future release.
const libraryFirstYear, libraryLastYear = 2001, 2100

var library = sync.OnceValue(func() *librarySchedule {
	s := &librarySchedule{days: map[day]entry{}, years: map[int]bool{}}
	for y := libraryFirstYear; y <= libraryLastYear; y++ {
		for e := HolidayUtil.GetHolidaysByYear(y).Front(); e != nil; e = e.Next() {
			h := e.Value.(*HolidayUtil.Holiday)
			d, err := parseDay(h.GetDay())
			if err != nil {
				continue // the library's own data is well formed; skip rather than guess
			}
			s.days[d] = entry{workday: h.IsWork(), name: h.GetName()}
			s.years[y] = true
			s.last = y
		}
	}
	return s
})
