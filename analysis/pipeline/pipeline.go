// Package pipeline is the text analysis the ingest step runs on every stored
// document: clean and fold the text, then sentiment, category and
// near-duplicate topic. The document's own text is never changed; only the
// minyi.Analysis computed here is stored beside it.
//
// Categories need a model trained on a city's own labelled history
// (`minyi train-categories messages.csv -taxonomy gov-category-taxonomy.csv
// -o categories.model`, then `analysis: {category_model: categories.model}`
// in the config). No default model ships: the only labelled sample at hand
// may not be redistributed. Without a model Category stays empty and routing
// falls back to the source's board.
package pipeline

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"minyi"
	"minyi/analysis"
	"minyi/analysis/category"
	"minyi/analysis/clean"
	"minyi/analysis/event"
	"minyi/analysis/sentiment"
	"minyi/analysis/simhash"
	"minyi/internal/safely"
)

// RebuildWindow is how far back the near-duplicate index reaches on start:
// reposts come within days, and a topic older than this is news again.
const RebuildWindow = 90 * 24 * time.Hour

// Options configure an Analyzer. The zero value is the embedded sentiment
// model, no categories and the default simhash threshold.
type Options struct {
	// SentimentModel is "" for the embedded model, LexiconOnly for the
	// word lists alone, or a file written by `minyi train-sentiment`. A
	// model, embedded or trained, is read through sentiment.Civic, which
	// gives 中性 to inquiries and notices and reads complaints and thanks.
	SentimentModel string
	CategoryModel  string // file written by `minyi train-categories`; "" = no categories
	Threshold      int    // simhash bits; 0 = simhash.DefaultThreshold
	// Events tune the event clusterer (zero: its measured defaults), and
	// EventDictionary adds the admin's place names and aliases to it.
	Events          event.Options
	EventDictionary *event.Dictionary
	Now             func() time.Time
	Logger          *slog.Logger
}

// LexiconOnly as Options.SentimentModel chooses the rule-based lexicon.
const LexiconOnly = "lexicon"

// Analyzer analyses documents. It is safe for concurrent use.
type Analyzer struct {
	sentiment sentiment.Analyzer
	polarity  sentiment.Analyzer // the model under Civic's rules, or the lexicon
	category  *category.Model    // nil: no categories
	// categoryVersion names the category model by its file's content:
	// "none" without one.
	categoryVersion string
	threshold       int
	dedup           atomic.Pointer[simhash.Dedup]
	memo            memo
	events          *events

	mu sync.Mutex
	// alias maps a topic the rebuilt index started to the topic stored for
	// its first document, which may have joined a topic whose first document
	// is now older than RebuildWindow.
	alias map[string]string
}

// History is what an Analyzer rebuilds its state from on start: a
// minyi.AnalysisStore.
type History interface {
	Fingerprints(ctx context.Context, since time.Time) ([]minyi.Fingerprint, error)
	ScanPublished(ctx context.Context, since time.Time, after minyi.PublishedKey, limit int) ([]minyi.Document, error)
}

// New builds an Analyzer and rebuilds its near-duplicate index from the
// fingerprints store holds for the last RebuildWindow, and its events from
// the documents published in the last event Horizon (store may be nil).
func New(ctx context.Context, store History, opts Options) (*Analyzer, error) {
	if opts.Threshold == 0 {
		opts.Threshold = simhash.DefaultThreshold
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	dd, err := simhash.NewDedup(opts.Threshold)
	if err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "analysis: %v", err)
	}
	a := &Analyzer{threshold: opts.Threshold, alias: map[string]string{}, events: newEvents(opts.Events, opts.EventDictionary)}
	a.dedup.Store(dd)
	switch opts.SentimentModel {
	case "":
		a.polarity = sentiment.Default()
		a.sentiment = sentiment.NewCivic(sentiment.Default())
	case LexiconOnly:
		a.polarity = sentiment.NewLexicon()
		a.sentiment = a.polarity
	default:
		m, err := loadModel(opts.SentimentModel, func(f *os.File) (*sentiment.Model, error) { return sentiment.Load(f) })
		if err != nil {
			return nil, err
		}
		a.polarity = m
		a.sentiment = sentiment.NewCivic(m)
	}
	a.categoryVersion = "none"
	if opts.CategoryModel != "" {
		if a.category, err = loadModel(opts.CategoryModel, func(f *os.File) (*category.Model, error) { return category.Load(f, a.memo.words) }); err != nil {
			return nil, err
		}
		if a.categoryVersion, err = fileVersion(opts.CategoryModel); err != nil {
			return nil, err
		}
	}
	if store != nil {
		fps, err := store.Fingerprints(ctx, opts.Now().Add(-RebuildWindow))
		if err != nil {
			return nil, fmt.Errorf("rebuilding the near-duplicate index: %w", err)
		}
		for _, fp := range fps {
			t := dd.Add(fp.ID, fp.Simhash, fp.Published)
			if t.ID == fp.ID && fp.Topic != "" && fp.Topic != fp.ID {
				a.alias[fp.ID] = fp.Topic
			}
		}
		opts.Logger.Info("near-duplicate index rebuilt", "documents", len(fps), "since", opts.Now().Add(-RebuildWindow).Format(time.DateOnly))
		since := opts.Now().Add(-a.events.c.Options().Horizon)
		n, err := a.events.replay(ctx, store, since)
		if err != nil {
			return nil, fmt.Errorf("rebuilding events: %w", err)
		}
		opts.Logger.Info("events rebuilt", "documents", n, "active", a.events.c.Active(), "since", since.Format(time.DateOnly))
	}
	return a, nil
}

func loadModel[M any](path string, load func(*os.File) (M, error)) (M, error) {
	var zero M
	f, err := os.Open(path)
	if err != nil {
		return zero, minyi.Errorf(minyi.EINVALID, "analysis model: %v", err)
	}
	defer f.Close()
	m, err := load(f)
	if err != nil {
		return zero, minyi.Errorf(minyi.EINVALID, "analysis model %s: %v", path, err)
	}
	return m, nil
}

// fileVersion names a model file by a prefix of its SHA-256.
func fileVersion(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", minyi.Errorf(minyi.EINVALID, "analysis model: %v", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// Version names the models that label documents (sentiment and category):
// documents labelled under another version are due for Relabel. Topics and
// events are not part of it: they depend on the order documents came in,
// not on a model.
func (a *Analyzer) Version() string {
	return "sentiment:" + a.sentiment.Version() + " category:" + a.categoryVersion
}

// SentimentVersion identifies the sentiment analysis in use; a document
// analysed under another version is due for re-analysis.
func (a *Analyzer) SentimentVersion() string { return a.sentiment.Version() }

// Polarity is the two-sided judgement under the three labels: the model's
// most probable label (正面 or 负面 for the embedded model) with its score,
// without Civic's rules for the forms of civic text. It is what to score a
// two-class review corpus by.
func (a *Analyzer) Polarity(title, body string) sentiment.Result {
	return a.polarity.Analyze(Normalize(title) + "\n" + Normalize(body))
}

// ForgetTopics empties the near-duplicate index, so that a long stream
// (minyi analyze) keeps bounded memory: documents after it start new topics.
func (a *Analyzer) ForgetTopics() {
	dd, _ := simhash.NewDedup(a.threshold) // the threshold was checked in New
	a.dedup.Store(dd)
	a.mu.Lock()
	clear(a.alias)
	a.mu.Unlock()
}

// ForgetEvents empties the event clusterer, so that minyi reindex assigns
// every document again from the first, in order of publication.
func (a *Analyzer) ForgetEvents() { a.events.forget() }

// HasCategories tells whether a category model is loaded.
func (a *Analyzer) HasCategories() bool { return a.category != nil }

// Normalize is the text analysis sees: boilerplate, quoted replies and
// pinyin annotations removed, folded to simplified, half-width, lower case.
func Normalize(s string) string { return analysis.Fold(clean.Normalize(s)) }

// Words is the tokenizer the models are trained and run with: the terms of
// analysis.Tokens. Training and serving must use the same one.
func Words(s string) []string {
	toks := analysis.Tokens(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Term
	}
	return out
}

// Analyze analyses docs. Segmentation and the models, nearly all the cost,
// run on every core; then the documents go into the near-duplicate index
// one by one in order of publication, so within a batch an original is
// seen before its reposts and gives the topic its id.
func (a *Analyzer) Analyze(docs []minyi.Document) []minyi.DocumentAnalysis {
	res := make([]minyi.Analysis, len(docs))
	feats := make([]eventInput, len(docs))
	// A document that makes a model panic is stored and indexed without
	// analysis rather than failing its whole batch on every retry;
	// eachParallel logs it with its stack.
	eachParallel(len(docs), func(i int) { res[i], feats[i] = a.analyze(&docs[i]) })
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		if c := docs[i].Published.Compare(docs[j].Published); c != 0 {
			return c
		}
		return cmp.Compare(docs[i].ID, docs[j].ID)
	})
	out := make([]minyi.DocumentAnalysis, len(docs))
	for _, i := range order {
		res[i].Topic = a.topicOf(&docs[i], res[i].Simhash)
		out[i] = minyi.DocumentAnalysis{ID: docs[i].ID, Analysis: res[i]}
	}
	a.events.assign(docs, feats, order, out)
	return out
}

// Relabel gives stored documents the labels of the models in force
// (sentiment and category) and keeps what depends on their order of
// arrival (topic, fingerprint, event) as stored. It changes no state of the
// Analyzer, so it can run beside ingest.
func (a *Analyzer) Relabel(docs []minyi.Document) []minyi.DocumentAnalysis {
	out := make([]minyi.DocumentAnalysis, len(docs))
	eachParallel(len(docs), func(i int) {
		d := &docs[i]
		var res minyi.Analysis
		if d.Analysis != nil {
			res = *d.Analysis
		}
		title, body := Normalize(d.Title), Normalize(d.Body)
		s := a.sentiment.Analyze(title + "\n" + body)
		res.Sentiment, res.SentimentScore = minyi.Sentiment(s.Label), s.Score
		res.Category, res.Category2, res.CategoryConfidence = "", "", 0
		if a.category != nil {
			p := a.category.Predict(title, body)
			res.Category, res.Category2, res.CategoryConfidence = p.Level1, p.Level2, p.Confidence
		}
		out[i] = minyi.DocumentAnalysis{ID: d.ID, Analysis: res}
	})
	return out
}

// eachParallel calls fn(i) for every i below n on every core; a panic
// in fn is recovered and logged per call (safely.Call).
func eachParallel(n int, fn func(i int)) {
	var next atomic.Int64
	var g safely.Group
	for range min(n, runtime.GOMAXPROCS(0)) {
		g.Go(func() error {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				safely.Call(func() error { fn(i); return nil }) //nolint:errcheck
			}
			return nil
		})
	}
	g.Wait() //nolint:errcheck // every panic is recovered per call above
}

// analyze is everything but the topic and the event, which depend on the
// documents before it (topicOf, events.assign); it returns the features
// the event clusterer reads.
func (a *Analyzer) analyze(d *minyi.Document) (minyi.Analysis, eventInput) {
	title, body := Normalize(d.Title), Normalize(d.Body)
	// Segmentation dominates the cost, so each text is segmented once: the
	// memo hands the same words to the category model and the fingerprint.
	tw, bw := Words(title), Words(body)
	release := a.memo.hold(map[string][]string{title: tw, body: bw})
	defer release()

	var res minyi.Analysis
	// The title is the first line: sentiment.Civic reads a petition's form
	// from it.
	s := a.sentiment.Analyze(title + "\n" + body)
	res.Sentiment, res.SentimentScore = minyi.Sentiment(s.Label), s.Score
	if a.category != nil {
		p := a.category.Predict(title, body)
		res.Category, res.Category2, res.CategoryConfidence = p.Level1, p.Level2, p.Confidence
	}
	res.Simhash = simhash.Fingerprint(fingerprintWords(title, body, tw, bw))
	return res, eventInput{features: a.events.x.Features(title, body), title: title}
}

// topicOf adds a document to the near-duplicate index and returns its topic.
func (a *Analyzer) topicOf(d *minyi.Document, fingerprint uint64) string {
	if fingerprint == 0 {
		return d.ID // no words at all: nothing to be a duplicate of
	}
	return a.topic(a.dedup.Load().Add(d.ID, fingerprint, d.Published).ID)
}

// fingerprintWords are the words of the text without repost framing; only a
// repost, whose framing was removed, is segmented a second time.
func fingerprintWords(title, body string, tw, bw []string) []string {
	ft, fb := withoutRepostFraming(title, body)
	if ft != title {
		tw = Words(ft)
	}
	if fb != body {
		bw = Words(fb)
	}
	return slices.Concat(tw, bw)
}

func (a *Analyzer) topic(id string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s, ok := a.alias[id]; ok {
		return s
	}
	return id
}
