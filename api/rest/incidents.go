package rest

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/httpx"
)

// IncidentList is a page of 舆情事件, open and most serious first.
type IncidentList struct {
	Total     int              `json:"total"`
	Page      int              `json:"page"`
	PageSize  int              `json:"page_size"`
	Incidents []minyi.Incident `json:"incidents"`
}

// IncidentDetail is one 舆情事件 and its case's timeline: the 处置 the
// department recorded and the analyst's closing are its last events.
type IncidentDetail struct {
	Incident minyi.Incident    `json:"incident"`
	Events   []minyi.CaseEvent `json:"events"`
}

// closeBody is an analyst closing a 舆情事件.
type closeBody struct {
	Note string `json:"note"`
}

// raiseIncident serves POST /api/incidents.
func (s *server) raiseIncident(c echo.Context) error {
	var req core.IncidentRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	in, err := s.RaiseIncident(c, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, in)
}

// listIncidents serves GET /api/incidents?open=&department=&page=&page_size=.
func (s *server) listIncidents(c echo.Context) error {
	p := httpx.Params(c)
	f, err := core.IncidentFilterParams(c, p)
	if err != nil {
		return err
	}
	page, size, err := core.PageParams(p)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = size, (page-1)*size
	list, total, err := s.Store.Incidents(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []minyi.Incident{}
	}
	return c.JSON(http.StatusOK, IncidentList{Total: total, Page: page, PageSize: size, Incidents: list})
}

// getIncident serves GET /api/incidents/{id}.
func (s *server) getIncident(c echo.Context) error {
	in, events, err := s.IncidentTimeline(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, IncidentDetail{Incident: in, Events: events})
}

// closeIncident serves POST /api/incidents/{id}/close.
func (s *server) closeIncident(c echo.Context) error {
	var b closeBody
	if err := decodeBody(c, &b); err != nil {
		return err
	}
	if _, err := s.CloseIncident(c, b.Note); err != nil {
		return err
	}
	in, err := s.IncidentFor(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, in)
}
