// Package demosite is minyi's bundled demo city web site: a Discuz! X3.4
// style city forum (GBK encoded, like most real ones) and a 市长信箱 (mayor
// mailbox). A newcomer running `minyi serve` crawls it and sees data arrive;
// integration tests crawl it as a real local web site and compare what the
// crawler extracted with the ground truth from Threads and Letters.
//
// All content is generated from templates with a seeded random source, so
// one Seed and Start always give the same site.
package demosite

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"minyi"
)

// Options configure a demo site. Zero values pick the defaults; a negative
// Threads or Letters means none.
type Options struct {
	Seed           int64
	Threads        int       // initial forum threads, default 60
	Letters        int       // initial mailbox letters, default 40
	ThreadsPerPage int       // forum board list page size, default 20
	LettersPerPage int       // mailbox list page size, default 15
	Start          time.Time // time of the oldest post; default 30 days before now
	Now            func() time.Time
}

// Thread is the ground truth of one forum thread. Body and Reply.Body are the
// plain text a reader sees, lines separated by "\n"; a reply that quotes the
// first post shows the quote above its Body, but the quote is not part of it.
type Thread struct {
	TID         int
	Board       string
	Title       string
	Author      string
	Published   time.Time
	Body        string
	Replies     []Reply
	Traditional bool   // title and first post are written in traditional characters
	RepostOf    int    // 0, or the tid of the thread this one reposts with small edits
	Event       string // the incident it is about (noise-1); "" for none
	Category    string // first-level category of the official taxonomy; "" for none
	// Likes and Dislikes are the thread's 支持 and 反对.
	Likes, Dislikes int
}

// Reply is a post after the first one in a thread.
type Reply struct {
	Author    string
	Published time.Time
	Body      string
}

// Letter is the ground truth of one mailbox letter. Body and ReplyText hold
// one paragraph per line.
type Letter struct {
	No        string
	Event     string // the incident it is about (noise-1)
	Category  string // first-level category of the official taxonomy
	Title     string
	Type      string // 咨询/求助/建议/投诉/举报
	Published time.Time
	Body      string
	Status    string // 已受理, 办理中 or 已回复
	ReplyUnit string
	ReplyText string
	ReplyTime time.Time // zero when unanswered
	// Likes and Dislikes are readers' 点赞 and 反对 on the letter.
	Likes, Dislikes int
}

// span is how much time the initial content covers, counted from Start. It
// is fixed rather than derived from Now so that a seed and a start give the
// same site whenever it is built.
const span = 30 * 24 * time.Hour

// Site is a running demo site. Its methods are safe for concurrent use.
type Site struct {
	opts Options
	now  func() time.Time

	mu       sync.RWMutex
	rng      *rand.Rand
	threads  []*thread // ascending tid
	byTID    map[int]*thread
	letters  []*Letter // ascending number
	byNo     map[string]*Letter
	pending  map[string][2]string // letter number -> reply unit and text Grow will publish
	nextTID  int
	nextPID  int
	nextSeq  int
	announce *thread // the global sticky thread; not part of Threads()

	incidents map[*topic][]incident
	eventRng  *rand.Rand // picks a document's incident; apart from rng so content stays as it was
}

// New builds a site with its initial threads and letters.
func New(opts Options) *Site {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Threads = defaultCount(opts.Threads, 60)
	opts.Letters = defaultCount(opts.Letters, 40)
	if opts.ThreadsPerPage <= 0 {
		opts.ThreadsPerPage = 20
	}
	if opts.LettersPerPage <= 0 {
		opts.LettersPerPage = 15
	}
	if opts.Start.IsZero() {
		opts.Start = opts.Now().Add(-span)
	}
	opts.Start = opts.Start.In(minyi.ChinaTime).Truncate(time.Second)
	s := &Site{
		opts:    opts,
		now:     func() time.Time { return opts.Now().In(minyi.ChinaTime) },
		rng:     rand.New(rand.NewPCG(uint64(opts.Seed), 0x6d696e7969)), // "minyi"
		byTID:   map[int]*thread{},
		byNo:    map[string]*Letter{},
		pending: map[string][2]string{},

		incidents: newIncidents(opts.Seed),
		eventRng:  rand.New(rand.NewPCG(uint64(opts.Seed), 0x696e636964)), // "incid"
	}
	s.populate()
	return s
}

func defaultCount(n, def int) int {
	switch {
	case n < 0:
		return 0
	case n == 0:
		return def
	}
	return n
}

// Handler serves the forum at /forum.php (and Discuz's rewritten
// /thread-TID-PAGE-1.html), the mailbox under /mailbox/, /robots.txt, and a
// 403 under /admin/ that a polite crawler never sees.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveHome)
	mux.HandleFunc("GET /robots.txt", serveRobots)
	mux.HandleFunc("/admin/", s.serveAdmin)
	mux.HandleFunc("GET /home.php", s.serveHomePHP)
	mux.HandleFunc("GET /forum.php", s.serveForum)
	mux.HandleFunc("GET /mailbox/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/mailbox/list?page=1", http.StatusFound)
	})
	mux.HandleFunc("GET /mailbox/list", s.serveLetterList)
	mux.HandleFunc("GET /mailbox/letter/{no}", s.serveLetter)
	mux.HandleFunc("/", s.serveRewritten)
	return mux
}

// Grow publishes new threads and letters at the current time, newest first
// on the list pages. When threads are added a few recent threads also get a
// new reply; when letters are added some pending letters get answered, so a
// crawler sees both new documents and updates to known ones.
func (s *Site) Grow(threads, letters int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for range threads {
		s.addThread(now.Truncate(time.Second), now)
	}
	if threads > 0 {
		s.bumpThreads(1+s.rng.IntN(2), threads, now.Truncate(time.Second))
	}
	for range letters {
		s.addLetter(now.Truncate(time.Second), now)
		if s.rng.IntN(2) == 0 {
			s.answerOldestPending(now.Truncate(time.Second))
		}
	}
}

// Run grows the site by one thread and one letter every interval until ctx
// is done, so that new posts keep appearing.
func (s *Site) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.Grow(1, 1)
			slog.Debug("demo site grew", "threads", s.threadCount(), "letters", s.letterCount())
		}
	}
}

// Threads returns a copy of every forum thread, ascending by tid. The global
// sticky announcement (tid 1, the stickthread_1 row on each board's first
// page) is site boilerplate and not part of it.
func (s *Site) Threads() []Thread {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Thread, len(s.threads))
	for i, t := range s.threads {
		out[i] = t.public()
	}
	return out
}

// Letters returns a copy of every mailbox letter, ascending by number.
func (s *Site) Letters() []Letter {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Letter, len(s.letters))
	for i, l := range s.letters {
		out[i] = *l
	}
	return out
}

func (s *Site) threadCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.threads)
}

func (s *Site) letterCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.letters)
}

// ForumSource is the crawler configuration for the demo forum at baseURL.
func ForumSource(baseURL string) minyi.Source {
	return minyi.Source{
		Name:      "demo-forum",
		Kind:      minyi.SourceDiscuz,
		StartURLs: []string{trimBase(baseURL) + "/forum.php"},
		Interval:  time.Minute,
		// The list pages answer 304 until something is posted: polling
		// them is cheap, and crawls start seconds after a post appears.
		PollInterval: 5 * time.Second,
		RateLimit:    50,
		Parallelism:  4,
	}
}

// MailboxSource is the crawler configuration for the demo mailbox at baseURL.
func MailboxSource(baseURL string) minyi.Source {
	return minyi.Source{
		Name:      "demo-mailbox",
		Kind:      minyi.SourceMailbox,
		StartURLs: []string{trimBase(baseURL) + "/mailbox/list?page=1"},
		Interval:  time.Minute,
		// The list pages answer 304 until something is posted: polling
		// them is cheap, and crawls start seconds after a post appears.
		PollInterval: 5 * time.Second,
		RateLimit:    50,
		Parallelism:  4,
		Selectors: &minyi.MailboxSelectors{
			DetailLink: "ul.letter-list li a.letter-link",
			NextPage:   "div.pager a.next",
			ID:         "span.letter-no",
			Title:      "h2.letter-title",
			Body:       "div.letter-body",
			Time:       "span.letter-time",
			Type:       "span.letter-type",
			Status:     "span.letter-status",
			ReplyUnit:  "span.reply-unit",
			ReplyText:  "div.reply-text",
			ReplyTime:  "span.reply-time",
			Likes:      "span.letter-likes",
			Dislikes:   "span.letter-dislikes",
		},
	}
}

func trimBase(u string) string {
	for len(u) > 0 && u[len(u)-1] == '/' {
		u = u[:len(u)-1]
	}
	return u
}
