package demosite

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"minyi"
)

// testNow is a fixed clock 30 days after testStart, so pages render the same
// on every run.
var (
	testNow   = time.Date(2024, 3, 31, 20, 0, 0, 0, minyi.ChinaTime)
	testStart = testNow.Add(-span)
)

func newTestSite(t *testing.T, opts Options) (*Site, *httptest.Server) {
	t.Helper()
	if opts.Start.IsZero() {
		opts.Start = testStart
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}
	s := New(opts)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, srv
}

type page struct {
	status int
	header http.Header
	raw    []byte
	text   string // decoded from GBK for forum pages
}

func fetch(t *testing.T, srv *httptest.Server, path string, hdr ...string) page {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	p := page{status: resp.StatusCode, header: resp.Header, raw: raw, text: string(raw)}
	if resp.Header.Get("Content-Type") == "text/html" {
		dec, err := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
		if err != nil {
			t.Fatalf("%s: not GBK: %v", path, err)
		}
		p.text = string(dec)
	}
	return p
}

func mustOK(t *testing.T, p page, path string) {
	t.Helper()
	if p.status != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, p.status)
	}
}

func all(re *regexp.Regexp, s string) [][]string { return re.FindAllStringSubmatch(s, -1) }
