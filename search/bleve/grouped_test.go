package bleve

import (
	"context"
	"fmt"
	"testing"
	"time"

	"minyi"
)

// A topic with many reposts is one group however many matches it has: the
// next page holds the next topic, and the group counts every repost.
func TestGroupedPagesPastARepostedTopic(t *testing.T) {
	ctx := context.Background()
	x := openTemp(t, "")
	base := time.Date(2024, 7, 1, 8, 0, 0, 0, minyi.ChinaTime)
	var docs []minyi.Document
	for i := range 30 {
		docs = append(docs, minyi.Document{ID: fmt.Sprintf("repost-%02d", i), Source: "s", Kind: minyi.KindPost,
			Title: "停车难", Published: base.Add(time.Duration(i) * time.Minute),
			Analysis: &minyi.Analysis{Sentiment: minyi.SentimentNegative, Topic: "repost-00"}})
	}
	docs = append(docs, minyi.Document{ID: "older", Source: "s", Kind: minyi.KindPost, Title: "积水", Published: base.Add(-time.Hour)})
	if err := x.Index(ctx, docs); err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(ctx, minyi.SearchQuery{GroupByTopic: true, Page: 2, PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].ID != "older" || res.Hits[0].TopicSize != 1 || res.Total != 31 {
		t.Fatalf("page 2: %+v total %d, want the older document alone, total 31", res.Hits, res.Total)
	}
	res, err = x.Search(ctx, minyi.SearchQuery{GroupByTopic: true, Page: 1, PageSize: 1})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].ID != "repost-29" || res.Hits[0].TopicSize != 30 {
		t.Fatalf("page 1: %+v, %v; want repost-29 with topic size 30", res, err)
	}
}
