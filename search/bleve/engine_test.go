package bleve

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"minyi"
)

func post(id, title, body string, comments []string, published time.Time) minyi.Document {
	d := minyi.Document{ID: id, Source: "city-forum", Kind: minyi.KindPost, Title: title, Body: body, Published: published}
	for _, c := range comments {
		d.Comments = append(d.Comments, minyi.Comment{Body: c, Published: published})
	}
	return d
}

// A match in the title ranks above one in the body, which ranks above one
// only in the comments; among equals the newest comes first; a document
// matching two words in its title ranks above one matching one.
func TestRankByFieldThenTime(t *testing.T) {
	ctx := context.Background()
	x := openTemp(t, "")
	day := time.Date(2026, 11, 1, 9, 0, 0, 0, minyi.ChinaTime)
	docs := []minyi.Document{
		post("comment-only", "小区路灯坏了", "晚上很黑。", []string{"垃圾清运也不及时"}, day.Add(5*time.Hour)),
		post("body-old", "关于小区环境", "垃圾清运不及时，臭味很重。", nil, day),
		post("body-new", "关于小区环境", "垃圾清运不及时，蚊虫多。", nil, day.Add(time.Hour)),
		post("title", "垃圾清运不及时", "已经一周了。", nil, day.Add(-time.Hour)),
		post("title-both", "垃圾清运不及时，臭味难闻", "已经一周了。", nil, day.Add(-2*time.Hour)),
		post("unrelated", "公交末班车太早", "希望延长。", nil, day.Add(6*time.Hour)),
	}
	if err := x.Index(ctx, docs); err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(ctx, minyi.SearchQuery{Text: "垃圾清运 臭味"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hitIDs(res), []string{"title-both", "body-old"}; !slices.Equal(got, want) {
		t.Errorf("垃圾清运 臭味: %v, want %v", got, want)
	}
	res, err = x.Search(ctx, minyi.SearchQuery{Text: "垃圾清运"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hitIDs(res), []string{"title", "title-both", "body-new", "body-old", "comment-only"}; !slices.Equal(got, want) {
		t.Errorf("垃圾清运: %v, want %v", got, want)
	}
	if res.Hits[0].Score != 2 || res.Hits[2].Score != 1 || res.Hits[4].Score != 0.5 {
		t.Errorf("scores %v %v %v, want 2 1 0.5", res.Hits[0].Score, res.Hits[2].Score, res.Hits[4].Score)
	}
	if _, ok := res.Hits[4].Highlights["comments"]; !ok || len(res.Hits[4].Highlights) != 1 {
		t.Errorf("comment-only highlights %v, want only the comments", res.Hits[4].Highlights)
	}
}

func hitIDs(res *minyi.SearchResult) []string {
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// Searches while batches, replacements and deletes land: every search sees
// a whole snapshot (its total equals the hits of its facets), and at the end
// the counts are exact. Run with -race, this also covers the column cache.
func TestSearchWhileIndexing(t *testing.T) {
	ctx := context.Background()
	x := openTemp(t, t.TempDir()+"/index")
	day := time.Date(2026, 11, 1, 9, 0, 0, 0, minyi.ChinaTime)
	const batches, size = 20, 50
	var wg sync.WaitGroup
	wg.Go(func() {
		for b := range batches {
			var docs []minyi.Document
			for i := range size {
				n := b*size + i
				docs = append(docs, post(fmt.Sprintf("p%d", n), fmt.Sprintf("停车难第%d帖", n), "小区停车位不足。", nil, day.Add(time.Duration(n)*time.Second)))
			}
			if err := x.Index(ctx, docs); err != nil {
				t.Error(err)
				return
			}
			if b%4 == 3 { // the first post of the batch goes
				if err := x.Delete(ctx, []string{fmt.Sprintf("p%d", b*size)}); err != nil {
					t.Error(err)
					return
				}
			}
		}
	})
	for range 4 {
		wg.Go(func() {
			for range 30 {
				res, err := x.Search(ctx, minyi.SearchQuery{Text: "停车位"})
				if err != nil {
					t.Error(err)
					return
				}
				sum := 0
				for _, f := range res.Facets.Sources {
					sum += f.Count
				}
				if uint64(sum) != res.Total {
					t.Errorf("total %d, source facets add up to %d", res.Total, sum)
					return
				}
			}
		})
	}
	wg.Wait()
	res, err := x.Search(ctx, minyi.SearchQuery{Text: "停车位", PageSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := batches*size - batches/4
	if res.Total != uint64(want) || len(res.Facets.Days) != 1 || res.Facets.Days[0].Count != want {
		t.Errorf("total %d, days %v; want %d on one day", res.Total, res.Facets.Days, want)
	}
	// Newest first among equal scores: the last post, not deleted.
	if got := hitIDs(res); !slices.Equal(got, []string{"p999", "p998", "p997"}) {
		t.Errorf("first page %v", got)
	}
}
