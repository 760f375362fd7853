package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"minyi"
	"minyi/analysis"
	"minyi/analysis/category"
	"minyi/analysis/pipeline"
	"minyi/analysis/sentiment"
)

// parseInterspersed parses flags that may come before or after the one
// positional argument, as in `minyi train-sentiment data.csv -o m.model`.
func parseInterspersed(fs *flag.FlagSet, args []string) (string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
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

// runTrainSentiment: minyi train-sentiment data.csv -o sentiment.model.
// The CSV has a header with a label column (1/0, 正面/中性/负面, or
// positive/neutral/negative) and a text column (review, text or body).
func runTrainSentiment(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train-sentiment", flag.ContinueOnError)
	out := fs.String("o", "sentiment.model", "model file to write; load it with analysis.sentiment_model")
	file, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	analysis.Preload()
	var examples []sentiment.Example
	perLabel := map[sentiment.Label]int{}
	bad, err := sentiment.ReadExamples(f, func(e sentiment.Example) error {
		e.Text = pipeline.Normalize(e.Text)
		examples = append(examples, e)
		perLabel[e.Label]++
		return nil
	})
	reportRows(stderr, file, bad)
	if err != nil {
		return fmt.Errorf("%s: %s", file, minyi.ErrorMessage(err))
	}
	m, err := sentiment.Train(examples, pipeline.Words)
	if err != nil {
		return fmt.Errorf("%s: %s", file, minyi.ErrorMessage(err))
	}
	if err := writeModel(*out, m.Save); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trained on %d rows (%s), %d skipped; wrote %s\n", len(examples), counts(perLabel), len(bad), *out)
	fmt.Fprintf(stdout, "load it with:\n  analysis:\n    sentiment_model: %s\n", *out)
	return nil
}

// runTrainCategories: minyi train-categories messages.csv -taxonomy
// gov-category-taxonomy.csv -o categories.model. The CSV has a header
// naming title, body and category columns (id and time optional).
func runTrainCategories(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train-categories", flag.ContinueOnError)
	out := fs.String("o", "categories.model", "model file to write; load it with analysis.category_model")
	taxFile := fs.String("taxonomy", "", "official category tree, CSV level1,level2,level3 (required)")
	file, err := parseInterspersed(fs, args)
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
