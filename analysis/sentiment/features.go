package sentiment

import (
	"unicode"

	"minyi/analysis/internal/linear"
)

// The model's features are the character 1-, 2- and 3-grams of the text,
// hashed, plus the lexicon's verdict. Characters rather than words because
// sentiment in Chinese reviews and posts lives in short fixed strings (不错,
// 太差, 没解决, 推诿) that any segmenter may cut differently from one
// domain to the next, and because n-grams cost a few multiplications each
// where segmentation costs a dictionary walk. The lexicon contributes what
// n-grams see badly: a negator or degree adverb a few characters before the
// word it modifies, and a contrast (但是) that shifts the weight of a
// sentence.
//
// Negation has a scope as well: the characters after a negator (不, 没, 无 …)
// up to the end of its clause, at most negationScope of them, add their
// unigrams and bigrams a second time in a space of their own. 不是很满意
// then says "满意, negated" to the model even where the trigrams miss it,
// and a word learnt as praise in one domain is read as a complaint after a
// negator in another (measured in cmd/eval: mean cross-domain accuracy on
// the four review corpora 0.834 → 0.837, each of them up).
const maxOrder = 3

// negationScope is how many characters after a negator are negated; 4
// covers 不是很满意 and 没有及时处理 without reaching the next clause's
// subject in most texts.
const negationScope = 4

// Dense slots past the hashed space, filled from the lexicon's score.
const (
	slotLexScore = iota
	slotLexStrongNeg
	slotLexNeg
	slotLexNone
	slotLexPos
	slotLexStrongPos
	lexSlots
)

// featurize puts the features of a normalized text into bag and returns its
// vector and the lexicon's score. Digits fold to one character (a price or
// a date says nothing of sentiment); white space ends an n-gram. Without
// negated, the negation scope is left out, as models trained before it
// (featuresV1) expect.
func featurize(bag *linear.Bag, lex *Lexicon, text string, negated bool) (linear.Vector, float64) {
	bag.Reset()
	var window [maxOrder]rune
	n := 0     // runes in the window
	scope := 0 // runes still in a negator's scope
	for _, r := range text {
		if unicode.IsSpace(r) {
			n = 0
			continue
		}
		if unicode.IsDigit(r) {
			r = '0'
		}
		copy(window[:], window[1:])
		window[maxOrder-1] = r
		n = min(n+1, maxOrder)
		for order := 1; order <= n; order++ {
			bag.Add(linear.Hash(uint32(order), window[maxOrder-order:]), 1)
		}
		switch {
		case !negated:
		case clauseEnd(r):
			scope = 0
		case negator(r):
			scope = negationScope
		case scope > 0:
			scope--
			bag.Add(linear.Hash(seedNegated, window[maxOrder-1:]), 1)
			if n >= 2 && !negator(window[maxOrder-2]) {
				bag.Add(linear.Hash(seedNegated, window[maxOrder-2:]), 1)
			}
		}
	}
	s := lex.Analyze(text).Score
	bin := slotLexNone
	switch {
	case s <= -0.6:
		bin = slotLexStrongNeg
	case s <= -0.2:
		bin = slotLexNeg
	case s >= 0.6:
		bin = slotLexStrongPos
	case s >= 0.2:
		bin = slotLexPos
	}
	return bag.Vector(linear.Feature{Slot: slotLexScore, Value: float32(s)}, linear.Feature{Slot: uint32(bin), Value: 1}), s
}

// seedNegated keeps negated n-grams apart from the plain ones (seeds 1–3,
// the n-gram's order).
const seedNegated = 101

func negator(r rune) bool {
	switch r {
	case '不', '没', '无', '未', '别', '非', '莫', '勿':
		return true
	}
	return false
}

func clauseEnd(r rune) bool {
	switch r {
	case '。', '！', '!', '？', '?', ';', '；', '，', ',', '、', ':', '：', '~', '～', '…':
		return true
	}
	return false
}
