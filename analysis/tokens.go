package analysis

import (
	"log/slog"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// Token is one searchable term of a text.
type Token struct {
	Term string // folded: simplified, half-width, lower case
	// Start and End are byte offsets of the token in the text given to
	// Tokens, before folding, so a highlighter can cut the original.
	Start, End int
	// Position is the index of the token's first character among the word
	// characters (letters, digits) of the text, counting from 0. Tokens that
	// start at the same character share a position, and punctuation and
	// spaces take none, so "小区，停车" and "小区停车" line up for phrases.
	Position int
}

var (
	segOnce sync.Once
	seg     gse.Segmenter
)

// segmenter loads gse's simplified-Chinese dictionary once per process:
// text is folded to simplified before segmentation, so the traditional
// dictionary would only cost memory. Measured on the 2-core dev machine:
// about 2.5–3 s and ~130 MB of live heap, once.
func segmenter() *gse.Segmenter {
	segOnce.Do(func() {
		start := time.Now()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		seg.SkipLog = true
		if err := seg.LoadDictEmbed("zh_s"); err != nil {
			// The dictionary is compiled into the binary; failing to parse
			// it is a build defect, not a runtime condition.
			panic("analysis: loading the embedded gse dictionary: " + err.Error())
		}
		took := time.Since(start)
		runtime.GC() // count what the dictionary keeps, not the garbage of parsing it
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		slog.Info("gse dictionary loaded", "took", took.Round(time.Millisecond),
			"heap_mb", (int64(after.HeapAlloc)-int64(before.HeapAlloc))>>20)
	})
	return &seg
}

// Preload loads the segmenter's dictionary now instead of on the first
// Tokens call, so a server pays the cost at start-up, not on a request.
func Preload() { segmenter() }

// isWordRune tells the characters that form words from separators.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r)
}

// isIdeograph reports scripts written without spaces, where each character
// is also indexed alone so that any substring can be found.
func isIdeograph(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// Tokens segments s for indexing and for queries alike. It folds s, splits it
// at punctuation and spaces, and segments each run of word characters with
// gse. Besides the best segmentation it emits, at their own positions, the
// shorter dictionary words inside each word (拆迁补偿款 also gives 拆迁,
// 补偿, 补偿款) and every ideograph on its own. The single characters make a
// phrase of them an exact substring match whatever the segmenter decided in
// the document's context; the words make matches of whole words score higher.
// Runs of Latin letters and digits stay one token.
func Tokens(s string) []Token {
	folded, orig := foldWithOffsets(s)
	var out []Token
	pos := 0
	for i := 0; i < len(folded); {
		r, size := utf8.DecodeRuneInString(folded[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i
		for j < len(folded) {
			r, size := utf8.DecodeRuneInString(folded[j:])
			if !isWordRune(r) {
				break
			}
			j += size
		}
		out = appendRun(out, folded, orig, i, j, pos)
		pos += utf8.RuneCountInString(folded[i:j])
		i = j
	}
	return out
}

// foldWithOffsets returns Fold(s) and, for every byte offset of the folded
// text (plus its end), the offset of the same rune in s.
func foldWithOffsets(s string) (string, []int) {
	b := make([]byte, 0, len(s))
	orig := make([]int, 0, len(s)+1)
	for i, r := range s {
		n := len(b)
		b = utf8.AppendRune(b, FoldRune(r))
		for range len(b) - n {
			orig = append(orig, i)
		}
	}
	orig = append(orig, len(s))
	return string(b), orig
}

type span struct{ start, end int }

// appendRun segments folded[from:to], a run of word characters whose first
// character has position pos.
func appendRun(out []Token, folded string, orig []int, from, to, pos int) []Token {
	run := folded[from:to]
	// runePos[k] is the position of the character starting at byte k of run.
	runePos := make([]int, len(run)+1)
	n := 0
	for k := range run {
		runePos[k] = pos + n
		n++
	}
	runePos[len(run)] = pos + n

	seen := map[span]bool{}
	first := len(out)
	emit := func(start, end int) {
		sp := span{start, end}
		if start >= end || seen[sp] {
			return
		}
		seen[sp] = true
		out = append(out, Token{
			Term:     run[start:end],
			Start:    orig[from+start],
			End:      orig[from+end],
			Position: runePos[start],
		})
	}
	var subwords func(t *gse.Token, base int)
	subwords = func(t *gse.Token, base int) {
		for _, sub := range t.Segments() {
			emit(base+sub.Start(), base+sub.End())
			subwords(sub.Token(), base+sub.Start())
		}
	}
	for _, sg := range segmenter().Segment([]byte(run)) {
		emit(sg.Start(), sg.End())
		subwords(sg.Token(), sg.Start())
		for k, r := range run[sg.Start():sg.End()] {
			if isIdeograph(r) {
				at := sg.Start() + k
				emit(at, at+utf8.RuneLen(r))
			}
		}
	}
	// Postings want positions in order; at one position the longer word first.
	added := out[first:]
	sort.SliceStable(added, func(a, b int) bool {
		if added[a].Position != added[b].Position {
			return added[a].Position < added[b].Position
		}
		return added[a].End-added[a].Start > added[b].End-added[b].Start
	})
	return out
}

// Words is the segmenter's best reading of a folded run of ideographs and
// letters, whole words only: where a phrase may begin and end when a title
// is built from words, so that it never cuts one in half (么时候).
func Words(run string) []string {
	var out []string
	for _, sg := range segmenter().Segment([]byte(run)) {
		if w := run[sg.Start():sg.End()]; strings.IndexFunc(w, isWordRune) >= 0 {
			out = append(out, w)
		}
	}
	return out
}
