package bleve

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"minyi"
	"minyi/analysis"
)

// The realistic corpus: the generated city posts of cityPost with real
// citizen messages recombined into them. Real sentences bring a real
// vocabulary and real word frequencies, so posting lists are as irregular
// as a city's; the templates bring sources, dates, places and comments.

// realCorpusVersion names the generator below; change it whenever a change
// would give other documents, so that cached indexes are rebuilt.
const realCorpusVersion = "1"

var realDataFiles = []string{"gov-messages-unlabelled.csv", "gov-messages-labelled-494.csv"}

// realText holds what the real messages contribute: titles and sentences.
type realText struct {
	titles, sentences []string
	version           string // realCorpusVersion and a digest of the data files
}

// loadRealText reads the shared data files, skipping the benchmark when
// they are absent.
func loadRealText(b *testing.B) *realText {
	dir := filepath.Join("..", "..", "..", "shared", "data")
	rt := &realText{}
	digest := sha256.New()
	io.WriteString(digest, realCorpusVersion)
	for _, name := range realDataFiles {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			b.Skipf("%s is absent: the realistic corpus needs ../shared/data", name)
		}
		if err != nil {
			b.Fatal(err)
		}
		digest.Write(data)
		r := csv.NewReader(strings.NewReader(string(data)))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		// Both files start id,title,time,body.
		for _, row := range rows[1:] {
			if len(row) < 4 {
				continue
			}
			if t := strings.TrimSpace(row[1]); t != "" {
				rt.titles = append(rt.titles, t)
			}
			rt.sentences = append(rt.sentences, sentences(row[3])...)
		}
	}
	rt.version = realCorpusVersion + "-" + hex.EncodeToString(digest.Sum(nil))[:12]
	return rt
}

// sentences splits a message body after each full stop, question or
// exclamation mark and at line breaks, keeping sentences of 6 characters
// or more with their punctuation.
func sentences(body string) []string {
	var out []string
	start := 0
	for i, r := range body {
		end := i + utf8.RuneLen(r)
		if !strings.ContainsRune("。！？!?；\n", r) && end != len(body) {
			continue
		}
		if s := strings.TrimSpace(body[start:end]); utf8.RuneCountInString(s) >= 6 {
			out = append(out, s)
		}
		start = end
	}
	return out
}

// realPostEvery is the time between two posts of the realistic corpus:
// about 960 a day, so a million cover close to three years, the load of a
// province-level office.
const realPostEvery = 90 * time.Second

// realPost is document i of the realistic corpus: cityPost(i) with, half
// the time, a real title, and its body interleaved with 2 to 11 real
// sentences. The same i gives the same document in every run.
func (rt *realText) realPost(i int) minyi.Document {
	d := cityPost(i)
	rng := rand.New(rand.NewPCG(uint64(i), 0x7265616c))
	shift := corpusStart.Add(time.Duration(i)*realPostEvery + time.Duration(rng.Int64N(int64(realPostEvery)))).Sub(d.Published)
	d.Published = d.Published.Add(shift)
	for k := range d.Comments {
		d.Comments[k].Published = d.Comments[k].Published.Add(shift)
	}
	if rng.IntN(2) == 0 {
		d.Title = rt.titles[rng.IntN(len(rt.titles))]
	}
	parts := strings.SplitAfter(d.Body, "。")
	var body strings.Builder
	for range 2 + rng.IntN(10) {
		k := rng.IntN(len(parts))
		body.WriteString(parts[k])
		parts[k] = ""
		body.WriteString(rt.sentences[rng.IntN(len(rt.sentences))])
	}
	for _, p := range parts {
		body.WriteString(p)
	}
	d.Body = body.String()
	return d
}

// docText is what a query can match in a document.
func docText(d minyi.Document) string {
	var b strings.Builder
	b.WriteString(d.Title + "\n" + d.Body)
	for _, c := range d.Comments {
		b.WriteString("\n" + c.Body)
	}
	return b.String()
}

// queryWords are the words of a text a query may use: gse's words of two to
// four Chinese characters, in order, so neighbours make a phrase.
func queryWords(text string) []string {
	var out []string
	last := -1
	for _, t := range analysis.Tokens(text) {
		n := utf8.RuneCountInString(t.Term)
		if n < 2 || n > 4 || t.Position < last || !allIdeographs(t.Term) {
			continue // subwords and single characters share a position with their word
		}
		out = append(out, t.Term)
		last = t.Position + n
	}
	return out
}

func allIdeographs(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// realQueries draws n searches from the first corpus documents: each
// query's words come from one random document, so the mix follows the
// corpus's word frequencies. Words in more than maxShare of a sample of
// documents (问题, 我们, 小区…) are not drawn: they say nothing about a
// topic, and an analyst does not search for them alone; they are returned
// as common, for a line of their own. The share admits the most frequent
// topic words, such as the districts of the templates (~15%).
func (rt *realText) realQueries(b *testing.B, n, corpus int) (qs []minyi.SearchQuery, common []string) {
	const sample, maxShare = 2000, 0.20
	rng := rand.New(rand.NewPCG(501, 98))
	// Document frequency of each word in a sample, as gse segments it.
	docsWith := map[string]int{}
	for range sample {
		seen := map[string]bool{}
		for _, w := range queryWords(docText(rt.realPost(rng.IntN(corpus)))) {
			if !seen[w] {
				seen[w] = true
				docsWith[w]++
			}
		}
	}
	df := func(w string) float64 { return float64(docsWith[w]) / sample }
	commonSeen := map[string]bool{}
	// words of a random document, the frequent ones set aside.
	words := func() []string {
		for {
			var ok []string
			for _, w := range queryWords(docText(rt.realPost(rng.IntN(corpus)))) {
				if df(w) <= maxShare {
					ok = append(ok, w)
				} else if !commonSeen[w] {
					commonSeen[w] = true
					common = append(common, w)
				}
			}
			if len(ok) >= 2 {
				return ok
			}
		}
	}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	places := append(append([]string{}, cityPlaces...), cityDistricts...)
	days := int(time.Duration(corpus) * realPostEvery / (24 * time.Hour))
	qs = make([]minyi.SearchQuery, n)
	for i := range qs {
		var q minyi.SearchQuery
		switch ws := words(); i % 5 {
		case 0:
			q.Text = pick(ws)
		case 1:
			q.Text = pick(ws) + " " + pick(ws)
		case 2:
			k := rng.IntN(len(ws) - 1)
			q.Text = `"` + ws[k] + ws[k+1] + `"`
		case 3:
			q.Text = pick(places) + " " + pick(ws)
		case 4:
			q.Text = pick(ws) + " -" + pick(words())
		}
		qs[i] = withFilters(rng, q, days)
	}
	b.Logf("query words: drawn from random documents, those in more than %.0f%% of %d sampled documents set aside (%d such, e.g. %s)",
		maxShare*100, sample, len(common), strings.Join(common[:min(8, len(common))], " "))
	return qs, common
}
