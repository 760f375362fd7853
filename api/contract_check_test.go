package api

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// ContractHandler is how every API test reaches the server: it validates
// each /api request against the contract (api/openapi.yaml) and each answer
// against the operation and status it documents. A request the contract
// refuses must be refused by the server (4xx, standard error body); a path
// or method the contract does not have must be a 404 or 405. A violation
// fails the test that sent the request.
func ContractHandler(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	router := contractRouter(t)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			h.ServeHTTP(w, r)
			return
		}
		var body []byte
		if r.Body != nil {
			var err error
			if body, err = io.ReadAll(r.Body); err != nil {
				t.Errorf("contract: reading the request body: %v", err)
			}
		}
		sent := r.Clone(context.Background())
		sent.Body = io.NopCloser(bytes.NewReader(body))
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		op, err := checkExchange(router, sent, rec)
		if err != nil {
			t.Errorf("contract: %s %s → %d: %v\nresponse: %.500s", r.Method, r.URL.RequestURI(), rec.Code, err, rec.Body)
		}
		exercised.Lock()
		exercised.exchanges++
		if err == nil && op != "" && rec.Code < 300 {
			exercised.ops[op]++
		}
		exercised.Unlock()
	})
}

// exercised counts the /api exchanges checked and, per documented
// operation ("GET /api/cases/{id}"), the answers with a 2xx status that the
// tests got and the contract accepted.
var exercised = struct {
	sync.Mutex
	exchanges int
	ops       map[string]int
}{ops: map[string]int{}}

// checkExchange holds one request and its answer to the contract and
// names the operation they matched ("" for none).
func checkExchange(router routers.Router, req *http.Request, rec *httptest.ResponseRecorder) (string, error) {
	route, params, err := router.FindRoute(req)
	if err != nil {
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
			return "", fmt.Errorf("not in api/openapi.yaml (%v), yet the server answered it", err)
		}
		return "", checkErrorBody(rec)
	}
	op := route.Method + " " + route.Path
	opts := &openapi3filter.Options{
		AuthenticationFunc:                authenticated,
		SkipSettingDefaults:               true,
		RejectWhenRequestBodyNotSpecified: true,
		IncludeResponseStatus:             true,
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	if reqErr != nil && (rec.Code < 400 || rec.Code >= 500) {
		return op, fmt.Errorf("the request breaks the contract (%v), yet the server answered %d", reqErr, rec.Code)
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                opts,
	})
	if err != nil {
		return op, fmt.Errorf("the answer breaks the contract: %w", err)
	}
	return op, nil
}

// checkErrorBody holds an answer outside the contract's operations (an
// unknown path, a wrong method) to the standard error body.
func checkErrorBody(rec *httptest.ResponseRecorder) error {
	doc, _ := Contract()
	schema := doc.Components.Schemas["Error"].Value
	v, err := openapi3filter.JSONBodyDecoder(bytes.NewReader(rec.Body.Bytes()), rec.Header(), nil, nil)
	if err != nil {
		return fmt.Errorf("error answer is not JSON: %v", err)
	}
	return schema.VisitJSON(v)
}

// authenticated says whether a request carries the credentials a security
// scheme names; whether they are valid is the server's business (a 401).
func authenticated(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch s := in.SecurityScheme; {
	case s.Type == "http" && s.Scheme == "bearer":
		if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			return nil
		}
	case s.Type == "apiKey" && s.In == "cookie":
		if ck, err := r.Cookie(s.Name); err == nil && ck.Value != "" {
			return nil
		}
	}
	return errors.New("no credentials for " + in.SecuritySchemeName)
}

var contractRouters = struct {
	once   sync.Once
	router routers.Router
	err    error
}{}

func contractRouter(t testing.TB) routers.Router {
	t.Helper()
	contractRouters.once.Do(func() {
		doc, err := Contract()
		if err != nil {
			contractRouters.err = err
			return
		}
		contractRouters.router, contractRouters.err = gorillamux.NewRouter(doc)
	})
	if contractRouters.err != nil {
		t.Fatal(contractRouters.err)
	}
	return contractRouters.router
}

func init() {
	// The spreadsheet exports are opaque bytes to the contract.
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
}

// TestMain fails a full run of the package in which a documented operation
// never answered a test with success: each endpoint in the contract has at
// least one test whose request and answer it validated.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && fullRun() {
		doc, err := Contract()
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		var missing []string
		for _, op := range routesOf(doc) {
			if exercised.ops[op] == 0 {
				missing = append(missing, op)
			}
		}
		fmt.Printf("contract: %d /api requests and answers checked; %d of %d operations answered with success\n",
			exercised.exchanges, len(exercised.ops), len(routesOf(doc)))
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
