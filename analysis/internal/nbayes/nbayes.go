// Package nbayes is the multinomial naive Bayes classifier shared by the
// sentiment and category models: features are the words of a segmenter plus
// character bigrams, counted once per document (binarized), which is more
// robust than raw counts on short, repetitive complaint text.
package nbayes

import (
	"encoding/json"
	"io"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"

	"minyi"
)

// Tokenizer splits normalized text into words (gse search mode in production).
type Tokenizer func(string) []string

// Features is a bag of feature names with weights.
type Features map[string]float64

// Add puts the words of text (prefix "w:") and the bigrams of its runs of
// letters and digits (prefix "b:") into f with weight w, keeping the larger
// weight when a feature is already there (a title word weighs more than the
// same word in the body, not more than once).
func (f Features) Add(tok Tokenizer, text string, w float64) {
	put := func(k string) {
		if f[k] < w {
			f[k] = w
		}
	}
	if tok != nil {
		for _, t := range tok(text) {
			t = strings.ToLower(strings.TrimSpace(t))
			if t != "" && strings.IndexFunc(t, isWordRune) >= 0 {
				put("w:" + t)
			}
		}
	}
	var prev rune
	for _, r := range strings.ToLower(text) {
		if !isWordRune(r) {
			prev = 0
			continue
		}
		if prev != 0 {
			put("b:" + string(prev) + string(r))
		}
		prev = r
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

// Model holds per-class feature counts; log probabilities are derived on
// demand so that the saved form stays the plain counts a reader can check.
type Model struct {
	Version int                  `json:"version"`
	Classes []string             `json:"classes"`
	Alpha   float64              `json:"alpha"`
	Docs    []float64            `json:"docs"`   // documents per class
	Mass    []float64            `json:"mass"`   // total feature weight per class
	Counts  map[string][]float64 `json:"counts"` // feature → weight per class
	// derived caches the log probabilities; atomic so that a trained model
	// can serve concurrent Posterior calls (Add is not concurrency safe).
	derived atomic.Pointer[derived]
}

type derived struct {
	logPrior []float64
	logMiss  []float64 // log P(feature with zero count | class)
}

const formatVersion = 1

// New returns an empty model over classes with additive smoothing alpha.
func New(classes []string, alpha float64) *Model {
	n := len(classes)
	return &Model{Version: formatVersion, Classes: slices.Clone(classes), Alpha: alpha,
		Docs: make([]float64, n), Mass: make([]float64, n), Counts: map[string][]float64{}}
}

// Add counts one training document of class index c.
func (m *Model) Add(c int, f Features) {
	m.Docs[c]++
	for k, w := range f {
		v := m.Counts[k]
		if v == nil {
			v = make([]float64, len(m.Classes))
			m.Counts[k] = v
		}
		v[c] += w
		m.Mass[c] += w
	}
	m.derived.Store(nil)
}

func (m *Model) prepare() *derived {
	if d := m.derived.Load(); d != nil {
		return d
	}
	n := len(m.Classes)
	var docs float64
	for _, d := range m.Docs {
		docs += d
	}
	vocab := float64(len(m.Counts))
	d := &derived{logPrior: make([]float64, n), logMiss: make([]float64, n)}
	for c := range n {
		d.logPrior[c] = math.Log((m.Docs[c] + 1) / (docs + float64(n)))
		d.logMiss[c] = math.Log(m.Alpha / (m.Mass[c] + m.Alpha*vocab))
	}
	m.derived.Store(d)
	return d
}

// Posterior returns P(class | features) for each class. Naive Bayes is
// notoriously over-confident because it multiplies hundreds of dependent
// features; dividing the log joint probability by sqrt(number of known
// features) is a simple length-independent tempering that keeps the ranking
// (the same argmax) and makes the top probability usable as a confidence.
func (m *Model) Posterior(f Features) []float64 {
	d := m.prepare()
	n := len(m.Classes)
	ll := make([]float64, n)
	known := 0
	for k, w := range f {
		v, ok := m.Counts[k]
		if !ok {
			continue // a feature never seen in training says nothing
		}
		known++
		for c := range n {
			ll[c] += w * (math.Log(v[c]+m.Alpha) + d.logMiss[c] - math.Log(m.Alpha))
		}
	}
	temper := math.Sqrt(math.Max(1, float64(known)))
	p := make([]float64, n)
	max := math.Inf(-1)
	for c := range n {
		p[c] = (d.logPrior[c] + ll[c]) / temper
		max = math.Max(max, p[c])
	}
	var sum float64
	for c := range n {
		p[c] = math.Exp(p[c] - max)
		sum += p[c]
	}
	for c := range n {
		p[c] /= sum
	}
	return p
}

// Best returns the index and probability of the most probable class.
func Best(p []float64) (int, float64) {
	best := 0
	for c := range p {
		if p[c] > p[best] {
			best = c
		}
	}
	return best, p[best]
}

// Save writes the model as JSON.
func (m *Model) Save(w io.Writer) error {
	return json.NewEncoder(w).Encode(m)
}

// Load reads a model written by Save and checks it.
func Load(r io.Reader) (*Model, error) {
	var m Model
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "model file is not valid JSON: %v", err)
	}
	if err := m.Check(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Check reports whether a decoded model is consistent enough to use.
func (m *Model) Check() error {
	if m.Version != formatVersion {
		return minyi.Errorf(minyi.EINVALID, "model format version %d, want %d", m.Version, formatVersion)
	}
	n := len(m.Classes)
	if n < 2 || len(m.Docs) != n || len(m.Mass) != n || !(m.Alpha > 0) {
		return minyi.Errorf(minyi.EINVALID, "model file is inconsistent: %d classes, %d doc counts, %d masses, alpha %v",
			n, len(m.Docs), len(m.Mass), m.Alpha)
	}
	for k, v := range m.Counts {
		if len(v) != n {
			return minyi.Errorf(minyi.EINVALID, "model feature %q has %d counts for %d classes", k, len(v), n)
		}
	}
	if m.Counts == nil {
		m.Counts = map[string][]float64{}
	}
	m.derived.Store(nil)
	return nil
}
