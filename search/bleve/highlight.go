package bleve

import (
	"fmt"
	"html"
	"strings"

	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
)

// highlighterName is bleve's html highlighter with markFormatter.
const highlighterName = "minyi_html"

// markFormatter marks each run of overlapping or adjacent term locations
// as one <mark>: a phrase of bigrams matches as overlapping two-character
// terms (停车, 车费), which bleve's html formatter would mark in part,
// skipping every term that starts inside the previous one. Text is escaped.
type markFormatter struct{}

func (markFormatter) Format(f *highlight.Fragment, locs highlight.TermLocations) string {
	var b strings.Builder
	curr := f.Start
	from, to := -1, -1 // the mark being extended
	flush := func() {
		if from < 0 {
			return
		}
		b.WriteString(html.EscapeString(string(f.Orig[curr:from])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(f.Orig[from:to])))
		b.WriteString("</mark>")
		curr, from = to, -1
	}
	for _, l := range locs {
		if l == nil || !l.ArrayPositions.Equals(f.ArrayPositions) || l.Start < f.Start || l.End > f.End {
			continue
		}
		if from >= 0 && l.Start <= to {
			to = max(to, l.End)
			continue
		}
		flush()
		if l.Start >= curr {
			from, to = l.Start, l.End
		}
	}
	flush()
	b.WriteString(html.EscapeString(string(f.Orig[curr:f.End])))
	return b.String()
}

func init() {
	err := registry.RegisterHighlighter(highlighterName, func(_ map[string]any, cache *registry.Cache) (highlight.Highlighter, error) {
		fragmenter, err := cache.FragmenterNamed(simple.Name)
		if err != nil {
			return nil, fmt.Errorf("building fragmenter: %w", err)
		}
		return simplehl.NewHighlighter(fragmenter, markFormatter{}, simplehl.DefaultSeparator), nil
	})
	if err != nil {
		panic(err)
	}
}
