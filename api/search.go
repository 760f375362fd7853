package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
)

// search serves GET /api/search?q=&source=&kind=&from=&to=&page=&page_size=.
func (s *Server) search(c echo.Context) error {
	q, err := searchQuery(c)
	if err != nil {
		return err
	}
	res, err := s.Index.Search(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// searchQuery reads a search from the query string, the one parser for
// the JSON API, the search page and its export: q, source, kind, from, to,
// sentiment, category, topic, group_by_topic, page and page_size.
func searchQuery(c echo.Context) (minyi.SearchQuery, error) {
	q := minyi.SearchQuery{
		Text:   c.QueryParam("q"),
		Source: c.QueryParam("source"),
		Kind:   minyi.Kind(c.QueryParam("kind")),
	}
	if err := analysisFilters(c, &q); err != nil {
		return q, err
	}
	var err error
	if q.Page, err = intParam(c, "page"); err != nil {
		return q, err
	}
	if q.PageSize, err = intParam(c, "page_size"); err != nil {
		return q, err
	}
	if q.From, err = timeParam(c, "from", false); err != nil {
		return q, err
	}
	if q.To, err = timeParam(c, "to", true); err != nil {
		return q, err
	}
	if q.Kind != "" && q.Kind != minyi.KindPost && q.Kind != minyi.KindMessage {
		return q, minyi.Errorf(minyi.EINVALID, "kind must be %q or %q", minyi.KindPost, minyi.KindMessage)
	}
	if err := q.Normalize(); err != nil {
		return q, err
	}
	return q, nil
}

func intParam(c echo.Context, name string) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, minyi.Errorf(minyi.EINVALID, "%s must be a whole number, got %q", name, v)
	}
	return n, nil
}

// timeParam accepts a day (2006-01-02, China time) or an RFC 3339 instant. A
// day given as the upper bound includes that whole day.
func timeParam(c echo.Context, name string, upper bool) (time.Time, error) {
	v := strings.TrimSpace(c.QueryParam(name))
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", v, minyi.ChinaTime); err == nil {
		if upper {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, minyi.Errorf(minyi.EINVALID, "%s must be a date like 2026-11-23 or a time like 2026-11-23T08:00:00+08:00, got %q", name, v)
}
