package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi/activities"
)

// ReconcileInput bounds one pass over the outbox.
type ReconcileInput struct {
	OlderThan time.Duration // leave younger marks to the ingest that wrote them
	Max       int           // documents per pass; the next pass takes the rest
	Parallel  int           // ingest batches in flight at once
}

// DefaultReconcile is what the schedule runs with.
var DefaultReconcile = ReconcileInput{OlderThan: 30 * time.Second, Max: 5000, Parallel: 4}

// ReconcileResult counts what a pass finished.
type ReconcileResult struct {
	Documents int
	Batches   int
}

// ReconcileWorkflow finishes the pipeline of every document the outbox
// still holds: one a crash, a lost workflow start or an unreachable
// Temporal left between the store and the index or its case. Each step of
// ingest is idempotent and a case's workflow id derives from its document,
// so a document that was in fact on its way is not done twice.
func ReconcileWorkflow(ctx workflow.Context, in ReconcileInput) (ReconcileResult, error) {
	if in.Parallel < 1 {
		in.Parallel = 1
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 5},
	})
	var batches [][]string
	if err := workflow.ExecuteActivity(actx, a.PendingBatches, activities.PendingInput{OlderThan: in.OlderThan, Max: in.Max}).Get(ctx, &batches); err != nil {
		return ReconcileResult{}, err
	}
	runID := workflow.GetInfo(ctx).WorkflowExecution.RunID
	var res ReconcileResult
	var firstErr error
	// A window of in.Parallel children at a time bounds the load a large
	// backlog puts on the worker.
	for start := 0; start < len(batches); start += in.Parallel {
		end := min(start+in.Parallel, len(batches))
		futures := make([]workflow.ChildWorkflowFuture, 0, end-start)
		for i := start; i < end; i++ {
			cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
				WorkflowID: fmt.Sprintf("ingest-outbox-%s-%d", runID, i),
			})
			futures = append(futures, workflow.ExecuteChildWorkflow(cctx, IngestWorkflow, IngestInput{IDs: batches[i]}))
		}
		for j, f := range futures {
			if err := f.Get(ctx, nil); err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			res.Batches++
			res.Documents += len(batches[start+j])
		}
	}
	return res, firstErr
}
