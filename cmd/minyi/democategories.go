package main

import (
	"fmt"
	"os"
	"path/filepath"

	"minyi/analysis"
	"minyi/analysis/category"
	"minyi/analysis/pipeline"
	"minyi/demosite"
)

// demoHistory is how many past messages the demo city trains its
// category model on: enough for every topic's templates, a few seconds of
// segmentation at first start.
const demoHistory = 1500

// demoHistorySeed makes the history other than the content the demo site
// serves (seed 1), so the model is not judged on what it was trained on.
const demoHistorySeed = 2

// demoCategoryModel returns the demo city's category model file in
// dataDir, training it from the demo's generated history when it is not
// there yet, so that the demo shows 分类分布 out of the box while no
// model ships with minyi.
func demoCategoryModel(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "demo-categories.model")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	analysis.Preload()
	var examples []category.Example
	for _, e := range demosite.TrainingHistory(demoHistory, demoHistorySeed) {
		examples = append(examples, category.Example{Title: pipeline.Normalize(e.Title), Body: pipeline.Normalize(e.Body), Category: e.Category})
	}
	m, err := category.Train(examples, nil, pipeline.Words)
	if err != nil {
		return "", fmt.Errorf("training the demo category model: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return "", err
	}
	if err := writeModel(path, m.Save); err != nil {
		return "", err
	}
	return path, nil
}
