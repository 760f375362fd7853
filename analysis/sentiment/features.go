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
const maxOrder = 3

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
// a date says nothing of sentiment); white space ends an n-gram.
func featurize(bag *linear.Bag, lex *Lexicon, text string) (linear.Vector, float64) {
	bag.Reset()
	var window [maxOrder]rune
	n := 0 // runes in the window
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
