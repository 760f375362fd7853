package main

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"minyi/demosite"
	"minyi/workflows"
)

// The reconcile's view of what is in flight comes from Temporal's
// visibility: an ingest that no worker has picked up yet counts from its
// start, and stops counting once it ends.
func TestInFlightFindsWaitingIngest(t *testing.T) {
	ta := startTestApp(t, demosite.Options{Seed: 1, Threads: 1, Letters: 1})
	ctx := context.Background()
	f := inFlight{ta.client}
	none := func() bool {
		_, ok, err := f.OldestRunningStart(ctx)
		return err == nil && !ok
	}
	waitFor(t, 30*time.Second, "the crawls of the start over", none)
	// No worker polls this queue: the ingest waits, as one does behind a backlog.
	run, err := ta.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "waiting-ingest", TaskQueue: "nobody-polls"},
		workflows.IngestWorkflow, workflows.IngestInput{IDs: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := ta.client.DescribeWorkflowExecution(ctx, run.GetID(), run.GetRunID())
	if err != nil {
		t.Fatal(err)
	}
	started := d.WorkflowExecutionInfo.GetStartTime().AsTime()
	waitFor(t, 10*time.Second, "the waiting ingest in flight", func() bool {
		at, ok, err := f.OldestRunningStart(ctx)
		// Visibility keeps microseconds.
		return err == nil && ok && at.Sub(started).Abs() < time.Millisecond
	})
	if err := ta.client.TerminateWorkflow(ctx, run.GetID(), run.GetRunID(), "test over"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "nothing in flight once it ended", none)
}

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
	}
}
