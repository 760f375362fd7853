package elastic

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/calendarinterval"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/highlighterencoder"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/sortorder"

	"minyi"
)

var textFields = []string{"title", "body", "comments"}

// Facet sizes match the bleve backend. Days need no limit: the date
// histogram returns one bucket per day that has matches.
const (
	maxSourceFacets    = 200
	maxCategoryFacets  = 200
	maxSentimentFacets = 10
)

// Search runs a user's query. Every error a user can cause is EINVALID and
// is found before a request is sent. Blank text lists every document that
// passes the filters, newest first. GroupByTopic collapses the hits on
// topic_group (a document's topic, else its own id), so a page holds one
// hit per topic, the best match, and the hit's inner_hits total is the
// number of matches in the topic; Total still counts matching documents.
func (x *Indexer) Search(ctx context.Context, q minyi.SearchQuery) (*minyi.SearchResult, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	query, err := buildQuery(q)
	if err != nil {
		return nil, err
	}
	browse := isBlank(q.Text)
	order := []types.SortCombinations{
		types.SortOptions{Score_: &types.ScoreSort{Order: &sortorder.Desc}},
		types.SortOptions{SortOptions: map[string]types.FieldSort{"published": {Order: &sortorder.Desc}}},
		types.SortOptions{SortOptions: map[string]types.FieldSort{"id": {Order: &sortorder.Asc}}},
	}
	if browse {
		order = order[1:] // every match scores alike: newest first
	}
	trackTotal := types.TrackHits(true)
	req := x.es.Search().Index(x.index).
		Query(query).
		From((q.Page-1)*q.PageSize).
		Size(q.PageSize).
		TrackTotalHits(trackTotal).
		TypedKeys(true).
		Sort(order...).
		SourceIncludes_("id", "source", "kind", "title", "url", "author", "published", "sentiment", "category", "topic").
		Aggregations(map[string]types.Aggregations{
			"sources":    {Terms: &types.TermsAggregation{Field: ptr("source"), Size: ptr(maxSourceFacets)}},
			"sentiments": {Terms: &types.TermsAggregation{Field: ptr("sentiment"), Size: ptr(maxSentimentFacets)}},
			"categories": {Terms: &types.TermsAggregation{Field: ptr("category"), Size: ptr(maxCategoryFacets)}},
			"days": {DateHistogram: &types.DateHistogramAggregation{
				Field:            ptr("published"),
				CalendarInterval: &calendarinterval.Day,
				TimeZone:         ptr("+08:00"), // days as China counts them
				Format:           ptr("yyyy-MM-dd"),
				MinDocCount:      ptr(1),
			}},
		})
	if !browse {
		highlight := map[string]types.HighlightField{}
		for _, f := range textFields {
			highlight[f+"_tokens"] = types.HighlightField{}
		}
		req = req.Highlight(&types.Highlight{
			Encoder:  &highlighterencoder.Html, // escapes everything outside the marks
			PreTags:  []string{"<mark>"},
			PostTags: []string{"</mark>"},
			Fields:   highlight,
		})
	}
	if q.GroupByTopic {
		req = req.Collapse(&types.FieldCollapse{
			Field:     "topic_group",
			InnerHits: []types.InnerHits{{Name: ptr(topicInnerHits), Size: ptr(0)}},
		})
	}
	res, err := req.Do(ctx)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch search: %w", err)
	}
	return toResult(q, res.Hits, res.Aggregations)
}

// topicInnerHits names the inner hits whose total is a group's size.
const topicInnerHits = "topic"

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// buildQuery: every included clause is a phrase in some text field, no
// excluded clause is, and the filters hold.
func buildQuery(q minyi.SearchQuery) (*types.Query, error) {
	b := &types.BoolQuery{}
	if isBlank(q.Text) {
		b.Must = []types.Query{{MatchAll: &types.MatchAllQuery{}}}
	} else if err := addText(b, q.Text); err != nil {
		return nil, err
	}
	for _, f := range [][2]string{
		{"source", q.Source}, {"kind", string(q.Kind)},
		{"sentiment", string(q.Sentiment)}, {"category", q.Category}, {"topic", q.Topic},
	} {
		if f[1] != "" {
			b.Filter = append(b.Filter, types.Query{Term: map[string]types.TermQuery{f[0]: {Value: f[1]}}})
		}
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		r := types.DateRangeQuery{}
		if !q.From.IsZero() {
			r.Gte = ptr(q.From.UTC().Format(time.RFC3339Nano))
		}
		if !q.To.IsZero() {
			r.Lt = ptr(q.To.UTC().Format(time.RFC3339Nano))
		}
		b.Filter = append(b.Filter, types.Query{Range: map[string]types.RangeQuery{"published": r}})
	}
	return &types.Query{Bool: b}, nil
}

// addText adds the user's clauses to b.
func addText(b *types.BoolQuery, text string) error {
	clauses, err := minyi.ParseQuery(text)
	if err != nil {
		return err
	}
	for _, c := range clauses {
		phrase := tokenText(c.Text)
		if phrase == "" {
			continue // nothing searchable, e.g. only punctuation
		}
		anyField := make([]types.Query, 0, len(textFields))
		for _, f := range textFields {
			anyField = append(anyField, types.Query{MatchPhrase: map[string]types.MatchPhraseQuery{f + "_tokens": {Query: phrase}}})
		}
		clause := types.Query{Bool: &types.BoolQuery{Should: anyField, MinimumShouldMatch: 1}}
		if c.Exclude {
			b.MustNot = append(b.MustNot, clause)
		} else {
			b.Must = append(b.Must, clause)
		}
	}
	if len(b.Must) == 0 {
		return minyi.Errorf(minyi.EINVALID, "the search has no letters, digits or Chinese characters to look for")
	}
	return nil
}

func toResult(q minyi.SearchQuery, hits types.HitsMetadata, aggs map[string]types.Aggregate) (*minyi.SearchResult, error) {
	out := &minyi.SearchResult{
		Page:     q.Page,
		PageSize: q.PageSize,
		Hits:     make([]minyi.SearchHit, 0, len(hits.Hits)),
		Facets: minyi.SearchFacets{Sources: []minyi.FacetCount{}, Days: []minyi.FacetCount{},
			Sentiments: []minyi.FacetCount{}, Categories: []minyi.FacetCount{}},
	}
	if hits.Total != nil {
		out.Total = uint64(hits.Total.Value)
	}
	for _, h := range hits.Hits {
		var s source
		if err := json.Unmarshal(h.Source_, &s); err != nil {
			return nil, fmt.Errorf("elasticsearch hit %v: %w", h.Id_, err)
		}
		hit := minyi.SearchHit{
			ID: s.ID, Source: s.Source, Kind: minyi.Kind(s.Kind), Title: s.Title,
			URL: s.URL, Author: s.Author, Published: s.Published,
			Sentiment: minyi.Sentiment(s.Sentiment), Category: s.Category, Topic: s.Topic,
		}
		if inner, ok := h.InnerHits[topicInnerHits]; ok && inner.Hits.Total != nil {
			hit.TopicSize = int(inner.Hits.Total.Value)
		}
		if h.Score_ != nil {
			hit.Score = float64(*h.Score_)
		}
		for field, frags := range h.Highlight {
			if hit.Highlights == nil {
				hit.Highlights = map[string][]string{}
			}
			name := field[:len(field)-len("_tokens")]
			for _, f := range frags {
				hit.Highlights[name] = append(hit.Highlights[name], joinFragment(f))
			}
		}
		out.Hits = append(out.Hits, hit)
	}
	out.Facets.Sources = termCounts(aggs["sources"])
	out.Facets.Sentiments = termCounts(aggs["sentiments"])
	out.Facets.Categories = termCounts(aggs["categories"])
	if a, ok := aggs["days"].(*types.DateHistogramAggregate); ok {
		if buckets, ok := a.Buckets.([]types.DateHistogramBucket); ok {
			for _, b := range buckets {
				if b.KeyAsString != nil && b.DocCount > 0 {
					out.Facets.Days = append(out.Facets.Days, minyi.FacetCount{Value: *b.KeyAsString, Count: int(b.DocCount)})
				}
			}
		}
	}
	return out, nil
}

// termCounts reads a terms aggregation; a field no match has comes back
// as an empty (unmapped) aggregate.
func termCounts(agg types.Aggregate) []minyi.FacetCount {
	out := []minyi.FacetCount{}
	if a, ok := agg.(*types.StringTermsAggregate); ok {
		if buckets, ok := a.Buckets.([]types.StringTermsBucket); ok {
			for _, b := range buckets {
				out = append(out, minyi.FacetCount{Value: fmt.Sprint(b.Key), Count: int(b.DocCount)})
			}
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }
