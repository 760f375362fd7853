package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"minyi"
	"minyi/analysis"
	"minyi/analysis/category"
	"minyi/analysis/pipeline"
	"minyi/analysis/sentiment"
)

// parseInterspersed parses flags that may come before or after the
// positional arguments, as in `minyi train-sentiment data.csv -o m.model`.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// oneFile is the positional argument of a command that takes one file.
func oneFile(fs *flag.FlagSet, args []string) (string, error) {
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		return "", fmt.Errorf("%s: want one CSV file, got %d arguments\n\nusage: minyi %s FILE.csv [flags]", fs.Name(), len(pos), fs.Name())
	}
	return pos[0], nil
}

// reportRows prints the rows a reader skipped, each with its line, so a
// city can fix its export; the count goes to the summary.
func reportRows[E interface{ Error() string }](w io.Writer, file string, bad []E) {
	for _, e := range bad {
		fmt.Fprintf(w, "%s: %s (row skipped)\n", file, e.Error())
	}
}

// runTrainSentiment: minyi train-sentiment data.csv [more.tsv ...] -o
// sentiment.model. Each file has a header with a label column (1/0/-1,
// 正面/中性/负面, or positive/neutral/negative) and a text column (review,
// text, text_a or body); CSV or tab-separated. The files are hashed into
// the model's provenance, so a model says what it was trained on. Files
// whose names share the part before the first '-' are one corpus
// (senticnet-phone.tsv and senticnet-car.tsv): training weighs every corpus
// alike (sentiment.TrainOptions.BalanceSources).
func runTrainSentiment(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train-sentiment", flag.ContinueOnError)
	out := fs.String("o", "sentiment.model", "model file to write; load it with analysis.sentiment_model")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("train-sentiment: want one or more labelled files\n\nusage: minyi train-sentiment FILE.csv [FILE.tsv ...] [-o sentiment.model]")
	}
	var examples []sentiment.Example
	perLabel := map[sentiment.Label]int{}
	provenance := map[string]string{}
	skipped := 0
	for _, file := range files {
		source, _, _ := strings.Cut(filepath.Base(file), "-")
		sum, bad, err := readSentimentFile(file, func(e sentiment.Example) {
			e.Text, e.Source = pipeline.Normalize(e.Text), source
			examples = append(examples, e)
			perLabel[e.Label]++
		})
		reportRows(stderr, file, bad)
		skipped += len(bad)
		if err != nil {
			return err
		}
		provenance["sha256:"+filepath.Base(file)] = sum
	}
	m, err := sentiment.Train(examples, sentiment.DefaultTrainOptions)
	if err != nil {
		return fmt.Errorf("%s: %s", strings.Join(files, ", "), minyi.ErrorMessage(err))
	}
	if err := writeModel(*out, func(w io.Writer) error { return m.Save(w, provenance) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trained on %d rows (%s), %d skipped; wrote %s, version %s\n", len(examples), counts(perLabel), skipped, *out, m.Version())
	fmt.Fprintf(stdout, "load it with:\n  analysis:\n    sentiment_model: %s\n", *out)
	return nil
}

// readSentimentFile reads one labelled file and returns its SHA-256.
func readSentimentFile(file string, each func(sentiment.Example)) (string, []sentiment.RowError, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	h := sha256.New()
	bad, err := sentiment.ReadExamples(io.TeeReader(f, h), func(e sentiment.Example) error { each(e); return nil })
	if err != nil {
		return "", bad, fmt.Errorf("%s: %s", file, minyi.ErrorMessage(err))
	}
	return hex.EncodeToString(h.Sum(nil)), bad, nil
}

// runTrainCategories: minyi train-categories messages.csv -taxonomy
// gov-category-taxonomy.csv -o categories.model. The CSV has a header
// naming title, body and category columns (id and time optional).
func runTrainCategories(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train-categories", flag.ContinueOnError)
	out := fs.String("o", "categories.model", "model file to write; load it with analysis.category_model")
	taxFile := fs.String("taxonomy", "", "official category tree, CSV level1,level2,level3 (required)")
	file, err := oneFile(fs, args)
	if err != nil {
		return err
	}
	if *taxFile == "" {
		return fmt.Errorf("train-categories: -taxonomy is required: categories are checked against it and level 2 comes from it")
	}
	tf, err := os.Open(*taxFile)
	if err != nil {
		return err
	}
	defer tf.Close()
	tax, err := category.LoadTaxonomy(tf)
	if err != nil {
		return fmt.Errorf("%s: %s", *taxFile, minyi.ErrorMessage(err))
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	analysis.Preload()
	var examples []category.Example
	perCat := map[string]int{}
	bad, err := category.ReadMessages(f, tax, func(m category.Message) error {
		examples = append(examples, category.Example{Title: pipeline.Normalize(m.Title), Body: pipeline.Normalize(m.Body), Category: m.Category})
		perCat[m.Category]++
		return nil
	})
	reportRows(stderr, file, bad)
	if err != nil {
		return fmt.Errorf("%s: %s", file, minyi.ErrorMessage(err))
	}
	m, err := category.Train(examples, tax, pipeline.Words)
	if err != nil {
		return fmt.Errorf("%s: %s", file, minyi.ErrorMessage(err))
	}
	if err := writeModel(*out, m.Save); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trained on %d rows in %d categories, %d skipped; wrote %s\n", len(examples), len(perCat), len(bad), *out)
	fmt.Fprintf(stdout, "load it with:\n  analysis:\n    category_model: %s\n", *out)
	return nil
}

// writeModel writes through a temporary file, so a server never loads a
// half-written model.
func writeModel(path string, save func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".model-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := save(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file private; a model is no secret and the
	// server may run as another user.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func counts[K ~string](m map[K]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	s := ""
	for i, k := range keys {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s %d", k, m[K(k)])
	}
	return s
}
