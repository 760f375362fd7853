package rest

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/httpx"
)

// ReportList is a page of kept reports, without their content.
type ReportList struct {
	Total    int            `json:"total"`
	Page     int            `json:"page"`
	PageSize int            `json:"page_size"`
	Reports  []minyi.Report `json:"reports"`
}

// listReports serves GET /api/reports?kind=&status=&from=&to=&page=&page_size=.
func (s *server) listReports(c echo.Context) error {
	p := httpx.Params(c)
	f, err := core.ReportFilterParams(p)
	if err != nil {
		return err
	}
	page, size, err := core.PageParams(p)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = size, (page-1)*size
	reports, total, err := s.Store.Reports(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if reports == nil { // a store answers [] for none; the contract wants a list
		reports = []minyi.Report{}
	}
	return c.JSON(http.StatusOK, ReportList{Total: total, Page: page, PageSize: size, Reports: reports})
}

// ReportDetail is one kept report with its content, the JSON a draft is
// edited as (package report's Report).
type ReportDetail struct {
	Report  minyi.Report    `json:"report"`
	Content json.RawMessage `json:"content"`
}

// getReport serves GET /api/reports/{id}.
func (s *server) getReport(c echo.Context) error {
	rec, err := s.Store.Report(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if _, err := core.ReportContent(rec); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReportDetail{Report: rec, Content: rec.Content})
}
