// Package sentiment labels a post or message 正面, 中性 or 负面 with a score.
// Two analyzers share one interface: Lexicon, rules over embedded word lists
// that need no training data, and Model, a naive Bayes classifier a city
// trains on its own labelled history (minyi train-sentiment).
//
// Input is text already normalized for analysis (clean.Normalize followed by
// analysis.Fold: simplified, half width, lower case).
package sentiment

import "minyi/analysis/internal/nbayes"

// Label is the sentiment of a document as stored and faceted.
type Label string

const (
	Positive Label = "正面"
	Neutral  Label = "中性"
	Negative Label = "负面"
)

// Valid reports whether l is one of the three labels.
func (l Label) Valid() bool { return l == Positive || l == Neutral || l == Negative }

// Result is a label and a score in [-1, 1]: negative below zero.
type Result struct {
	Label Label   `json:"label"`
	Score float64 `json:"score"`
}

// Analyzer is what the ingest pipeline calls; a trained Model can replace
// the Lexicon without the caller knowing.
type Analyzer interface {
	Analyze(text string) Result
}

// Tokenizer splits normalized text into words (analysis.Tokens in
// production); it is a parameter so that this package does not depend on
// one segmenter.
type Tokenizer = nbayes.Tokenizer
