package workflows

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"minyi"
)

// Histories recorded from the real embedded server must replay without a
// nondeterminism error: a workflow change that breaks running workflows
// fails here and needs workflow.GetVersion. cmd/minyi's end-to-end tests
// record the pipeline's (TestPipeline, MINYI_RECORD_HISTORIES), and
// workflows/record the scenarios listed in recordedScenarios.
func TestReplayRecordedHistories(t *testing.T) {
	for _, name := range []string{"CrawlWorkflow", "IngestWorkflow", "CaseWorkflow", "AuditWorkflow", "AlertWorkflow", "ReconcileWorkflow", "ReportWorkflow", "DeliverReportWorkflow", "RelabelWorkflow", "PollWorkflow", "NoticeWorkflow"} {
		t.Run(name, func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join("testdata", "histories", name+"*.json"))
			if len(files) == 0 {
				t.Fatalf("no recorded history for %s in testdata/histories", name)
			}
			for _, f := range files {
				if err := replay(f, RegisterWorkflows); err != nil {
					t.Errorf("%s: %v", f, err)
				}
			}
		})
	}
}

// recordedScenarios are what can break on replay, one history each: every
// rung by its timer, the reply published on the source (a signal), each
// Update of the case, a case started with the case its ingest opened, the
// audit escalating, an alert opening a case and the outbox reconcile
// starting ingests, both cases of a merge (并单) and a citizen's 追问
// delivered by a NoticeWorkflow.
var recordedScenarios = []string{
	"CaseWorkflow-rungs", "CaseWorkflow-source-reply", "CaseWorkflow-reply", "CaseWorkflow-return",
	"CaseWorkflow-extension", "CaseWorkflow-redo", "CaseWorkflow-reassign", "CaseWorkflow-opened-by-ingest",
	"AuditWorkflow-escalations", "AlertWorkflow-spike", "ReconcileWorkflow", "IngestWorkflow-reconcile",
	"ReportWorkflow-daily", "DeliverReportWorkflow", "RelabelWorkflow", "PollWorkflow", "CaseWorkflow-incident",
	"CaseWorkflow-merge", "CaseWorkflow-merge-primary", "NoticeWorkflow",
}

// A history that is missing would make the test above pass for nothing.
func TestRecordedScenariosExist(t *testing.T) {
	for _, name := range recordedScenarios {
		if _, err := os.Stat(filepath.Join("testdata", "histories", name+".json")); err != nil {
			t.Errorf("%s: %v (record it: see workflows/record)", name, err)
		}
	}
}

// The replay test is only worth something if it fails on an unversioned
// change. Each change below, made to CaseWorkflow without
// workflow.GetVersion, must be refused by every recorded case history; the
// same change behind GetVersion must replay them all.
func TestReplayDetectsUnversionedChange(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "histories", "CaseWorkflow*.json"))
	if len(files) == 0 {
		t.Fatal("no recorded case history")
	}
	changes := []struct {
		name   string
		change func(workflow.Context)
	}{
		{"a timer before opening the case", func(ctx workflow.Context) { _ = workflow.Sleep(ctx, time.Minute) }},
		{"an activity alongside opening the case", func(ctx workflow.Context) {
			workflow.Go(ctx, func(ctx workflow.Context) {
				_ = workflow.ExecuteActivity(quick(ctx), a.RerouteDeadline, workflow.Now(ctx)).Get(ctx, nil)
			})
		}},
	}
	for _, c := range changes {
		changed := func(versioned bool) func(r worker.WorkflowRegistry) {
			wf := func(ctx workflow.Context, in CaseInput) (minyi.Case, error) {
				if !versioned || workflow.GetVersion(ctx, "changed", workflow.DefaultVersion, 1) == 1 {
					c.change(ctx)
				}
				return CaseWorkflow(ctx, in)
			}
			return func(r worker.WorkflowRegistry) {
				r.RegisterWorkflowWithOptions(wf, workflow.RegisterOptions{Name: "CaseWorkflow"})
			}
		}
		t.Run(c.name, func(t *testing.T) {
			for _, f := range files {
				// TMPRL1100 is the SDK's code for every nondeterminism it detects.
				if err := replay(f, changed(false)); err == nil || !strings.Contains(err.Error(), "TMPRL1100") {
					t.Errorf("%s: unversioned, replay gave %v; want a nondeterminism error", f, err)
				}
				if err := replay(f, changed(true)); err != nil {
					t.Errorf("%s: behind GetVersion: %v", f, err)
				}
			}
		})
	}
}

func replay(file string, register func(worker.WorkflowRegistry)) error {
	r := worker.NewWorkflowReplayer()
	register(r)
	return r.ReplayWorkflowHistoryFromJSONFile(nil, file)
}
