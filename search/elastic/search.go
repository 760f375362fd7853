package elastic

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/calendarinterval"
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
// hit per topic, the best match; one aggregation over the page's groups
// then counts the matches in each (Total still counts matching documents).
// A response from fewer shards than were asked is an error, never a
// shorter list.
func (x *Indexer) Search(ctx context.Context, q minyi.SearchQuery) (*minyi.SearchResult, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	query, hl, err := buildQuery(q)
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
	fields := []string{"id", "source", "kind", "title", "url", "author", "published", "sentiment", "category", "topic", "topic_group", "event"}
	if !browse {
		fields = append(fields, "body", "comments") // to cut highlights from
	}
	pref := preference(q)
	trackTotal := types.TrackHits(true)
	req := x.es.Search().Index(x.target).
		Query(query).
		From((q.Page - 1) * q.PageSize).
		Size(q.PageSize).
		TrackTotalHits(trackTotal).
		TypedKeys(true).
		Preference(pref).
		Sort(order...).
		SourceIncludes_(fields...)
	aggs := map[string]types.Aggregations{
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
	}
	switch {
	case q.TopicsBySize:
		// Collapsing cannot order groups by size: the largest groups up to
		// this page come from a terms aggregation instead, and their best
		// matches from a second request (bestOfTopics).
		aggs["by_size"] = types.Aggregations{Terms: &types.TermsAggregation{Field: ptr("topic_group"), Size: ptr(q.Page * q.PageSize),
			Order: []map[string]sortorder.SortOrder{{"_count": sortorder.Desc}, {"_key": sortorder.Asc}}}}
		req = req.From(0).Size(0)
	case q.GroupByTopic:
		req = req.Collapse(&types.FieldCollapse{Field: "topic_group"})
	}
	req = req.Aggregations(aggs)
	res, err := req.Do(ctx)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch search: %w", err)
	}
	if err := shardFailure(res.Shards_, res.TimedOut); err != nil {
		return nil, fmt.Errorf("elasticsearch search: %w", err)
	}
	out, groups, err := toResult(q, res.Hits, res.Aggregations, hl)
	if err != nil {
		return nil, err
	}
	if q.TopicsBySize {
		largest := termCounts(res.Aggregations["by_size"])
		groups = groups[:0]
		for _, b := range largest[min(len(largest), (q.Page-1)*q.PageSize):] {
			groups = append(groups, b.Value)
		}
		if out.Hits, groups, err = x.bestOfTopics(ctx, query, groups, order, fields, hl, pref); err != nil {
			return nil, err
		}
	}
	if q.GroupByTopic && len(groups) > 0 {
		sizes, err := x.topicSizes(ctx, query, groups, pref)
		if err != nil {
			return nil, err
		}
		for i := range out.Hits {
			out.Hits[i].TopicSize = sizes[groups[i]]
		}
	}
	if q.TopicsBySize {
		// The aggregation's counts may be estimates across shards; the
		// page shows the exact ones, in their order.
		slices.SortStableFunc(out.Hits, func(a, b minyi.SearchHit) int { return b.TopicSize - a.TopicSize })
	}
	return out, nil
}

// bestOfTopics is the best match of query in each of groups, in the order
// of groups, and the groups of the hits (a group whose documents were
// deleted since the aggregation has none).
func (x *Indexer) bestOfTopics(ctx context.Context, query *types.Query, groups []string, order []types.SortCombinations,
	fields []string, hl highlighter, pref string) ([]minyi.SearchHit, []string, error) {
	if len(groups) == 0 {
		return []minyi.SearchHit{}, nil, nil
	}
	inPage := types.Query{Bool: &types.BoolQuery{Filter: []types.Query{*query,
		{Terms: &types.TermsQuery{TermsQuery: map[string]types.TermsQueryField{"topic_group": groups}}}}}}
	res, err := x.es.Search().Index(x.target).
		Query(&inPage).
		Size(len(groups)).
		TrackTotalHits(types.TrackHits(false)).
		Preference(pref).
		Sort(order...).
		SourceIncludes_(fields...).
		Collapse(&types.FieldCollapse{Field: "topic_group"}).
		Do(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("elasticsearch best of topics: %w", err)
	}
	if err := shardFailure(res.Shards_, res.TimedOut); err != nil {
		return nil, nil, fmt.Errorf("elasticsearch best of topics: %w", err)
	}
	page, got, err := toResult(minyi.SearchQuery{}, res.Hits, nil, hl)
	if err != nil {
		return nil, nil, err
	}
	best := make(map[string]minyi.SearchHit, len(got))
	for i, g := range got {
		best[g] = page.Hits[i]
	}
	hits, found := make([]minyi.SearchHit, 0, len(groups)), make([]string, 0, len(groups))
	for _, g := range groups {
		if h, ok := best[g]; ok {
			hits, found = append(hits, h), append(found, g)
		}
	}
	return hits, found, nil
}

// topicSizes counts the matches of query in each of groups, with one
// terms aggregation restricted to them. The include list makes every shard
// count every group, so the counts are exact, and there is no cap.
func (x *Indexer) topicSizes(ctx context.Context, query *types.Query, groups []string, pref string) (map[string]int, error) {
	inPage := types.Query{Bool: &types.BoolQuery{Filter: []types.Query{*query,
		{Terms: &types.TermsQuery{TermsQuery: map[string]types.TermsQueryField{"topic_group": groups}}}}}}
	trackTotal := types.TrackHits(false)
	res, err := x.es.Search().Index(x.target).
		Query(&inPage).
		Size(0).
		TrackTotalHits(trackTotal).
		TypedKeys(true).
		Preference(pref).
		Aggregations(map[string]types.Aggregations{
			"sizes": {Terms: &types.TermsAggregation{Field: ptr("topic_group"), Size: ptr(len(groups)), Include: groups}},
		}).
		Do(ctx)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch topic sizes: %w", err)
	}
	if err := shardFailure(res.Shards_, res.TimedOut); err != nil {
		return nil, fmt.Errorf("elasticsearch topic sizes: %w", err)
	}
	sizes := map[string]int{}
	for _, c := range termCounts(res.Aggregations["sizes"]) {
		sizes[c.Value] = c.Count
	}
	return sizes, nil
}

// preference routes every page of one search to the same shard copies, so
// that replicas with different segment states (and so slightly different
// scores) cannot reorder results between pages. It is the same for the
// same query and filters whoever asks; the page is left out.
func preference(q minyi.SearchQuery) string {
	q.Page = 0
	key, _ := json.Marshal(q)
	sum := sha256.Sum256(key)
	return "minyi-" + hex.EncodeToString(sum[:8])
}

// shardFailure is an error when the response covers fewer shards than the
// search ran on: the hits, total and facets would silently be short.
func shardFailure(s types.ShardStatistics, timedOut bool) error {
	if timedOut {
		return errors.New("timed out; the results would be partial")
	}
	if s.Failed == 0 {
		return nil
	}
	reason := ""
	if len(s.Failures) > 0 {
		f := s.Failures[0].Reason
		reason = f.Type
		if f.Reason != nil {
			reason += ": " + *f.Reason
		}
	}
	return fmt.Errorf("%d of %d shards failed (%s); the results would be partial", s.Failed, s.Total, reason)
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// buildQuery: every included clause is a phrase in some text field, no
// excluded clause is, and the filters hold. The highlighter looks for the
// included phrases.
func buildQuery(q minyi.SearchQuery) (*types.Query, highlighter, error) {
	b := &types.BoolQuery{}
	var hl highlighter
	if isBlank(q.Text) {
		b.Must = []types.Query{{MatchAll: &types.MatchAllQuery{}}}
	} else {
		var err error
		if hl, err = addText(b, q.Text); err != nil {
			return nil, hl, err
		}
	}
	for _, f := range [][2]string{
		{"source", q.Source}, {"kind", string(q.Kind)},
		{"sentiment", string(q.Sentiment)}, {"category", q.Category}, {"topic", q.Topic}, {"event", q.Event},
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
	return &types.Query{Bool: b}, hl, nil
}

// addText adds the user's clauses to b.
func addText(b *types.BoolQuery, text string) (highlighter, error) {
	var hl highlighter
	clauses, err := minyi.ParseQuery(text)
	if err != nil {
		return hl, err
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
			hl.phrases = append(hl.phrases, strings.Fields(phrase))
		}
	}
	if len(b.Must) == 0 {
		return hl, minyi.Errorf(minyi.EINVALID, "the search has no letters, digits or Chinese characters to look for")
	}
	return hl, nil
}

// toResult reads a response; groups are the hits' topic groups, in order.
func toResult(q minyi.SearchQuery, hits types.HitsMetadata, aggs map[string]types.Aggregate, hl highlighter) (*minyi.SearchResult, []string, error) {
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
	groups := make([]string, 0, len(hits.Hits))
	for _, h := range hits.Hits {
		var s source
		if err := json.Unmarshal(h.Source_, &s); err != nil {
			return nil, nil, fmt.Errorf("elasticsearch hit %v: %w", h.Id_, err)
		}
		hit := minyi.SearchHit{
			ID: s.ID, Source: s.Source, Kind: minyi.Kind(s.Kind), Title: s.Title,
			URL: s.URL, Author: s.Author, Published: s.Published,
			Sentiment: minyi.Sentiment(s.Sentiment), Category: s.Category, Topic: s.Topic, Event: s.Event,
		}
		if h.Score_ != nil {
			hit.Score = float64(*h.Score_)
		}
		hit.Highlights = highlights(hl, &s)
		out.Hits = append(out.Hits, hit)
		groups = append(groups, s.TopicGroup)
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
	return out, groups, nil
}

// highlights marks the fields of a hit where a phrase matches.
func highlights(hl highlighter, s *source) map[string][]string {
	var out map[string][]string
	add := func(field string, frags ...string) {
		for _, f := range frags {
			if f == "" {
				continue
			}
			if out == nil {
				out = map[string][]string{}
			}
			out[field] = append(out[field], f)
		}
	}
	add("title", hl.whole(s.Title))
	add("body", hl.fragments(s.Body)...)
	add("comments", hl.fragments(s.Comments)...)
	return out
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
