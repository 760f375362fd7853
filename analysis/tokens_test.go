package analysis

import (
	"fmt"
	"strings"
	"testing"
)

func terms(toks []Token) map[string]bool {
	m := map[string]bool{}
	for _, t := range toks {
		m[t.Term] = true
	}
	return m
}

func TestTokensSearchMode(t *testing.T) {
	toks := Tokens("关于拆迁补偿款迟迟不到位的问题")
	got := terms(toks)
	for _, want := range []string{"拆迁", "补偿", "补偿款", "问题", "拆", "款"} {
		if !got[want] {
			t.Errorf("no token %q in %v", want, toks)
		}
	}
}

func TestTokensOffsetsPointIntoOriginal(t *testing.T) {
	for _, s := range []string{
		"請問社區停車問題，ＷｉＦｉ信號很差！",
		"小区 停车\t难 <script>alert(1)</script>",
		"invalid \xff bytes 噪声",
	} {
		for _, tok := range Tokens(s) {
			if tok.Start < 0 || tok.End > len(s) || tok.Start >= tok.End {
				t.Fatalf("%q: token %+v out of range", s, tok)
			}
			if got := Fold(s[tok.Start:tok.End]); got != tok.Term {
				t.Errorf("%q: token %+v covers %q, folded %q", s, tok, s[tok.Start:tok.End], got)
			}
		}
	}
}

func TestTokensFoldTraditional(t *testing.T) {
	got := terms(Tokens("請問社區停車問題"))
	for _, want := range []string{"请问", "社区", "停车", "问题"} {
		if !got[want] {
			t.Errorf("traditional text lacks token %q: %v", want, got)
		}
	}
}

func TestTokensPositions(t *testing.T) {
	pos := func(s, term string) int {
		for _, tok := range Tokens(s) {
			if tok.Term == term {
				return tok.Position
			}
		}
		return -1
	}
	// Punctuation and spaces take no position, so a phrase spans them.
	if a, b := pos("小区停车", "停车"), pos("小区，停车", "停车"); a != 2 || b != 2 {
		t.Errorf("停车 at %d and %d, want 2 and 2", a, b)
	}
	if p := pos("wifi信号", "信号"); p != 4 {
		t.Errorf("信号 after wifi at %d, want 4", p)
	}
}

func TestTokensLatinStaysWhole(t *testing.T) {
	got := terms(Tokens("WiFi 5G信号 covid-19"))
	for _, want := range []string{"wifi", "5g", "covid", "19"} {
		if !got[want] {
			t.Errorf("no token %q in %v", want, got)
		}
	}
	for _, bad := range []string{"w", "i", "-", " "} {
		if got[bad] {
			t.Errorf("unexpected token %q", bad)
		}
	}
}

func TestTokensDropPunctuation(t *testing.T) {
	for _, tok := range Tokens("！！。，、…… ——《》<>&\"'") {
		t.Errorf("punctuation produced token %+v", tok)
	}
}

func ExampleTokens() {
	var words []string
	for _, t := range Tokens("拆遷補償款") {
		words = append(words, fmt.Sprintf("%s@%d", t.Term, t.Position))
	}
	fmt.Println(strings.Join(words, " "))
	// Output: 拆迁@0 拆@0 迁@1 补偿款@2 补偿@2 补@2 偿@3 款@4
}

func BenchmarkTokens(b *testing.B) {
	text := strings.Repeat("市民反映小区停车难、噪声扰民，请相关部门尽快处理。", 40)
	Preload()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Tokens(text)
	}
}
