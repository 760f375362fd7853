// Package analysis prepares Chinese text for search: folding of character
// variants and width, and word segmentation with byte offsets.
package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:generate go run gen_tsmap.go

// tsTable maps a traditional (or Taiwan/Hong Kong variant) character to its
// simplified form. It is built once from the generated tsPairs.
var tsTable = func() map[rune]rune {
	m := make(map[rune]rune, utf8.RuneCountInString(tsPairs)/2)
	var prev rune = -1
	for _, r := range tsPairs {
		if prev < 0 {
			prev = r
			continue
		}
		m[prev] = r
		prev = -1
	}
	return m
}()

// foldBMP is foldRune of every character of the Basic Multilingual Plane,
// where nearly all text is: a table read instead of a map lookup and a
// case search per character, which were most of analysing the text of a
// page of search hits to mark them.
var foldBMP = func() []rune {
	t := make([]rune, 0x10000)
	for r := range t {
		t[r] = foldRune(rune(r))
	}
	return t
}()

// FoldRune returns the searchable form of one character: simplified for
// traditional, half-width for full-width ASCII, lower case for letters.
func FoldRune(r rune) rune {
	if r >= 0 && r < rune(len(foldBMP)) {
		return foldBMP[r]
	}
	return foldRune(r)
}

func foldRune(r rune) rune {
	switch {
	case r >= '！' && r <= '～': // U+FF01..FF5E, full-width ASCII
		return unicode.ToLower(r - 0xFEE0)
	case r == '\u3000': // ideographic space
		return ' '
	}
	if s, ok := tsTable[r]; ok {
		return s
	}
	return unicode.ToLower(r)
}

// Fold returns s with every rune folded by FoldRune, rune for rune: the
// n-th rune of the result comes from the n-th rune of s. Traditional and
// simplified Chinese characters are both 3 bytes, so for Chinese text byte
// offsets agree as well; Tokens maps offsets back exactly in every case.
// Invalid UTF-8 bytes become U+FFFD.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(FoldRune(r))
	}
	return b.String()
}
