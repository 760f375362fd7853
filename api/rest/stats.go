package rest

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/httpx"
)

func (s *server) departmentStats(c echo.Context) error {
	rep, err := s.StatsFor(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

// LeagueTable is the monthly red and black list.
type LeagueTable struct {
	Month       string               `json:"month"`
	From        time.Time            `json:"from"`
	To          time.Time            `json:"to"`
	Red         []core.DepartmentRow `json:"red"`
	Black       []core.DepartmentRow `json:"black"`
	Departments []core.DepartmentRow `json:"departments"` // every department with cases that month
}

// leagueTable serves GET /api/leaguetable?month=2026-10: the cases received
// in that calendar month, China time; the last whole month by default.
func (s *server) leagueTable(c echo.Context) error {
	now := s.Now()
	from, err := core.MonthParam(httpx.Params(c).String("month"), now)
	if err != nil {
		return err
	}
	to := from.AddDate(0, 1, 0)
	stats, err := s.Store.DepartmentStats(c.Request().Context(), from, to, now)
	if err != nil {
		return err
	}
	red, black := minyi.RankDepartments(stats, core.LeagueListSize)
	return c.JSON(http.StatusOK, LeagueTable{
		Month: from.Format("2006-01"), From: from, To: to,
		Red: s.Named(red), Black: s.Named(black), Departments: s.Named(stats),
	})
}

// departmentEscalations serves GET /api/departments/escalations?department=&since=.
func (s *server) departmentEscalations(c echo.Context) error {
	p := httpx.Params(c)
	dept, err := core.DepartmentScope(core.Principal(c), p.String("department"))
	if err != nil {
		return err
	}
	since := p.Time("since", false)
	if err := p.Err(); err != nil {
		return err
	}
	escs, err := s.Store.DepartmentEscalations(c.Request().Context(), dept, since)
	if err != nil {
		return err
	}
	if escs == nil {
		escs = []minyi.DepartmentEscalation{}
	}
	return c.JSON(http.StatusOK, EscalationList{Escalations: escs})
}

// EscalationList answers GET /api/departments/escalations.
type EscalationList struct {
	Escalations []minyi.DepartmentEscalation `json:"escalations"`
}
