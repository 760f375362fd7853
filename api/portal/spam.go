package portal

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var linkPattern = regexp.MustCompile(`(?i)https?://|www\.|\.(?:com|net|cn|top|xyz)\b`)

// spamWords are what advertising and abuse carry and letters to a
// government do not: a letter with one is held for a person to read, never
// dropped, because a real complaint may quote them.
var spamWords = []string{"代开发票", "发票代开", "博彩", "赌场", "网赌", "加微信", "加VX", "加QQ", "刷单", "贷款秒批",
	"裸聊", "六合彩", "出售枪", "办证", "代孕", "傻逼", "操你", "去死"}

// spamReason tells why a letter looks like spam or abuse, "" when it does
// not: several links, a spam word, one character repeated at length, or
// a body that is mostly not text.
func spamReason(f letterForm) string {
	text := f.Title + "\n" + f.Body
	if n := len(linkPattern.FindAllStringIndex(text, 4)); n >= 3 {
		return "links"
	}
	for _, w := range spamWords {
		if strings.Contains(strings.ToUpper(text), strings.ToUpper(w)) {
			return "words"
		}
	}
	var last rune
	run, letters, total := 0, 0, 0
	for _, r := range text {
		if r == last {
			if run++; run >= 15 && !unicode.IsSpace(r) {
				return "repeated"
			}
		} else {
			last, run = r, 1
		}
		total++
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Han, r) {
			letters++
		}
	}
	if total >= 20 && letters*2 < total {
		return "symbols"
	}
	if utf8.RuneCountInString(f.Body) < 5 {
		return "short"
	}
	return ""
}
