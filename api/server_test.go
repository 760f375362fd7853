package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
	rec := ts.get("/metrics")
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
