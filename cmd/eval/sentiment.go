package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"minyi/analysis/sentiment"
)

var (
	trainBits   = flag.Uint("sentiment-bits", sentiment.DefaultTrainOptions.Bits, "sentiment model: 2^bits hashed features (to compare settings)")
	trainEpochs = flag.Int("sentiment-epochs", sentiment.DefaultTrainOptions.Epochs, "sentiment model: training passes")
	trainL2     = flag.Float64("sentiment-l2", sentiment.DefaultTrainOptions.L2, "sentiment model: weight decay")
	trainRate   = flag.Float64("sentiment-rate", sentiment.DefaultTrainOptions.Rate, "sentiment model: AdaGrad learning rate")
	trainBySrc  = flag.Bool("sentiment-balance-sources", sentiment.DefaultTrainOptions.BalanceSources, "sentiment model: weigh every corpus alike")
)

func trainOptions() sentiment.TrainOptions {
	o := sentiment.DefaultTrainOptions
	o.Bits, o.Epochs, o.L2, o.Rate, o.BalanceSources = *trainBits, *trainEpochs, *trainL2, *trainRate, *trainBySrc
	return o
}

var testOnly = flag.String("sentiment-test", "", "sentiment: measure only the corpora whose names start with one of these (comma-separated); all train the others' models")

var inDomain = flag.Bool("sentiment-in-domain", true, "sentiment: also 5-fold CV within each corpus (the cross-domain numbers alone are five times faster)")

var corporaDir = flag.String("corpora", "", "directory with the public sentiment corpora of make train-sentiment (README: Sentiment); without it only sentiment-waimai-10k.csv is measured")

// corpus is one labelled review corpus: a domain to train on or test on.
type corpus struct {
	name  string
	files []string
	exs   []sentiment.Example
}

// sentimentCorpora are the training corpora (README: Sentiment, where each
// comes from). The team's evaluation sets (ChnSentiCorp hotels,
// online_shopping_10_cats) are deliberately absent: they are measured by
// scoring them through `minyi analyze`, never trained or tuned on.
func sentimentCorpora(dataDir string) []*corpus {
	cs := []*corpus{{name: "waimai (food delivery)", files: []string{filepath.Join(dataDir, "sentiment-waimai-10k.csv")}}}
	if *corporaDir == "" {
		return cs
	}
	in := func(names ...string) []string {
		for i, n := range names {
			names[i] = filepath.Join(*corporaDir, n)
		}
		return names
	}
	return append(cs,
		&corpus{name: "nlpcc14-sc (amazon.cn products)", files: in("nlpcc14-sc-train.tsv")},
		&corpus{name: "senticnet (phones, cameras, cars, laptops)", files: in("senticnet-phone.tsv", "senticnet-camera.tsv", "senticnet-car.tsv", "senticnet-notebook.tsv")},
		&corpus{name: "douban (movie short comments, 1 vs 5 stars)", files: in("douban-movie.tsv")},
		&corpus{name: "weibo2018 (Weibo posts)", files: in("weibo2018.tsv")},
		&corpus{name: "smp2020-ewect (Weibo emotions: happy vs angry, sad, fear)", files: in("smp2020-ewect-usual.tsv", "smp2020-ewect-virus.tsv")},
		&corpus{name: "conversation (chatbot logs, labelled by hand)", files: in("conversation-xs.tsv")},
		&corpus{name: "jd (JD.com laptop and tablet review clauses)", files: in("jd-clauses.tsv")})
}

func (c *corpus) load() error {
	for _, file := range c.files {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		bad, err := sentiment.ReadExamples(f, func(e sentiment.Example) error {
			e.Text, e.Source = normalize(e.Text), c.name
			c.exs = append(c.exs, e)
			return nil
		})
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if len(bad) > 0 {
			fmt.Printf("%s: %d rows skipped (first: %v)\n", filepath.Base(file), len(bad), bad[0])
		}
	}
	return nil
}

func (c *corpus) counts() string {
	n := map[sentiment.Label]int{}
	for _, e := range c.exs {
		n[e.Label]++
	}
	return fmt.Sprintf("%d 正面, %d 负面", n[sentiment.Positive], n[sentiment.Negative])
}

func scoreWith(a sentiment.Analyzer, exs []sentiment.Example) []scored {
	rs := make([]scored, len(exs))
	for i, e := range exs {
		rs[i] = scored{want: string(e.Label), got: string(a.Analyze(e.Text).Label)}
	}
	return rs
}

func evalSentiment(dir string) error {
	var cs []*corpus
	for _, c := range sentimentCorpora(dir) {
		if _, err := os.Stat(c.files[0]); err != nil {
			fmt.Printf("%s: not found, left out (make sentiment-corpora fetches it)\n", c.files[0])
			continue
		}
		if err := c.load(); err != nil {
			return err
		}
		cs = append(cs, c)
	}
	lex := sentiment.NewLexicon()
	fmt.Printf("\n== sentiment: lexicon vs the trained model (%s), per corpus\n", modelName)
	fmt.Println("in-domain: 5-fold stratified CV within the corpus; cross-domain: trained on every other corpus, tested on this one")
	for i, c := range cs {
		if !selected(c.name) {
			continue
		}
		fmt.Printf("-- %s: %d reviews (%s)\n", c.name, len(c.exs), c.counts())
		report("  lexicon (中性 counts as a miss)", scoreWith(lex, c.exs))
		report("  embedded model (in-sample where trained on this corpus)", scoreWith(sentiment.Default(), c.exs))
		if *inDomain {
			rs, err := crossValidate(c.exs, 5)
			if err != nil {
				return err
			}
			report("  model, in-domain 5-fold CV", rs)
		}
		var others []sentiment.Example
		var names []string
		for j, o := range cs {
			if j != i {
				others = append(others, o.exs...)
				names = append(names, strings.Fields(o.name)[0])
			}
		}
		if len(others) == 0 {
			continue
		}
		m, err := sentiment.Train(others, trainOptions())
		if err != nil {
			return err
		}
		report("  model, cross-domain (trained on "+strings.Join(names, "+")+")", scoreWith(m, c.exs))
	}
	if err := evalCivicShares(dir); err != nil {
		return err
	}
	return evalSentimentSpeed(dir)
}

func selected(name string) bool {
	if *testOnly == "" {
		return true
	}
	for p := range strings.SplitSeq(*testOnly, ",") {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

const modelName = "logistic regression over character 1–3-grams + lexicon score"

// crossValidate returns the k-fold predictions of a model trained on the
// other folds.
func crossValidate(exs []sentiment.Example, k int) ([]scored, error) {
	fold := stratifiedFolds(len(exs), k, func(i int) string { return string(exs[i].Label) }, func(i int) string { return fmt.Sprintf("%08d", i) })
	rs := make([]scored, len(exs))
	for f := range k {
		var train []sentiment.Example
		for i, e := range exs {
			if fold[i] != f {
				train = append(train, e)
			}
		}
		m, err := sentiment.Train(train, trainOptions())
		if err != nil {
			return nil, err
		}
		for i, e := range exs {
			if fold[i] == f {
				rs[i] = scored{want: string(e.Label), got: string(m.Analyze(e.Text).Label)}
			}
		}
	}
	return rs, nil
}
