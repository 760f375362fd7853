package category

import (
	"slices"

	"minyi"
)

// Validation is how a model trained on a history does on the part of it
// that it was not trained on: what an admin reads before putting the model
// in force.
type Validation struct {
	Examples int          `json:"examples"`
	Folds    int          `json:"folds"`
	Accuracy float64      `json:"accuracy"`
	MacroF1  float64      `json:"macro_f1"`
	Classes  []ClassScore `json:"classes"` // by name
}

// ClassScore is one category's share of a Validation.
type ClassScore struct {
	Name      string  `json:"name"`
	Support   int     `json:"support"` // examples labelled with it
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// StratifiedFolds gives each of the examples labelled classes a fold
// 0..k-1, round robin within each class in the order given: every fold
// holds each class's share, and the same history gives the same folds.
func StratifiedFolds(classes []string, k int) []int {
	names := slices.Clone(classes)
	slices.Sort(names)
	names = slices.Compact(names)
	fold := make([]int, len(classes))
	next := 0
	for _, c := range names {
		for i, ci := range classes {
			if ci == c {
				fold[i] = next % k
				next++
			}
		}
	}
	return fold
}

// CrossValidate trains k models, each on all folds but one, and scores
// each on the fold it did not see.
func CrossValidate(examples []Example, tax *Taxonomy, tok Tokenizer, k int) (Validation, error) {
	if k < 2 || len(examples) < k {
		return Validation{}, minyi.Errorf(minyi.EINVALID, "cross-validation needs at least %d examples, got %d", max(k, 2), len(examples))
	}
	want := make([]string, len(examples))
	for i, ex := range examples {
		want[i] = ex.Category
	}
	fold := StratifiedFolds(want, k)
	got := make([]string, len(examples))
	for f := range k {
		var train []Example
		for i, ex := range examples {
			if fold[i] != f {
				train = append(train, ex)
			}
		}
		m, err := Train(train, tax, tok)
		if err != nil {
			return Validation{}, err
		}
		for i, ex := range examples {
			if fold[i] == f {
				got[i] = m.Predict(ex.Title, ex.Body).Level1
			}
		}
	}
	v := Validation{Examples: len(examples), Folds: k}
	v.Accuracy, v.MacroF1, v.Classes = Score(want, got)
	return v, nil
}

// Score compares predicted categories with the labelled ones: accuracy,
// macro-F1 over the labelled categories and each category's scores. A
// category only ever predicted is an error of the others' recall, not a
// class to average over.
func Score(want, got []string) (accuracy, macroF1 float64, classes []ClassScore) {
	tp, fp, fn := map[string]int{}, map[string]int{}, map[string]int{}
	names := slices.Concat(want, got)
	slices.Sort(names)
	names = slices.Compact(names)
	right := 0
	for i := range want {
		if want[i] == got[i] {
			right++
			tp[want[i]]++
		} else {
			fp[got[i]]++
			fn[want[i]]++
		}
	}
	labelled := 0
	for _, c := range names {
		s := ClassScore{Name: c, Support: tp[c] + fn[c]}
		if tp[c]+fp[c] > 0 {
			s.Precision = float64(tp[c]) / float64(tp[c]+fp[c])
		}
		if s.Support > 0 {
			s.Recall = float64(tp[c]) / float64(s.Support)
		}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		if s.Support > 0 {
			macroF1 += s.F1
			labelled++
			classes = append(classes, s)
		}
	}
	if len(want) == 0 || labelled == 0 {
		return 0, 0, classes
	}
	return float64(right) / float64(len(want)), macroF1 / float64(labelled), classes
}
