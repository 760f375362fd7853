package sentiment

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"unicode"

	"minyi"
)

// bigrams is the test tokenizer: overlapping character pairs of each run of
// letters and digits. The package must work with any tokenizer; production
// passes the gse segmenter.
func bigrams(s string) []string {
	var out []string
	for _, run := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		rs := []rune(run)
		if len(rs) == 1 {
			out = append(out, run)
		}
		for i := 0; i+1 < len(rs); i++ {
			out = append(out, string(rs[i:i+2]))
		}
	}
	return out
}

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
	{"饭菜很香，送得快", Positive}, {"味道好极了，下次还点", Positive}, {"快，热乎，好吃", Positive},
	{"包装精美，分量很足", Positive}, {"小哥态度好，赞", Positive}, {"好吃不贵，推荐", Positive},
	{"送了两个小时，饭都凉了", Negative}, {"太咸了，难吃", Negative}, {"少送了一份汤", Negative},
	{"等了很久，态度还差", Negative}, {"饭是凉的，菜也难吃", Negative}, {"再也不点了，难吃", Negative},
}

func TestModel(t *testing.T) {
	m, err := Train(training, bigrams)
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
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(&buf, bigrams)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"好吃，推荐", "凉了，难吃", "没见过"} {
		// Sums over a map's features differ in the last bit between calls.
		if a, b := m.Analyze(s), m2.Analyze(s); a.Label != b.Label || math.Abs(a.Score-b.Score) > 1e-9 {
			t.Errorf("loaded model: %q → %+v, original %+v", s, b, a)
		}
	}
	var _ Analyzer = m
	var _ Analyzer = NewLexicon()
}

func TestTrainRejects(t *testing.T) {
	if _, err := Train(training[:3], bigrams); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("one label: err = %v", err)
	}
	if _, err := Train([]Example{{"x", "good"}, {"y", Negative}}, bigrams); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("bad label: err = %v", err)
	}
	if _, err := Load(strings.NewReader(`{"version":1,"classes":["好","坏"],"alpha":1,"docs":[1,1],"mass":[1,1]}`), bigrams); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("foreign classes: err = %v", err)
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
