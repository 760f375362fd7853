package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/demosite"
)

// TestRouteFuzzer sends hostile values to every route of the running
// server, for every role and for an anonymous visitor. The routes come from
// echo's own table and the parameter names from the handlers' source, so a
// new route or parameter is fuzzed the day it is added. It holds that no
// answer is a 5xx (a deliberate 503 aside), that the process still answers
// after every route, and that an anonymous visitor meets a 401 or the login
// page everywhere but the public routes.
func TestRouteFuzzer(t *testing.T) {
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, minyi.ChinaTime)
	now := start.AddDate(0, 0, 30)
	ta := startTestApp(t, demosite.Options{Seed: 11, Threads: 12, Letters: 8, Start: start,
		Now: func() time.Time { return now }})
	ta.crawl(t, "demo-forum", false)
	ta.crawl(t, "demo-mailbox", false)
	cases := ta.waitCases(t, "demo-mailbox", -1, func(cs []minyi.Case) bool { return len(cs) > 0 })
	// A person the admin routes may disable and reset, so the demo's own
	// accounts keep working through the run.
	if err := ta.store.CreateUser(t.Context(), minyi.User{Login: "fuzzee", Role: minyi.RoleAnalyst}); err != nil {
		t.Fatal(err)
	}

	incident := raiseFuzzIncident(t, ta, cases[0].DocumentID)

	t.Run("readiness has the security headers, metrics are on their own address", func(t *testing.T) {
		resp, err := http.Get(ta.apiURL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy"} {
			if resp.Header.Get(h) == "" {
				t.Errorf("/readyz lacks %s", h)
			}
		}
		if resp, err := http.Get(ta.apiURL + "/metrics"); err != nil || resp.StatusCode != http.StatusNotFound {
			t.Errorf("/metrics on the API's address: %v %v, want 404", resp.StatusCode, err)
		}
		resp, err = http.Get(ta.metricsURL)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "minyi_http_request_duration_seconds") {
			t.Errorf("metrics address %s: %d, %d bytes without minyi's metrics", ta.metricsURL, resp.StatusCode, len(body))
		}
	})

	f := &routeFuzzer{
		t:      t,
		base:   ta.apiURL,
		params: handlerParams(t, "../../api"),
		paths: map[string][]string{":id": {cases[0].ID, cases[0].DocumentID, incident}, ":login": {"fuzzee"}, ":name": {"a.pdf"}, "*": {"app.css"},
			":number": {"20261031-AAAAAA"}},
		public:  []string{"GET /login", "POST /login", "POST /logout", "GET /healthz", "GET /static/*"},
		tokens:  []string{demoToken("admin"), demoToken("supervisor"), demoToken("analyst"), demoToken("housing"), demoToken("intake")},
		healthz: ta.apiURL + "/healthz",
	}
	routes := ta.api.Routes()
	f.run(routes)
	t.Logf("route fuzzer: %d routes × %d roles + anonymous × %d parameters × %d values (%d route parameters left unread got two probes): %d requests, %d 5xx, %d deliberate 503, process alive after every route",
		f.routes.Load(), len(f.tokens), len(f.params), len(fuzzValues()), f.skipped.Load(), f.sent.Load(), f.failures.Load(), f.unavailable.Load())

	// The public portal, on its own address: every route is public and
	// every visitor anonymous, so the anonymous visitor fuzzes them all.
	if ta.portal == nil {
		t.Fatal("the demo serves no portal")
	}
	pf := &routeFuzzer{
		t:         t,
		base:      ta.portalURL,
		params:    handlerParams(t, "../../api/portal"),
		paths:     map[string][]string{":number": {"20261031-AAAAAA"}, ":id": {"20261031-AAAAAA.json", "20261031-AAAAAA.xml"}, "*": {"portal.css"}},
		anonymous: true,
		minRoutes: 15,
		healthz:   ta.portalURL + "/healthz",
	}
	for _, r := range ta.portal.Routes() {
		pf.public = append(pf.public, r.Method+" "+r.Path)
	}
	pf.run(ta.portal.Routes())
	t.Logf("portal route fuzzer: %d routes, anonymous × %d parameters × %d values: %d requests, %d 5xx",
		pf.routes.Load(), len(pf.params), len(fuzzValues()), pf.sent.Load(), pf.failures.Load())
}

type routeFuzzer struct {
	t       *testing.T
	base    string
	params  []string
	paths   map[string][]string // real values for each path parameter
	public  []string            // "METHOD /path" answered without a user
	tokens  []string
	healthz string
	// anonymous fuzzes every parameter as an anonymous visitor (the
	// portal), not as the first role past the guard.
	anonymous bool
	minRoutes int // the table is broken below this; default 40

	client                                       http.Client
	routes, sent, failures, unavailable, skipped atomic.Int64
}

// fuzzValue is what one parameter is set to: a value, or a shape of the
// query string (a repeated key, an array).
type fuzzValue struct {
	name   string
	values func(key string) url.Values
}

func one(v string) func(string) url.Values {
	return func(key string) url.Values { return url.Values{key: {v}} }
}

func fuzzValues() []fuzzValue {
	return []fuzzValue{
		{"0", one("0")}, {"-1", one("-1")}, {"2^31", one("2147483648")},
		{"2^62", one("4611686018427387904")}, {"2^63-1", one("9223372036854775807")},
		{"-2^63", one("-9223372036854775808")}, {"1e309", one("1e309")}, {"NaN", one("NaN")},
		{"empty", one("")}, {"64KiB", one(strings.Repeat("拆", 64<<10/3))},
		{"invalid UTF-8", one("\xff\xfe\xc3(")}, {"date", one("2026-02-31")},
		{"repeated", func(k string) url.Values { return url.Values{k: {"1", "-1", "x"}} }},
		{"array", func(k string) url.Values { return url.Values{k + "[]": {"1", "2"}, k: {"[1,2]"}} }},
	}
}

// paramPattern finds the names handlers read: params(c).Int("page"),
// c.QueryParam("q"), c.FormValue("csrf") and their kin.
var paramPattern = regexp.MustCompile(`\.(?:String|Int|Bool|Time|Date|OneOf|QueryParam|FormValue|Get|Has)\("([a-z][a-z0-9_]*)"`)

// handlerParams lists every parameter name read under dir's Go files.
func handlerParams(t *testing.T, dir string) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range paramPattern.FindAllSubmatch(src, -1) {
			seen[string(m[1])] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) < 20 {
		t.Fatalf("found only %d parameter names under %s: %v", len(names), dir, names)
	}
	return names
}

type fuzzRoute struct{ method, path string }

func (f *routeFuzzer) run(routes []*echo.Route) {
	var list []fuzzRoute
	seen := map[fuzzRoute]bool{}
	for _, r := range routes {
		fr := fuzzRoute{r.Method, r.Path}
		if seen[fr] || r.Method == "echo_route_not_found" {
			continue
		}
		seen[fr] = true
		list = append(list, fr)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].path+list[i].method < list[j].path+list[j].method })
	if f.minRoutes == 0 {
		f.minRoutes = 40
	}
	if len(list) < f.minRoutes {
		f.t.Fatalf("the route table has only %d routes", len(list))
	}
	for _, r := range list {
		f.routes.Add(1)
		began, sent := time.Now(), f.sent.Load()
		f.route(r)
		f.alive(r)
		if took := time.Since(began); took > 3*time.Second {
			f.t.Logf("%s %s: %d requests in %v", r.method, r.path, f.sent.Load()-sent, took.Round(time.Millisecond))
		}
	}
}

// route fuzzes one route: every path variant plainly, as every role and
// anonymously; then every parameter with every value, as each role that
// gets past the route's guard.
func (f *routeFuzzer) route(r fuzzRoute) {
	real, variants := f.expand(r.path)
	public := slices.Contains(f.public, r.method+" "+r.path)
	for _, p := range variants {
		resp := f.send(r, p, "", nil)
		if cleaned(resp) {
			resp = f.send(fuzzRoute{r.method, resp.location}, resp.location, "", nil)
		}
		if !public && !f.refusedAnonymous(resp) && !(cleaned(resp) || resp.code == http.StatusNotFound) {
			f.t.Errorf("anonymous %s %s: %d (Location %q), want 401 or the login page", r.method, p, resp.code, resp.location)
		}
	}
	// Every role meets every path variant; the parameters are fuzzed as the
	// first role past the route's guard (roles are tried most powerful
	// first), on four connections at once.
	identities := f.tokens
	if f.anonymous {
		identities = []string{""}
	}
	fuzzAs, found := "", false
	for _, tok := range identities {
		if tok != "" {
			for _, p := range variants {
				f.send(r, p, tok, nil)
			}
		}
		plain := f.send(r, real, tok, nil)
		if !found && plain.code != http.StatusUnauthorized && plain.code != http.StatusForbidden {
			fuzzAs, found = tok, true
		}
	}
	if found {
		// A parameter the route does not read leaves its answer as it was:
		// such names get two probes instead of every value, which keeps the
		// run to minutes. Where the answer changes by itself between two
		// plain requests (the audit log's export, which audits itself), the
		// status alone tells.
		base, again := f.send(r, real, fuzzAs, nil), f.send(r, real, fuzzAs, nil)
		unread := func(a fuzzAnswer) bool { return a == base || base != again && a.code == base.code }
		type job struct {
			name string
			v    fuzzValue
		}
		jobs := make(chan job)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for j := range jobs {
					f.send(r, real, fuzzAs, j.v.values(j.name))
				}
			})
		}
		for _, name := range f.params {
			if unread(f.send(r, real, fuzzAs, url.Values{name: {"-1"}})) && unread(f.send(r, real, fuzzAs, url.Values{name: {"\xff"}})) {
				f.skipped.Add(1)
				continue
			}
			for _, v := range fuzzValues() {
				jobs <- job{name, v}
			}
		}
		close(jobs)
		wg.Wait()
	}
	for _, v := range fuzzValues() { // anonymous with parameters too: guards run first
		q := url.Values{}
		for _, name := range f.params {
			for k, vs := range v.values(name) {
				q[k] = vs
			}
		}
		f.send(r, real, "", q)
	}
}

// expand gives the path with real values for its parameters, and variants
// with hostile ones.
func (f *routeFuzzer) expand(path string) (real string, variants []string) {
	segs := strings.Split(path, "/")
	hostile := []string{"0", "-1", "9223372036854775807", "..", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", url.PathEscape("\xff\xfe"),
		url.PathEscape(strings.Repeat("拆", 2000)), "%00", url.PathEscape("<script>")}
	realSegs := slices.Clone(segs)
	var params []int
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || s == "*" {
			params = append(params, i)
			if vals := f.paths[s]; len(vals) > 0 {
				realSegs[i] = vals[0]
			} else {
				realSegs[i] = "x"
			}
		}
	}
	real = strings.Join(realSegs, "/")
	variants = []string{real}
	for _, i := range params {
		vals := append(slices.Clone(f.paths[segs[i]]), hostile...)
		for _, v := range vals {
			s := slices.Clone(realSegs)
			s[i] = v
			variants = append(variants, strings.Join(s, "/"))
		}
	}
	return real, variants
}

type fuzzAnswer struct {
	code     int
	location string
	size     int64 // of the body
}

// send makes one request: a GET's parameters in the query, anything else's
// as a form body (and in the query, which some forms read).
func (f *routeFuzzer) send(r fuzzRoute, path, token string, params url.Values) fuzzAnswer {
	f.t.Helper()
	target := f.base + path
	var body io.Reader
	if params != nil {
		target += "?" + params.Encode()
		if r.method != http.MethodGet && r.method != http.MethodHead {
			body = strings.NewReader(params.Encode())
		}
	}
	req, err := http.NewRequest(r.method, target, body)
	if err != nil {
		return fuzzAnswer{} // a method net/http cannot send; nothing reached the server
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	f.sent.Add(1)
	client := &f.client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	client.Timeout = time.Minute
	resp, err := client.Do(req)
	if err != nil {
		f.failures.Add(1)
		f.t.Errorf("%s %.200s: %v", r.method, path, err)
		return fuzzAnswer{}
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 600))
	rest, _ := io.Copy(io.Discard, resp.Body)
	switch {
	case resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
		f.unavailable.Add(1) // deliberate: a dependency is down for a moment
	case resp.StatusCode >= 500:
		f.failures.Add(1)
		f.t.Errorf("%s %.200s (token %q, params %.200s): %d %s", r.method, path, token, params.Encode(), resp.StatusCode, msg)
	}
	return fuzzAnswer{code: resp.StatusCode, location: resp.Header.Get("Location"), size: int64(len(msg)) + rest}
}

func (f *routeFuzzer) refusedAnonymous(a fuzzAnswer) bool {
	return a.code == http.StatusUnauthorized ||
		a.code == http.StatusSeeOther && strings.HasPrefix(a.location, "/login")
}

// cleaned tells net/http's redirect of a path with ".." to its clean form,
// on this host, from any other answer.
func cleaned(a fuzzAnswer) bool {
	return (a.code == http.StatusMovedPermanently || a.code == http.StatusTemporaryRedirect) &&
		strings.HasPrefix(a.location, "/") && !strings.HasPrefix(a.location, "//")
}

// alive checks that the process still answers after a route's requests.
func (f *routeFuzzer) alive(r fuzzRoute) {
	resp, err := http.Get(f.healthz)
	if err != nil {
		f.t.Fatalf("after %s %s the server no longer answers: %v", r.method, r.path, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("after %s %s /healthz answers %d", r.method, r.path, resp.StatusCode)
	}
}

// raiseFuzzIncident raises a 舆情事件 on a letter through the API, as an
// analyst does, and waits for its case workflow to record it: the incident
// routes then have a real one to fuzz.
func raiseFuzzIncident(t *testing.T, ta *testApp, documentID string) string {
	t.Helper()
	body := fmt.Sprintf(`{"document_id": %q, "level": "major", "note": "集中反映", "department": "housing", "deadline": %q}`,
		documentID, time.Now().In(minyi.ChinaTime).AddDate(0, 0, 3).Format(time.DateOnly))
	req, _ := http.NewRequest(http.MethodPost, ta.apiURL+"/api/incidents", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+demoToken("analyst"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var in minyi.Incident
	if err := json.NewDecoder(resp.Body).Decode(&in); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("raising an incident: %d %v", resp.StatusCode, err)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		if c, err := ta.store.Case(t.Context(), in.ID); err == nil && c.Status == minyi.CaseOpen && c.Department == "housing" {
			return in.ID
		}
		if time.Now().After(deadline) {
			t.Fatalf("the case of incident %s was never recorded", in.ID)
		}
	}
}
