package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"minyi"
	"minyi/internal/crashpoint"
)

// TestMain lets the test binary be the minyi binary: a crash test runs it
// as a child process with MINYI_RUN_MAIN set, so that the process it kills
// is the real `minyi serve`, not a goroutine of the test.
func TestMain(m *testing.M) {
	if os.Getenv("MINYI_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveProcess is `minyi serve` in a child process on a data directory
// that outlives it.
type serveProcess struct {
	cmd    *exec.Cmd
	api    string
	log    *syncBuffer
	exited chan error
}

// syncBuffer is the child's output, readable while the child writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startServe(t testing.TB, config string, apiURL string, crashAt string) *serveProcess {
	t.Helper()
	return startMinyi(t, apiURL, []string{"MINYI_CRASH_AT=" + crashAt}, "serve", "--config", config, "--log-level", "warn")
}

// startMinyi runs the minyi command args in a child process, with env added.
func startMinyi(t testing.TB, apiURL string, env []string, args ...string) *serveProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "MINYI_RUN_MAIN=1"), env...)
	var log syncBuffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, api: apiURL, log: &log, exited: make(chan error, 1)}
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.exited })
	return p
}

// waitCrash waits for the process to end at its crash point.
func (p *serveProcess) waitCrash(t testing.TB, point string, timeout time.Duration) {
	t.Helper()
	select {
	case err := <-p.exited:
		p.exited <- err
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != crashpoint.ExitCode {
			t.Fatalf("minyi ended with %v, not at crash point %s; log:\n%s", err, point, p.log)
		}
	case <-time.After(timeout):
		t.Fatalf("minyi did not reach crash point %s within %v; log:\n%s", point, timeout, tail(p.log.String()))
	}
}

// stop ends the process as Ctrl-C would and waits for it.
func (p *serveProcess) stop(t testing.TB) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		p.exited <- nil
	case <-time.After(30 * time.Second):
		t.Fatalf("minyi did not stop within 30 s of SIGTERM")
	}
}

func (p *serveProcess) get(path, token string, out any) error {
	req, _ := http.NewRequest(http.MethodGet, p.api+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// writeDemoConfig writes a demo config for a child `minyi serve` with its
// data under dir and ports of its own, and returns it with the API's URL.
func writeDemoConfig(t testing.TB, dir string) (config, apiURL string) {
	t.Helper()
	apiPort := freePort(t)
	config = filepath.Join(dir, "city.yaml")
	yaml := fmt.Sprintf("demo: true\ndata_dir: %s\nlisten: 127.0.0.1:%d\ntemporal: {port: %d, log_level: fatal}\n",
		filepath.Join(dir, "data"), apiPort, freeTemporalPort(t))
	if err := os.WriteFile(config, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return config, fmt.Sprintf("http://127.0.0.1:%d", apiPort)
}

type appStatus struct {
	Sources []minyi.SourceStatus `json:"sources"`
	Indexed int                  `json:"indexed"`
	Pending int                  `json:"pending"`
}

func (s appStatus) documents() int {
	n := 0
	for _, src := range s.Sources {
		n += src.Documents
	}
	return n
}

// waitConverged waits until every stored document is indexed and none is
// pending, and returns the last status seen.
func (p *serveProcess) waitConverged(t testing.TB, timeout time.Duration) appStatus {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var st appStatus
	var err error
	steady := 0
	for time.Now().Before(deadline) {
		st = appStatus{}
		// Both demo sources stored, nothing pending, all indexed, and still
		// so a few polls later: not a gap between two crawl batches.
		if err = p.get("/api/status", demoToken("supervisor"), &st); err == nil && len(st.Sources) >= 2 &&
			st.documents() > 0 && st.Pending == 0 && st.Indexed == st.documents() {
			if steady++; steady >= 4 {
				return st
			}
		} else {
			steady = 0
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("no convergence within %v: last status %+v (err %v); log:\n%s", timeout, st, err, tail(p.log.String()))
	return st
}

// Each crash point kills a real `minyi serve` (the demo city crawled over
// HTTP), the same data directory is started again, and the system must
// converge: store = index, nothing pending, one case per message, no rung
// recorded twice, and an accepted reply kept.
func TestCrashPointsConverge(t *testing.T) {
	if testing.Short() {
		t.Skip("runs minyi serve in child processes; skipped with -short")
	}
	points := []string{crashpoint.StoreWrite, crashpoint.IndexBatch, crashpoint.BeforeCaseStart,
		crashpoint.AfterCaseStart, crashpoint.RungNotification, crashpoint.UpdateReply}
	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			dir := t.TempDir()
			config, apiURL := writeDemoConfig(t, dir)

			crashAt := point
			if point == crashpoint.UpdateReply {
				crashAt = "" // the crash comes with the reply, below
			}
			first := startServe(t, config, apiURL, crashAt)
			var replied string
			if point == crashpoint.UpdateReply {
				first.waitConverged(t, 90*time.Second)
				first.stop(t)
				// Restart armed, then reply: the process dies inside the Update.
				first = startServe(t, config, apiURL, crashpoint.UpdateReply)
				replied = replyToOpenCase(t, first)
			}
			first.waitCrash(t, point, 90*time.Second)

			second := startServe(t, config, apiURL, "")
			st := second.waitConverged(t, 120*time.Second)
			mailbox, messages := "", 0
			for _, src := range st.Sources {
				if strings.Contains(src.Source, "mailbox") {
					mailbox, messages = src.Source, src.Documents
				}
			}
			if replied != "" {
				waitAnswered(t, second, replied)
			}
			waitCases(t, second, mailbox, messages)
			second.stop(t)
			checkConverged(t, filepath.Join(dir, "data"), replied)
		})
	}
}

// replyToOpenCase answers the first open case as its department would; the
// request may die with the process.
func replyToOpenCase(t *testing.T, p *serveProcess) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var list struct {
			Cases []minyi.Case `json:"cases"`
		}
		if err := p.get("/api/cases?status=open&page_size=1", demoToken("supervisor"), &list); err == nil && len(list.Cases) > 0 {
			c := list.Cases[0]
			body := strings.NewReader(`{"text":"已转相关科室核实处理，感谢来信。","resolved":true}`)
			req, _ := http.NewRequest(http.MethodPost, p.api+"/api/cases/"+c.ID+"/reply", body)
			req.Header.Set("Authorization", "Bearer "+demoToken(c.Department))
			req.Header.Set("Content-Type", "application/json")
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
			return c.ID
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("no open case to reply to")
	return ""
}

// waitAnswered waits for a reply accepted before the crash to be recorded.
func waitAnswered(t *testing.T, p *serveProcess, caseID string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var c minyi.Case
	for time.Now().Before(deadline) {
		var got struct {
			Case minyi.Case `json:"case"`
		}
		if err := p.get("/api/cases/"+caseID, demoToken("supervisor"), &got); err == nil {
			c = got.Case
			if c.Status == minyi.CaseAnswered || c.Status == minyi.CaseClosed {
				return
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("the reply accepted before the crash is lost: case %s is %q", caseID, c.Status)
}

// waitCases waits until every message of the mailbox source has its case.
func waitCases(t *testing.T, p *serveProcess, source string, messages int) {
	t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	n := 0
	for time.Now().Before(deadline) {
		if n = countCases(p, source); n >= messages {
			return
		}
		time.Sleep(time.Second)
	}
	t.Fatalf("%d cases for the %d messages of %s after the restart", n, messages, source)
}

func countCases(p *serveProcess, source string) int {
	n := 0
	for page := 1; ; page++ {
		var list struct {
			Total int          `json:"total"`
			Cases []minyi.Case `json:"cases"`
		}
		if err := p.get(fmt.Sprintf("/api/cases?page=%d&page_size=%d", page, minyi.MaxPageSize), demoToken("supervisor"), &list); err != nil {
			return -1
		}
		for _, c := range list.Cases {
			if c.Source == source {
				n++
			}
		}
		if len(list.Cases) == 0 || page*minyi.MaxPageSize >= list.Total {
			return n
		}
	}
}

// checkConverged reads the stopped system's store and index directly.
func checkConverged(t *testing.T, dataDir, replied string) {
	t.Helper()
	cfg := defaultConfig()
	cfg.DataDir = dataDir
	cfg, err := fillDefaults(cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkConvergedIn(t, cfg, replied)
}

// checkConvergedIn checks the store and index that cfg names: store =
// index but for what the outbox still owes, one case per message, no rung
// recorded twice, and the reply to replied (if any) kept.
func checkConvergedIn(t *testing.T, cfg Config, replied string) {
	t.Helper()
	ctx := context.Background()
	store, err := openStore(ctx, cfg.Store)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	index, err := openIndex(ctx, cfg.Search)
	if err != nil {
		t.Fatal(err)
	}
	defer index.Close()
	docs, err := store.CountDocuments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	indexed, err := index.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pending, err := store.CountPending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The demo city keeps growing, so a crawl may have stored documents
	// just before the stop; the outbox still owes them their pipeline.
	// Everything it does not hold must be indexed and have its case.
	owed := map[string]bool{}
	if pending > 0 {
		vs, err := store.PendingDocuments(ctx, time.Now(), pending)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			owed[v.ID] = true
		}
	}
	if uint64(docs-pending) > indexed {
		t.Errorf("store has %d documents, %d of them pending, but the index only %d", docs, pending, indexed)
	}
	messages, cased := 0, 0
	for after := ""; ; {
		page, err := store.ScanDocuments(ctx, after, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		after = page[len(page)-1].ID
		for _, d := range page {
			if d.Kind != minyi.KindMessage || owed[d.ID] {
				continue
			}
			messages++
			if _, err := store.Case(ctx, minyi.CaseIDFor(d.ID)); err != nil {
				t.Errorf("message %s (%s) has no case: %v", d.ID, d.Title, err)
				continue
			}
			cased++
			events, err := store.CaseEvents(ctx, minyi.CaseIDFor(d.ID))
			if err != nil {
				t.Fatal(err)
			}
			rungs := map[minyi.EventType]int{}
			for _, e := range events {
				if slices.Contains(minyi.Rungs, minyi.Rung(e.Type)) {
					rungs[e.Type]++
				}
			}
			for typ, n := range rungs {
				if n > 1 {
					t.Errorf("case of %s recorded rung %s %d times", d.ID, typ, n)
				}
			}
		}
	}
	if messages == 0 || cased != messages {
		t.Errorf("%d of %d messages have a case", cased, messages)
	}
	if replied != "" {
		c, err := store.Case(ctx, replied)
		if err != nil || c.Answered.IsZero() {
			t.Errorf("reply to %s accepted before the crash: case %+v, %v", replied, c, err)
		}
	}
	t.Logf("converged: %d documents indexed, %d messages each with one case (%d stored just before the stop, still pending)", docs, messages, pending)
}

func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return s
}
