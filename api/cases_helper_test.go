package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/api"
	"minyi/store/sqlite"
)

// caseNow is Monday 2026-11-23 10:00 in China.
var caseNow = time.Date(2026, 11, 23, 10, 0, 0, 0, minyi.ChinaTime)

// Tokens of the test users, one per role and two departments.
const (
	tokAnalyst    = "analyst-token-0123456789"
	tokWater      = "water-token-0123456789ab"
	tokHousing    = "housing-token-0123456789"
	tokSupervisor = "supervisor-token-0123456"
	tokAdmin      = "admin-token-0123456789ab"
)

var caseUsers = []api.TokenUser{
	{Name: "舆情分析", Token: tokAnalyst, Role: api.RoleAnalyst},
	{Name: "水务局值班", Token: tokWater, Role: api.RoleDepartment, Department: "water"},
	{Name: "住建局值班", Token: tokHousing, Role: api.RoleDepartment, Department: "housing"},
	{Name: "督查室", Token: tokSupervisor, Role: api.RoleSupervisor},
	{Name: "管理员", Token: tokAdmin, Role: api.RoleAdmin},
}

var caseDepartments = []minyi.Department{
	{ID: "water", Name: "市水务局"},
	{ID: "housing", Name: "市住建局"},
	{ID: "traffic", Name: "市交通局"},
}

// updateCall is one call the API made to the case workflow.
type updateCall struct {
	CaseID, Update string
	Arg            any
}

// recordingUpdater stands in for the case workflows (Temporal): it records
// each action and answers with the stored case marked by the action, or err.
type recordingUpdater struct {
	mu    sync.Mutex
	calls []updateCall
	err   error
}

func (r *recordingUpdater) UpdateCase(_ context.Context, caseID, update string, arg any) (minyi.Case, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, updateCall{caseID, update, arg})
	if r.err != nil {
		return minyi.Case{}, r.err
	}
	return minyi.Case{ID: caseID, Status: minyi.CaseAnswered, Updated: caseNow}, nil
}

func (r *recordingUpdater) Calls() []updateCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]updateCall(nil), r.calls...)
}

type caseEnv struct {
	t       *testing.T
	store   *sqlite.Store
	updater *recordingUpdater
	handler http.Handler
}

func newCaseEnv(t *testing.T) *caseEnv {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	up := &recordingUpdater{}
	srv := &api.Server{
		Store:       st,
		Users:       caseUsers,
		Departments: caseDepartments,
		Cases:       up,
		Now:         func() time.Time { return caseNow },
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	return &caseEnv{t: t, store: st, updater: up, handler: api.ContractHandler(t, srv.Handler())}
}

// put stores a case, its message (with contact data when given) and events.
func (e *caseEnv) put(c minyi.Case, contact *minyi.Contact, events ...minyi.CaseEvent) {
	e.t.Helper()
	ctx := context.Background()
	if c.DocumentID == "" {
		c.DocumentID = "doc-" + c.ID
	}
	if c.Title == "" {
		c.Title = "关于" + c.ID + "的投诉"
	}
	if c.Source == "" {
		c.Source = "mayor-mailbox"
	}
	if c.MessageType == "" {
		c.MessageType = minyi.TypeComplaint
	}
	if c.Status == "" {
		c.Status = minyi.CaseOpen
	}
	doc := minyi.Document{ID: c.DocumentID, Source: c.Source, Kind: minyi.KindMessage, Title: c.Title,
		Body: "信件正文：" + c.Title, Published: c.Received, Fetched: c.Received,
		MessageType: string(c.MessageType), Contact: contact}
	if _, err := e.store.PutDocuments(ctx, []minyi.Document{doc}); err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.PutCase(ctx, c); err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.AppendCaseEvents(ctx, events); err != nil {
		e.t.Fatal(err)
	}
}

func (e *caseEnv) do(method, path, token, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec
}

// want checks the status and, for an error, its JSON code.
func caseWant(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if code == "" {
		return
	}
	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, rec.Body)
	}
	if body.Error.Code != code || body.Error.Message == "" {
		t.Fatalf("error = %+v, want code %q with a message", body.Error, code)
	}
}

func caseDecode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %s: %v", rec.Body, err)
	}
	return v
}

// seedBasic stores one open case per department, a routing case and a
// historical one:
//
//	case-w1  water    open, due in 2 days, petitioner contact
//	case-h1  housing  open, overdue by a day, petitioner contact
//	case-r1  routing  (no department)
//	case-w0  water    historical, closed
func (e *caseEnv) seedBasic() {
	day := 24 * time.Hour
	e.put(minyi.Case{ID: "case-w1", Department: "water", Received: caseNow.Add(-3 * day), Due: caseNow.Add(2 * day),
		Routing: &minyi.Routing{Department: "water", Rule: "供水关键词", Reason: "标题含“停水”", At: caseNow.Add(-3 * day)}},
		&minyi.Contact{Name: "张先生", Phone: "13800000001"},
		minyi.CaseEvent{CaseID: "case-w1", Key: "001-opened", Type: minyi.EventOpened, At: caseNow.Add(-3 * day), Actor: "system"},
		minyi.CaseEvent{CaseID: "case-w1", Key: "002-routed", Type: minyi.EventRouted, At: caseNow.Add(-3*day + time.Minute),
			Actor: "system", Department: "water", Detail: "标题含“停水”", Due: caseNow.Add(2 * day)})
	e.put(minyi.Case{ID: "case-h1", Department: "housing", Received: caseNow.Add(-20 * day), Due: caseNow.Add(-day)},
		&minyi.Contact{Name: "李女士", Phone: "13800000002"})
	e.put(minyi.Case{ID: "case-r1", Status: minyi.CaseRouting, Received: caseNow.Add(-day)}, nil)
	e.put(minyi.Case{ID: "case-w0", Department: "water", Status: minyi.CaseClosed, Historical: true,
		Received: caseNow.AddDate(-1, 0, 0), Due: caseNow.AddDate(-1, 0, 7), Answered: caseNow.AddDate(-1, 0, 3), OnTime: true}, nil)
}
