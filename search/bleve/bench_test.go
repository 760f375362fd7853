package bleve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/analysis"
)

// Phrases a city's residents write about; the corpus mixes them at random
// with a fixed seed so every run indexes the same text.
var benchPhrases = []string{
	"小区停车位严重不足", "拆迁补偿款迟迟不到位", "学校门口夜间施工噪声扰民", "社区医疗服务时间太短",
	"河道两侧堆满建筑垃圾", "物业费上涨业主不知情", "公交线路调整后出行不便", "老旧小区加装电梯进展缓慢",
	"请问相关部门何时解决", "希望领导重视这个问题", "路灯坏了一个多月没人修", "菜市场周边占道经营",
	"幼儿园入园难", "自来水水质发黄", "冬季供暖温度不达标", "农民工工资被拖欠",
}

func benchDocs(n int) []minyi.Document {
	rng := rand.New(rand.NewPCG(2024, 5))
	start := time.Date(2024, 1, 1, 8, 0, 0, 0, minyi.ChinaTime)
	docs := make([]minyi.Document, n)
	for i := range docs {
		var body strings.Builder
		for range 8 + rng.IntN(24) {
			body.WriteString(benchPhrases[rng.IntN(len(benchPhrases))])
			body.WriteString("，")
		}
		kind, source := minyi.KindPost, "city-forum"
		if i%3 == 0 {
			kind, source = minyi.KindMessage, "mayor-mailbox"
		}
		docs[i] = minyi.Document{
			ID: fmt.Sprintf("bench-%06d", i), Source: source, Kind: kind,
			Title:     benchPhrases[rng.IntN(len(benchPhrases))],
			Body:      body.String(),
			Published: start.Add(time.Duration(i) * 37 * time.Minute),
		}
	}
	return docs
}

// BenchmarkIndexBatch measures one Index call of 100 documents.
func BenchmarkIndexBatch(b *testing.B) {
	analysis.Preload()
	docs := benchDocs(100)
	x := openTemp(b, b.TempDir()+"/index")
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if err := x.Index(ctx, docs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkSearch measures a two-clause search with facets and highlights
// over 5,000 documents.
func BenchmarkSearch(b *testing.B) {
	analysis.Preload()
	x := openTemp(b, b.TempDir()+"/index")
	ctx := context.Background()
	docs := benchDocs(5000)
	for i := 0; i < len(docs); i += 500 {
		if err := x.Index(ctx, docs[i:i+500]); err != nil {
			b.Fatal(err)
		}
	}
	q := minyi.SearchQuery{Text: "停车位 -电梯", Source: "city-forum"}
	b.ResetTimer()
	for b.Loop() {
		res, err := x.Search(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if res.Total == 0 {
			b.Fatal("no hits")
		}
	}
}
