package apitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"minyi/api/openapi"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// ContractHandler is how every API test reaches the server: it validates
// each /api request against the contract (api/openapi/openapi.yaml) and each answer
// against the operation and status it documents. A request the contract
// refuses must be refused by the server (4xx, standard error body); a path
// or method the contract does not have must be a 404 or 405. A violation
// fails the test that sent the request.
func ContractHandler(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	router := ContractRouter(t)
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
		op, err := CheckExchange(router, sent, rec)
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

// CheckExchange holds one request and its answer to the contract and
// names the operation they matched ("" for none).
func CheckExchange(router routers.Router, req *http.Request, rec *httptest.ResponseRecorder) (string, error) {
	route, params, err := router.FindRoute(req)
	if err != nil {
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
			return "", fmt.Errorf("not in api/openapi/openapi.yaml (%v), yet the server answered it", err)
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
	doc, _ := openapi.Contract()
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
	Err    error
}{}

func ContractRouter(t testing.TB) routers.Router {
	t.Helper()
	contractRouters.once.Do(func() {
		doc, err := openapi.Contract()
		if err != nil {
			contractRouters.Err = err
			return
		}
		contractRouters.router, contractRouters.Err = gorillamux.NewRouter(doc)
	})
	if contractRouters.Err != nil {
		t.Fatal(contractRouters.Err)
	}
	return contractRouters.router
}

func init() {
	// The spreadsheet exports are opaque bytes to the contract.
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
}

// Exercised is how many /api exchanges ContractHandler checked, and per
// documented operation the successful answers the contract accepted.
func Exercised() (exchanges int, ops map[string]int) {
	exercised.Lock()
	defer exercised.Unlock()
	return exercised.exchanges, maps.Clone(exercised.ops)
}

// RoutesOf lists the contract's operations as "GET /api/cases/{id}", sorted.
func RoutesOf(doc *openapi3.T) []string {
	var ops []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	slices.Sort(ops)
	return ops
}

// OpenAPIPath writes echo's /api/cases/:id as OpenAPI's /api/cases/{id}.
func OpenAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

func MustContract(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi.Contract()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
