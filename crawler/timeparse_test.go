package crawler

import (
	"testing"
	"time"

	"minyi"
)

func TestParseTime(t *testing.T) {
	at := func(y, mo, d, h, mi, s int) time.Time {
		return time.Date(y, time.Month(mo), d, h, mi, s, 0, minyi.ChinaTime)
	}
	for in, want := range map[string]time.Time{
		"2024-3-5 10:20":         at(2024, 3, 5, 10, 20, 0),
		"2024-03-05 10:20:31":    at(2024, 3, 5, 10, 20, 31),
		"2024/3/5 9:32:09":       at(2024, 3, 5, 9, 32, 9),
		"2024-03-05":             at(2024, 3, 5, 0, 0, 0),
		"2024年3月5日 10:20":        at(2024, 3, 5, 10, 20, 0),
		"2024年03月05日":            at(2024, 3, 5, 0, 0, 0),
		"2024年3月5日10时20分":        at(2024, 3, 5, 10, 20, 0),
		"发表于 2024-3-5 10:20":     at(2024, 3, 5, 10, 20, 0),
		"时间：2024-03-05 10:20:31": at(2024, 3, 5, 10, 20, 31),
		"回复时间:2024/3/5 9:32":     at(2024, 3, 5, 9, 32, 0),
		"来信时间：２０２４－０３－０５ １０：２０": at(2024, 3, 5, 10, 20, 0),
		"  2024.3.5  ":              at(2024, 3, 5, 0, 0, 0),
		"2024-03-05T10:20:31+08:00": at(2024, 3, 5, 10, 20, 31),
		"2024-03-05T02:20:31Z":      at(2024, 3, 5, 10, 20, 31),
	} {
		got, err := ParseTime(in)
		if err != nil || !got.Equal(want) || got.Location() != minyi.ChinaTime {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "3 天前", "昨天 10:20", "2024-13-05", "2024-02-30", "2024-3-5 25:00", "1 2024-3-5", "2024-3-5 10:20 abc", "20240305", "发表于"} {
		if _, err := ParseTime(bad); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("ParseTime(%q) error = %v, want EINVALID", bad, err)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	f.Add("2024-3-5 10:20")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTime(s)
		if err != nil {
			if minyi.ErrorCode(err) != minyi.EINVALID {
				t.Fatalf("ParseTime(%q): error code %q, want EINVALID", s, minyi.ErrorCode(err))
			}
			return
		}
		if got.Location() != minyi.ChinaTime || got.Year() < 1970 || got.Year() > 2200 {
			t.Fatalf("ParseTime(%q) = %v: outside the accepted range or zone", s, got)
		}
	})
}
