package crawler

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"minyi"
)

func demoForum(t *testing.T) *fakeForum {
	f := newFakeForum(t)
	f.boards = []fakeBoard{{1, "民生热线"}, {2, "城建交通"}}
	f.addThread(&fakeThread{tid: 11, fid: 1, title: "城东路夜间施工噪音扰民", etag: true, posts: []fakePost{
		{"老街坊", "发表于 2024-3-5 10:20", "每天晚上十一点以后还在施工。<br />根本睡不着。"},
		{"夜猫子", `发表于 <span title="2024-3-5 11:02:45">3 天前</span>`, `<div class="quote"><blockquote>每天晚上</blockquote></div>同感。`},
		{"甲", "发表于 2024-3-5 12:00", "第三楼"},
		{"乙", "发表于 2024-3-5 13:00", "第四楼"},
		{"丙", "发表于 2024-3-6 08:00", "第五楼，在第二页"},
	}})
	f.addThread(&fakeThread{tid: 12, fid: 1, title: "小区停水三天无人管", posts: []fakePost{{"住户", "发表于 2024-3-6 9:00", "停水三天了"}}})
	f.addThread(&fakeThread{tid: 13, fid: 1, title: "公交37路能否延长运营时间", rewritten: true, posts: []fakePost{{"上班族", "2024年3月7日 07:30", "末班车太早"}}})
	f.addThread(&fakeThread{tid: 21, fid: 2, title: "实验小学门口需要红绿灯", posts: []fakePost{{"家长", "发表于 2024-3-7 8:10", "上学高峰太危险"}}})
	return f
}

func TestCrawlDiscuzForum(t *testing.T) {
	f := demoForum(t)
	src := f.source()
	sink := &memSink{}
	run, err := testCrawler(Options{}).Crawl(context.Background(), src, newMemStates(), sink)
	if err != nil {
		t.Fatalf("crawl: %v (run %+v)", err, run)
	}
	checkDocs(t, src, sink.docs)
	docs := sink.byTitle()
	if len(sink.docs) != 4 {
		t.Fatalf("got %d documents, want 4: %v", len(sink.docs), docs)
	}
	noise := docs["城东路夜间施工噪音扰民"]
	if noise.URL != f.url("/forum.php?mod=viewthread&tid=11") || noise.ExternalID != "tid:11" || noise.Kind != minyi.KindPost {
		t.Errorf("identity: %s %s %s", noise.URL, noise.ExternalID, noise.Kind)
	}
	if noise.Board != "民生热线" || noise.Author != "老街坊" || noise.Body != "每天晚上十一点以后还在施工。\n根本睡不着。" {
		t.Errorf("first post: board %q author %q body %q", noise.Board, noise.Author, noise.Body)
	}
	if !noise.Published.Equal(time.Date(2024, 3, 5, 10, 20, 0, 0, minyi.ChinaTime)) {
		t.Errorf("published %v", noise.Published)
	}
	var comments []string
	for _, c := range noise.Comments {
		comments = append(comments, c.Author+":"+c.Body)
	}
	if got, want := strings.Join(comments, "|"), "夜猫子:同感。|甲:第三楼|乙:第四楼|丙:第五楼，在第二页"; got != want {
		t.Errorf("comments across both pages = %q, want %q", got, want)
	}
	if docs["实验小学门口需要红绿灯"].Board != "城建交通" {
		t.Errorf("board of a rewritten-URL board: %q", docs["实验小学门口需要红绿灯"].Board)
	}
	if d := docs["公交37路能否延长运营时间"]; d.URL != f.url("/forum.php?mod=viewthread&tid=13") {
		t.Errorf("rewritten thread URL not canonical: %s", d.URL)
	}
	// index, 2 pages of board 1, board 2, 4 threads, page 2 of thread 11.
	if run.PagesFetched != 9 || run.Items != 4 || run.NewItems != 4 || run.Errors != 0 {
		t.Errorf("run = %+v", run)
	}
	if run.ID == "" || run.Source != src.Name || run.Started.IsZero() || run.Finished.Before(run.Started) {
		t.Errorf("run identity = %+v", run)
	}
	if len(sink.progress) != run.PagesFetched {
		t.Errorf("progress called %d times for %d pages", len(sink.progress), run.PagesFetched)
	}
	for _, h := range f.requests() {
		if strings.Contains(h.uri, "calendar") || strings.Contains(h.uri, "month=") || strings.Contains(h.uri, "home.php") {
			t.Errorf("followed a link the adapter does not understand: %s", h.uri)
		}
	}
	if n := f.hitsOf("/thread-13-1-1.html") + f.hitsOf("/forum.php?mod=viewthread&tid=13"); n != 1 {
		t.Errorf("thread 13 fetched %d times", n)
	}
}

func TestCrawlDiscuzIncremental(t *testing.T) {
	f := demoForum(t)
	src := f.source()
	states := newMemStates()
	c := testCrawler(Options{})

	first := &memSink{}
	if _, err := c.Crawl(context.Background(), src, states, first); err != nil {
		t.Fatal(err)
	}
	for _, d := range first.docs {
		st, ok := states.m[d.URL]
		if !ok || st.ContentHash == "" || st.Fetched.IsZero() {
			t.Errorf("no page state saved for %s: %+v", d.URL, st)
		}
	}
	if st := states.m[f.url("/forum.php?mod=viewthread&tid=11")]; st.ETag == "" {
		t.Errorf("ETag not remembered: %+v", st)
	}

	f.addThread(&fakeThread{tid: 14, fid: 1, title: "新帖：路灯坏了", posts: []fakePost{{"夜归人", "发表于 2024-3-8 22:00", "一整条街都是黑的"}}})
	second := &memSink{}
	run, err := c.Crawl(context.Background(), src, states, second)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.docs) != 1 || second.docs[0].Title != "新帖：路灯坏了" {
		t.Fatalf("second crawl emitted %d documents, want only the new thread: %v", len(second.docs), second.byTitle())
	}
	if run.PagesNotModified != 1 || run.NewItems != 1 {
		t.Errorf("run = %+v, want 1 not-modified page (thread 11, with ETag) and 1 new item", run)
	}
	var sawConditional bool
	for _, h := range f.requests() {
		if strings.Contains(h.uri, "tid=11") && h.header.Get("If-None-Match") != "" {
			sawConditional = true
		}
		if strings.Contains(h.uri, "forumdisplay") && (h.header.Get("If-None-Match") != "" || h.header.Get("If-Modified-Since") != "") {
			t.Errorf("list page %s fetched conditionally", h.uri)
		}
	}
	if !sawConditional {
		t.Error("thread 11 was not requested with If-None-Match")
	}

	// A new reply changes a thread that has no validators: it is emitted again.
	f.mu.Lock()
	f.thread("12").posts = append(f.thread("12").posts, fakePost{"物业", "发表于 2024-3-9 9:00", "今天下午恢复供水"})
	f.mu.Unlock()
	third := &memSink{}
	if _, err := c.Crawl(context.Background(), src, states, third); err != nil {
		t.Fatal(err)
	}
	if len(third.docs) != 1 || len(third.docs[0].Comments) != 1 || third.docs[0].ExternalID != "tid:12" {
		t.Fatalf("third crawl: %+v", third.docs)
	}
	if third.docs[0].ID != first.byTitle()["小区停水三天无人管"].ID {
		t.Error("a changed thread got a new document id")
	}
}

func TestCrawlDiscuzBadThreadKeepsOthers(t *testing.T) {
	f := demoForum(t)
	f.addThread(&fakeThread{tid: 15, fid: 2, title: "时间看不懂", posts: []fakePost{{"某人", "发表于 很久以前", "内容还在"}}})
	f.addThread(&fakeThread{tid: 16, fid: 2, title: "嵌套炸弹", posts: []fakePost{{"某人", "发表于 2024-3-5 10:20", strings.Repeat("<div>", 3000)}}})
	src := f.source()
	sink := &memSink{}
	run, err := testCrawler(Options{}).Crawl(context.Background(), src, nil, sink)
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, src, sink.docs)
	d, ok := sink.byTitle()["时间看不懂"]
	if !ok || d.Body != "内容还在" || !d.Published.Equal(d.Fetched) {
		t.Errorf("thread with an unparsable date: kept=%v %+v", ok, d)
	}
	if len(sink.docs) != 5 || run.Errors != 2 {
		t.Errorf("documents %d (want 5), errors %d (want 2: date, nesting); last %q", len(sink.docs), run.Errors, run.LastError)
	}
	if !strings.Contains(run.LastError, "using the fetch time") && !strings.Contains(run.LastError, "malformed HTML") {
		t.Errorf("last error says nothing useful: %q", run.LastError)
	}
}

// A global announcement is listed on every board's first page; its board is
// the one its own page names, whichever list reached it first, so a second
// crawl of an unchanged forum finds nothing new (a board taken from the
// list made the announcement change with the order boards were fetched in).
func TestStickyThreadKeepsItsOwnBoard(t *testing.T) {
	f := demoForum(t)
	f.addThread(&fakeThread{tid: 1, fid: 2, title: "【公告】发帖须知", sticky: true, posts: []fakePost{{"管理员", "发表于 2024-1-1 08:00", "请文明发帖"}}})
	src := f.source()
	src.Parallelism = 1 // board 1 comes first in the index: its list reaches the announcement first
	states := newMemStates()
	sink := &memSink{}
	if _, err := testCrawler(Options{}).Crawl(context.Background(), src, states, sink); err != nil {
		t.Fatal(err)
	}
	if got := sink.byTitle()["【公告】发帖须知"].Board; got != "城建交通" {
		t.Errorf("announcement of board 2 stored under board %q", got)
	}
	src.Parallelism = 2
	again := &memSink{}
	run, err := testCrawler(Options{}).Crawl(context.Background(), src, states, again)
	if err != nil {
		t.Fatal(err)
	}
	if run.NewItems != 0 || len(again.docs) != 0 {
		t.Errorf("second crawl of an unchanged forum: %d new %v", run.NewItems, again.byTitle())
	}
}

// A forum whose database is down answers every URL with 200 and Discuz's
// "System Error" page: that is a failed crawl that says why, not an empty one.
func TestForumAnsweringErrorPagesIsAFailedCrawl(t *testing.T) {
	const systemError = `<html><head><title>System Error</title></head><body><div class="info">` +
		`<h1>Discuz! System Error</h1><p>(1040) Too many connections</p></div></body></html>`
	for name, page := range map[string]string{
		"system error": systemError,
		"no boards":    `<html><head><title>临江论坛</title></head><body><p>网站维护中</p></body></html>`,
		"showmessage":  `<html><body><div id="messagetext" class="alert_error"><p>抱歉，您尚未登录，无法进行此操作</p></div></body></html>`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, page)
		}))
		src := minyi.Source{Name: "down-bbs", Kind: minyi.SourceDiscuz, StartURLs: []string{srv.URL + "/forum.php"}, RateLimit: 1000, Parallelism: 2}
		run, err := testCrawler(Options{}).Crawl(context.Background(), src, newMemStates(), &memSink{})
		srv.Close()
		if err == nil || run.Errors == 0 || run.LastError == "" {
			t.Errorf("%s: crawl err %v, run %+v; want a failed crawl with the reason", name, err, run)
			continue
		}
		if name == "system error" && !strings.Contains(err.Error(), "Too many connections") {
			t.Errorf("%s: error %q does not quote the forum's message", name, err)
		}
	}
	// A board page that is an error page fails the same way when it is the start page.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, systemError) }))
	defer srv.Close()
	src := minyi.Source{Name: "down-bbs", Kind: minyi.SourceDiscuz, StartURLs: []string{srv.URL + "/forum.php?mod=forumdisplay&fid=2"}, RateLimit: 1000, Parallelism: 1}
	if _, err := testCrawler(Options{}).Crawl(context.Background(), src, newMemStates(), &memSink{}); err == nil {
		t.Error("a board start page answering an error page: no crawl error")
	}
}
