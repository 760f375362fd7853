package crawler

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"minyi"
)

// discuz crawls a Discuz! X forum: index → boards (with pagination) →
// threads (with reply pages). One thread is one document.
//
// A thread's reply pages are merged and the document is emitted once, when
// its last page has been fetched or given up on. Emitting after page 1 and
// again per reply page would also converge (the hash changes), but it would
// send every long thread through the whole ingest pipeline several times per
// crawl and briefly index threads without their replies.
//
// Conditional GET covers the first page only (it is the document's URL and
// holds the PageState). Reply pages are always fetched in full when page 1
// changed, because a document is only complete with all of them.
type discuz struct {
	mu      sync.Mutex
	threads map[string]*discuzThreadState // by tid
}

// discuzNote rides on tasks: what the page is and what the referring page knew.
type discuzNote struct {
	ref   discuzRef
	board string // board name, from the list page that linked the thread: a fallback for a thread page without a breadcrumb
}

type discuzThreadState struct {
	ref     discuzRef // page 1
	board   string
	title   string
	pages   map[int][]discuzPost
	queued  map[int]bool // reply pages followed but not yet fetched or given up
	valid   validators   // of page 1
	fetched time.Time    // of page 1
	hasHead bool         // page 1 arrived
	// likes, dislikes: the 支持 and 反对 page 1 shows
	likes, dislikes int
}

func newDiscuz() *discuz { return &discuz{threads: map[string]*discuzThreadState{}} }

func (d *discuz) start(rawURL string) (task, error) {
	canon, err := Canonicalize(rawURL)
	if err != nil {
		return task{}, err
	}
	ref, ok := parseDiscuzURL(canon)
	if !ok {
		return task{}, minyi.Errorf(minyi.EINVALID, "start URL %q is not a Discuz forum index, board or thread (forum.php, forum.php?mod=forumdisplay&fid=N, forum.php?mod=viewthread&tid=N)", clip(rawURL, 200))
	}
	return d.task(ref, ""), nil
}

func (d *discuz) task(ref discuzRef, board string) task {
	t := task{url: ref.url(), role: roleList, note: discuzNote{ref: ref, board: board}}
	if ref.kind == discuzThread {
		t.role = roleDetail
		if ref.page == 1 {
			t.docURL = t.url
		}
	}
	return t
}

func (d *discuz) handle(cr *crawl, t task, pg *page) {
	note, _ := t.note.(discuzNote)
	if msg := discuzErrorPage(pg.doc); msg != "" {
		cr.pageError(t.url, fmt.Errorf("the forum answered with an error page: %s", msg))
		if note.ref.kind == discuzThread {
			d.abandon(cr, t)
		}
		return
	}
	switch note.ref.kind {
	case discuzIndex:
		var ts []task
		for _, href := range discuzIndexBoards(pg.doc) {
			if ref, ok := parseDiscuzURL(pg.link(href)); ok && ref.kind == discuzBoard {
				ref.page = 1
				ts = append(ts, d.task(ref, ""))
			}
		}
		if len(ts) == 0 {
			cr.pageError(t.url, errors.New("no board links (a[href*=forumdisplay]) on the forum index: not a Discuz index, or the site is down"))
		}
		cr.follow(t, ts...)
	case discuzBoard:
		d.handleBoard(cr, t, note.ref, pg)
	case discuzThread:
		d.handleThread(cr, t, note, pg)
	}
}

func (d *discuz) handleBoard(cr *crawl, t task, at discuzRef, pg *page) {
	bp := extractDiscuzBoard(pg.doc)
	var ts []task
	for _, href := range bp.threads {
		if ref, ok := parseDiscuzURL(pg.link(href)); ok && ref.kind == discuzThread {
			ref.page = 1 // a thread is read from its first page; later pages follow from it
			ts = append(ts, d.task(ref, bp.name))
		}
	}
	if ref, ok := parseDiscuzURL(pg.link(bp.next)); bp.next != "" && ok && ref.kind == discuzBoard && ref.fid == at.fid && ref.page > at.page {
		ts = append(ts, d.task(ref, ""))
	}
	for _, href := range bp.subBoards {
		if ref, ok := parseDiscuzURL(pg.link(href)); ok && ref.kind == discuzBoard {
			ref.page = 1
			ts = append(ts, d.task(ref, ""))
		}
	}
	if len(bp.threads) == 0 && bp.name == "" {
		cr.pageError(t.url, errors.New("no board name and no thread rows (h1.xs2, tbody[id^=normalthread_]): not a Discuz board list, or the layout changed"))
	}
	cr.follow(t, ts...)
}

func (d *discuz) handleThread(cr *crawl, t task, note discuzNote, pg *page) {
	tp := extractDiscuzThread(pg.doc)
	at := note.ref
	if len(tp.posts) == 0 {
		cr.pageError(t.url, errors.New("no posts (#postlist > div[id^=post_]): deleted, login required, or the layout changed"))
		d.abandon(cr, t)
		return
	}
	for _, p := range tp.posts {
		if p.published.IsZero() {
			reason := p.timeErr
			if reason == nil {
				reason = errors.New("no post time (em[id^=authorposton])")
			}
			cr.pageError(t.url, fmt.Errorf("%s: %s; using the fetch time", p.id, errText(reason)))
		}
	}

	d.mu.Lock()
	st := d.threads[at.tid]
	if st == nil {
		head := at
		head.page = 1
		st = &discuzThreadState{ref: head, pages: map[int][]discuzPost{}, queued: map[int]bool{}}
		d.threads[at.tid] = st
	}
	delete(st.queued, at.page)
	st.pages[at.page] = tp.posts
	if at.page == 1 {
		st.hasHead, st.title, st.valid, st.fetched = true, tp.title, pg.valid, pg.fetched
		st.likes, st.dislikes = tp.likes, tp.dislikes
		// The thread's own page names its board; the list that linked it
		// may be another board's (a global sticky thread is on every
		// board's first page, and which of them came first varies from
		// crawl to crawl, which made an unchanged thread look changed).
		st.board = tp.board
		if st.board == "" {
			st.board = note.board
		}
	}
	d.mu.Unlock()

	if ref, ok := parseDiscuzURL(pg.link(tp.next)); tp.next != "" && ok && ref.kind == discuzThread && ref.tid == at.tid && ref.page > at.page {
		d.mu.Lock()
		st.queued[ref.page] = true // before follow: a fast worker may fetch it before follow returns
		d.mu.Unlock()
		if !cr.follow(t, d.task(ref, ""))[0] {
			d.mu.Lock()
			delete(st.queued, ref.page)
			d.mu.Unlock()
		}
	}
	d.complete(cr, at.tid)
}

// abandon lets a thread finish without a page that failed, returned 304 or
// was beyond MaxPages.
func (d *discuz) abandon(cr *crawl, t task) {
	note, _ := t.note.(discuzNote)
	if note.ref.kind != discuzThread {
		return
	}
	d.mu.Lock()
	if st := d.threads[note.ref.tid]; st != nil {
		delete(st.queued, note.ref.page)
	}
	d.mu.Unlock()
	d.complete(cr, note.ref.tid)
}

// complete emits the thread if none of its pages is outstanding.
func (d *discuz) complete(cr *crawl, tid string) {
	d.mu.Lock()
	st := d.threads[tid]
	if st == nil || len(st.queued) > 0 {
		d.mu.Unlock()
		return
	}
	delete(d.threads, tid)
	d.mu.Unlock()
	if !st.hasHead {
		return // without the first post there is no document; the error is counted already
	}
	cr.emit(st.document(), st.valid)
}

// finish emits threads still waiting, which only a bookkeeping slip could leave.
func (d *discuz) finish(cr *crawl) {
	d.mu.Lock()
	var tids []string
	for tid, st := range d.threads {
		st.queued = map[int]bool{}
		tids = append(tids, tid)
	}
	d.mu.Unlock()
	sort.Strings(tids)
	for _, tid := range tids {
		d.complete(cr, tid)
	}
}

func (st *discuzThreadState) document() minyi.Document {
	var pages []int
	for p := range st.pages {
		pages = append(pages, p)
	}
	sort.Ints(pages)
	seen := map[string]bool{}
	var posts []discuzPost
	for _, p := range pages {
		for _, post := range st.pages[p] {
			if post.id != "" && seen[post.id] {
				continue // a post shown on two pages (a pinned reply) counts once
			}
			seen[post.id] = true
			posts = append(posts, post)
		}
	}
	first := st.pages[1][0]
	doc := minyi.Document{
		Kind:       minyi.KindPost,
		URL:        st.ref.url(),
		ExternalID: "tid:" + st.ref.tid,
		Board:      st.board,
		Title:      st.title,
		Body:       first.body,
		Author:     first.author,
		Published:  first.published,
		Fetched:    st.fetched,
		Likes:      st.likes,
		Dislikes:   st.dislikes,
	}
	for _, p := range posts[1:] {
		if p.body == "" {
			continue // a reply with only an image or a blocked reply says nothing to index
		}
		doc.Comments = append(doc.Comments, minyi.Comment{Author: p.author, Published: p.published, Body: p.body})
	}
	return doc
}
