package main

import (
	"fmt"
	"os"
	"path/filepath"

	"minyi/analysis/sentiment"
)

func evalSentiment(dir string) error {
	f, err := os.Open(filepath.Join(dir, "sentiment-waimai-10k.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	var exs []sentiment.Example
	bad, err := sentiment.ReadExamples(f, func(e sentiment.Example) error {
		e.Text = normalize(e.Text)
		exs = append(exs, e)
		return nil
	})
	if err != nil {
		return err
	}
	for _, b := range bad {
		fmt.Printf("skipped sentiment row: %v\n", b)
	}
	counts := map[sentiment.Label]int{}
	for _, e := range exs {
		counts[e.Label]++
	}
	fmt.Printf("\n== sentiment on sentiment-waimai-10k.csv: %d reviews (%d 正面, %d 负面; out of domain for petitions)\n",
		len(exs), counts[sentiment.Positive], counts[sentiment.Negative])

	lex := sentiment.NewLexicon()
	var right, neutral int
	perClass := map[sentiment.Label][2]int{} // right, total
	for _, e := range exs {
		got := lex.Analyze(e.Text).Label
		pc := perClass[e.Label]
		pc[1]++
		switch got {
		case e.Label:
			right++
			pc[0]++
		case sentiment.Neutral:
			neutral++
		}
		perClass[e.Label] = pc
	}
	fmt.Printf("lexicon: accuracy %.3f (中性 counted as a miss); 中性 for %.3f; accuracy where it committed %.3f\n",
		float64(right)/float64(len(exs)), float64(neutral)/float64(len(exs)), float64(right)/float64(len(exs)-neutral))
	for _, l := range []sentiment.Label{sentiment.Positive, sentiment.Negative} {
		fmt.Printf("  recall %s %.3f\n", l, float64(perClass[l][0])/float64(perClass[l][1]))
	}

	const k = 5
	fold := stratifiedFolds(len(exs), k, func(i int) string { return string(exs[i].Label) }, func(i int) string { return fmt.Sprintf("%08d", i) })
	right = 0
	perClass = map[sentiment.Label][2]int{}
	for fi := range k {
		var train []sentiment.Example
		for i, e := range exs {
			if fold[i] != fi {
				train = append(train, e)
			}
		}
		m, err := sentiment.Train(train, words)
		if err != nil {
			return err
		}
		for i, e := range exs {
			if fold[i] == fi {
				pc := perClass[e.Label]
				pc[1]++
				if m.Analyze(e.Text).Label == e.Label {
					right++
					pc[0]++
				}
				perClass[e.Label] = pc
			}
		}
	}
	fmt.Printf("trained naive Bayes (words + bigrams), %d-fold stratified CV: accuracy %.3f\n", k, float64(right)/float64(len(exs)))
	for _, l := range []sentiment.Label{sentiment.Positive, sentiment.Negative} {
		fmt.Printf("  recall %s %.3f\n", l, float64(perClass[l][0])/float64(perClass[l][1]))
	}
	return nil
}
