package calendar

import (
	"testing"
	"time"

	"minyi"
)

func mustNew(t *testing.T, o []Override) *Calendar {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// at is noon of a China date, so no test depends on the time of day.
func at(s string) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, s, minyi.ChinaTime)
	if err != nil {
		panic(err)
	}
	return d.Add(12 * time.Hour)
}

// schedule is a year as a notice states it: ranges of days off and make-up workdays.
type schedule struct {
	off     [][2]string // inclusive ranges
	workday []string
}

// checkYear compares every day of a year with the notice, so that an extra
// or a missing day off anywhere fails.
func checkYear(t *testing.T, c *Calendar, year int, s schedule) {
	t.Helper()
	off := map[string]bool{}
	for _, r := range s.off {
		for d := at(r[0]); !d.After(at(r[1])); d = d.AddDate(0, 0, 1) {
			off[d.Format(time.DateOnly)] = true
		}
	}
	makeup := map[string]bool{}
	for _, w := range s.workday {
		if wd := at(w).Weekday(); wd != time.Saturday && wd != time.Sunday {
			t.Fatalf("test data: make-up workday %s is a %s", w, wd)
		}
		makeup[w] = true
	}
	for d := at(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)); d.Year() == year; d = d.AddDate(0, 0, 1) {
		key := d.Format(time.DateOnly)
		wd := d.Weekday()
		want := makeup[key] || (!off[key] && wd != time.Saturday && wd != time.Sunday)
		if got := c.IsWorkday(d); got != want {
			t.Errorf("IsWorkday(%s %s) = %v, want %v", key, wd, got, want)
		}
		if name, ok := c.Holiday(d); ok != off[key] || (ok && name == "") {
			t.Errorf("Holiday(%s) = %q, %v; want a name: %v", key, name, ok, off[key])
		}
	}
}

var official2025 = schedule{
	off: [][2]string{{"2025-01-01", "2025-01-01"}, {"2025-01-28", "2025-02-04"}, {"2025-04-04", "2025-04-06"},
		{"2025-05-01", "2025-05-05"}, {"2025-05-31", "2025-06-02"}, {"2025-10-01", "2025-10-08"}},
	workday: []string{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
}

// 国办发明电〔2025〕7号.
var official2026 = schedule{
	off: [][2]string{{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
		{"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"}, {"2026-10-01", "2026-10-07"}},
	workday: []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
}

// Provisional: statutory days and 补假 only, no 调休 until the notice is published.
var provisional2027 = schedule{
	off: [][2]string{{"2027-01-01", "2027-01-01"}, {"2027-02-05", "2027-02-10"}, {"2027-04-05", "2027-04-05"},
		{"2027-05-01", "2027-05-04"}, {"2027-06-09", "2027-06-09"}, {"2027-09-15", "2027-09-15"}, {"2027-10-01", "2027-10-05"}},
}

func TestOfficialSchedules(t *testing.T) {
	c := mustNew(t, nil)
	t.Run("2025", func(t *testing.T) { checkYear(t, c, 2025, official2025) })
	t.Run("2026", func(t *testing.T) { checkYear(t, c, 2026, official2026) })
	t.Run("2027", func(t *testing.T) { checkYear(t, c, 2027, provisional2027) })
	if c.Provisional(at("2026-06-01")) || !c.Provisional(at("2027-06-01")) || !c.Provisional(at("2028-06-01")) {
		t.Error("Provisional: want 2026 published, 2027 and 2028 provisional")
	}
	if name, _ := c.Holiday(at("2026-02-17")); name != "春节" {
		t.Errorf("Holiday(2026-02-17) = %q, want 春节", name)
	}
	if name, ok := c.Holiday(at("2026-02-14")); ok {
		t.Errorf("Holiday on make-up workday 2026-02-14 = %q, true", name)
	}
}

func TestDefault2027MatchesDerivation(t *testing.T) {
	want := deriveYear(2027)
	got := 0
	for _, o := range DefaultOverrides() {
		d, err := parseDay(o.Date)
		if err != nil {
			t.Fatal(err)
		}
		if d.year() != 2027 {
			continue
		}
		got++
		if e, ok := want[d]; !ok || e.workday != o.Workday || e.name != o.Name {
			t.Errorf("embedded %+v, derived %+v (present %v)", o, e, ok)
		}
	}
	if got != len(want) {
		t.Errorf("embedded 2027 has %d days, derivation %d", got, len(want))
	}
}

// The law's days and 补假 are always among a notice's days off, so the
// derivation must stay inside the published 2025 and 2026 schedules.
func TestDerivationWithinPublishedYears(t *testing.T) {
	lib := library()
	for _, y := range []int{2025, 2026} {
		for d, e := range deriveYear(y) {
			if le, ok := lib.days[d]; !ok || le.workday {
				t.Errorf("derived %s (%s) is not a day off in the %d notice", d, e.name, y)
			}
		}
	}
}

func TestDerivedYear2028(t *testing.T) {
	c := mustNew(t, nil)
	// 除夕 1/25 Tue..初三 1/28 Fri; 端午 5/28 Sun owes Mon 5/29; 国庆 10/1 Sun
	// and 中秋 on 10/3 each owe a day: 10/4, 10/5.
	for _, s := range []string{"2028-01-25", "2028-01-28", "2028-04-04", "2028-05-02", "2028-05-29", "2028-10-04", "2028-10-05"} {
		if c.IsWorkday(at(s)) {
			t.Errorf("%s should be a day off", s)
		}
	}
	for _, s := range []string{"2028-01-24", "2028-01-31", "2028-05-30", "2028-10-06"} {
		if !c.IsWorkday(at(s)) {
			t.Errorf("%s should be a working day", s)
		}
	}
	if !c.IsWorkday(at("2201-02-02")) || c.IsWorkday(at("2201-02-01")) { // beyond derivation: weekends only (Mon, Sun)
		t.Error("years after 2100 should fall back to weekends only")
	}
}
