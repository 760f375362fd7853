package bleve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
)

// A phrase whose bigrams most documents hold (小区), checked on the few
// documents a rarer word admits, reads the common bigram's decoded
// positions, and finds exactly the documents that contain the phrase:
// near misses (the bigrams apart, in another order, across fields) are
// not matches. The same searches with the cache full, before and after
// the positions are cached give the same answers.
func TestPhraseOnCommonBigramsReadsDecodedPositions(t *testing.T) {
	ctx := context.Background()
	x := openTemp(t, t.TempDir()+"/index")
	rng := rand.New(rand.NewPCG(3, 5))
	base := time.Date(2025, 5, 1, 8, 0, 0, 0, minyi.ChinaTime)
	bodies := []string{
		"幸福里小区门口停车难。", // the phrase, with the word
		"幸福里的小区停车难。",  // bigrams apart
		"小区幸福里停车难。",   // another order
		"阳光小区的路灯坏了。",  // the common bigram only
		"幸福里小区的路灯坏了。", // the phrase without the word
		"停车难，小区里幸福。",  // every bigram but 里小
	}
	var docs []minyi.Document
	var want []string
	for i := range 3 * heavyTermDocs / 2 {
		id := fmt.Sprintf("p%05d", i)
		body := bodies[3+rng.IntN(3)]
		if i%97 == 0 {
			body = bodies[rng.IntN(3)]
		}
		title := "关于小区"
		if i%101 == 0 {
			title = "幸福里" // the phrase across title and body is no match
			body = "小区停车难。"
		}
		docs = append(docs, minyi.Document{ID: id, Source: "city-forum", Kind: minyi.KindPost, Title: title, Body: body,
			Published: base.Add(time.Duration(i) * time.Minute)})
		if strings.Contains(body, "幸福里小区") && strings.Contains(body, "停车") {
			want = append(want, id)
		}
	}
	if err := x.Index(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no document holds both; the corpus does not test the phrase")
	}
	slices.Sort(want)
	// A full cache reads the segment instead, with the same answers.
	for pass, limit := range []int{1, 0, 0} {
		x.positions.mu.Lock()
		x.positions.limit = limit
		x.positions.mu.Unlock()
		res, err := x.Search(ctx, minyi.SearchQuery{Text: "幸福里小区 停车", PageSize: minyi.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		got := hitIDs(res)
		slices.Sort(got)
		if !slices.Equal(got, want) || res.Total != uint64(len(want)) {
			t.Errorf("pass %d: %d matches %v, want %d %v", pass, res.Total, got, len(want), want)
		}
		x.positions.mu.Lock()
		used := x.positions.used
		x.positions.mu.Unlock()
		if limit == 0 && used == 0 {
			t.Errorf("pass %d: no decoded positions cached; the check read the segment", pass)
		}
		if limit != 0 && used != 0 {
			t.Errorf("pass %d: %d bytes of decoded positions held in a cache of %d", pass, used, limit)
		}
	}
}
