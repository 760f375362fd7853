package workflows

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
)

// Documents are analysed before they are indexed, so that the index gets
// their sentiment, category and topic.
func TestIngestAnalysesBeforeIndexing(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	var mu sync.Mutex
	var steps []string
	step := func(name string) func(context.Context, []string) (int, error) {
		return func(_ context.Context, ids []string) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			steps = append(steps, name)
			return len(ids), nil
		}
	}
	env.OnActivity(a.AnalyzeDocuments, mock.Anything, []string{"d1", "d2"}).Return(step("analyze")).Once()
	env.OnActivity(a.IndexDocuments, mock.Anything, []string{"d1", "d2"}).Return(step("index")).Once()
	env.OnActivity(a.SelectCases, mock.Anything, mock.Anything).Return(nil, nil)
	env.ExecuteWorkflow(IngestWorkflow, IngestInput{IDs: []string{"d1", "d2"}})
	require.NoError(t, env.GetWorkflowError())
	var res IngestResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, 2, res.Indexed)
	require.Equal(t, []string{"analyze", "index"}, steps)
	env.AssertExpectations(t)
}

// A failing analysis is retried, and nothing is indexed without it.
func TestIngestRetriesAnalysis(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	calls := 0
	env.OnActivity(a.AnalyzeDocuments, mock.Anything, mock.Anything).Return(func(context.Context, []string) (int, error) {
		calls++
		if calls < 3 {
			return 0, context.DeadlineExceeded
		}
		return 1, nil
	})
	env.OnActivity(a.IndexDocuments, mock.Anything, mock.Anything).Return(1, nil).Once()
	env.OnActivity(a.SelectCases, mock.Anything, mock.Anything).Return(nil, nil)
	env.ExecuteWorkflow(IngestWorkflow, IngestInput{IDs: []string{"d1"}})
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, 3, calls)
}
