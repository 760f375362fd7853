package activities

import (
	"context"
	"fmt"
	"slices"

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
	// The documents of events this batch absorbs move to the survivor as
	// the analysis is stored; the index learns their new event here (the
	// batch's own documents are indexed by the next step).
	var absorbed []string
	for _, r := range results {
		absorbed = append(absorbed, r.Absorbed...)
	}
	var moved []string
	if len(absorbed) > 0 {
		if moved, err = a.Store.EventDocumentIDs(ctx, absorbed); err != nil {
			return 0, fmt.Errorf("listing the documents of %d absorbed events: %w", len(absorbed), err)
		}
	}
	if err := a.Store.PutAnalyses(ctx, results); err != nil {
		return 0, fmt.Errorf("storing the analysis of %d documents: %w", len(results), err)
	}
	documentsAnalyzed.Add(float64(len(results)))
	if err := a.retagEvents(ctx, moved); err != nil {
		return 0, err
	}
	return len(results), nil
}

// retagEvents indexes again documents whose event was absorbed.
func (a *Activities) retagEvents(ctx context.Context, ids []string) error {
	if len(ids) == 0 || a.Index == nil {
		return nil
	}
	for chunk := range slices.Chunk(ids, 500) {
		docs, err := a.Store.Documents(ctx, chunk)
		if err != nil {
			return fmt.Errorf("loading %d documents of absorbed events: %w", len(chunk), err)
		}
		if err := minyi.IndexBulk(ctx, a.Index, docs); err != nil {
			return fmt.Errorf("indexing %d documents of absorbed events: %w", len(docs), err)
		}
	}
	return nil
}

var documentsAnalyzed = promauto.NewCounter(prometheus.CounterOpts{
	Name: "minyi_documents_analyzed_total", Help: "Documents whose text analysis was stored.",
})
