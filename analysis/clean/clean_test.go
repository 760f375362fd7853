package clean

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"pinyin ascii parens", "鼓励創(chuàng)新", "鼓励創新"},
		{"pinyin full-width parens", "一个赟（yūn）字和犇（bēn）字", "一个赟字和犇字"},
		{"pinyin tone digits", "瓯(ou1)江", "瓯江"},
		{"two readings in a row", "創(chuàng)(chuang)新", "創新"},
		{"not pinyin: abbreviation", "重症监护室(ICU)满了", "重症监护室(ICU)满了"},
		{"not pinyin: number", "截至(2020)年", "截至(2020)年"},
		{"not pinyin: Chinese note", "道路(含人行道)破损", "道路(含人行道)破损"},
		{"not after Han", "see (an) example", "see (an) example"},
		{"whitespace", "  路灯　\t 不亮 \r\n\r\n\n  三个月了  ", "路灯 不亮\n三个月了"},
		{"zero width", "投\u200b诉", "投诉"},
		{"disclaimer", "小区噪音扰民\n本站是提供个人知识管理的网络存储空间，所有内容均由用户发布。\n免责声明：本站不对内容负责", "小区噪音扰民"},
		{"share and icp", "正文\n分享到：\n分享到微信朋友圈\n湘ICP备12345678号-1\nCopyright © 2020 某某论坛", "正文"},
		{"discuz quote", "张三 发表于 2020-5-1 10:23\n这条路早就该修了...\n同意楼上，确实该修", "同意楼上，确实该修"},
		{"mail quote", "> 原文一\n> 原文二\n我的意见", "我的意见"},
		{"reply marker", "回复 3# 李四 的帖子\n说得对", "说得对"},
		{"edited stamp", "本帖最后由 王五 于 2020-5-1 10:23 编辑\n正文", "正文"},
		{"long line mentioning disclaimer kept", "我想问一下" + strings.Repeat("物业", 70) + "的免责声明是否合法", "我想问一下" + strings.Repeat("物业", 70) + "的免责声明是否合法"},
		{"invalid utf8", "路\xff灯", "路\uFFFD灯"},
	}
	for _, c := range cases {
		if got := Text(c.in); got != c.want {
			t.Errorf("%s: Text(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	in := "ＡＢＣ１２３，創（ｃｈｕａｎｇ）新　路灯"
	want := "ABC123,創新 路灯"
	if got := Normalize(in); got != want {
		t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
	}
}

// checkInvariants holds for every input: the fuzz target and the unit tests
// share it so that a corpus entry documents what it once broke.
func checkInvariants(t *testing.T, in string) {
	t.Helper()
	for name, f := range map[string]func(string) string{"Text": Text, "Normalize": Normalize} {
		out := f(in)
		if !utf8.ValidString(out) {
			t.Fatalf("%s(%q) is not valid UTF-8: %q", name, in, out)
		}
		if again := f(out); again != out {
			t.Fatalf("%s is not idempotent on %q: %q then %q", name, in, out, again)
		}
		if strings.Contains(out, "\n\n") || out != strings.TrimFunc(out, unicode.IsSpace) {
			t.Fatalf("%s(%q) = %q has blank lines or outer space", name, in, out)
		}
		if len(out) > 3*len(in)+3 { // U+FFFD replacements may grow the input
			t.Fatalf("%s(%q) grew to %d bytes", name, in, len(out))
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("鼓励創(chuàng)新")
	f.Fuzz(func(t *testing.T, s string) { checkInvariants(t, s) })
}
