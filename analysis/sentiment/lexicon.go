package sentiment

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

//go:embed lexicon/*.txt
var lexiconFS embed.FS

type role uint8

const (
	roleNeutral role = iota // consumes its characters, scores nothing
	roleSentiment
	roleNegation
	roleDegree
	roleContrast
)

type entry struct {
	role  role
	value float64 // sentiment weight (signed) or degree factor
}

// Lexicon is the rule-based analyzer. It matches its own word lists by
// forward maximum matching rather than using the segmenter, because lexicon
// entries must match as units whatever granularity a segmenter picks
// (gse's search mode splits 投诉无门 into 投诉/无门).
type Lexicon struct {
	words  map[string]entry
	maxLen int // longest entry in runes
	// Band is the half-width of the neutral band around zero: a score with
	// |score| < Band is 中性.
	Band float64
	// Window is how many characters may separate a negator or degree adverb
	// from the sentiment word it modifies (不太愿意去好 is too far).
	Window int
	digest string // of the word lists, for Version
}

// NewLexicon returns the analyzer over the embedded lexicons.
func NewLexicon() *Lexicon {
	l, err := parseLexicon()
	if err != nil {
		panic(err) // embedded at build time; TestEmbeddedLexicon keeps it valid
	}
	return l
}

func parseLexicon() (*Lexicon, error) {
	l := &Lexicon{words: map[string]entry{}, Band: 0.2, Window: 3}
	lists := []struct {
		file string
		role role
		sign float64
		def  float64
	}{
		{"positive.txt", roleSentiment, 1, 1},
		{"negative.txt", roleSentiment, -1, 1},
		{"negation.txt", roleNegation, 1, 0},
		{"degree.txt", roleDegree, 1, 1},
		{"contrast.txt", roleContrast, 1, 0},
		{"neutral.txt", roleNeutral, 1, 0},
	}
	sum := sha256.New()
	for _, list := range lists {
		data, err := lexiconFS.ReadFile("lexicon/" + list.file)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(sum, "%s %d\n", list.file, len(data))
		sum.Write(data)
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			f := strings.Fields(line)
			v := list.def
			if len(f) > 2 {
				return nil, fmt.Errorf("lexicon %s:%d: want \"word [weight]\", got %q", list.file, n, line)
			} else if len(f) == 2 {
				if v, err = strconv.ParseFloat(f[1], 64); err != nil || v <= 0 {
					return nil, fmt.Errorf("lexicon %s:%d: weight %q is not a positive number", list.file, n, f[1])
				}
			}
			if _, dup := l.words[f[0]]; dup {
				return nil, fmt.Errorf("lexicon %s:%d: %q is already in a lexicon", list.file, n, f[0])
			}
			l.words[f[0]] = entry{role: list.role, value: list.sign * v}
			l.maxLen = max(l.maxLen, utf8.RuneCountInString(f[0]))
		}
	}
	l.digest = hex.EncodeToString(sum.Sum(nil))[:12]
	return l, nil
}

// Version identifies the word lists and the rules' parameters: the lexicon
// labels a text differently when either changes.
func (l *Lexicon) Version() string {
	return fmt.Sprintf("lexicon-%s-b%g-w%d", l.digest, l.Band, l.Window)
}

// Analyze scores text sentence by sentence. Within a clause a negator flips
// and a degree adverb scales the next sentiment word in the window; a
// contrast word halves what its sentence said so far and weighs the rest by
// 1.5 ("味道不错，但是送得太慢" is a complaint); an exclamation mark
// strengthens its sentence. The summed score is squashed into [-1, 1].
func (l *Lexicon) Analyze(text string) Result {
	var (
		total, sentence float64
		after           = 1.0 // weight of words after a contrast word
		negations       int   // negators pending in this clause
		negFirst        bool  // a negator came before the pending degree adverb
		degree          = 1.0 // pending degree factor
		lastMod         = -1  // rune index where the last modifier ended
	)
	resetClause := func() { negations, negFirst, degree, lastMod = 0, false, 1, -1 }
	endSentence := func(mult float64) {
		total += sentence * mult
		sentence, after = 0, 1
		resetClause()
	}
	// offsets[i] is the byte offset of rune i, so candidates are substrings
	// of text and cost no allocation.
	offsets := make([]int, 0, len(text)/2)
	for i := range text {
		offsets = append(offsets, i)
	}
	offsets = append(offsets, len(text))
	n := len(offsets) - 1
	for i := 0; i < n; {
		if lastMod >= 0 && i-lastMod > l.Window {
			resetClause()
		}
		r, _ := utf8.DecodeRuneInString(text[offsets[i]:])
		switch r {
		case '。', '！', '!', '？', '?', ';', '；', '\n', '…':
			mult := 1.0
			if r == '!' || r == '！' {
				mult = 1.3
			}
			endSentence(mult)
			i++
			continue
		case '，', ',', '、', ':', '：', '~', '～':
			resetClause()
			i++
			continue
		}
		size, e := 0, entry{}
		for k := min(l.maxLen, n-i); k > 0; k-- {
			if got, ok := l.words[text[offsets[i]:offsets[i+k]]]; ok {
				size, e = k, got
				break
			}
		}
		if size == 0 {
			i++
			continue
		}
		i += size
		switch e.role {
		case roleNegation:
			negations++
			if degree == 1 {
				negFirst = true
			}
			lastMod = i
		case roleDegree:
			degree *= e.value
			lastMod = i
		case roleContrast:
			sentence *= 0.5
			after = 1.5
			resetClause()
		case roleSentiment:
			v := e.value
			if negations%2 == 1 {
				if negFirst && degree > 1 {
					degree = 0.5 // 不太好 is milder than 不好, 太不好 is stronger
				}
				if v > 0 {
					v = -v
				} else {
					v = -0.6 * v // 不差 is faint praise
				}
			}
			sentence += v * degree * after
			resetClause()
		}
	}
	endSentence(1)
	score := math.Tanh(total / 2)
	switch {
	case score >= l.Band:
		return Result{Positive, score}
	case score <= -l.Band:
		return Result{Negative, score}
	}
	return Result{Neutral, score}
}
