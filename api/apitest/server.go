// Package apitest is the HTTP tests' fixture: a server over a real SQLite
// store and a real in-memory bleve index, case environments with a
// recording case updater, and ContractHandler, which holds every /api
// exchange to the contract. Tests import it; no package does.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"minyi"
	"minyi/api/core"
	"minyi/search/bleve"
	"minyi/store/sqlite"
)

// Ingester stands in for the Temporal ingest workflow, the one part
// these tests do not run: it records every call and indexes the document
// straight away, as the workflow would a moment later.
type Ingester struct {
	Index minyi.Index

	mu    sync.Mutex
	calls []minyi.Document
}

func (r *Ingester) Ingest(ctx context.Context, doc minyi.Document) error {
	r.mu.Lock()
	r.calls = append(r.calls, doc)
	r.mu.Unlock()
	return r.Index.Index(ctx, []minyi.Document{doc})
}

func (r *Ingester) IDs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, len(r.calls))
	for i, d := range r.calls {
		ids[i] = d.ID
	}
	return ids
}

// Env is a server over a real SQLite store and a real in-memory
// bleve index.
type Env struct {
	T        *testing.T
	Store    minyi.Store
	Index    minyi.Index
	Ingester *Ingester
	Handler  http.Handler
	Server   *core.Server
}

// Now is the server's clock: messages posted without a time get it.
var Now = time.Date(2026, 11, 23, 10, 30, 0, 0, minyi.ChinaTime)

func NewServer(t *testing.T) *Env {
	t.Helper()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "minyi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	index, err := bleve.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { index.Close() })
	ing := &Ingester{Index: index}
	srv := &core.Server{
		Store:    store,
		Index:    index,
		Ingester: ing,
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:      func() time.Time { return Now },
		// The admin "tester" that Do sends by default, an intake client, and
		// one user of each role (CaseUsers) for the tests of who may do what.
		Users: append([]core.TokenUser{{Name: "tester", Token: Token, Role: core.RoleAdmin},
			{Name: "bridge", Token: IntakeToken, Role: core.RoleIntake, Sources: []string{"*"}}}, CaseUsers...),
		Departments: CaseDepartments,
	}
	return &Env{T: t, Store: store, Index: index, Ingester: ing, Handler: ContractHandler(t, srv.Handler()), Server: srv}
}

// Seed puts documents in the store and the index, as a finished crawl would.
func (ts *Env) Seed(docs ...minyi.Document) {
	ts.T.Helper()
	ctx := context.Background()
	for i := range docs {
		docs[i].ContentHash = docs[i].Hash()
	}
	if _, err := ts.Store.PutDocuments(ctx, docs); err != nil {
		ts.T.Fatal(err)
	}
	if err := ts.Index.Index(ctx, docs); err != nil {
		ts.T.Fatal(err)
	}
}

// Token is an admin's bearer token, which do sends unless the request
// has an Authorization header of its own; a letter delivered to
// /api/messages goes with testIntakeToken, an intake client's for any source.
const (
	Token       = "test-token-0123456789"
	IntakeToken = "test-intake-token-0123456789"
)

func (ts *Env) Do(req *http.Request) *httptest.ResponseRecorder {
	ts.T.Helper()
	switch {
	case req.Header.Get("Authorization") != "":
	case req.Method == http.MethodPost && req.URL.Path == "/api/messages":
		req.Header.Set("Authorization", "Bearer "+IntakeToken)
	default:
		req.Header.Set("Authorization", "Bearer "+Token)
	}
	rec := httptest.NewRecorder()
	ts.Handler.ServeHTTP(rec, req)
	return rec
}

func (ts *Env) Get(path string) *httptest.ResponseRecorder {
	return ts.Do(httptest.NewRequest(http.MethodGet, path, nil))
}

func (ts *Env) Post(path string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return ts.Do(req)
}

// Decode reads a JSON answer, failing the test on another status.
func Decode[T any](t *testing.T, rec *httptest.ResponseRecorder, status int) T {
	t.Helper()
	var out T
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("decoding %s: %v", rec.Body, err)
	}
	return out
}

// WantError checks a JSON error answer with its status and code.
func WantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" && ct != "application/json; charset=UTF-8" {
		t.Errorf("error answer has Content-Type %q, want JSON", ct)
	}
	body := Decode[core.ErrorBody](t, rec, status)
	if body.Error.Code != code || body.Error.Message == "" {
		t.Fatalf("error %+v, want code %q with a message", body.Error, code)
	}
}

// ForumPosts: three mention 拆迁补偿 (two on the forum, on two days, one in
// the mailbox); one has 拆 and 补 apart and must not match.
func ForumPosts() []minyi.Document {
	day := func(d, clock string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", d+" "+clock, minyi.ChinaTime)
		if err != nil {
			panic(err)
		}
		return t
	}
	return []minyi.Document{
		{ID: "f1", Source: "city-forum", Kind: minyi.KindPost, Title: "城南村拆迁补偿标准太低",
			Body: "我们村的拆迁补偿款到现在还没有发放。", Published: day("2026-11-02", "09:00")},
		{ID: "f2", Source: "city-forum", Kind: minyi.KindPost, Title: "再问拆迁补偿进度",
			Body: "街道说在走流程。", Published: day("2026-11-03", "20:15")},
		{ID: "f3", Source: "city-forum", Kind: minyi.KindPost, Title: "和平路拆了围挡却不补路面",
			Body: "施工队拆完就走，坑也不补。", Published: day("2026-11-03", "21:00")},
		{ID: "m1", Source: "mayor-mailbox", Kind: minyi.KindMessage, Title: "关于拆迁补偿的咨询",
			Body: "请问拆迁补偿按什么标准执行？", Published: day("2026-11-05", "08:30"), MessageType: "咨询"},
	}
}
