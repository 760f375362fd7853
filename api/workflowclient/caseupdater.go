// Package workflowclient is the HTTP layer's way into Temporal: the case
// actions sent as workflow Updates and the intake's batched ingest
// workflows. Nothing else under api/ imports Temporal's client.
package workflowclient

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"minyi"
)

// DefaultCaseUpdateTimeout bounds how long an action waits for the case
// workflow; with no worker running an update would otherwise wait forever.
const DefaultCaseUpdateTimeout = 30 * time.Second

// WorkflowCaseUpdater sends actions as Temporal Updates and waits until the
// workflow has accepted and completed them, so an answered request is durable.
type WorkflowCaseUpdater struct {
	Client  client.Client
	Timeout time.Duration // DefaultCaseUpdateTimeout when zero
}

func (w WorkflowCaseUpdater) UpdateCase(ctx context.Context, caseID, update string, arg any) (minyi.Case, error) {
	timeout := w.Timeout
	if timeout <= 0 {
		timeout = DefaultCaseUpdateTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Every request is a new action: a unique id keeps Temporal from
	// answering a second reply with the first one's result.
	h, err := w.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		UpdateID:     update + "-" + rand.Text(),
		WorkflowID:   caseID,
		UpdateName:   update,
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	var c minyi.Case
	if err == nil {
		err = h.Get(ctx, &c)
	}
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return c, minyi.Errorf(minyi.EINTERNAL, "case %s did not take the action within %s; try again", caseID, timeout)
		}
		return c, caseUpdateError(caseID, update, err)
	}
	return c, nil
}

// workflowCodes are the error codes a case workflow may reject an update
// with; their messages are written for the user.
var workflowCodes = map[string]bool{
	minyi.EINVALID: true, minyi.EFORBIDDEN: true, minyi.ECONFLICT: true,
	minyi.ENOTFOUND: true, minyi.ETOOLARGE: true, minyi.EUNAUTHORIZED: true, minyi.EUNAVAILABLE: true,
}

// caseUpdateError turns what Temporal answers into a domain error.
func caseUpdateError(caseID, update string, err error) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && workflowCodes[appErr.Type()] {
		return minyi.Errorf(appErr.Type(), "%s", appErr.Message())
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		// The server says "workflow execution already completed" for a
		// closed case and "workflow execution not found" for no case.
		if strings.Contains(notFound.Message, "already completed") {
			return minyi.Errorf(minyi.ECONFLICT, "case is closed")
		}
		return minyi.Errorf(minyi.ENOTFOUND, "no such case")
	}
	return fmt.Errorf("case %s: update %s: %w", caseID, update, err)
}
