package importer

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"minyi"
)

// The importer does not share crawler's time parser: a history file is typed
// by hand or exported from a spreadsheet, and needs Excel serial dates but
// none of the "3 天前" forms a web page shows.

// dateTime matches year, month, day and an optional time of day in the forms
// exports use: 2019/4/25 9:32:09, 2019-04-25 09:32, 2019.04.25,
// 2019年4月25日 9时32分, 2019-04-25T09:32:09.000.
var dateTime = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?` +
	`(?:\s*T?\s*(\d{1,2})\s*[:时点]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d{1,9})?)?\s*[分秒]?)?$`)

var compactDate = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)

var excelSerial = regexp.MustCompile(`^\d{1,7}(?:\.\d+)?$`)

// excelEpoch is day 0 of Excel's 1900 date system; counting from 30 December
// rather than 1 January absorbs Excel's fictitious 29 February 1900 for every
// serial after it. Workbooks made on old Macs count from 1904 instead.
var (
	excelEpoch     = time.Date(1899, 12, 30, 0, 0, 0, 0, minyi.ChinaTime)
	excelEpoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, minyi.ChinaTime)
)

// parseTime reads a date or date-time in China time. With a non-zero epoch a
// bare number is an Excel serial date counted from it, which is what an XLSX
// date cell holds.
func parseTime(s string, epoch time.Time) (time.Time, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(width.Fold.String(s), "\u00a0", " "))
	if s == "" {
		return time.Time{}, false
	}
	// An explicit offset is kept: the instant is what matters.
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.In(minyi.ChinaTime), true
	}
	if m := dateTime.FindStringSubmatch(s); m != nil {
		return civil(m[1], m[2], m[3], m[4], m[5], m[6])
	}
	if m := compactDate.FindStringSubmatch(s); m != nil {
		return civil(m[1], m[2], m[3], "", "", "")
	}
	if !epoch.IsZero() && excelSerial.MatchString(s) {
		return fromSerial(s, epoch)
	}
	return time.Time{}, false
}

// civil builds a China-time instant, refusing fields time.Date would
// silently normalise (31 April becoming 1 May).
func civil(y, mo, d, h, mi, sec string) (time.Time, bool) {
	num := func(s string) int {
		if s == "" {
			return 0
		}
		n, _ := strconv.Atoi(s) // the regexp admits digits only
		return n
	}
	year, month, day, hour, minute, second := num(y), num(mo), num(d), num(h), num(mi), num(sec)
	if year < 1900 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, 0, minyi.ChinaTime)
	if t.Day() != day {
		return time.Time{}, false
	}
	return t, true
}

func fromSerial(s string, epoch time.Time) (time.Time, bool) {
	v, err := strconv.ParseFloat(s, 64)
	// In the 1900 system serials up to 60 fall before Excel's leap-year bug;
	// nobody's petition history starts in February 1900.
	if err != nil || v < 1 || v >= 2958466 || epoch.Equal(excelEpoch) && v <= 60 { // 2958465 is 9999-12-31
		return time.Time{}, false
	}
	days := math.Floor(v)
	// Round to the second: a serial stores 9:32:09 as 0.39733796296...
	secs := math.Round((v - days) * 86400)
	return epoch.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second), true
}
