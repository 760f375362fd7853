package activities

import (
	"context"
	"strings"
	"testing"

	"minyi"
)

// wordAnalyzer calls a document negative when it says 投诉. The real
// analyzer loads a segmentation dictionary; the activity only needs one
// that answers per document.
type wordAnalyzer struct{}

func (wordAnalyzer) Analyze(docs []minyi.Document) []minyi.DocumentAnalysis {
	out := make([]minyi.DocumentAnalysis, len(docs))
	for i, d := range docs {
		s := minyi.SentimentNeutral
		if strings.Contains(d.Title+d.Body, "投诉") {
			s = minyi.SentimentNegative
		}
		out[i] = minyi.DocumentAnalysis{ID: d.ID, Analysis: minyi.Analysis{Sentiment: s}}
	}
	return out
}

func TestAnalyzeDocuments(t *testing.T) {
	f := newFixture(t)
	a := f.letter(t, "L1", "投诉工地噪音", "每晚施工。", monday)
	b := f.letter(t, "L2", "咨询公交线路", "末班车几点？", monday)

	// Without an analyzer the step does nothing and stores nothing.
	var n int
	f.must(t, &n, f.acts.AnalyzeDocuments, []string{a.ID, b.ID})
	if d, _ := f.store.Document(context.Background(), a.ID); n != 0 || d.Analysis != nil {
		t.Fatalf("no analyzer: %d analysed, analysis %+v", n, d.Analysis)
	}

	f.acts.Analyzer = wordAnalyzer{}
	f.must(t, &n, f.acts.AnalyzeDocuments, []string{a.ID, b.ID, "missing"})
	if n != 2 {
		t.Fatalf("analysed %d, want the 2 stored", n)
	}
	for id, want := range map[string]minyi.Sentiment{a.ID: minyi.SentimentNegative, b.ID: minyi.SentimentNeutral} {
		d, err := f.store.Document(context.Background(), id)
		if err != nil || d.Analysis == nil || d.Analysis.Sentiment != want {
			t.Errorf("%s: analysis %+v, %v; want %s stored", id, d.Analysis, err, want)
		}
	}
}
