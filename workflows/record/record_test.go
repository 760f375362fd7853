// Package record records the replay histories of workflows/testdata that
// the end-to-end tests of cmd/minyi do not produce: a case for each way it
// can change (every rung, the source's reply, each Update), the audit with
// escalations, the alert workflow with a spike, the outbox reconcile, the
// daily report's draft, a re-analysis after the models changed, a
// source's list polling that starts a crawl and a citizen's 追问 notice.
// It runs the current workflows and activities on a real embedded Temporal
// server over a SQLite store and a bleve index in temporary directories,
// and only when MINYI_RECORD_HISTORIES names the directory to write to:
//
//	MINYI_RECORD_HISTORIES=$PWD/workflows/testdata/histories go test ./workflows/record
//
// It is a package of its own so that the replay tests in workflows stay
// free of the server, which takes long to link.
package record

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"minyi"
	"minyi/activities"
	"minyi/api/workflowclient"
	"minyi/calendar"
	"minyi/deadline"
	"minyi/notify"
	"minyi/routing"
	"minyi/search/bleve"
	"minyi/store/sqlite"
	"minyi/temporalserver"
	"minyi/workflows"
)

// recorder is one embedded server with a worker over real activities.
type recorder struct {
	dir   string
	c     client.Client
	store minyi.Store
	index minyi.Index
	clock *clock
	hook  *webhook
	acts  *activities.Activities
	// settings is the store's, where a re-analysis records its version.
	settings minyi.SettingsStore
}

func TestRecordHistories(t *testing.T) {
	dir := os.Getenv("MINYI_RECORD_HISTORIES")
	if dir == "" {
		t.Skip("set MINYI_RECORD_HISTORIES to the histories directory to record them")
	}
	r := newRecorder(t, dir)
	// Reconcile first: it takes whatever the outbox holds, and the other
	// scenarios store documents too.
	t.Run("reconcile", r.reconcile)
	t.Run("audit", r.audit)
	t.Run("alert", r.alert)
	t.Run("report", r.report)
	t.Run("relabel", r.relabel)
	t.Run("incident", r.incident)
	t.Run("merge", r.merge)
	t.Run("notice", r.notice)
	casesRan := false
	for _, sc := range caseScenarios {
		t.Run(sc.name, func(t *testing.T) { casesRan = true; r.runCase(t, sc) })
	}
	// Last: its crawl stores the demo forum's threads.
	t.Run("poll", r.poll)
	if casesRan && r.hook.got.Load() == 0 {
		t.Error("no notification reached the supervisors' webhook")
	}
}

func newRecorder(t *testing.T, dir string) *recorder {
	tmp := t.TempDir()
	srv, err := temporalserver.Start(temporalserver.Options{DatabaseFile: filepath.Join(tmp, "temporal.db"), LogLevel: "error"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	c, err := client.Dial(client.Options{HostPort: srv.HostPort, Namespace: temporalserver.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	st, err := sqlite.Open(filepath.Join(tmp, "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	idx, err := bleve.Open(filepath.Join(tmp, "index.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	router, err := routing.New(routing.DemoConfig())
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hook := newWebhook(t)
	acts := &activities.Activities{
		Store: st, Index: idx, Router: router, Deadlines: deadline.DefaultPolicy(), Calendar: cal,
		Recipients: activities.Recipients{Supervisors: notify.Webhook{URL: hook.URL}, Reports: notify.Webhook{URL: hook.URL},
			Leaders: notify.Webhook{URL: hook.URL}, Departments: map[string]notify.Notifier{"housing": notify.Webhook{URL: hook.URL}}},
		Cases: workflowclient.CaseStarter{Client: c},
	}
	w := worker.New(c, workflows.TaskQueue, worker.Options{})
	workflows.Register(w, acts)
	clk := &clock{acts: acts, cases: map[string]pace{}}
	clk.register(w)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	// This process holds the index, as `minyi serve --role all` does.
	iw := worker.New(c, workflows.IndexTaskQueue, worker.Options{})
	iw.RegisterActivity(acts)
	if err := iw.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(iw.Stop)
	return &recorder{dir: dir, c: c, store: st, index: idx, clock: clk, hook: hook, acts: acts, settings: st}
}

// save writes a workflow's history, as the replayer reads it, to file.
func (r *recorder) save(t *testing.T, file, workflowID, runID string) {
	t.Helper()
	it := r.c.GetWorkflowHistory(context.Background(), workflowID, runID, false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var h historypb.History
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	raw, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(&h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.dir, file), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitTimer waits until a running workflow has settled on a timer: its
// history then ends with a finished workflow task, as a replay needs.
func (r *recorder) waitTimer(t *testing.T, workflowID string) {
	t.Helper()
	ctx := timeout(t)
	for {
		var last enums.EventType
		it := r.c.GetWorkflowHistory(ctx, workflowID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				break
			}
			last = ev.GetEventType()
		}
		if last == enums.EVENT_TYPE_TIMER_STARTED {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s never waited on a timer: %v", workflowID, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (r *recorder) start(t *testing.T, id string, wf any, args ...any) client.WorkflowRun {
	t.Helper()
	run, err := r.c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: id, TaskQueue: workflows.TaskQueue}, wf, args...)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func timeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
