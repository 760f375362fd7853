package workflowclient

import (
	"context"
	"errors"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/workflows"
)

// Relabelings reads the progress of the re-analysis of stored documents
// (workflows.RelabelWorkflow) for the admin's sources page.
type Relabelings struct {
	Client client.Client
}

// Relabeling returns the latest re-analysis, running or finished; nil when
// none ever ran.
func (r Relabelings) Relabeling(ctx context.Context) (*minyi.Relabeling, error) {
	v, err := r.Client.QueryWorkflow(ctx, workflows.RelabelWorkflowID, "", workflows.QueryRelabel)
	var missing *serviceerror.NotFound
	if errors.As(err, &missing) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var p minyi.Relabeling
	if err := v.Get(&p); err != nil {
		return nil, err
	}
	return &p, nil
}
