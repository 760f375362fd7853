package analysis

import "unicode/utf8"

// Bigrams tokenizes s for a bigram index, the scheme of Lucene's CJK bigram
// filter with unigrams kept: every ideograph gives a one-character token and,
// with the ideograph at the next position, a two-character token at the same
// position (bigram first). Runs of other word characters (Latin letters,
// digits) stay one token each, as in Tokens. Folding, byte offsets and
// positions are those of Tokens, so punctuation and spaces take no position
// and a bigram spans them: 小区，停车 gives 区停 as 小区停车 does.
//
// No dictionary is involved, so indexing is cheap and a phrase of bigrams
// matches exactly where the characters are adjacent, whatever a segmenter
// would have decided in the document's context.
func Bigrams(s string) []Token {
	folded, orig := foldWithOffsets(s)
	out := make([]Token, 0, 2*len(folded)/3) // Chinese text: two tokens per 3-byte character
	emit := func(term string, from, to, pos int) {
		out = append(out, Token{Term: term, Start: orig[from], End: orig[to], Position: pos})
	}
	// The last ideograph's tokens wait for the next character, which
	// decides whether a bigram comes first.
	pending, pendingEnd, pendingPos := -1, 0, 0
	latin, latinPos := -1, 0 // start and position of the open run of other word characters
	flushPending := func() {
		if pending >= 0 {
			emit(folded[pending:pendingEnd], pending, pendingEnd, pendingPos)
			pending = -1
		}
	}
	flushLatin := func(end int) {
		if latin >= 0 {
			emit(folded[latin:end], latin, end, latinPos)
			latin = -1
		}
	}
	pos := 0
	for i, r := range folded {
		size := utf8.RuneLen(r) // folded is valid UTF-8: invalid bytes became U+FFFD
		switch {
		case !isWordRune(r):
			flushLatin(i)
			continue
		case isIdeograph(r):
			flushLatin(i)
			if pending >= 0 && pendingPos == pos-1 {
				term := folded[pending : i+size]
				if pendingEnd != i { // spaces or punctuation between the two stay out of the term
					term = folded[pending:pendingEnd] + folded[i:i+size]
				}
				emit(term, pending, i+size, pendingPos)
			}
			flushPending()
			pending, pendingEnd, pendingPos = i, i+size, pos
		default:
			flushPending()
			if latin < 0 {
				latin, latinPos = i, pos
			}
		}
		pos++
	}
	flushLatin(len(folded))
	flushPending()
	return out
}

// BigramPhrase returns the fewest tokens of Bigrams(s) whose phrase, each
// token at its own position, matches exactly the texts that contain s
// (spaces and punctuation aside): in each run of ideographs, the bigrams at
// every other position plus the last one (拆迁补偿款 → 拆迁@0 补偿@2
// 偿款@3), a lone ideograph as its unigram, every other word whole.
// Positions between the tokens are gaps that any term fills.
func BigramPhrase(s string) []Token {
	toks := Bigrams(s)
	var out []Token
	for i := 0; i < len(toks); {
		t := toks[i]
		if !isIdeographToken(t) {
			out = append(out, t)
			i++
			continue
		}
		// A run: bigram, unigram pairs at consecutive positions, ending
		// with a unigram that has no bigram.
		j := i
		for j < len(toks) && isBigram(toks[j]) {
			j += 2 // the bigram and its unigram
		}
		if j == i { // a lone ideograph
			out = append(out, t)
			i++
			continue
		}
		last := j - 2 // the run's last bigram
		for k := i; k < j; k += 4 {
			out = append(out, toks[k])
		}
		if (last-i)%4 != 0 {
			out = append(out, toks[last])
		}
		i = j + 1 // past the run's last unigram
	}
	return out
}

func isIdeographToken(t Token) bool {
	r, _ := utf8.DecodeRuneInString(t.Term)
	return isIdeograph(r)
}

// isBigram tells a two-ideograph token of Bigrams from a unigram.
func isBigram(t Token) bool {
	return isIdeographToken(t) && utf8.RuneCountInString(t.Term) == 2
}

// BigramsOf is the two-ideograph tokens of Bigrams(s). A text containing s
// holds all of them, so they narrow the documents whose positions a phrase
// of BigramPhrase, which skips every other one, has to check.
func BigramsOf(s string) []Token {
	var out []Token
	for _, t := range Bigrams(s) {
		if isBigram(t) {
			out = append(out, t)
		}
	}
	return out
}
