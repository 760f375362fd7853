package rest

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"minyi/api/apitest"
	"minyi/api/core"
	"minyi/api/openapi"

	"github.com/getkin/kin-openapi/openapi3"

	"minyi"
)

// The contract's object schemas and the Go types they describe. An object
// schema missing here fails TestSchemasAreTheGoTypes, so a new answer
// cannot be documented without being held to its type.
var (
	// Answers: properties are the JSON fields, required are those without
	// omitempty or omitzero.
	answerTypes = map[string]any{
		"Error":           core.ErrorBody{},
		"SearchResult":    minyi.SearchResult{},
		"SearchHit":       minyi.SearchHit{},
		"SearchFacets":    minyi.SearchFacets{},
		"FacetCount":      minyi.FacetCount{},
		"Document":        minyi.Document{},
		"Comment":         minyi.Comment{},
		"OfficialReply":   minyi.OfficialReply{},
		"Analysis":        minyi.Analysis{},
		"Contact":         minyi.Contact{},
		"MessageResponse": MessageResponse{},
		"Status":          Status{},
		"SourceStatus":    minyi.SourceStatus{},
		"CrawlRun":        minyi.CrawlRun{},
		"SentimentSeries": core.SentimentSeries{},
		"SentimentBucket": core.SentimentBucket{},
		"TopicTrends":     core.TopicTrends{},
		"HotEvents":       core.HotEvents{}, "HotEvent": minyi.HotEvent{}, "EventCase": minyi.EventCase{}, "EventDetail": core.EventDetail{},
		"TopicTrend":           minyi.TopicTrend{},
		"CategoryCounts":       core.CategoryCounts{},
		"Case":                 minyi.Case{},
		"Routing":              minyi.Routing{},
		"CaseEvent":            minyi.CaseEvent{},
		"CaseList":             CaseList{},
		"CaseDetail":           CaseDetail{},
		"MergedLetter":         core.MergedLetter{},
		"Incident":             minyi.Incident{},
		"IncidentList":         IncidentList{},
		"IncidentDetail":       IncidentDetail{},
		"DepartmentRow":        core.DepartmentRow{},
		"StatsReport":          core.StatsReport{},
		"LeagueTable":          LeagueTable{},
		"DepartmentEscalation": minyi.DepartmentEscalation{},
		"EscalationList":       EscalationList{},
		"ReportList":           ReportList{},
		"Report":               minyi.Report{},
		"ReportDetail":         ReportDetail{},
	}
	// Request bodies: properties are the JSON fields the server decodes
	// (it refuses any other); which are required is the handler's rule.
	requestTypes = map[string]any{
		"MessageRequest":    MessageRequest{},
		"ContactOrNull":     minyi.Contact{},
		"ReplyRequest":      core.ReplyBody{},
		"ReturnRequest":     returnBody{},
		"ExtensionRequest":  extensionBody{},
		"ExtensionDecision": decisionBody{},
		"RatingRequest":     ratingBody{},
		"ReassignRequest":   reassignBody{},
		"MergeRequest":      mergeBody{},
		"IncidentRequest":   core.IncidentRequest{},
		"CloseRequest":      closeBody{},
	}
)

// Every /api route the server registers is an operation of the contract,
// and every operation of the contract is a route.
func TestEveryAPIRouteIsInTheContract(t *testing.T) {
	ts := apitest.NewServer(t)
	doc := apitest.MustContract(t)
	var routes []string
	for _, r := range ts.Server.Routes() {
		if strings.HasPrefix(r.Path, "/api/") {
			routes = append(routes, r.Method+" "+apitest.OpenAPIPath(r.Path))
		}
	}
	slices.Sort(routes)
	documented := apitest.RoutesOf(doc)
	for _, r := range routes {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in api/openapi/openapi.yaml", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(routes, d) {
			t.Errorf("api/openapi/openapi.yaml documents %s, which the server does not route", d)
		}
	}
	if len(routes) == 0 {
		t.Fatal("no /api routes")
	}
}

// Each object schema has exactly its Go type's JSON fields, refuses any
// other (so a field added to a type fails the answers that carry it), and
// for an answer requires exactly the fields that are always written.
func TestSchemasAreTheGoTypes(t *testing.T) {
	doc := apitest.MustContract(t)
	for name, ref := range doc.Components.Schemas {
		s := ref.Value
		if !s.Type.Is(openapi3.TypeObject) {
			continue
		}
		answer, isAnswer := answerTypes[name]
		request, isRequest := requestTypes[name]
		goType := answer
		if isRequest {
			goType = request
		}
		if !isAnswer && !isRequest {
			if name != "SentimentCounts" { // a map keyed by minyi.Sentiment, checked below
				t.Errorf("schema %s has no Go type in contract_test.go", name)
			}
			continue
		}
		if s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
			t.Errorf("schema %s must say additionalProperties: false", name)
		}
		fields, always := jsonFields(reflect.TypeOf(goType))
		if props := sortedKeys(s.Properties); !slices.Equal(props, fields) {
			t.Errorf("schema %s has properties %v; its Go type %T has JSON fields %v", name, props, goType, fields)
		}
		if isAnswer {
			required := slices.Sorted(slices.Values(s.Required))
			if !slices.Equal(required, always) {
				t.Errorf("schema %s requires %v; its Go type %T always writes %v", name, required, goType, always)
			}
		}
	}
	counts := doc.Components.Schemas["SentimentCounts"].Value
	var names []string
	for _, s := range core.Sentiments {
		names = append(names, string(s))
	}
	slices.Sort(names)
	if got := sortedKeys(counts.Properties); !slices.Equal(got, names) {
		t.Errorf("SentimentCounts has %v, the sentiments are %v", got, names)
	}
}

// jsonFields lists a struct's JSON field names as encoding/json writes
// them (embedded structs flattened), and those written even when empty.
func jsonFields(t reflect.Type) (all, always []string) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			a, w := jsonFields(f.Type)
			all, always = append(all, a...), append(always, w...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		all = append(all, name)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			always = append(always, name)
		}
	}
	slices.Sort(all)
	slices.Sort(always)
	return all, always
}

func sortedKeys[V any](m map[string]V) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Errors share one body, and every write endpoint documents the 503 (with
// Retry-After) that a client must retry after.
func TestErrorAnswersAreDocumentedAlike(t *testing.T) {
	doc := apitest.MustContract(t)
	errSchema := doc.Components.Schemas["Error"].Value
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for status, resp := range op.Responses.Map() {
				if status < "400" {
					continue
				}
				mt := resp.Value.Content.Get("application/json")
				if mt == nil || mt.Schema.Value != errSchema {
					t.Errorf("%s %s %s: an error answer must be the Error schema", method, path, status)
				}
			}
			if method != http.MethodPost {
				continue
			}
			unavailable := op.Responses.Value("503")
			if unavailable == nil || unavailable.Value.Headers["Retry-After"] == nil || !unavailable.Value.Headers["Retry-After"].Value.Required {
				t.Errorf("%s %s: a write endpoint must document 503 with a Retry-After header", method, path)
			}
		}
	}
}

// GET /api/openapi.json serves the contract, which loads back as a valid
// OpenAPI document with every path; like every /api endpoint it needs a
// token or a login.
func TestOpenAPIDocumentIsServed(t *testing.T) {
	ts := apitest.NewServer(t)
	rec := ts.Get("/api/openapi.json")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	served, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := served.Validate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, want := served.Paths.Len(), apitest.MustContract(t).Paths.Len(); got != want || got < 20 {
		t.Errorf("served %d paths, want %d", got, want)
	}
	var raw map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil || raw["openapi"] != "3.0.3" {
		t.Errorf("not an OpenAPI 3.0.3 JSON document: %v %v", raw["openapi"], err)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil)
	req.Header.Set("Authorization", "Bearer nobody")
	apitest.WantError(t, ts.Do(req), http.StatusUnauthorized, minyi.EUNAUTHORIZED)
}

// The contract says what the server accepts: an export format in any
// letter case, and nothing but xlsx or csv.
func TestExportFormatInAnyCase(t *testing.T) {
	ts := apitest.NewServer(t)
	rec := ts.Get("/api/departments/stats/export?format=CSV")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("format=CSV: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	apitest.WantError(t, ts.Get("/api/departments/stats/export?format=pdf"), http.StatusBadRequest, minyi.EINVALID)
}

// The check itself: each kind of drift between server and contract is
// caught, and a faithful exchange passes.
func TestContractCheckCatchesDrift(t *testing.T) {
	router := apitest.ContractRouter(t)
	answer := func(status int, header http.Header, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		for k, v := range header {
			rec.Header()[k] = v
		}
		if body != "" {
			rec.Header().Set("Content-Type", "application/json")
		}
		rec.WriteHeader(status)
		rec.WriteString(body)
		return rec
	}
	request := func(method, target, body string) *http.Request {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+apitest.Token)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		return req
	}
	status := `{"sources":[],"indexed":3,"pending":0}`
	unavailable := `{"error":{"code":"unavailable","message":"store is down"}}`
	for _, tt := range []struct {
		name  string
		req   *http.Request
		rec   *httptest.ResponseRecorder
		drift bool
	}{
		{"faithful", request("GET", "/api/status", ""), answer(200, nil, status), false},
		{"a field the contract lacks", request("GET", "/api/status", ""), answer(200, nil, `{"sources":[],"indexed":3,"pending":0,"load":1}`), true},
		{"a required field missing", request("GET", "/api/status", ""), answer(200, nil, `{"sources":[],"indexed":3}`), true},
		{"an undocumented status", request("GET", "/api/status", ""), answer(http.StatusTeapot, nil, status), true},
		{"an undocumented endpoint served", request("GET", "/api/secret", ""), answer(200, nil, status), true},
		{"an undocumented endpoint refused", request("GET", "/api/secret", ""), answer(404, nil, `{"error":{"code":"not_found","message":"Not Found"}}`), false},
		{"a refusal in another shape", request("GET", "/api/secret", ""), answer(404, nil, `{"message":"Not Found"}`), true},
		{"a request the contract refuses, accepted", request("GET", "/api/cases?page=two", ""), answer(200, nil, `{"total":0,"page":1,"page_size":20,"cases":[]}`), true},
		{"a request the contract refuses, refused", request("GET", "/api/cases?page=two", ""), answer(400, nil, `{"error":{"code":"invalid","message":"page must be a whole number"}}`), false},
		{"a 503 without Retry-After", request("POST", "/api/messages", `{"title":"路灯"}`), answer(503, nil, unavailable), true},
		{"a 503 with Retry-After", request("POST", "/api/messages", `{"title":"路灯"}`), answer(503, http.Header{"Retry-After": {"5"}}, unavailable), false},
	} {
		_, err := apitest.CheckExchange(router, tt.req, tt.rec)
		if (err != nil) != tt.drift {
			t.Errorf("%s: check said %v, want drift %v", tt.name, err, tt.drift)
		}
	}
}

// TestMain fails a full run of the package in which a documented operation
// never answered a test with success: each endpoint in the contract has at
// least one test whose request and answer it validated.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && fullRun() {
		doc, err := openapi.Contract()
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		exchanges, ops := apitest.Exercised()
		var missing []string
		for _, op := range apitest.RoutesOf(doc) {
			if ops[op] == 0 {
				missing = append(missing, op)
			}
		}
		fmt.Printf("contract: %d /api requests and answers checked; %d of %d operations answered with success\n",
			exchanges, len(ops), len(apitest.RoutesOf(doc)))
		if len(missing) > 0 {
			fmt.Printf("FAIL: no API test got a successful, contract-valid answer from:\n\t%s\n", strings.Join(missing, "\n\t"))
			code = 1
		}
	}
	os.Exit(code)
}

// fullRun is true when every test of the package ran (no -run, -skip,
// -list or -short).
func fullRun() bool {
	for _, name := range []string{"test.run", "test.skip", "test.list"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}
