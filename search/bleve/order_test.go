package bleve

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"minyi"
	"minyi/search/searchtest"
)

// Documents alike in score and time come in id order, with and without
// text, so pages neither overlap nor skip.
func TestTiesBreakOnID(t *testing.T) {
	ctx := context.Background()
	x := openTemp(t, "")
	base := searchtest.Documents()[0]
	var docs []minyi.Document
	for _, i := range []int{3, 1, 4, 0, 2} {
		d := base
		d.ID = fmt.Sprintf("twin-%d", i)
		docs = append(docs, d)
	}
	if err := x.Index(ctx, docs); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"", "拆迁补偿"} {
		var got []string
		for page := 1; page <= 3; page++ {
			res, err := x.Search(ctx, minyi.SearchQuery{Text: text, Page: page, PageSize: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
		}
		if want := []string{"twin-0", "twin-1", "twin-2", "twin-3", "twin-4"}; !slices.Equal(got, want) {
			t.Errorf("%q: pages give %v, want %v", text, got, want)
		}
	}
}
