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

// The cases OpenCases recorded start from one step, after the index and
// before the outbox is cleared, and the ingest reports how many started.
func TestIngestStartsTheRecordedCasesInOneStep(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	var steps []string
	env.OnActivity(a.AnalyzeDocuments, mock.Anything, mock.Anything).Return(func(context.Context, []string) (int, error) {
		steps = append(steps, "analyze")
		return 2, nil
	})
	v := []minyi.DocumentVersion{{ID: "d1", ContentHash: "h1"}, {ID: "d2", ContentHash: "h2"}}
	env.OnActivity(a.IndexVersions, mock.Anything, mock.Anything).Return(func(context.Context, []string) (activities.IndexResult, error) {
		steps = append(steps, "index")
		return activities.IndexResult{Indexed: 2, Versions: v}, nil
	})
	starts := []activities.CaseStart{
		{DocumentID: "d1", Opened: &activities.CaseOpened{Case: minyi.Case{ID: minyi.CaseIDFor("d1")}, Recorded: 2}},
		{DocumentID: "d2", Reply: &minyi.OfficialReply{Unit: "市住建局", Body: "已处理"}},
	}
	env.OnActivity(a.OpenCases, mock.Anything, []string{"d1", "d2"}).Return(func(context.Context, []string) ([]activities.CaseStart, error) {
		steps = append(steps, "open")
		return starts, nil
	}).Once()
	env.OnActivity(a.StartCases, mock.Anything, starts).Return(func(context.Context, []activities.CaseStart) (int, error) {
		steps = append(steps, "start")
		return 1, nil // d2's case was running: it gets the reply instead
	}).Once()
	env.OnActivity(a.FinishDocuments, mock.Anything, v).Return(func(context.Context, []minyi.DocumentVersion) error {
		steps = append(steps, "finish")
		return nil
	}).Once()
	env.ExecuteWorkflow(IngestWorkflow, IngestInput{IDs: []string{"d1", "d2"}})
	require.NoError(t, env.GetWorkflowError())
	var res IngestResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, IngestResult{Indexed: 2, Cases: 1}, res)
	require.Equal(t, []string{"analyze", "index", "open", "start", "finish"}, steps)
	env.AssertExpectations(t)
}

// A case that fails to start fails the ingest before the outbox is
// cleared: the batch is retried or reconciled, its starts with it.
func TestIngestKeepsTheMarksWhenCasesFailToStart(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	env.OnActivity(a.AnalyzeDocuments, mock.Anything, mock.Anything).Return(1, nil)
	env.OnActivity(a.IndexVersions, mock.Anything, mock.Anything).Return(activities.IndexResult{Indexed: 1}, nil)
	env.OnActivity(a.OpenCases, mock.Anything, mock.Anything).Return([]activities.CaseStart{{DocumentID: "d1"}}, nil)
	env.OnActivity(a.StartCases, mock.Anything, mock.Anything).Return(0, errors.New("temporal unavailable"))
	finished := false
	env.OnActivity(a.FinishDocuments, mock.Anything, mock.Anything).Return(func(context.Context, []minyi.DocumentVersion) error {
		finished = true
		return nil
	})
	env.ExecuteWorkflow(IngestWorkflow, IngestInput{IDs: []string{"d1"}})
	require.Error(t, env.GetWorkflowError())
	require.False(t, finished, "the outbox was cleared for a batch whose cases did not start")
}
