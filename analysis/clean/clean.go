package clean

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Text returns s prepared for analysis: pinyin annotations after Han
// characters removed, boilerplate and quoted-reply lines dropped, runs of
// whitespace collapsed to one space and blank lines removed. Text is
// idempotent: Text(Text(s)) == Text(s).
func Text(s string) string {
	s = strings.Map(dropInvisible, strings.ToValidUTF8(s, "\uFFFD"))
	var out []string
	skipQuote := false
	for _, line := range splitLines(s) {
		line = collapseSpace(stripPinyin(line))
		if line == "" {
			continue
		}
		// Discuz renders a quoted reply as a "<who> 发表于 <when>" header
		// followed by one line of (truncated) quoted text; drop both so that
		// a reply is not analysed as if it said what it quotes.
		if skipQuote {
			skipQuote = false
			continue
		}
		if isQuoteHeader(line) {
			skipQuote = true
			continue
		}
		if isQuoteLine(line) || isBoilerplate(line) {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// Normalize is Text applied after folding full-width forms to half width
// (ＡＢＣ１２３ → ABC123, full-width parentheses and spaces included), so
// that the cleaning rules also see folded input. Traditional → simplified
// and lower-casing are the segmenter's business (analysis.Fold).
func Normalize(s string) string {
	return Text(width.Fold.String(strings.ToValidUTF8(s, "\uFFFD")))
}

func splitLines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\u0085' || r == '\f' || r == '\v'
	})
}

// collapseSpace trims the line and replaces each run of whitespace (ASCII,
// NBSP, the ideographic space U+3000) by one space.
func collapseSpace(line string) string {
	var b strings.Builder
	b.Grow(len(line))
	pending := false
	for _, r := range line {
		if isSpace(r) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

// dropInvisible removes zero-width characters, which some sites scatter
// through text to defeat copying; they would otherwise split words.
func dropInvisible(r rune) rune {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return -1
	}
	return r
}
