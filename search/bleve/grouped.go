package bleve

import (
	"context"
	"fmt"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"minyi"
)

// searchGrouped answers a GroupByTopic search. bleve cannot collapse, so:
//
//  1. the matches are read in result order (ids and topics only, with the
//     facets over all matches) until the requested page of groups is full,
//     growing the window but never past minyi.MaxSearchWindow matches: a
//     page of groups beyond that window is short or empty;
//  2. each group keeps its first (best) match; a document without a topic is
//     a group of its own;
//  3. the page's documents are fetched again with stored fields and
//     highlights, and a terms facet on topic over the matches that are in
//     the page's topics gives each hit its TopicSize.
//
// Total remains the number of matching documents, not of groups.
func (x *Indexer) searchGrouped(ctx context.Context, q minyi.SearchQuery, matches query.Query, order []string, highlight bool) (*minyi.SearchResult, error) {
	need := q.Page * q.PageSize
	window := min(minyi.MaxSearchWindow, 4*need)
	var scan *blevesearch.SearchResult
	var groups []*search.DocumentMatch
	for {
		req := blevesearch.NewSearchRequestOptions(matches, window, 0, false)
		req.Fields = []string{fieldTopic}
		req.SortBy(order)
		addFacets(req)
		var err error
		if scan, err = x.index().SearchInContext(ctx, req); err != nil {
			return nil, fmt.Errorf("bleve grouped search: %w", err)
		}
		groups = firstOfEachTopic(scan.Hits, need)
		if len(groups) >= need || uint64(len(scan.Hits)) >= scan.Total || window >= minyi.MaxSearchWindow {
			break
		}
		window = min(minyi.MaxSearchWindow, 4*window)
	}
	out := newResult(q, scan)
	start := (q.Page - 1) * q.PageSize
	if start >= len(groups) {
		return out, nil
	}
	page := groups[start:]

	ids := make([]string, len(page))
	var topics []query.Query
	for i, m := range page {
		ids[i] = m.ID
		if t := topicOf(m); t != "" {
			topics = append(topics, termQuery(fieldTopic, t))
		}
	}
	detail := blevesearch.NewSearchRequestOptions(
		query.NewConjunctionQuery([]query.Query{matches, query.NewDocIDQuery(ids)}), len(ids), 0, false)
	detail.Fields = hitFields
	if highlight {
		detail.Highlight = blevesearch.NewHighlightWithStyle(highlighterName)
		detail.Highlight.Fields = textFields
	}
	res, err := x.index().SearchInContext(ctx, detail)
	if err != nil {
		return nil, fmt.Errorf("bleve grouped search: %w", err)
	}
	byID := make(map[string]*search.DocumentMatch, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = h
	}

	sizes := map[string]int{}
	if len(topics) > 0 {
		req := blevesearch.NewSearchRequestOptions(
			query.NewConjunctionQuery([]query.Query{matches, query.NewDisjunctionQuery(topics)}), 0, 0, false)
		req.AddFacet("topics", blevesearch.NewFacetRequest(fieldTopic, len(topics)))
		res, err := x.index().SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("bleve topic sizes: %w", err)
		}
		for _, c := range facetCounts(res.Facets["topics"]) {
			sizes[c.Value] = c.Count
		}
	}

	for _, m := range page {
		d, ok := byID[m.ID]
		if !ok {
			continue // deleted between the two reads
		}
		h := hit(d)
		h.Score = m.Score // the rank it was collapsed by
		h.TopicSize = 1
		if h.Topic != "" {
			h.TopicSize = sizes[h.Topic]
		}
		out.Hits = append(out.Hits, h)
	}
	return out, nil
}

// firstOfEachTopic keeps the first match of each topic, in order, up to n.
func firstOfEachTopic(hits search.DocumentMatchCollection, n int) []*search.DocumentMatch {
	seen := map[string]bool{}
	var out []*search.DocumentMatch
	for _, h := range hits {
		key := h.ID // no topic: a group of its own, as in the elastic backend
		if t := topicOf(h); t != "" {
			key = t
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		if out = append(out, h); len(out) == n {
			break
		}
	}
	return out
}

func topicOf(h *search.DocumentMatch) string {
	t, _ := h.Fields[fieldTopic].(string)
	return t
}
