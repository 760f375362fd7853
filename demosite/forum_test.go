package demosite

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"minyi"
)

var (
	reBoardLink  = regexp.MustCompile(`<a href="(forum\.php\?mod=forumdisplay&fid=(\d+))">([^<]+)</a>`)
	reBoardH1    = regexp.MustCompile(`<h1 class="xs2"><a href="forum\.php\?mod=forumdisplay&fid=(\d+)">([^<]+)</a>`)
	reNormal     = regexp.MustCompile(`<tbody id="normalthread_(\d+)">`)
	reNext       = regexp.MustCompile(`<div class="pg">.*?<a href="([^"]+)" class="nxt">下一页</a></div>`)
	reTitleLink  = regexp.MustCompile(`<a href="forum\.php\?mod=viewthread&tid=(\d+)&extra=page%3D1" onclick="atarget\(this\)" class="s xst">([^<]*)</a>`)
	reListAuthor = regexp.MustCompile(`<cite><a href="home\.php\?mod=space&uid=(\d+)" c="1">([^<]+)</a></cite>`)
	reSubject    = regexp.MustCompile(`<span id="thread_subject">([^<]*)</span>`)
	rePost       = regexp.MustCompile(`<div id="post_(\d+)">`)
	reAuthi      = regexp.MustCompile(`<div class="authi"><a href="home\.php\?mod=space&uid=\d+" target="_blank" class="xw1">([^<]+)</a></div>`)
	rePostedOn   = regexp.MustCompile(`<em id="authorposton(\d+)">发表于 (?:<span title="([^"]+)">[^<]+</span>|([^<]+))</em>`)
	reMessage    = regexp.MustCompile(`(?s)<td class="t_f" id="postmessage_(\d+)">(.*?)</td>`)
	reQuote      = regexp.MustCompile(`(?s)^<div class="quote"><blockquote>.*?</blockquote></div><br />`)
)

// crawlBoards walks the index, every board and every list page the way a
// crawler does and returns how often each tid was listed.
func crawlBoards(t *testing.T, get func(string) page) map[int]int {
	t.Helper()
	seen := map[int]int{}
	index := get("/forum.php")
	boards := all(reBoardLink, index.text)
	if len(boards) < 3 {
		t.Fatalf("index lists %d boards", len(boards))
	}
	for _, b := range boards {
		next, pages := "/"+b[1], 0
		for next != "" {
			p := get(next)
			if h1 := reBoardH1.FindStringSubmatch(p.text); h1 == nil || h1[1] != b[2] || h1[2] != b[3] {
				t.Fatalf("%s: board heading %q, want fid %s %s", next, h1, b[2], b[3])
			}
			for _, m := range all(reNormal, p.text) {
				tid, _ := strconv.Atoi(m[1])
				seen[tid]++
			}
			next = ""
			if m := reNext.FindStringSubmatch(p.text); m != nil {
				next = "/" + html.UnescapeString(m[1])
			}
			if pages++; pages > 100 {
				t.Fatal("board pagination does not end")
			}
		}
	}
	return seen
}

func TestForumPagesAreGBKWithMetaCharset(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 1})
	tid := s.Threads()[0].TID
	for _, path := range []string{"/forum.php", "/forum.php?mod=forumdisplay&fid=2", fmt.Sprintf("/forum.php?mod=viewthread&tid=%d", tid)} {
		p := fetch(t, srv, path)
		mustOK(t, p, path)
		if ct := p.header.Get("Content-Type"); ct != "text/html" {
			t.Errorf("%s: Content-Type %q, want plain text/html so the crawler must read the meta tag", path, ct)
		}
		if utf8.Valid(p.raw) {
			t.Errorf("%s: body is valid UTF-8, want GBK bytes", path)
		}
		if !strings.Contains(p.text, `<meta http-equiv="Content-Type" content="text/html; charset=gbk" />`) {
			t.Errorf("%s: no GBK meta tag", path)
		}
		for _, want := range []string{"本站是提供个人知识管理的网络存储空间，所有内容均由用户发布", "ICP备", `id="scbar_txt"`} {
			if !strings.Contains(p.text, want) {
				t.Errorf("%s: boilerplate %q missing", path, want)
			}
		}
	}
}

func TestBoardPaginationListsEveryThreadOnce(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 2, Threads: 75, ThreadsPerPage: 7})
	get := func(path string) page { p := fetch(t, srv, path); mustOK(t, p, path); return p }
	seen := crawlBoards(t, get)
	threads := s.Threads()
	if len(seen) != len(threads) {
		t.Errorf("crawl found %d threads, site has %d", len(seen), len(threads))
	}
	for _, th := range threads {
		if seen[th.TID] != 1 {
			t.Errorf("tid %d listed %d times", th.TID, seen[th.TID])
		}
	}
}

func TestBoardListRowsNewestFirst(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 3})
	byTID := map[int]Thread{}
	for _, th := range s.Threads() {
		byTID[th.TID] = th
	}
	p := fetch(t, srv, "/forum.php?mod=forumdisplay&fid=36")
	mustOK(t, p, "board 36")
	links, authors := all(reTitleLink, p.text), all(reListAuthor, p.text)
	// The sticky announcement comes first and is not a thread of the ground truth.
	if len(links) < 2 || links[0][1] != "1" || !strings.Contains(p.text, `<tbody id="stickthread_1">`) {
		t.Fatalf("want the sticky announcement first, got %d links", len(links))
	}
	links, authors = links[1:], authors[1:]
	prev := 1 << 30
	for i, l := range links {
		tid, _ := strconv.Atoi(l[1])
		th, ok := byTID[tid]
		if !ok || th.Board != "城建交通" {
			t.Fatalf("row %d: tid %d is not a thread of board 城建交通", i, tid)
		}
		if tid >= prev {
			t.Errorf("row %d: tid %d after %d, want newest first", i, tid, prev)
		}
		prev = tid
		if got := html.UnescapeString(l[2]); got != th.Title {
			t.Errorf("tid %d: title %q, want %q", tid, got, th.Title)
		}
		if authors[i][2] != th.Author || authors[i][1] != strconv.Itoa(uidOf(th.Author)) {
			t.Errorf("tid %d: author %v, want %s", tid, authors[i][1:], th.Author)
		}
	}
}

// readThread fetches every page of a thread and returns what a crawler
// would extract from it.
func readThread(t *testing.T, get func(string) page, tid int) (title string, authors, bodies []string, times []time.Time) {
	t.Helper()
	next, pages := fmt.Sprintf("/forum.php?mod=viewthread&tid=%d", tid), 0
	for next != "" {
		p := get(next)
		m := reSubject.FindStringSubmatch(p.text)
		if m == nil {
			t.Fatalf("%s: no thread_subject", next)
		}
		title = html.UnescapeString(m[1])
		posts := all(rePost, p.text)
		for _, a := range all(reAuthi, p.text) {
			authors = append(authors, a[1])
		}
		for _, e := range all(rePostedOn, p.text) {
			text := e[2] + e[3]
			layout := "2006-1-2 15:04"
			if e[2] != "" {
				layout = "2006-1-2 15:04:05"
			}
			at, err := time.ParseInLocation(layout, text, minyi.ChinaTime)
			if err != nil {
				t.Fatalf("post time %q: %v", text, err)
			}
			times = append(times, at)
		}
		for _, msg := range all(reMessage, p.text) {
			body := reQuote.ReplaceAllString(msg[2], "")
			bodies = append(bodies, html.UnescapeString(strings.ReplaceAll(body, "<br />\n", "\n")))
		}
		if len(posts) == 0 || len(posts) > postsPerPage || len(authors) != len(bodies) || len(times) != len(bodies) {
			t.Fatalf("%s: %d posts, %d authors, %d times, %d bodies so far", next, len(posts), len(authors), len(times), len(bodies))
		}
		next = ""
		if m := reNext.FindStringSubmatch(p.text); m != nil {
			next = "/" + html.UnescapeString(m[1])
		}
		if pages++; pages > 20 {
			t.Fatal("thread pagination does not end")
		}
	}
	return title, authors, bodies, times
}

func TestThreadPagesMatchGroundTruth(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 4})
	get := func(path string) page { p := fetch(t, srv, path); mustOK(t, p, path); return p }
	multiPage, quotes, relative := 0, 0, 0
	for _, th := range s.Threads() {
		title, authors, bodies, times := readThread(t, get, th.TID)
		if title != th.Title {
			t.Errorf("tid %d: title %q, want %q", th.TID, title, th.Title)
		}
		if len(bodies) != 1+len(th.Replies) {
			t.Fatalf("tid %d: %d posts on the pages, want %d", th.TID, len(bodies), 1+len(th.Replies))
		}
		want := append([]Reply{{th.Author, th.Published, th.Body}}, th.Replies...)
		for i, r := range want {
			if authors[i] != r.Author || bodies[i] != r.Body || !times[i].Equal(r.Published) {
				t.Errorf("tid %d post %d: got %q %v %q, want %q %v %q", th.TID, i, authors[i], times[i], bodies[i], r.Author, r.Published, r.Body)
			}
		}
		if len(want) > postsPerPage {
			multiPage++
		}
	}
	// The variety the crawler has to cope with must actually be there.
	for _, th := range s.Threads() {
		p := get(fmt.Sprintf("/forum.php?mod=viewthread&tid=%d", th.TID))
		quotes += strings.Count(p.text, `<div class="quote"><blockquote>`)
		relative += strings.Count(p.text, `发表于 <span title="`)
	}
	if multiPage == 0 || quotes == 0 || relative == 0 {
		t.Errorf("multi-page threads %d, quotes %d, relative times %d: want some of each", multiPage, quotes, relative)
	}
}

func TestThreadPageBeyondLastShowsLastPage(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 4})
	for _, th := range s.Threads() {
		if len(th.Replies) < postsPerPage {
			continue
		}
		p := fetch(t, srv, fmt.Sprintf("/forum.php?mod=viewthread&tid=%d&page=99", th.TID))
		mustOK(t, p, "page 99")
		if strings.Contains(p.text, `class="nxt"`) {
			t.Error("the last page links to a next page")
		}
		return
	}
	t.Fatal("no multi-page thread generated")
}

func TestMissingThreadAndBoardAre404(t *testing.T) {
	_, srv := newTestSite(t, Options{Seed: 1})
	for _, path := range []string{"/forum.php?mod=viewthread&tid=999999", "/forum.php?mod=viewthread&tid=abc", "/forum.php?mod=forumdisplay&fid=77", "/forum.php?mod=nonsense", "/nothing.html"} {
		if p := fetch(t, srv, path); p.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, p.status)
		}
	}
}

func TestRewrittenThreadURL(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 1})
	th := s.Threads()[3]
	p := fetch(t, srv, fmt.Sprintf("/thread-%d-1-1.html", th.TID))
	mustOK(t, p, "rewritten")
	if m := reSubject.FindStringSubmatch(p.text); m == nil || html.UnescapeString(m[1]) != th.Title {
		t.Errorf("rewritten URL shows %q, want %q", m, th.Title)
	}
}

func TestConditionalGetOnThreadPage(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 5})
	th := s.Threads()[0]
	path := fmt.Sprintf("/forum.php?mod=viewthread&tid=%d", th.TID)
	first := fetch(t, srv, path)
	mustOK(t, first, path)
	etag, lastMod := first.header.Get("ETag"), first.header.Get("Last-Modified")
	last := th.Published
	if n := len(th.Replies); n > 0 {
		last = th.Replies[n-1].Published
	}
	if etag == "" || lastMod != last.UTC().Format(http.TimeFormat) {
		t.Fatalf("ETag %q, Last-Modified %q, want an ETag and %s", etag, lastMod, last.UTC().Format(http.TimeFormat))
	}
	if p := fetch(t, srv, path, "If-None-Match", etag); p.status != http.StatusNotModified || len(p.raw) != 0 {
		t.Errorf("If-None-Match: status %d, %d bytes, want 304 and no body", p.status, len(p.raw))
	}
	if p := fetch(t, srv, path, "If-Modified-Since", lastMod); p.status != http.StatusNotModified {
		t.Errorf("If-Modified-Since: status %d, want 304", p.status)
	}
	if p := fetch(t, srv, path, "If-None-Match", `"stale"`); p.status != http.StatusOK {
		t.Errorf("stale If-None-Match: status %d, want 200", p.status)
	}
	if p := fetch(t, srv, path, "If-Modified-Since", last.Add(-time.Hour).UTC().Format(http.TimeFormat)); p.status != http.StatusOK {
		t.Errorf("older If-Modified-Since: status %d, want 200", p.status)
	}
}

func TestRobotsAndForbiddenAreas(t *testing.T) {
	_, srv := newTestSite(t, Options{Seed: 1})
	p := fetch(t, srv, "/robots.txt")
	if p.status != http.StatusOK || p.text != "User-agent: *\nDisallow: /admin/\nDisallow: /home.php\n" {
		t.Errorf("robots.txt: %d %q", p.status, p.text)
	}
	for _, path := range []string{"/admin/", "/admin/index.php", "/home.php?mod=space&uid=10000"} {
		if p := fetch(t, srv, path); p.status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", path, p.status)
		}
	}
	// The footer links the back office, so a crawler ignoring robots.txt finds it.
	if p := fetch(t, srv, "/forum.php"); !strings.Contains(p.text, `<a href="/admin/">`) {
		t.Error("no link to /admin/ on the index")
	}
}

func TestGeneratedMarkupIsEscaped(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 6})
	var th *Thread
	for _, x := range s.Threads() {
		if strings.Contains(x.Body, "<script>") {
			th = &x
			break
		}
	}
	if th == nil {
		t.Fatal("no thread body holds <script>")
	}
	p := fetch(t, srv, fmt.Sprintf("/forum.php?mod=viewthread&tid=%d", th.TID))
	mustOK(t, p, "markup thread")
	for _, bad := range []string{"<script>alert", "<b>标签</b>"} {
		if strings.Contains(p.text, bad) {
			t.Errorf("page contains raw %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(", "&lt;b&gt;标签&lt;/b&gt;", "A&amp;B"} {
		if !strings.Contains(p.text, want) {
			t.Errorf("page lacks escaped %q", want)
		}
	}
	list := fetch(t, srv, "/forum.php?mod=forumdisplay&fid=2&page=1")
	for page := 2; !strings.Contains(list.text, "标签"); page++ {
		if page > 10 {
			t.Fatal("markup thread not listed")
		}
		list = fetch(t, srv, fmt.Sprintf("/forum.php?mod=forumdisplay&fid=2&page=%d", page))
	}
	if strings.Contains(list.text, "<b>标签") || !strings.Contains(list.text, "&lt;b&gt;标签") {
		t.Error("title not escaped on the board list")
	}
}

func TestRelativeTimes(t *testing.T) {
	now := time.Date(2024, 3, 10, 15, 0, 0, 0, minyi.ChinaTime)
	for _, c := range []struct {
		ago  time.Duration
		want string
	}{
		{20 * time.Second, "刚刚"},
		{12 * time.Minute, "12 分钟前"},
		{45 * time.Minute, "半小时前"},
		{5 * time.Hour, "5 小时前"},
		{16 * time.Hour, "昨天 23:00"},
		{40 * time.Hour, "前天 23:00"},
		{4 * 24 * time.Hour, "4 天前"},
	} {
		if got := ago(now.Add(-c.ago), now); got != c.want {
			t.Errorf("%v ago: %q, want %q", c.ago, got, c.want)
		}
	}
	old := postedOn(7, now.Add(-8*24*time.Hour), now)
	if string(old) != `<em id="authorposton7">发表于 2024-3-2 15:00</em>` {
		t.Errorf("old post: %s", old)
	}
}

// The list pages a poller watches answer If-Modified-Since and
// If-None-Match with 304 until a thread, reply or letter appears.
func TestConditionalGetOnListPages(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 5})
	paths := []string{"/forum.php", "/forum.php?mod=forumdisplay&fid=2", "/mailbox/list?page=1"}
	type seen struct{ etag, lastMod string }
	before := map[string]seen{}
	for _, path := range paths {
		p := fetch(t, srv, path)
		mustOK(t, p, path)
		v := seen{p.header.Get("ETag"), p.header.Get("Last-Modified")}
		if v.etag == "" || v.lastMod == "" {
			t.Fatalf("%s: ETag %q, Last-Modified %q, want both", path, v.etag, v.lastMod)
		}
		if q := fetch(t, srv, path, "If-Modified-Since", v.lastMod); q.status != http.StatusNotModified {
			t.Errorf("%s If-Modified-Since unchanged: status %d, want 304", path, q.status)
		}
		if q := fetch(t, srv, path, "If-None-Match", v.etag); q.status != http.StatusNotModified {
			t.Errorf("%s If-None-Match unchanged: status %d, want 304", path, q.status)
		}
		before[path] = v
	}
	s.Grow(1, 1)
	for _, path := range paths {
		if path == "/forum.php?mod=forumdisplay&fid=2" && s.Threads()[len(s.Threads())-1].Board != boardName(2) {
			continue // the new thread went to another board
		}
		if q := fetch(t, srv, path, "If-None-Match", before[path].etag); q.status != http.StatusOK {
			t.Errorf("%s after new posts, old ETag: status %d, want 200", path, q.status)
		}
	}
}
