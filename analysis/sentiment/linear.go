package sentiment

import (
	"io"
	"maps"
	"sync"

	"minyi"
	"minyi/analysis/internal/linear"
)

// Model is the trained sentiment analyzer: logistic regression over hashed
// character n-grams and the lexicon's score (features.go). Its classes are
// those of its training data; the shipped model (Default) knows 正面 and
// 负面 only, and Civic adds 中性 on top. Analyze is safe for concurrent use.
type Model struct {
	lr      *linear.Model
	negated bool // the features include the negation scope (featureSet)
	lex     *Lexicon
	version string
	bags    sync.Pool
}

// TrainOptions are the model's hyper-parameters; DefaultTrainOptions are the
// ones measured best (cmd/eval).
type TrainOptions struct {
	Bits   uint // 2^Bits hashed features
	Epochs int
	Rate   float64
	L2     float64
	Seed   uint64
	// BalanceSources weighs every source (Example.Source) and every class
	// within it equally, so that the largest corpus does not decide what
	// the model learns of the others' domains.
	BalanceSources bool
}

// DefaultTrainOptions were chosen by the mean cross-domain accuracy in
// cmd/eval (train on the other corpora, test on one): the learning rate
// mattered (0.2: 0.745, 0.05: 0.778, 0.02: 0.781 on three corpora); 2^20
// buckets gained nothing once the corpora were eight (waimai 0.852 against
// 0.854); weight decay changed nothing; weighing the corpora alike
// (BalanceSources) raised the four review corpora's mean from 0.829 to
// 0.834 and their negative recall most (senticnet 0.653 → 0.803).
var DefaultTrainOptions = TrainOptions{Bits: 18, Epochs: 6, Rate: 0.05, L2: 1e-6, Seed: 1, BalanceSources: true}

// Train fits a model on examples; the classes are the labels that occur, each
// weighed equally whatever its share. Fewer than two is an error.
func Train(examples []Example, opt TrainOptions) (*Model, error) {
	index := map[Label]int{}
	var classes []string
	for _, ex := range examples {
		if !ex.Label.Valid() {
			return nil, minyi.Errorf(minyi.EINVALID, "training label %q is not 正面, 中性 or 负面", ex.Label)
		}
		if _, ok := index[ex.Label]; !ok {
			index[ex.Label] = len(classes)
			classes = append(classes, string(ex.Label))
		}
	}
	if len(classes) < 2 {
		return nil, minyi.Errorf(minyi.EINVALID, "training data has %d distinct labels, need at least 2", len(classes))
	}
	lex := NewLexicon()
	bag := linear.NewBag(opt.Bits)
	weights := exampleWeights(examples, opt.BalanceSources)
	data := make([]linear.Example, len(examples))
	for i, ex := range examples {
		x, _ := featurize(bag, lex, ex.Text, true)
		data[i] = linear.Example{X: x, Class: index[ex.Label], Weight: weights[i]}
	}
	lr, err := linear.Train(classes, data, linear.Options{Bits: opt.Bits, Extra: lexSlots, Epochs: opt.Epochs,
		Rate: opt.Rate, L2: opt.L2, Balance: !opt.BalanceSources, Seed: opt.Seed})
	if err != nil {
		return nil, err
	}
	return newModel(lr, lex, true)
}

// exampleWeights are all 0, linear.Train's 1 (and it balances the classes),
// unless bySource: then each source's classes share 1/S of
// the total weight equally, S the number of sources, so that every source
// and, within it, every class weighs alike.
func exampleWeights(examples []Example, bySource bool) []float64 {
	w := make([]float64, len(examples))
	if !bySource {
		return w
	}
	type group struct {
		source string
		label  Label
	}
	count := map[group]int{}
	classes := map[string]int{}
	for _, ex := range examples {
		g := group{ex.Source, ex.Label}
		if count[g] == 0 {
			classes[ex.Source]++
		}
		count[g]++
	}
	for i, ex := range examples {
		share := 1 / float64(len(classes)*classes[ex.Source])
		w[i] = share * float64(len(examples)) / float64(count[group{ex.Source, ex.Label}])
	}
	return w
}

func newModel(lr *linear.Model, lex *Lexicon, negated bool) (*Model, error) {
	m := &Model{lr: lr, lex: lex, negated: negated}
	m.bags.New = func() any { return linear.NewBag(lr.Bits) }
	var err error
	m.version, err = lr.Fingerprint()
	return m, err
}

// Probabilities returns P(label | text) for each label the model knows.
func (m *Model) Probabilities(text string) map[Label]float64 {
	p, _ := m.probabilities(text)
	out := make(map[Label]float64, len(p))
	for c, name := range m.lr.Classes {
		out[Label(name)] = p[c]
	}
	return out
}

// probabilities also returns the lexicon's score, which the features
// include and Civic weighs again.
func (m *Model) probabilities(text string) ([]float64, float64) {
	bag := m.bags.Get().(*linear.Bag)
	defer m.bags.Put(bag)
	x, lex := featurize(bag, m.lex, text, m.negated)
	return m.lr.Probabilities(x), lex
}

// Analyze returns the most probable label; the score is P(正面) − P(负面).
func (m *Model) Analyze(text string) Result {
	r, _ := m.analyze(text)
	return r
}

func (m *Model) analyze(text string) (Result, float64) {
	p, lex := m.probabilities(text)
	var score float64
	for c, name := range m.lr.Classes {
		switch Label(name) {
		case Positive:
			score += p[c]
		case Negative:
			score -= p[c]
		}
	}
	best, _ := linear.Best(p)
	return Result{Label: Label(m.lr.Classes[best]), Score: score}, lex
}

// Version identifies the model's weights and lexicon: two models with the
// same version label every text alike, so a stored document analysed under
// another version is due for re-analysis.
func (m *Model) Version() string { return "linear-" + m.version + "+" + m.lex.Version() }

// featureSet names the features a model file was trained with; a file
// naming another set was made by a different minyi and is refused, except
// featuresV1: a city's model trained before the negation scope still loads
// and is read with the features it was trained on.
const (
	featureSet = "char-1-3-grams+negated-1-2-grams+lexicon-v2"
	featuresV1 = "char-1-3-grams+lexicon-v1"
)

// Save writes the model; provenance (corpora, commits) is kept in the file
// for whoever inspects it later.
func (m *Model) Save(w io.Writer, provenance map[string]string) error {
	meta := maps.Clone(provenance)
	if meta == nil {
		meta = map[string]string{}
	}
	meta["kind"], meta["features"], meta["lexicon"] = "sentiment", featureSet, m.lex.Version()
	return m.lr.Save(w, meta)
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	lr, meta, err := linear.Load(r)
	if err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "sentiment model: %v", err)
	}
	if meta["kind"] != "sentiment" || (meta["features"] != featureSet && meta["features"] != featuresV1) {
		return nil, minyi.Errorf(minyi.EINVALID, "not a sentiment model of this minyi (kind %q, features %q)", meta["kind"], meta["features"])
	}
	if lr.Extra != lexSlots {
		return nil, minyi.Errorf(minyi.EINVALID, "sentiment model has %d dense features, want %d", lr.Extra, lexSlots)
	}
	for _, c := range lr.Classes {
		if !Label(c).Valid() {
			return nil, minyi.Errorf(minyi.EINVALID, "model class %q is not a sentiment label", c)
		}
	}
	return newModel(lr, NewLexicon(), meta["features"] == featureSet)
}
