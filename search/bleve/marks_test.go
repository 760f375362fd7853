package bleve

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"minyi/analysis"
)

func TestMarksFollowThePhrase(t *testing.T) {
	for _, c := range []struct{ text, query, want string }{
		{"小区停车位不足，停车难", "停车", "小区<mark>停车</mark>位不足，<mark>停车</mark>难"},
		{"签了协议，拆迁补偿款", "协议拆迁", "签了<mark>协议</mark>，<mark>拆迁</mark>补偿款"},
		{"停車問題很嚴重", "停车问题", "<mark>停車問題</mark>很嚴重"},
		{"3号楼abc单元<b>漏水", "abc单元", "3号楼<mark>abc单元</mark>&lt;b&gt;漏水"},
		{"拆迁的补偿", "拆迁补偿", "拆迁的补偿"},
	} {
		spans := markSpans(c.text, [][]analysis.Token{analysis.BigramPhrase(c.query)})
		got := html.EscapeString(c.text)
		if len(spans) > 0 {
			got = fragment(c.text, spans)
		}
		if got != c.want {
			t.Errorf("%q in %q: %q, want %q", c.query, c.text, got, c.want)
		}
	}
}

func TestFragmentStaysNearTheMark(t *testing.T) {
	text := strings.Repeat("前文", 300) + "拆迁补偿" + strings.Repeat("后文", 300)
	got := fragment(text, markSpans(text, [][]analysis.Token{analysis.BigramPhrase("拆迁补偿")}))
	plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got)
	if n := utf8.RuneCountInString(plain); n != fragmentRunes {
		t.Errorf("fragment of %d characters, want %d: %q", n, fragmentRunes, got)
	}
	if !strings.Contains(got, "<mark>拆迁补偿</mark>") || !strings.HasPrefix(plain, strings.Repeat("前文", leadRunes/2)+"拆迁") {
		t.Errorf("fragment %q does not start %d characters before the mark", got, leadRunes)
	}
}

// FuzzMarks: any text and query give valid UTF-8, balanced marks and
// nothing unescaped.
func FuzzMarks(f *testing.F) {
	for _, s := range [][2]string{{"小区停车位不足", "停车"}, {"协议，拆迁", "协议拆迁"}, {"abc<def>", "abc"}, {"\xff拆迁", "拆"}, {"", "a"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, query string) {
		toks := analysis.BigramPhrase(query)
		if len(toks) == 0 {
			return
		}
		spans := markSpans(text, [][]analysis.Token{toks})
		if len(spans) == 0 {
			return
		}
		got := fragment(text, spans)
		if !utf8.ValidString(got) && utf8.ValidString(text) {
			t.Fatalf("invalid UTF-8 %q", got)
		}
		if strings.Count(got, "<mark>") != strings.Count(got, "</mark>") || strings.Count(got, "<mark>") == 0 {
			t.Fatalf("unbalanced or missing marks %q", got)
		}
		rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got)
		if strings.ContainsAny(rest, "<>") {
			t.Fatalf("unescaped markup in %q", got)
		}
	})
}
