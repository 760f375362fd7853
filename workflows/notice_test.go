package workflows

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"minyi"
	"minyi/activities"
)

// A notice whose webhook is away at first is delivered on a later attempt;
// one that never goes through fails the workflow only after the case
// notices' patience, so that it shows as failed to the operator.
func TestNoticeWorkflowRetriesUntilDelivered(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	n := activities.Notice{Kind: minyi.NoticeFollowUp, CaseID: "case-1", Department: "housing", Text: "另一盏也坏了"}
	var attempts []activities.Notice
	env.OnActivity(a.Notify, mock.Anything, mock.Anything).Return(func(_ context.Context, got activities.Notice) error {
		attempts = append(attempts, got)
		if len(attempts) < 3 {
			return errors.New("webhook: 503 Service Unavailable")
		}
		return nil
	})
	env.ExecuteWorkflow(NoticeWorkflow, n)
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []activities.Notice{n, n, n}, attempts)

	env = ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	tries := 0
	env.OnActivity(a.Notify, mock.Anything, mock.Anything).Return(func(context.Context, activities.Notice) error {
		tries++
		return errors.New("webhook: connection refused")
	})
	env.ExecuteWorkflow(NoticeWorkflow, n)
	require.Error(t, env.GetWorkflowError())
	require.Equal(t, int(notifyActivity.RetryPolicy.MaximumAttempts), tries)
}
