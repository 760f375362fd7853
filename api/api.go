// Package api is minyi's HTTP home. The server itself (its dependencies,
// middleware, sessions, CSRF, the login throttle, authorization and the
// one error writer) is package core; each audience has its own package
// mounted here:
//
//   - rest: the JSON API under /api, for intake clients and scripts;
//   - web: the staff's pages, templates and static files.
//
// Below both are core's services, openapi (the API contract), httpx (query
// parameters, security headers) and labels (the interface's words);
// workflowclient carries case actions and ingests to Temporal. The
// public portal for citizens is its own package, api/portal, on its own
// listen address (cmd/minyi wires it): anonymous, it stands on httpx,
// labels and the root package and never reaches core, rest or web
// (arch_test.go).
package api

import (
	"net/http"

	"minyi/api/core"
	"minyi/api/httpx"
	"minyi/api/rest"
	"minyi/api/web"
)

func init() {
	core.Mount(web.ErrorPage, rest.Routes, web.Routes)
}

// Server serves every audience: build it with its dependencies and call
// Handler once.
type Server = core.Server

// WithSecurityHeaders gives a handler outside the echo server (readiness,
// a worker's probes) the headers every answer of ours carries.
func WithSecurityHeaders(h http.Handler) http.Handler { return httpx.WithSecurityHeaders(h) }
