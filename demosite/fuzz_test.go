package demosite

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// FuzzHandler feeds the site arbitrary request targets: whatever a crawler
// or a visitor asks, the answer is a page or a 4xx, never a 5xx or a panic.
func FuzzHandler(f *testing.F) {
	for _, seed := range []string{
		"/forum.php?mod=viewthread&tid=1",
		"/forum.php?mod=forumdisplay&fid=2&page=-3",
		"/thread-3001-2-1.html",
		"/mailbox/list?page=9999999999999999999999",
		"/mailbox/letter/%00",
	} {
		f.Add(seed)
	}
	s := New(Options{Seed: 1, Threads: 15, Letters: 10, Start: testStart, Now: func() time.Time { return testNow }})
	h := s.Handler()
	f.Fuzz(func(t *testing.T, target string) {
		u, err := url.Parse(target)
		if err != nil || u.Path == "" || u.Path[0] != '/' {
			return
		}
		req := httptest.NewRequest(http.MethodGet, "http://demo.local/", nil)
		req.URL.Path, req.URL.RawPath, req.URL.RawQuery = u.Path, u.RawPath, u.RawQuery
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Errorf("%q: status %d", target, rec.Code)
		}
	})
}
