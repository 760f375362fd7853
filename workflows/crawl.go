package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/activities"
)

// CrawlInput is what a source's schedule starts a crawl with.
type CrawlInput struct {
	Source string
}

// CrawlResult summarises one crawl and its ingest batches.
type CrawlResult struct {
	Run     minyi.CrawlRun
	Batches int
	Indexed int
}

// CrawlWorkflow crawls one source (the activity stores what it extracts) and
// then ingests the new and changed documents, one child workflow per batch.
func CrawlWorkflow(ctx workflow.Context, in CrawlInput) (CrawlResult, error) {
	runID := workflow.GetInfo(ctx).WorkflowExecution.RunID
	crawlCtx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Hour,
		// The activity heartbeats every few seconds whatever the crawl is
		// doing, so a crawl whose worker died is retried soon after a
		// restart, not minutes later.
		HeartbeatTimeout: 10 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			MaximumAttempts:        3,
			NonRetryableErrorTypes: []string{minyi.ENOTFOUND},
		},
	})
	var out activities.CrawlOutput
	if err := workflow.ExecuteActivity(crawlCtx, a.CrawlSource, activities.CrawlInput{Source: in.Source, RunID: runID}).Get(ctx, &out); err != nil {
		return CrawlResult{}, err
	}

	// Every batch starts before any is awaited so that they run side by side;
	// their number is bounded by the source's max pages.
	futures := make([]workflow.ChildWorkflowFuture, len(out.Batches))
	for i, ids := range out.Batches {
		childCtx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID: fmt.Sprintf("ingest-%s-%d", runID, i),
		})
		futures[i] = workflow.ExecuteChildWorkflow(childCtx, IngestWorkflow, IngestInput{IDs: ids})
	}
	res := CrawlResult{Run: out.Run, Batches: len(out.Batches)}
	var firstErr error
	for _, f := range futures {
		var r IngestResult
		if err := f.Get(ctx, &r); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		res.Indexed += r.Indexed
	}
	return res, firstErr
}
