package workflows

import (
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"
)

// Histories recorded from the real embedded server (see
// cmd/minyi TestPipeline, MINYI_RECORD_HISTORIES) must replay without a
// nondeterminism error: a workflow change that breaks running workflows
// fails here and needs workflow.GetVersion.
func TestReplayRecordedHistories(t *testing.T) {
	for _, name := range []string{"CrawlWorkflow", "IngestWorkflow", "CaseWorkflow", "AuditWorkflow", "AlertWorkflow"} {
		t.Run(name, func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join("testdata", "histories", name+"*.json"))
			if len(files) == 0 {
				t.Fatalf("no recorded history for %s in testdata/histories", name)
			}
			for _, f := range files {
				r := worker.NewWorkflowReplayer()
				RegisterWorkflows(r)
				if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
					t.Errorf("%s: %v", f, err)
				}
			}
		})
	}
}
