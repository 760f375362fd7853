package rest

import (
	"net/http"

	"minyi/api/openapi"

	"github.com/labstack/echo/v4"
)

// openapiJSON serves GET /api/openapi.json.
func (s *server) openapiJSON(c echo.Context) error {
	b, err := openapi.JSON()
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, b)
}
