package elastic

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"minyi/analysis"
)

// tokenText is the text sent for a *_tokens field and for a phrase query:
// folded, one token per word-character position (each ideograph alone, each
// Latin or digit run whole), joined by spaces for Elasticsearch's built-in
// whitespace analyzer. One token per position is what makes match_phrase an
// exact substring match; the overlapping sub-words that bleve indexes at
// shared positions cannot be expressed in a whitespace-separated stream.
func tokenText(s string) string {
	toks := analysis.Tokens(s)
	var b strings.Builder
	for i, t := range toks {
		// Tokens come by position, the longest first, so the unit of a
		// position is the last token before the position changes.
		if i+1 < len(toks) && toks[i+1].Position == t.Position {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Term)
	}
	return b.String()
}

// joinFragment turns a highlighted fragment of a *_tokens field back into
// readable text: spaces go, except between two Latin or digit tokens, and
// neighbouring marks merge. The fragment is already HTML-escaped by
// Elasticsearch's html encoder, which never produces a space.
func joinFragment(f string) string {
	f = strings.ReplaceAll(f, "</mark> <mark>", " ")
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != ' ' {
			b.WriteByte(f[i])
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(strings.TrimSuffix(f[:i], "</mark>"), "<mark>"))
		after, _ := utf8.DecodeRuneInString(strings.TrimPrefix(strings.TrimPrefix(f[i+1:], "<mark>"), "</mark>"))
		if latin(before) && latin(after) {
			b.WriteByte(' ')
		}
	}
	return strings.ReplaceAll(b.String(), "</mark><mark>", "")
}

func latin(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
