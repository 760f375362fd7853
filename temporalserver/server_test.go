package temporalserver_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"minyi/temporalserver"
)

// A server on a file keeps its namespace and history across a restart: that
// is what lets `minyi serve` pick up where it left off.
func TestServerSurvivesRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "temporal.db")
	for i := range 2 {
		srv, err := temporalserver.Start(temporalserver.Options{DatabaseFile: file, LogLevel: "error"})
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		c, err := client.Dial(client.Options{HostPort: srv.HostPort, Namespace: temporalserver.Namespace})
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
		if err != nil {
			t.Fatalf("health %d: %v", i, err)
		}
		if _, err := c.WorkflowService().DescribeNamespace(ctx, describe()); err != nil {
			t.Fatalf("namespace after start %d: %v", i, err)
		}
		// The pragmas reached SQLite: a rollback journal would mean an
		// fsync per commit and a third of the throughput.
		if _, err := os.Stat(file + "-wal"); err != nil {
			t.Fatalf("temporal database is not in WAL mode: %v", err)
		}
		cancel()
		c.Close()
		if err := srv.Stop(); err != nil {
			t.Fatalf("stop %d: %v", i, err)
		}
	}
}

// A clean stop, after workers polled task queues, logs nothing at error
// level: the services report each other's going away while they stop.
func TestCleanStopLogsNoErrors(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "temporal.log")
	srv, err := temporalserver.Start(temporalserver.Options{DatabaseFile: filepath.Join(t.TempDir(), "t.db"), LogLevel: "error", LogFile: logFile})
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(client.Options{HostPort: srv.HostPort, Namespace: temporalserver.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	w := worker.New(c, "quiet-stop", worker.Options{})
	w.RegisterWorkflowWithOptions(func(ctx workflow.Context) error { return nil }, workflow.RegisterOptions{Name: "noop"})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i := range 5 {
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: fmt.Sprintf("noop-%d", i), TaskQueue: "quiet-stop"}, "noop")
		if err != nil {
			t.Fatal(err)
		}
		if err := run.Get(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	w.Stop()
	c.Close()
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	logged, _ := os.ReadFile(logFile)
	if lines := strings.TrimSpace(string(logged)); lines != "" {
		t.Errorf("the server logged at error level:\n%.2000s", lines)
	}
}
