package rest

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// getDocument serves GET /api/posts/:id. The petitioner's contact data is
// never part of this answer (Document.Contact is not serialised).
func (s *server) getDocument(c echo.Context) error {
	doc, err := s.Store.Document(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if err := s.MayRead(c, doc); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, doc)
}
