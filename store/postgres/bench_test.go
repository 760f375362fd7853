package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"minyi"
)

// BenchmarkPutDocuments measures new documents written in batches of 500,
// the size an ingest activity hands over.
func BenchmarkPutDocuments(b *testing.B) {
	s, err := Open(context.Background(), freshSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	published := time.Date(2024, 3, 5, 9, 30, 0, 0, minyi.ChinaTime)
	batch := make([]minyi.Document, 500)
	n := 0
	for b.Loop() {
		for i := range batch {
			n++
			d := minyi.Document{
				ID: fmt.Sprintf("%020d", n), Source: "bench", Kind: minyi.KindMessage,
				Title:     fmt.Sprintf("关于小区停车难的问题（%d）", n),
				Body:      "我们小区晚上停车位严重不足，消防通道被占用，希望有关部门尽快协调解决。",
				Published: published.Add(time.Duration(n) * time.Second),
				Comments:  []minyi.Comment{{Body: "同感", Published: published}},
			}
			d.ContentHash = d.Hash()
			batch[i] = d
		}
		res, err := s.PutDocuments(ctx, batch)
		if err != nil || len(res.Changed) != len(batch) {
			b.Fatalf("PutDocuments: %d changed, %v", len(res.Changed), err)
		}
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "docs/s")
}
