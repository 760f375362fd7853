// Package category assigns a message to the official category tree so that
// it can be routed to a department.
//
// Level 1 is learned: logistic regression over hashed features of title and
// body — the segmenter's words and character bigrams, each kind in its own
// hashed space for the title and for the body, so that the model learns how
// much more a title says — trained on a city's own labelled history (minyi
// train-categories) and the taxonomy's leaf names, with every category
// weighed alike, whatever its share of the history.
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
	"bytes"
	"encoding/json"
	"io"
	"sync"
	"unicode"

	"minyi"
	"minyi/analysis/internal/linear"
)

// Tokenizer splits normalized text into words (analysis.Tokens in production).
type Tokenizer func(string) []string

// Prediction is a category with the model's confidence in its first level.
type Prediction struct {
	Level1     string  `json:"level1"`
	Level2     string  `json:"level2,omitempty"` // only when confident
	Confidence float64 `json:"confidence"`       // posterior of Level1, in (0, 1]
}

// Example is one labelled message for training.
type Example struct {
	Title, Body, Category string
}

// DefaultLevel2Confidence is the level-1 confidence at which level-2 matching
// is attempted. The cross-validated reliability table printed by cmd/eval is
// the basis for choosing it: above it level-1 accuracy is well above average.
const DefaultLevel2Confidence = 0.6

// Hyper-parameters, chosen by 5-fold cross-validation on the 494 labelled
// messages (cmd/eval prints the comparison).
var trainOptions = linear.Options{Bits: 18, Epochs: 20, Rate: 0.3, L2: 1e-6, Balance: true, Seed: 1}

// Model is a trained category classifier. Predict is safe for concurrent use.
type Model struct {
	lr       *linear.Model
	tax      *Taxonomy
	tok      Tokenizer
	matcher  *matcher
	minLevel float64
	bags     sync.Pool
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
	bag := linear.NewBag(trainOptions.Bits)
	data := make([]linear.Example, len(examples))
	for i, ex := range examples {
		data[i] = linear.Example{X: features(bag, tok, ex.Title, ex.Body), Class: index[ex.Category]}
	}
	// The taxonomy's leaves are examples too: a leaf's level-3 name as a
	// title and its level-2 and level-3 names as a body teach the
	// vocabulary of every branch, also those the history rarely reaches
	// (+0.05 macro-F1 in cmd/eval's cross-validation).
	if tax != nil {
		for _, n := range tax.Nodes {
			if c, ok := index[n.Level1]; ok {
				data = append(data, linear.Example{X: features(bag, tok, n.Level3, n.Level2+" "+n.Level3), Class: c})
			}
		}
	}
	lr, err := linear.Train(classes, data, trainOptions)
	if err != nil {
		return nil, err
	}
	return newModel(lr, tax, tok), nil
}

func newModel(lr *linear.Model, tax *Taxonomy, tok Tokenizer) *Model {
	m := &Model{lr: lr, tax: tax, tok: tok, minLevel: DefaultLevel2Confidence}
	m.bags.New = func() any { return linear.NewBag(lr.Bits) }
	if tax != nil {
		m.matcher = newMatcher(tax, tok)
	}
	return m
}

// Seeds of the hashed spaces: a title word and the same word in the body
// are different features.
const (
	seedBodyWord = 11 + iota
	seedBodyBigram
	seedTitleWord
	seedTitleBigram
)

func features(bag *linear.Bag, tok Tokenizer, title, body string) linear.Vector {
	bag.Reset()
	add(bag, tok, body, seedBodyWord, seedBodyBigram)
	add(bag, tok, title, seedTitleWord, seedTitleBigram)
	return bag.Vector()
}

// add puts the words of text (of letters or digits) and the bigrams of
// its runs of letters and digits into bag.
func add(bag *linear.Bag, tok Tokenizer, text string, wordSeed, bigramSeed uint32) {
	if tok != nil {
		for _, w := range tok(text) {
			for _, r := range w {
				if isWordRune(r) {
					bag.Add(linear.HashString(wordSeed, w), 1)
					break
				}
			}
		}
	}
	var pair [2]rune
	for _, r := range text {
		if !isWordRune(r) {
			pair[1] = 0
			continue
		}
		pair[0], pair[1] = pair[1], r
		if pair[0] != 0 {
			bag.Add(linear.Hash(bigramSeed, pair[:]), 1)
		}
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

// SetLevel2Confidence changes the level-1 confidence needed for level 2.
func (m *Model) SetLevel2Confidence(c float64) { m.minLevel = c }

// Categories returns the first-level categories the model can predict.
func (m *Model) Categories() []string { return append([]string(nil), m.lr.Classes...) }

// Predict categorizes one message.
func (m *Model) Predict(title, body string) Prediction {
	bag := m.bags.Get().(*linear.Bag)
	p := m.lr.Probabilities(features(bag, m.tok, title, body))
	m.bags.Put(bag)
	best, conf := linear.Best(p)
	pred := Prediction{Level1: m.lr.Classes[best], Confidence: conf}
	if m.matcher != nil && conf >= m.minLevel {
		pred.Level2 = m.matcher.level2(pred.Level1, title, body)
	}
	return pred
}

// The file is the linear model's format; the taxonomy and the level-2
// threshold travel in its meta.
const (
	fileKind   = "minyi-category-model"
	featureSet = "words+bigrams,title+body-v1"
)

// Save writes the model, taxonomy included, as one file.
func (m *Model) Save(w io.Writer) error {
	meta := map[string]string{"kind": fileKind, "features": featureSet}
	if m.tax != nil {
		tax, err := json.Marshal(m.tax)
		if err != nil {
			return err
		}
		meta["taxonomy"] = string(tax)
	}
	level2, _ := json.Marshal(m.minLevel)
	meta["level2_confidence"] = string(level2)
	return m.lr.Save(w, meta)
}

// Load reads a model written by Save; tok must be the training tokenizer.
func Load(r io.Reader, tok Tokenizer) (*Model, error) {
	lr, meta, err := linear.Load(r)
	if err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "category model: %v", err)
	}
	if meta["kind"] != fileKind || meta["features"] != featureSet {
		return nil, minyi.Errorf(minyi.EINVALID, "not a category model of this minyi (kind %q, features %q); train it again with minyi train-categories", meta["kind"], meta["features"])
	}
	var tax *Taxonomy
	if t := meta["taxonomy"]; t != "" {
		dec := json.NewDecoder(bytes.NewReader([]byte(t)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&tax); err != nil {
			return nil, minyi.Errorf(minyi.EINVALID, "category model taxonomy: %v", err)
		}
		for _, c := range lr.Classes {
			if !tax.HasLevel1(c) {
				return nil, minyi.Errorf(minyi.EINVALID, "model category %q is not in the model's taxonomy", c)
			}
		}
	}
	m := newModel(lr, tax, tok)
	if err := json.Unmarshal([]byte(meta["level2_confidence"]), &m.minLevel); err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "category model level-2 confidence: %v", err)
	}
	return m, nil
}
