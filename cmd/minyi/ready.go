package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/api"
)

// readiness checks what this process needs to do its work: Temporal, the
// store, and the index when it holds one.
func (a *app) readiness() api.Readiness {
	checks := []api.ReadyCheck{
		{Name: "temporal", Check: func(ctx context.Context) error {
			_, err := a.client.CheckHealth(ctx, &client.CheckHealthRequest{})
			return err
		}},
		// A lookup by key is one round trip whatever the store's size; a
		// count would scan a province's table on every probe.
		{Name: "store", Check: func(ctx context.Context) error {
			if _, err := a.store.Document(ctx, "readyz-probe"); err != nil && minyi.ErrorCode(err) != minyi.ENOTFOUND {
				return err
			}
			return nil
		}},
	}
	if a.index != nil {
		checks = append(checks, api.ReadyCheck{Name: "index", Check: func(ctx context.Context) error {
			_, err := a.index.Count(ctx)
			return err
		}})
	}
	return api.Readiness{Checks: checks}
}

// withReadiness serves /readyz in front of the API's routes, outside its
// authentication, as /healthz is.
func (a *app) withReadiness(h http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(api.ReadyPath, api.WithSecurityHeaders(a.readiness()))
	mux.Handle("/", h)
	return mux
}

// startProbes is a worker's HTTP: liveness and readiness for Kubernetes,
// no pages and no API.
func (a *app) startProbes() error {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintln(w, `{"status":"ok"}`)
	})
	mux.Handle(api.ReadyPath, a.readiness())
	url, stop, err := serveHTTP(a.cfg.Listen, api.WithSecurityHeaders(mux))
	if err != nil {
		return fmt.Errorf("starting the probe listener: %w", err)
	}
	a.apiURL = url
	a.stop = append(a.stop, stop)
	a.logger.Info("minyi worker probes", "url", url)
	return nil
}

// startMetrics serves Prometheus's /metrics on an address of its own
// (metrics_listen, loopback by default): the route counts are for the
// operators, not for every logged-in user or the internet. A metrics
// address that cannot be bound is logged and costs only the metrics.
func (a *app) startMetrics() {
	if a.cfg.MetricsListen == "off" {
		return
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.Handler())
	url, stop, err := serveHTTP(a.cfg.MetricsListen, mux)
	if err != nil {
		a.logger.Error("metrics are not served", "metrics_listen", a.cfg.MetricsListen, "err", err)
		return
	}
	a.stop = append(a.stop, stop)
	a.metricsURL = url + "/metrics"
	a.logger.Info("minyi metrics", "url", a.metricsURL)
}
