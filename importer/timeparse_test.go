package importer

import (
	"testing"
	"time"

	"minyi"
)

func TestParseTime(t *testing.T) {
	cst := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, minyi.ChinaTime)
	}
	cases := []struct {
		in     string
		serial bool
		want   time.Time // zero: must fail
	}{
		{"2019/4/25 9:32:09", false, cst(2019, 4, 25, 9, 32, 9)},
		{"2019-04-25 09:32", false, cst(2019, 4, 25, 9, 32, 0)},
		{"2019-04-25T09:32:09.000", false, cst(2019, 4, 25, 9, 32, 9)},
		{"2019.4.25", false, cst(2019, 4, 25, 0, 0, 0)},
		{"2019年4月25日", false, cst(2019, 4, 25, 0, 0, 0)},
		{"2019年4月25日 9时32分", false, cst(2019, 4, 25, 9, 32, 0)},
		{"2019年04月25日09:32:09", false, cst(2019, 4, 25, 9, 32, 9)},
		{"２０１９／４／２５　９：３２", false, cst(2019, 4, 25, 9, 32, 0)}, // full-width, typed with a Chinese IME
		{"  2019/4/25 \u00a09:32  ", false, cst(2019, 4, 25, 9, 32, 0)},
		{"20190425", false, cst(2019, 4, 25, 0, 0, 0)},
		{"2019-04-25T01:32:09Z", false, cst(2019, 4, 25, 9, 32, 9)}, // an explicit zone keeps the instant
		{"43580.39732638889", true, cst(2019, 4, 25, 9, 32, 9)},     // Excel serial
		{"43580", true, cst(2019, 4, 25, 0, 0, 0)},
		{"43580", false, time.Time{}}, // a CSV number is not a date
		{"2019/2/29", false, time.Time{}},
		{"2019/4/31 9:00", false, time.Time{}},
		{"2019/13/1", false, time.Time{}},
		{"2019/4/25 24:00", false, time.Time{}},
		{"2019/4/25 9:60", false, time.Time{}},
		{"1899/4/25", false, time.Time{}},
		{"昨天", false, time.Time{}},
		{"", false, time.Time{}},
		{"25", true, time.Time{}}, // before Excel's 1900 leap bug
	}
	for _, c := range cases {
		epoch := time.Time{}
		if c.serial {
			epoch = excelEpoch
		}
		got, ok := parseTime(c.in, epoch)
		if c.want.IsZero() {
			if ok {
				t.Errorf("parseTime(%q) = %v, want failure", c.in, got)
			}
			continue
		}
		if !ok || !got.Equal(c.want) {
			t.Errorf("parseTime(%q) = %v, %v; want %v", c.in, got, ok, c.want)
		}
	}
	if got, ok := parseTime("42118.39732638889", excelEpoch1904); !ok || !got.Equal(cst(2019, 4, 25, 9, 32, 9)) {
		t.Errorf("1904 serial: %v %v", got, ok)
	}
}

// FuzzParseTime: any accepted time is in China time and survives a round
// trip through the importer's most common format.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2019/4/25 9:32:09", "2019年4月25日 9时32分", "43580.397", "2019-04-25T01:32:09Z", "20190425"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, serial bool) {
		epoch := time.Time{}
		if serial {
			epoch = excelEpoch
		}
		got, ok := parseTime(s, epoch)
		if !ok {
			return
		}
		if got.Location() != minyi.ChinaTime {
			t.Fatalf("parseTime(%q) in %v, want China time", s, got.Location())
		}
		back, ok := parseTime(got.Format("2006/1/2 15:04:05"), time.Time{})
		if !ok || !back.Equal(got.Truncate(time.Second)) {
			t.Fatalf("round trip of %q: %v -> %v %v", s, got, back, ok)
		}
	})
}
