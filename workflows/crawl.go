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
	// Interval is the source's crawl interval: the crawl's retries spread
	// over up to that long (zero: a quarter of an hour).
	Interval time.Duration
	// ChangedListsOnly crawls only below the list pages that changed
	// since the last complete crawl: the crawl a poll starts after seeing
	// a change. The scheduled crawl leaves it off and checks everything.
	ChangedListsOnly bool
}

// CrawlResult summarises one crawl and its ingest batches.
type CrawlResult struct {
	Run     minyi.CrawlRun
	Batches int
	Indexed int
}

// crawlRetry retries a failed crawl with backoff over up to the source's
// interval: a forum down for two minutes costs a retry, not the whole
// interval until the next scheduled crawl, and a longer outage gives way
// to that next crawl instead of piling retries on the site.
func crawlRetry(every time.Duration) *temporal.RetryPolicy {
	if every <= 0 {
		every = 15 * time.Minute
	}
	const first = 10 * time.Second
	longest := min(max(every/4, first), 5*time.Minute)
	attempts, waited := int32(1), time.Duration(0)
	for wait := first; waited+min(wait, longest) <= every; wait *= 2 {
		waited += min(wait, longest)
		attempts++
	}
	return &temporal.RetryPolicy{
		InitialInterval:        first,
		BackoffCoefficient:     2,
		MaximumInterval:        longest,
		MaximumAttempts:        attempts,
		NonRetryableErrorTypes: []string{minyi.ENOTFOUND},
	}
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
		RetryPolicy:      crawlRetry(in.Interval),
	})
	var out activities.CrawlOutput
	if err := workflow.ExecuteActivity(crawlCtx, a.CrawlSource, activities.CrawlInput{Source: in.Source, RunID: runID, ChangedListsOnly: in.ChangedListsOnly}).Get(ctx, &out); err != nil {
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
