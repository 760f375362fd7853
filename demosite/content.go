package demosite

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

type board struct {
	fid  int
	name string
}

type post struct {
	pid       int
	author    string
	published time.Time
	body      string
	quote     bool // shows an excerpt of the first post above body
}

type thread struct {
	tid         int
	fid         int
	title       string
	posts       []post // posts[0] is the first post
	traditional bool
	repostOf    int
	topic       *topic
	event       string            // the incident it is about (events.go); "" for none
	fill        *strings.Replacer // the thread's slot values, reused by later replies
}

func (t *thread) public() Thread {
	replies := make([]Reply, 0, len(t.posts)-1)
	for _, p := range t.posts[1:] {
		replies = append(replies, Reply{Author: p.author, Published: p.published, Body: p.body})
	}
	likes, dislikes := t.reactions()
	return Thread{
		Likes: likes, Dislikes: dislikes,
		TID: t.tid, Board: boardName(t.fid), Title: t.title,
		Author: t.posts[0].author, Published: t.posts[0].published, Body: t.posts[0].body,
		Replies: replies, Traditional: t.traditional, RepostOf: t.repostOf,
		Event: t.event, Category: t.category(),
	}
}

func (t *thread) category() string {
	if t.topic == nil {
		return ""
	}
	return t.topic.category
}

// reactions grow with the thread's replies, as readers who reply also
// vote.
func (t *thread) reactions() (likes, dislikes int) {
	likes, dislikes = reactions("thread "+strconv.Itoa(t.tid), t.event)
	return likes + 2*(len(t.posts)-1), dislikes
}

func (t *thread) lastPost() post { return t.posts[len(t.posts)-1] }

// views is derived from the thread so that a page changes only when a post
// is added, which keeps ETags stable between crawls.
func (t *thread) views() int { return 40 + 23*len(t.posts) + t.tid*7%97 }

func boardName(fid int) string {
	for _, b := range boards {
		if b.fid == fid {
			return b.name
		}
	}
	return ""
}

// uidOf gives every handle a fixed Discuz uid; the administrator is uid 1.
func uidOf(handle string) int {
	if handle == adminHandle {
		return 1
	}
	return 10000 + 137*slices.Index(handles, handle)
}

func signatureOf(handle string) string {
	i := slices.Index(handles, handle)
	if i < 0 || i%3 != 0 {
		return ""
	}
	return signatures[i/3%len(signatures)]
}

const adminHandle = "论坛管理员"

// threadVariant says how a generated thread departs from a plain one.
type threadVariant int

const (
	plainThread threadVariant = iota
	traditionalThread
	repostThread
	markupThread // a visitor testing whether the forum filters HTML
)

// populate generates the initial content. The first len(topics) threads
// cover every topic once in plain simplified text, so the search fixtures
// described in topics.go exist for any seed once Threads >= len(topics); the
// next one is the markup test thread whose text holds <script>.
func (s *Site) populate() {
	start := s.opts.Start
	end := start.Add(span)
	s.nextTID = 3000 + s.rng.IntN(500)
	s.nextPID = 20000 + s.rng.IntN(5000)
	s.nextSeq = 100 + s.rng.IntN(400)
	s.announce = &thread{tid: 1, fid: 2, title: "【公告】临江论坛发帖须知（请先阅读）", posts: []post{{
		pid: 1, author: adminHandle, published: start.Truncate(time.Minute), body: announcement,
	}}}

	order := s.rng.Perm(len(topics))
	for i, at := range s.spread(start, s.opts.Threads, time.Minute) {
		variant := plainThread
		var tp *topic
		switch {
		case i < len(topics):
			tp = topics[order[i]]
		case i == len(topics):
			variant = markupThread
		default:
			switch r := s.rng.IntN(100); {
			case r < 12:
				variant = repostThread
			case r < 24:
				variant = traditionalThread
			}
		}
		s.makeThread(at, end, tp, variant)
	}
	for _, at := range s.spread(start, s.opts.Letters, time.Second) {
		s.addLetter(at, end)
	}
}

// spread returns n sorted times in the initial span, the first at start.
func (s *Site) spread(start time.Time, n int, unit time.Duration) []time.Time {
	if n == 0 {
		return nil
	}
	out := make([]time.Time, n)
	for i := range out {
		if i > 0 {
			out[i] = start.Add(time.Duration(s.rng.Int64N(int64(span - 2*time.Hour))))
		}
	}
	slices.SortFunc(out[1:], func(a, b time.Time) int { return a.Compare(b) })
	out[0] = start
	for i := range out {
		out[i] = out[i].Truncate(unit)
	}
	return out
}

// addThread publishes a thread at the given time whose replies, if any,
// come no later than until.
func (s *Site) addThread(at, until time.Time) {
	variant := plainThread
	switch r := s.rng.IntN(100); {
	case r < 10:
		variant = repostThread
	case r < 20:
		variant = traditionalThread
	}
	s.makeThread(at, until, nil, variant)
}

func (s *Site) makeThread(at, until time.Time, tp *topic, variant threadVariant) {
	if tp == nil {
		tp = topics[s.rng.IntN(len(topics))]
	}
	fill, _, event := s.slots(tp, at)
	t := &thread{tid: s.nextTID, fid: tp.fid, topic: tp, fill: fill, event: event}
	s.nextTID += 1 + s.rng.IntN(3) // deleted and moderated threads leave gaps
	op := s.handle("")
	var body string
	switch variant {
	case repostThread:
		orig := s.repostable()
		if orig == nil {
			variant = plainThread
			break
		}
		t.fid, t.topic, t.fill, t.repostOf, t.event = orig.fid, orig.topic, orig.fill, orig.tid, orig.event
		t.title = pick(s, []string{"转帖：", "【转】"}) + orig.title
		lines := strings.Split(orig.posts[0].body, "\n")
		if len(lines) > 2 && s.rng.IntN(2) == 0 {
			lines = lines[:len(lines)-1]
		}
		lines = append([]string{pick(s, repostIntros)}, lines...)
		if s.rng.IntN(2) == 0 {
			lines = append(lines, pick(s, repostOutros))
		}
		body = strings.Join(lines, "\n")
	case markupThread:
		t.fid, t.topic, t.event = 2, nil, "" // keeps fill for the replies' place names
		t.title = "论坛能用<b>标签</b>吗？测试一下"
		body = "试试看这个论坛有没有过滤：<script>alert('xss')</script>\n" +
			"如果弹出了对话框，说明管理员该查查漏洞了。\n顺便问一下，A&B 这样的符号会不会显示错？"
	}
	if t.title == "" {
		t.title = fill.Replace(pick(s, tp.titles))
		body = s.forumBody(tp, fill)
	}
	if variant == traditionalThread {
		t.title, body, t.traditional = toTraditional(t.title), toTraditional(body), true
	}
	t.posts = []post{{pid: s.takePID(), author: op, published: at, body: body}}
	s.addReplies(t, until)
	s.threads = append(s.threads, t)
	s.byTID[t.tid] = t
}

// repostable picks an earlier plain thread to repost, or nil when none.
func (s *Site) repostable() *thread {
	var cands []*thread
	for _, t := range s.threads {
		if t.repostOf == 0 && !t.traditional && t.topic != nil {
			cands = append(cands, t)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	return cands[s.rng.IntN(len(cands))]
}

func (s *Site) forumBody(tp *topic, fill *strings.Replacer) string {
	lines := []string{pick(s, tp.openings), strings.Join(s.pickN(tp.details, 2+s.rng.IntN(2)), "")}
	last := pick(s, tp.demands)
	if !tp.positive {
		if s.rng.IntN(3) == 0 {
			last += pick(s, angryClosings)
		} else {
			last += pick(s, politeClosings)
		}
	}
	lines = append(lines, last)
	return fill.Replace(strings.Join(lines, "\n"))
}

func (s *Site) addReplies(t *thread, until time.Time) {
	var n int
	switch r := s.rng.IntN(100); {
	case r < 25:
	case r < 65:
		n = 1 + s.rng.IntN(4)
	case r < 85:
		n = 5 + s.rng.IntN(5)
	default:
		n = 10 + s.rng.IntN(15) // long enough for a second or third page
	}
	first := t.posts[0].published
	if n == 0 || !until.After(first) {
		return
	}
	gap := max(min(until.Sub(first)/time.Duration(n+1), 24*time.Hour), time.Minute)
	at := first
	for range n {
		at = at.Add(5*time.Minute + time.Duration(s.rng.Int64N(int64(2*gap)))).Truncate(time.Minute)
		if at.After(until) {
			return
		}
		s.addReply(t, at)
	}
}

func (s *Site) addReply(t *thread, at time.Time) {
	op := t.posts[0].author
	p := post{pid: s.takePID(), published: at}
	fill := t.fill
	switch r := s.rng.IntN(100); {
	case r < 12 && t.topic != nil:
		p.author, p.body = op, fill.Replace(pick(s, followUps))
	case r < 50 && t.topic != nil:
		p.author, p.body = s.handle(op), fill.Replace(pick(s, t.topic.replies))
	default:
		p.author, p.body = s.handle(op), fill.Replace(pick(s, genericReplies))
	}
	p.quote = p.author != op && s.rng.IntN(100) < 15
	t.posts = append(t.posts, p)
}

// bumpThreads adds a reply to k of the most recent threads, leaving out the
// skip newest ones that were just published.
func (s *Site) bumpThreads(k, skip int, at time.Time) {
	cands := s.threads[:max(0, len(s.threads)-skip)]
	cands = cands[max(0, len(cands)-20):]
	for range min(k, len(cands)) {
		t := cands[s.rng.IntN(len(cands))]
		when := at
		if last := t.lastPost().published; when.Before(last) {
			when = last
		}
		s.addReply(t, when)
	}
}

func (s *Site) addLetter(at, until time.Time) {
	tp := topics[s.rng.IntN(len(topics))]
	fill, dept, event := s.slots(tp, at)
	title := pick(s, tp.letterTitles)
	l := &Letter{
		No:        fmt.Sprintf("%d%06d", at.Year(), s.nextSeq),
		Event:     event,
		Category:  tp.category,
		Title:     fill.Replace(title),
		Type:      pick(s, tp.types),
		Published: at,
		Status:    "已受理",
	}
	l.Likes, l.Dislikes = reactions("letter "+l.No, event)
	// A writer who calls the letter a complaint in its title also picks that type.
	for _, typ := range letterTypes {
		if strings.Contains(title, typ) {
			l.Type = typ
		}
	}
	s.nextSeq += 1 + s.rng.IntN(3) // letters not made public leave gaps
	closing := pick(s, letterClosings)
	if !tp.positive && s.rng.IntN(4) == 0 {
		closing = pick(s, angryLetterClosings)
	}
	paras := []string{
		"尊敬的市长：",
		"您好！" + pick(s, tp.openings),
		strings.Join(s.pickN(tp.details, 2+s.rng.IntN(2)), ""),
		pick(s, tp.demands),
		closing,
	}
	l.Body = fill.Replace(strings.Join(paras, "\n"))
	if tp.positive {
		dept = "市长信箱办公室" // a thank-you is acknowledged by the mailbox office, not the thanked
	}
	answer := fill.Replace(strings.Join([]string{pick(s, answerOpenings), pick(s, tp.answers), pick(s, answerClosings)}, "\n"))
	delay := time.Duration(1+s.rng.IntN(15)) * 24 * time.Hour
	day := at.Add(delay)
	replyAt := time.Date(day.Year(), day.Month(), day.Day(), 9+s.rng.IntN(9), s.rng.IntN(60), s.rng.IntN(60), 0, at.Location())
	switch {
	case s.rng.IntN(100) < 75 && !replyAt.After(until):
		l.Status, l.ReplyUnit, l.ReplyText, l.ReplyTime = "已回复", dept, answer, replyAt
	case until.Sub(at) > 3*24*time.Hour:
		l.Status = "办理中"
	}
	// Keep what the department will say, for when Grow answers this letter.
	if l.ReplyTime.IsZero() {
		l.ReplyUnit, l.ReplyText = "", ""
		s.pending[l.No] = [2]string{dept, answer}
	}
	s.letters = append(s.letters, l)
	s.byNo[l.No] = l
}

var letterTypes = []string{"咨询", "求助", "建议", "投诉", "举报"}

func (s *Site) answerOldestPending(at time.Time) {
	for _, l := range s.letters {
		if !l.ReplyTime.IsZero() {
			continue
		}
		if !at.After(l.Published) {
			return
		}
		a := s.pending[l.No]
		delete(s.pending, l.No)
		l.Status, l.ReplyUnit, l.ReplyText, l.ReplyTime = "已回复", a[0], a[1], at
		return
	}
}

// slots draws the place names and numbers of one document and the
// incident it is about, whose places win over the drawn ones. Every call
// consumes the same amount of randomness, which keeps generation stable;
// the incident comes from a source of its own.
func (s *Site) slots(tp *topic, at time.Time) (*strings.Replacer, string, string) {
	n := func(lo, hi int) string { return strconv.Itoa(lo + s.rng.IntN(hi-lo+1)) }
	road := pick(s, roads)
	road2 := pick(s, roads)
	if road2 == road {
		road2 = roads[(slices.Index(roads, road)+1)%len(roads)]
	}
	thanked := pick(s, thankedDept)
	dept := tp.dept
	if dept == "{thanked}" {
		dept = thanked
	}
	pairs := []string{
		"{district}", pick(s, districts), "{road}", road, "{road2}", road2,
		"{community}", pick(s, communities), "{school}", pick(s, schools),
		"{hospital}", pick(s, hospitals), "{pm}", pick(s, managers),
		"{factory}", pick(s, factories), "{employer}", pick(s, employers),
		"{bus}", pick(s, busLines), "{thanked}", thanked, "{dept}", dept,
		"{n}", n(2, 9), "{months}", n(2, 11), "{days}", n(3, 20),
		"{money}", strconv.Itoa(100 * (30 + s.rng.IntN(570))),
		"{price}", strconv.Itoa(100 * (32 + s.rng.IntN(66))),
		"{area}", n(55, 140), "{rent}", strconv.Itoa(100 * (8 + s.rng.IntN(13))),
		"{hour}", n(10, 11), "{late}", n(1, 3), "{db}", n(58, 85), "{floor}", n(6, 28),
		"{spaces}", n(30, 120), "{households}", n(200, 900), "{fee}", n(3, 8),
		"{buyyear}", strconv.Itoa(at.Year() - 1 - s.rng.IntN(6)), "{over}", n(30, 200),
		"{minutes}", n(20, 50), "{hours}", n(3, 6), "{workers}", n(8, 60),
		"{temp}", n(12, 16), "{walk}", n(15, 30),
		"{date}", fmt.Sprintf("%d月%d日", at.Month(), at.Day()),
	}
	incs := s.incidents[tp]
	inc := incs[s.eventRng.IntN(len(incs))]
	return strings.NewReplacer(incidentPairs(inc, pairs)...), dept, inc.event
}

// handle picks a poster other than not.
func (s *Site) handle(not string) string {
	for {
		if h := pick(s, handles); h != not {
			return h
		}
	}
}

func (s *Site) takePID() int {
	s.nextPID += 1 + s.rng.IntN(2)
	return s.nextPID
}

func pick(s *Site, xs []string) string { return xs[s.rng.IntN(len(xs))] }

// pickN picks n distinct items in their template order.
func (s *Site) pickN(xs []string, n int) []string {
	idx := s.rng.Perm(len(xs))[:min(n, len(xs))]
	slices.Sort(idx)
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

const announcement = "欢迎来到临江论坛！本论坛是市民交流、反映民生诉求的网络平台。\n" +
	"发帖请遵守国家法律法规，文明发言，不得发布谣言、广告及他人隐私信息。\n" +
	"涉及政府部门办理的诉求，也可以通过市长信箱或12345热线反映。\n" +
	"违反版规的帖子将被删除，情节严重的将被禁言。"
