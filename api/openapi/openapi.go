// Package openapi is the contract of the JSON API: openapi.yaml, parsed
// once. The JSON API serves it and the staff's API reference page shows it.
package openapi

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
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
			contract.err = fmt.Errorf("api/openapi/openapi.yaml: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			contract.err = fmt.Errorf("api/openapi/openapi.yaml is not a valid OpenAPI document: %w", err)
			return
		}
		contract.doc = doc
		contract.json, contract.err = json.Marshal(doc)
	})
	return contract.doc, contract.err
}

// JSON is the contract as JSON, as GET /api/openapi.json serves it.
func JSON() ([]byte, error) {
	_, err := Contract()
	return contract.json, err
}
