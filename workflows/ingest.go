package workflows

import (
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/activities"
)

// IngestInput is one batch of stored documents, by id: bodies stay in the
// store, never in workflow history.
type IngestInput struct {
	IDs []string
}

type IngestResult struct {
	Indexed int
	Cases   int // case workflows started
}

// IngestWorkflow takes one batch of stored documents through the rest of the
// pipeline. Each step is idempotent by document id, so a redelivered batch
// changes nothing.
func IngestWorkflow(ctx workflow.Context, in IngestInput) (IngestResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		// Every step heartbeats; a task lost on its way counts as failed
		// after this instead of after StartToClose. Timeouts are not part of
		// what replay compares, so older histories replay unchanged.
		HeartbeatTimeout: activities.HeartbeatTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    5 * time.Minute,
			MaximumAttempts:    10,
		},
	})
	if workflow.GetVersion(ctx, "local-steps", workflow.DefaultVersion, 1) == 1 {
		return ingestLocally(ctx, in)
	}
	var res IngestResult
	// Analysis comes before indexing so that the index carries sentiment,
	// category and topic as facets. Histories recorded before this step
	// replay without it.
	if workflow.GetVersion(ctx, "analyze", workflow.DefaultVersion, 1) == 1 {
		if err := workflow.ExecuteActivity(ctx, a.AnalyzeDocuments, in.IDs).Get(ctx, nil); err != nil {
			return res, err
		}
	}
	// With the outbox, indexing reports the versions it read, and the last
	// step clears exactly those from the outbox.
	outbox := workflow.GetVersion(ctx, "outbox", workflow.DefaultVersion, 1)
	var versions []minyi.DocumentVersion
	ictx := onIndexQueue(ctx)
	if outbox == 1 {
		var r activities.IndexResult
		if err := workflow.ExecuteActivity(ictx, a.IndexVersions, in.IDs).Get(ctx, &r); err != nil {
			return res, err
		}
		res.Indexed, versions = r.Indexed, r.Versions
	} else if err := workflow.ExecuteActivity(ictx, a.IndexDocuments, in.IDs).Get(ctx, &res.Indexed); err != nil {
		return res, err
	}
	if workflow.GetVersion(ctx, "open-cases", workflow.DefaultVersion, 1) == 1 {
		// Since "batch-open", one activity records the batch's new cases
		// before their workflows start, instead of each workflow its own.
		selectCases := a.SelectCases
		if workflow.GetVersion(ctx, "batch-open", workflow.DefaultVersion, 1) == 1 {
			selectCases = a.OpenCases
		}
		var starts []activities.CaseStart
		if err := workflow.ExecuteActivity(ctx, selectCases, in.IDs).Get(ctx, &starts); err != nil {
			return res, err
		}
		opened, err := startCases(ctx, starts)
		res.Cases = opened
		if err != nil {
			return res, err
		}
	}
	if outbox == 1 {
		if err := workflow.ExecuteActivity(ctx, a.FinishDocuments, versions).Get(ctx, nil); err != nil {
			return res, err
		}
	}
	return res, nil
}

// ingestLocally is the ingest since "local-steps": every step but indexing
// is a local activity, run by this workflow's worker inside its workflow
// task, and the cases start from the last but one instead of as child
// workflows. A batch costs two workflow tasks and one activity task, where
// it cost five of each and two events per case in this history; Temporal's
// work per batch was what kept the pipeline from the raw rate
// (BenchmarkIngestPrefetched). A local step that ran but was not recorded
// (the worker killed) runs again: each is idempotent by document id, and
// case workflows by their id. The steps' order is the versioned path's:
// analysis, index, cases recorded and started, outbox cleared.
func ingestLocally(ctx workflow.Context, in IngestInput) (IngestResult, error) {
	var res IngestResult
	lctx := workflow.WithLocalActivityOptions(ctx, localStep)
	if err := workflow.ExecuteLocalActivity(lctx, a.AnalyzeDocuments, in.IDs).Get(ctx, nil); err != nil {
		return res, err
	}
	// The index is a directory one process holds: its step stays a task of
	// the index queue.
	var r activities.IndexResult
	if err := workflow.ExecuteActivity(workflow.WithTaskQueue(ctx, IndexTaskQueue), a.IndexVersions, in.IDs).Get(ctx, &r); err != nil {
		return res, err
	}
	res.Indexed = r.Indexed
	var starts []activities.CaseStart
	if err := workflow.ExecuteLocalActivity(lctx, a.OpenCases, in.IDs).Get(ctx, &starts); err != nil {
		return res, err
	}
	if err := workflow.ExecuteLocalActivity(lctx, a.StartCases, starts).Get(ctx, &res.Cases); err != nil {
		return res, err
	}
	return res, workflow.ExecuteLocalActivity(lctx, a.FinishDocuments, r.Versions).Get(ctx, nil)
}

// localStep retries as the ingest's activities do. A retry whose backoff is
// longer than a workflow task waits on a timer.
var localStep = workflow.LocalActivityOptions{
	StartToCloseTimeout: 5 * time.Minute,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    5 * time.Minute,
		MaximumAttempts:    10,
	},
}

// startCases starts one case workflow per document that needs an answer. Its
// id derives from the document, so a redelivered message finds its case
// running: that case gets the reply the source has published since, if any.
func startCases(ctx workflow.Context, starts []activities.CaseStart) (int, error) {
	futures := make([]workflow.ChildWorkflowFuture, len(starts))
	for i, st := range starts {
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            minyi.CaseIDFor(st.DocumentID),
			ParentClosePolicy:     enums.PARENT_CLOSE_POLICY_ABANDON,
			WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		})
		futures[i] = workflow.ExecuteChildWorkflow(cctx, CaseWorkflow, CaseInput{DocumentID: st.DocumentID, Opened: st.Opened})
	}
	opened := 0
	for i, f := range futures {
		err := f.GetChildWorkflowExecution().Get(ctx, nil)
		switch {
		case err == nil:
			opened++
		case temporal.IsWorkflowExecutionAlreadyStartedError(err):
			if r := starts[i].Reply; r != nil {
				// A closed case ignores it: signalling fails, and that is fine.
				_ = workflow.SignalExternalWorkflow(ctx, minyi.CaseIDFor(starts[i].DocumentID), "", SignalSourceReply, *r).Get(ctx, nil)
			}
		default:
			return opened, err
		}
	}
	return opened, nil
}
