package category

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode"

	"minyi"
)

// bigrams is the test tokenizer; production passes the gse segmenter.
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

const taxonomyCSV = `level1,level2,level3
交通运输,出租车管理,出租车
交通运输,客货运输,公交运营
交通运输,其他,其他
教育文体,教师队伍和待遇,教师待遇
教育文体,教育体制,招生考试
教育文体,其他,其他
`

var examples = []Example{
	{"出租车拒载", "晚上打车司机拒载还绕路", "交通运输"},
	{"公交车晚点", "12路公交车经常晚点半小时", "交通运输"},
	{"公交线路调整建议", "希望增加公交线路方便出行", "交通运输"},
	{"出租车乱收费", "司机不打表乱收费", "交通运输"},
	{"教师工资拖欠", "乡村教师工资三个月没发", "教育文体"},
	{"学校乱收补课费", "学校组织学生补课收费", "教育文体"},
	{"招生考试不公平", "小学招生考试有暗箱操作", "教育文体"},
	{"幼儿园学位不足", "小区幼儿园学位太少孩子无法入学", "教育文体"},
}

func mustTaxonomy(t *testing.T) *Taxonomy {
	t.Helper()
	tax, err := LoadTaxonomy(strings.NewReader(taxonomyCSV))
	if err != nil {
		t.Fatal(err)
	}
	return tax
}

func TestPredictAndLevel2(t *testing.T) {
	tax := mustTaxonomy(t)
	if got := tax.Level1(); len(got) != 2 || got[0] != "交通运输" {
		t.Fatalf("Level1() = %v", got)
	}
	m, err := Train(examples, tax, bigrams)
	if err != nil {
		t.Fatal(err)
	}
	p := m.Predict("出租车司机拒载", "昨晚在火车站打出租车被拒载")
	if p.Level1 != "交通运输" || p.Confidence < 0.5 || p.Confidence > 1 {
		t.Errorf("prediction %+v", p)
	}
	m.SetLevel2Confidence(0)
	if p := m.Predict("出租车司机拒载", "昨晚在火车站打出租车被拒载"); p.Level2 != "出租车管理" {
		t.Errorf("level 2 of a taxi complaint: %+v", p)
	}
	if p := m.Predict("教师待遇", "我们学校教师待遇低"); p.Level1 != "教育文体" || p.Level2 != "教师队伍和待遇" {
		t.Errorf("level 2 of a teacher complaint: %+v", p)
	}
	// No keyword of any group: level 2 stays empty rather than guessed.
	if p := m.Predict("学校门口", "学生放学时很乱"); p.Level2 != "" {
		t.Errorf("level 2 guessed without evidence: %+v", p)
	}
	m.SetLevel2Confidence(1.01)
	if p := m.Predict("教师待遇", "我们学校教师待遇低"); p.Level2 != "" {
		t.Errorf("level 2 given below the confidence threshold: %+v", p)
	}
}

func TestSaveLoad(t *testing.T) {
	m, err := Train(examples, mustTaxonomy(t), bigrams)
	if err != nil {
		t.Fatal(err)
	}
	m.SetLevel2Confidence(0.3)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(&buf, bigrams)
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range examples {
		a, b := m.Predict(ex.Title, ex.Body), m2.Predict(ex.Title, ex.Body)
		if a.Level1 != b.Level1 || a.Level2 != b.Level2 || math.Abs(a.Confidence-b.Confidence) > 1e-9 {
			t.Errorf("%q: loaded %+v, original %+v", ex.Title, b, a)
		}
	}
	for _, bad := range []string{"{", `{"format":"other"}`, `{"format":"minyi-category-model","naive_bayes":{"version":1,"classes":["a"]}}`} {
		if _, err := Load(strings.NewReader(bad), bigrams); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("Load(%q) err = %v", bad, err)
		}
	}
}

func TestTrainRejects(t *testing.T) {
	tax := mustTaxonomy(t)
	if _, err := Train(append(examples[:2:2], Example{"x", "y", "宇宙探索"}), tax, bigrams); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("unknown category: err = %v", err)
	}
	if _, err := Train(examples[:3], tax, bigrams); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("one category: err = %v", err)
	}
}

func TestLoadTaxonomyRejects(t *testing.T) {
	for _, in := range []string{"", "a,b,c\n1,2,3\n", "level1,level2,level3\n", "level1,level2,level3\n交通运输,,x\n", "level1,level2,level3\n交通运输,x\n"} {
		if _, err := LoadTaxonomy(strings.NewReader(in)); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("LoadTaxonomy(%q) err = %v", in, err)
		}
	}
}

func TestReadMessages(t *testing.T) {
	in := "id,title,time,body,category\n" +
		"1,公交晚点,2020/1/6 12:09:38,\"多行\n正文\",交通运输\n" + // lines 2-3
		"2,,2020/1/6 12:09:38,,交通运输\n" + // 4: no text
		"3,标题,2020/1/6,正文,宇宙探索\n" + // 5: unknown category
		"4,标题,2020/1/6,正文\n" + // 6: short row
		"5,\"坏\"引号,2020/1/6,正文,交通运输\n" + // 7: bad quoting
		"6,学校,2020/1/6,补课,教育文体\n" + // 8
		"7,标题,2020/1/6,正文,\n" // 9: no category
	var got []Message
	bad, err := ReadMessages(strings.NewReader(in), mustTaxonomy(t), func(m Message) error { got = append(got, m); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Body != "多行\n正文" || got[0].Line != 2 || got[1].Line != 8 || got[1].ID != "6" {
		t.Errorf("messages = %+v", got)
	}
	want := []int{4, 5, 6, 7, 9}
	if len(bad) != len(want) {
		t.Fatalf("bad rows %v, want lines %v", bad, want)
	}
	for i := range want {
		if bad[i].Line != want[i] {
			t.Errorf("bad row %v, want line %d", bad[i], want[i])
		}
	}
	if _, err := ReadMessages(strings.NewReader("id,title,body\n"), nil, nil); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("missing category column: err = %v", err)
	}
}

// dataDir is ../shared/data relative to the repository root.
func dataDir(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dir, "gov-messages-labelled-494.csv")); err != nil {
		t.Skipf("development data not available (%v); see DESIGN.md", err)
	}
	return dir
}

// TestLabelledSample trains on four fifths of the real labelled messages
// and checks the rest: a regression guard, not the evaluation (cmd/eval).
func TestLabelledSample(t *testing.T) {
	dir := dataDir(t)
	tf, err := os.Open(filepath.Join(dir, "gov-category-taxonomy.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer tf.Close()
	tax, err := LoadTaxonomy(tf)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "gov-messages-labelled-494.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var train, test []Example
	bad, err := ReadMessages(f, tax, func(m Message) error {
		ex := Example{m.Title, m.Body, m.Category}
		if len(train)%5 == 4 && len(test) < len(train)/4 {
			test = append(test, ex)
		} else {
			train = append(train, ex)
		}
		return nil
	})
	if err != nil || len(bad) > 0 {
		t.Fatalf("reading sample: %v %v", err, bad)
	}
	if n := len(train) + len(test); n != 494 {
		t.Fatalf("read %d messages, want 494", n)
	}
	m, err := Train(train, tax, bigrams)
	if err != nil {
		t.Fatal(err)
	}
	right := 0
	for _, ex := range test {
		if m.Predict(ex.Title, ex.Body).Level1 == ex.Category {
			right++
		}
	}
	acc := float64(right) / float64(len(test))
	t.Logf("held-out accuracy %.3f on %d messages", acc, len(test))
	if acc < 0.7 {
		t.Errorf("held-out accuracy %.2f on %d messages, want ≥ 0.70", acc, len(test))
	}
}
