package record

import (
	"context"
	"fmt"
	"testing"
	"time"

	"minyi"
	"minyi/analysis/pipeline"
	"minyi/workflows"
)

// relabel stores documents labelled by other models (every one 正面), runs
// the re-analysis with the lexicon, and checks that the store and the
// index's sentiment facet now agree with the lexicon and that the version
// is recorded.
func (r *recorder) relabel(t *testing.T) {
	ctx := context.Background()
	an, err := pipeline.New(ctx, nil, pipeline.Options{SentimentModel: pipeline.LexiconOnly})
	if err != nil {
		t.Fatal(err)
	}
	r.acts.Relabeler, r.acts.Settings = an, r.settings
	now := time.Now()
	var docs []minyi.Document
	var ids []string
	for i := range 7 {
		d := minyi.Document{Source: "city-forum", Kind: minyi.KindPost, ExternalID: fmt.Sprintf("relabel-%d", i),
			Title: "物业太差了，垃圾堆了一个月没人管", Body: fmt.Sprintf("第%d次投诉，非常失望，臭气熏天。", i+1),
			Published: now, Fetched: now}
		d.ID, d.ContentHash = minyi.DocumentID(d.Source, d.ExternalID), d.Hash()
		docs = append(docs, d)
		ids = append(ids, d.ID)
	}
	if _, err := r.store.PutDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	var stale []minyi.DocumentAnalysis
	for _, id := range ids {
		stale = append(stale, minyi.DocumentAnalysis{ID: id, Analysis: minyi.Analysis{Sentiment: minyi.SentimentPositive, SentimentScore: 0.9, Topic: id}})
	}
	if err := r.store.PutAnalyses(ctx, stale); err != nil {
		t.Fatal(err)
	}
	if _, err := r.acts.IndexDocuments(ctx, ids); err != nil {
		t.Fatal(err)
	}
	run := r.start(t, workflows.RelabelWorkflowID, workflows.RelabelWorkflow, minyi.Relabeling{Version: an.Version()})
	var res minyi.Relabeling
	if err := run.Get(timeout(t), &res); err != nil {
		t.Fatal(err)
	}
	if res.Finished.IsZero() || res.Mixed || res.Done < len(ids) || res.Changed < len(ids) || res.Total < len(ids) {
		t.Fatalf("re-analysis ended %+v, want every one of %d documents read and changed", res, len(ids))
	}
	r.save(t, "RelabelWorkflow.json", run.GetID(), run.GetRunID())

	stored, err := r.store.Documents(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range stored {
		if d.Analysis == nil || d.Analysis.Sentiment != minyi.SentimentNegative || d.Analysis.Topic != d.ID {
			t.Errorf("%s stored %+v after re-analysis, want 负面 with its topic kept", d.ID, d.Analysis)
		}
	}
	found, err := r.index.Search(ctx, minyi.SearchQuery{Text: "垃圾堆了一个月", PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found.Facets.Sentiments {
		if f.Value == string(minyi.SentimentPositive) {
			t.Errorf("the index still counts %d of the documents 正面: facets %+v", f.Count, found.Facets.Sentiments)
		}
	}
	if v, _, err := minyi.LabelledWith(ctx, r.settings); err != nil || v != an.Version() {
		t.Errorf("labels recorded as %q (%v), want %q", v, err, an.Version())
	}
}
