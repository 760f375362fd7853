package workflows

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"minyi"
	"minyi/activities"
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
	versions := []minyi.DocumentVersion{{ID: "d1", ContentHash: "h1"}, {ID: "d2", ContentHash: "h2"}}
	env.OnActivity(a.IndexVersions, mock.Anything, []string{"d1", "d2"}).Return(func(ctx context.Context, ids []string) (activities.IndexResult, error) {
		n, _ := step("index")(ctx, ids)
		return activities.IndexResult{Indexed: n, Versions: versions}, nil
	}).Once()
	env.OnActivity(a.OpenCases, mock.Anything, mock.Anything).Return(nil, nil)
	env.OnActivity(a.FinishDocuments, mock.Anything, versions).Return(func(context.Context, []minyi.DocumentVersion) error {
		_, err := step("finish")(nil, nil)
		return err
	}).Once()
	env.ExecuteWorkflow(IngestWorkflow, IngestInput{IDs: []string{"d1", "d2"}})
	require.NoError(t, env.GetWorkflowError())
	var res IngestResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, 2, res.Indexed)
	require.Equal(t, []string{"analyze", "index", "finish"}, steps)
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
	env.OnActivity(a.IndexVersions, mock.Anything, mock.Anything).Return(activities.IndexResult{Indexed: 1}, nil).Once()
	env.OnActivity(a.OpenCases, mock.Anything, mock.Anything).Return(nil, nil)
	env.OnActivity(a.FinishDocuments, mock.Anything, mock.Anything).Return(nil).Once()
	env.ExecuteWorkflow(IngestWorkflow, IngestInput{IDs: []string{"d1"}})
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, 3, calls)
}

// A failing outbox clear fails the ingest, so that its batch is retried or
// reconciled rather than reported done with its marks still set.
func TestIngestClearsOutboxLast(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	env.OnActivity(a.AnalyzeDocuments, mock.Anything, mock.Anything).Return(1, nil)
	v := []minyi.DocumentVersion{{ID: "d1", ContentHash: "h"}}
	env.OnActivity(a.IndexVersions, mock.Anything, mock.Anything).Return(activities.IndexResult{Indexed: 1, Versions: v}, nil)
	env.OnActivity(a.OpenCases, mock.Anything, mock.Anything).Return(nil, nil)
	env.OnActivity(a.FinishDocuments, mock.Anything, v).Return(errors.New("store down"))
	env.ExecuteWorkflow(IngestWorkflow, IngestInput{IDs: []string{"d1"}})
	require.Error(t, env.GetWorkflowError())
}

// A reconcile pass ingests every batch the outbox lists, a window at a time.
func TestReconcileIngestsPendingBatches(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	env.RegisterWorkflow(IngestWorkflow)
	batches := [][]string{{"d1", "d2"}, {"d3"}, {"d4"}}
	env.OnActivity(a.PendingBatches, mock.Anything, activities.PendingInput{OlderThan: time.Minute, Max: 10}).Return(batches, nil).Once()
	var mu sync.Mutex
	var indexed []string
	env.OnActivity(a.AnalyzeDocuments, mock.Anything, mock.Anything).Return(1, nil)
	env.OnActivity(a.IndexVersions, mock.Anything, mock.Anything).Return(func(_ context.Context, ids []string) (activities.IndexResult, error) {
		mu.Lock()
		defer mu.Unlock()
		indexed = append(indexed, ids...)
		return activities.IndexResult{Indexed: len(ids)}, nil
	})
	env.OnActivity(a.OpenCases, mock.Anything, mock.Anything).Return(nil, nil)
	env.OnActivity(a.FinishDocuments, mock.Anything, mock.Anything).Return(nil)
	env.ExecuteWorkflow(ReconcileWorkflow, ReconcileInput{OlderThan: time.Minute, Max: 10, Parallel: 2})
	require.NoError(t, env.GetWorkflowError())
	var res ReconcileResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, ReconcileResult{Documents: 4, Batches: 3}, res)
	require.ElementsMatch(t, []string{"d1", "d2", "d3", "d4"}, indexed)
}
