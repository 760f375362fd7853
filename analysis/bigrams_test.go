package analysis

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func termsAt(toks []Token) string {
	var words []string
	for _, t := range toks {
		words = append(words, fmt.Sprintf("%s@%d", t.Term, t.Position))
	}
	return strings.Join(words, " ")
}

func ExampleBigrams() {
	fmt.Println(termsAt(Bigrams("拆遷補償")))
	fmt.Println(termsAt(Bigrams("小区，5G信号")))
	// Output:
	// 拆迁@0 拆@0 迁补@1 迁@1 补偿@2 补@2 偿@3
	// 小区@0 小@0 区@1 5g@2 信号@4 信@4 号@5
}

func ExampleBigramPhrase() {
	for _, q := range []string{"拆迁补偿款", "拆迁补偿", "停车难", "的", "wifi信号", "停车 难"} {
		fmt.Println(q, "→", termsAt(BigramPhrase(q)))
	}
	// Output:
	// 拆迁补偿款 → 拆迁@0 补偿@2 偿款@3
	// 拆迁补偿 → 拆迁@0 补偿@2
	// 停车难 → 停车@0 车难@1
	// 的 → 的@0
	// wifi信号 → wifi@0 信号@4
	// 停车 难 → 停车@0 车难@1
}

func TestBigramsOffsetsPointIntoOriginal(t *testing.T) {
	for _, s := range []string{
		"請問社區停車問題，ＷｉＦｉ信號很差！",
		"小区 停车\t难 <script>alert(1)</script>",
		"invalid \xff bytes 噪声",
		"e\u0301te 字\u0301字",
	} {
		for _, tok := range Bigrams(s) {
			if tok.Start < 0 || tok.End > len(s) || tok.Start >= tok.End {
				t.Fatalf("%q: token %+v out of range", s, tok)
			}
			// A bigram may span punctuation; its ends are its characters.
			got := []rune(Fold(s[tok.Start:tok.End]))
			want := []rune(tok.Term)
			if got[0] != want[0] || got[len(got)-1] != want[len(want)-1] {
				t.Errorf("%q: token %+v covers %q", s, tok, s[tok.Start:tok.End])
			}
		}
	}
}

func TestBigramsLatinStaysWhole(t *testing.T) {
	got := terms(Bigrams("WiFi 5G信号 covid-19"))
	for _, want := range []string{"wifi", "5g", "covid", "19", "信号", "信", "号"} {
		if !got[want] {
			t.Errorf("no token %q in %v", want, got)
		}
	}
	for _, bad := range []string{"w", "i", "-", " ", "g信"} {
		if got[bad] {
			t.Errorf("unexpected token %q", bad)
		}
	}
	for _, tok := range Bigrams("！！。，、…… ——《》<>&\"'") {
		t.Errorf("punctuation produced token %+v", tok)
	}
}

// phraseMatches is what a phrase query does with positions: every query
// token at its offset from the first, in the document's tokens.
func phraseMatches(doc, query []Token) bool {
	at := map[string]map[int]bool{}
	for _, t := range doc {
		if at[t.Term] == nil {
			at[t.Term] = map[int]bool{}
		}
		at[t.Term][t.Position] = true
	}
	if len(query) == 0 {
		return false
	}
	for start := range at[query[0].Term] {
		ok := true
		for _, q := range query[1:] {
			if !at[q.Term][start+q.Position-query[0].Position] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// The phrase of BigramPhrase matches exactly the documents that contain the
// query as a substring, spaces and punctuation aside: the meaning the
// unigram index had. Checked on random text over a small alphabet, so that
// near misses (拆 … 补 apart, repeated characters) are frequent.
func TestBigramPhraseIsSubstring(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 2))
	alphabet := []rune("拆迁补偿拆迁，。 ")
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	wordChars := func(s string) string {
		return strings.Map(func(r rune) rune {
			if isWordRune(r) {
				return r
			}
			return -1
		}, Fold(s))
	}
	for range 3000 {
		doc, q := text(1+rng.IntN(30)), text(1+rng.IntN(6))
		if rng.IntN(2) == 0 { // a substring, so that half the cases match
			r := []rune(doc)
			from := rng.IntN(len(r))
			q = string(r[from:min(len(r), from+1+rng.IntN(6))])
		}
		if wordChars(q) == "" {
			continue
		}
		want := strings.Contains(wordChars(doc), wordChars(q))
		if got := phraseMatches(Bigrams(doc), BigramPhrase(q)); got != want {
			t.Fatalf("doc %q query %q: phrase of %s matches %v, substring %v", doc, q, termsAt(BigramPhrase(q)), got, want)
		}
	}
}

func BenchmarkBigrams(b *testing.B) {
	text := strings.Repeat("市民反映小区停车难、噪声扰民，请相关部门尽快处理。", 40)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Bigrams(text)
	}
}
