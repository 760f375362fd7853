package workflows

import (
	"go.temporal.io/sdk/worker"

	"minyi/activities"
)

// Register puts every workflow and the activities of acts on w.
func Register(w worker.Registry, acts *activities.Activities) {
	w.RegisterWorkflow(CrawlWorkflow)
	w.RegisterWorkflow(IngestWorkflow)
	w.RegisterActivity(acts)
}
