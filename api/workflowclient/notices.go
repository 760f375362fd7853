package workflowclient

import (
	"context"

	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/activities"
	"minyi/workflows"
)

// FollowUpNotices tells the handling department of a citizen's 追问 by a
// NoticeWorkflow: once the start is accepted the notice is Temporal's to
// deliver, with retries, whatever happens to this process.
type FollowUpNotices struct {
	Client client.Client
}

// NoticeWorkflowID names the notice of a case event; a second start for the
// same event finds the first.
func NoticeWorkflowID(e minyi.CaseEvent) string { return "notice-" + e.CaseID + "-" + e.Key }

// FollowedUp starts the notice of follow-up e on case c. A case that no
// department handles tells no one.
func (f FollowUpNotices) FollowedUp(ctx context.Context, c minyi.Case, e minyi.CaseEvent) error {
	if c.Department == "" {
		return nil
	}
	n := activities.Notice{Kind: minyi.NoticeFollowUp, CaseID: c.ID, Title: c.Title, Department: c.Department,
		Due: c.Due, Text: "来信人追问 / the petitioner asks again: " + e.Detail}
	return startOnce(ctx, f.Client, NoticeWorkflowID(e), workflows.NoticeWorkflow, n)
}
