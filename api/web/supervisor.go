package web

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/httpx"
	"minyi/api/labels"
	"minyi/workflows"
)

// The supervisor's pages (督查): overdue board, statistics and league
// table, extension queue, escalation history; and the supervisor's forms
// on the case page (decision, reassign, 并单, 回访).

func (s *server) supervisorPages(e *echo.Echo) {
	sup := s.page(core.RoleSupervisor)
	e.GET("/overdue", s.overduePage, sup)
	e.GET("/stats", s.statsPage, s.page(core.RoleSupervisor, core.RoleAdmin))
	e.GET("/extensions", s.extensionsPage, sup)
	e.GET("/escalations", s.escalationsPage, sup)
	e.POST("/cases/:id/decision", s.decisionForm, sup)
	e.POST("/cases/:id/reassign", s.caseForm(workflows.UpdateReassign, "reassigned", func(c echo.Context, u *minyi.User) (any, error) {
		return s.ReassignArgs(u, c.FormValue("department"), c.FormValue("reason"))
	}), sup)
	e.POST("/cases/:id/merge", s.caseForm(workflows.UpdateMerge, "merged", func(c echo.Context, u *minyi.User) (any, error) {
		return core.MergeArgs(u, c.FormValue("into"), c.FormValue("reason"))
	}), sup)
	e.POST("/cases/:id/rating", s.caseForm(workflows.UpdateRate, "rated", func(c echo.Context, _ *minyi.User) (any, error) {
		return core.RatingArgs(minyi.Rating(c.FormValue("rating")), c.FormValue("comment"))
	}), s.page(core.RoleSupervisor, core.RoleAdmin))
}

func (s *server) decisionForm(c echo.Context) error {
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
		return core.DecisionArgs(u, approve, c.FormValue("reason"))
	})(c)
}

type statsPage struct {
	Period      core.Period
	Departments []core.DepartmentRow
	Red, Black  []core.DepartmentRow
	Chart       map[string]any
	Export      string
}

// statsPage shows the figures of a period (the last whole month by default), the
// red and black list, and a chart of the on-time and response rates.
func (s *server) statsPage(c echo.Context) error {
	now := s.Now()
	p, ok, err := core.PeriodParam(httpx.Params(c), now)
	if err != nil {
		return err
	}
	if !ok {
		// The last whole month, as the monthly league table has it.
		p.Kind = "month"
		if p.From, err = core.MonthParam("", now); err != nil {
			return err
		}
		p.Month = p.From.Format("2006-01")
		p.To, p.Label = p.From.AddDate(0, 1, 0), p.Month
	}
	stats, err := s.Store.DepartmentStats(c.Request().Context(), p.From, p.To, now)
	if err != nil {
		return err
	}
	red, black := minyi.RankDepartments(stats, core.LeagueListSize)
	v := statsPage{Period: p, Departments: s.Named(stats), Red: s.Named(red), Black: s.Named(black)}
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
func rateChart(rows []core.DepartmentRow) map[string]any {
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
		names = append(names, core.OrRaw(d.Name, d.Department))
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

type extensionsPage struct {
	Rows []core.ExtensionRow
	CSRF string
}

// extensionsPage is the queue of extension requests waiting for a
// decision, oldest request first.
func (s *server) extensionsPage(c echo.Context) error {
	withFlash(c)
	rows, err := s.PendingExtensions(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "extensions", labels.T("nav.extensions"), extensionsPage{Rows: rows, CSRF: core.CSRFToken(c)})
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
func (s *server) escalationsPage(c echo.Context) error {
	since, sinceText, err := s.EscalationsSince(c)
	if err != nil {
		return err
	}
	escs, err := s.Store.DepartmentEscalations(c.Request().Context(), "", since)
	if err != nil {
		return err
	}
	names := s.DepartmentNames()
	v := escalationsPage{Since: sinceText,
		Export: "/api/departments/escalations/export?" + url.Values{"format": {"xlsx"}, "since": {sinceText}}.Encode()}
	for _, e := range escs {
		v.Rows = append(v.Rows, escalationRow{e, core.OrRaw(names[e.Department], e.Department)})
	}
	return s.render(c, http.StatusOK, "escalations", labels.T("nav.escalations"), v)
}

func init() {
	// lastDay is the last day inside a period that ends (exclusive) at t.
	templateFuncs["lastDay"] = func(t time.Time) time.Time { return t.Add(-time.Second) }
	templateFuncs["pct"] = func(r float64) string { return fmt.Sprintf("%.1f%%", r*100) }
}
