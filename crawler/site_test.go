package crawler

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi"
)

// testSite is a local web site that records every request it gets.
type testSite struct {
	t     testing.TB
	srv   *httptest.Server
	mu    sync.Mutex
	pages map[string]http.HandlerFunc // by RequestURI
	serve http.HandlerFunc            // for URIs not in pages
	hits  map[string]int
	log   []hit
}

type hit struct {
	uri    string
	at     time.Time
	header http.Header
}

func newTestSite(t testing.TB) *testSite {
	s := &testSite{t: t, pages: map[string]http.HandlerFunc{}, hits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.RequestURI]++
		s.log = append(s.log, hit{r.RequestURI, time.Now(), r.Header.Clone()})
		h := s.pages[r.RequestURI]
		if h == nil {
			h = s.serve
		}
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *testSite) url(uri string) string { return s.srv.URL + uri }

func (s *testSite) handle(uri string, h http.HandlerFunc) {
	s.mu.Lock()
	s.pages[uri] = h
	s.mu.Unlock()
}

// html serves body as a UTF-8 page.
func (s *testSite) html(uri, body string) {
	s.handle(uri, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, body)
	})
}

func (s *testSite) hitsOf(uri string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[uri]
}

// requests returns the log without robots.txt.
func (s *testSite) requests() []hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []hit
	for _, h := range s.log {
		if h.uri != "/robots.txt" {
			out = append(out, h)
		}
	}
	return out
}

// letterList renders a demo mailbox list page.
func letterList(links []string, next string) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>市长信箱</title></head><body><ul class="letter-list">`)
	for _, l := range links {
		fmt.Fprintf(&b, `<li><a class="letter-link" href="%s">信件</a></li>`, html.EscapeString(l))
	}
	b.WriteString(`</ul>`)
	if next != "" {
		fmt.Fprintf(&b, `<div class="pager"><a class="next" href="%s">下一页</a></div>`, html.EscapeString(next))
	}
	b.WriteString(`</body></html>`)
	return b.String()
}

// letterPage renders a demo mailbox letter; head goes into <head>.
func letterPage(head, no, title, when, body string) string {
	return `<html><head>` + head + `<title>` + title + `</title></head><body>` +
		`<h2 class="letter-title">` + title + `</h2><span class="letter-no">编号：` + no + `</span>` +
		`<span class="letter-type">咨询</span><span class="letter-time">` + when + `</span>` +
		`<span class="letter-status">已受理</span><div class="letter-body">` + body + `</div></body></html>`
}

func mailboxSource(s *testSite, start string) minyi.Source {
	sel := demoSelectors
	return minyi.Source{
		Name: "test-mailbox", Kind: minyi.SourceMailbox, StartURLs: []string{s.url(start)},
		RateLimit: 1000, Parallelism: 2, Selectors: &sel,
	}
}

// memStates is an in-memory PageStates.
type memStates struct {
	mu   sync.Mutex
	m    map[string]minyi.PageState
	puts int
}

func newMemStates() *memStates { return &memStates{m: map[string]minyi.PageState{}} }

func (s *memStates) PageStates(_ context.Context, urls []string) (map[string]minyi.PageState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]minyi.PageState{}
	for _, u := range urls {
		if st, ok := s.m[u]; ok {
			out[u] = st
		}
	}
	return out, nil
}

func (s *memStates) PutPageStates(_ context.Context, states []minyi.PageState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.puts++
	for _, st := range states {
		s.m[st.URL] = st
	}
	return nil
}

// memSink records what a crawl delivers.
type memSink struct {
	mu         sync.Mutex
	docs       []minyi.Document
	batches    []int
	progress   []minyi.CrawlRun
	fail       error
	onProgress func(minyi.CrawlRun)
}

func (s *memSink) Documents(_ context.Context, docs []minyi.Document) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.batches = append(s.batches, len(docs))
	s.docs = append(s.docs, docs...)
	return nil
}

func (s *memSink) Progress(_ context.Context, p minyi.CrawlRun) {
	s.mu.Lock()
	s.progress = append(s.progress, p)
	f := s.onProgress
	s.mu.Unlock()
	if f != nil {
		f(p)
	}
}

func (s *memSink) byTitle() map[string]minyi.Document {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]minyi.Document{}
	for _, d := range s.docs {
		out[d.Title] = d
	}
	return out
}

// checkDocs asserts the Sink contract on every delivered document.
func checkDocs(t *testing.T, src minyi.Source, docs []minyi.Document) {
	t.Helper()
	ids := map[string]bool{}
	for _, d := range docs {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d.URL, err)
		}
		if d.ID != minyi.DocumentID(src.Name, d.ExternalID) || d.Source != src.Name || d.ContentHash != d.Hash() ||
			d.URL == "" || d.ExternalID == "" || d.Fetched.IsZero() {
			t.Errorf("document fields not all set: %+v", d)
		}
		if canon, _ := Canonicalize(d.URL); canon != d.URL {
			t.Errorf("URL %s is not canonical (%s)", d.URL, canon)
		}
		if ids[d.ID] {
			t.Errorf("document %s (%s) delivered twice", d.ID, d.URL)
		}
		ids[d.ID] = true
	}
}

func testCrawler(opts Options) *Crawler {
	if opts.RetryBackoff == 0 {
		opts.RetryBackoff = time.Millisecond
	}
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = discardLogger
	}
	return New(opts)
}

var discardLogger = slog.New(slog.DiscardHandler)
