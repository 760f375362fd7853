package apitest

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
	"minyi/api/core"
	"minyi/store/sqlite"
)

// CaseNow is Monday 2026-11-23 10:00 in China.
var CaseNow = time.Date(2026, 11, 23, 10, 0, 0, 0, minyi.ChinaTime)

// Tokens of the test users, one per role and two departments.
const (
	TokAnalyst    = "analyst-token-0123456789"
	TokWater      = "water-token-0123456789ab"
	TokHousing    = "housing-token-0123456789"
	TokSupervisor = "supervisor-token-0123456"
	TokAdmin      = "admin-token-0123456789ab"
)

var CaseUsers = []core.TokenUser{
	{Name: "舆情分析", Token: TokAnalyst, Role: core.RoleAnalyst},
	{Name: "水务局值班", Token: TokWater, Role: core.RoleDepartment, Department: "water"},
	{Name: "住建局值班", Token: TokHousing, Role: core.RoleDepartment, Department: "housing"},
	{Name: "督查室", Token: TokSupervisor, Role: core.RoleSupervisor},
	{Name: "管理员", Token: TokAdmin, Role: core.RoleAdmin},
}

var CaseDepartments = []minyi.Department{
	{ID: "water", Name: "市水务局"},
	{ID: "housing", Name: "市住建局"},
	{ID: "traffic", Name: "市交通局"},
}

// UpdateCall is one call the API made to the case workflow.
type UpdateCall struct {
	CaseID, Update string
	Arg            any
}

// RecordingUpdater stands in for the case workflows (Temporal): it records
// each action and answers with the stored case marked by the action, or err.
type RecordingUpdater struct {
	mu    sync.Mutex
	calls []UpdateCall
	Err   error
}

func (r *RecordingUpdater) UpdateCase(_ context.Context, caseID, update string, arg any) (minyi.Case, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, UpdateCall{caseID, update, arg})
	if r.Err != nil {
		return minyi.Case{}, r.Err
	}
	return minyi.Case{ID: caseID, Status: minyi.CaseAnswered, Updated: CaseNow}, nil
}

func (r *RecordingUpdater) Calls() []UpdateCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]UpdateCall(nil), r.calls...)
}

type CaseEnv struct {
	T       *testing.T
	Store   *sqlite.Store
	Updater *RecordingUpdater
	Handler http.Handler
}

func NewCaseEnv(t *testing.T) *CaseEnv {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	up := &RecordingUpdater{}
	srv := &core.Server{
		Store:       st,
		Users:       CaseUsers,
		Departments: CaseDepartments,
		Cases:       up,
		Now:         func() time.Time { return CaseNow },
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	return &CaseEnv{T: t, Store: st, Updater: up, Handler: ContractHandler(t, srv.Handler())}
}

// Put stores a case, its message (with contact data when given) and events.
func (e *CaseEnv) Put(c minyi.Case, contact *minyi.Contact, events ...minyi.CaseEvent) {
	e.T.Helper()
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
	if _, err := e.Store.PutDocuments(ctx, []minyi.Document{doc}); err != nil {
		e.T.Fatal(err)
	}
	if err := e.Store.PutCase(ctx, c); err != nil {
		e.T.Fatal(err)
	}
	if err := e.Store.AppendCaseEvents(ctx, events); err != nil {
		e.T.Fatal(err)
	}
}

func (e *CaseEnv) Do(method, path, token, body string) *httptest.ResponseRecorder {
	e.T.Helper()
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
	e.Handler.ServeHTTP(rec, req)
	return rec
}

// want checks the status and, for an error, its JSON code.
func CaseWant(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
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

func CaseDecode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %s: %v", rec.Body, err)
	}
	return v
}

// SeedBasic stores one open case per department, a routing case and a
// historical one:
//
//	case-w1  water    open, due in 2 days, petitioner contact
//	case-h1  housing  open, overdue by a day, petitioner contact
//	case-r1  routing  (no department)
//	case-w0  water    historical, closed
func (e *CaseEnv) SeedBasic() {
	day := 24 * time.Hour
	e.Put(minyi.Case{ID: "case-w1", Department: "water", Received: CaseNow.Add(-3 * day), Due: CaseNow.Add(2 * day),
		Routing: &minyi.Routing{Department: "water", Rule: "供水关键词", Reason: "标题含“停水”", At: CaseNow.Add(-3 * day)}},
		&minyi.Contact{Name: "张先生", Phone: "13800000001"},
		minyi.CaseEvent{CaseID: "case-w1", Key: "001-opened", Type: minyi.EventOpened, At: CaseNow.Add(-3 * day), Actor: "system"},
		minyi.CaseEvent{CaseID: "case-w1", Key: "002-routed", Type: minyi.EventRouted, At: CaseNow.Add(-3*day + time.Minute),
			Actor: "system", Department: "water", Detail: "标题含“停水”", Due: CaseNow.Add(2 * day)})
	e.Put(minyi.Case{ID: "case-h1", Department: "housing", Received: CaseNow.Add(-20 * day), Due: CaseNow.Add(-day)},
		&minyi.Contact{Name: "李女士", Phone: "13800000002"})
	e.Put(minyi.Case{ID: "case-r1", Status: minyi.CaseRouting, Received: CaseNow.Add(-day)}, nil)
	e.Put(minyi.Case{ID: "case-w0", Department: "water", Status: minyi.CaseClosed, Historical: true,
		Received: CaseNow.AddDate(-1, 0, 0), Due: CaseNow.AddDate(-1, 0, 7), Answered: CaseNow.AddDate(-1, 0, 3), OnTime: true}, nil)
}

const CaseDay = 24 * time.Hour

// SeedStats stores cases whose 30-day figures are worked out by hand:
//
//	water    received 4 in window: 2 answered (1 of 3 due on time), 1 returned,
//	         1 rated satisfied, 2 open of which 1 overdue (a repeat complaint,
//	         重复件, of the case 40 days ago); one more case 40 days ago
//	housing  received 2: both answered on time (1 due), rated dissatisfied and basic;
//	         the dissatisfied one was reopened (重办), answered again and closed
//	parks    received 1, open, not due; no configured name
//	routing  one case without department: in no department's figures
func SeedStats(e *CaseEnv) {
	at := func(d time.Duration) time.Time { return CaseNow.Add(d) }
	answered := func(c minyi.Case, when time.Time, onTime bool) minyi.Case {
		c.Status, c.Answered, c.OnTime = minyi.CaseAnswered, when, onTime
		return c
	}
	e.Put(answered(minyi.Case{ID: "w1", Department: "water", Received: at(-20 * CaseDay), Due: at(-10 * CaseDay)}, at(-12*CaseDay), true), nil)
	w2 := answered(minyi.Case{ID: "w2", Department: "water", Received: at(-15 * CaseDay), Due: at(-5 * CaseDay), Returns: 1}, at(-3*CaseDay), false)
	w2.Status, w2.Rating = minyi.CaseClosed, minyi.RatingSatisfied
	e.Put(w2, nil)
	e.Put(minyi.Case{ID: "w3", Department: "water", Received: at(-10 * CaseDay), Due: at(-CaseDay), RepeatOf: []string{"w-old"}}, nil)
	e.Put(minyi.Case{ID: "w4", Department: "water", Received: at(-2 * CaseDay), Due: at(5 * CaseDay)}, nil)
	e.Put(minyi.Case{ID: "w-old", Department: "water", Received: at(-40 * CaseDay), Due: at(-30 * CaseDay)}, nil)
	h1 := answered(minyi.Case{ID: "h1", Department: "housing", Received: at(-5 * CaseDay), Due: at(-CaseDay)}, at(-2*CaseDay), true)
	h1.Status, h1.Rating, h1.Redo = minyi.CaseClosed, minyi.RatingDissatisfied, true
	e.Put(h1, nil)
	h2 := answered(minyi.Case{ID: "h2", Department: "housing", Received: at(-3 * CaseDay), Due: at(2 * CaseDay)}, at(-CaseDay), true)
	h2.Status, h2.Rating = minyi.CaseClosed, minyi.RatingBasic
	e.Put(h2, nil)
	e.Put(minyi.Case{ID: "p1", Department: "parks", Received: at(-CaseDay), Due: at(9 * CaseDay)}, nil)
	e.Put(minyi.Case{ID: "r1", Status: minyi.CaseRouting, Received: at(-CaseDay)}, nil)
}
