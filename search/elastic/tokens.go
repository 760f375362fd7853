package elastic

import (
	"strings"

	"minyi/analysis"
)

// units are the tokens of s one per word-character position (each
// ideograph alone, each Latin or digit run whole), with their offsets in s.
// One token per position is what makes match_phrase an exact substring
// match; the overlapping sub-words that bleve indexes at shared positions
// cannot be expressed in a whitespace-separated stream. The highlighter
// walks the same units, so what it marks is what matched.
func units(s string) []analysis.Token {
	toks := analysis.Tokens(s)
	out := make([]analysis.Token, 0, len(toks))
	for i, t := range toks {
		// Tokens come by position, the longest first, so the unit of a
		// position is the last token before the position changes.
		if i+1 < len(toks) && toks[i+1].Position == t.Position {
			continue
		}
		out = append(out, t)
	}
	return out
}

// tokenText is the text sent for a *_tokens field and for a phrase query:
// the folded units joined by spaces, for Elasticsearch's built-in
// whitespace analyzer.
func tokenText(s string) string {
	var b strings.Builder
	for i, t := range units(s) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Term)
	}
	return b.String()
}
