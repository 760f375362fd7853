package calendar

import (
	"sync"
	"testing"
	"time"

	"minyi"
)

// endOf is the last millisecond of a China date, what AddWorkdays returns.
func endOf(s string) time.Time {
	y, m, d := at(s).Date()
	return time.Date(y, m, d, 23, 59, 59, 999_000_000, minyi.ChinaTime)
}

func TestAddWorkdays(t *testing.T) {
	c := mustNew(t, nil)
	cases := []struct {
		from string
		n    int
		want string
	}{
		// 2026 春节 2/15-2/23; Sat 2/14 is a make-up workday.
		{"2026-02-13", 1, "2026-02-14"},
		{"2026-02-13", 2, "2026-02-24"},
		{"2026-02-13", 5, "2026-02-27"},
		{"2026-02-18", 1, "2026-02-24"},  // received during the holiday
		{"2026-02-13", 11, "2026-03-06"}, // Sat 2/28 is a workday too
		// 2025 国庆+中秋 10/1-10/8; Sun 9/28 and Sat 10/11 are workdays.
		{"2025-09-26", 1, "2025-09-28"},
		{"2025-09-26", 3, "2025-09-30"},
		{"2025-09-26", 5, "2025-10-10"},
		{"2025-09-26", 6, "2025-10-11"},
		// 2026 国庆 10/1-10/7, Sat 10/10 a workday.
		{"2026-09-30", 1, "2026-10-08"},
		{"2026-09-30", 3, "2026-10-10"},
		// Across a year end into provisional 2027 (元旦 Fri 1/1).
		{"2026-12-30", 2, "2027-01-04"},
		// Ordinary week: Friday and Saturday receipts fall due together.
		{"2025-03-07", 4, "2025-03-13"},
		{"2025-03-08", 4, "2025-03-13"},
		// n == 0: the same working day, or the next one.
		{"2025-03-07", 0, "2025-03-07"},
		{"2026-02-20", 0, "2026-02-24"},
		// Negative: count back; make-up workdays count.
		{"2026-02-24", -1, "2026-02-14"},
		{"2026-02-24", -2, "2026-02-13"},
		{"2025-10-09", -2, "2025-09-29"},
		{"2025-10-05", -1, "2025-09-30"},
	}
	for _, tc := range cases {
		got := c.AddWorkdays(at(tc.from), tc.n)
		if want := endOf(tc.want); !got.Equal(want) {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tc.from, tc.n, got, want)
		}
	}
}

func TestAddWorkdaysUsesChinaDate(t *testing.T) {
	c := mustNew(t, nil)
	// 2026-02-12 20:30 UTC is already Friday 2/13 04:30 in China.
	got := c.AddWorkdays(time.Date(2026, 2, 12, 20, 30, 0, 0, time.UTC), 5)
	want := time.Date(2026, 2, 27, 23, 59, 59, 999_000_000, minyi.ChinaTime)
	if !got.Equal(want) {
		t.Errorf("got %s, want %s", got, want)
	}
	// The deadline's own date is the due day, so chaining rungs works; the
	// next working day is the make-up Saturday 2/28.
	if next := c.AddWorkdays(got, 1); !next.Equal(endOf("2026-02-28")) {
		t.Errorf("due+1 = %s", next)
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := mustNew(t, nil)
	if n := c.WorkdaysBetween(at("2026-02-13"), at("2026-02-27")); n != 5 {
		t.Errorf("2/13..2/27 = %d, want 5", n)
	}
	if n := c.WorkdaysBetween(at("2026-02-27"), at("2026-02-13")); n != -5 {
		t.Errorf("reversed = %d, want -5", n)
	}
	if n := c.WorkdaysBetween(at("2026-02-16"), at("2026-02-16").Add(time.Hour)); n != 0 {
		t.Errorf("same day = %d", n)
	}
	// Round trips over three years, from every working day.
	for d := at("2025-01-01"); d.Year() < 2028; d = d.AddDate(0, 0, 1) {
		if !c.IsWorkday(d) {
			continue
		}
		for _, n := range []int{1, 2, 5, 10, 15} {
			due := c.AddWorkdays(d, n)
			if got := c.WorkdaysBetween(d, due); got != n {
				t.Fatalf("WorkdaysBetween(%s, AddWorkdays(.., %d)) = %d", d.Format(time.DateOnly), n, got)
			}
			if back := c.AddWorkdays(due, -n); dayOf(back) != dayOf(d) {
				t.Fatalf("AddWorkdays(AddWorkdays(%s, %d), %d) = %s", d.Format(time.DateOnly), n, -n, back)
			}
		}
	}
}

func TestOverridesWin(t *testing.T) {
	c := mustNew(t, []Override{
		{Date: "2026-02-14", Workday: false, Name: "地方春节假"}, // library: make-up workday
		{Date: "2026-10-07", Workday: true, Name: "补班"},     // library: 国庆 day off
		{Date: "2026-03-10", Workday: false, Name: "地方节日"},
		{Date: "2026-03-10", Workday: false, Name: "地方节日"}, // identical duplicate is harmless
	})
	if c.IsWorkday(at("2026-02-14")) || !c.IsWorkday(at("2026-10-07")) || c.IsWorkday(at("2026-03-10")) {
		t.Fatal("overrides did not win over the library")
	}
	if name, ok := c.Holiday(at("2026-02-14")); !ok || name != "地方春节假" {
		t.Errorf("Holiday = %q, %v", name, ok)
	}
	if !c.IsWorkday(at("2026-02-13")) || c.IsWorkday(at("2026-02-16")) {
		t.Error("dates without an override must keep the library's status")
	}
	// 2/13 + 1 now skips 2/14 and the whole 春节.
	if got := c.AddWorkdays(at("2026-02-13"), 1); !got.Equal(endOf("2026-02-24")) {
		t.Errorf("AddWorkdays = %s", got)
	}
}

// A configured year the library lacks is the published notice: it replaces
// the provisional table instead of mixing with it.
func TestConfiguredYearReplacesProvisional(t *testing.T) {
	c := mustNew(t, []Override{
		{Date: "2027-02-06", Name: "春节"}, {Date: "2027-02-13", Name: "春节"},
		{Date: "2027-02-20", Workday: true, Name: "春节"},
	})
	if c.Provisional(at("2027-05-01")) {
		t.Error("a configured year is not provisional")
	}
	if !c.IsWorkday(at("2027-02-05")) || c.IsWorkday(at("2027-02-13")) || !c.IsWorkday(at("2027-02-20")) {
		t.Error("2027 should follow the configured table only")
	}
	if !c.IsWorkday(at("2027-10-04")) {
		t.Error("provisional 补假 must not survive a configured 2027")
	}
	if c.IsWorkday(at("2028-01-25")) {
		t.Error("2028 should still be derived")
	}
}

func TestBadOverrides(t *testing.T) {
	for _, o := range [][]Override{
		{{Date: "2026-2-1"}},
		{{Date: "2026-02-30"}},
		{{Date: ""}},
		{{Date: "2026-02-01 "}},
		{{Date: "2026-03-10", Name: "a"}, {Date: "2026-03-10", Workday: true, Name: "a"}},
	} {
		if c, err := New(o); c != nil || minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("New(%+v) = %v, %v; want EINVALID", o, c, err)
		}
	}
}

// Calendars share the memoised derived years; concurrent use from many
// workflow goroutines must agree (run with -race).
func TestConcurrentDeterministic(t *testing.T) {
	c1, c2 := mustNew(t, nil), mustNew(t, nil)
	var wg sync.WaitGroup
	results := make([]time.Time, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := c1
			if i%2 == 1 {
				c = c2
			}
			results[i] = c.AddWorkdays(at("2029-01-20"), 40)
		}()
	}
	wg.Wait()
	for _, r := range results[1:] {
		if !r.Equal(results[0]) {
			t.Fatalf("results differ: %v", results)
		}
	}
}

func FuzzNew(f *testing.F) {
	f.Add("2026-02-14", true, "春节")
	f.Fuzz(func(t *testing.T, date string, workday bool, name string) {
		c, err := New([]Override{{Date: date, Workday: workday, Name: name}})
		if err != nil {
			if minyi.ErrorCode(err) != minyi.EINVALID {
				t.Fatalf("error code %q", minyi.ErrorCode(err))
			}
			return
		}
		d := at(date)
		if c.IsWorkday(d) != workday {
			t.Fatalf("override %s not applied", date)
		}
	})
}
