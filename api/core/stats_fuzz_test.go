package core

import (
	"testing"
	"time"
)

// FuzzParseWindow: any query value is either refused with a domain error or
// gives a window the store can take (positive, at most 366 days).
func FuzzParseWindow(f *testing.F) {
	for _, s := range []string{"30d", "720h", "1h30m", "0d", "367d", "-1h", "9223372036854775807d", "d", "1.5d", " 7d "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, err := ParseWindow(v)
		if err != nil {
			if d != 0 {
				t.Errorf("%q: error %v with window %s", v, err, d)
			}
			return
		}
		if d <= 0 || d > 366*24*time.Hour {
			t.Errorf("%q: accepted window %s", v, d)
		}
	})
}

func FuzzMonthParam(f *testing.F) {
	for _, s := range []string{"2026-10", "", "2026-13", "0000-01", "9999-12", "2026-1"} {
		f.Add(s)
	}
	now := time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		m, err := MonthParam(v, now)
		if err != nil {
			return
		}
		if m.Day() != 1 || m.Hour() != 0 || m.Minute() != 0 || m.Location().String() != "Asia/Shanghai" {
			t.Errorf("%q: month starts at %s", v, m)
		}
		if v == "" && m.Format("2006-01") != "2026-12" {
			t.Errorf("default month in January 2027 is %s, want 2026-12", m.Format("2006-01"))
		}
	})
}
