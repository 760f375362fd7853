package core

import (
	"minyi"
	"minyi/api/httpx"

	"github.com/labstack/echo/v4"
)

// SearchParams reads a search from the query string, the one parser for
// the JSON API, the search page and its export: q, source, kind, from, to,
// sentiment, category, topic, event, group_by_topic, page and page_size.
func SearchParams(c echo.Context) (minyi.SearchQuery, error) {
	p := httpx.Params(c)
	q := minyi.SearchQuery{
		Text:      p.String("q"),
		Source:    p.String("source"),
		Kind:      minyi.Kind(p.OneOf("kind", "", string(minyi.KindPost), string(minyi.KindMessage))),
		Sentiment: minyi.Sentiment(p.OneOf("sentiment", "", sentimentNames()...)),
		Category:  p.String("category"),
		Topic:     p.String("topic"),
		Event:     p.String("event"),
		Page:      p.Int("page"),
		PageSize:  p.Int("page_size"),
		From:      p.Time("from", false),
		To:        p.Time("to", true),
	}
	if g := p.Bool("group_by_topic"); g != nil {
		q.GroupByTopic = *g
	}
	if err := p.Err(); err != nil {
		return q, err
	}
	return q, q.Normalize()
}
