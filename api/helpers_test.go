package api

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
	"minyi/search/bleve"
	"minyi/store/sqlite"
)

// recordingIngester stands in for the Temporal ingest workflow, the one part
// these tests do not run: it records every call and indexes the document
// straight away, as the workflow would a moment later.
type recordingIngester struct {
	index minyi.Index

	mu    sync.Mutex
	calls []minyi.Document
}

func (r *recordingIngester) Ingest(ctx context.Context, doc minyi.Document) error {
	r.mu.Lock()
	r.calls = append(r.calls, doc)
	r.mu.Unlock()
	return r.index.Index(ctx, []minyi.Document{doc})
}

func (r *recordingIngester) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, len(r.calls))
	for i, d := range r.calls {
		ids[i] = d.ID
	}
	return ids
}

// testServer is a Server over a real SQLite store and a real in-memory
// bleve index.
type testServer struct {
	t        *testing.T
	store    minyi.Store
	index    minyi.Index
	ingester *recordingIngester
	handler  http.Handler
	server   *Server
}

// testNow is the server's clock: messages posted without a time get it.
var testNow = time.Date(2026, 11, 23, 10, 30, 0, 0, minyi.ChinaTime)

func newTestServer(t *testing.T) *testServer {
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
	ing := &recordingIngester{index: index}
	srv := &Server{
		Store:    store,
		Index:    index,
		Ingester: ing,
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:      func() time.Time { return testNow },
		Users: []TokenUser{{Name: "tester", Token: testToken, Role: RoleAdmin},
			{Name: "bridge", Token: testIntakeToken, Role: RoleIntake, Sources: []string{"*"}}},
	}
	return &testServer{t: t, store: store, index: index, ingester: ing, handler: ContractHandler(t, srv.Handler()), server: srv}
}

// seed puts documents in the store and the index, as a finished crawl would.
func (ts *testServer) seed(docs ...minyi.Document) {
	ts.t.Helper()
	ctx := context.Background()
	for i := range docs {
		docs[i].ContentHash = docs[i].Hash()
	}
	if _, err := ts.store.PutDocuments(ctx, docs); err != nil {
		ts.t.Fatal(err)
	}
	if err := ts.index.Index(ctx, docs); err != nil {
		ts.t.Fatal(err)
	}
}

// testToken is an admin's bearer token, which do sends unless the request
// has an Authorization header of its own; a letter delivered to
// /api/messages goes with testIntakeToken, an intake client's for any source.
const (
	testToken       = "test-token-0123456789"
	testIntakeToken = "test-intake-token-0123456789"
)

func (ts *testServer) do(req *http.Request) *httptest.ResponseRecorder {
	ts.t.Helper()
	switch {
	case req.Header.Get("Authorization") != "":
	case req.Method == http.MethodPost && req.URL.Path == "/api/messages":
		req.Header.Set("Authorization", "Bearer "+testIntakeToken)
	default:
		req.Header.Set("Authorization", "Bearer "+testToken)
	}
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	return rec
}

func (ts *testServer) get(path string) *httptest.ResponseRecorder {
	return ts.do(httptest.NewRequest(http.MethodGet, path, nil))
}

func (ts *testServer) post(path string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return ts.do(req)
}

// decode reads a JSON answer, failing the test on another status.
func decode[T any](t *testing.T, rec *httptest.ResponseRecorder, status int) T {
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

// wantError checks a JSON error answer with its status and code.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" && ct != "application/json; charset=UTF-8" {
		t.Errorf("error answer has Content-Type %q, want JSON", ct)
	}
	body := decode[errorBody](t, rec, status)
	if body.Error.Code != code || body.Error.Message == "" {
		t.Fatalf("error %+v, want code %q with a message", body.Error, code)
	}
}
