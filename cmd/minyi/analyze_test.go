package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minyi/analysis/texts"
)

func analyzeOut(t *testing.T, input string, args ...string) []analyzed {
	t.Helper()
	var out bytes.Buffer
	if err := runAnalyze(context.Background(), args, strings.NewReader(input), &out); err != nil {
		t.Fatalf("analyze %v: %v", args, err)
	}
	var res []analyzed
	dec := json.NewDecoder(&out)
	for dec.More() {
		var a analyzed
		if err := dec.Decode(&a); err != nil {
			t.Fatal(err)
		}
		res = append(res, a)
	}
	return res
}

func TestAnalyzeLines(t *testing.T) {
	complaint := "小区旁工地每天夜里施工到凌晨两点，噪音严重扰民，多次投诉无人处理，希望有关部门尽快查处。"
	in := "感谢社区帮我们修好了路灯，点赞！\n" +
		"请问公积金怎么提取？\r\n" +
		complaint + "\n" +
		"\n" +
		"转帖：" + complaint + "\n" +
		"味道不错，送得也快"
	res := analyzeOut(t, in)
	if len(res) != 6 {
		t.Fatalf("%d results for 6 lines: %+v", len(res), res)
	}
	for i, want := range []string{"正面", "中性", "负面", "中性"} {
		if res[i].Sentiment != want || res[i].Line != i+1 {
			t.Errorf("line %d: %+v, want %s", i+1, res[i], want)
		}
	}
	if res[4].Topic != "3" || res[2].Topic != "3" {
		t.Errorf("the repost on line 5 and its original on line 3: topics %q and %q, want both \"3\"", res[4].Topic, res[2].Topic)
	}
	if res[5].Polarity != "正面" || res[5].PolarityScore <= 0 || res[5].Category != "" {
		t.Errorf("last line (no newline): %+v", res[5])
	}
	// A window of two forgets the original before the repost comes.
	res = analyzeOut(t, in, "-window", "2")
	if res[4].Topic != "5" {
		t.Errorf("with -window 2 the repost joined topic %q from an emptied index", res[4].Topic)
	}
}

func TestAnalyzeCSV(t *testing.T) {
	in := "\ufeffid,标题,review\n" +
		"1,差评,\"送得太慢，\n饭都凉了\"\n" + // lines 2-3
		"2,,很好吃，推荐\n"
	res := analyzeOut(t, in, "-csv", "-column", "review", "-title-column", "标题")
	if len(res) != 2 || res[0].Line != 2 || res[1].Line != 4 {
		t.Fatalf("results %+v: want records starting on lines 2 and 4", res)
	}
	if res[0].Sentiment != "负面" || res[1].Polarity != "正面" {
		t.Errorf("results %+v", res)
	}
}

func TestAnalyzeRejects(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, "long.txt")
	if err := os.WriteFile(long, bytes.Repeat([]byte("长"), texts.MaxBytes/3+10), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		in   string
		args []string
		want string
	}{
		"missing column":   {"id,text\n1,好\n", []string{"-csv", "-column", "review"}, `no column "review"`},
		"missing title":    {"id,text\n1,好\n", []string{"-csv", "-column", "text", "-title-column", "标题"}, `"标题"`},
		"broken quoting":   {"id,text\n1,\"好\n", []string{"-csv", "-column", "text"}, "line 2"},
		"column sans csv":  {"好\n", []string{"-column", "text"}, "usage"},
		"csv sans column":  {"好\n", []string{"-csv"}, "usage"},
		"two files":        {"", []string{"a", "b"}, "usage"},
		"a line too long":  {"", []string{long}, "line 1: longer than"},
		"missing file":     {"", []string{filepath.Join(dir, "none.txt")}, "no such file"},
		"bad model":        {"好\n", []string{"-sentiment-model", long}, "sentiment model"},
		"window too small": {"好\n", []string{"-window", "0"}, "usage"},
	} {
		var out bytes.Buffer
		err := runAnalyze(context.Background(), tc.args, strings.NewReader(tc.in), &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, tc.want)
		}
	}
}
