package crawler

import (
	"strconv"
	"strings"

	"minyi"
)

// count reads a count of readers' reactions as boards print it: "1,208",
// "（35）", "点赞：12", full-width digits, or "1.2万". The first number in s
// counts; none, or text that is not a count, is 0: a layout change must not
// stop a crawl. Counts beyond minyi.MaxReactions are clamped to it.
func count(s string) int {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == ',' || r == '，':
			return -1 // thousands separators
		}
		return r
	}, s)
	start := strings.IndexAny(s, "0123456789")
	if start < 0 {
		return 0
	}
	end := start
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
		end++
	}
	n, err := strconv.ParseFloat(s[start:end], 64)
	if err != nil {
		return 0
	}
	if strings.HasPrefix(s[end:], "万") {
		n *= 10_000
	}
	if n >= minyi.MaxReactions {
		return minyi.MaxReactions
	}
	return int(n)
}
