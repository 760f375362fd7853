package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/api/rest"
	"minyi/demosite"
)

// With the PostgreSQL store stopped for real for 60 s under intake load,
// every POST meanwhile gets 503 with Retry-After, no other error; once the
// database is back, every message that was acknowledged is stored,
// searchable and has a running case, with no one resending anything but
// what was refused.
func TestIntakeWhilePostgresIsDown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster and a Temporal server; skipped with -short")
	}
	pg := newPostgresCluster(t)
	ta := startTestAppWith(t, demosite.Options{Seed: 1, Threads: 1, Letters: 1}, func(c *Config) {
		c.Store = StoreConfig{Driver: "postgres", DSN: pg.dsn}
	})
	ctx := context.Background()

	var mu sync.Mutex
	var acked []string
	statuses := map[int]int{}
	retryAfter := 0
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ext := fmt.Sprintf("PG%d-%04d", c, i)
				body, _ := json.Marshal(rest.MessageRequest{Source: "hotline", ExternalID: ext,
					Title: fmt.Sprintf("第%d区%d号井盖缺失", c, i), Body: "路口井盖丢失多日，夜里有行人踩空，请尽快补上。"})
				// A client that honours Retry-After resends a refused message
				// until it is acknowledged.
				for {
					code, hdr := postMessage(t, ta.apiURL, body)
					mu.Lock()
					statuses[code]++
					if code == http.StatusCreated {
						acked = append(acked, minyi.DocumentID("hotline", "id:"+ext))
					}
					if code == http.StatusServiceUnavailable && hdr.Get("Retry-After") != "" {
						retryAfter++
					}
					mu.Unlock()
					if code != http.StatusServiceUnavailable {
						break
					}
					wait, _ := strconv.Atoi(hdr.Get("Retry-After"))
					select {
					case <-stop:
						return
					case <-time.After(time.Duration(max(wait, 1)) * time.Second):
					}
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
	time.Sleep(3 * time.Second)
	pg.ctl(t, "stop")
	down := time.Now()
	time.Sleep(60 * time.Second)
	pg.ctl(t, "start")
	back := time.Now()
	time.Sleep(5 * time.Second)
	close(stop)
	wg.Wait()

	mu.Lock()
	t.Logf("database down %v; answers: %v; %d refusals carried Retry-After; %d messages acknowledged",
		back.Sub(down).Round(time.Second), statuses, retryAfter, len(acked))
	if statuses[http.StatusServiceUnavailable] == 0 || retryAfter != statuses[http.StatusServiceUnavailable] {
		t.Errorf("%d answers were 503, %d of them with Retry-After; want every POST during the outage refused with one",
			statuses[http.StatusServiceUnavailable], retryAfter)
	}
	if len(statuses) != 2 || statuses[http.StatusCreated] == 0 {
		t.Errorf("answers %v; want only 201 and 503", statuses)
	}
	ids := acked
	mu.Unlock()

	// The index may hold more than was acknowledged: a commit whose answer
	// the outage cut off is stored, and refused, and resent only while the
	// test still posts. Pending 0 with every acknowledged one stored means
	// every acknowledged one went through the index.
	deadline := time.Now().Add(4 * time.Minute)
	for {
		docs, err := ta.store.Documents(ctx, ids)
		pending, _ := ta.store.CountPending(ctx)
		res := ta.search(t, map[string][]string{"source": {"hotline"}, "page_size": {"1"}})
		if err == nil && len(docs) == len(ids) && pending == 0 && res.Total >= uint64(len(ids)) && ta.caseWorkflows(t, ids) == len(ids) {
			t.Logf("after the database came back: all %d acknowledged messages stored, searchable and cased in %v",
				len(ids), time.Since(back).Round(time.Second))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("4 minutes after the database came back: %d of %d acknowledged stored (%v), %d pending, %d searchable, %d case workflows",
				len(docs), len(ids), err, pending, res.Total, ta.caseWorkflows(t, ids))
		}
		time.Sleep(time.Second)
	}
}

func postMessage(t *testing.T, apiURL string, body []byte) (int, http.Header) {
	req, _ := http.NewRequest(http.MethodPost, apiURL+"/api/messages", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+demoToken("intake"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("POST /api/messages: %v", err)
		return 0, nil
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// postgresCluster is a PostgreSQL cluster of the test's own, so that
// stopping it takes down nothing another test package uses.
type postgresCluster struct {
	version, name, dsn string
}

func newPostgresCluster(t *testing.T) *postgresCluster {
	t.Helper()
	versions, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(versions) == 0 || os.Geteuid() != 0 {
		t.Skip("needs root and a Debian PostgreSQL server (pg_createcluster) to run a cluster of its own")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	pg := &postgresCluster{version: filepath.Base(filepath.Dir(filepath.Dir(versions[0]))),
		name: fmt.Sprintf("minyi-outage-%d", port)}
	pg.dsn = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/minyi?sslmode=disable", port)
	if out, err := exec.Command("pg_createcluster", pg.version, pg.name, "-p", strconv.Itoa(port), "--start", "--",
		"--auth-host=trust", "--auth-local=trust").CombinedOutput(); err != nil {
		t.Skipf("cannot create a PostgreSQL cluster of the test's own here: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("pg_dropcluster", "--stop", pg.version, pg.name).Run() })
	runCommand(t, "psql", "-h", "127.0.0.1", "-p", strconv.Itoa(port), "-U", "postgres", "-c", "CREATE DATABASE minyi")
	return pg
}

// ctl stops (fast: open connections are cut) or starts the cluster.
func (pg *postgresCluster) ctl(t *testing.T, action string) {
	t.Helper()
	args := []string{"--skip-systemctl-redirect", pg.version, pg.name, action}
	if action == "stop" {
		args = append(args, "-m", "fast")
	}
	runCommand(t, "pg_ctlcluster", args...)
}

func runCommand(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}
