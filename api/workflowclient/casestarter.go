package workflowclient

import (
	"context"
	"errors"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/activities"
	"minyi/workflows"
)

// CaseStarter starts case workflows for the ingest's StartCases step
// (activities.CaseStarter).
type CaseStarter struct {
	Client client.Client
}

// StartCase starts the case workflow of st.DocumentID. Its id derives from
// the document and a second start is refused, running or closed: a
// redelivered message finds its case, which then gets the reply the source
// has published since, if any. Eager start hands the first workflow task to
// this process's worker with the start's answer, when it has a free slot.
func (s CaseStarter) StartCase(ctx context.Context, st activities.CaseStart) (bool, error) {
	id := minyi.CaseIDFor(st.DocumentID)
	_, err := s.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                                       id,
		TaskQueue:                                workflows.TaskQueue,
		WorkflowIDReusePolicy:                    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		EnableEagerStart:                         true,
	}, workflows.CaseWorkflow, workflows.CaseInput{DocumentID: st.DocumentID, Opened: st.Opened})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case err == nil:
		return true, nil
	case !errors.As(err, &started):
		return false, err
	case st.Reply == nil:
		return false, nil
	}
	// A closed case ignores the reply: it is not found, and that is fine.
	err = s.Client.SignalWorkflow(ctx, id, "", workflows.SignalSourceReply, *st.Reply)
	var closed *serviceerror.NotFound
	if errors.As(err, &closed) {
		err = nil
	}
	return false, err
}
