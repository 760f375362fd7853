package bleve

import (
	"context"
	"strings"

	"minyi"
	"minyi/analysis"
)

// Facet sizes: sources are few; days cover a bit more than a year of
// matches, beyond which a user narrows the dates anyway; the taxonomy has
// far fewer first-level categories than this.
const (
	maxSourceFacets    = 200
	maxDayFacets       = 400
	maxCategoryFacets  = 200
	maxSentimentFacets = 10
)

// Search runs a user's query on the segment engine (engine.go). Every error
// a user can cause is EINVALID. Blank text lists every document that passes
// the filters, newest first. With GroupByTopic, pages hold topics, each
// shown by its best match with the number of matches in it, while Total
// still counts matching documents.
func (x *Indexer) Search(ctx context.Context, q minyi.SearchQuery) (*minyi.SearchResult, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	tq, err := x.textQuery(q.Text)
	if err != nil {
		return nil, err
	}
	return x.searchSegments(ctx, q, tq)
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// phraseSlots arranges tokens as a multi-phrase: slot i holds every term
// that starts i word characters after the first. Slots that no token starts
// at (inside a Latin word, or between the bigrams of analysis.BigramPhrase)
// stay empty: any term fills them.
func phraseSlots(toks []analysis.Token) [][]string {
	if len(toks) == 0 {
		return nil
	}
	first, last := toks[0].Position, toks[0].Position
	for _, t := range toks {
		first, last = min(first, t.Position), max(last, t.Position)
	}
	slots := make([][]string, last-first+1)
	for _, t := range toks {
		slots[t.Position-first] = append(slots[t.Position-first], t.Term)
	}
	return slots
}
