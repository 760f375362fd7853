package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func TestHealthz(t *testing.T) {
	ts := newTestServer(t)
	body := decode[map[string]string](t, ts.get("/healthz"), http.StatusOK)
	if body["status"] != "ok" {
		t.Fatalf("healthz %v", body)
	}
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	ts := newTestServer(t)
	ts.get("/healthz")
	ts.get("/api/posts/0123456789abcdef0123") // a 404, labelled with the route pattern
	// The API's own address does not serve them (every user reaches it);
	// minyi serves Prometheus's handler on metrics_listen.
	if rec := ts.get("/metrics"); rec.Code != http.StatusNotFound {
		t.Errorf("/metrics on the API's address: %d, want 404", rec.Code)
	}
	rec := httptest.NewRecorder()
	promhttp.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	out := rec.Body.String()
	for _, want := range []string{
		"minyi_http_request_duration_seconds",
		`route="/healthz",status="200"`,
		`route="/api/posts/:id",status="404"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(out, "0123456789abcdef0123") {
		t.Error("/metrics labels a request by its path instead of its route")
	}
}

func TestUnknownRouteIsJSONNotFound(t *testing.T) {
	ts := newTestServer(t)
	wantError(t, ts.get("/api/nothing-here"), http.StatusNotFound, "not_found")
}

func TestWrongMethodIsInvalid(t *testing.T) {
	ts := newTestServer(t)
	wantError(t, ts.do(httptest.NewRequest(http.MethodDelete, "/api/search", nil)), http.StatusMethodNotAllowed, "invalid")
}

func TestStatusReportsIndexedCount(t *testing.T) {
	ts := newTestServer(t)
	ts.seed(forumPosts()...)
	body := decode[struct {
		Indexed int
		Sources []struct {
			Source    string
			Documents int
		}
	}](t, ts.get("/api/status"), http.StatusOK)
	if body.Indexed != len(forumPosts()) {
		t.Errorf("indexed %d, want %d", body.Indexed, len(forumPosts()))
	}
	docs := map[string]int{}
	for _, s := range body.Sources {
		docs[s.Source] = s.Documents
	}
	if docs["city-forum"] != 3 || docs["mayor-mailbox"] != 1 {
		t.Errorf("sources %+v; want city-forum=3, mayor-mailbox=1", body.Sources)
	}
}

// A static file name that is not UTF-8 is a 404 like any missing file, not
// the 500 that http.FS answers for an invalid path (the route fuzzer found it).
func TestStaticNameThatIsNotUTF8(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/static/%FF%FE", "/static/a%00b", "/static/nope.css"} {
		if rec := ts.get(path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, rec.Code)
		}
	}
	if rec := ts.get("/static/app.css"); rec.Code != http.StatusOK {
		t.Errorf("GET /static/app.css: %d", rec.Code)
	}
}
