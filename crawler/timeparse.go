package crawler

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"minyi"
)

// widthFold maps the full-width digits and punctuation that Chinese sites type
// with an IME onto ASCII, so one pattern covers both.
var widthFold = strings.NewReplacer(
	"０", "0", "１", "1", "２", "2", "３", "3", "４", "4",
	"５", "5", "６", "6", "７", "7", "８", "8", "９", "9",
	"：", ":", "／", "/", "－", "-", "．", ".", "\u3000", " ", "\u00a0", " ",
)

// chineseTime is a date with an optional time of day, in any of
// 2024-3-5, 2024/03/05, 2024.3.5 or 2024年3月5日 spellings. The prefix is a
// short label (发表于, 时间：, 回复时间:) and must not contain digits, so a
// stray number cannot be mistaken for a year.
var chineseTime = regexp.MustCompile(`^[^0-9]{0,24}?` +
	`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?` +
	`(?:\s*(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})\s*秒?)?\s*分?)?\s*$`)

// ParseTime parses the date and time formats of Chinese forums and message
// boards. Sites print local time without a zone, so the result is China time
// (minyi.ChinaTime). Anything else is a minyi.EINVALID error.
func ParseTime(s string) (time.Time, error) {
	norm := strings.TrimSpace(widthFold.Replace(s))
	if t, err := time.Parse(time.RFC3339, norm); err == nil {
		return t.In(minyi.ChinaTime), nil
	}
	m := chineseTime.FindStringSubmatch(norm)
	if m == nil {
		return time.Time{}, minyi.Errorf(minyi.EINVALID, "time %q is not in a recognised format (like 2024-03-05 10:20)", clip(s, 60))
	}
	n := make([]int, 6)
	for i, part := range m[1:] {
		if part != "" {
			n[i], _ = strconv.Atoi(part) // the pattern admits digits only, at most 4
		}
	}
	year, month, day, hour, minute, sec := n[0], n[1], n[2], n[3], n[4], n[5]
	if year < 1970 || year > 2200 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, minyi.Errorf(minyi.EINVALID, "time %q is out of range", clip(s, 60))
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, minyi.ChinaTime)
	if t.Day() != day { // time.Date normalises 2月30日 into March; a real site never prints it
		return time.Time{}, minyi.Errorf(minyi.EINVALID, "time %q names a day that does not exist", clip(s, 60))
	}
	return t, nil
}
