package main

import (
	"fmt"
	"slices"
	"sort"

	"minyi/analysis/category"
)

// stratifiedFolds gives each item a fold 0..k-1: within each class, in id
// order, round robin. Deterministic and keeps class shares equal per fold.
func stratifiedFolds(n, k int, class func(int) string, key func(int) string) []int {
	byClass := map[string][]int{}
	for i := range n {
		byClass[class(i)] = append(byClass[class(i)], i)
	}
	classes := make([]string, 0, len(byClass))
	for c := range byClass {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	fold := make([]int, n)
	next := 0
	for _, c := range classes {
		idx := byClass[c]
		sort.SliceStable(idx, func(a, b int) bool { return key(idx[a]) < key(idx[b]) })
		for _, i := range idx {
			fold[i] = next % k
			next++
		}
	}
	return fold
}

type scored struct {
	want, got  string
	confidence float64
	level2     string
}

func evalCategories(tax *category.Taxonomy, msgs []message) {
	const k = 5
	fold := stratifiedFolds(len(msgs), k, func(i int) string { return msgs[i].category }, func(i int) string { return fmt.Sprintf("%08s", msgs[i].id) })
	results := make([]scored, len(msgs))
	for f := range k {
		var train []category.Example
		for i, m := range msgs {
			if fold[i] != f {
				train = append(train, category.Example{Title: m.title, Body: m.body, Category: m.category})
			}
		}
		model, err := category.Train(train, tax, words)
		if err != nil {
			fail(err)
		}
		for i, m := range msgs {
			if fold[i] == f {
				p := model.Predict(m.title, m.body)
				results[i] = scored{m.category, p.Level1, p.Confidence, p.Level2}
			}
		}
	}
	fmt.Printf("\n== categories: logistic regression, words + bigrams of title and body + taxonomy leaves, %d-fold stratified CV on %d messages\n", k, len(msgs))
	report("level 1", results)
	_, _, perClass := classification(results)
	names := make([]string, 0, len(perClass))
	for c := range perClass {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		s := perClass[c]
		fmt.Printf("  %-10s support %3d  precision %.3f  recall %.3f  F1 %.3f\n", c, s.support, s.precision, s.recall, s.f1)
	}
	fmt.Println("reliability (level-1 confidence ≥ t: share of messages, accuracy among them):")
	for _, t := range []float64{0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9} {
		n, right := 0, 0
		for _, r := range results {
			if r.confidence >= t {
				n++
				if r.got == r.want {
					right++
				}
			}
		}
		if n > 0 {
			fmt.Printf("  t=%.1f  coverage %.3f  accuracy %.3f\n", t, float64(n)/float64(len(results)), float64(right)/float64(n))
		}
	}
	withL2 := 0
	var samples []string
	for i, r := range results {
		if r.level2 != "" {
			withL2++
			if len(samples) < 8 && i%7 == 0 {
				samples = append(samples, fmt.Sprintf("  %s → %s / %s", clip(msgs[i].title, 28), r.got, r.level2))
			}
		}
	}
	fmt.Printf("level 2 (taxonomy keywords, no level-2 labels to score against): given for %.3f of messages; samples:\n",
		float64(withL2)/float64(len(results)))
	for _, s := range samples {
		fmt.Println(s)
	}
}

type classScore struct {
	support, predicted    int
	precision, recall, f1 float64
}

// classification returns accuracy, macro-F1 over the labelled classes and
// per-class scores.
func classification(rs []scored) (float64, float64, map[string]classScore) {
	tp, fp, fn := map[string]int{}, map[string]int{}, map[string]int{}
	var classes []string
	right := 0
	for _, r := range rs {
		for _, c := range []string{r.want, r.got} {
			if !slices.Contains(classes, c) {
				classes = append(classes, c)
			}
		}
		if r.got == r.want {
			right++
			tp[r.want]++
		} else {
			fp[r.got]++
			fn[r.want]++
		}
	}
	per := map[string]classScore{}
	var macro float64
	labelled := 0
	for _, c := range classes {
		s := classScore{support: tp[c] + fn[c], predicted: tp[c] + fp[c]}
		if tp[c]+fp[c] > 0 {
			s.precision = float64(tp[c]) / float64(tp[c]+fp[c])
		}
		if tp[c]+fn[c] > 0 {
			s.recall = float64(tp[c]) / float64(tp[c]+fn[c])
		}
		if s.precision+s.recall > 0 {
			s.f1 = 2 * s.precision * s.recall / (s.precision + s.recall)
		}
		per[c] = s
		// A class only ever predicted (中性 on a two-class review corpus)
		// is an error of the others' recall, not a class to average over.
		if s.support > 0 {
			macro += s.f1
			labelled++
		}
	}
	return float64(right) / float64(len(rs)), macro / float64(labelled), per
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
