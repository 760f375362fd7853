package workflowclient

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"minyi"
)

// The errors here are the ones Temporal answers an update with: the case
// workflow's ApplicationError (rejected by its validator or handler), and
// the server's NotFound for a missing or finished workflow.
func TestCaseUpdateError(t *testing.T) {
	tests := []struct {
		name    string
		Err     error
		code    string
		message string
	}{
		{"workflow refusal keeps code and message",
			temporal.NewApplicationError("case is assigned to housing, not water", minyi.EFORBIDDEN),
			minyi.EFORBIDDEN, "case is assigned to housing, not water"},
		{"refusal wrapped by the client",
			fmt.Errorf("update failed: %w", temporal.NewApplicationError("reply text is empty", minyi.EINVALID)),
			minyi.EINVALID, "reply text is empty"},
		{"conflict",
			temporal.NewNonRetryableApplicationError("extension requested after the due date", minyi.ECONFLICT, nil),
			minyi.ECONFLICT, "extension requested after the due date"},
		{"an application error that is not a domain code is internal",
			temporal.NewApplicationError("nil pointer", "PanicError"),
			minyi.EINTERNAL, "internal error"},
		{"an internal code from the workflow stays internal",
			temporal.NewApplicationError("store down at 10.0.0.3", minyi.EINTERNAL),
			minyi.EINTERNAL, "internal error"},
		{"no workflow",
			serviceerror.NewNotFound("workflow execution not found"),
			minyi.ENOTFOUND, "no such case"},
		{"finished workflow",
			serviceerror.NewNotFound("workflow execution already completed"),
			minyi.ECONFLICT, "case is closed"},
		{"anything else",
			serviceerror.NewUnavailable("connection refused"),
			minyi.EINTERNAL, "internal error"},
		{"a cancelled request",
			context.Canceled,
			minyi.EINTERNAL, "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := caseUpdateError("case-1", "reply", tt.Err)
			if code := minyi.ErrorCode(err); code != tt.code {
				t.Errorf("code = %q, want %q (err %v)", code, tt.code, err)
			}
			if msg := minyi.ErrorMessage(err); msg != tt.message {
				t.Errorf("message = %q, want %q", msg, tt.message)
			}
			if tt.code == minyi.EINTERNAL && !errors.Is(err, tt.Err) {
				t.Errorf("internal error %v does not wrap the cause for the log", err)
			}
		})
	}
}
