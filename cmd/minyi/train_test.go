package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/analysis/pipeline"
)

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTrainSentimentReportsBadRowsAndWritesALoadableModel(t *testing.T) {
	dir := t.TempDir()
	csv := "label,review\n" +
		strings.Repeat("1,很快，好吃，味道足，量大，非常满意\n正面,服务热情，送得准时，好评\n", 5) +
		"maybe,不知道怎么说\n" + // line 12: bad label
		strings.Repeat("0,送得太慢了，饭都凉了，差评\n负面,难吃，再也不点了，退款\n", 5)
	data := writeFile(t, dir, "reviews.csv", csv)
	model := filepath.Join(dir, "sentiment.model")
	var stdout, stderr bytes.Buffer
	if err := runTrainSentiment([]string{data, "-o", model}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "reviews.csv: line 12:") {
		t.Errorf("bad row not reported with its line: %q", stderr.String())
	}
	if !strings.Contains(stdout.String(), "trained on 20 rows") || !strings.Contains(stdout.String(), "1 skipped") {
		t.Errorf("summary: %q", stdout.String())
	}
	a, err := pipeline.New(context.Background(), nil, pipeline.Options{SentimentModel: model})
	if err != nil {
		t.Fatal(err)
	}
	res := a.Analyze([]minyi.Document{{ID: "x", Title: "差评", Body: "送得太慢，饭凉了，难吃", Published: time.Now()}})
	if res[0].Analysis.Sentiment != minyi.SentimentNegative {
		t.Errorf("trained model says %+v", res[0].Analysis)
	}
}

// TestTrainSentimentOnSeveralFiles: make train-sentiment trains on CSV and
// tab-separated corpora at once, and the model records what it was trained on.
func TestTrainSentimentOnSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	csv := writeFile(t, dir, "a.csv", "label,review\n"+strings.Repeat("1,很快，好吃，非常满意\n0,送得太慢了，差评\n", 5))
	tsv := writeFile(t, dir, "b.tsv", "label\ttext\n"+strings.Repeat("1\t屏幕清晰，手感很好\n-1\t电池不耐用，发热严重\n", 5))
	model := filepath.Join(dir, "m")
	var stdout, stderr bytes.Buffer
	if err := runTrainSentiment([]string{csv, tsv, "-o", model}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "trained on 20 rows (正面 10, 负面 10), 0 skipped") || !strings.Contains(stdout.String(), "version linear-") {
		t.Errorf("summary: %q", stdout.String())
	}
	raw, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	header, _ := bufio.NewReader(zr).ReadString('\n')
	if !strings.Contains(header, `"sha256:a.csv"`) || !strings.Contains(header, `"sha256:b.tsv"`) {
		t.Errorf("model header does not record its training files: %s", header)
	}
}

func TestTrainSentimentRejects(t *testing.T) {
	dir := t.TempDir()
	one := writeFile(t, dir, "one.csv", "label,review\n1,好吃\n1,很好\n")
	nocol := writeFile(t, dir, "nocol.csv", "score,comment\n1,好吃\n")
	for name, args := range map[string][]string{
		"one label":                           {one, "-o", filepath.Join(dir, "m")},
		"no text column":                      {nocol},
		"no file":                             {},
		"a second file without a text column": {one, nocol},
		"missing file":                        {filepath.Join(dir, "missing.csv")},
	} {
		var out, errw bytes.Buffer
		if err := runTrainSentiment(args, &out, &errw); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "m")); err == nil {
		t.Error("a model was written for a file that trains nothing")
	}
}

func TestTrainCategories(t *testing.T) {
	taxonomy := filepath.Join("..", "..", "..", "shared", "data", "gov-category-taxonomy.csv")
	if _, err := os.Stat(taxonomy); err != nil {
		t.Skipf("official taxonomy not available (%v)", err)
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,title,time,body,category\n")
	for range 5 {
		b.WriteString("1,河道发黑有异味,2020/1/6 12:09:38,附近工厂排污，河道污染严重，请环保部门查处,环境保护\n")
		b.WriteString("2,小区电梯经常故障,2020/1/6 12:09:38,物业不维修电梯，老人上下楼困难，安全隐患大,城乡建设\n")
	}
	b.WriteString("3,标题,2020/1/6,正文,不存在的类别\n") // line 12
	data := writeFile(t, dir, "messages.csv", b.String())
	model := filepath.Join(dir, "categories.model")
	var stdout, stderr bytes.Buffer
	if err := runTrainCategories([]string{data, "-taxonomy", taxonomy, "-o", model}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "messages.csv: line 12:") {
		t.Errorf("bad row not reported with its line: %q", stderr.String())
	}
	a, err := pipeline.New(context.Background(), nil, pipeline.Options{CategoryModel: model})
	if err != nil {
		t.Fatal(err)
	}
	res := a.Analyze([]minyi.Document{{ID: "x", Title: "工厂偷偷排污", Body: "河道污染，水发黑", Published: time.Now()}})
	if res[0].Analysis.Category != "环境保护" {
		t.Errorf("category %+v", res[0].Analysis)
	}
	var out, errw bytes.Buffer
	if err := runTrainCategories([]string{data}, &out, &errw); err == nil || !strings.Contains(err.Error(), "-taxonomy") {
		t.Errorf("without -taxonomy: %v", err)
	}
}
