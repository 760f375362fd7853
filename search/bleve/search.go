package bleve

import (
	"context"
	"sort"
	"strings"
	"time"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

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

// hitFields are the stored fields a hit shows.
var hitFields = []string{fieldTitle, fieldSource, fieldKind, fieldURL, fieldAuthor, fieldPublished,
	fieldSentiment, fieldCategory, fieldTopic}

// Search runs a user's query. Every error a user can cause is EINVALID.
// Blank text lists every document that passes the filters, newest first.
// With GroupByTopic, pages hold topics rather than documents (see
// searchGrouped) while Total still counts matching documents; any other
// search runs on the segment engine (engine.go).
func (x *Indexer) Search(ctx context.Context, q minyi.SearchQuery) (*minyi.SearchResult, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	if !q.GroupByTopic {
		cs, err := x.clauses(q.Text)
		if err != nil {
			return nil, err
		}
		return x.searchSegments(ctx, q, cs)
	}
	text, err := x.textQuery(q.Text)
	if err != nil {
		return nil, err
	}
	must := []query.Query{text}
	for _, f := range [][2]string{
		{fieldSource, q.Source}, {fieldKind, string(q.Kind)},
		{fieldSentiment, string(q.Sentiment)}, {fieldCategory, q.Category}, {fieldTopic, q.Topic},
	} {
		if f[1] != "" {
			must = append(must, termQuery(f[0], f[1]))
		}
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		yes, no := true, false
		must = append(must, fieldQuery(fieldPublished,
			query.NewDateRangeInclusiveQuery(q.From, q.To, &yes, &no)))
	}
	matches := query.NewConjunctionQuery(must)
	order := []string{"-_score", "-" + fieldPublished, "_id"}
	browse := isBlank(q.Text)
	if browse {
		// Every match scores alike; the newest is what an analyst wants.
		order = []string{"-" + fieldPublished, "_id"}
	}
	return x.searchGrouped(ctx, q, matches, order, !browse)
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// addFacets asks for the counts over all matches that a result carries.
func addFacets(req *blevesearch.SearchRequest) {
	req.AddFacet("sources", blevesearch.NewFacetRequest(fieldSource, maxSourceFacets))
	req.AddFacet("days", blevesearch.NewFacetRequest(fieldDay, maxDayFacets))
	req.AddFacet("sentiments", blevesearch.NewFacetRequest(fieldSentiment, maxSentimentFacets))
	req.AddFacet("categories", blevesearch.NewFacetRequest(fieldCategory, maxCategoryFacets))
}

// newResult carries over the total and facets of res, with no hits yet.
func newResult(q minyi.SearchQuery, res *blevesearch.SearchResult) *minyi.SearchResult {
	out := &minyi.SearchResult{
		Total:    res.Total,
		Page:     q.Page,
		PageSize: q.PageSize,
		Hits:     make([]minyi.SearchHit, 0, q.PageSize),
		Facets: minyi.SearchFacets{
			Sources:    facetCounts(res.Facets["sources"]),
			Days:       facetCounts(res.Facets["days"]),
			Sentiments: facetCounts(res.Facets["sentiments"]),
			Categories: facetCounts(res.Facets["categories"]),
		},
	}
	// Days read as a timeline; the others by how much they contribute.
	sort.Slice(out.Facets.Days, func(i, j int) bool { return out.Facets.Days[i].Value < out.Facets.Days[j].Value })
	return out
}

// textQuery turns the user's text into: every included clause matches in
// some text field, no excluded clause matches in any. Blank text matches
// every document.
func (x *Indexer) textQuery(s string) (query.Query, error) {
	if isBlank(s) {
		return query.NewMatchAllQuery(), nil
	}
	clauses, err := minyi.ParseQuery(s)
	if err != nil {
		return nil, err
	}
	var must, mustNot []query.Query
	for _, c := range clauses {
		slots := phraseSlots(x.phrase(c.Text))
		if slots == nil {
			continue // nothing searchable, e.g. only punctuation
		}
		anyField := make([]query.Query, 0, len(textFields))
		for _, f := range textFields {
			if len(slots) == 1 && len(slots[0]) == 1 {
				// One term needs no positions checked.
				anyField = append(anyField, termQuery(f, slots[0][0]))
			} else {
				anyField = append(anyField, query.NewMultiPhraseQuery(slots, f))
			}
		}
		if c.Exclude {
			mustNot = append(mustNot, query.NewDisjunctionQuery(anyField))
		} else {
			must = append(must, query.NewDisjunctionQuery(anyField))
		}
	}
	if len(must) == 0 {
		return nil, minyi.Errorf(minyi.EINVALID, "the search has no letters, digits or Chinese characters to look for")
	}
	b := query.NewBooleanQuery(must, nil, nil)
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	return b, nil
}

// phraseSlots arranges tokens as a multi-phrase: slot i holds every term
// that starts i word characters after the first. Slots that no token starts
// at (inside a Latin word, or between the bigrams of analysis.BigramPhrase)
// stay empty, which bleve reads as "any term".
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

func termQuery(field, value string) query.Query {
	return fieldQuery(field, query.NewTermQuery(value))
}

func fieldQuery[Q interface {
	query.Query
	SetField(string)
}](field string, q Q) query.Query {
	q.SetField(field)
	return q
}

func facetCounts(fr *search.FacetResult) []minyi.FacetCount {
	out := []minyi.FacetCount{}
	if fr == nil || fr.Terms == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		out = append(out, minyi.FacetCount{Value: t.Term, Count: t.Count})
	}
	return out
}

func hit(h *search.DocumentMatch) minyi.SearchHit {
	str := func(name string) string { s, _ := h.Fields[name].(string); return s }
	out := minyi.SearchHit{
		ID:     h.ID,
		Source: str(fieldSource),
		Kind:   minyi.Kind(str(fieldKind)),
		Title:  str(fieldTitle),
		URL:    str(fieldURL),
		Author: str(fieldAuthor),
		Score:  h.Score,

		Sentiment: minyi.Sentiment(str(fieldSentiment)),
		Category:  str(fieldCategory),
		Topic:     str(fieldTopic),
	}
	if t, err := time.Parse(time.RFC3339Nano, str(fieldPublished)); err == nil {
		out.Published = t
	}
	for field, frags := range h.Fragments {
		for _, f := range frags {
			// bleve also returns the opening of fields without a match;
			// a highlight is only what shows why the document matched.
			if !strings.Contains(f, "<mark>") {
				continue
			}
			if out.Highlights == nil {
				out.Highlights = map[string][]string{}
			}
			out.Highlights[field] = append(out.Highlights[field], f)
		}
	}
	return out
}
