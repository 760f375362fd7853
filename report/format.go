package report

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"minyi"
)

// pct shows a rate with one decimal, or — when it was not measured.
func pct(r *float64) string {
	if r == nil {
		return notMeasured
	}
	return strconv.FormatFloat(math.Round(*r*1000)/10, 'f', 1, 64) + "%"
}

// changeText says how a count moved against the previous period: 上升12.5%,
// 下降3.0%, 持平; empty when the previous period had nothing to compare.
func changeText(change *float64) string {
	switch {
	case change == nil:
		return ""
	case math.Round(*change*1000) == 0:
		return "持平"
	case *change > 0:
		return "上升" + pct(change)
	}
	down := -*change
	return "下降" + pct(&down)
}

// dateCN is a China-time date as Chinese documents write it.
func dateCN(t time.Time) string {
	t = t.In(minyi.ChinaTime)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// timeCN is a China-time date and minute, e.g. 11月22日 08:30.
func timeCN(t time.Time) string {
	t = t.In(minyi.ChinaTime)
	return fmt.Sprintf("%d月%d日 %s", t.Month(), t.Day(), t.Format("15:04"))
}

// PeriodText names a period: a day, a month, a run of whole days, or two
// times.
func PeriodText(from, to time.Time) string {
	from, to = from.In(minyi.ChinaTime), to.In(minyi.ChinaTime)
	if !isMidnight(from) || !isMidnight(to) {
		return fmt.Sprintf("%d年%s至%s", from.Year(), timeCN(from), timeCN(to))
	}
	last := to.AddDate(0, 0, -1)
	switch {
	case last.Equal(from):
		return dateCN(from)
	case from.Day() == 1 && to.Equal(from.AddDate(0, 1, 0)):
		return fmt.Sprintf("%d年%d月", from.Year(), from.Month())
	case last.Year() == from.Year():
		return fmt.Sprintf("%s至%d月%d日", dateCN(from), last.Month(), last.Day())
	}
	return dateCN(from) + "至" + dateCN(last)
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

func itoa(n int) string { return strconv.Itoa(n) }
