package temporalserver_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

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
