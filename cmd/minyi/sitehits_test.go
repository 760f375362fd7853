package main

import (
	"net/http"
	"sync/atomic"
)

// siteHits counts what the demo site served: full pages and 304s, which is
// what a crawling strategy costs the site.
type siteHits struct {
	full, notModified atomic.Int64
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
		} else {
			h.full.Add(1)
		}
	})
}
