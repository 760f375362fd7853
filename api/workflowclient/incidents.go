package workflowclient

import (
	"context"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/workflows"
)

// IncidentCases starts the case workflow of a 舆情事件 just raised; its
// workflow id is the incident's id, which is never reused.
type IncidentCases struct {
	Client client.Client
}

func (s IncidentCases) StartIncident(ctx context.Context, in minyi.Incident) error {
	_, err := s.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    in.ID,
		TaskQueue:             workflows.TaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.CaseWorkflow, workflows.CaseInput{DocumentID: in.DocumentID, Incident: &in})
	return err
}
