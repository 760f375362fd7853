package main

import (
	"context"
	"log/slog"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/api/workflowclient"
	"minyi/workflows"
)

// labelStore is what ensureLabels reads: the settings that name the
// models the stored documents carry, and how many there are.
type labelStore interface {
	minyi.SettingsStore
	CountDocuments(ctx context.Context) (int, error)
}

// ensureLabels starts the re-analysis of the stored documents when the
// models in force (version) are not the ones that labelled them, e.g.
// after a new sentiment or category model, so that facets and trends
// agree with the labels of new documents. A re-analysis already running
// with these models is left to go on: a restart resumes it, never starts
// it over.
func ensureLabels(ctx context.Context, c client.Client, st labelStore, version string, logger *slog.Logger) error {
	have, _, err := minyi.LabelledWith(ctx, st)
	if err != nil || have == version {
		return err
	}
	n, err := st.CountDocuments(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		return minyi.MarkLabelled(ctx, st, version, time.Now())
	}
	running, err := workflowclient.Relabelings{Client: c}.Relabeling(ctx)
	if err != nil {
		logger.Warn("reading the re-analysis in progress; starting it anew", "error", err)
	}
	if running != nil && running.Version == version && running.Finished.IsZero() {
		logger.Info("re-analysis of stored documents continues", "version", version, "done", running.Done, "of", running.Total)
		return nil
	}
	_, err = c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.RelabelWorkflowID,
		TaskQueue:                workflows.TaskQueue,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING,
	}, workflows.RelabelWorkflow, minyi.Relabeling{Version: version})
	if err == nil {
		logger.Info("the analysis models changed: re-analysing the stored documents in the background", "documents", n, "from", have, "to", version)
	}
	return err
}
