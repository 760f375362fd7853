package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/demosite"
	"minyi/workflows"
)

// TestScaleMode runs minyi as a province would, on this machine: the
// PostgreSQL store, Temporal's released server on PostgreSQL as its own
// process, two worker processes started at the same moment, one API process
// that holds the bleve index, and the demo city site over HTTP. One worker
// is killed with SIGKILL in the middle of a crawl and the API process is
// killed and restarted; nothing may be lost or done twice.
func TestScaleMode(t *testing.T) {
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, minyi.ChinaTime)
	now := start.AddDate(0, 0, 30)
	site := demosite.New(demosite.Options{Seed: 3, Start: start, Now: func() time.Time { return now }})
	// Each page answers slowly until the kill, so a crawl is surely in
	// flight when its worker dies; then at full speed.
	var slow atomic.Int64
	slow.Store(int64(time.Second))
	siteURL, stopSite, err := serveHTTP("127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Duration(slow.Load()))
		site.Handler().ServeHTTP(w, r)
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopSite)
	threads, letters := len(site.Threads())+1, len(site.Letters()) // +1: the pinned board announcement

	sc := startScaleCluster(t, siteURL)
	w1cfg, w1url := sc.config(t, "worker1")
	w2cfg, w2url := sc.config(t, "worker2")
	apiCfg, apiURL := sc.config(t, "api")

	// Two processes at once on a namespace without schedules.
	workers := []*serveProcess{sc.serve(t, w1cfg, w1url, roleWorker), sc.serve(t, w2cfg, w2url, roleWorker)}
	for _, w := range workers {
		waitReady(t, w, 2*time.Minute)
	}
	t.Run("two processes starting at once create each schedule once", func(t *testing.T) {
		want := []string{"crawl-demo-forum", "crawl-demo-mailbox", auditScheduleID, alertScheduleID, reconcileScheduleID,
			"report-daily", "report-weekly", "report-monthly"}
		ids := sc.schedules(t)
		for _, id := range want {
			if ids[id] != 1 {
				t.Errorf("schedule %s listed %d times; all: %v", id, ids[id], ids)
			}
		}
		if len(ids) != len(want) {
			t.Errorf("schedules %v; want exactly %v", ids, want)
		}
		d, err := sc.client.ScheduleClient().GetHandle(context.Background(), "crawl-demo-forum").Describe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if a, ok := d.Schedule.Action.(*client.ScheduleWorkflowAction); !ok || a.TaskQueue != workflows.TaskQueue {
			t.Errorf("crawl schedule action %+v", d.Schedule.Action)
		}
	})

	// A worker dies in the middle of a crawl. The API process, which holds
	// the index, starts only after: until then ingest waits on the index queue.
	victim, crawl := sc.crawlingWorker(t, workers, 2*time.Second)
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-victim.exited
	victim.exited <- nil
	slow.Store(0)
	killed := time.Now()
	t.Logf("killed worker pid %d in the middle of %s", victim.cmd.Process.Pid, crawl)
	survivor := workers[0]
	if survivor == victim {
		survivor = workers[1]
	}

	api := sc.serve(t, apiCfg, apiURL, roleAPI)
	waitReady(t, api, 2*time.Minute)
	t.Run("readyz names what it checked", func(t *testing.T) {
		for _, p := range []*serveProcess{api, survivor} {
			code, body := readyz(p)
			if code != http.StatusOK || !strings.Contains(body, `"temporal":"ok"`) || !strings.Contains(body, `"store":"ok"`) {
				t.Errorf("%s/readyz: %d %s", p.api, code, body)
			}
		}
		if _, body := readyz(api); !strings.Contains(body, `"index":"ok"`) {
			t.Errorf("the API process holds the bleve index but its readiness does not check it: %s", body)
		}
	})

	st := waitAllStored(t, api, threads, letters, 4*time.Minute)
	t.Logf("%d documents stored, indexed and cased %v after the kill", st.documents(), time.Since(killed).Round(time.Second))
	docs := checkScaleDocuments(t, api, st, threads, letters)
	waitCases(t, api, "demo-mailbox", letters)
	if n := countCases(api, "demo-mailbox"); n != letters {
		t.Errorf("%d cases for %d letters", n, letters)
	}
	cases := listCaseIDs(t, api)
	sc.checkCaseWorkflows(t, len(cases))

	sc.sizes(t, docs, filepath.Join(sc.dir, "api", "index.bleve"))

	replied := replyToOpenCase(t, api)
	waitAnswered(t, api, replied)

	// The API process dies and comes back on the same index directory.
	api.cmd.Process.Signal(syscall.SIGKILL)
	<-api.exited
	api.exited <- nil
	api = sc.serve(t, apiCfg, apiURL, roleAPI)
	waitReady(t, api, 2*time.Minute)
	st = waitAllStored(t, api, threads, letters, 2*time.Minute)
	if again := checkScaleDocuments(t, api, st, threads, letters); again != docs {
		t.Errorf("after the API restart %d documents are searchable, %d before", again, docs)
	}
	waitAnswered(t, api, replied)
	if after := listCaseIDs(t, api); len(after) != len(cases) {
		t.Errorf("after the API restart %d cases, %d before", len(after), len(cases))
	}

	api.stop(t)
	t.Run("readyz fails without Temporal while healthz stays up", func(t *testing.T) {
		sc.temporal.stop(t)
		deadline := time.Now().Add(30 * time.Second)
		code, body := readyz(survivor)
		for code != http.StatusServiceUnavailable && time.Now().Before(deadline) {
			time.Sleep(500 * time.Millisecond)
			code, body = readyz(survivor)
		}
		if code != http.StatusServiceUnavailable || !strings.Contains(body, `"store":"ok"`) || strings.Contains(body, `"temporal":"ok"`) {
			t.Errorf("worker /readyz with Temporal stopped: %d %s", code, body)
		}
		resp, err := http.Get(survivor.api + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("worker /healthz with Temporal stopped: %v %v", resp, err)
		}
	})

	cfg, err := readConfig(apiCfg)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err = fillDefaults(cfg); err != nil {
		t.Fatal(err)
	}
	checkConvergedIn(t, cfg, replied)
	if want := filepath.Join(sc.dir, "api", "index.bleve"); cfg.Search.Index != want {
		t.Errorf("checked the index at %s, not the API process's %s", cfg.Search.Index, want)
	}
}

// waitAllStored waits until the store holds every thread and letter of the
// demo site and the pipeline has caught up with them: a crawl cut off by the
// kill resumes on the other worker only after its heartbeat times out.
func waitAllStored(t *testing.T, api *serveProcess, threads, letters int, timeout time.Duration) appStatus {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		st := api.waitConverged(t, time.Until(deadline))
		stored := map[string]int{}
		for _, s := range st.Sources {
			stored[s.Source] = s.Documents
		}
		if stored["demo-forum"] >= threads && stored["demo-mailbox"] >= letters {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("within %v only %v stored; want %d threads and %d letters", timeout, stored, threads, letters)
		}
		time.Sleep(time.Second)
	}
}

// checkScaleDocuments checks that every demo thread and letter is stored and
// searchable exactly once, and returns how many documents are searchable.
func checkScaleDocuments(t *testing.T, api *serveProcess, st appStatus, threads, letters int) int {
	t.Helper()
	for _, s := range st.Sources {
		if s.Source == "demo-forum" && s.Documents != threads || s.Source == "demo-mailbox" && s.Documents != letters {
			t.Errorf("%s: %d documents stored; want %d threads and %d letters", s.Source, s.Documents, threads, letters)
		}
	}
	seen := map[string]int{}
	total := 0
	for page := 1; ; page++ {
		var res minyi.SearchResult
		if err := api.get(fmt.Sprintf("/api/search?page=%d&page_size=%d", page, minyi.MaxPageSize), demoToken("analyst"), &res); err != nil {
			t.Fatal(err)
		}
		total = int(res.Total)
		for _, h := range res.Hits {
			seen[h.ID]++
		}
		if len(res.Hits) == 0 || page*minyi.MaxPageSize >= total {
			break
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("document %s is found %d times", id, n)
		}
	}
	if len(seen) != total || total != st.documents() || total < threads+letters {
		t.Errorf("search lists %d documents (%d distinct); the store holds %d, the demo site %d", total, len(seen), st.documents(), threads+letters)
	}
	return total
}

// listCaseIDs lists every case through the API, failing on a duplicate.
func listCaseIDs(t *testing.T, p *serveProcess) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	for page := 1; ; page++ {
		var list struct {
			Total int          `json:"total"`
			Cases []minyi.Case `json:"cases"`
		}
		if err := p.get(fmt.Sprintf("/api/cases?page=%d&page_size=%d", page, minyi.MaxPageSize), demoToken("supervisor"), &list); err != nil {
			t.Fatal(err)
		}
		for _, c := range list.Cases {
			if ids[c.ID] {
				t.Errorf("case %s listed twice", c.ID)
			}
			ids[c.ID] = true
		}
		if len(list.Cases) == 0 || page*minyi.MaxPageSize >= list.Total {
			return ids
		}
	}
}

// checkCaseWorkflows waits for Temporal's visibility to show as many case
// workflows as there are cases: one run per case, never a second.
func (sc *scaleCluster) checkCaseWorkflows(t *testing.T, cases int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var n int64
	for time.Now().Before(deadline) {
		res, err := sc.client.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{
			Query: "WorkflowType = 'CaseWorkflow'"})
		if err == nil {
			if n = res.Count; n == int64(cases) {
				return
			}
		}
		time.Sleep(time.Second)
	}
	t.Errorf("%d case workflow runs for %d cases", n, cases)
}
