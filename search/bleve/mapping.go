package bleve

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"minyi"
)

// Field names of the index. Text fields are searched; the others filter,
// facet or are shown in a hit.
const (
	fieldTitle       = "title"
	fieldBody        = "body"
	fieldComments    = "comments"
	fieldSource      = "source"
	fieldKind        = "kind"
	fieldAuthor      = "author"
	fieldURL         = "url"
	fieldPublished   = "published"
	fieldDay         = "day"
	fieldMessageType = "message_type"
	fieldBoard       = "board"
	// Analysis results; absent from a document not analysed yet.
	fieldSentiment = "sentiment"
	fieldCategory  = "category"
	fieldCategory2 = "category2"
	fieldTopic     = "topic"
	fieldEvent     = "event"
)

var textFields = []string{fieldTitle, fieldBody, fieldComments}

const dayLayout = "2006-01-02"

// newMapping is the mapping of an index whose text fields are analysed by
// the named analyzer.
func newMapping(analyzer string) (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := addAnalyzer(im, analyzer); err != nil {
		return nil, err
	}
	text := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = true
		f.IncludeTermVectors = true // a phrase is checked by its terms' positions
		f.IncludeInAll = false
		return f
	}
	keywordField := func(store bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = true // facets read doc values
		return f
	}
	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldTitle, text())
	doc.AddFieldMappingsAt(fieldBody, text())
	doc.AddFieldMappingsAt(fieldComments, text())
	doc.AddFieldMappingsAt(fieldSource, keywordField(true))
	doc.AddFieldMappingsAt(fieldKind, keywordField(true))
	doc.AddFieldMappingsAt(fieldAuthor, keywordField(true))
	doc.AddFieldMappingsAt(fieldDay, keywordField(false))
	doc.AddFieldMappingsAt(fieldMessageType, keywordField(false))
	doc.AddFieldMappingsAt(fieldBoard, keywordField(false))
	for _, f := range []string{fieldSentiment, fieldCategory, fieldCategory2, fieldTopic, fieldEvent} {
		doc.AddFieldMappingsAt(f, keywordField(true))
	}
	url := mapping.NewTextFieldMapping()
	url.Index = false
	url.Store = true
	url.IncludeInAll = false
	url.IncludeTermVectors = false
	doc.AddFieldMappingsAt(fieldURL, url)
	published := mapping.NewDateTimeFieldMapping()
	published.Store = true
	published.IncludeInAll = false
	doc.AddFieldMappingsAt(fieldPublished, published)

	im.DefaultMapping = doc
	im.DefaultAnalyzer = analyzer
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}

// fields is what one document puts into the index.
func fields(d *minyi.Document) map[string]any {
	comments := make([]string, 0, len(d.Comments))
	for _, c := range d.Comments {
		comments = append(comments, c.Body)
	}
	f := map[string]any{
		fieldTitle:     d.Title,
		fieldBody:      d.Body,
		fieldComments:  strings.Join(comments, "\n"),
		fieldSource:    d.Source,
		fieldKind:      string(d.Kind),
		fieldPublished: d.Published.UTC(),
		fieldDay:       d.Published.In(minyi.ChinaTime).Format(dayLayout),
	}
	var a minyi.Analysis
	if d.Analysis != nil {
		a = *d.Analysis
	}
	for name, v := range map[string]string{
		fieldAuthor: d.Author, fieldURL: d.URL, fieldMessageType: d.MessageType, fieldBoard: d.Board,
		fieldSentiment: string(a.Sentiment), fieldCategory: a.Category, fieldCategory2: a.Category2, fieldTopic: a.Topic,
		fieldEvent: a.Event,
	} {
		if v != "" {
			f[name] = v
		}
	}
	return f
}
