package workflows

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/activities"
)

// onRelabelSteps answers a re-analysis's steps over n stored documents:
// ids d000000 … in order, every third of which gets other labels.
func onRelabelSteps(t *testing.T, env *testsuite.TestWorkflowEnvironment, n int, version func(step int) string) *int {
	steps := 0
	env.OnActivity(a.RelabelDocuments, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in activities.RelabelStep) (activities.RelabelResult, error) {
			first := 0
			if in.After != "" {
				_, err := fmt.Sscanf(in.After, "d%06d", &first)
				require.NoError(t, err)
				first++
			}
			r := activities.RelabelResult{Next: in.After, Version: version(steps)}
			steps++
			for i := first; i < min(first+in.Limit, n); i++ {
				r.Read++
				r.Next = fmt.Sprintf("d%06d", i)
				if i%3 == 0 {
					r.Changed = append(r.Changed, r.Next)
				}
			}
			return r, nil
		})
	return &steps
}

// A re-analysis reads every document once, indexes again exactly the ones
// whose labels changed, where the index is, and records the version.
func TestRelabelWorkflowLabelsEveryDocumentOnce(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	const n = 1234
	env.OnActivity(a.CountDocuments, mock.Anything).Return(n, nil).Once()
	onRelabelSteps(t, env, n, func(int) string { return "v2" })
	indexed := map[string]int{}
	env.OnActivity(a.IndexDocuments, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, ids []string) (int, error) {
			require.Equal(t, IndexTaskQueue, activity.GetInfo(ctx).TaskQueue)
			for _, id := range ids {
				indexed[id]++
			}
			return len(ids), nil
		})
	env.OnActivity(a.MarkLabelled, mock.Anything, "v2").Return(nil).Once()
	env.ExecuteWorkflow(RelabelWorkflow, minyi.Relabeling{Version: "v2"})
	require.NoError(t, env.GetWorkflowError())
	var res minyi.Relabeling
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, n, res.Total)
	require.Equal(t, n, res.Done)
	require.Equal(t, (n+2)/3, res.Changed)
	require.Len(t, indexed, (n+2)/3)
	for id, times := range indexed {
		require.Equal(t, 1, times, "%s indexed %d times", id, times)
	}
	require.False(t, res.Finished.IsZero())
	env.AssertExpectations(t)
}

// A long re-analysis continues as new with its place and counts, so its
// history stays small and the next run resumes where this one stopped.
func TestRelabelWorkflowContinuesAsNewWithItsPlace(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	n := relabelStep*relabelSteps + 10
	env.OnActivity(a.CountDocuments, mock.Anything).Return(n, nil).Once()
	onRelabelSteps(t, env, n, func(int) string { return "v2" })
	env.OnActivity(a.IndexDocuments, mock.Anything, mock.Anything).Return(1, nil)
	env.ExecuteWorkflow(RelabelWorkflow, minyi.Relabeling{Version: "v2"})
	var cont *workflow.ContinueAsNewError
	require.True(t, errors.As(env.GetWorkflowError(), &cont), "want continue-as-new, got %v", env.GetWorkflowError())
	var next minyi.Relabeling
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(cont.Input, &next))
	require.Equal(t, fmt.Sprintf("d%06d", relabelStep*relabelSteps-1), next.After)
	require.Equal(t, relabelStep*relabelSteps, next.Done)
	require.Equal(t, n, next.Total)
	require.False(t, next.Started.IsZero())
}

// A step that ran on a worker with other models (a rolling upgrade) keeps
// the version from being recorded, so the next start labels again.
func TestRelabelWorkflowRecordsNoVersionAfterMixedModels(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	env.OnActivity(a.CountDocuments, mock.Anything).Return(700, nil).Once()
	onRelabelSteps(t, env, 700, func(step int) string { return []string{"v1", "v2"}[min(step, 1)] })
	env.OnActivity(a.IndexDocuments, mock.Anything, mock.Anything).Return(1, nil)
	env.ExecuteWorkflow(RelabelWorkflow, minyi.Relabeling{Version: "v2"})
	require.NoError(t, env.GetWorkflowError())
	var res minyi.Relabeling
	require.NoError(t, env.GetWorkflowResult(&res))
	require.True(t, res.Mixed)
	require.Equal(t, 700, res.Done)
	env.AssertNotCalled(t, "MarkLabelled", mock.Anything, mock.Anything)
}
