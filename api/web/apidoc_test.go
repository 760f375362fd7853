package web

import (
	"net/http"
	"strings"
	"testing"

	"minyi/api/apitest"
)

// The contract page shows every operation, its parameters and answers,
// and every schema, from the same document as /api/openapi.json; every
// page's footer links it.
func TestAPIDocPage(t *testing.T) {
	ts := newTestServer(t)
	doc := apitest.MustContract(t)
	want := []string{"<h1>接口文档</h1>", `href="/api/openapi.json"`, "Retry-After", `id="apidoc-link"`,
		`<a href="#schema-Error">`, "查询串", "路径", "状态码", "默认 <code>day</code>"}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			want = append(want, `id="`+op.OperationID+`"`, "<code>"+method+" "+path+"</code>", op.Summary)
		}
	}
	for name, s := range doc.Components.Schemas {
		if s.Value.Type.Is("object") {
			want = append(want, `id="schema-`+name+`"`)
		}
	}
	body := wantPage(t, ts.page(http.MethodGet, apiDocPath, apitest.Token, nil), http.StatusOK, want...)
	if n := strings.Count(body, `class="card endpoint"`); n != len(apitest.RoutesOf(doc)) {
		t.Errorf("page shows %d endpoints, the contract has %d", n, len(apitest.RoutesOf(doc)))
	}

	req := ts.page(http.MethodGet, apiDocPath, "not-a-token", nil)
	if req.Code != http.StatusSeeOther || !strings.HasPrefix(req.Header().Get("Location"), "/login") {
		t.Errorf("without a login: %d %s, want a redirect to the login page", req.Code, req.Header().Get("Location"))
	}
}
