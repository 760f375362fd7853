package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/httpx"
	"minyi/api/labels"
	"minyi/report"
)

// reportRoutes registers the 报告 pages: the archive, one report with its
// draft editor, and the downloads.
func (s *server) reportRoutes(e *echo.Echo) {
	readers := s.page(core.ReportReaders...)
	editors := s.page(core.ReportEditors...)
	e.GET("/reports", s.reportsPage, readers)
	e.POST("/reports", s.makeReport, editors)
	e.GET("/reports/:id", s.reportPage, readers)
	e.POST("/reports/:id/save", s.saveReport, editors)
	e.POST("/reports/:id/publish", s.publishReport, editors)
	e.GET("/reports/:id/docx", func(c echo.Context) error { return s.ReportFile(c, "docx") }, readers)
	e.GET("/reports/:id/pdf", func(c echo.Context) error { return s.ReportFile(c, "pdf") }, readers)
}

// reportsPageData is what templates/reports.html shows.
type reportsPageData struct {
	Rows    []reportRow
	Pager   pager
	Filter  url.Values // the filters as given, to refill the form
	Kinds   []string
	Error   string
	MayEdit bool
	Form    reportForm
}

type reportRow struct {
	minyi.Report
	Period string
}

// reportForm is the make-a-report form as given.
type reportForm struct {
	Kind, From, To, Q string
}

func (s *server) reportsPage(c echo.Context) error {
	return s.renderReports(c, http.StatusOK, reportsPageData{})
}

func (s *server) renderReports(c echo.Context, status int, d reportsPageData) error {
	d.Filter = c.QueryParams()
	d.MayEdit = core.MayEditReports(core.Principal(c))
	for _, k := range report.Kinds {
		d.Kinds = append(d.Kinds, string(k))
	}
	if d.Form.Kind == "" {
		d.Form.Kind = string(report.Daily)
		from, _ := report.LastPeriod(report.Daily, s.Now())
		d.Form.From = from.Format(time.DateOnly)
	}
	f, err := core.ReportFilterParams(httpx.Params(c))
	if err != nil {
		if minyi.ErrorCode(err) != minyi.EINVALID {
			return err
		}
		d.Error = minyi.ErrorMessage(err)
		return s.render(c, http.StatusBadRequest, "reports", labels.T("report.title"), d)
	}
	size := minyi.DefaultPageSize
	page, _ := strconv.Atoi(c.QueryParam("page"))
	page = max(page, 1)
	f.Limit, f.Offset = size, min((page-1)*size, 1_000_000)
	ctx := c.Request().Context()
	rows, total, err := s.Store.Reports(ctx, f)
	if err != nil {
		return err
	}
	_, _, d.Pager = paginate(c, total)
	if d.Pager.Page != page {
		f.Offset = (d.Pager.Page - 1) * size
		if rows, total, err = s.Store.Reports(ctx, f); err != nil {
			return err
		}
		_, _, d.Pager = paginate(c, total)
	}
	for _, r := range rows {
		d.Rows = append(d.Rows, reportRow{Report: r, Period: report.PeriodText(r.From, r.To)})
	}
	return s.render(c, status, "reports", labels.T("report.title"), d)
}

// makeReport generates a report now and opens it.
func (s *server) makeReport(c echo.Context) error {
	form := reportForm{Kind: c.FormValue("kind"), From: c.FormValue("from"), To: c.FormValue("to"), Q: c.FormValue("q")}
	spec, err := core.ReportSpecForm(form.Kind, form.From, form.To, form.Q, s.Now())
	var rec minyi.Report
	if err == nil {
		rec, err = s.MakeReport(c, spec, core.Principal(c).Login)
	}
	if err != nil {
		if minyi.ErrorCode(err) != minyi.EINVALID {
			return err
		}
		return s.renderReports(c, http.StatusBadRequest, reportsPageData{Error: minyi.ErrorMessage(err), Form: form})
	}
	return c.Redirect(http.StatusSeeOther, "/reports/"+url.PathEscape(rec.ID)+"?flash=made")
}

// reportPageData is what templates/report.html shows.
type reportPageData struct {
	Record  minyi.Report
	Content *report.Report
	Period  string
	MayEdit bool
	Error   string
	// VolumeChart is an ECharts option of the series by sentiment.
	VolumeChart map[string]any
}

// reportFlashes are the confirmations a redirect to a report may ask for.
var reportFlashes = map[string]string{"made": "report.made", "saved": "report.saved", "published": "report.published_flash"}

func (s *server) reportPage(c echo.Context) error {
	if key, ok := reportFlashes[c.QueryParam("flash")]; ok {
		c.Set(flashKey, labels.T(key))
	}
	return s.renderReport(c, http.StatusOK, "")
}

func (s *server) renderReport(c echo.Context, status int, msg string) error {
	rec, err := s.Store.Report(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	content, err := core.ReportContent(rec)
	if err != nil {
		return err
	}
	d := reportPageData{Record: rec, Content: content, Period: report.PeriodText(rec.From, rec.To),
		MayEdit: rec.Status == minyi.ReportDraft && core.MayEditReports(core.Principal(c)), Error: msg,
		VolumeChart: volumeChart(content.Figures.Series)}
	return s.render(c, status, "report", rec.Title+" "+d.Period, d)
}

func (s *server) saveReport(c echo.Context) error {
	if err := s.saveEdit(c); err != nil {
		return s.reportFailed(c, err)
	}
	return c.Redirect(http.StatusSeeOther, "/reports/"+url.PathEscape(c.Param("id"))+"?flash=saved")
}

// saveEdit keeps the draft editor's form.
func (s *server) saveEdit(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return minyi.Errorf(minyi.EINVALID, "%s", err)
	}
	edit := core.ReportEdit{Summary: form.Get("summary"), Remarks: form.Get("remarks"),
		DropEvents: indexes(form["drop_event"]), DropNegative: indexes(form["drop_negative"])}
	return s.SaveReport(c, c.Param("id"), edit)
}

// publishReport publishes a draft; from the draft editor (the form holds
// the summary) it keeps the edits first, so that what is published is
// what the analyst sees.
func (s *server) publishReport(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return minyi.Errorf(minyi.EINVALID, "%s", err)
	}
	if _, edited := form["summary"]; edited {
		if err := s.saveEdit(c); err != nil {
			return s.reportFailed(c, err)
		}
	}
	if err := s.PublishReport(c, c.Param("id")); err != nil {
		return s.reportFailed(c, err)
	}
	return c.Redirect(http.StatusSeeOther, "/reports/"+url.PathEscape(c.Param("id"))+"?flash=published")
}

// reportFailed shows a refused edit or publication on the report's page.
func (s *server) reportFailed(c echo.Context, err error) error {
	code := minyi.ErrorCode(err)
	status, ok := map[string]int{minyi.EINVALID: http.StatusBadRequest, minyi.ECONFLICT: http.StatusConflict}[code]
	if !ok {
		return err
	}
	return s.renderReport(c, status, minyi.ErrorMessage(err))
}

// indexes reads the checked items of a list; anything else is ignored.
func indexes(vs []string) []int {
	var out []int
	for _, v := range vs {
		if i, err := strconv.Atoi(v); err == nil && i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

// volumeChart draws a report's series as stacked bars by sentiment.
func volumeChart(series []report.Bucket) map[string]any {
	var names []string
	var pos, neu, neg []int
	for _, b := range series {
		names = append(names, b.Label)
		pos, neu, neg = append(pos, b.Positive), append(neu, b.Neutral), append(neg, b.Negative)
	}
	bar := func(s minyi.Sentiment, data []int) map[string]any {
		return map[string]any{"name": string(s), "type": "bar", "stack": "v", "data": data}
	}
	return map[string]any{
		"color":   sentimentColors,
		"tooltip": map[string]any{"trigger": "axis"},
		"legend":  map[string]any{"top": 0},
		"grid":    map[string]any{"left": 40, "right": 16, "top": 36, "bottom": 28},
		"xAxis":   map[string]any{"type": "category", "data": names},
		"yAxis":   map[string]any{"type": "value", "minInterval": 1},
		"series": []map[string]any{bar(minyi.SentimentPositive, pos), bar(minyi.SentimentNeutral, neu),
			bar(minyi.SentimentNegative, neg)},
	}
}
