package bleve

import (
	"context"
	"strings"
	"testing"

	"minyi"
	"minyi/search/searchtest"
)

// A phrase of overlapping bigrams is marked whole, whatever its length; the
// punctuation a phrase spans stays outside the marks.
func TestHighlightMarksWholePhrase(t *testing.T) {
	ctx := context.Background()
	x := openTemp(t, "")
	if err := x.Index(ctx, searchtest.Documents()); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"停车费":    "<mark>停车费</mark>",
		"拆迁补偿款":  "<mark>拆迁补偿款</mark>",
		"拆遷補償款到": "<mark>拆迁补偿款到</mark>",
		"协议拆迁":   "<mark>协议</mark>，<mark>拆迁</mark>",
		"的":      "<mark>的</mark>",
	} {
		res, err := x.Search(ctx, minyi.SearchQuery{Text: q})
		if err != nil || len(res.Hits) == 0 {
			t.Fatalf("%s: %+v, %v", q, res, err)
		}
		var all []string
		for _, frags := range res.Hits[0].Highlights {
			all = append(all, frags...)
		}
		if got := strings.Join(all, " … "); !strings.Contains(got, want) {
			t.Errorf("%s: highlights %q lack %q", q, got, want)
		}
	}
}
