package crawler

import (
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// This file reads Discuz! X pages: which URL is which page, and what a board
// list or a thread page says. It is pure (no fetching) so it can be tested on
// fixtures and fuzzed.

type discuzKind int

const (
	discuzIndex discuzKind = iota + 1
	discuzBoard
	discuzThread
)

// discuzRef is what a Discuz URL points at. Dynamic (forum.php?mod=...) and
// rewritten (forum-2-1.html, thread-7-1-1.html) URLs of one board or thread
// give equal refs, and so one canonical URL.
type discuzRef struct {
	kind discuzKind
	dir  string // scheme://host/path/ of the forum root, ending in "/"
	fid  string
	tid  string
	page int
}

var (
	rewrittenBoard  = regexp.MustCompile(`^forum-(\d{1,10})-(\d{1,6})\.html$`)
	rewrittenThread = regexp.MustCompile(`^thread-(\d{1,10})-(\d{1,6})-\d{1,6}\.html$`)
	digits          = regexp.MustCompile(`^\d{1,10}$`)
)

// parseDiscuzURL classifies a canonical URL; ok is false for any page the
// adapter does not understand, which it therefore never follows.
func parseDiscuzURL(raw string) (discuzRef, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return discuzRef{}, false
	}
	dir, file := path.Split(u.Path)
	if dir == "" {
		dir = "/"
	}
	ref := discuzRef{dir: u.Scheme + "://" + u.Host + dir, page: 1}
	if m := rewrittenBoard.FindStringSubmatch(file); m != nil {
		ref.kind, ref.fid, ref.page = discuzBoard, m[1], pageNumber(m[2])
		return ref, true
	}
	if m := rewrittenThread.FindStringSubmatch(file); m != nil {
		ref.kind, ref.tid, ref.page = discuzThread, m[1], pageNumber(m[2])
		return ref, true
	}
	if file != "forum.php" && file != "index.php" && file != "" {
		return discuzRef{}, false
	}
	q := u.Query()
	if p := q.Get("page"); p != "" {
		ref.page = pageNumber(p)
	}
	switch q.Get("mod") {
	case "forumdisplay":
		ref.kind, ref.fid = discuzBoard, q.Get("fid")
		return ref, digits.MatchString(ref.fid)
	case "viewthread":
		ref.kind, ref.tid = discuzThread, q.Get("tid")
		return ref, digits.MatchString(ref.tid)
	case "", "index":
		if q.Get("gid") != "" || q.Get("tid") != "" || q.Get("fid") != "" {
			return discuzRef{}, false
		}
		ref.kind, ref.page = discuzIndex, 1
		return ref, true
	}
	return discuzRef{}, false
}

func pageNumber(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// url is the canonical dynamic URL of the page; for a thread's first page it
// is also the document's URL: .../forum.php?mod=viewthread&tid=T.
func (r discuzRef) url() string {
	q := ""
	switch r.kind {
	case discuzIndex:
		return r.dir + "forum.php"
	case discuzBoard:
		q = "fid=" + r.fid + "&mod=forumdisplay"
		if r.page > 1 {
			q += "&page=" + strconv.Itoa(r.page)
		}
	case discuzThread:
		q = "mod=viewthread"
		if r.page > 1 {
			q += "&page=" + strconv.Itoa(r.page)
		}
		q += "&tid=" + r.tid
	}
	return r.dir + "forum.php?" + q
}

// discuzBoardPage is what a forumdisplay page lists.
type discuzBoardPage struct {
	name      string
	threads   []string // hrefs as written
	next      string
	subBoards []string
}

func extractDiscuzBoard(doc *goquery.Document) discuzBoardPage {
	var bp discuzBoardPage
	bp.name = inlineText(doc.Find("h1.xs2 a").First())
	doc.Find(`tbody[id^="normalthread_"] a.s.xst, tbody[id^="stickthread_"] a.s.xst`).Each(func(_ int, a *goquery.Selection) {
		if href, ok := a.Attr("href"); ok {
			bp.threads = append(bp.threads, href)
		}
	})
	bp.next, _ = doc.Find("div.pg a.nxt").First().Attr("href")
	doc.Find(`[id^="subforum_"] a[href]`).Each(func(_ int, a *goquery.Selection) {
		bp.subBoards = append(bp.subBoards, a.AttrOr("href", ""))
	})
	return bp
}

// discuzErrorPage tells a Discuz! error page from a page with content, and
// says what it says: the "System Error" / "Database Error" page Discuz
// answers with 200 when its database is down, or a showmessage notice
// (#messagetext: "抱歉，指定的主题不存在或已被删除", login required) in
// place of a board or thread. "" for any other page.
func discuzErrorPage(doc *goquery.Document) string {
	title := strings.TrimSpace(doc.Find("title").First().Text())
	for _, marker := range []string{"System Error", "Database Error"} {
		if strings.Contains(title, marker) || strings.Contains(doc.Find("body").Text(), "Discuz! "+marker) {
			return clip(inlineText(doc.Find("body")), 200)
		}
	}
	if msg := doc.Find("#messagetext"); msg.Length() > 0 && doc.Find("#postlist, #threadlisttableid").Length() == 0 {
		return clip(inlineText(msg), 200)
	}
	return ""
}

// discuzIndexBoards returns the board links of the forum index, in page order.
func discuzIndexBoards(doc *goquery.Document) []string {
	var out []string
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href := a.AttrOr("href", "")
		if strings.Contains(href, "mod=forumdisplay") || rewrittenBoard.MatchString(path.Base(href)) {
			out = append(out, href)
		}
	})
	return out
}

// discuzPost is one post of a thread page.
type discuzPost struct {
	id        string // the post's element id, post_123
	author    string
	timeText  string
	published time.Time // zero when timeText could not be parsed
	timeErr   error
	body      string
}

// discuzThreadPage is what one viewthread page shows.
type discuzThreadPage struct {
	title string
	board string // from the breadcrumb, when the page has one
	posts []discuzPost
	next  string
	// likes and dislikes are the thread's 支持 and 反对 (Discuz's
	// recommend counts), shown beside its first post.
	likes, dislikes int
}

// discuzJunk is markup inside a post that is not what the poster wrote for
// this post: quoted earlier posts, signatures, "edited by" notes, and the
// invisible anti-copy "jammer" text Discuz sprinkles in.
const discuzJunk = `.quote, .sign, i.pstatus, script, style, .jammer, [style*="display:none"], [style*="display: none"]`

func extractDiscuzThread(doc *goquery.Document) discuzThreadPage {
	var tp discuzThreadPage
	tp.title = inlineText(doc.Find("#thread_subject").First())
	tp.board = inlineText(doc.Find(`#pt a[href*="forumdisplay"], #pt a[href^="forum-"]`).Last())
	tp.next, _ = doc.Find("div.pg a.nxt").First().Attr("href")
	tp.likes = count(inlineText(doc.Find("#recommendv_add").First()))
	tp.dislikes = count(inlineText(doc.Find("#recommendv_subtract").First()))
	doc.Find(`#postlist > div[id^="post_"]`).Each(func(_ int, post *goquery.Selection) {
		p := discuzPost{id: post.AttrOr("id", "")}
		p.author = inlineText(post.Find(".authi a.xw1").First())
		em := post.Find(`em[id^="authorposton"]`).First()
		// Recent posts say "3 天前" and carry the real time in a title attribute.
		if t, ok := em.Find("span[title]").First().Attr("title"); ok && strings.TrimSpace(t) != "" {
			p.timeText = strings.TrimSpace(t)
		} else {
			p.timeText = inlineText(em)
		}
		if p.timeText != "" {
			p.published, p.timeErr = ParseTime(p.timeText)
		}
		msg := post.Find(`td.t_f[id^="postmessage_"]`).First()
		msg.Find(discuzJunk).Remove()
		p.body = blockText(msg)
		if p.author == "" && p.timeText == "" && p.body == "" {
			return // a layout row, an ad or a deleted post: nothing a reader sees
		}
		tp.posts = append(tp.posts, p)
	})
	return tp
}
