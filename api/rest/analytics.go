package rest

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/httpx"
)

// Analytics read what text analysis stored: sentiment over time, rising
// topics and categories. Like /api/search they are open to every reader:
// they count documents and name no poster.

// sentimentSeries serves GET /api/analytics/sentiment?q=&interval=day|week|month&from=&to=&source=.
func (s *server) sentimentSeries(c echo.Context) error {
	p := httpx.Params(c)
	interval := p.OneOf("interval", "day", "day", "week", "month")
	text, source := p.String("q"), p.String("source")
	from, to, err := s.AnalyticsRange(p, core.DefaultSpan[interval])
	if err != nil {
		return err
	}
	out, err := s.SentimentData(c.Request().Context(), text, source, interval, from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// topicTrends serves GET /api/analytics/topics?window=24h&limit=20: topics
// ranked by growth against the window before.
func (s *server) topicTrends(c echo.Context) error {
	p := httpx.Params(c)
	w, limit := p.String("window"), p.Int("limit")
	if err := p.Err(); err != nil {
		return err
	}
	if w == "" {
		w = "24h"
	}
	window, err := core.ParseWindow(w)
	if err != nil {
		return err
	}
	if window < time.Minute || window > core.MaxTopicWindow {
		return minyi.Errorf(minyi.EINVALID, "window must be from 1m to 90d, got %q", w)
	}
	if limit == 0 {
		limit = 20
	}
	if limit < 1 || limit > minyi.MaxPageSize {
		return minyi.Errorf(minyi.EINVALID, "limit must be between 1 and %d", minyi.MaxPageSize)
	}
	out, err := s.TopicData(c.Request().Context(), w, window, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// categoryCounts serves GET /api/analytics/categories?q=&from=&to=&source=.
func (s *server) categoryCounts(c echo.Context) error {
	p := httpx.Params(c)
	q := minyi.SearchQuery{Text: p.String("q"), Source: p.String("source"), PageSize: 1,
		From: p.Time("from", false), To: p.Time("to", true)}
	if err := p.Err(); err != nil {
		return err
	}
	out, err := s.CategoryData(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
