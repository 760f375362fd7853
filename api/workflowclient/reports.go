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
	_, err := d.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    DeliveryWorkflowID(id),
		TaskQueue:             workflows.TaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.DeliverReportWorkflow, id)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	return err
}
