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

// topicTrends serves GET /api/analytics/topics?window=24h&limit=20, or
// ?from=&to= for any period: topics ranked by growth against the period of
// equal length before.
func (s *server) topicTrends(c echo.Context) error {
	p := httpx.Params(c)
	w, n := p.String("window"), p.Int("limit")
	if err := p.Err(); err != nil {
		return err
	}
	limit, err := rankLimit(n)
	if err != nil {
		return err
	}
	var from, to time.Time
	if p.String("from") != "" || p.String("to") != "" {
		if w != "" {
			return minyi.Errorf(minyi.EINVALID, "give either window or from and to, not both")
		}
		if from, to, err = s.AnalyticsRange(p, func(to time.Time) time.Time { return to.AddDate(0, 0, -1) }); err != nil {
			return err
		}
	} else {
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
		to = s.Now()
		from = to.Add(-window)
	}
	out, err := s.TopicData(c.Request().Context(), w, from, to, limit)
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

// rankLimit is a ranking's limit: 20 unless given, at most a page.
func rankLimit(limit int) (int, error) {
	if limit == 0 {
		return 20, nil
	}
	if limit < 1 || limit > minyi.MaxPageSize {
		return 0, minyi.Errorf(minyi.EINVALID, "limit must be between 1 and %d", minyi.MaxPageSize)
	}
	return limit, nil
}

// hotEvents serves GET /api/analytics/events?from=&to=&limit=20: the events
// of the period (the last 7 days by default) ranked by heat.
func (s *server) hotEvents(c echo.Context) error {
	p := httpx.Params(c)
	n := p.Int("limit")
	if err := p.Err(); err != nil {
		return err
	}
	limit, err := rankLimit(n)
	if err != nil {
		return err
	}
	from, to, err := s.AnalyticsRange(p, func(to time.Time) time.Time { return to.AddDate(0, 0, -7) })
	if err != nil {
		return err
	}
	out, err := s.HotEventData(c.Request().Context(), from, to, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// getEvent serves GET /api/events/{id}: the event and its cases.
func (s *server) getEvent(c echo.Context) error {
	out, err := s.EventData(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
