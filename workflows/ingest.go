package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// IngestInput is one batch of stored documents, by id: bodies stay in the
// store, never in workflow history.
type IngestInput struct {
	IDs []string
}

type IngestResult struct {
	Indexed int
}

// IngestWorkflow takes one batch of stored documents through the rest of the
// pipeline. Each step is idempotent by document id, so a redelivered batch
// changes nothing.
func IngestWorkflow(ctx workflow.Context, in IngestInput) (IngestResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    5 * time.Minute,
			MaximumAttempts:    10,
		},
	})
	var indexed int
	if err := workflow.ExecuteActivity(ctx, a.IndexDocuments, in.IDs).Get(ctx, &indexed); err != nil {
		return IngestResult{}, err
	}
	return IngestResult{Indexed: indexed}, nil
}
