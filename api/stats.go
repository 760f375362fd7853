package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/httpx"
)

const (
	// DefaultStatsWindow is DESIGN.md's rolling audit window.
	DefaultStatsWindow = 30 * 24 * time.Hour
	maxStatsWindow     = 366 * 24 * time.Hour
	// LeagueListSize is the length of the red and the black list.
	LeagueListSize = 5
)

// DepartmentRow is a department's figures with its name when configured.
type DepartmentRow struct {
	minyi.DepartmentStats
	Name string `json:"name,omitempty"`
}

// StatsReport answers GET /api/departments/stats.
type StatsReport struct {
	From        time.Time       `json:"from"`
	To          time.Time       `json:"to"`
	Window      string          `json:"window"`
	Departments []DepartmentRow `json:"departments"`
}

func (s *Server) departmentStats(c echo.Context) error {
	rep, err := s.statsReport(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

// statsReport computes the figures of the window ending now or of a
// period, for the JSON
// answer and the export alike.
func (s *Server) statsReport(c echo.Context) (StatsReport, error) {
	now := s.Now()
	// A named period (?month=, ?quarter=, ?year=, ?from=&to=) instead of a
	// window ending now.
	qp := httpx.Params(c)
	if p, ok, err := periodParam(qp, now); err != nil {
		return StatsReport{}, err
	} else if ok {
		stats, err := s.Store.DepartmentStats(c.Request().Context(), p.From, p.To, now)
		if err != nil {
			return StatsReport{}, err
		}
		return StatsReport{From: p.From, To: p.To, Window: p.Label, Departments: s.named(stats)}, nil
	}
	window, err := parseWindow(qp.String("window"))
	if err != nil {
		return StatsReport{}, err
	}
	from := now.Add(-window)
	stats, err := s.Store.DepartmentStats(c.Request().Context(), from, now, now)
	if err != nil {
		return StatsReport{}, err
	}
	return StatsReport{From: from, To: now, Window: formatWindow(window), Departments: s.named(stats)}, nil
}

// parseWindow accepts whole days ("30d") or a Go duration ("72h").
func parseWindow(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return DefaultStatsWindow, nil
	}
	var d time.Duration
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > 366 {
			return 0, minyi.Errorf(minyi.EINVALID, "window must be 1d to 366d or a duration like 72h, got %q", v)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			return 0, minyi.Errorf(minyi.EINVALID, "window must be like 30d or 72h, got %q", v)
		}
	}
	if d <= 0 || d > maxStatsWindow {
		return 0, minyi.Errorf(minyi.EINVALID, "window must be positive and at most 366d, got %q", v)
	}
	return d, nil
}

func formatWindow(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return d.String()
}

// named attaches department names; an id without a configured department
// keeps an empty name rather than disappearing from the figures.
func (s *Server) named(stats []minyi.DepartmentStats) []DepartmentRow {
	names := make(map[string]string, len(s.departments()))
	for _, d := range s.departments() {
		names[d.ID] = d.Name
	}
	rows := make([]DepartmentRow, 0, len(stats))
	for _, st := range stats {
		rows = append(rows, DepartmentRow{DepartmentStats: st, Name: names[st.Department]})
	}
	return rows
}

// LeagueTable is the monthly red and black list.
type LeagueTable struct {
	Month       string          `json:"month"`
	From        time.Time       `json:"from"`
	To          time.Time       `json:"to"`
	Red         []DepartmentRow `json:"red"`
	Black       []DepartmentRow `json:"black"`
	Departments []DepartmentRow `json:"departments"` // every department with cases that month
}

// leagueTable serves GET /api/leaguetable?month=2026-10: the cases received
// in that calendar month, China time; the last whole month by default.
func (s *Server) leagueTable(c echo.Context) error {
	now := s.Now()
	from, err := monthParam(httpx.Params(c).String("month"), now)
	if err != nil {
		return err
	}
	to := from.AddDate(0, 1, 0)
	stats, err := s.Store.DepartmentStats(c.Request().Context(), from, to, now)
	if err != nil {
		return err
	}
	red, black := minyi.RankDepartments(stats, LeagueListSize)
	return c.JSON(http.StatusOK, LeagueTable{
		Month: from.Format("2006-01"), From: from, To: to,
		Red: s.named(red), Black: s.named(black), Departments: s.named(stats),
	})
}

func monthParam(v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		n := now.In(minyi.ChinaTime)
		return time.Date(n.Year(), n.Month()-1, 1, 0, 0, 0, 0, minyi.ChinaTime), nil
	}
	t, err := time.ParseInLocation("2006-01", v, minyi.ChinaTime)
	if err != nil {
		return time.Time{}, minyi.Errorf(minyi.EINVALID, "month must be like 2026-10, got %q", v)
	}
	return t, nil
}

// departmentEscalations serves GET /api/departments/escalations?department=&since=.
func (s *Server) departmentEscalations(c echo.Context) error {
	p := httpx.Params(c)
	dept, err := departmentScope(principal(c), p.String("department"))
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
