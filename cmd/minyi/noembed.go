//go:build noembed

package main

import (
	"context"
	"errors"
)

// Built with -tags noembed (make build-noembed), minyi leaves out the
// embedded Temporal server and with it most of the binary's size
// (README: "What the binary is made of"): such a build serves only with a
// Temporal cluster at temporal.address, the scale mode.

var errNoEmbedded = errors.New("this minyi was built without the embedded Temporal server (-tags noembed): set temporal.address to a Temporal cluster, or use a default build")

type embeddedServer struct{ HostPort string }

func (*embeddedServer) Stop() error { return nil }

func startEmbeddedTemporal(string, int, string) (*embeddedServer, error) {
	return nil, errNoEmbedded
}

func runTemporalServer(context.Context, []string) error { return errNoEmbedded }
