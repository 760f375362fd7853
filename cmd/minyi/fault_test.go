package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"minyi"
	"minyi/api"
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
		body, _ := json.Marshal(api.MessageRequest{Source: "hotline", ExternalID: fmt.Sprintf("OUT%03d", i),
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
		for i := range n {
			id := minyi.DocumentID("hotline", fmt.Sprintf("id:OUT%03d", i))
			if _, err := ta.store.Case(ctx, minyi.CaseIDFor(id)); err == nil {
				cased++
			}
		}
		if pending == 0 && res.Total == n && cased == n {
			t.Logf("Temporal down %v; after it came back: all %d searchable and cased in %v",
				back.Sub(down).Round(time.Second), n, time.Since(back).Round(100*time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("2 minutes after Temporal came back: %d pending, %d searchable, %d of %d cased", pending, res.Total, cased, n)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
