package crawler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"minyi"
)

// fakeForum is a small Discuz! X site emitting the demo site's markup, GBK
// encoded with the charset in a meta tag only, as many real forums do.
type fakeForum struct {
	*testSite
	mu             sync.Mutex
	boards         []fakeBoard
	threads        []*fakeThread
	threadsPerPage int
	postsPerPage   int
}

type fakeBoard struct {
	fid  int
	name string
}

type fakeThread struct {
	tid, fid  int
	title     string
	posts     []fakePost
	etag      bool // the server sends an ETag and answers If-None-Match with 304
	rewritten bool // the board links it as thread-T-1-1.html
	sticky    bool // listed first on every board's first page, as a global announcement is
}

type fakePost struct{ author, when, body string }

func newFakeForum(t testing.TB) *fakeForum {
	f := &fakeForum{testSite: newTestSite(t), threadsPerPage: 2, postsPerPage: 3}
	f.serve = f.route
	return f
}

func (f *fakeForum) source() minyi.Source {
	return minyi.Source{Name: "test-bbs", Kind: minyi.SourceDiscuz, StartURLs: []string{f.url("/forum.php")}, RateLimit: 1000, Parallelism: 2}
}

func (f *fakeForum) addThread(th *fakeThread) {
	f.mu.Lock()
	f.threads = append(f.threads, th)
	f.mu.Unlock()
}

func (f *fakeForum) route(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	var body string
	var th *fakeThread
	switch {
	case r.URL.Path == "/forum.php" && q.Get("mod") == "":
		body = f.index()
	case r.URL.Path == "/forum.php" && q.Get("mod") == "forumdisplay":
		body = f.board(q.Get("fid"), page)
	case r.URL.Path == "/forum.php" && q.Get("mod") == "viewthread":
		th = f.thread(q.Get("tid"))
		if th != nil {
			body = f.threadPage(th, page)
		}
	case strings.HasPrefix(r.URL.Path, "/forum-"): // forum-2-1.html
		parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/forum-"), ".html"), "-")
		if len(parts) == 2 {
			p, _ := strconv.Atoi(parts[1])
			body = f.board(parts[0], max(p, 1))
		}
	case strings.HasPrefix(r.URL.Path, "/thread-"): // thread-7-1-1.html
		parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/thread-"), ".html"), "-")
		if th = f.thread(parts[0]); th != nil && len(parts) == 3 {
			p, _ := strconv.Atoi(parts[1])
			body = f.threadPage(th, max(p, 1))
		}
	}
	if body == "" {
		http.NotFound(w, r)
		return
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(body))
	if err != nil {
		panic(err)
	}
	if th != nil && th.etag {
		sum := sha256.Sum256(gbk)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html") // charset in the meta tag only
	w.Write(gbk)
}

const forumHead = `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk" /><title>石城论坛</title></head><body>`

func (f *fakeForum) index() string {
	var b strings.Builder
	b.WriteString(forumHead + `<div id="ct">`)
	for _, bd := range f.boards {
		href := fmt.Sprintf("forum.php?mod=forumdisplay&amp;fid=%d", bd.fid)
		if bd.fid%2 == 0 {
			href = fmt.Sprintf("forum-%d-1.html", bd.fid)
		}
		fmt.Fprintf(&b, `<h2><a href="%s">%s</a></h2>`, href, bd.name)
	}
	// A calendar and a member page: links the adapter must not follow.
	b.WriteString(`<a href="misc.php?mod=calendar&amp;month=1">日历</a><a href="home.php?mod=space&amp;uid=1">管理员</a></div></body></html>`)
	return b.String()
}

func (f *fakeForum) board(fidText string, page int) string {
	fid, _ := strconv.Atoi(fidText)
	var bd *fakeBoard
	for i := range f.boards {
		if f.boards[i].fid == fid {
			bd = &f.boards[i]
		}
	}
	if bd == nil {
		return ""
	}
	var list []*fakeThread
	if page == 1 {
		for _, th := range f.threads {
			if th.sticky {
				list = append(list, th)
			}
		}
	}
	for i := len(f.threads) - 1; i >= 0; i-- { // newest first, as Discuz lists them
		if f.threads[i].fid == fid && !f.threads[i].sticky {
			list = append(list, f.threads[i])
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, forumHead+`<div class="bm_h"><h1 class="xs2"><a href="forum.php?mod=forumdisplay&amp;fid=%d">%s</a></h1></div><table id="threadlisttableid">`, fid, bd.name)
	from := (page - 1) * f.threadsPerPage
	for i := from; i < len(list) && i < from+f.threadsPerPage; i++ {
		th := list[i]
		href := fmt.Sprintf("forum.php?mod=viewthread&amp;tid=%d&amp;extra=page%%3D%d", th.tid, page)
		if th.rewritten {
			href = fmt.Sprintf("thread-%d-1-%d.html", th.tid, page)
		}
		fmt.Fprintf(&b, `<tbody id="normalthread_%d"><tr><th class="new"><a href="%s" onclick="atarget(this)" class="s xst">%s</a></th></tr></tbody>`,
			th.tid, href, html.EscapeString(th.title))
	}
	b.WriteString(`</table>`)
	if from+f.threadsPerPage < len(list) {
		fmt.Fprintf(&b, `<div class="pg"><strong>%d</strong><a href="forum.php?mod=forumdisplay&amp;fid=%d&amp;page=%d" class="nxt">下一页</a></div>`, page, fid, page+1)
	}
	// An endless calendar: every board page links next month.
	fmt.Fprintf(&b, `<a href="forum.php?mod=forumdisplay&amp;fid=%d&amp;month=%d">下月</a></body></html>`, fid, page+1)
	return b.String()
}

func (f *fakeForum) thread(tidText string) *fakeThread {
	tid, _ := strconv.Atoi(tidText)
	for _, th := range f.threads {
		if th.tid == tid {
			return th
		}
	}
	return nil
}

func (f *fakeForum) threadPage(th *fakeThread, page int) string {
	from := (page - 1) * f.postsPerPage
	if from >= len(th.posts) && page > 1 {
		return ""
	}
	var b strings.Builder
	b.WriteString(forumHead)
	for _, bd := range f.boards { // the breadcrumb names the thread's own board
		if bd.fid == th.fid {
			fmt.Fprintf(&b, `<div id="pt" class="bm cl"><div class="z"><a href="forum.php">论坛</a><em>&rsaquo;</em><a href="forum.php?mod=forumdisplay&amp;fid=%d">%s</a></div></div>`, bd.fid, bd.name)
		}
	}
	fmt.Fprintf(&b, `<div id="ct"><h1 class="ts"><span id="thread_subject">%s</span></h1><div id="postlist" class="pl bm">`, html.EscapeString(th.title))
	for i := from; i < len(th.posts) && i < from+f.postsPerPage; i++ {
		p := th.posts[i]
		pid := th.tid*1000 + i
		fmt.Fprintf(&b, `<div id="post_%d"><table><tr><td class="pls"><div class="authi"><a href="home.php?mod=space&amp;uid=%d" class="xw1">%s</a></div></td>`+
			`<td class="plc"><div class="authi"><em id="authorposton%d">%s</em></div><table><tr><td class="t_f" id="postmessage_%d">%s</td></tr></table></td></tr></table></div>`,
			pid, i, html.EscapeString(p.author), pid, p.when, pid, p.body)
	}
	b.WriteString(`</div>`)
	if from+f.postsPerPage < len(th.posts) {
		fmt.Fprintf(&b, `<div class="pg"><strong>%d</strong><a href="forum.php?mod=viewthread&amp;tid=%d&amp;extra=page%%3D1&amp;page=%d" class="nxt">下一页</a></div>`, page, th.tid, page+1)
	}
	b.WriteString(`</div></body></html>`)
	return b.String()
}
