package elastic

import (
	"html"
	"sort"
	"strings"
	"unicode/utf8"

	"minyi/analysis"
)

// Highlights are cut here, from the original title, body and comments in
// _source, at the offsets the analyser gives (as the bleve backend does).
// Elasticsearch could only highlight the *_tokens copy, which is folded,
// lower-cased and stripped of punctuation: 請問 would show as 请问.
const (
	fragmentRunes  = 200 // as bleve's default fragmenter
	contextRunes   = fragmentRunes / 4
	maxFragments   = 3
	highlightOpen  = "<mark>"
	highlightClose = "</mark>"
)

// highlighter marks the phrases a query looked for.
type highlighter struct {
	phrases [][]string // folded unit terms of each included clause
}

type span struct{ start, end int } // byte offsets in the original text

// marks returns the byte ranges of text where a phrase matches, sorted,
// touching ranges merged so that 拆迁补偿 is one mark, not four.
func (h highlighter) marks(text string) []span {
	if len(h.phrases) == 0 || text == "" {
		return nil
	}
	us := units(text)
	var out []span
	for i := range us {
		for _, p := range h.phrases {
			if matchesAt(us, i, p) {
				for _, u := range us[i : i+len(p)] {
					out = append(out, span{u.Start, u.End})
				}
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].start < out[b].start })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

func matchesAt(us []analysis.Token, i int, phrase []string) bool {
	if i+len(phrase) > len(us) {
		return false
	}
	for k, term := range phrase {
		if us[i+k].Term != term {
			return false
		}
	}
	return true
}

// whole returns text escaped with its matches marked, or "" without a
// match: for titles, which are short.
func (h highlighter) whole(text string) string {
	m := h.marks(text)
	if len(m) == 0 {
		return ""
	}
	return render(text, 0, len(text), m)
}

// fragments returns up to maxFragments pieces of text of about
// fragmentRunes characters, each opening a little before a match.
func (h highlighter) fragments(text string) []string {
	m := h.marks(text)
	var out []string
	prevEnd := 0
	for i := 0; i < len(m) && len(out) < maxFragments; {
		start := backRunes(text, m[i].start, contextRunes, prevEnd)
		end := forwardRunes(text, start, fragmentRunes)
		j := i
		for j < len(m) && m[j].start < end {
			end = max(end, m[j].end) // never cut a mark in two
			j++
		}
		out = append(out, render(text, start, end, m[i:j]))
		prevEnd, i = end, j
	}
	return out
}

// render escapes text[from:to] and wraps the marks, which lie inside it.
func render(text string, from, to int, marks []span) string {
	var b strings.Builder
	at := from
	for _, m := range marks {
		b.WriteString(html.EscapeString(text[at:m.start]))
		b.WriteString(highlightOpen)
		b.WriteString(html.EscapeString(text[m.start:m.end]))
		b.WriteString(highlightClose)
		at = m.end
	}
	b.WriteString(html.EscapeString(text[at:to]))
	return b.String()
}

// backRunes moves back from byte offset i by up to n characters, not
// before floor.
func backRunes(s string, i, n, floor int) int {
	for ; n > 0 && i > floor; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return max(i, floor)
}

func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
