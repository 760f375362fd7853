package core

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/httpx"
	"minyi/api/labels"
	"minyi/report"
)

// ReportDeliverer hands a report just published to its delivery (email,
// robot messages); api/workflowclient starts the Temporal workflow.
type ReportDeliverer interface {
	DeliverReport(ctx context.Context, id string) error
}

// Who may do what with the 舆情 reports: analysts, supervisors and admins
// read and download them; analysts and admins make, edit and publish.
var (
	ReportReaders = []minyi.Role{RoleAnalyst, RoleSupervisor, RoleAdmin}
	ReportEditors = []minyi.Role{RoleAnalyst, RoleAdmin}
)

// MayEditReports tells whether u may make, edit and publish reports.
func MayEditReports(u *minyi.User) bool {
	if u == nil {
		return false
	}
	for _, r := range ReportEditors {
		if u.Role == r {
			return true
		}
	}
	return false
}

// ReportFilterParams reads kind, status, from and to (days, China time; to
// includes its day) of a report list; limit and offset are the caller's.
func ReportFilterParams(p *httpx.Query) (minyi.ReportFilter, error) {
	var f minyi.ReportFilter
	kinds := make([]string, len(report.Kinds))
	for i, k := range report.Kinds {
		kinds[i] = string(k)
	}
	f.Kind = p.OneOf("kind", "", kinds...)
	f.Status = minyi.ReportStatus(p.OneOf("status", "", string(minyi.ReportDraft), string(minyi.ReportPublished)))
	f.From, f.To = p.Date("from"), p.Date("to")
	if err := p.Err(); err != nil {
		return f, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, minyi.Errorf(minyi.EINVALID, "%s", labels.T("report.bad_range"))
	}
	return f, nil
}

// ReportContent decodes a kept report's content, the JSON of a report.Report.
func ReportContent(r minyi.Report) (*report.Report, error) {
	var content report.Report
	if err := json.Unmarshal(r.Content, &content); err != nil {
		return nil, fmt.Errorf("report %s: content: %w", r.ID, err)
	}
	return &content, nil
}

// MakeReport generates a report of spec now and keeps it as a draft of
// author, with an id of its kind, first day and a random tail (a scheduled
// report's id has none), and audits it.
func (s *Server) MakeReport(c echo.Context, spec report.Spec, author string) (minyi.Report, error) {
	ctx := c.Request().Context()
	spec.Now = s.Now()
	r, err := report.Generate(ctx, report.Deps{Index: s.Index, Cases: s.Store, Events: s.Store, Departments: s.DepartmentList()}, spec)
	if err != nil {
		return minyi.Report{}, err
	}
	content, err := json.Marshal(r)
	if err != nil {
		return minyi.Report{}, err
	}
	rec := minyi.Report{
		ID:   fmt.Sprintf("%s-%s-%s", spec.Kind, spec.From.In(minyi.ChinaTime).Format("20060102"), strings.ToLower(rand.Text()[:6])),
		Kind: string(spec.Kind), From: spec.From, To: spec.To, Title: r.Title,
		Author: author, Created: s.Now(), Content: content,
	}
	if err := s.Store.CreateReport(ctx, rec); err != nil {
		return minyi.Report{}, err
	}
	s.Audit(c, minyi.AuditEntry{Actor: author, Action: minyi.AuditReportMake, Target: rec.ID, Detail: r.Title})
	return rec, nil
}

// earliestReport is the first day a report may start on: nothing older is
// kept, and far-off dates are typing mistakes.
var earliestReport = time.Date(2000, 1, 1, 0, 0, 0, 0, minyi.ChinaTime)

// ReportSpecForm reads the make-a-report form: kind, from (a day from 2000
// up to now) and, for a special report, to (its last day, included) and q
// (its search).
func ReportSpecForm(kind, from, to, query string, now time.Time) (report.Spec, error) {
	spec := report.Spec{Kind: report.Kind(kind), Query: strings.TrimSpace(query)}
	known := false
	for _, k := range report.Kinds {
		known = known || k == spec.Kind
	}
	if !known {
		return spec, minyi.Errorf(minyi.EINVALID, "%s", labels.T("report.bad_kind"))
	}
	day := func(v string) (time.Time, error) {
		t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), minyi.ChinaTime)
		if err != nil {
			return t, minyi.Errorf(minyi.EINVALID, "%s", labels.T("report.bad_date"))
		}
		return t, nil
	}
	var err error
	if spec.From, err = day(from); err != nil {
		return spec, err
	}
	if spec.From.Before(earliestReport) || spec.From.After(now) {
		return spec, minyi.Errorf(minyi.EINVALID, "%s", labels.T("report.bad_from"))
	}
	if spec.Kind != report.Special {
		spec.To = report.PeriodFrom(spec.Kind, spec.From)
		spec.Query = ""
		return spec, nil
	}
	if spec.Query == "" {
		return spec, minyi.Errorf(minyi.EINVALID, "%s", labels.T("report.need_query"))
	}
	if _, err := minyi.ParseQuery(spec.Query); err != nil {
		return spec, err
	}
	last, err := day(to)
	if err != nil {
		return spec, err
	}
	spec.To = last.AddDate(0, 0, 1)
	if !spec.From.Before(spec.To) {
		return spec, minyi.Errorf(minyi.EINVALID, "%s", labels.T("report.bad_range"))
	}
	if spec.To.Sub(spec.From) > report.MaxPeriod {
		return spec, minyi.Errorf(minyi.EINVALID, "%s", labels.T("report.too_long"))
	}
	return spec, nil
}

// ReportEdit is what an analyst changes in a draft: the summary, the
// remarks, and the events and negative posts to drop (by index).
type ReportEdit struct {
	Summary, Remarks string
	DropEvents       []int
	DropNegative     []int
}

// maxReportText bounds the summary and the remarks.
const maxReportText = 5000

// SaveReport applies edit to a draft and keeps it; a published report is
// ECONFLICT and stays as it was.
func (s *Server) SaveReport(c echo.Context, id string, edit ReportEdit) error {
	ctx := c.Request().Context()
	rec, content, err := s.draft(ctx, id)
	if err != nil {
		return err
	}
	edit.Summary, edit.Remarks = strings.TrimSpace(edit.Summary), strings.TrimSpace(edit.Remarks)
	if edit.Summary == "" {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("report.need_summary"))
	}
	if utf8.RuneCountInString(edit.Summary) > maxReportText || utf8.RuneCountInString(edit.Remarks) > maxReportText {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.Tf("report.text_long", maxReportText))
	}
	content.Summary, content.Remarks = edit.Summary, edit.Remarks
	content.Events = dropIndexes(content.Events, edit.DropEvents)
	content.Negative = dropIndexes(content.Negative, edit.DropNegative)
	raw, err := json.Marshal(content)
	if err != nil {
		return err
	}
	if err := s.Store.SaveReportDraft(ctx, id, rec.Title, raw, s.Now()); err != nil {
		return err
	}
	s.Audit(c, minyi.AuditEntry{Actor: Principal(c).Login, Action: minyi.AuditReportSave, Target: id, Detail: rec.Title})
	return nil
}

// draft loads a draft and its content; a published report is ECONFLICT.
func (s *Server) draft(ctx context.Context, id string) (minyi.Report, *report.Report, error) {
	rec, err := s.Store.Report(ctx, id)
	if err != nil {
		return rec, nil, err
	}
	if rec.Status == minyi.ReportPublished {
		return rec, nil, minyi.Errorf(minyi.ECONFLICT, "%s", labels.T("report.already_published"))
	}
	content, err := ReportContent(rec)
	return rec, content, err
}

// dropIndexes keeps the items whose index is not in drop.
func dropIndexes[T any](items []T, drop []int) []T {
	out := make([]T, 0, len(items))
	for i, it := range items {
		keep := true
		for _, d := range drop {
			keep = keep && d != i
		}
		if keep {
			out = append(out, it)
		}
	}
	return out
}

// PublishReport renders a draft, keeps the files with the publication,
// audits it and starts its delivery; a second publication is ECONFLICT.
func (s *Server) PublishReport(c echo.Context, id string) error {
	ctx := c.Request().Context()
	rec, content, err := s.draft(ctx, id)
	if err != nil {
		return err
	}
	docx, pdf, err := report.Render(content)
	if err != nil {
		return err
	}
	login := Principal(c).Login
	if err := s.Store.PublishReport(ctx, id, login, s.Now(), docx, pdf); err != nil {
		if minyi.ErrorCode(err) == minyi.ECONFLICT {
			return minyi.Errorf(minyi.ECONFLICT, "%s", labels.T("report.already_published"))
		}
		return err
	}
	s.Audit(c, minyi.AuditEntry{Actor: login, Action: minyi.AuditReportPublish, Target: id, Detail: rec.Title})
	if s.Reports != nil {
		// Published is published: a delivery that cannot start now is
		// logged, and the report stays on the archive to hand out by hand.
		if err := s.Reports.DeliverReport(context.WithoutCancel(ctx), id); err != nil {
			s.Logger.Error("report published but its delivery did not start", "report", id, "err", err)
		}
	}
	return nil
}

// ReportFile is a report's DOCX or PDF: the stored bytes of a published
// report, rendered from the content of a draft.
func (s *Server) ReportFile(c echo.Context, format string) error {
	rec, err := s.Store.Report(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	docx, pdf := rec.DOCX, rec.PDF
	if rec.Status != minyi.ReportPublished {
		content, err := ReportContent(rec)
		if err != nil {
			return err
		}
		if docx, pdf, err = report.Render(content); err != nil {
			return err
		}
	}
	name := rec.Title + "-" + report.PeriodText(rec.From, rec.To)
	if rec.Status != minyi.ReportPublished {
		name += "-" + labels.T("report.status.draft")
	}
	data, ctype := pdf, "application/pdf"
	if format == "docx" {
		data, ctype = docx, report.DOCXContentType
	}
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf("attachment; filename=\"%s.%s\"; filename*=UTF-8''%s.%s", rec.ID, format, url.PathEscape(name), format))
	return c.Blob(200, ctype, data)
}
