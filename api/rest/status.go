package rest

import (
	"net/http"

	"minyi"

	"github.com/labstack/echo/v4"
)

// Status answers GET /api/status: crawl progress per source and how much
// of what is stored is indexed and still pending.
type Status struct {
	Sources []minyi.SourceStatus `json:"sources"`
	Indexed uint64               `json:"indexed"`
	Pending int                  `json:"pending"`
}

func (s *server) status(c echo.Context) error {
	ctx := c.Request().Context()
	sources, err := s.Store.CrawlStatus(ctx)
	if err != nil {
		return err
	}
	indexed, err := s.Index.Count(ctx)
	if err != nil {
		return err
	}
	pending, err := s.Store.CountPending(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, Status{Sources: sources, Indexed: indexed, Pending: pending})
}
