package bleve

import (
	"unicode/utf8"

	blevea "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"minyi/analysis"
)

// AnalyzerName is the analyzer of every Chinese text field. It is named in
// the index mapping stored on disk, so it must never be renamed.
const AnalyzerName = "minyi_zh"

// tokenizer adapts analysis.Tokens to bleve. Folding happens inside it, not
// in a char filter, because bleve char filters may not change byte lengths
// and the offsets must point into the stored original for highlighting.
type tokenizer struct{}

func (tokenizer) Tokenize(text []byte) blevea.TokenStream {
	toks := analysis.Tokens(string(text))
	out := make(blevea.TokenStream, len(toks))
	for i, t := range toks {
		typ := blevea.AlphaNumeric
		if r, _ := utf8.DecodeRuneInString(t.Term); utf8.RuneLen(r) > 2 {
			typ = blevea.Ideographic
		}
		out[i] = &blevea.Token{
			Term:     []byte(t.Term),
			Start:    t.Start,
			End:      t.End,
			Position: t.Position + 1, // bleve counts positions from 1
			Type:     typ,
		}
	}
	return out
}

func init() {
	err := registry.RegisterTokenizer(AnalyzerName, func(map[string]any, *registry.Cache) (blevea.Tokenizer, error) {
		return tokenizer{}, nil
	})
	if err != nil {
		panic(err)
	}
}

func addAnalyzer(m *mapping.IndexMappingImpl) error {
	return m.AddCustomAnalyzer(AnalyzerName, map[string]any{
		"type":      custom.Name,
		"tokenizer": AnalyzerName,
	})
}
