package main

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"time"

	"minyi/analysis/event"
	"minyi/demosite"
)

// evalDemoEvents clusters the demo city's threads and letters, whose
// generator knows each one's event (a topic at a place), and prints
// B-cubed precision and recall and the classic purity and inverse purity.
func evalDemoEvents() {
	site := demosite.New(demosite.Options{Seed: 1, Threads: 600, Letters: 400,
		Start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)})
	type doc struct {
		id, title, body, event string
		at                     time.Time
	}
	var docs []doc
	for _, t := range site.Threads() {
		if t.Event != "" {
			docs = append(docs, doc{fmt.Sprint("t", t.TID), t.Title, t.Body, t.Event, t.Published})
		}
	}
	for _, l := range site.Letters() {
		docs = append(docs, doc{"l" + l.No, l.Title, l.Body, l.Event, l.Published})
	}
	slices.SortStableFunc(docs, func(a, b doc) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	x := event.NewExtractor(nil)
	c := event.New(event.Options{})
	got, gold, alias := map[string]string{}, map[string]string{}, map[string]string{}
	for _, d := range docs {
		a := c.Assign(event.Doc{ID: d.id, Published: d.at, Features: x.Features(normalize(d.title), normalize(d.body))})
		for _, ab := range a.Absorbed {
			alias[ab] = a.Event
		}
		got[d.id], gold[d.id] = a.Event, d.event
	}
	for id, e := range got {
		for alias[e] != "" {
			e = alias[e]
		}
		got[id] = e
	}
	p, r := bcubed(got, gold)
	pur, inv := purity(got, gold), purity(gold, got)
	fmt.Printf("\n== events on the demo city: %d threads and letters about %d events (topics at places) → %d events\n",
		len(docs), countDistinct(gold), countDistinct(got))
	if os.Getenv("MINYI_EVAL_SPLITS") != "" {
		printConfusion(got, gold)
	}
	fmt.Printf("B-cubed precision %.3f, recall %.3f; purity %.3f, inverse purity %.3f (target ≥ 0.95)\n", p, r, pur, inv)
}

// purity is the share of documents in the majority gold class of their
// cluster; purity(gold, got) is inverse purity, a recall.
func purity(got, gold map[string]string) float64 {
	counts := map[string]map[string]int{}
	for id, c := range got {
		if counts[c] == nil {
			counts[c] = map[string]int{}
		}
		counts[c][gold[id]]++
	}
	var sum int
	for _, m := range counts {
		best := 0
		for _, n := range m {
			best = max(best, n)
		}
		sum += best
	}
	return float64(sum) / float64(len(got))
}

func printConfusion(got, gold map[string]string) {
	m := map[string]map[string]int{}
	for id, c := range got {
		if m[c] == nil {
			m[c] = map[string]int{}
		}
		m[c][gold[id]]++
	}
	for c, g := range m {
		fmt.Println("  cluster", c, g)
	}
}
