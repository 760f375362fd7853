package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
)

// The API's contract is openapi.yaml, written by hand so that it reads as
// documentation (Chinese summaries, one named schema per answer) rather than
// as a dump of Go types. It cannot drift: the API tests validate every
// request they send and every answer they get against it, every /api route
// must be in it and every path in it must be a route, and each schema's
// fields must be its Go type's JSON fields (contract_test.go).
//
//go:embed openapi.yaml
var openapiYAML []byte

var contract struct {
	once sync.Once
	doc  *openapi3.T
	json []byte
	err  error
}

// Contract is the parsed and validated OpenAPI document of the /api
// endpoints, the one the server serves at /api/openapi.json.
func Contract() (*openapi3.T, error) {
	contract.once.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(openapiYAML)
		if err != nil {
			contract.err = fmt.Errorf("api/openapi.yaml: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			contract.err = fmt.Errorf("api/openapi.yaml is not a valid OpenAPI document: %w", err)
			return
		}
		contract.doc = doc
		contract.json, contract.err = json.Marshal(doc)
	})
	return contract.doc, contract.err
}

// openapiJSON serves GET /api/openapi.json.
func (s *Server) openapiJSON(c echo.Context) error {
	if _, err := Contract(); err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, contract.json)
}
