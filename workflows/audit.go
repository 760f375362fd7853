package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi/activities"
)

// AuditWorkflow is started by the audit schedule (daily by default): it
// judges every department's reply rates at the schedule's time.
func AuditWorkflow(ctx workflow.Context, in activities.AuditInput) (activities.AuditResult, error) {
	if in.At.IsZero() {
		in.At = workflow.Now(ctx)
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 10 * time.Second, MaximumAttempts: 5},
	})
	var res activities.AuditResult
	err := workflow.ExecuteActivity(ctx, a.AuditDepartments, in).Get(ctx, &res)
	return res, err
}
