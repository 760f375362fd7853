package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stripPinyin removes the readings some sites print after rare characters,
// 創(chuàng)新 → 創新, with ASCII or full-width parentheses. A parenthesised
// group is removed only when it follows a Han character directly and every
// word in it is a valid pinyin syllable (tone marks or tone digits allowed),
// so "(ICU)", "(2020)" and "(注)" survive.
func stripPinyin(s string) string {
	if !strings.ContainsAny(s, "(（") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prevHan := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if prevHan && (r == '(' || r == '（') {
			if n := pinyinGroupLen(s[i:]); n > 0 {
				i += n
				continue // prevHan stays true: 創(chuàng)(chuang) loses both groups
			}
		}
		b.WriteString(s[i : i+size])
		prevHan = unicode.Is(unicode.Han, r)
		i += size
	}
	return b.String()
}

// pinyinGroupLen returns the byte length of a pinyin group at the start of s
// ("(chuàng)", "（yù）", "(zhong1 guo2)"), or 0 when s does not start with one.
func pinyinGroupLen(s string) int {
	_, open := utf8.DecodeRuneInString(s)
	end := strings.IndexAny(s[open:], ")）")
	if end < 0 || end > 40 {
		return 0
	}
	inner := s[open : open+end]
	_, closeSize := utf8.DecodeRuneInString(s[open+end:])
	words := strings.Fields(inner)
	if len(words) == 0 || len(words) > 4 {
		return 0
	}
	for _, w := range words {
		if !isPinyinSyllable(w) {
			return 0
		}
	}
	return open + end + closeSize
}

var toneless = strings.NewReplacer(
	"ā", "a", "á", "a", "ǎ", "a", "à", "a",
	"ē", "e", "é", "e", "ě", "e", "è", "e",
	"ī", "i", "í", "i", "ǐ", "i", "ì", "i",
	"ō", "o", "ó", "o", "ǒ", "o", "ò", "o",
	"ū", "u", "ú", "u", "ǔ", "u", "ù", "u",
	"ǖ", "v", "ǘ", "v", "ǚ", "v", "ǜ", "v", "ü", "v",
	"ń", "n", "ň", "n", "ǹ", "n", "ḿ", "m",
)

var initials = []string{"zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w", ""}

// finals is the set of pinyin finals (with v for ü); the combination rules
// of initials and finals are not checked, which is tight enough to tell a
// reading from an English word or an abbreviation.
var finals = map[string]bool{}

func init() {
	for _, f := range strings.Fields(`a o e i u v ai ei ui ao ou iu ie ve er an en in un vn ang eng ing ong
		ia iao ian iang iong ua uo uai uan uang ue van i ueng`) {
		finals[f] = true
	}
}

func isPinyinSyllable(w string) bool {
	w = strings.ToLower(toneless.Replace(w))
	if n := len(w); n > 1 && w[n-1] >= '1' && w[n-1] <= '5' {
		w = w[:n-1]
	}
	if w == "" || len(w) > 6 {
		return false
	}
	switch w { // syllables without a vowel final
	case "m", "n", "ng", "hm", "hng":
		return true
	}
	for _, ini := range initials {
		if strings.HasPrefix(w, ini) && finals[w[len(ini):]] {
			return true
		}
	}
	return false
}
