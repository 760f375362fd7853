package core

import (
	"testing"
	"time"

	"minyi"
)

// FuzzBucketKeys: every day in a range falls in exactly one of the range's
// buckets, and the buckets are listed once each, in order.
func FuzzBucketKeys(f *testing.F) {
	f.Add(int64(0), uint16(30), uint8(0), uint8(0))
	f.Add(int64(-400), uint16(400), uint8(1), uint8(13))
	f.Add(int64(59), uint16(1), uint8(2), uint8(23))
	intervals := []string{"day", "week", "month"}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, minyi.ChinaTime)
	f.Fuzz(func(t *testing.T, offset int64, days uint16, interval uint8, hour uint8) {
		iv := intervals[int(interval)%len(intervals)]
		from := base.AddDate(0, 0, int(offset%3650)).Add(time.Duration(hour%24) * time.Hour)
		to := from.AddDate(0, 0, int(days%maxAnalyticsDays)+1)
		keys := bucketKeys(from, to, iv)
		index := map[string]int{}
		for i, k := range keys {
			if _, dup := index[k]; dup || (i > 0 && keys[i-1] >= k) {
				t.Fatalf("%s %s..%s: keys not ascending and unique: %v", iv, from, to, keys)
			}
			index[k] = i
		}
		y, m, d := from.Date()
		for day := time.Date(y, m, d, 0, 0, 0, 0, minyi.ChinaTime); day.Before(to); day = day.AddDate(0, 0, 1) {
			if _, ok := index[bucketStart(day, iv)]; !ok {
				t.Fatalf("%s: day %s falls in %s, not among %v", iv, day.Format(time.DateOnly), bucketStart(day, iv), keys)
			}
		}
	})
}
