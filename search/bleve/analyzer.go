package bleve

import (
	"unicode/utf8"

	blevea "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"minyi/analysis"
)

// Analyzer names are written into the index mapping on disk, so neither may
// ever be renamed.
const (
	// BigramAnalyzerName is the analyzer of every Chinese text field:
	// analysis.Bigrams, character bigrams and unigrams.
	BigramAnalyzerName = "minyi_zh_bigram"
	// AnalyzerName is the analyzer of indexes of version 1 (gse words and
	// unigrams, analysis.Tokens). It stays registered so that such an index
	// opens far enough to be refused with a message saying to reindex, not
	// with bleve's "no tokenizer" error.
	AnalyzerName = "minyi_zh"
)

// tokenizer adapts an analysis tokenizer to bleve. Folding happens inside
// it, not in a char filter, because bleve char filters may not change byte
// lengths and the offsets must point into the stored original for
// highlighting.
type tokenizer func(string) []analysis.Token

func (tokenize tokenizer) Tokenize(text []byte) blevea.TokenStream {
	toks := tokenize(string(text))
	out := make(blevea.TokenStream, len(toks))
	all := make([]blevea.Token, len(toks)) // one allocation, not one per token
	for i, t := range toks {
		typ := blevea.AlphaNumeric
		if r, _ := utf8.DecodeRuneInString(t.Term); utf8.RuneLen(r) > 2 {
			typ = blevea.Ideographic
		}
		all[i] = blevea.Token{
			Term:     []byte(t.Term),
			Start:    t.Start,
			End:      t.End,
			Position: t.Position + 1, // bleve counts positions from 1
			Type:     typ,
		}
		out[i] = &all[i]
	}
	return out
}

func init() {
	for name, tokenize := range map[string]tokenizer{
		BigramAnalyzerName: analysis.Bigrams,
		AnalyzerName:       analysis.Tokens,
	} {
		err := registry.RegisterTokenizer(name, func(map[string]any, *registry.Cache) (blevea.Tokenizer, error) {
			return tokenize, nil
		})
		if err != nil {
			panic(err)
		}
	}
}

// addAnalyzer defines the analyzer called name over the tokenizer of the
// same name.
func addAnalyzer(m *mapping.IndexMappingImpl, name string) error {
	return m.AddCustomAnalyzer(name, map[string]any{
		"type":      custom.Name,
		"tokenizer": name,
	})
}
