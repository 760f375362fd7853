package activities

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"minyi"
	"minyi/calendar"
	"minyi/deadline"
	"minyi/notify"
	"minyi/routing"
	"minyi/search/bleve"
	"minyi/store/sqlite"
)

// fixture is an Activities over real in-process dependencies, as cmd/minyi
// wires them: a SQLite store and a bleve index in a temporary directory,
// the demo routing, the holiday calendar, the default deadline policy and
// webhooks served by httptest, run in Temporal's activity test environment.
type fixture struct {
	acts  *Activities
	store minyi.Store
	index minyi.Index
	env   *testsuite.TestActivityEnvironment
	hooks *hooks
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	idx, err := bleve.Open(filepath.Join(dir, "index.bleve"))
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
	h := newHooks(t)
	f := &fixture{store: st, index: idx, hooks: h, acts: &Activities{
		Store: st, Index: idx, Router: router, Deadlines: deadline.DefaultPolicy(), Calendar: cal,
		Recipients: recipients(h),
	}}
	var ts testsuite.WorkflowTestSuite
	f.env = ts.NewTestActivityEnvironment()
	f.env.RegisterActivity(f.acts)
	return f
}

// run executes an activity in the test environment and decodes its result
// into out (nil for none).
func (f *fixture) run(t *testing.T, out any, activity any, args ...any) error {
	t.Helper()
	v, err := f.env.ExecuteActivity(activity, args...)
	if err != nil || out == nil {
		return err
	}
	return v.Get(out)
}

// must is run for an activity that has to succeed.
func (f *fixture) must(t *testing.T, out any, activity any, args ...any) {
	t.Helper()
	if err := f.run(t, out, activity, args...); err != nil {
		t.Fatal(err)
	}
}

// letter stores a mayor-mailbox letter and returns it.
func (f *fixture) letter(t *testing.T, key, title, body string, published time.Time) minyi.Document {
	t.Helper()
	return f.put(t, minyi.Document{Source: "mayor-mailbox", Kind: minyi.KindMessage, ExternalID: key,
		Title: title, Body: body, Published: published, Fetched: published})
}

func (f *fixture) put(t *testing.T, d minyi.Document) minyi.Document {
	t.Helper()
	d.ID, d.ContentHash = minyi.DocumentID(d.Source, d.ExternalID), d.Hash()
	if _, err := f.store.PutDocuments(context.Background(), []minyi.Document{d}); err != nil {
		t.Fatal(err)
	}
	return d
}

// hooks are the webhooks of the ecology department, its head and the
// supervisors; each records the JSON notifications it is sent.
type hooks struct {
	dept, head, supervisors *hook
}

type hook struct {
	*httptest.Server
	mu     sync.Mutex
	got    []notify.Notification
	status int // answered; 200 unless a test changes it
}

func newHooks(t *testing.T) *hooks {
	return &hooks{dept: newHook(t), head: newHook(t), supervisors: newHook(t)}
}

func newHook(t *testing.T) *hook {
	h := &hook{status: http.StatusOK}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var n notify.Notification
		h.mu.Lock()
		defer h.mu.Unlock()
		if json.Unmarshal(raw, &n) == nil {
			h.got = append(h.got, n)
		}
		w.WriteHeader(h.status)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hook) notifications() []notify.Notification {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]notify.Notification(nil), h.got...)
}

func (h *hook) answer(status int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.status = status
}

func recipients(h *hooks) Recipients {
	return Recipients{
		Departments: map[string]notify.Notifier{"ecology": notify.Webhook{URL: h.dept.URL}},
		Heads:       map[string]notify.Notifier{"ecology": notify.Webhook{URL: h.head.URL}},
		Supervisors: notify.Webhook{URL: h.supervisors.URL},
		BaseURL:     "https://minyi.example.gov.cn",
	}
}
