package workflows

import (
	"context"
	"testing"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"minyi/activities"
)

// A scheduled run asks for the draft of the period before the schedule's
// time, on the queue of the process that holds the index.
func TestReportWorkflowMakesTheDraftWhereTheIndexIs(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	start := env.Now()
	env.OnActivity(a.MakeReportDraft, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in activities.ReportInput) (activities.ReportDraft, error) {
			require.Equal(t, "daily", in.Kind)
			require.True(t, start.Equal(in.At), "drafts the period before the run's time %s, got %s", start, in.At)
			require.Equal(t, IndexTaskQueue, activity.GetInfo(ctx).TaskQueue)
			return activities.ReportDraft{ID: "daily-20261206", Created: true}, nil
		}).Once()
	env.ExecuteWorkflow(ReportWorkflow, activities.ReportInput{Kind: "daily"})
	require.NoError(t, env.GetWorkflowError())
	var res activities.ReportDraft
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, activities.ReportDraft{ID: "daily-20261206", Created: true}, res)
	env.AssertExpectations(t)
}
