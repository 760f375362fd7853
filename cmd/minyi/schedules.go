package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"minyi"
	"minyi/activities"
	"minyi/report"
	"minyi/workflows"
)

const schedulePrefix = "crawl-"

// syncSchedules makes Temporal's schedules match the configured sources: one
// per source, updated when its interval changes, deleted when the source is
// gone. Each fires once right away so a new deployment sees data soon.
func syncSchedules(ctx context.Context, c client.Client, sources []minyi.Source, logger *slog.Logger) error {
	sc := c.ScheduleClient()
	want := map[string]bool{}
	for _, src := range sources {
		want[schedulePrefix+src.Name] = true
		if err := ensureSchedule(ctx, sc, src); err != nil {
			return fmt.Errorf("schedule for source %s: %w", src.Name, err)
		}
		logger.Info("crawl scheduled", "source", src.Name, "every", src.Interval.String())
	}
	iter, err := sc.List(ctx, client.ScheduleListOptions{})
	if err != nil {
		return fmt.Errorf("listing schedules: %w", err)
	}
	for iter.HasNext() {
		entry, err := iter.Next()
		if err != nil {
			return fmt.Errorf("listing schedules: %w", err)
		}
		if strings.HasPrefix(entry.ID, schedulePrefix) && !want[entry.ID] {
			if err := sc.GetHandle(ctx, entry.ID).Delete(ctx); err != nil {
				return fmt.Errorf("deleting schedule %s: %w", entry.ID, err)
			}
			logger.Info("crawl schedule removed", "schedule", entry.ID)
		}
	}
	return nil
}

func ensureSchedule(ctx context.Context, sc client.ScheduleClient, src minyi.Source) error {
	id := schedulePrefix + src.Name
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: src.Interval}}}
	action := &client.ScheduleWorkflowAction{
		ID:        id,
		Workflow:  workflows.CrawlWorkflow,
		Args:      []any{workflows.CrawlInput{Source: src.Name, Interval: src.Interval}},
		TaskQueue: workflows.TaskQueue,
		// Registered on the server (temporalserver.SearchAttributes, deploy/),
		// so an operator lists one source's crawls in the Temporal UI.
		TypedSearchAttributes: temporal.NewSearchAttributes(workflows.SourceKey.ValueSet(src.Name)),
	}
	return upsertSchedule(ctx, sc, id, spec, action, true)
}

const auditScheduleID = "audit-departments"

// ensureAuditSchedule keeps one schedule for the department audit, in China
// time, updated to the configured cron and thresholds.
func ensureAuditSchedule(ctx context.Context, c client.Client, cfg AuditConfig) error {
	spec := client.ScheduleSpec{CronExpressions: []string{cfg.Cron}, TimeZoneName: "Asia/Shanghai"}
	action := &client.ScheduleWorkflowAction{
		ID:        auditScheduleID,
		Workflow:  workflows.AuditWorkflow,
		Args:      []any{activities.AuditInput{Window: cfg.Window, SuperviseBelow: cfg.SuperviseBelow, NoticeBelow: cfg.NoticeBelow}},
		TaskQueue: workflows.TaskQueue,
	}
	return upsertSchedule(ctx, c.ScheduleClient(), auditScheduleID, spec, action, false)
}

const alertScheduleID = "alerts"

// ensureAlertSchedule keeps one schedule that checks for negative spikes
// every alert window, updated to the configured rule and subscriptions.
func ensureAlertSchedule(ctx context.Context, c client.Client, cfg AlertsConfig) error {
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: cfg.Window}}}
	action := &client.ScheduleWorkflowAction{
		ID:        alertScheduleID,
		Workflow:  workflows.AlertWorkflow,
		Args:      []any{workflows.AlertInput{Rule: cfg.AlertRule, Subscriptions: cfg.Subscriptions}},
		TaskQueue: workflows.TaskQueue,
	}
	return upsertSchedule(ctx, c.ScheduleClient(), alertScheduleID, spec, action, false)
}

// reportSchedulePrefix names the report schedules: report-daily and so on.
const reportSchedulePrefix = "report-"

// ensureReportSchedules keeps one schedule per kind of report that is not
// off, in China time, and deletes the schedules of kinds turned off.
func ensureReportSchedules(ctx context.Context, c client.Client, cfg ReportsConfig, logger *slog.Logger) error {
	sc := c.ScheduleClient()
	for _, kind := range []report.Kind{report.Daily, report.Weekly, report.Monthly} {
		cron, id := strings.TrimSpace(cfg.crons()[kind]), reportSchedulePrefix+string(kind)
		if cron == reportsOff {
			err := sc.GetHandle(ctx, id).Delete(ctx)
			var missing *serviceerror.NotFound
			if err == nil {
				logger.Info("report schedule removed", "schedule", id)
			} else if !errors.As(err, &missing) {
				return fmt.Errorf("deleting schedule %s: %w", id, err)
			}
			continue
		}
		spec := client.ScheduleSpec{CronExpressions: []string{cron}, TimeZoneName: "Asia/Shanghai"}
		action := &client.ScheduleWorkflowAction{
			ID:        id,
			Workflow:  workflows.ReportWorkflow,
			Args:      []any{activities.ReportInput{Kind: string(kind)}},
			TaskQueue: workflows.TaskQueue,
		}
		if err := upsertSchedule(ctx, sc, id, spec, action, false); err != nil {
			return fmt.Errorf("report schedule %s (%q): %w", id, cron, err)
		}
	}
	return nil
}

const reconcileScheduleID = "reconcile-outbox"

// reconcileEvery is how often the outbox is checked for documents an
// unfinished ingest left behind.
const reconcileEvery = 30 * time.Second

// ensureReconcileSchedule keeps the outbox reconcile running on a schedule,
// and runs it once now: what a crash left behind is finished at start.
func ensureReconcileSchedule(ctx context.Context, c client.Client, in workflows.ReconcileInput) error {
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: reconcileEvery}}}
	action := &client.ScheduleWorkflowAction{
		ID:        reconcileScheduleID,
		Workflow:  workflows.ReconcileWorkflow,
		Args:      []any{in},
		TaskQueue: workflows.TaskQueue,
	}
	return upsertSchedule(ctx, c.ScheduleClient(), reconcileScheduleID, spec, action, true)
}

// upsertSchedule creates a schedule or, when it exists, updates its spec
// and action, so every process that starts may call it; with trigger it
// also runs once now (skipped while a run is in flight).
func upsertSchedule(ctx context.Context, sc client.ScheduleClient, id string, spec client.ScheduleSpec,
	action *client.ScheduleWorkflowAction, trigger bool) error {
	_, err := sc.Create(ctx, client.ScheduleOptions{ID: id, Spec: spec, Action: action,
		Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP, TriggerImmediately: trigger})
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return err
	}
	h := sc.GetHandle(ctx, id)
	err = h.Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			s.Spec, s.Action = &spec, action
			return &client.ScheduleUpdate{Schedule: &s}, nil
		},
	})
	if err != nil || !trigger {
		return err
	}
	return h.Trigger(ctx, client.ScheduleTriggerOptions{Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP})
}
