package calendar

import (
	"sort"
	"sync"
	"time"

	lunar "github.com/6tail/lunar-go/calendar"
)

// Years after this get no derived holidays (weekends only): lunar-go's
// astronomy is meant for the present era and no deadline reaches that far.
const lastDerivedYear = 2100

// statutoryDays are the days off fixed by 《全国年节及纪念日放假办法》 as revised by
// 国务院令第795号 (in force from 2025): 元旦 1 day, 春节 4 (除夕 to 初三), 清明 1
// (the solar term), 劳动节 2 (5/1-5/2), 端午 1 (lunar 5/5), 中秋 1 (lunar 8/15),
// 国庆 3 (10/1-10/3). Sorted by date.
func statutoryDays(y int) []dated {
	fromLunar := func(m, d int) day {
		s := lunar.NewLunarFromYmd(y, m, d).GetSolar()
		return dayFromYMD(s.GetYear(), time.Month(s.GetMonth()), s.GetDay())
	}
	newYear := fromLunar(1, 1)
	out := []dated{
		{dayFromYMD(y, 1, 1), "元旦节"},
		{newYear - 1, "春节"}, {newYear, "春节"}, {newYear + 1, "春节"}, {newYear + 2, "春节"},
		{qingming(y), "清明节"},
		{dayFromYMD(y, 5, 1), "劳动节"}, {dayFromYMD(y, 5, 2), "劳动节"},
		{fromLunar(5, 5), "端午节"},
		{fromLunar(8, 15), "中秋节"},
		{dayFromYMD(y, 10, 1), "国庆节"}, {dayFromYMD(y, 10, 2), "国庆节"}, {dayFromYMD(y, 10, 3), "国庆节"},
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].d < out[j].d })
	return out
}

type dated struct {
	d    day
	name string
}

// qingming is the day of the 清明 solar term, always April 4-6.
func qingming(y int) day {
	for d := 3; d <= 6; d++ {
		if lunar.NewSolarFromYmd(y, 4, d).GetLunar().GetJieQi() == "清明" {
			return dayFromYMD(y, 4, d)
		}
	}
	return dayFromYMD(y, 4, 5) // unreachable for the years derived
}

// deriveYear is the provisional schedule of a year whose State Council notice
// is not in the library or the config: the statutory days, plus one 补假
// weekday for every statutory day that falls on a Saturday or Sunday (or on
// another holiday), placed on the first free weekdays after that holiday, as
// the law requires. It deliberately does NOT guess the 调休 (bridge days and
// make-up weekend workdays): those are a policy choice each year, so until the
// notice is put in the override table the year has fewer days off and no
// make-up workdays. Every date it returns is a day off.
func deriveYear(y int) map[day]entry {
	days := statutoryDays(y)
	off := map[day]entry{}
	owed := map[day][]string{} // first day of a holiday -> names of 补假 days owed
	for _, s := range days {
		if _, dup := off[s.d]; dup || s.d.weekend() {
			owed[s.d] = append(owed[s.d], s.name)
		}
		if _, dup := off[s.d]; !dup {
			off[s.d] = entry{name: s.name}
		}
	}
	isOff := func(d day) bool { _, ok := off[d]; return ok || d.weekend() }
	for _, s := range days { // in date order, so an earlier holiday's 补假 comes first
		names := owed[s.d]
		delete(owed, s.d)
		d := s.d
		for _, name := range names {
			for isOff(d) {
				d++
			}
			off[d] = entry{name: name}
		}
	}
	return off
}

var derivedCache struct {
	sync.Mutex
	years map[int]map[day]entry
}

// derived memoises deriveYear; the result depends on y only, so sharing it
// between Calendars keeps them deterministic.
func derived(y int) map[day]entry {
	if y > lastDerivedYear {
		return nil
	}
	derivedCache.Lock()
	defer derivedCache.Unlock()
	if m, ok := derivedCache.years[y]; ok {
		return m
	}
	if derivedCache.years == nil {
		derivedCache.years = map[int]map[day]entry{}
	}
	m := deriveYear(y)
	derivedCache.years[y] = m
	return m
}
