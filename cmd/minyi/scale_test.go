package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// scaleCluster is scale mode on this machine: PostgreSQL databases of its
// own, `minyi temporal-server` (Temporal's released server on PostgreSQL) as
// a separate process, and the demo city site over HTTP.
type scaleCluster struct {
	admin    *pgx.Conn
	dbs      [3]string // the store's, Temporal's history and visibility databases
	storeDSN string
	temporal *serveProcess
	address  string // Temporal frontend host:port
	client   client.Client
	siteURL  string
	dir      string
}

// startScaleCluster creates the databases (dropped again after the test)
// and starts the Temporal server process; skipped without PostgreSQL.
func startScaleCluster(t testing.TB, siteURL string) *scaleCluster {
	t.Helper()
	if testing.Short() {
		t.Skip("runs a Temporal server and minyi processes; skipped with -short")
	}
	base := os.Getenv("TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("TEST_POSTGRES_URL is not set (make test-scale sets it to the local PostgreSQL)")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("TEST_POSTGRES_URL: %v", err)
	}
	ctx := context.Background()
	admin := *u
	admin.Path = "/postgres"
	conn, err := pgx.Connect(ctx, admin.String())
	if err != nil {
		t.Skipf("PostgreSQL at %s is not reachable: %v", u.Host, err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	// Databases of this run alone: nothing collides with other tests or runs.
	suffix := fmt.Sprintf("%d_%d", os.Getpid(), rand.IntN(1e6))
	storeDB, temporalDB := "minyi_scale_"+suffix, "temporal_scale_"+suffix
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+storeDB); err != nil {
		t.Fatal(err)
	}
	// Registered first, so it runs after every process has been stopped.
	t.Cleanup(func() {
		for _, db := range []string{storeDB, temporalDB, temporalDB + "_visibility"} {
			if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)"); err != nil {
				t.Errorf("dropping %s: %v", db, err)
			}
		}
	})
	store := *u
	store.Path = "/" + storeDB
	server := *u
	server.Path, server.RawQuery = "/", ""

	port := freeTemporalPort(t)
	sc := &scaleCluster{admin: conn, dbs: [3]string{storeDB, temporalDB, temporalDB + "_visibility"}, storeDSN: store.String(), address: fmt.Sprintf("127.0.0.1:%d", port), siteURL: siteURL, dir: t.TempDir()}
	sc.temporal = startMinyi(t, "", nil, "temporal-server", "--postgres", server.String(),
		"--db", temporalDB, "--port", fmt.Sprint(port), "--log-level", "error")
	waitLog(t, sc.temporal, "temporal server ready", 3*time.Minute)
	if sc.client, err = client.Dial(client.Options{HostPort: sc.address, Logger: newTemporalLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sc.client.Close)
	return sc
}

// config writes the config of one minyi process named name and returns it
// with the URL of the process's HTTP listener.
func (sc *scaleCluster) config(t testing.TB, name string) (path, httpURL string) {
	t.Helper()
	port := freePort(t)
	path = filepath.Join(sc.dir, name+".yaml")
	yaml := fmt.Sprintf(`demo: true
demo_site: %s
data_dir: %s
listen: 127.0.0.1:%d
temporal: {address: %q}
store: {driver: postgres, dsn: %q}
`, sc.siteURL, filepath.Join(sc.dir, name), port, sc.address, sc.storeDSN)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, fmt.Sprintf("http://127.0.0.1:%d", port)
}

// serve starts `minyi serve --role r` with config.
func (sc *scaleCluster) serve(t testing.TB, config, httpURL string, r role) *serveProcess {
	t.Helper()
	return startMinyi(t, httpURL, nil, "serve", "--config", config, "--role", string(r), "--log-level", "warn")
}

// waitLog waits for a line containing want in the process's output.
func waitLog(t testing.TB, p *serveProcess, want string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(p.log.String(), want) {
		select {
		case err := <-p.exited:
			p.exited <- err
			t.Fatalf("process ended (%v) before %q; log:\n%s", err, want, tail(p.log.String()))
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q within %v; log:\n%s", want, timeout, tail(p.log.String()))
		}
	}
}

// readyz is the status code of the process's /readyz and its body.
func readyz(p *serveProcess) (int, string) {
	resp, err := http.Get(p.api + "/readyz")
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	var b strings.Builder
	fmt.Fprint(&b, resp.Header.Get("Content-Type"), " ")
	buf := make([]byte, 512)
	n, _ := resp.Body.Read(buf)
	b.Write(buf[:n])
	return resp.StatusCode, b.String()
}

// waitReady waits for the process's /readyz to answer 200.
func waitReady(t testing.TB, p *serveProcess, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		code, body := readyz(p)
		if code == http.StatusOK {
			return
		}
		select {
		case err := <-p.exited:
			p.exited <- err
			t.Fatalf("minyi ended (%v) before it was ready; log:\n%s", err, tail(p.log.String()))
		case <-time.After(300 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready within %v: %d %s; log:\n%s", timeout, code, body, tail(p.log.String()))
		}
	}
}

// crawlingWorker waits for a crawl activity that has run for a while on one
// of workers and returns that worker.
func (sc *scaleCluster) crawlingWorker(t *testing.T, workers []*serveProcess, running time.Duration) (*serveProcess, string) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		list, err := sc.client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: "WorkflowType = 'CrawlWorkflow' AND ExecutionStatus = 'Running'"})
		if err == nil {
			for _, ex := range list.Executions {
				d, err := sc.client.DescribeWorkflowExecution(ctx, ex.Execution.WorkflowId, ex.Execution.RunId)
				if err != nil {
					continue
				}
				for _, pa := range d.PendingActivities {
					if pa.ActivityType.GetName() != "CrawlSource" || pa.State != enums.PENDING_ACTIVITY_STATE_STARTED ||
						time.Since(pa.LastStartedTime.AsTime()) < running {
						continue
					}
					for _, w := range workers {
						// The SDK's default identity is pid@host@.
						if strings.HasPrefix(pa.LastWorkerIdentity, fmt.Sprintf("%d@", w.cmd.Process.Pid)) {
							return w, ex.Execution.WorkflowId
						}
					}
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("no crawl activity running on a worker within 2 minutes")
	return nil, ""
}

// schedules counts Temporal's schedules by id.
func (sc *scaleCluster) schedules(t *testing.T) map[string]int {
	t.Helper()
	ctx := context.Background()
	iter, err := sc.client.ScheduleClient().List(ctx, client.ScheduleListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for iter.HasNext() {
		e, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		ids[e.ID]++
	}
	return ids
}

// sizes logs what the sizing table in deploy/README.md takes from a run:
// Temporal history bytes per case workflow and database bytes per document.
func (sc *scaleCluster) sizes(t *testing.T, docs int, indexDir string) {
	t.Helper()
	ctx := context.Background()
	var runs, events, bytes int64
	var token []byte
	for {
		list, err := sc.client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: "WorkflowType = 'CaseWorkflow'", NextPageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range list.Executions {
			runs, events, bytes = runs+1, events+ex.HistoryLength, bytes+ex.HistorySizeBytes
		}
		if token = list.NextPageToken; len(token) == 0 {
			break
		}
	}
	size := func(db string) float64 {
		var n int64
		if err := sc.admin.QueryRow(ctx, "SELECT pg_database_size($1)", db).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return float64(n)
	}
	// The store's own tables, without the empty database's catalog.
	storeConn, err := pgx.Connect(ctx, sc.storeDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer storeConn.Close(ctx)
	var tables int64
	if err := storeConn.QueryRow(ctx, `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	var index int64
	filepath.WalkDir(indexDir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				index += info.Size()
			}
		}
		return nil
	})
	if runs == 0 || docs == 0 {
		t.Fatalf("nothing to size: %d case runs, %d documents", runs, docs)
	}
	t.Logf("sizes: %d case workflows, %.0f history events and %.0f history bytes each (as the cases stand at the end: opened, notified, waiting on their next rung); "+
		"%d documents: store tables %.1f MB, %.1f KB per document (fixed per-table pages included); bleve index %.1f KB per document; "+
		"Temporal databases %.1f MB (history) + %.1f MB (visibility)",
		runs, float64(events)/float64(runs), float64(bytes)/float64(runs), docs, float64(tables)/1e6,
		float64(tables)/float64(docs)/1e3, float64(index)/float64(docs)/1e3, size(sc.dbs[1])/1e6, size(sc.dbs[2])/1e6)
}
