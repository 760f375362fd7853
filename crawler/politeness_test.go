package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"minyi"
)

// letters serves a one-page mailbox with n letters at /letter?id=i.
func letters(t *testing.T, n int) *testSite {
	s := newTestSite(t)
	var links []string
	for i := 1; i <= n; i++ {
		uri := fmt.Sprintf("/letter?id=%d", i)
		links = append(links, uri)
		s.html(uri, letterPage("", fmt.Sprint(i), fmt.Sprintf("来信%d", i), "2024-03-05 10:20", "内容"))
	}
	s.html("/list", letterList(links, ""))
	return s
}

func TestCrawlHonoursRobotsTxt(t *testing.T) {
	s := letters(t, 3)
	s.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /letter?id=2\n\nUser-agent: minyi-crawler\nDisallow: /letter?id=3\n")
	})
	sink := &memSink{}
	run, err := testCrawler(Options{}).Crawl(context.Background(), mailboxSource(s, "/list"), nil, sink)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.hitsOf("/letter?id=3"); n != 0 {
		t.Errorf("page disallowed for our user agent fetched %d times", n)
	}
	if s.hitsOf("/robots.txt") != 1 {
		t.Errorf("robots.txt fetched %d times, want once per crawl", s.hitsOf("/robots.txt"))
	}
	// The group for minyi-crawler replaces "*", so id=2 is allowed for us.
	if len(sink.docs) != 2 || run.Errors != 0 {
		t.Errorf("docs %d, run %+v", len(sink.docs), run)
	}

	s.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "User-agent: *\nDisallow: /\n") })
	sink = &memSink{}
	run, _ = testCrawler(Options{}).Crawl(context.Background(), mailboxSource(s, "/list"), nil, sink)
	if s.hitsOf("/list") != 1 || len(sink.docs) != 0 || run.PagesFetched != 0 {
		t.Errorf("Disallow: / still fetched pages: run %+v", run)
	}
}

func TestCrawlRateLimit(t *testing.T) {
	for _, parallelism := range []int{1, 3} {
		t.Run(fmt.Sprint("parallelism ", parallelism), func(t *testing.T) {
			const rate = 25.0 // requests per second: 40ms apart
			s := letters(t, 8)
			src := mailboxSource(s, "/list")
			src.RateLimit, src.Parallelism = rate, parallelism
			start := time.Now()
			if _, err := testCrawler(Options{}).Crawl(context.Background(), src, nil, &memSink{}); err != nil {
				t.Fatal(err)
			}
			reqs := s.requests()
			if len(reqs) != 9 {
				t.Fatalf("%d requests, want 9", len(reqs))
			}
			elapsed := reqs[len(reqs)-1].at.Sub(reqs[0].at)
			// n requests at most `rate` per second span at least (n-parallelism)/rate.
			if min := time.Duration(float64(len(reqs)-parallelism) / rate * float64(time.Second)); elapsed < min*9/10 {
				t.Errorf("%d requests in %v, want at least %v", len(reqs), elapsed, min)
			}
			if parallelism == 1 {
				for i := 1; i < len(reqs); i++ {
					if gap := reqs[i].at.Sub(reqs[i-1].at); gap < 36*time.Millisecond {
						t.Errorf("requests %d and %d only %v apart", i-1, i, gap)
					}
				}
			}
			t.Logf("parallelism %d: %d requests in %v", parallelism, len(reqs), time.Since(start))
		})
	}
}

func TestCrawlRetries(t *testing.T) {
	s := letters(t, 2)
	var statuses = map[string][]int{"/letter?id=1": {503, 502}, "/letter?id=2": {429}}
	for uri, codes := range statuses {
		page := letterPage("", uri, "重试"+uri, "2024-03-05 10:20", "内容")
		s.handle(uri, func(w http.ResponseWriter, r *http.Request) {
			if n := s.hitsOf(uri); n <= len(codes) {
				w.WriteHeader(codes[n-1])
				return
			}
			io.WriteString(w, page)
		})
	}
	s.handle("/list", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, letterList([]string{"/letter?id=1", "/letter?id=2", "/gone", "/forbidden"}, ""))
	})
	s.handle("/forbidden", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	sink := &memSink{}
	const backoff = 20 * time.Millisecond
	run, err := testCrawler(Options{RetryBackoff: backoff}).Crawl(context.Background(), mailboxSource(s, "/list"), nil, sink)
	if err != nil {
		t.Fatal(err)
	}
	if s.hitsOf("/letter?id=1") != 3 || s.hitsOf("/letter?id=2") != 2 {
		t.Errorf("hits: 5xx page %d (want 3), 429 page %d (want 2)", s.hitsOf("/letter?id=1"), s.hitsOf("/letter?id=2"))
	}
	if s.hitsOf("/gone") != 1 || s.hitsOf("/forbidden") != 1 {
		t.Errorf("4xx retried: 404 %d hits, 403 %d hits", s.hitsOf("/gone"), s.hitsOf("/forbidden"))
	}
	if len(sink.docs) != 2 || run.Errors != 2 || !strings.Contains(run.LastError, "HTTP 40") {
		t.Errorf("docs %d, run %+v", len(sink.docs), run)
	}
	var times []time.Time
	for _, h := range s.requests() {
		if h.uri == "/letter?id=1" {
			times = append(times, h.at)
		}
	}
	if len(times) == 3 && (times[1].Sub(times[0]) < backoff || times[2].Sub(times[1]) < 2*backoff) {
		t.Errorf("backoff not exponential: gaps %v, %v", times[1].Sub(times[0]), times[2].Sub(times[1]))
	}

	// A page that keeps failing is tried 1+MaxRetries times, then counted.
	s.handle("/letter?id=1", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	before := s.hitsOf("/letter?id=1")
	run, _ = testCrawler(Options{MaxRetries: 2}).Crawl(context.Background(), mailboxSource(s, "/list"), nil, &memSink{})
	if got := s.hitsOf("/letter?id=1") - before; got != 3 {
		t.Errorf("always-500 page requested %d times, want 3", got)
	}
	if run.Errors != 3 { // the 500 page, the 404 and the 403
		t.Errorf("run %+v", run)
	}
}

func TestCrawlRetriesTimeout(t *testing.T) {
	s := letters(t, 1)
	page := letterPage("", "1", "慢", "2024-03-05 10:20", "内容")
	s.handle("/letter?id=1", func(w http.ResponseWriter, r *http.Request) {
		if s.hitsOf("/letter?id=1") == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
			return
		}
		io.WriteString(w, page)
	})
	sink := &memSink{}
	run, err := testCrawler(Options{RequestTimeout: 100 * time.Millisecond}).Crawl(context.Background(), mailboxSource(s, "/list"), nil, sink)
	if err != nil {
		t.Fatal(err)
	}
	if s.hitsOf("/letter?id=1") != 2 || len(sink.docs) != 1 || run.Errors != 0 {
		t.Errorf("hits %d, docs %d, run %+v", s.hitsOf("/letter?id=1"), len(sink.docs), run)
	}
}

func TestCrawlCharsets(t *testing.T) {
	s := newTestSite(t)
	gbk := func(s string) []byte { b, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s)); return b }
	for _, tc := range []struct{ uri, contentType, head string }{
		{"/header-only", "text/html; charset=GBK", ""},
		{"/meta-only", "text/html", `<meta charset="gbk">`},
		{"/both", "text/html; charset=gb2312", `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`},
		{"/wrong-label", "text/html; charset=utf-8", ""},
		{"/no-label", "", ""},
	} {
		body := gbk(letterPage(tc.head, tc.uri, "噪音投诉"+tc.uri, "2024-03-05 10:20", "城东路夜间施工"))
		ct := tc.contentType
		s.handle(tc.uri, func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = []string{ct} // empty stops net/http sniffing a type
			w.Write(body)
		})
	}
	big5, _ := encoding.ReplaceUnsupported(traditionalchinese.Big5.NewEncoder()).Bytes([]byte(letterPage("", "b5", "臺北市長信箱", "2024-03-05 10:20", "路燈")))
	s.handle("/big5", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=big5")
		w.Write(big5)
	})
	bom := append([]byte{0xEF, 0xBB, 0xBF}, letterPage("", "bom", "带BOM的页面", "2024-03-05 10:20", "内容")...)
	s.handle("/bom", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=gbk") // wrong: the BOM wins
		w.Write(bom)
	})
	s.html("/list", letterList([]string{"/header-only", "/meta-only", "/both", "/wrong-label", "/no-label", "/big5", "/bom"}, ""))

	sink := &memSink{}
	if _, err := testCrawler(Options{}).Crawl(context.Background(), mailboxSource(s, "/list"), nil, sink); err != nil {
		t.Fatal(err)
	}
	got := sink.byTitle()
	for _, uri := range []string{"/header-only", "/meta-only", "/both", "/wrong-label", "/no-label"} {
		d, ok := got["噪音投诉"+uri]
		if !ok || d.Body != "城东路夜间施工" {
			t.Errorf("%s: decoded wrongly (titles: %v)", uri, keys(got))
		}
	}
	if d, ok := got["臺北市長信箱"]; !ok || d.Body != "路燈" {
		t.Errorf("big5 page decoded wrongly: %v", keys(got))
	}
	if _, ok := got["带BOM的页面"]; !ok {
		t.Errorf("BOM page decoded wrongly: %v", keys(got))
	}
}

func keys(m map[string]minyi.Document) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestCrawlBodyCap(t *testing.T) {
	s := letters(t, 1)
	huge := letterPage("", "big", "大页面", "2024-03-05 10:20", strings.Repeat("很长的内容", 2000))
	s.html("/huge", huge) // Content-Length known: refused after the headers
	s.handle("/huge-chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for i := 0; i < 20; i++ { // streamed without a length: cut at the cap
			io.WriteString(w, huge[:1000])
			w.(http.Flusher).Flush()
		}
	})
	s.html("/list", letterList([]string{"/huge", "/letter?id=1", "/huge-chunked"}, ""))
	src := mailboxSource(s, "/list")
	src.MaxBodyBytes = 4096
	sink := &memSink{}
	run, err := testCrawler(Options{}).Crawl(context.Background(), src, nil, sink)
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.docs) != 1 || sink.docs[0].Title != "来信1" {
		t.Errorf("docs %v", sink.byTitle())
	}
	if run.Errors != 2 || !strings.Contains(run.LastError, "larger than the 4096-byte cap") {
		t.Errorf("run %+v", run)
	}
	if s.hitsOf("/huge") != 1 || s.hitsOf("/huge-chunked") != 1 {
		t.Error("an oversized page was retried")
	}
}

func TestCrawlCalendarTrapEnds(t *testing.T) {
	s := newTestSite(t)
	s.serve = func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/calendar" {
			http.NotFound(w, r)
			return
		}
		var month int
		fmt.Sscan(r.URL.Query().Get("month"), &month)
		io.WriteString(w, letterList(nil, fmt.Sprintf("/calendar?month=%d", month+1)))
	}
	src := mailboxSource(s, "/calendar?month=1")
	src.MaxDepth = 5
	done := make(chan struct{})
	var run minyi.CrawlRun
	go func() {
		defer close(done)
		run, _ = testCrawler(Options{}).Crawl(context.Background(), src, nil, &memSink{})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("calendar trap did not end")
	}
	if n := len(s.requests()); n != 6 {
		t.Errorf("%d pages fetched with MaxDepth 5, want 6 (depth 0..5)", n)
	}

	src.MaxDepth, src.MaxPages = 100, 4
	before := len(s.requests())
	run, _ = testCrawler(Options{}).Crawl(context.Background(), src, nil, &memSink{})
	if n := len(s.requests()) - before; n != 4 || run.PagesFetched != 4 {
		t.Errorf("%d pages fetched with MaxPages 4 (run %+v)", n, run)
	}
}

func TestCrawlCancel(t *testing.T) {
	s := letters(t, 50)
	src := mailboxSource(s, "/list")
	src.RateLimit, src.Parallelism = 5, 1 // 200ms a page: the crawl would take 10s
	ctx, cancel := context.WithCancel(context.Background())
	sink := &memSink{onProgress: func(p minyi.CrawlRun) {
		if p.PagesFetched == 2 {
			cancel()
		}
	}}
	start := time.Now()
	_, err := testCrawler(Options{}).Crawl(ctx, src, nil, sink)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancelled crawl took %v", d)
	}
	if n := len(s.requests()); n > 3 {
		t.Errorf("%d pages requested after cancelling at the second", n)
	}
}

func TestCrawlSinkErrorAbortsAndSavesNoState(t *testing.T) {
	s := letters(t, 3)
	states := newMemStates()
	sinkErr := errors.New("store is down")
	run, err := testCrawler(Options{}).Crawl(context.Background(), mailboxSource(s, "/list"), states, &memSink{fail: sinkErr})
	if !errors.Is(err, sinkErr) {
		t.Fatalf("error %v, want the sink's", err)
	}
	if len(states.m) != 0 {
		t.Errorf("states saved for documents the sink refused: %v", states.m)
	}
	if run.Finished.IsZero() {
		t.Error("run not finished")
	}
	// Next time the documents come again.
	sink := &memSink{}
	if _, err := testCrawler(Options{}).Crawl(context.Background(), mailboxSource(s, "/list"), states, sink); err != nil || len(sink.docs) != 3 {
		t.Errorf("retry crawl: %v, %d docs", err, len(sink.docs))
	}
}

func TestCrawlBatchesAndMailboxFields(t *testing.T) {
	s := letters(t, 5)
	s.html("/letter?id=5", letterPage("", "", "没有编号", "时间：不详", "内容"))
	sink := &memSink{}
	src := mailboxSource(s, "/list")
	run, err := testCrawler(Options{BatchSize: 2}).Crawl(context.Background(), src, newMemStates(), sink)
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, src, sink.docs)
	for _, n := range sink.batches {
		if n > 2 {
			t.Errorf("batch of %d with BatchSize 2", n)
		}
	}
	if len(sink.docs) != 5 || run.Errors != 1 || !strings.Contains(run.LastError, "不详") {
		t.Errorf("docs %d, run %+v", len(sink.docs), run)
	}
	d := sink.byTitle()["来信1"]
	if d.ExternalID != "1" || d.MessageType != "咨询" || d.Status != "已受理" || d.Kind != minyi.KindMessage || d.Reply != nil {
		t.Errorf("letter fields: %+v", d)
	}
	if d := sink.byTitle()["没有编号"]; d.ExternalID != d.URL || !d.Published.Equal(d.Fetched) {
		t.Errorf("letter without number or time: %+v", d)
	}
}

func TestCrawlRejectsBadSource(t *testing.T) {
	c := testCrawler(Options{})
	for _, src := range []minyi.Source{
		{Name: "x", Kind: "rss", StartURLs: []string{"http://x.cn/"}},
		{Name: "x", Kind: minyi.SourceMailbox, StartURLs: []string{"http://x.cn/"}},
		{Name: "x", Kind: minyi.SourceDiscuz},
	} {
		if _, err := c.Crawl(context.Background(), src, nil, &memSink{}); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%+v: error %v, want EINVALID", src, err)
		}
	}
	run, err := c.Crawl(context.Background(), minyi.Source{Name: "x", Kind: minyi.SourceDiscuz, StartURLs: []string{"http://x.cn/home.php"}}, nil, &memSink{})
	if err == nil || run.Errors != 1 {
		t.Errorf("start URL the adapter cannot read: %v %+v", err, run)
	}
}
