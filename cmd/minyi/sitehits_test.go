package main

import (
	"net/http"
	"sync"
	"sync/atomic"
)

// siteHits counts what the demo site served: full pages and 304s, which is
// what a crawling strategy costs the site.
type siteHits struct {
	full, notModified atomic.Int64
	// unchanged counts the 304s per path: a poller that got one has a
	// baseline to tell the next change by.
	mu        sync.Mutex
	unchanged map[string]int
}

// unchangedAt is how many 304s the site answered for path.
func (h *siteHits) unchangedAt(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.unchanged[path]
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (h *siteHits) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status == http.StatusNotModified {
			h.notModified.Add(1)
			h.mu.Lock()
			if h.unchanged == nil {
				h.unchanged = map[string]int{}
			}
			h.unchanged[r.URL.Path]++
			h.mu.Unlock()
		} else {
			h.full.Add(1)
		}
	})
}
