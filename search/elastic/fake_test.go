package elastic

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeES answers the requests of one test as an Elasticsearch 8.x node
// does. Every body it sends has the shape of the ES 8 reference's examples
// for that API (and of what the typed client's response types decode); the
// test scripts which answer comes when, never a shape a node would not send.
type fakeES struct {
	t  *testing.T
	mu sync.Mutex
	// routes answer "METHOD /path"; a route may answer several times
	// differently (see answers).
	routes   map[string][]answer
	requests []request
}

// answer is one scripted response. A route's last answer repeats.
type answer struct {
	status int
	body   string
}

type request struct {
	method, path, query string
	header              http.Header
	body                string // gunzipped when the client compressed it
	wire                int    // bytes as sent
}

func newFake(t *testing.T) *fakeES {
	return &fakeES{t: t, routes: map[string][]answer{}}
}

// on scripts the answers to method+path, in order.
func (f *fakeES) on(route string, answers ...answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[route] = answers
}

func (f *fakeES) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sent, _ := io.ReadAll(r.Body)
	var body io.Reader = bytes.NewReader(sent)
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(body)
		if err != nil {
			f.t.Errorf("%s %s: bad gzip body: %v", r.Method, r.URL.Path, err)
			return
		}
		body = zr
	}
	raw, _ := io.ReadAll(body)
	route := r.Method + " " + r.URL.Path
	f.mu.Lock()
	f.requests = append(f.requests, request{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(raw), len(sent)})
	answers, ok := f.routes[route]
	var a answer
	if ok {
		a = answers[0]
		if len(answers) > 1 {
			f.routes[route] = answers[1:]
		}
	}
	f.mu.Unlock()
	// Elasticsearch 8 sends this on every response; the client checks it.
	w.Header().Set("X-Elastic-Product", "Elasticsearch")
	if !ok {
		f.t.Errorf("unexpected request %s", route)
		a = answer{400, errorBody("illegal_argument_exception", "request ["+r.URL.Path+"] contains unrecognized parameters", 400)}
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(a.status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

// sent returns the requests made to route, in order.
func (f *fakeES) sent(route string) []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []request
	for _, r := range f.requests {
		if r.method+" "+r.path == route {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeES) start() *httptest.Server {
	srv := httptest.NewServer(f)
	f.t.Cleanup(srv.Close)
	return srv
}

// errorBody is Elasticsearch's error envelope.
func errorBody(typ, reason string, status int) string {
	cause := fmt.Sprintf(`{"type":%q,"reason":%q}`, typ, reason)
	return fmt.Sprintf(`{"error":{"root_cause":[%s],"type":%q,"reason":%q},"status":%d}`, cause, typ, reason, status)
}

// Canned answers of the index-management APIs, named after what they say.
var (
	ok200       = answer{200, ""}
	notFound404 = answer{404, ""}
	acked       = answer{200, `{"acknowledged":true}`}
	refreshed   = answer{200, `{"_shards":{"total":2,"successful":1,"failed":0}}`}
)

func created(index string) answer {
	return answer{200, fmt.Sprintf(`{"acknowledged":true,"shards_acknowledged":true,"index":%q}`, index)}
}

func aliasOf(alias string, indices ...string) answer {
	parts := make([]string, len(indices))
	for i, index := range indices {
		parts[i] = fmt.Sprintf(`%q:{"aliases":{%q:{}}}`, index, alias)
	}
	return answer{200, "{" + strings.Join(parts, ",") + "}"}
}

// mappingOf answers GET /<index>/_mapping for an index made from this
// package's definition with version in _meta ("" for none).
func mappingOf(t *testing.T, index, version string) answer {
	var def struct {
		Mappings map[string]any `json:"mappings"`
	}
	if err := json.Unmarshal(indexDefinition, &def); err != nil {
		t.Fatal(err)
	}
	if version != "" {
		def.Mappings["_meta"] = map[string]any{metaKey: version}
	}
	b, _ := json.Marshal(map[string]any{index: map[string]any{"mappings": def.Mappings}})
	return answer{200, string(b)}
}

// openedFake scripts an existing, current index behind alias "minyi" and
// returns the fake and a Config pointing at it.
func openedFake(t *testing.T) (*fakeES, Config) {
	f := newFake(t)
	index := firstVersionName("minyi")
	f.on("HEAD /_alias/minyi", ok200)
	f.on("GET /_alias/minyi", aliasOf("minyi", index))
	f.on("GET /"+index+"/_mapping", mappingOf(t, index, mappingVersion))
	srv := f.start()
	return f, Config{URLs: []string{srv.URL}, Index: "minyi", RetryBackoff: 1}
}

// bulkItem is one item of a bulk response: a success or an error.
func bulkOK(index, id string) string {
	return fmt.Sprintf(`{"index":{"_index":%q,"_id":%q,"_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}}`, index, id)
}

func bulkError(index, id string, status int, typ, reason string) string {
	return fmt.Sprintf(`{"index":{"_index":%q,"_id":%q,"status":%d,"error":{"type":%q,"reason":%q}}}`, index, id, status, typ, reason)
}

func bulkResponse(items ...string) answer {
	errs := false
	for _, it := range items {
		errs = errs || strings.Contains(it, `"error"`)
	}
	return answer{200, fmt.Sprintf(`{"took":30,"errors":%t,"items":[%s]}`, errs, strings.Join(items, ","))}
}

// rejected429 is the reason a node gives when its write queue is full.
const rejected429 = "rejected execution of coordinating operation [coordinating_and_primary_bytes=52428800, replica_bytes=0, all_bytes=52428800, coordinating_operation_bytes=1024, max_coordinating_and_primary_bytes=53687091]"
