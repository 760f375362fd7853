package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"minyi"
	"minyi/workflows"
)

// syncPollers keeps one PollWorkflow per source with a poll interval,
// started afresh with the configured settings (what its last run saw is
// dropped: the first poll is a new baseline), and ends the polling of a
// source whose poll interval was turned off. A source removed from the
// config ends its own polling: the worker no longer knows it.
func syncPollers(ctx context.Context, c client.Client, sources []minyi.Source, logger *slog.Logger) error {
	for _, src := range sources {
		id := workflows.PollWorkflowPrefix + src.Name
		if src.PollInterval <= 0 {
			err := c.TerminateWorkflow(ctx, id, "", "list polling turned off in the config")
			var missing *serviceerror.NotFound
			if err != nil && !errors.As(err, &missing) {
				return fmt.Errorf("ending the polling of %s: %w", src.Name, err)
			}
			continue
		}
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID:                       id,
			TaskQueue:                workflows.TaskQueue,
			WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING,
			WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
			TypedSearchAttributes:    temporal.NewSearchAttributes(workflows.SourceKey.ValueSet(src.Name)),
		}, workflows.PollWorkflow, workflows.PollInput{Source: src.Name, Every: src.PollInterval, Interval: src.Interval})
		if err != nil {
			return fmt.Errorf("starting the polling of %s: %w", src.Name, err)
		}
		logger.Info("list polling started", "source", src.Name, "every", src.PollInterval.String())
	}
	return nil
}
