package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"minyi"
	"minyi/api/rest"
	"minyi/demosite"
	"minyi/internal/crashpoint"
)

// BenchmarkIntake2000 posts 2,000 messages from 8 clients to a running app
// and measures how long after the last POST every one is searchable, every
// one has its case (in the store, as a department's inbox lists it) and
// every case's workflow runs (keeping its deadlines).
func BenchmarkIntake2000(b *testing.B) {
	const messages, clients = 2000, 8
	for b.Loop() {
		ta := startTestApp(b, demosite.Options{Seed: 1, Threads: 1, Letters: 1})
		ctx := context.Background()
		baseDocs, _ := ta.index.Count(ctx)
		_, baseCases, err := ta.store.Cases(ctx, minyi.CaseFilter{Limit: 1})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, clients)
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				for i := c; i < messages; i += clients {
					body, _ := json.Marshal(rest.MessageRequest{Source: "hotline", ExternalID: fmt.Sprintf("GD%06d", i),
						Title: fmt.Sprintf("关于第%d号小区路灯不亮的求助", i),
						Body:  "小区门口的路灯已经坏了两个星期，晚上出行很不安全，希望有关部门尽快维修。", MessageType: "求助"})
					req, _ := http.NewRequest(http.MethodPost, ta.apiURL+"/api/messages", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+demoToken("intake"))
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						errs <- err
						return
					}
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						errs <- fmt.Errorf("message %d: %s", i, resp.Status)
						return
					}
				}
			}(c)
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
		lastPost := time.Now()
		var searchable, cased, running time.Duration
		for deadline := lastPost.Add(5 * time.Minute); time.Now().Before(deadline) && running == 0; time.Sleep(200 * time.Millisecond) {
			if n, _ := ta.index.Count(ctx); searchable == 0 && n >= baseDocs+messages {
				searchable = time.Since(lastPost)
			}
			if _, n, _ := ta.store.Cases(ctx, minyi.CaseFilter{Limit: 1}); cased == 0 && n >= baseCases+messages {
				cased = time.Since(lastPost)
			}
			if cased != 0 && ta.runningCases(b) >= baseCases+messages {
				running = time.Since(lastPost)
			}
		}
		if running == 0 {
			b.Fatalf("after 5 minutes: searchable after %v, cased after %v, case workflows running after %v (0: not yet)", searchable, cased, running)
		}
		b.ReportMetric(float64(messages)/lastPost.Sub(start).Seconds(), "posted-msgs/s")
		b.ReportMetric(searchable.Seconds(), "searchable-after-last-post-s")
		b.ReportMetric(cased.Seconds(), "cased-after-last-post-s")
		b.ReportMetric(running.Seconds(), "case-workflows-after-last-post-s")
	}
}

// BenchmarkRecovery kills `minyi serve` in the middle of a crawl (the crash
// point right after a crawled batch is stored), starts it again on the same
// data, and measures restart to ready (/healthz answers) and restart to the
// crawl running again.
func BenchmarkRecovery(b *testing.B) {
	for b.Loop() {
		config, apiURL := writeDemoConfig(b, b.TempDir())
		first := startServe(b, config, apiURL, crashpoint.StoreWrite)
		first.waitCrash(b, crashpoint.StoreWrite, 90*time.Second)

		restart := time.Now()
		second := startServe(b, config, apiURL, "")
		var ready, crawling time.Duration
		for deadline := restart.Add(3 * time.Minute); time.Now().Before(deadline) && crawling == 0; time.Sleep(100 * time.Millisecond) {
			if ready == 0 {
				if resp, err := http.Get(apiURL + "/healthz"); err == nil {
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						ready = time.Since(restart)
					}
				}
				continue
			}
			var st appStatus
			if second.get("/api/status", demoToken("supervisor"), &st) != nil {
				continue
			}
			for _, src := range st.Sources {
				if r := src.LastRun; r != nil && r.Started.After(restart) && r.PagesFetched > 0 {
					crawling = time.Since(restart)
				}
			}
		}
		if crawling == 0 {
			b.Fatalf("no crawl ran within 3 minutes of the restart (ready after %v)", ready)
		}
		second.stop(b)
		b.ReportMetric(ready.Seconds(), "restart-to-ready-s")
		b.ReportMetric(crawling.Seconds(), "restart-to-crawling-s")
	}
}

// runningCases is how many case workflows Temporal has started, by its
// visibility store.
func (ta *testApp) runningCases(t testing.TB) int {
	t.Helper()
	res, err := ta.client.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{
		Query: "WorkflowType = 'CaseWorkflow'"})
	if err != nil {
		t.Fatalf("counting case workflows: %v", err)
	}
	return int(res.Count)
}
