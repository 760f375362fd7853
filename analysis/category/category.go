// Package category assigns a message to the official category tree so that
// it can be routed to a department.
//
// Level 1 is learned: multinomial naive Bayes over words and character
// bigrams of title and body (title features weigh twice), trained on a
// city's own labelled history (minyi train-categories).
//
// Level 2 is matched, not learned, because the available history is labelled
// at level 1 only: when the level-1 prediction is confident, the level-2
// groups under it are scored by the taxonomy's own names (level-2 and
// level-3 names and the words in them) that occur in the text, each word
// weighted by how specific it is among the groups (a word every group
// shares counts nothing). Level 2 is reported only when one group clearly
// wins; otherwise it is left empty rather than guessed.
//
// Input is text already normalized for analysis (see sentiment).
package category

import (
	"encoding/json"
	"io"

	"minyi"
	"minyi/analysis/internal/nbayes"
)

// Tokenizer splits normalized text into words (analysis.Tokens in production).
type Tokenizer = nbayes.Tokenizer

// Prediction is a category with the model's confidence in its first level.
type Prediction struct {
	Level1     string  `json:"level1"`
	Level2     string  `json:"level2,omitempty"` // only when confident
	Confidence float64 `json:"confidence"`       // tempered posterior of Level1, in (0, 1]
}

// Example is one labelled message for training.
type Example struct {
	Title, Body, Category string
}

// DefaultLevel2Confidence is the level-1 confidence at which level-2 matching
// is attempted. The cross-validated reliability table printed by cmd/eval is
// the basis for choosing it: above it level-1 accuracy is well above average.
const DefaultLevel2Confidence = 0.6

// alpha is the additive smoothing. Small values suit the long, wordy
// messages: 5-fold CV on the 494-message sample gave accuracy 0.741, 0.759,
// 0.763, 0.737 for alpha 0.02, 0.05, 0.1, 0.2 (and 0.65 at 0.5).
const alpha = 0.1

// Model is a trained category classifier. Predict is safe for concurrent use.
type Model struct {
	nb       *nbayes.Model
	tax      *Taxonomy
	tok      Tokenizer
	matcher  *matcher
	minLevel float64
}

// Train fits a model. tax may be nil (no level 2); when given, every
// category must be one of its first-level names.
func Train(examples []Example, tax *Taxonomy, tok Tokenizer) (*Model, error) {
	index := map[string]int{}
	var classes []string
	for _, ex := range examples {
		if tax != nil && !tax.HasLevel1(ex.Category) {
			return nil, minyi.Errorf(minyi.EINVALID, "category %q is not a first-level category of the taxonomy", ex.Category)
		}
		if _, ok := index[ex.Category]; !ok {
			index[ex.Category] = len(classes)
			classes = append(classes, ex.Category)
		}
	}
	if len(classes) < 2 {
		return nil, minyi.Errorf(minyi.EINVALID, "training data has %d categories, need at least 2", len(classes))
	}
	nb := nbayes.New(classes, alpha)
	for _, ex := range examples {
		nb.Add(index[ex.Category], features(tok, ex.Title, ex.Body))
	}
	return newModel(nb, tax, tok), nil
}

func newModel(nb *nbayes.Model, tax *Taxonomy, tok Tokenizer) *Model {
	m := &Model{nb: nb, tax: tax, tok: tok, minLevel: DefaultLevel2Confidence}
	if tax != nil {
		m.matcher = newMatcher(tax, tok)
	}
	return m
}

func features(tok Tokenizer, title, body string) nbayes.Features {
	f := nbayes.Features{}
	f.Add(tok, body, 1)
	f.Add(tok, title, 2)
	return f
}

// SetLevel2Confidence changes the level-1 confidence needed for level 2.
func (m *Model) SetLevel2Confidence(c float64) { m.minLevel = c }

// Categories returns the first-level categories the model can predict.
func (m *Model) Categories() []string { return append([]string(nil), m.nb.Classes...) }

// Predict categorizes one message.
func (m *Model) Predict(title, body string) Prediction {
	p := m.nb.Posterior(features(m.tok, title, body))
	best, conf := nbayes.Best(p)
	pred := Prediction{Level1: m.nb.Classes[best], Confidence: conf}
	if m.matcher != nil && conf >= m.minLevel {
		pred.Level2 = m.matcher.level2(pred.Level1, title, body)
	}
	return pred
}

type modelFile struct {
	Format   string        `json:"format"`
	NB       *nbayes.Model `json:"naive_bayes"`
	Taxonomy *Taxonomy     `json:"taxonomy,omitempty"`
	Level2   float64       `json:"level2_confidence"`
}

const fileFormat = "minyi-category-model"

// Save writes the model, taxonomy included, as one JSON file.
func (m *Model) Save(w io.Writer) error {
	return json.NewEncoder(w).Encode(modelFile{Format: fileFormat, NB: m.nb, Taxonomy: m.tax, Level2: m.minLevel})
}

// Load reads a model written by Save; tok must be the training tokenizer.
func Load(r io.Reader, tok Tokenizer) (*Model, error) {
	var f modelFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "category model is not valid JSON: %v", err)
	}
	if f.Format != fileFormat || f.NB == nil {
		return nil, minyi.Errorf(minyi.EINVALID, "not a category model file (format %q)", f.Format)
	}
	if err := f.NB.Check(); err != nil {
		return nil, err
	}
	if f.Taxonomy != nil {
		for _, c := range f.NB.Classes {
			if !f.Taxonomy.HasLevel1(c) {
				return nil, minyi.Errorf(minyi.EINVALID, "model category %q is not in the model's taxonomy", c)
			}
		}
	}
	m := newModel(f.NB, f.Taxonomy, tok)
	m.minLevel = f.Level2
	return m, nil
}
