// Package sentiment labels a post or message 正面, 中性 or 负面 with a score.
// Three analyzers share one interface: Lexicon, rules over embedded word
// lists; Model, logistic regression over character n-grams and the
// lexicon's score, trained on public review corpora (the embedded default,
// make train-sentiment) or on a city's own labelled history (minyi
// train-sentiment); and Civic, which turns a two-class Model into the three
// classes an analyst reads, with rules for the forms of petitions, inquiries
// and notices (civic.go).
//
// Input is text already normalized for analysis (clean.Normalize followed by
// analysis.Fold: simplified, half width, lower case).
package sentiment

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

// Analyzer is what the ingest pipeline calls. Version identifies what the
// analyzer computes: a document stored with another version was analysed by
// another model and is due for re-analysis.
type Analyzer interface {
	Analyze(text string) Result
	Version() string
}
