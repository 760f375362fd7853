package bleve

import (
	"html"
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
	"minyi/analysis"
)

// A page's hits are read from their stored fields and highlighted here, from
// the text itself: the page holds twenty documents, and analysing them again
// costs less than carrying term locations for every match through a search.

// fragmentRunes is the length of a highlighted fragment, bleve's default.
const fragmentRunes = 200

// leadRunes is how much text a fragment shows before its first mark.
const leadRunes = 40

// storedHit reads a page hit's stored fields and marks where the included
// clauses match.
func storedHit(r *ranked, include []clause) (minyi.SearchHit, error) {
	h := minyi.SearchHit{ID: r.docID(), Score: r.score, Published: time.Unix(0, r.published).UTC(), TopicSize: r.topicSize}
	text := map[string]string{}
	err := r.m.seg.VisitStoredFields(uint64(r.doc), func(field string, _ byte, value []byte, _ []uint64) bool {
		v := string(value)
		switch field {
		case fieldTitle:
			h.Title = v
			text[field] = v
		case fieldBody, fieldComments:
			text[field] = v
		case fieldSource:
			h.Source = v
		case fieldKind:
			h.Kind = minyi.Kind(v)
		case fieldURL:
			h.URL = v
		case fieldAuthor:
			h.Author = v
		case fieldSentiment:
			h.Sentiment = minyi.Sentiment(v)
		case fieldCategory:
			h.Category = v
		case fieldTopic:
			h.Topic = v
		case fieldEvent:
			h.Event = v
		}
		return true
	})
	if err != nil {
		return h, err
	}
	for f, field := range textFields {
		// Only the clauses that match in this field, as the search found.
		var phrases [][]analysis.Token
		for k, c := range include {
			if r.m.in[k][f].Contains(r.doc) {
				phrases = append(phrases, c.tokens)
			}
		}
		if spans := markSpans(text[field], phrases); len(spans) > 0 {
			if h.Highlights == nil {
				h.Highlights = map[string][]string{}
			}
			h.Highlights[field] = []string{fragment(text[field], spans)}
		}
	}
	return h, nil
}

// markSpans are the byte ranges of text where one of the phrases occurs,
// merged where they touch, in order.
func markSpans(text string, phrases [][]analysis.Token) [][2]int {
	if text == "" || len(phrases) == 0 {
		return nil
	}
	toks := analysis.Bigrams(text)
	if len(toks) == 0 {
		return nil
	}
	// Tokens come in position order, a few at each position: the tokens
	// at position p are toks[starts[p]:starts[p+1]].
	// A Latin word takes one position per letter and has a token at the
	// first only, so some positions have none.
	starts := make([]int, toks[len(toks)-1].Position+2)
	i := 0
	for p := range len(starts) - 1 {
		starts[p] = i
		for i < len(toks) && toks[i].Position == p {
			i++
		}
	}
	starts[len(starts)-1] = len(toks)
	byPos := func(pos int) []analysis.Token { return toks[starts[pos]:starts[pos+1]] }
	at := func(pos int, term string) (analysis.Token, bool) {
		if pos < 0 || pos >= len(starts)-1 {
			return analysis.Token{}, false
		}
		for _, t := range byPos(pos) {
			if t.Term == term {
				return t, true
			}
		}
		return analysis.Token{}, false
	}
	// A match marks its characters one by one, so that punctuation a
	// bigram spans (协议，拆迁) stays outside the marks.
	smallest := func(pos int) analysis.Token {
		u := byPos(pos)[0]
		for _, t := range byPos(pos)[1:] {
			if t.End-t.Start < u.End-u.Start {
				u = t
			}
		}
		return u
	}
	var spans [][2]int
	var matched []analysis.Token
	for _, ph := range phrases {
		first := ph[0].Position
		for p := range len(starts) - 1 {
			matched = matched[:0]
			for _, q := range ph {
				t, found := at(p+q.Position-first, q.Term)
				if !found {
					break
				}
				matched = append(matched, t)
			}
			if len(matched) < len(ph) {
				continue
			}
			for _, t := range matched {
				for pos := t.Position; pos < len(starts)-1 && len(byPos(pos)) > 0; pos++ {
					u := smallest(pos)
					if u.Start >= t.End {
						break
					}
					spans = append(spans, [2]int{u.Start, u.End})
				}
			}
		}
	}
	return mergeSpans(spans)
}

func mergeSpans(spans [][2]int) [][2]int {
	if len(spans) == 0 {
		return nil
	}
	// Insertion sort: a page's fields have a handful of marks.
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j][0] < spans[j-1][0]; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	out := spans[:1]
	for _, s := range spans[1:] {
		if last := &out[len(out)-1]; s[0] <= last[1] {
			last[1] = max(last[1], s[1])
			continue
		}
		out = append(out, s)
	}
	return out
}

// fragment is up to fragmentRunes of text around its first mark, escaped,
// with every mark inside it wrapped in <mark>.
func fragment(text string, spans [][2]int) string {
	start, end := 0, len(text)
	if utf8.RuneCountInString(text) > fragmentRunes {
		start = spans[0][0]
		for n := 0; n < leadRunes && start > 0; n++ {
			_, size := utf8.DecodeLastRuneInString(text[:start])
			start -= size
		}
		end = start
		for n := 0; n < fragmentRunes && end < len(text); n++ {
			_, size := utf8.DecodeRuneInString(text[end:])
			end += size
		}
		// Near the end, the fragment takes more of what comes before.
		for n := utf8.RuneCountInString(text[start:end]); n < fragmentRunes && start > 0; n++ {
			_, size := utf8.DecodeLastRuneInString(text[:start])
			start -= size
		}
	}
	var b strings.Builder
	curr := start
	for _, s := range spans {
		from, to := max(s[0], start), min(s[1], end)
		if from >= to {
			continue
		}
		b.WriteString(html.EscapeString(text[curr:from]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[from:to]))
		b.WriteString("</mark>")
		curr = to
	}
	b.WriteString(html.EscapeString(text[curr:end]))
	return b.String()
}
