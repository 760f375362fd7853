package activities

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"minyi"
	"minyi/notify"
	"minyi/report"
)

// ReportInput asks for the draft of the last whole period of Kind (daily,
// weekly or monthly) before At, the schedule's time.
type ReportInput struct {
	Kind string
	At   time.Time
}

// ReportDraft says which draft a scheduled run left, and whether it made it
// or found it made already.
type ReportDraft struct {
	ID      string
	Created bool
}

// ScheduledReportID names the scheduled report of kind for the period
// starting at from: daily-20261206. A second run for the same period finds
// it instead of making another.
func ScheduledReportID(kind report.Kind, from time.Time) string {
	return string(kind) + "-" + from.In(minyi.ChinaTime).Format("20060102")
}

// MakeReportDraft makes the draft of a scheduled report from the store and
// the index and keeps it for the analysts to edit and publish; the audit log
// records it. A period whose draft exists is left alone, so retries and a
// schedule that fires twice make one draft.
func (a *Activities) MakeReportDraft(ctx context.Context, in ReportInput) (ReportDraft, error) {
	kind := report.Kind(in.Kind)
	if kind != report.Daily && kind != report.Weekly && kind != report.Monthly {
		return ReportDraft{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("a schedule makes daily, weekly or monthly reports, not %q", in.Kind), "invalid", nil)
	}
	from, to := report.LastPeriod(kind, in.At)
	id := ScheduledReportID(kind, from)
	if _, err := a.Store.Report(ctx, id); err == nil {
		return ReportDraft{ID: id}, nil
	} else if minyi.ErrorCode(err) != minyi.ENOTFOUND {
		return ReportDraft{}, err
	}
	deps := report.Deps{Index: a.Index, Cases: a.Store, Events: a.Store}
	if a.Router != nil {
		deps.Departments = a.Router.Directory().Departments()
	}
	r, err := report.Generate(ctx, deps, report.Spec{Kind: kind, From: from, To: to, Now: in.At})
	if err != nil {
		return ReportDraft{}, fmt.Errorf("making the %s report of %s: %w", kind, from.Format("2006-01-02"), err)
	}
	content, err := json.Marshal(r)
	if err != nil {
		return ReportDraft{}, err
	}
	err = a.Store.CreateReport(ctx, minyi.Report{ID: id, Kind: string(kind), From: from, To: to, Title: r.Title,
		Author: minyi.ScheduleAuthor, Created: in.At, Content: content})
	if minyi.ErrorCode(err) == minyi.ECONFLICT {
		return ReportDraft{ID: id}, nil // another run kept it meanwhile
	} else if err != nil {
		return ReportDraft{}, err
	}
	if err := a.Store.AppendAudit(ctx, minyi.AuditEntry{At: in.At, Actor: minyi.ScheduleAuthor,
		Action: minyi.AuditReportMake, Target: id, Detail: r.Title}); err != nil {
		a.logger().Warn("report draft made but not audited", "report", id, "err", err)
	}
	a.logger().Info("report draft made", "report", id, "documents", r.Figures.Total)
	return ReportDraft{ID: id, Created: true}, nil
}

// DeliverReport sends a published report to its subscribers: the summary
// and a link, and by email the DOCX and PDF as they were published. A
// permanent failure (a bad webhook URL) is logged and dropped, as for
// notices; a report not published is never sent.
func (a *Activities) DeliverReport(ctx context.Context, id string) error {
	rep, err := a.Store.Report(ctx, id)
	if err != nil {
		return err
	}
	if rep.Status != minyi.ReportPublished {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("report %s is not published", id), minyi.ECONFLICT, nil)
	}
	to := a.Recipients.Reports
	if to == nil {
		a.logger().Info("report published, no subscribers to deliver to", "report", id)
		return nil
	}
	var content report.Report
	if err := json.Unmarshal(rep.Content, &content); err != nil {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("report %s: %v", id, err), minyi.EINVALID, err)
	}
	file := rep.Title + "-" + rep.From.In(minyi.ChinaTime).Format("2006-01-02")
	n := notify.Notification{Kind: notify.KindReport, Title: rep.Title + " " + report.PeriodText(rep.From, rep.To),
		Text: content.Summary, Attachments: []notify.Attachment{
			{Name: file + ".docx", ContentType: report.DOCXContentType, Data: rep.DOCX},
			{Name: file + ".pdf", ContentType: "application/pdf", Data: rep.PDF},
		}}
	if a.Recipients.BaseURL != "" {
		n.URL = a.Recipients.BaseURL + "/reports/" + id
	}
	return a.send(ctx, to, n, "delivering report "+id, "kind", notify.KindReport, "report", id)
}
