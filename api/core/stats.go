package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/api/httpx"
	"minyi/api/labels"

	"github.com/labstack/echo/v4"
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

// StatsFor computes the figures of the window ending now or of a
// period, for the JSON
// answer and the export alike.
func (s *Server) StatsFor(c echo.Context) (StatsReport, error) {
	now := s.Now()
	// A named period (?month=, ?quarter=, ?year=, ?from=&to=) instead of a
	// window ending now.
	qp := httpx.Params(c)
	if p, ok, err := PeriodParam(qp, now); err != nil {
		return StatsReport{}, err
	} else if ok {
		stats, err := s.Store.DepartmentStats(c.Request().Context(), p.From, p.To, now)
		if err != nil {
			return StatsReport{}, err
		}
		return StatsReport{From: p.From, To: p.To, Window: p.Label, Departments: s.Named(stats)}, nil
	}
	window, err := ParseWindow(qp.String("window"))
	if err != nil {
		return StatsReport{}, err
	}
	from := now.Add(-window)
	stats, err := s.Store.DepartmentStats(c.Request().Context(), from, now, now)
	if err != nil {
		return StatsReport{}, err
	}
	return StatsReport{From: from, To: now, Window: formatWindow(window), Departments: s.Named(stats)}, nil
}

// ParseWindow accepts whole days ("30d") or a Go duration ("72h").
func ParseWindow(v string) (time.Duration, error) {
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

// Named attaches department names; an id without a configured department
// keeps an empty name rather than disappearing from the figures.
func (s *Server) Named(stats []minyi.DepartmentStats) []DepartmentRow {
	names := make(map[string]string, len(s.DepartmentList()))
	for _, d := range s.DepartmentList() {
		names[d.ID] = d.Name
	}
	rows := make([]DepartmentRow, 0, len(stats))
	for _, st := range stats {
		rows = append(rows, DepartmentRow{DepartmentStats: st, Name: names[st.Department]})
	}
	return rows
}

func MonthParam(v string, now time.Time) (time.Time, error) {
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

// Period is the time span of the statistics page and its export.
type Period struct {
	From, To time.Time
	Label    string
	Kind     string // month, quarter, year, range
	// the form's values
	Month, Quarter, Year, FromDate, ToDate string
}

// PeriodParam reads ?month=2026-11, ?quarter=2026-Q4, ?year=2026 or
// ?from=2026-11-01&to=2026-11-30 (to inclusive), China time; ok is false when none
// is given.
func PeriodParam(qp *httpx.Query, now time.Time) (p Period, ok bool, err error) {
	p.Month, p.Quarter, p.Year = qp.String("month"), qp.String("quarter"), qp.String("year")
	p.FromDate, p.ToDate = qp.String("from"), qp.String("to")
	switch {
	case p.Kind == "" && (p.FromDate != "" || p.ToDate != ""):
		p.Kind = "range"
		if p.FromDate == "" || p.ToDate == "" {
			return p, false, minyi.Errorf(minyi.EINVALID, "%s", labels.T("stats.range_needs_both"))
		}
		p.From, p.To = qp.Date("from"), qp.Date("to")
		if err := qp.Err(); err != nil {
			return p, false, err
		}
		p.To = p.To.AddDate(0, 0, 1)
		p.Label = p.FromDate + " ~ " + p.ToDate
	case p.Month != "":
		p.Kind = "month"
		if p.From, err = MonthParam(p.Month, now); err != nil {
			return p, false, err
		}
		p.To, p.Label = p.From.AddDate(0, 1, 0), p.From.Format("2006-01")
	case p.Quarter != "":
		p.Kind = "quarter"
		y, qn, found := strings.Cut(strings.ToUpper(p.Quarter), "-Q")
		year, err1 := strconv.Atoi(y)
		n, err2 := strconv.Atoi(qn)
		if !found || err1 != nil || err2 != nil || n < 1 || n > 4 || year < 2000 || year > 9999 {
			return p, false, minyi.Errorf(minyi.EINVALID, "quarter must be like 2026-Q4, got %q", p.Quarter)
		}
		p.From = time.Date(year, time.Month(3*n-2), 1, 0, 0, 0, 0, minyi.ChinaTime)
		p.To, p.Label = p.From.AddDate(0, 3, 0), fmt.Sprintf("%d-Q%d", year, n)
	case p.Year != "":
		p.Kind = "year"
		year, err := strconv.Atoi(p.Year)
		if err != nil || year < 2000 || year > 9999 {
			return p, false, minyi.Errorf(minyi.EINVALID, "year must be like 2026, got %q", p.Year)
		}
		p.From = time.Date(year, 1, 1, 0, 0, 0, 0, minyi.ChinaTime)
		p.To, p.Label = p.From.AddDate(1, 0, 0), strconv.Itoa(year)
	default:
		return p, false, nil
	}
	if !p.To.After(p.From) {
		return p, false, minyi.Errorf(minyi.EINVALID, "to is before from")
	}
	return p, true, nil
}
