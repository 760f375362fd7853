package api

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/httpx"
	"minyi/api/labels"
	"minyi/workflows"
)

// The supervisor's pages (督查): overdue board, statistics and league
// table, extension queue, escalation history; and the supervisor's forms
// on the case page (decision, reassign, 回访).

func (s *Server) supervisorPages(e *echo.Echo) {
	sup := s.page(RoleSupervisor)
	e.GET("/overdue", s.overduePage, sup)
	e.GET("/stats", s.statsPage, s.page(RoleSupervisor, RoleAdmin))
	e.GET("/extensions", s.extensionsPage, sup)
	e.GET("/escalations", s.escalationsPage, sup)
	e.POST("/cases/:id/decision", s.decisionForm, sup)
	e.POST("/cases/:id/reassign", s.caseForm(workflows.UpdateReassign, "reassigned", func(c echo.Context, u *minyi.User) (any, error) {
		return s.reassignArgs(u, c.FormValue("department"), c.FormValue("reason"))
	}), sup)
	e.POST("/cases/:id/rating", s.caseForm(workflows.UpdateRate, "rated", func(c echo.Context, _ *minyi.User) (any, error) {
		return ratingArgs(minyi.Rating(c.FormValue("rating")), c.FormValue("comment"))
	}), s.page(RoleSupervisor, RoleAdmin))
}

func (s *Server) decisionForm(c echo.Context) error {
	var approve *bool
	switch c.FormValue("approve") {
	case "true":
		approve = new(true)
	case "false":
		approve = new(false)
	}
	flash := "extension_denied"
	if approve != nil && *approve {
		flash = "extension_approved"
	}
	return s.caseForm(workflows.UpdateDecideExtension, flash, func(c echo.Context, u *minyi.User) (any, error) {
		return decisionArgs(u, approve, c.FormValue("reason"))
	})(c)
}

// boardDept is one department on the overdue board.
type boardDept struct {
	ID, Name string
	Total    int
	Rungs    []boardRung
}

type boardRung struct {
	Rung minyi.Rung
	Rows []caseItem
}

type boardPage struct {
	Departments []boardDept
	Total       int
	Export      string
}

// overduePage groups the overdue cases by department (most first) and by
// the rung reached (highest first).
func (s *Server) overduePage(c echo.Context) error {
	withFlash(c)
	now := s.Now()
	overdue := true
	cases, err := s.allCases(c, minyi.CaseFilter{Overdue: &overdue, Now: now})
	if err != nil {
		return err
	}
	byDept := map[string]*boardDept{}
	var order []*boardDept
	for _, r := range s.caseRows(cases, now) {
		d := byDept[r.Department]
		if d == nil {
			d = &boardDept{ID: r.Department, Name: r.DepartmentName}
			if d.ID == "" {
				d.Name = labels.T("case.unassigned")
			}
			byDept[r.Department] = d
			order = append(order, d)
		}
		d.Total++
		i := slices.IndexFunc(d.Rungs, func(g boardRung) bool { return g.Rung == r.Rung })
		if i < 0 {
			d.Rungs = append(d.Rungs, boardRung{Rung: r.Rung})
			i = len(d.Rungs) - 1
		}
		d.Rungs[i].Rows = append(d.Rungs[i].Rows, r)
	}
	p := boardPage{Total: len(cases), Export: "/api/cases/export?format=xlsx&overdue=true"}
	for _, d := range order {
		slices.SortFunc(d.Rungs, func(a, b boardRung) int { return rungIndex(b.Rung) - rungIndex(a.Rung) })
		for _, g := range d.Rungs {
			slices.SortStableFunc(g.Rows, func(a, b caseItem) int { return cmp.Or(a.Due.Compare(b.Due), strings.Compare(a.ID, b.ID)) })
		}
		p.Departments = append(p.Departments, *d)
	}
	slices.SortStableFunc(p.Departments, func(a, b boardDept) int {
		return cmp.Or(b.Total-a.Total, strings.Compare(a.ID, b.ID))
	})
	return s.render(c, http.StatusOK, "overdue", labels.T("nav.overdue"), p)
}

func rungIndex(r minyi.Rung) int { return slices.Index(minyi.Rungs, r) }

// period is the time span of the statistics page and its export.
type period struct {
	From, To time.Time
	Label    string
	Kind     string // month, quarter, year, range
	// the form's values
	Month, Quarter, Year, FromDate, ToDate string
}

// periodParam reads ?month=2026-11, ?quarter=2026-Q4, ?year=2026 or
// ?from=2026-11-01&to=2026-11-30 (to inclusive), China time; ok is false when none
// is given.
func periodParam(qp *httpx.Query, now time.Time) (p period, ok bool, err error) {
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
		if p.From, err = monthParam(p.Month, now); err != nil {
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

type statsPage struct {
	Period      period
	Departments []DepartmentRow
	Red, Black  []DepartmentRow
	Chart       map[string]any
	Export      string
}

// statsPage shows the figures of a period (the last whole month by default), the
// red and black list, and a chart of the on-time and response rates.
func (s *Server) statsPage(c echo.Context) error {
	now := s.Now()
	p, ok, err := periodParam(httpx.Params(c), now)
	if err != nil {
		return err
	}
	if !ok {
		// The last whole month, as the monthly league table has it.
		p.Kind = "month"
		if p.From, err = monthParam("", now); err != nil {
			return err
		}
		p.Month = p.From.Format("2006-01")
		p.To, p.Label = p.From.AddDate(0, 1, 0), p.Month
	}
	stats, err := s.Store.DepartmentStats(c.Request().Context(), p.From, p.To, now)
	if err != nil {
		return err
	}
	red, black := minyi.RankDepartments(stats, LeagueListSize)
	v := statsPage{Period: p, Departments: s.named(stats), Red: s.named(red), Black: s.named(black)}
	q := url.Values{"format": {"xlsx"}}
	switch p.Kind {
	case "month":
		q.Set("month", p.Month)
	case "quarter":
		q.Set("quarter", p.Quarter)
	case "year":
		q.Set("year", p.Year)
	case "range":
		q.Set("from", p.FromDate)
		q.Set("to", p.ToDate)
	}
	v.Export = "/api/departments/stats/export?" + q.Encode()
	v.Chart = rateChart(v.Departments)
	return s.render(c, http.StatusOK, "stats", labels.T("nav.stats"), v)
}

// rateChart is the ECharts option of the bar chart: a rate not measured is
// null, a gap in its series, never a bar of 0.
func rateChart(rows []DepartmentRow) map[string]any {
	var names []string
	var onTime, response []any
	pct := func(r *float64) any {
		if r == nil {
			return nil
		}
		return float64(int(*r*1000+0.5)) / 10
	}
	for _, d := range rows {
		if d.Department == "" {
			continue
		}
		names = append(names, orRaw(d.Name, d.Department))
		onTime = append(onTime, pct(d.OnTimeRate))
		response = append(response, pct(d.ResponseRate))
	}
	return map[string]any{
		"tooltip": map[string]any{"trigger": "axis"},
		"legend":  map[string]any{"data": []string{labels.T("stats.on_time_rate"), labels.T("stats.response_rate")}},
		"grid":    map[string]any{"left": 40, "right": 10, "bottom": 60, "containLabel": true},
		"xAxis":   map[string]any{"type": "category", "data": names, "axisLabel": map[string]any{"interval": 0, "rotate": 30}},
		"yAxis":   map[string]any{"type": "value", "max": 100, "axisLabel": map[string]any{"formatter": "{value}%"}},
		"series": []map[string]any{
			{"name": labels.T("stats.on_time_rate"), "type": "bar", "data": onTime},
			{"name": labels.T("stats.response_rate"), "type": "bar", "data": response},
		},
	}
}

// extensionRow is a pending extension request.
type extensionRow struct {
	caseItem
	Request minyi.CaseEvent
}

type extensionsPage struct {
	Rows []extensionRow
	CSRF string
}

// extensionsPage is the queue of extension requests waiting for a
// decision, oldest request first.
func (s *Server) extensionsPage(c echo.Context) error {
	withFlash(c)
	rows, err := s.pendingExtensions(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "extensions", labels.T("nav.extensions"), extensionsPage{Rows: rows, CSRF: csrfToken(c)})
}

// pendingExtensions finds the open cases whose last extension request has
// no decision yet, oldest request first.
func (s *Server) pendingExtensions(c echo.Context) ([]extensionRow, error) {
	now := s.Now()
	cases, err := s.allCases(c, minyi.CaseFilter{Status: minyi.CaseOpen, Now: now})
	if err != nil {
		return nil, err
	}
	var rows []extensionRow
	for _, r := range s.caseRows(cases, now) {
		events, err := s.Store.CaseEvents(c.Request().Context(), r.ID)
		if err != nil {
			return nil, err
		}
		if p := pendingExtension(events); p != nil {
			rows = append(rows, extensionRow{caseItem: r, Request: *p})
		}
	}
	slices.SortStableFunc(rows, func(a, b extensionRow) int {
		return cmp.Or(a.Request.At.Compare(b.Request.At), strings.Compare(a.ID, b.ID))
	})
	return rows, nil
}

var extensionExportColumns = []string{"编号", "标题", "承办单位", "办理时限", "申请时间", "延期申请"}

// exportExtensions serves GET /api/extensions/export?format=xlsx|csv: the
// queue of the extensions page.
func (s *Server) exportExtensions(c echo.Context) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	rows, err := s.pendingExtensions(c)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("extensions-%s.%s", s.Now().In(minyi.ChinaTime).Format("20060102-1504"), format)
	return s.writeTable(c, format, name, "延期申请", extensionExportColumns, func(emit func([]any) error) error {
		for _, r := range rows {
			if err := emit([]any{r.ID, r.Title, r.DepartmentName, r.Due, r.Request.At, extensionDetail(r.Request.Detail)}); err != nil {
				return err
			}
		}
		return nil
	})
}

type escalationRow struct {
	minyi.DepartmentEscalation
	DepartmentName string
}

type escalationsPage struct {
	Since  string
	Rows   []escalationRow
	Export string
}

// escalationsPage lists the department escalations (督办, 通报) since a
// date, a year back by default.
func (s *Server) escalationsPage(c echo.Context) error {
	since, sinceText, err := s.escalationsSince(c)
	if err != nil {
		return err
	}
	escs, err := s.Store.DepartmentEscalations(c.Request().Context(), "", since)
	if err != nil {
		return err
	}
	names := s.departmentNames()
	v := escalationsPage{Since: sinceText,
		Export: "/api/departments/escalations/export?" + url.Values{"format": {"xlsx"}, "since": {sinceText}}.Encode()}
	for _, e := range escs {
		v.Rows = append(v.Rows, escalationRow{e, orRaw(names[e.Department], e.Department)})
	}
	return s.render(c, http.StatusOK, "escalations", labels.T("nav.escalations"), v)
}

// escalationsSince reads ?since=2026-01-01 (China time), a year back by default.
func (s *Server) escalationsSince(c echo.Context) (time.Time, string, error) {
	p := httpx.Params(c)
	t := p.Date("since")
	if err := p.Err(); err != nil {
		return t, p.String("since"), err
	}
	if t.IsZero() {
		t = s.Now().In(minyi.ChinaTime).AddDate(-1, 0, 0)
		y, m, d := t.Date()
		t = time.Date(y, m, d, 0, 0, 0, 0, minyi.ChinaTime)
	}
	return t, t.Format(time.DateOnly), nil
}

var escalationExportColumns = []string{"承办单位编号", "承办单位", "级别", "时间", "按时答复率", "原因"}

// exportEscalations serves GET /api/departments/escalations/export?format=&since=&department=.
func (s *Server) exportEscalations(c echo.Context) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	dept, err := departmentScope(principal(c), httpx.Params(c).String("department"))
	if err != nil {
		return err
	}
	since, sinceText, err := s.escalationsSince(c)
	if err != nil {
		return err
	}
	escs, err := s.Store.DepartmentEscalations(c.Request().Context(), dept, since)
	if err != nil {
		return err
	}
	names := s.departmentNames()
	name := fmt.Sprintf("escalations-since-%s.%s", sinceText, format)
	return s.writeTable(c, format, name, "升级记录", escalationExportColumns, func(emit func([]any) error) error {
		for _, e := range escs {
			if err := emit([]any{e.Department, names[e.Department], e.Rung.Label(),
				e.At, rate(e.OnTimeRate), e.Reason}); err != nil {
				return err
			}
		}
		return nil
	})
}

func init() {
	// lastDay is the last day inside a period that ends (exclusive) at t.
	templateFuncs["lastDay"] = func(t time.Time) time.Time { return t.Add(-time.Second) }
	templateFuncs["pct"] = func(r float64) string { return fmt.Sprintf("%.1f%%", r*100) }
}
