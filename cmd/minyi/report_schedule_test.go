package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/activities"
	"minyi/demosite"
	"minyi/report"
)

// The report schedules exist in China time unless turned off; a run of the
// daily one leaves yesterday's draft in the store, made from the index.
func TestReportSchedules(t *testing.T) {
	ta := startTestAppWith(t, demosite.Options{Seed: 3, Threads: 2, Letters: 1}, func(c *Config) { c.Reports.Monthly = reportsOff })
	ctx := context.Background()
	sc := ta.client.ScheduleClient()
	for kind, weekday := range map[report.Kind]time.Weekday{report.Daily: -1, report.Weekly: time.Monday} {
		d, err := sc.GetHandle(ctx, reportSchedulePrefix+string(kind)).Describe(ctx)
		if err != nil {
			t.Fatalf("%s schedule: %v", kind, err)
		}
		if len(d.Info.NextActionTimes) == 0 {
			t.Fatalf("%s schedule has no next run", kind)
		}
		for _, next := range d.Info.NextActionTimes {
			next = next.In(minyi.ChinaTime)
			if next.Hour() != 8 || next.Minute() != 0 || weekday >= 0 && next.Weekday() != weekday {
				t.Errorf("%s schedule runs at %s, want 08:00 China time%s", kind, next, map[bool]string{true: " on Mondays"}[weekday >= 0])
			}
		}
	}
	if _, err := sc.GetHandle(ctx, reportSchedulePrefix+"monthly").Describe(ctx); err == nil {
		t.Error("the monthly schedule exists though it is off")
	}

	// Running the schedule again on a restart with it on, then off, keeps
	// one schedule and then none.
	if err := ensureReportSchedules(ctx, ta.client, ReportsConfig{Daily: "0 8 * * *", Weekly: reportsOff, Monthly: "0 8 1 * *"}, ta.logger); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.GetHandle(ctx, reportSchedulePrefix+"weekly").Describe(ctx); err == nil {
		t.Error("the weekly schedule survived being turned off")
	}

	if err := sc.GetHandle(ctx, reportSchedulePrefix+"daily").Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	from, _ := report.LastPeriod(report.Daily, time.Now())
	id := activities.ScheduledReportID(report.Daily, from)
	var kept minyi.Report
	deadline := time.Now().Add(time.Minute)
	for {
		var err error
		if kept, err = ta.store.Report(ctx, id); err == nil {
			break
		} else if minyi.ErrorCode(err) != minyi.ENOTFOUND || time.Now().After(deadline) {
			t.Fatalf("no draft %s after the daily schedule ran: %v", id, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var r report.Report
	if err := json.Unmarshal(kept.Content, &r); err != nil || r.Kind != report.Daily || r.Summary == "" || kept.Status != minyi.ReportDraft {
		t.Fatalf("draft %+v: %+v, %v", kept, r, err)
	}
}
