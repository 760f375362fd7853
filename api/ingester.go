package api

import (
	"context"
	"errors"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/workflows"
)

// WorkflowIngester starts one ingest workflow per message version. The
// workflow id names the document and its content, and a finished id is never
// reused, so a resubmitted identical message is not ingested twice.
type WorkflowIngester struct {
	Client client.Client
}

func (w WorkflowIngester) Ingest(ctx context.Context, doc minyi.Document) error {
	_, err := w.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    "ingest-doc-" + doc.ID + "-" + doc.ContentHash,
		TaskQueue:             workflows.TaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.IngestWorkflow, workflows.IngestInput{IDs: []string{doc.ID}})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	if err != nil {
		return minyi.Errorf(minyi.EINTERNAL, "starting ingestion: %v", err)
	}
	return nil
}
