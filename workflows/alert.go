package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/activities"
)

// AlertInput is what the alert schedule starts each run with.
type AlertInput struct {
	Rule          minyi.AlertRule
	Subscriptions []activities.Subscription
	// End of the window to check; zero (what the schedule sends) means the
	// window that just ended. A test or a backfill names a past window.
	End time.Time
}

type AlertResult struct {
	Alerts []string // keys of the alerts raised
	Cases  int      // cases opened
}

// AlertWorkflow is started by the alert schedule every window: it checks
// the window that just ended (aligned to the window length, so a retried or
// late run checks the same window and raises the same keys), opens a case
// for each alert whose subscription asks for one, and notifies supervisors
// and the subscription's department.
func AlertWorkflow(ctx workflow.Context, in AlertInput) (AlertResult, error) {
	var res AlertResult
	end := in.End
	if end.IsZero() {
		end = workflow.Now(ctx).Truncate(in.Rule.Window)
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 5 * time.Second, MaximumInterval: time.Minute,
			MaximumAttempts: 10, NonRetryableErrorTypes: []string{minyi.EINVALID}},
	})
	var alerts []activities.Alert
	check := activities.AlertCheck{Rule: in.Rule, Subscriptions: in.Subscriptions, End: end}
	if err := workflow.ExecuteActivity(onIndexQueue(actx), a.CheckAlerts, check).Get(ctx, &alerts); err != nil {
		return res, err
	}
	// A notice still undelivered when the next window's check starts is
	// stale: the next check speaks for itself.
	nopts := notifyActivity
	nopts.ScheduleToCloseTimeout = max(in.Rule.Window, time.Minute)
	nctx := workflow.WithActivityOptions(ctx, nopts)
	for _, al := range alerts {
		res.Alerts = append(res.Alerts, al.Key)
		n := activities.Notice{Kind: minyi.NoticeAlert, Title: al.Title, Text: al.Text, Department: al.Department, Supervisor: true}
		if al.OpenCase {
			var docID string
			if err := workflow.ExecuteActivity(actx, a.AlertDocument, al).Get(ctx, &docID); err != nil {
				return res, err
			}
			opened, err := startCases(ctx, []activities.CaseStart{{DocumentID: docID}})
			res.Cases += opened
			if err != nil {
				return res, err
			}
			n.CaseID = minyi.CaseIDFor(docID)
		}
		if err := workflow.ExecuteActivity(nctx, a.Notify, n).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Warn("alert not delivered", "alert", al.Key, "err", err)
		}
	}
	return res, nil
}
