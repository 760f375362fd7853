package activities

import (
	"context"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"minyi"
)

// Analyzer computes the text analysis of documents (analysis/pipeline in
// production). It is an interface so that activities, and with them the
// workflows, do not depend on the segmenter.
type Analyzer interface {
	Analyze(docs []minyi.Document) []minyi.DocumentAnalysis
}

// AnalyzeDocuments analyses stored documents and stores the results beside
// them, before they are indexed, so that the index carries them as facets.
// Analysing again gives the same result (a document keeps its topic), so a
// retry is harmless. Without an Analyzer it does nothing.
func (a *Activities) AnalyzeDocuments(ctx context.Context, ids []string) (int, error) {
	defer keepAlive(ctx)()
	if a.Analyzer == nil {
		return 0, nil
	}
	docs, err := a.Store.Documents(ctx, ids)
	if err != nil {
		return 0, fmt.Errorf("loading %d documents: %w", len(ids), err)
	}
	results := a.Analyzer.Analyze(docs)
	if err := a.Store.PutAnalyses(ctx, results); err != nil {
		return 0, fmt.Errorf("storing the analysis of %d documents: %w", len(results), err)
	}
	documentsAnalyzed.Add(float64(len(results)))
	return len(results), nil
}

var documentsAnalyzed = promauto.NewCounter(prometheus.CounterOpts{
	Name: "minyi_documents_analyzed_total", Help: "Documents whose text analysis was stored.",
})
