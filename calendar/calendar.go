// Package calendar counts working days in China (minyi.ChinaTime) for reply
// deadlines: weekends and official holidays (法定节假日 and the 放假 days around
// them) are days off, 调休 make-up Saturdays/Sundays are working days.
//
// A date's status comes from, highest first:
//  1. the configured override table (New's argument);
//  2. for years lunar-go has (2001-2026 in v1.4.6): the embedded corrections,
//     then lunar-go's copy of the State Council schedule;
//  3. for other years: if the configured table has any date in that year, it
//     is taken as that year's whole notice and nothing else applies; else the
//     embedded table's year (2027, provisional); else, up to 2100, a
//     provisional year derived from the law (see deriveYear);
//  4. otherwise Saturday and Sunday are off, every other day is a working day.
//
// A Calendar is immutable and pure: after New it does no I/O, reads no clock
// and iterates no map, so Temporal workflow code may call it.
package calendar

import (
	"sync"

	"minyi"
)

// Override sets one date's status and wins over the library. Name is the
// holiday a day off belongs to (e.g. "春节"), or what a make-up workday makes up for.
type Override struct {
	Date    string `json:"date" yaml:"date"` // "2006-01-02"
	Workday bool   `json:"workday" yaml:"workday"`
	Name    string `json:"name,omitempty" yaml:"name"`
}

// Calendar answers working-day questions. The zero value is not usable: call New.
type Calendar struct {
	lib      *librarySchedule
	defaults *table
	config   *table
}

// table is a compiled override table.
type table struct {
	days  map[day]entry
	years map[int]bool
}

// New builds a Calendar from the configured override table. A bad date or two
// entries that disagree about one date are minyi.EINVALID.
func New(overrides []Override) (*Calendar, error) {
	defaults, err := embedded()
	if err != nil {
		return nil, minyi.Errorf(minyi.EINTERNAL, "calendar: embedded override table: %v", err)
	}
	config, err := compile(overrides)
	if err != nil {
		return nil, err
	}
	return &Calendar{lib: library(), defaults: defaults, config: config}, nil
}

func compile(overrides []Override) (*table, error) {
	t := &table{days: map[day]entry{}, years: map[int]bool{}}
	for i, o := range overrides {
		d, err := parseDay(o.Date)
		if err != nil {
			return nil, minyi.Errorf(minyi.EINVALID, "calendar override %d: date %q is not a valid YYYY-MM-DD date", i, o.Date)
		}
		e := entry{workday: o.Workday, name: o.Name}
		if prev, dup := t.days[d]; dup && prev != e {
			return nil, minyi.Errorf(minyi.EINVALID, "calendar override %d: %s is listed twice with different values", i, o.Date)
		}
		t.days[d] = e
		t.years[d.year()] = true
	}
	return t, nil
}

// embedded compiles the embedded table once; it is shared, read-only.
var embedded = sync.OnceValues(func() (*table, error) { return compile(DefaultOverrides()) })

// lookup is the explicit schedule entry for d, if any (see the package doc).
func (c *Calendar) lookup(d day) (entry, bool) {
	if e, ok := c.config.days[d]; ok {
		return e, true
	}
	y := d.year()
	if c.lib.years[y] {
		if e, ok := c.defaults.days[d]; ok {
			return e, true
		}
		e, ok := c.lib.days[d]
		return e, ok
	}
	if c.config.years[y] {
		return entry{}, false
	}
	if c.defaults.years[y] {
		e, ok := c.defaults.days[d]
		return e, ok
	}
	if y > c.lib.last {
		e, ok := derived(y)[d]
		return e, ok
	}
	return entry{}, false
}

func (c *Calendar) workday(d day) bool {
	if e, ok := c.lookup(d); ok {
		return e.workday
	}
	return !d.weekend()
}
