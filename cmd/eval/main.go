// Command eval measures the text analysis on the development data in
// ../shared/data (make eval): category accuracy and macro-F1 by 5-fold
// cross-validation, sentiment accuracy of the lexicon and of the trained
// model, simhash precision and recall on generated reposts, and throughput.
// Folds and generated reposts are deterministic, so runs are comparable.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"minyi/analysis"
	"minyi/analysis/category"
	"minyi/analysis/clean"
)

func main() {
	data := flag.String("data", "", "directory with the development data (default: ../shared/data relative to the repository root)")
	skip := flag.String("skip", "", "comma-free list of sections to skip: any of c (category), s (sentiment), d (dedup), t (throughput), e (events)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fail(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	dir := *data
	if dir == "" {
		root, err := repoRoot()
		if err != nil {
			fail(err)
		}
		dir = filepath.Join(root, "..", "shared", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "gov-messages-labelled-494.csv")); err != nil {
		fail(fmt.Errorf("development data not found in %s (use -data): %w", dir, err))
	}
	start := time.Now()
	analysis.Preload()
	fmt.Printf("segmenter loaded in %s\n", time.Since(start).Round(time.Millisecond))

	tax, msgs, err := loadMessages(dir)
	if err != nil {
		fail(err)
	}
	run := func(section byte, f func() error) {
		for i := 0; i < len(*skip); i++ {
			if (*skip)[i] == section {
				return
			}
		}
		if err := f(); err != nil {
			pprof.StopCPUProfile()
			fail(err)
		}
	}
	run('c', func() error { evalCategories(tax, msgs); return nil })
	run('s', func() error { return evalSentiment(dir) })
	run('d', func() error { evalDedup(msgs); return nil })
	run('t', func() error { return evalThroughput(tax, msgs) })
	run('e', func() error { return evalEvents(dir) })
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "eval:", err)
	os.Exit(1)
}

// repoRoot is the nearest directory upwards holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory; pass -data")
		}
		dir = parent
	}
}

// normalize is what the ingest pipeline does before analysis.
func normalize(s string) string { return analysis.Fold(clean.Normalize(s)) }

// words is the production tokenizer: the terms of analysis.Tokens.
func words(s string) []string {
	toks := analysis.Tokens(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Term
	}
	return out
}

// message is a labelled message, normalized once.
type message struct {
	id, title, body, category string
}

func loadMessages(dir string) (*category.Taxonomy, []message, error) {
	tf, err := os.Open(filepath.Join(dir, "gov-category-taxonomy.csv"))
	if err != nil {
		return nil, nil, err
	}
	defer tf.Close()
	tax, err := category.LoadTaxonomy(tf)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.Open(filepath.Join(dir, "gov-messages-labelled-494.csv"))
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var msgs []message
	bad, err := category.ReadMessages(f, tax, func(m category.Message) error {
		msgs = append(msgs, message{m.ID, normalize(m.Title), normalize(m.Body), m.Category})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for _, b := range bad {
		fmt.Printf("skipped messages row: %v\n", b)
	}
	fmt.Printf("messages: %d labelled, %d taxonomy leaves, %d first-level categories\n",
		len(msgs), len(tax.Nodes), len(tax.Level1()))
	return tax, msgs, nil
}
