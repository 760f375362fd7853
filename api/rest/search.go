package rest

import (
	"net/http"

	"minyi/api/core"

	"github.com/labstack/echo/v4"
)

// search serves GET /api/search?q=&source=&kind=&from=&to=&page=&page_size=.
func (s *server) search(c echo.Context) error {
	q, err := core.SearchParams(c)
	if err != nil {
		return err
	}
	if err := s.ScopeSearch(c, &q); err != nil {
		return err
	}
	res, err := s.Index.Search(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
