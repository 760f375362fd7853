package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/activities"
)

// RelabelWorkflowID is the one re-analysis that runs at a time.
const RelabelWorkflowID = "relabel"

// QueryRelabel answers a re-analysis's progress (minyi.Relabeling).
const QueryRelabel = "progress"

// relabelStep is how many documents one step reads; relabelSteps how
// many steps a run takes before it continues as new, which bounds its
// history.
const (
	relabelStep  = 500
	relabelSteps = 100
)

// RelabelWorkflow labels every stored document again with the models in
// force after they changed (a new sentiment or category model), so that
// facets and trends agree with what new documents get. It reads the store
// in id order, stores changed labels and indexes those documents again;
// interrupted, it resumes from the last step done. Topics and events are
// left as they are: they depend on the order documents came in.
func RelabelWorkflow(ctx workflow.Context, in minyi.Relabeling) (minyi.Relabeling, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    activities.HeartbeatTimeout,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute},
	})
	state := in
	if err := workflow.SetQueryHandler(ctx, QueryRelabel, func() (minyi.Relabeling, error) { return state, nil }); err != nil {
		return state, err
	}
	if state.Started.IsZero() {
		state.Started = workflow.Now(ctx)
		if err := workflow.ExecuteActivity(ctx, a.CountDocuments).Get(ctx, &state.Total); err != nil {
			return state, err
		}
	}
	for range relabelSteps {
		var r activities.RelabelResult
		if err := workflow.ExecuteActivity(ctx, a.RelabelDocuments, activities.RelabelStep{After: state.After, Limit: relabelStep}).Get(ctx, &r); err != nil {
			return state, err
		}
		if len(r.Changed) > 0 {
			if err := workflow.ExecuteActivity(onIndexQueue(ctx), a.IndexDocuments, r.Changed).Get(ctx, nil); err != nil {
				return state, err
			}
		}
		state.After, state.Done, state.Changed = r.Next, state.Done+r.Read, state.Changed+len(r.Changed)
		state.Mixed = state.Mixed || (r.Read > 0 && r.Version != state.Version)
		if r.Read < relabelStep {
			if !state.Mixed {
				if err := workflow.ExecuteActivity(ctx, a.MarkLabelled, state.Version).Get(ctx, nil); err != nil {
					return state, err
				}
			}
			state.Finished = workflow.Now(ctx)
			return state, nil
		}
	}
	return state, workflow.NewContinueAsNewError(ctx, RelabelWorkflow, state)
}
