package main

import (
	"context"
	"os"
	"testing"
	"time"

	"minyi"
	"minyi/analysis/pipeline"
	"minyi/demosite"
)

// The demo city trains its category model at first start and then
// categorises the demo site's letters, which it was not trained on.
func TestDemoCategoryModel(t *testing.T) {
	dir := t.TempDir()
	path, err := demoCategoryModel(dir)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := demoCategoryModel(dir); err != nil || again != path {
		t.Fatalf("second start: %q, %v", again, err)
	}
	if after, _ := os.Stat(path); !after.ModTime().Equal(info.ModTime()) {
		t.Errorf("the model was trained again at the second start")
	}
	a, err := pipeline.New(context.Background(), nil, pipeline.Options{CategoryModel: path})
	if err != nil {
		t.Fatal(err)
	}
	site := demosite.New(demosite.Options{Seed: 1})
	var docs []minyi.Document
	var want []string
	for _, l := range site.Letters() {
		docs = append(docs, minyi.Document{ID: l.No, Title: l.Title, Body: l.Body, Published: time.Now()})
		want = append(want, l.Category)
	}
	right := 0
	for i, r := range a.Analyze(docs) {
		if r.Analysis.Category == want[i] {
			right++
		}
	}
	if acc := float64(right) / float64(len(docs)); acc < 0.9 {
		t.Errorf("demo letters categorised right: %.2f, want ≥ 0.9", acc)
	}
}
