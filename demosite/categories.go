package demosite

import (
	"slices"
	"time"
)

// Categories are the first-level categories of the official taxonomy
// (gov-category-taxonomy.csv) that the demo's topics belong to. They live
// here, not in a data file, so that the demo runs with nothing but the
// binary.
func Categories() []string {
	var out []string
	for _, tp := range topics {
		if !slices.Contains(out, tp.category) {
			out = append(out, tp.category)
		}
	}
	slices.Sort(out)
	return out
}

// Example is one message of a demo city's history with its category.
type Example struct {
	Title, Body, Category string
}

// TrainingHistory returns n messages of a demo city's past, forum first
// posts and mailbox letters, each labelled with its topic's first-level
// category, for training a category model at first start. The history is
// generated with its own seed and span, so it is not the content the demo
// site then serves: a model evaluated on the site has not seen it.
func TrainingHistory(n int, seed int64) []Example {
	if n <= 0 {
		return nil
	}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	s := New(Options{Seed: seed, Threads: n/2 + 1, Letters: n - n/2, Start: start,
		Now: func() time.Time { return start.Add(span) }})
	out := make([]Example, 0, n+1)
	for _, t := range s.Threads() {
		if t.Category != "" {
			out = append(out, Example{Title: t.Title, Body: t.Body, Category: t.Category})
		}
	}
	for _, l := range s.Letters() {
		out = append(out, Example{Title: l.Title, Body: l.Body, Category: l.Category})
	}
	return out[:min(n, len(out))]
}
