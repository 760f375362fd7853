package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"minyi/api/apitest"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func TestHealthz(t *testing.T) {
	ts := apitest.NewServer(t)
	body := apitest.Decode[map[string]string](t, ts.Get("/healthz"), http.StatusOK)
	if body["status"] != "ok" {
		t.Fatalf("healthz %v", body)
	}
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	ts := apitest.NewServer(t)
	ts.Get("/healthz")
	ts.Get("/api/posts/0123456789abcdef0123") // a 404, labelled with the route pattern
	// The API's own address does not serve them (every user reaches it);
	// minyi serves Prometheus's handler on metrics_listen.
	if rec := ts.Get("/metrics"); rec.Code != http.StatusNotFound {
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
	ts := apitest.NewServer(t)
	apitest.WantError(t, ts.Get("/api/nothing-here"), http.StatusNotFound, "not_found")
}

func TestWrongMethodIsInvalid(t *testing.T) {
	ts := apitest.NewServer(t)
	apitest.WantError(t, ts.Do(httptest.NewRequest(http.MethodDelete, "/api/search", nil)), http.StatusMethodNotAllowed, "invalid")
}

// A static file name that is not UTF-8 is a 404 like any missing file, not
// the 500 that http.FS answers for an invalid path (the route fuzzer found it).
func TestStaticNameThatIsNotUTF8(t *testing.T) {
	ts := apitest.NewServer(t)
	for _, path := range []string{"/static/%FF%FE", "/static/a%00b", "/static/nope.css"} {
		if rec := ts.Get(path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, rec.Code)
		}
	}
	if rec := ts.Get("/static/app.css"); rec.Code != http.StatusOK {
		t.Errorf("GET /static/app.css: %d", rec.Code)
	}
}
