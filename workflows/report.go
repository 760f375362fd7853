package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi/activities"
)

// ReportWorkflow is started by a report schedule (daily at 08:00, weekly on
// Monday, monthly on the 1st): it makes the draft of the period just ended,
// which the analysts edit and publish. Generation reads the search index,
// so it runs where the index is.
func ReportWorkflow(ctx workflow.Context, in activities.ReportInput) (activities.ReportDraft, error) {
	if in.At.IsZero() {
		in.At = workflow.Now(ctx)
	}
	ctx = workflow.WithActivityOptions(workflow.WithTaskQueue(ctx, IndexTaskQueue), workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 30 * time.Second, MaximumAttempts: 5},
	})
	var res activities.ReportDraft
	err := workflow.ExecuteActivity(ctx, a.MakeReportDraft, in).Get(ctx, &res)
	return res, err
}

// DeliverReportWorkflow sends a report just published to its subscribers,
// retrying while a mail server or robot is away; the publication itself is
// done by then, so the analyst never waits on delivery.
func DeliverReportWorkflow(ctx workflow.Context, id string) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 30 * time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Minute, MaximumAttempts: 12},
	})
	return workflow.ExecuteActivity(ctx, a.DeliverReport, id).Get(ctx, nil)
}
