package category

import (
	"strings"
	"testing"
)

func TestStratifiedFoldsKeepEachClassShare(t *testing.T) {
	classes := strings.Split("a a a a b b b b b b c c", " ")
	fold := StratifiedFolds(classes, 2)
	per := map[[2]string]int{}
	for i, c := range classes {
		per[[2]string{c, string(rune('0' + fold[i]))}]++
	}
	for _, c := range []string{"a", "b", "c"} {
		if per[[2]string{c, "0"}] != per[[2]string{c, "1"}] {
			t.Errorf("class %s split %d / %d over two folds", c, per[[2]string{c, "0"}], per[[2]string{c, "1"}])
		}
	}
}

func TestScore(t *testing.T) {
	want := []string{"交通", "交通", "教育", "教育"}
	got := []string{"交通", "教育", "教育", "医疗"}
	acc, macro, per := Score(want, got)
	if acc != 0.5 {
		t.Errorf("accuracy %v, want 0.5", acc)
	}
	// 交通: P 1, R 0.5, F1 2/3; 教育: P 0.5, R 0.5, F1 0.5; 医疗 never labelled.
	if d := macro - (2.0/3+0.5)/2; d > 1e-9 || d < -1e-9 {
		t.Errorf("macro-F1 %v", macro)
	}
	if len(per) != 2 || per[0].Name != "交通" || per[1].Name != "教育" {
		t.Errorf("per-class %+v, want the two labelled categories", per)
	}
}

// Cross-validation scores a model on what it did not see: two categories
// with words of their own are told apart, and a history too small is an
// error.
func TestCrossValidate(t *testing.T) {
	var exs []Example
	for i := range 20 {
		exs = append(exs, Example{Title: "公交线路调整", Body: "公交车 站台 线路 班次 " + strings.Repeat("车", i%3), Category: "交通运输"})
		exs = append(exs, Example{Title: "学校招生问题", Body: "学校 招生 学位 老师 " + strings.Repeat("学", i%3), Category: "教育文体"})
	}
	v, err := CrossValidate(exs, nil, fields, 5)
	if err != nil {
		t.Fatal(err)
	}
	if v.Examples != 40 || v.Folds != 5 || v.Accuracy < 0.9 || v.MacroF1 < 0.9 || len(v.Classes) != 2 {
		t.Errorf("validation %+v", v)
	}
	if _, err := CrossValidate(exs[:3], nil, fields, 5); err == nil {
		t.Error("3 examples over 5 folds: no error")
	}
}

func fields(s string) []string { return strings.Fields(s) }
