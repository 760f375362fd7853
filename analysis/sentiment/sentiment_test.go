package sentiment

import (
	"bytes"
	"compress/gzip"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"minyi"
	"minyi/analysis/internal/linear"
)

func TestEmbeddedLexicon(t *testing.T) {
	if _, err := parseLexicon(); err != nil {
		t.Fatal(err)
	}
}

func TestLexiconLabels(t *testing.T) {
	l := NewLexicon()
	cases := []struct {
		text string
		want Label
	}{
		{"服务很好", Positive},
		{"服务不好", Negative},
		{"不差", Positive},
		{"我们没有感到满意", Negative},
		{"味道不错，但是送得太慢", Negative},
		{"虽然送得慢，但是味道非常好", Positive},
		{"多次反映，相关部门推诿扯皮，投诉无门", Negative},
		{"工地夜间施工严重扰民", Negative},
		{"开发商拖欠农民工工资", Negative},
		{"信件石沉大海，至今没有解决", Negative},
		{"感谢政府，为你们点赞", Positive},
		{"问题已解决，非常满意", Positive},
		{"请问公积金怎么提取", Neutral},
		{"好像下雨了", Neutral},
		{"希望尽快处理", Neutral},
		{"", Neutral},
	}
	for _, c := range cases {
		if got := l.Analyze(c.text); got.Label != c.want {
			t.Errorf("Analyze(%q) = %+v, want %s", c.text, got, c.want)
		}
	}
}

func TestLexiconRules(t *testing.T) {
	l := NewLexicon()
	score := func(s string) float64 { return l.Analyze(s).Score }
	if !(score("非常好") > score("好") && score("好") > score("稍微好")) {
		t.Errorf("degree adverbs do not scale: 非常好 %v, 好 %v, 稍微好 %v", score("非常好"), score("好"), score("稍微好"))
	}
	if !(score("很不好") < score("不太好") && score("不太好") < 0) {
		t.Errorf("很不好 %v should be below 不太好 %v, both negative", score("很不好"), score("不太好"))
	}
	if !(score("太差了！") < score("太差了")) {
		t.Errorf("exclamation does not strengthen: %v vs %v", score("太差了！"), score("太差了"))
	}
	// The negator reaches only a short window and never across a clause.
	if got := l.Analyze("没有，好"); got.Label != Positive {
		t.Errorf("negation crossed a comma: %+v", got)
	}
	if got := l.Analyze("不知道为什么他们说好"); got.Label != Positive {
		t.Errorf("negation reached past its window: %+v", got)
	}
	for _, s := range []string{"推诿扯皮", "好吃", "好", "差"} {
		if r := l.Analyze(strings.Repeat(s+"。", 200)); r.Score < -1 || r.Score > 1 {
			t.Errorf("score out of range: %v", r.Score)
		}
	}
}

var training = []Example{
	{Text: "饭菜很香，送得快", Label: Positive}, {Text: "味道好极了，下次还点", Label: Positive}, {Text: "快，热乎，好吃", Label: Positive},
	{Text: "包装精美，分量很足", Label: Positive}, {Text: "小哥态度好，赞", Label: Positive}, {Text: "好吃不贵，推荐", Label: Positive},
	{Text: "送了两个小时，饭都凉了", Label: Negative}, {Text: "太咸了，难吃", Label: Negative}, {Text: "少送了一份汤", Label: Negative},
	{Text: "等了很久，态度还差", Label: Negative}, {Text: "饭是凉的，菜也难吃", Label: Negative}, {Text: "再也不点了，难吃", Label: Negative},
}

// smallOptions train in milliseconds: a test needs behaviour, not accuracy.
var smallOptions = TrainOptions{Bits: 12, Epochs: 30, Rate: 0.3, L2: 1e-6, Seed: 1}

func TestModel(t *testing.T) {
	m, err := Train(training, smallOptions)
	if err != nil {
		t.Fatal(err)
	}
	if r := m.Analyze("好吃，推荐"); r.Label != Positive || r.Score <= 0 {
		t.Errorf("好吃，推荐 → %+v", r)
	}
	if r := m.Analyze("凉了，难吃"); r.Label != Negative || r.Score >= 0 {
		t.Errorf("凉了，难吃 → %+v", r)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf, map[string]string{"corpus": "test"}); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// Training quantizes the weights to what the file holds, so the loaded
	// model computes exactly what the trained one did.
	for _, s := range []string{"好吃，推荐", "凉了，难吃", "没见过"} {
		if a, b := m.Analyze(s), m2.Analyze(s); a != b {
			t.Errorf("loaded model: %q → %+v, original %+v", s, b, a)
		}
	}
	if m.Version() != m2.Version() || !strings.HasPrefix(m.Version(), "linear-") {
		t.Errorf("versions: trained %q, loaded %q", m.Version(), m2.Version())
	}
	other, err := Train(training[1:], smallOptions)
	if err != nil {
		t.Fatal(err)
	}
	if other.Version() == m.Version() {
		t.Errorf("two models trained on different data share version %q", m.Version())
	}
	var _ Analyzer = m
	var _ Analyzer = NewLexicon()
	var _ Analyzer = NewCivic(m)
}

func TestTrainRejects(t *testing.T) {
	if _, err := Train(training[:3], smallOptions); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("one label: err = %v", err)
	}
	if _, err := Train([]Example{{Text: "x", Label: "good"}, {Text: "y", Label: Negative}}, smallOptions); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("bad label: err = %v", err)
	}
}

func TestLoadRejects(t *testing.T) {
	m, err := Train(training, smallOptions)
	if err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	if err := m.Save(&good, nil); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"empty":     nil,
		"not gzip":  []byte(`{"version":1}`),
		"truncated": good.Bytes()[:good.Len()/2],
	} {
		if _, err := Load(bytes.NewReader(data)); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestDefaultModel checks the embedded model loads and reads plain reviews
// of domains it was and was not trained on (hotels, clothes); cmd/eval
// measures it.
func TestDefaultModel(t *testing.T) {
	m := Default()
	for text, want := range map[string]Label{
		"味道好极了，下次还点":      Positive,
		"送了两个小时，饭都凉了，差评":  Negative,
		"房间干净，前台服务很周到":    Positive,
		"质量太差了，穿了一次就开线":   Negative,
		"物流很快，手机用着很流畅，满意": Positive,
		"客服态度恶劣，再也不买了":    Negative,
	} {
		if got := m.Analyze(text); got.Label != want {
			t.Errorf("Default().Analyze(%q) = %+v, want %s", text, got, want)
		}
	}
	if p := m.Probabilities("还行"); len(p) != 2 || math.Abs(p[Positive]+p[Negative]-1) > 1e-9 {
		t.Errorf("probabilities %v: want 正面 and 负面 summing to 1", p)
	}
}

func TestReadExamples(t *testing.T) {
	in := "label,review\n1,很好吃\n0,\"难吃\n得很\"\nx,什么\n1,\n0,\"bad \"quote\"\n负面,太慢\n"
	var got []Example
	bad, err := ReadExamples(strings.NewReader(in), func(e Example) error { got = append(got, e); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[1].Text != "难吃\n得很" || got[2].Label != Negative {
		t.Errorf("examples = %+v", got)
	}
	wantLines := []int{5, 6, 7}
	if len(bad) != len(wantLines) {
		t.Fatalf("bad rows = %v, want lines %v", bad, wantLines)
	}
	for i, l := range wantLines {
		if bad[i].Line != l {
			t.Errorf("bad row %d at line %d, want %d (%v)", i, bad[i].Line, l, bad[i])
		}
	}
	if _, err := ReadExamples(strings.NewReader("a,b\n1,2\n"), func(Example) error { return nil }); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("missing columns: err = %v", err)
	}
}

func TestReadExamplesTSV(t *testing.T) {
	// NLPCC 2014's export: CSV-quoted fields in a TSV, bare quotes in others,
	// an extra column; SenticNet's labels are 1 and -1.
	in := "label\ttext_a\textra\n1\t\"他说\"\"好\"\"\"\t9\n0\t说\"差\"的\t3\n-1\t坏了\n\t无标签\n"
	var got []Example
	bad, err := ReadExamples(strings.NewReader(in), func(e Example) error { got = append(got, e); return nil })
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{{Text: `他说"好"`, Label: Positive}, {Text: `说"差"的`, Label: Negative}, {Text: "坏了", Label: Negative}}
	if !slices.Equal(got, want) {
		t.Errorf("examples = %q, want %q", got, want)
	}
	if len(bad) != 1 || bad[0].Line != 5 {
		t.Errorf("bad rows = %v, want line 5", bad)
	}
}

func FuzzReadExamples(f *testing.F) {
	f.Add("label,review\n1,好\n0,\"差\n评\"\n")
	f.Add("label\ttext\n1\t\"好\"\"\"\n-1\t差\n")
	f.Add("label\ttext\n\"1\t好\n")
	f.Fuzz(func(t *testing.T, in string) {
		last := 0
		bad, err := ReadExamples(strings.NewReader(in), func(e Example) error {
			if !e.Label.Valid() || strings.TrimSpace(e.Text) != e.Text || e.Text == "" {
				t.Fatalf("example %+v", e)
			}
			return nil
		})
		if err != nil && minyi.ErrorCode(err) != minyi.EINVALID {
			t.Fatalf("error %v is not EINVALID", err)
		}
		for _, b := range bad {
			if b.Line < last {
				t.Fatalf("bad rows out of order: %v", bad)
			}
			last = b.Line
		}
	})
}

// TestExampleWeightsBalanceSources: with BalanceSources a corpus of 2
// examples weighs as much as one of 10, and within each corpus both classes
// weigh alike, whatever their counts.
func TestExampleWeightsBalanceSources(t *testing.T) {
	var exs []Example
	add := func(source string, label Label, n int) {
		for range n {
			exs = append(exs, Example{Text: "x", Label: label, Source: source})
		}
	}
	add("big", Positive, 8)
	add("big", Negative, 2)
	add("small", Positive, 1)
	add("small", Negative, 1)
	sums := map[string]float64{}
	w := exampleWeights(exs, true)
	for i, ex := range exs {
		sums[ex.Source+string(ex.Label)] += w[i]
	}
	for g, s := range sums {
		if math.Abs(s-float64(len(exs))/4) > 1e-9 {
			t.Errorf("%s weighs %.3f, want %.3f: %v", g, s, float64(len(exs))/4, sums)
		}
	}
	for i, x := range exampleWeights(exs, false) {
		if x != 0 {
			t.Fatalf("without BalanceSources example %d weighs %v, want 0 (linear.Train's default of 1)", i, x)
		}
	}
	if _, err := Train(append(slices.Clone(training), Example{Text: "一般", Label: Negative, Source: "other"}), TrainOptions{Bits: 12, Epochs: 3, Rate: 0.3, Seed: 1, BalanceSources: true}); err != nil {
		t.Fatal(err)
	}
}

// TestNegationScope: the characters after a negator, up to the end of the
// clause, add negated features; the same words without the negator, or in
// the next clause, do not.
func TestNegationScope(t *testing.T) {
	bag, lex := linear.NewBag(18), NewLexicon()
	negated := func(text, ch string) bool {
		x, _ := featurize(bag, lex, text, true)
		h := linear.HashString(seedNegated, ch) & (1<<18 - 1)
		return slices.Contains(x.Index, h)
	}
	for _, c := range []struct {
		text, ch string
		want     bool
	}{
		{"不是很满意", "满", true},
		{"不是很满意", "满意", true},
		{"满意", "满", false},
		{"不，满意", "满", false},
		{"没有及时处理，很满意", "满", false},
	} {
		if got := negated(c.text, c.ch); got != c.want {
			t.Errorf("%s: %s negated = %v, want %v", c.text, c.ch, got, c.want)
		}
	}
}

// TestLoadV1Model: a city's model trained before the negation scope loads
// and is read without it, as it was trained.
func TestLoadV1Model(t *testing.T) {
	m, err := Train(training, smallOptions)
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := m.Save(&file, nil); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&file)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var v1 bytes.Buffer
	zw := gzip.NewWriter(&v1)
	zw.Write(bytes.Replace(plain, []byte(featureSet), []byte(featuresV1), 1))
	zw.Close()
	old, err := Load(&v1)
	if err != nil {
		t.Fatal(err)
	}
	if !m.negated || old.negated {
		t.Errorf("negation scope: trained %v, v1 file %v; want true, false", m.negated, old.negated)
	}
	if r := old.Analyze("凉了，难吃"); r.Label != Negative {
		t.Errorf("v1 model: 凉了，难吃 → %+v", r)
	}
}
