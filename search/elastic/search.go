package elastic

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/calendarinterval"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/highlighterencoder"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/sortorder"

	"minyi"
)

var textFields = []string{"title", "body", "comments"}

// maxSourceFacets matches the bleve backend. Days need no limit: the date
// histogram returns one bucket per day that has matches.
const maxSourceFacets = 200

// Search runs a user's query. Every error a user can cause is EINVALID and
// is found before a request is sent.
func (x *Indexer) Search(ctx context.Context, q minyi.SearchQuery) (*minyi.SearchResult, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	query, err := buildQuery(q)
	if err != nil {
		return nil, err
	}
	highlight := map[string]types.HighlightField{}
	for _, f := range textFields {
		highlight[f+"_tokens"] = types.HighlightField{}
	}
	trackTotal := types.TrackHits(true)
	res, err := x.es.Search().Index(x.index).
		Query(query).
		From((q.Page-1)*q.PageSize).
		Size(q.PageSize).
		TrackTotalHits(trackTotal).
		TypedKeys(true).
		Sort(
			types.SortOptions{Score_: &types.ScoreSort{Order: &sortorder.Desc}},
			types.SortOptions{SortOptions: map[string]types.FieldSort{"published": {Order: &sortorder.Desc}}},
			types.SortOptions{SortOptions: map[string]types.FieldSort{"id": {Order: &sortorder.Asc}}},
		).
		SourceIncludes_("id", "source", "kind", "title", "url", "author", "published").
		Highlight(&types.Highlight{
			Encoder:  &highlighterencoder.Html, // escapes everything outside the marks
			PreTags:  []string{"<mark>"},
			PostTags: []string{"</mark>"},
			Fields:   highlight,
		}).
		Aggregations(map[string]types.Aggregations{
			"sources": {Terms: &types.TermsAggregation{Field: ptr("source"), Size: ptr(maxSourceFacets)}},
			"days": {DateHistogram: &types.DateHistogramAggregation{
				Field:            ptr("published"),
				CalendarInterval: &calendarinterval.Day,
				TimeZone:         ptr("+08:00"), // days as China counts them
				Format:           ptr("yyyy-MM-dd"),
				MinDocCount:      ptr(1),
			}},
		}).
		Do(ctx)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch search: %w", err)
	}
	return toResult(q, res.Hits, res.Aggregations)
}

// buildQuery: every included clause is a phrase in some text field, no
// excluded clause is, and the filters hold.
func buildQuery(q minyi.SearchQuery) (*types.Query, error) {
	clauses, err := minyi.ParseQuery(q.Text)
	if err != nil {
		return nil, err
	}
	b := &types.BoolQuery{}
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
		return nil, minyi.Errorf(minyi.EINVALID, "the search has no letters, digits or Chinese characters to look for")
	}
	if q.Source != "" {
		b.Filter = append(b.Filter, types.Query{Term: map[string]types.TermQuery{"source": {Value: q.Source}}})
	}
	if q.Kind != "" {
		b.Filter = append(b.Filter, types.Query{Term: map[string]types.TermQuery{"kind": {Value: string(q.Kind)}}})
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

func toResult(q minyi.SearchQuery, hits types.HitsMetadata, aggs map[string]types.Aggregate) (*minyi.SearchResult, error) {
	out := &minyi.SearchResult{
		Page:     q.Page,
		PageSize: q.PageSize,
		Hits:     make([]minyi.SearchHit, 0, len(hits.Hits)),
		Facets:   minyi.SearchFacets{Sources: []minyi.FacetCount{}, Days: []minyi.FacetCount{}},
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
	if a, ok := aggs["sources"].(*types.StringTermsAggregate); ok {
		if buckets, ok := a.Buckets.([]types.StringTermsBucket); ok {
			for _, b := range buckets {
				out.Facets.Sources = append(out.Facets.Sources, minyi.FacetCount{Value: fmt.Sprint(b.Key), Count: int(b.DocCount)})
			}
		}
	}
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

func ptr[T any](v T) *T { return &v }
