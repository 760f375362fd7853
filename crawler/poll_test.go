package crawler

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi"
)

// listPage serves a letter list whose links the test changes, with an ETag
// over its bytes (answering If-None-Match with 304) when validators is set,
// as the demo site and most servers do.
type listPage struct {
	mu         sync.Mutex
	links      []string
	validators bool
}

func (l *listPage) set(links ...string) {
	l.mu.Lock()
	l.links = links
	l.mu.Unlock()
}

func (l *listPage) serve(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	body := []byte(letterList(l.links, ""))
	l.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if !l.validators {
		w.Write(body)
		return
	}
	sum := sha256.Sum256(body)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

func pollSite(t *testing.T, validators bool) (*testSite, *listPage, minyi.Source) {
	s := newTestSite(t)
	l := &listPage{validators: validators}
	l.set("/letter?id=1", "/letter?id=2")
	s.handle("/list", l.serve)
	return s, l, mailboxSource(s, "/list")
}

func TestPollWithETagAsksConditionallyAndSeesChange(t *testing.T) {
	s, l, src := pollSite(t, true)
	c := testCrawler(Options{})
	ctx := context.Background()

	first, err := c.PollLists(ctx, src, minyi.ListState{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Changed || len(first.Pages) != 1 || first.Pages[0].ETag == "" {
		t.Fatalf("first poll %+v: want a baseline with the page's ETag, not a change", first)
	}
	second, err := c.PollLists(ctx, src, first)
	if err != nil {
		t.Fatal(err)
	}
	if second.Changed || second.NotModified != 1 {
		t.Fatalf("second poll of an unchanged page %+v: want 304, no change", second)
	}
	if got := s.requests(); got[len(got)-1].header.Get("If-None-Match") != first.Pages[0].ETag {
		t.Errorf("poll sent If-None-Match %q, want the stored ETag %q", got[len(got)-1].header.Get("If-None-Match"), first.Pages[0].ETag)
	}

	l.set("/letter?id=3", "/letter?id=1", "/letter?id=2")
	third, err := c.PollLists(ctx, src, second)
	if err != nil {
		t.Fatal(err)
	}
	if !third.Changed || third.NotModified != 0 || third.Pages[0].ETag == first.Pages[0].ETag {
		t.Fatalf("poll after a new letter %+v: want a change and the new ETag", third)
	}
	// Polling never follows a link: the letters are the crawl's to fetch.
	if n := s.hitsOf("/letter?id=3"); n != 0 {
		t.Errorf("a poll fetched a letter page %d times", n)
	}
	if n := s.hitsOf("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times over three polls, want once (cached)", n)
	}
}

func TestPollWithoutValidatorsComparesLinks(t *testing.T) {
	_, l, src := pollSite(t, false)
	c := testCrawler(Options{})
	ctx := context.Background()
	st, err := c.PollLists(ctx, src, minyi.ListState{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Pages[0].ETag != "" || st.Pages[0].LinksHash == "" {
		t.Fatalf("page without validators: %+v, want a links hash", st.Pages[0])
	}
	if st, err = c.PollLists(ctx, src, st); err != nil || st.Changed {
		t.Fatalf("same links: %+v, %v; want no change", st, err)
	}
	l.set("/letter?id=2", "/letter?id=1") // a reply bumped letter 2 to the top
	if st, err = c.PollLists(ctx, src, st); err != nil || !st.Changed {
		t.Fatalf("reordered links: %+v, %v; want a change", st, err)
	}
	if st, err = c.PollLists(ctx, src, st); err != nil || st.Changed {
		t.Fatalf("after the change was seen: %+v, %v; want no change", st, err)
	}
}

func TestPollHonoursRobotsTxt(t *testing.T) {
	s, _, src := pollSite(t, true)
	s.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /list\n")
	})
	_, err := testCrawler(Options{}).PollLists(context.Background(), src, minyi.ListState{})
	if err == nil || !strings.Contains(err.Error(), "robots.txt") {
		t.Fatalf("poll of a disallowed list: %v, want a robots.txt error", err)
	}
	if n := s.hitsOf("/list"); n != 0 {
		t.Errorf("disallowed list fetched %d times", n)
	}
}

// One failing list page keeps its last state and does not hide a change
// on another; only a poll in which every page failed is an error.
func TestPollKeepsStateOfAFailingPage(t *testing.T) {
	s, l, src := pollSite(t, true)
	var down sync.Mutex
	broken := false
	s.handle("/other", func(w http.ResponseWriter, r *http.Request) {
		down.Lock()
		defer down.Unlock()
		if broken {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, letterList([]string{"/letter?id=9"}, ""))
	})
	src.StartURLs = append(src.StartURLs, s.url("/other"))
	c := testCrawler(Options{})
	ctx := context.Background()
	st, err := c.PollLists(ctx, src, minyi.ListState{})
	if err != nil || len(st.Pages) != 2 {
		t.Fatalf("baseline %+v, %v", st, err)
	}
	otherBefore := st.Pages[1]
	down.Lock()
	broken = true
	down.Unlock()
	l.set("/letter?id=5")
	st, err = c.PollLists(ctx, src, st)
	if err != nil || !st.Changed || len(st.Pages) != 2 || st.Pages[1] != otherBefore {
		t.Fatalf("one page down, the other changed: %+v, %v; want the change seen and the failed page's old state kept", st, err)
	}
	src.StartURLs = src.StartURLs[1:]
	if _, err := c.PollLists(ctx, src, st); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("every page failed: %v, want the error", err)
	}
}

func TestPollIntervalIsBounded(t *testing.T) {
	src := minyi.Source{PollInterval: time.Second, StartURLs: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}, RateLimit: 1}
	if got := src.WithDefaults().PollInterval; got != 12*time.Second {
		t.Errorf("12 start URLs at 1 request/s polled every %v, want 12s", got)
	}
	src.StartURLs, src.RateLimit = src.StartURLs[:1], 100
	if got := src.WithDefaults().PollInterval; got != minyi.MinPollInterval {
		t.Errorf("poll every 1s became %v, want the floor %v", got, minyi.MinPollInterval)
	}
	if got := (minyi.Source{}).WithDefaults().PollInterval; got != 0 {
		t.Errorf("unset poll interval became %v, want off", got)
	}
}

// A crawl of changed lists only skips a list page the site answers 304,
// and follows one that changed; list validators are kept only from a crawl
// that went through everything, so a failed letter is not skipped later.
func TestCrawlOfChangedListsOnly(t *testing.T) {
	s := newTestSite(t)
	l := &listPage{validators: true}
	var mu sync.Mutex
	failing := map[string]bool{}
	letter := func(id string) {
		s.handle("/letter?id="+id, func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			fail := failing[id]
			mu.Unlock()
			if fail {
				http.Error(w, "not found", http.StatusNotFound)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, letterPage("", id, "来信"+id, "2024-03-05 10:20", "内容"+id))
		})
	}
	letter("1")
	letter("2")
	l.set("/letter?id=1", "/letter?id=2")
	s.handle("/list", l.serve)
	src := mailboxSource(s, "/list")
	states := newMemStates()
	c := testCrawler(Options{})
	crawl := func(changedOnly bool) (minyi.CrawlRun, *memSink) {
		t.Helper()
		src.ChangedListsOnly = changedOnly
		sink := &memSink{}
		run, err := c.Crawl(context.Background(), src, states, sink)
		if err != nil {
			t.Fatal(err)
		}
		return run, sink
	}

	if run, sink := crawl(false); len(sink.docs) != 2 || run.PagesFetched != 3 {
		t.Fatalf("first crawl: %+v, %d docs", run, len(sink.docs))
	}
	if states.m[s.url("/list")].ETag == "" {
		t.Fatalf("the list's validators were not kept after a complete crawl")
	}
	before := s.hitsOf("/letter?id=1")
	if run, sink := crawl(true); run.PagesFetched != 0 || run.PagesNotModified != 1 || len(sink.docs) != 0 || s.hitsOf("/letter?id=1") != before {
		t.Fatalf("unchanged list: %+v, %d docs, letter fetched %d more times; want one 304 and nothing followed",
			run, len(sink.docs), s.hitsOf("/letter?id=1")-before)
	}
	// The scheduled crawl still asks for the list in full and checks every letter.
	if run, _ := crawl(false); run.PagesFetched < 1 || s.hitsOf("/letter?id=1") != before+1 {
		t.Fatalf("full crawl: %+v", run)
	}

	letter("3")
	mu.Lock()
	failing["3"] = true // a new letter that fails this time
	mu.Unlock()
	l.set("/letter?id=3", "/letter?id=1", "/letter?id=2")
	if run, _ := crawl(true); run.Errors != 1 {
		t.Fatalf("changed list with a failing letter: %+v", run)
	}
	mu.Lock()
	failing["3"] = false
	mu.Unlock()
	// The list is unchanged since, but the failed crawl kept no validators
	// for it: the next crawl of changed lists still reaches letter 3.
	run, sink := crawl(true)
	if len(sink.docs) != 1 || sink.docs[0].ExternalID != "3" || run.PagesFetched != 4 {
		t.Fatalf("after the failure: %+v, docs %v; want the list in full and letter 3 new", run, sink.docs)
	}
	if run, _ := crawl(true); run.PagesFetched != 0 || run.PagesNotModified != 1 {
		t.Fatalf("after a complete crawl of the changed list: %+v, want the list 304", run)
	}
}
