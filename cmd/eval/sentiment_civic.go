package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"minyi/analysis/sentiment"
)

// govTexts reads title and body of a gov-messages file (labelled or not),
// normalized and joined as the pipeline joins them: title, newline, body.
func govTexts(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	title, body := -1, -1
	for i, h := range header {
		switch h {
		case "title":
			title = i
		case "body":
			body = i
		}
	}
	if title < 0 || body < 0 {
		return nil, fmt.Errorf("%s: no title and body columns in %q", file, header)
	}
	var out []string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		out = append(out, normalize(rec[title])+"\n"+normalize(rec[body]))
	}
}

// evalCivicShares prints the share of each class that the pipeline's
// sentiment (sentiment.Civic over the embedded model) gives the government
// messages. There are no sentiment labels for them: the shares, and a
// reading of samples of each class (README: Sentiment), are the check.
func evalCivicShares(dir string) error {
	civic := sentiment.NewCivic(sentiment.Default())
	lex := sentiment.NewLexicon()
	fmt.Printf("\n== sentiment of government messages, three classes (no labels: shares only; %s)\n", civic.Version())
	for _, name := range []string{"gov-messages-labelled-494.csv", "gov-messages-unlabelled.csv"} {
		texts, err := govTexts(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		for _, a := range []struct {
			name string
			an   sentiment.Analyzer
		}{{"civic (pipeline default)", civic}, {"lexicon", lex}} {
			n := map[sentiment.Label]int{}
			for _, t := range texts {
				n[a.an.Analyze(t).Label]++
			}
			fmt.Printf("%-32s %-26s", name, a.name)
			for _, l := range []sentiment.Label{sentiment.Positive, sentiment.Neutral, sentiment.Negative} {
				lo, hi := wilson(n[l], len(texts))
				fmt.Printf("  %s %.3f [%.3f, %.3f]", l, float64(n[l])/float64(len(texts)), lo, hi)
			}
			fmt.Println()
		}
	}
	return nil
}

// evalSentimentSpeed times each analyzer alone on one goroutine over the
// government messages (long texts: the slow case), in documents per
// CPU-second, which is per core.
func evalSentimentSpeed(dir string) error {
	texts, err := govTexts(filepath.Join(dir, "gov-messages-labelled-494.csv"))
	if err != nil {
		return err
	}
	chars := 0
	for _, t := range texts {
		chars += len([]rune(t))
	}
	fmt.Printf("\n== sentiment throughput, one goroutine, %d government messages of %d characters on average\n", len(texts), chars/len(texts))
	for _, a := range []struct {
		name string
		an   sentiment.Analyzer
	}{{"lexicon", sentiment.NewLexicon()}, {"model", sentiment.Default()}, {"civic (model + lexicon + rules)", sentiment.NewCivic(sentiment.Default())}} {
		cpu0, start, docs := cpuTime(), time.Now(), 0
		for time.Since(start) < 2*time.Second {
			for _, t := range texts {
				a.an.Analyze(t)
			}
			docs += len(texts)
		}
		fmt.Printf("  %-32s %7.0f documents per CPU-second\n", a.name, float64(docs)/(cpuTime()-cpu0).Seconds())
	}
	size, err := os.Stat("analysis/sentiment/model/default.model")
	if err == nil {
		fmt.Printf("  embedded model file: %d bytes (%s)\n", size.Size(), sentiment.Default().Version())
	}
	return nil
}
