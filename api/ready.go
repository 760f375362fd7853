package api

import (
	"context"
	"encoding/json"
	"minyi/internal/safely"
	"net/http"
	"sync"
	"time"
)

// Readiness answers /readyz: 200 when every dependency answers, 503 naming
// those that do not, so that a load balancer or Kubernetes stops sending
// work to a process that cannot do it. /healthz stays liveness: restarting a
// process does not bring its database back.
type Readiness struct {
	Checks []ReadyCheck
	// Timeout bounds each check; default 2 s.
	Timeout time.Duration
}

// ReadyCheck is one dependency: Temporal, the store, the index.
type ReadyCheck struct {
	Name  string
	Check func(context.Context) error
}

// ReadyPath is where Readiness is served, without authentication, as /healthz is.
const ReadyPath = "/readyz"

func (r Readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	timeout := r.Timeout
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	ctx, cancel := context.WithTimeout(req.Context(), timeout)
	defer cancel()
	results := make(map[string]string, len(r.Checks))
	var mu sync.Mutex
	var g safely.Group
	ready := true
	for _, c := range r.Checks {
		g.Go(func() error {
			res := "ok"
			if err := safely.Call(func() error { return c.Check(ctx) }); err != nil {
				res = err.Error()
			}
			mu.Lock()
			defer mu.Unlock()
			results[c.Name] = res
			ready = ready && res == "ok"
			return nil
		})
	}
	g.Wait() //nolint:errcheck // a check's panic is its result above
	status, code := "ready", http.StatusOK
	if !ready {
		status, code = "not ready", http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"status": status, "checks": results})
}
