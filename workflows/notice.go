package workflows

import (
	"go.temporal.io/sdk/workflow"

	"minyi/activities"
)

// NoticeWorkflow delivers one notice that no case workflow sends: a
// citizen's 追问 on a letter already answered, whose case workflow may have
// ended. Started once under an id of the event it tells of, it retries as
// a case's own notices do, so a department's webhook or mail server that is
// away for a while still gets the question, and a restart of the portal's
// process right after the citizen asked loses nothing.
func NoticeWorkflow(ctx workflow.Context, n activities.Notice) error {
	ctx = workflow.WithActivityOptions(ctx, notifyActivity)
	return workflow.ExecuteActivity(ctx, a.Notify, n).Get(ctx, nil)
}
