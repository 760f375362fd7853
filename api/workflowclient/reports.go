package workflowclient

import (
	"context"
	"errors"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"minyi/workflows"
)

// ReportDelivery starts the delivery of a report just published, one
// workflow per report (report-deliver-<id>): a second start for the same
// report finds the first.
type ReportDelivery struct {
	Client client.Client
}

// DeliveryWorkflowID names the delivery workflow of report id.
func DeliveryWorkflowID(id string) string { return "report-deliver-" + id }

func (d ReportDelivery) DeliverReport(ctx context.Context, id string) error {
	return startOnce(ctx, d.Client, DeliveryWorkflowID(id), workflows.DeliverReportWorkflow, id)
}

// startOnce starts workflow wf under id on the main task queue, once: a
// workflow of that id already started, running or closed, is the one asked
// for, and no error.
func startOnce(ctx context.Context, c client.Client, id string, wf any, args ...any) error {
	_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    id,
		TaskQueue:             workflows.TaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, wf, args...)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	return err
}
