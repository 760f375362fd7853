package bleve

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"minyi"
)

// Pages of a word most documents hold, where the engine reads its score
// tiers in time order instead of ranking every match, come out as a full
// sort gives them: by score, newest first, ties on id; grouped by topic
// too, and with topics by size. Times repeat, so ties cross the point
// where the time-order read stops.
func TestLargeTiersPageAsAFullSort(t *testing.T) {
	ctx := context.Background()
	x := openTemp(t, t.TempDir()+"/index")
	rng := rand.New(rand.NewPCG(7, 11))
	base := time.Date(2025, 3, 1, 8, 0, 0, 0, minyi.ChinaTime)
	type want struct {
		id        string
		score     float64
		published time.Time
		topic     string
	}
	var all []want
	for batch := range 3 { // three segments
		var docs []minyi.Document
		for i := range 1500 {
			id := fmt.Sprintf("d%d-%04d", batch, i)
			d := minyi.Document{ID: id, Source: "city-forum", Kind: minyi.KindPost, Title: "关于路灯", Body: "晚上很黑。",
				Published: base.Add(time.Duration(rng.IntN(40)) * time.Minute)}
			d.Comments = []minyi.Comment{{Body: "同感", Published: d.Published}}
			score := 0.0
			switch rng.IntN(4) {
			case 0:
				d.Title, score = "停车难怎么办", 2
			case 1:
				d.Body, score = "小区停车难，晚上很黑。", 1
			case 2:
				d.Comments[0].Body, score = "停车难也要管", 0.5
			}
			topic := ""
			if rng.IntN(3) == 0 {
				topic = fmt.Sprintf("topic-%d", rng.IntN(12))
				d.Analysis = &minyi.Analysis{Topic: topic}
			}
			docs = append(docs, d)
			if score > 0 {
				all = append(all, want{id, score, d.Published, topic})
			}
		}
		if err := x.Index(ctx, docs); err != nil {
			t.Fatal(err)
		}
	}
	order := func(a, b want) int {
		return cmp.Or(cmp.Compare(b.score, a.score), b.published.Compare(a.published), cmp.Compare(a.id, b.id))
	}
	slices.SortFunc(all, order)
	// Grouped: each topic's best match with its size, documents without a
	// topic alone.
	type group struct {
		want
		size int
	}
	var groups []group
	at := map[string]int{}
	for _, w := range all {
		if w.topic == "" {
			groups = append(groups, group{w, 1})
			continue
		}
		if k, ok := at[w.topic]; ok {
			groups[k].size++
			continue
		}
		at[w.topic] = len(groups)
		groups = append(groups, group{w, 1})
	}
	bySize := slices.Clone(groups)
	slices.SortStableFunc(bySize, func(a, b group) int { return cmp.Compare(b.size, a.size) })

	check := func(q minyi.SearchQuery, wantIDs []string, wantSizes []int) {
		t.Helper()
		res, err := x.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != uint64(len(all)) {
			t.Errorf("%+v: total %d, want %d", q, res.Total, len(all))
		}
		if got := hitIDs(res); !slices.Equal(got, wantIDs) {
			t.Errorf("page %d of %d (grouped %v, by size %v): %v, want %v", q.Page, q.PageSize, q.GroupByTopic, q.TopicsBySize, got, wantIDs)
		}
		for i, h := range res.Hits {
			if wantSizes != nil && i < len(wantSizes) && h.TopicSize != wantSizes[i] {
				t.Errorf("%s: topic size %d, want %d", h.ID, h.TopicSize, wantSizes[i])
			}
		}
	}
	for _, page := range []int{1, 2, 7} {
		const size = 9
		from, to := (page-1)*size, page*size
		var ids []string
		for _, w := range all[from:to] {
			ids = append(ids, w.id)
		}
		check(minyi.SearchQuery{Text: "停车难", Page: page, PageSize: size}, ids, nil)
		for _, sorted := range [][]group{groups, bySize} {
			var ids []string
			var sizes []int
			for _, g := range sorted[from:to] {
				ids, sizes = append(ids, g.id), append(sizes, g.size)
			}
			check(minyi.SearchQuery{Text: "停车难", Page: page, PageSize: size, GroupByTopic: true,
				TopicsBySize: &sorted[0] == &bySize[0]}, ids, sizes)
		}
	}
}
