package portal

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"minyi"
)

var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// digitRun is a run of digits, with the separators phone numbers and
	// ID numbers are written with, ending in a digit or an ID's X.
	digitRun = regexp.MustCompile(`[0-9０-９][0-9０-９\-－ ]{5,}[0-9０-９Xx]`)
	// selfNamed is where a writer names someone: 我叫张三, 姓名：张三, 联系人李四.
	selfNamed = regexp.MustCompile(`(我叫|我是|本人|姓名[:：]?|联系人[:：]?|户主[:：]?)\s*(\p{Han}{2,3})`)
)

// mask hides what could identify a person in text shown to the public:
// e-mail addresses, phone, ID and card numbers (any run of seven digits
// or more), the writer's name wherever it appears, and a name after 我叫,
// 姓名 and their kin. Dates and amounts of fewer than seven digits stay.
func mask(text string, contact *minyi.Contact) string {
	if contact != nil {
		for _, s := range []string{contact.Name, contact.Phone, contact.Email} {
			if utf8.RuneCountInString(s) >= 2 {
				text = strings.ReplaceAll(text, s, "**")
			}
		}
	}
	text = emailPattern.ReplaceAllString(text, "***@***")
	text = digitRun.ReplaceAllStringFunc(text, func(run string) string {
		digits := 0
		for _, r := range run {
			if !isSeparator(r) {
				digits++
			}
		}
		if digits < 7 {
			return run
		}
		rs := []rune(run)
		keep := 3
		if digits >= 15 {
			keep = 1
		}
		for i := keep; i < len(rs)-1; i++ {
			if !isSeparator(rs[i]) {
				rs[i] = '*'
			}
		}
		if digits >= 15 {
			rs[len(rs)-1] = '*'
		}
		return string(rs)
	})
	return selfNamed.ReplaceAllString(text, "${1}**")
}

func isSeparator(r rune) bool { return r == '-' || r == '－' || r == ' ' }
