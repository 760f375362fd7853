package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"minyi"
	"minyi/api/rest"
	"minyi/demosite"
	"minyi/temporalserver"
)

// With Temporal stopped for real, intake still stores and acknowledges every
// message; once Temporal is back, all of them are indexed and get cases
// without anyone resending.
func TestIntakeWhileTemporalIsDown(t *testing.T) {
	ta := startTestApp(t, demosite.Options{Seed: 1, Threads: 1, Letters: 1})
	ctx := context.Background()
	if err := ta.temporal.Stop(); err != nil {
		t.Fatal(err)
	}
	down := time.Now()
	const n = 30
	for i := range n {
		body, _ := json.Marshal(rest.MessageRequest{Source: "hotline", ExternalID: fmt.Sprintf("OUT%03d", i),
			Title: fmt.Sprintf("停电期间第%d户居民反映电梯停运", i), Body: "小区电梯已经停了一天，老人上下楼困难，请尽快处理。"})
		if code, raw := ta.post(t, body); code != http.StatusCreated {
			t.Fatalf("message %d while Temporal is down: %d %s", i, code, raw)
		}
	}
	if p, err := ta.store.CountPending(ctx); err != nil || p < n {
		t.Fatalf("pending while Temporal is down = %d, %v; want at least %d", p, err, n)
	}
	time.Sleep(time.Until(down.Add(30 * time.Second))) // the ingester retries against a dead server meanwhile

	srv, err := temporalserver.Start(temporalserver.Options{
		DatabaseFile: filepath.Join(ta.cfg.DataDir, "temporal.db"), Port: ta.cfg.Temporal.Port, LogLevel: "fatal"})
	if err != nil {
		t.Fatalf("restarting Temporal: %v", err)
	}
	t.Cleanup(func() { srv.Stop() })
	ta.temporal = srv
	back := time.Now()

	deadline := back.Add(2 * time.Minute)
	for {
		pending, _ := ta.store.CountPending(ctx)
		res := ta.search(t, map[string][]string{"source": {"hotline"}, "page_size": {"1"}})
		cased := 0
		var ids []string
		for i := range n {
			id := minyi.DocumentID("hotline", fmt.Sprintf("id:OUT%03d", i))
			ids = append(ids, id)
			if _, err := ta.store.Case(ctx, minyi.CaseIDFor(id)); err == nil {
				cased++
			}
		}
		if pending == 0 && res.Total == n && cased == n && ta.caseWorkflows(t, ids) == n {
			t.Logf("Temporal down %v; after it came back: all %d searchable and cased in %v",
				back.Sub(down).Round(time.Second), n, time.Since(back).Round(100*time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("2 minutes after Temporal came back: %d pending, %d searchable, %d of %d cased, %d case workflows",
				pending, res.Total, cased, n, ta.caseWorkflows(t, ids))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// With the index directory unwritable for real (chattr -R +i, which binds root
// too), intake still stores and acknowledges; every message stays pending
// in the outbox while the index cannot persist, and is indexed and cased
// once the directory is writable again.
func TestIntakeWhileIndexIsUnwritable(t *testing.T) {
	ta := startTestApp(t, demosite.Options{Seed: 1, Threads: 1, Letters: 1})
	ctx := context.Background()
	dir := ta.cfg.Search.Index
	if out, err := exec.Command("chattr", "-R", "+i", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot make %s immutable here (needs root on ext4 and chattr): %v %s", dir, err, out)
	}
	writable := false
	makeWritable := func() {
		if !writable {
			writable = true
			if out, err := exec.Command("chattr", "-R", "-i", dir).CombinedOutput(); err != nil {
				t.Errorf("chattr -i %s: %v %s", dir, err, out)
			}
		}
	}
	t.Cleanup(makeWritable)
	if f, err := os.Create(filepath.Join(dir, "probe")); err == nil {
		f.Close()
		t.Fatalf("%s is still writable after chattr +i", dir)
	}

	const n = 20
	var ids []string
	for i := range n {
		ids = append(ids, minyi.DocumentID("hotline", fmt.Sprintf("id:RO%03d", i)))
		body, _ := json.Marshal(rest.MessageRequest{Source: "hotline", ExternalID: fmt.Sprintf("RO%03d", i),
			Title: fmt.Sprintf("第%d号楼下水道堵塞污水外溢", i), Body: "楼下下水道堵了三天，污水流到路面，请尽快疏通。"})
		if code, raw := ta.post(t, body); code != http.StatusCreated {
			t.Fatalf("message %d while the index is unwritable: %d %s", i, code, raw)
		}
	}
	// Long enough for the ingest to try (and fail) several times.
	time.Sleep(15 * time.Second)
	if p, err := ta.store.CountPending(ctx); err != nil || p < n {
		t.Fatalf("pending while the index is unwritable = %d, %v; want at least %d", p, err, n)
	}
	// Analysts keep searching what was indexed before (ta.search fails on
	// any answer but 200).
	ta.search(t, map[string][]string{"page_size": {"1"}})
	makeWritable()
	back := time.Now()

	// The reconcile schedule runs every 30 s and takes marks older than 30 s.
	deadline := back.Add(3 * time.Minute)
	for {
		pending, _ := ta.store.CountPending(ctx)
		res := ta.search(t, map[string][]string{"source": {"hotline"}, "page_size": {"1"}})
		if pending == 0 && res.Total == n && ta.caseWorkflows(t, ids) == n {
			t.Logf("index writable again: all %d searchable, with running cases, in %v", n, time.Since(back).Round(100*time.Millisecond))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("3 minutes after the index became writable: %d pending, %d searchable, %d case workflows of %d",
				pending, res.Total, ta.caseWorkflows(t, ids), n)
		}
		time.Sleep(time.Second)
	}
	// Indexed means on disk: the index reopened from its directory holds them.
	ta.index.Close()
	idx, err := openIndex(ctx, ta.cfg.Search)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	res, err := idx.Search(ctx, minyi.SearchQuery{Text: "下水道堵塞", Source: "hotline", PageSize: 1})
	if err != nil || res.Total != n {
		t.Fatalf("reopened index finds %d of %d (%v)", res.Total, n, err)
	}
}

// caseWorkflows counts the documents whose case workflow Temporal runs: a
// case row in the store alone is not a case that keeps its deadlines.
func (ta *testApp) caseWorkflows(t testing.TB, documentIDs []string) int {
	t.Helper()
	n := 0
	for _, id := range documentIDs {
		if _, err := ta.client.DescribeWorkflowExecution(context.Background(), minyi.CaseIDFor(id), ""); err == nil {
			n++
		}
	}
	return n
}
