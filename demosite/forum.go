package demosite

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// postsPerPage is Discuz's default "ppp": the first post and nine replies
// on the first page of a thread.
const postsPerPage = 10

type crumb struct{ Name, URL string }

type layout struct {
	Title  string
	Mod    string
	Crumbs []crumb
}

type boardView struct {
	Fid                   int
	Name                  string
	Threads, Posts, Today int
	LastTID               int
	LastDate              string
}

type rowView struct {
	TID, UID             int
	Title, Author, Date  string
	Replies, Views       int
	LastPoster, LastDate string
	Pages                []int // pages after the first, for long threads
}

type postView struct {
	PID, UID int
	Author   string
	Floor    template.HTML
	PostedOn template.HTML
	Message  template.HTML
	Sign     string
	// Votes is set on the thread's first post: its 支持 and 反对 buttons.
	Votes *votes
}

type votes struct{ TID, Likes, Dislikes int }

func (s *Site) serveForum(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch q.Get("mod") {
	case "", "index":
		s.forumIndex(w, r)
	case "forumdisplay":
		s.forumDisplay(w, r, atoi(q.Get("fid")), atoi(q.Get("page")))
	case "viewthread":
		s.viewThread(w, r, atoi(q.Get("tid")), atoi(q.Get("page")))
	default:
		s.forumMessage(w, r, http.StatusNotFound, "未定义操作，请返回。")
	}
}

// serveRewritten answers Discuz's rewritten URLs, thread-TID-PAGE-1.html and
// forum-FID-PAGE.html, and 404 for everything else.
func (s *Site) serveRewritten(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".html")
	if ok {
		if rest, found := strings.CutPrefix(name, "thread-"); found {
			if f := strings.Split(rest, "-"); len(f) == 3 {
				s.viewThread(w, r, atoi(f[0]), atoi(f[1]))
				return
			}
		}
		if rest, found := strings.CutPrefix(name, "forum-"); found {
			if f := strings.Split(rest, "-"); len(f) == 2 {
				s.forumDisplay(w, r, atoi(f[0]), atoi(f[1]))
				return
			}
		}
	}
	http.NotFound(w, r)
}

func (s *Site) forumIndex(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	now := s.now()
	data := struct {
		layout
		Boards                []boardView
		Today, Posts, Members int
	}{layout: layout{Title: "论坛", Mod: "index"}, Members: 3000 + len(handles)*97}
	for _, b := range boards {
		bv := boardView{Fid: b.fid, Name: b.name}
		for _, t := range s.threads {
			if t.fid != b.fid {
				continue
			}
			bv.Threads++
			bv.Posts += len(t.posts)
			if sameDay(t.posts[0].published, now) {
				bv.Today++
			}
			bv.LastTID, bv.LastDate = t.tid, listDate(t.posts[0].published)
		}
		data.Today += bv.Today
		data.Posts += bv.Posts
		data.Boards = append(data.Boards, bv)
	}
	modified := s.lastPostIn(0)
	s.mu.RUnlock()
	s.renderForum(w, r, forumIndexT, data, modified, http.StatusOK)
}

func (s *Site) forumDisplay(w http.ResponseWriter, r *http.Request, fid, page int) {
	name := boardName(fid)
	if name == "" {
		s.forumMessage(w, r, http.StatusNotFound, "抱歉，指定的版块不存在")
		return
	}
	s.mu.RLock()
	now := s.now()
	var list []*thread // newest first
	today := 0
	for i := len(s.threads) - 1; i >= 0; i-- {
		if t := s.threads[i]; t.fid == fid {
			list = append(list, t)
			if sameDay(t.posts[0].published, now) {
				today++
			}
		}
	}
	per := s.opts.ThreadsPerPage
	pages := max(1, (len(list)+per-1)/per)
	page = min(max(page, 1), pages) // Discuz shows the last page for any page past it
	data := struct {
		layout
		Fid, Today, Total int
		Board             string
		Pager             template.HTML
		Sticky            *rowView
		Rows              []rowView
	}{
		layout: layout{Title: name, Mod: "forumdisplay", Crumbs: []crumb{{name, fmt.Sprintf("forum.php?mod=forumdisplay&fid=%d", fid)}}},
		Fid:    fid, Today: today, Total: len(list), Board: name,
		Pager: pager(fmt.Sprintf("forum.php?mod=forumdisplay&fid=%d", fid), page, pages),
	}
	if page == 1 {
		row := s.row(s.announce)
		data.Sticky = &row
	}
	for _, t := range list[min((page-1)*per, len(list)):min(page*per, len(list))] {
		data.Rows = append(data.Rows, s.row(t))
	}
	modified := s.lastPostIn(fid)
	s.mu.RUnlock()
	s.renderForum(w, r, forumListT, data, modified, http.StatusOK)
}

// lastPostIn is when the last post on board fid (0: any board) was made:
// the list pages' Last-Modified, so that a poller's If-Modified-Since is
// answered 304 until a thread or a reply appears. Callers hold s.mu.
func (s *Site) lastPostIn(fid int) time.Time {
	last := s.announce.lastPost().published
	for _, t := range s.threads {
		if p := t.lastPost().published; (fid == 0 || t.fid == fid) && p.After(last) {
			last = p
		}
	}
	return last
}

func (s *Site) row(t *thread) rowView {
	first, last := t.posts[0], t.lastPost()
	row := rowView{
		TID: t.tid, UID: uidOf(first.author), Title: t.title, Author: first.author,
		Date: listDate(first.published), Replies: len(t.posts) - 1, Views: t.views(),
		LastPoster: last.author, LastDate: last.published.Format("2006-1-2 15:04"),
	}
	for p := 2; p <= threadPages(t); p++ {
		row.Pages = append(row.Pages, p)
	}
	return row
}

func threadPages(t *thread) int { return (len(t.posts) + postsPerPage - 1) / postsPerPage }

func (s *Site) viewThread(w http.ResponseWriter, r *http.Request, tid, page int) {
	s.mu.RLock()
	t := s.byTID[tid]
	if tid == s.announce.tid {
		t = s.announce
	}
	if t == nil {
		s.mu.RUnlock()
		s.forumMessage(w, r, http.StatusNotFound, "抱歉，指定的主题不存在或已被删除或正在被审核")
		return
	}
	now := s.now()
	name := boardName(t.fid)
	pages := threadPages(t)
	page = min(max(page, 1), pages)
	data := struct {
		layout
		TID, Fid, Views, Replies int
		Board, Title             string
		Pager                    template.HTML
		Posts                    []postView
	}{
		layout: layout{Title: t.title, Mod: "viewthread", Crumbs: []crumb{
			{name, fmt.Sprintf("forum.php?mod=forumdisplay&fid=%d", t.fid)},
			{t.title, fmt.Sprintf("forum.php?mod=viewthread&tid=%d", t.tid)},
		}},
		TID: t.tid, Fid: t.fid, Views: t.views(), Replies: len(t.posts) - 1,
		Board: name, Title: t.title,
		Pager: pager(fmt.Sprintf("forum.php?mod=viewthread&tid=%d&extra=page%%3D1", t.tid), page, pages),
	}
	from := (page - 1) * postsPerPage
	for i, p := range t.posts[from:min(from+postsPerPage, len(t.posts))] {
		data.Posts = append(data.Posts, postView{
			PID: p.pid, UID: uidOf(p.author), Author: p.author,
			Floor:    floor(from + i + 1),
			PostedOn: postedOn(p.pid, p.published, now),
			Message:  message(t, p),
			Sign:     signatureOf(p.author),
		})
	}
	if page == 1 {
		likes, dislikes := t.reactions()
		data.Posts[0].Votes = &votes{TID: t.tid, Likes: likes, Dislikes: dislikes}
	}
	modified := t.lastPost().published
	s.mu.RUnlock()
	s.renderForum(w, r, forumThreadT, data, modified, http.StatusOK)
}

func (s *Site) forumMessage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	data := struct {
		layout
		Message string
	}{layout{Title: "提示信息", Mod: "message"}, msg}
	s.renderForum(w, r, forumMsgT, data, time.Time{}, status)
}

// renderForum writes a page in GBK. A 200 page carries an ETag (and a
// Last-Modified when modified is set) and answers conditional requests
// with 304, through http.ServeContent.
func (s *Site) renderForum(w http.ResponseWriter, r *http.Request, t *template.Template, data any, modified time.Time, status int) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		http.Error(w, "template error: "+err.Error(), http.StatusInternalServerError)
		return
	}
	page := toGBK(buf.Bytes())
	// Many real forums send no charset in the header: the crawler must read the meta tag.
	w.Header().Set("Content-Type", "text/html")
	if status != http.StatusOK {
		w.WriteHeader(status)
		w.Write(page)
		return
	}
	serveCached(w, r, page, modified)
}

// pager renders Discuz's div.pg; a single page has none.
func pager(base string, page, pages int) template.HTML {
	if pages <= 1 {
		return ""
	}
	var b strings.Builder
	link := func(p int, class, text string) {
		if class != "" {
			class = ` class="` + class + `"`
		}
		fmt.Fprintf(&b, `<a href="%s&page=%d"%s>%s</a>`, base, p, class, text)
	}
	b.WriteString(`<div class="pg">`)
	if page > 1 {
		link(page-1, "prev", "&nbsp;&nbsp;")
	}
	lo, hi := max(1, page-4), min(pages, max(page+5, 10))
	if lo > 1 {
		link(1, "first", "1 ...")
	}
	for p := lo; p <= hi; p++ {
		if p == page {
			fmt.Fprintf(&b, "<strong>%d</strong>", p)
		} else {
			link(p, "", strconv.Itoa(p))
		}
	}
	if hi < pages {
		link(pages, "last", "... "+strconv.Itoa(pages))
	}
	fmt.Fprintf(&b, `<label><input type="text" name="custompage" class="px" size="2" title="输入页码，按回车快速跳转" value="%d" /><span title="共 %d 页"> / %d 页</span></label>`, page, pages, pages)
	if page < pages {
		link(page+1, "nxt", "下一页")
	}
	b.WriteString(`</div>`)
	return template.HTML(b.String())
}

func floor(n int) template.HTML {
	switch n {
	case 1:
		return "楼主"
	case 2:
		return "沙发"
	case 3:
		return "板凳"
	case 4:
		return "地板"
	}
	return template.HTML(fmt.Sprintf("<em>%d</em><sup>#</sup>", n))
}

// postedOn renders the post time the way Discuz does: absolute for old
// posts, relative with the absolute time in a title for the last 7 days.
func postedOn(pid int, t, now time.Time) template.HTML {
	d := now.Sub(t)
	if d < 0 || d >= 7*24*time.Hour {
		return template.HTML(fmt.Sprintf(`<em id="authorposton%d">发表于 %s</em>`, pid, t.Format("2006-1-2 15:04")))
	}
	return template.HTML(fmt.Sprintf(`<em id="authorposton%d">发表于 <span title="%s">%s</span></em>`,
		pid, t.Format("2006-1-2 15:04:05"), ago(t, now)))
}

func ago(t, now time.Time) string {
	d := now.Sub(t)
	days := int(dayStart(now).Sub(dayStart(t)).Hours()+12) / 24
	switch {
	case d < time.Minute:
		return "刚刚"
	case d < 30*time.Minute:
		return fmt.Sprintf("%d 分钟前", int(d.Minutes()))
	case d < time.Hour:
		return "半小时前"
	case days == 0:
		return fmt.Sprintf("%d 小时前", int(d.Hours()))
	case days == 1:
		return "昨天 " + t.Format("15:04")
	case days == 2:
		return "前天 " + t.Format("15:04")
	}
	return fmt.Sprintf("%d 天前", days)
}

// message renders a post's text with <br /> line breaks, and the quoted
// excerpt of the first post above a quoting reply.
func message(t *thread, p post) template.HTML {
	var b strings.Builder
	if p.quote {
		first := t.posts[0]
		excerpt := strings.ReplaceAll(first.body, "\n", " ")
		if utf8.RuneCountInString(excerpt) > 50 {
			excerpt = string([]rune(excerpt)[:50]) + " ..."
		}
		fmt.Fprintf(&b, `<div class="quote"><blockquote><font size="2"><font color="#999999">%s 发表于 %s</font></font><br />%s</blockquote></div><br />`,
			html.EscapeString(first.author), first.published.Format("2006-1-2 15:04"), html.EscapeString(excerpt))
	}
	for i, line := range strings.Split(p.body, "\n") {
		if i > 0 {
			b.WriteString("<br />\n")
		}
		b.WriteString(html.EscapeString(line))
	}
	return template.HTML(b.String())
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

func listDate(t time.Time) string { return t.Format("2006-1-2") }

func dayStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func sameDay(a, b time.Time) bool { return dayStart(a).Equal(dayStart(b)) }
