package workflows

import (
	"go.temporal.io/sdk/worker"

	"minyi/activities"
)

// Register puts every workflow and the activities of acts on w.
func Register(w worker.Registry, acts *activities.Activities) {
	RegisterWorkflows(w)
	w.RegisterActivity(acts)
}

// RegisterWorkflows registers the workflows alone, e.g. on a replayer.
func RegisterWorkflows(w worker.WorkflowRegistry) {
	w.RegisterWorkflow(CrawlWorkflow)
	w.RegisterWorkflow(PollWorkflow)
	w.RegisterWorkflow(IngestWorkflow)
	w.RegisterWorkflow(CaseWorkflow)
	w.RegisterWorkflow(AuditWorkflow)
	w.RegisterWorkflow(AlertWorkflow)
	w.RegisterWorkflow(ReconcileWorkflow)
	w.RegisterWorkflow(ReportWorkflow)
	w.RegisterWorkflow(DeliverReportWorkflow)
	w.RegisterWorkflow(RelabelWorkflow)
	w.RegisterWorkflow(NoticeWorkflow)
}
