package activities

import (
	"context"
	"fmt"
	"time"

	"minyi"
)

// Relabeler gives stored documents the labels of the models in force
// (analysis/pipeline in production); Version names those models.
type Relabeler interface {
	Relabel(docs []minyi.Document) []minyi.DocumentAnalysis
	Version() string
}

// RelabelStep is one step of a re-analysis: the documents after After, in
// id order, at most Limit.
type RelabelStep struct {
	After string
	Limit int
}

// RelabelResult says what a step did. Changed are the ids whose labels
// changed, for the index; Version is the models the step labelled with.
type RelabelResult struct {
	Next    string // the last id read: the next step starts after it
	Read    int
	Changed []string
	Version string
}

// MaxRelabelStep bounds a step: its ids travel in workflow history.
const MaxRelabelStep = 1000

// RelabelDocuments labels a page of stored documents again with the
// models in force and stores the labels that changed. Labelling again gives
// the same labels, so a retry is harmless.
func (a *Activities) RelabelDocuments(ctx context.Context, in RelabelStep) (RelabelResult, error) {
	defer keepAlive(ctx)()
	if a.Relabeler == nil {
		return RelabelResult{}, minyi.Errorf(minyi.EINVALID, "this worker has no text analysis to relabel with")
	}
	limit := min(max(in.Limit, 1), MaxRelabelStep)
	docs, err := a.Store.ScanDocuments(ctx, in.After, limit)
	if err != nil {
		return RelabelResult{}, fmt.Errorf("reading documents after %q: %w", in.After, err)
	}
	res := RelabelResult{Read: len(docs), Next: in.After, Version: a.Relabeler.Version()}
	if len(docs) == 0 {
		return res, nil
	}
	res.Next = docs[len(docs)-1].ID
	var changed []minyi.DocumentAnalysis
	for i, r := range a.Relabeler.Relabel(docs) {
		if old := docs[i].Analysis; old == nil || labelsDiffer(*old, r.Analysis) {
			changed = append(changed, r)
			res.Changed = append(res.Changed, r.ID)
		}
	}
	if len(changed) > 0 {
		if err := a.Store.PutAnalyses(ctx, changed); err != nil {
			return RelabelResult{}, fmt.Errorf("storing the labels of %d documents: %w", len(changed), err)
		}
	}
	return res, nil
}

func labelsDiffer(a, b minyi.Analysis) bool {
	return a.Sentiment != b.Sentiment || a.SentimentScore != b.SentimentScore || a.Category != b.Category ||
		a.Category2 != b.Category2 || a.CategoryConfidence != b.CategoryConfidence
}

// CountDocuments counts the stored documents: a re-analysis's progress is
// read against it.
func (a *Activities) CountDocuments(ctx context.Context) (int, error) {
	return a.Store.CountDocuments(ctx)
}

// MarkLabelled records that every stored document carries the labels of
// version, so that the next start does not label them again.
func (a *Activities) MarkLabelled(ctx context.Context, version string) error {
	if a.Settings == nil {
		return minyi.Errorf(minyi.EINVALID, "this worker has no settings store")
	}
	return minyi.MarkLabelled(ctx, a.Settings, version, time.Now())
}
