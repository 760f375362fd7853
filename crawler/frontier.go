package crawler

import "sync"

// role says what a page is for: list pages are always fetched because they
// are where new posts show up; detail pages hold documents and are fetched
// conditionally.
type role int

const (
	roleList role = iota
	roleDetail
)

// task is one page to fetch.
type task struct {
	url   string // canonical URL
	depth int    // links followed from a start URL
	role  role
	// docURL is set on the page that identifies a document (a thread's first
	// page, a letter's page): it gets a conditional GET from its PageState.
	docURL string
	note   any // the adapter's own bookkeeping: board name, thread id, page number
}

// frontier is the queue of pages still to fetch. It counts pages itself
// (MaxPages) and refuses anything seen before or too deep, which is what ends
// a crawler trap such as an endless calendar.
//
// Workers take tasks one at a time; the queue lives here rather than as
// goroutines parked inside colly, so cancelling a crawl leaves at most one
// request per worker to unwind.
type frontier struct {
	mu       sync.Mutex
	cond     *sync.Cond
	queue    []task
	seen     map[string]bool
	budget   int // pages that may still be requested
	maxDepth int
	inflight int
	stopped  bool
	// cut is set when a page was refused for depth or budget: the crawl
	// did not go through everything its list pages link to.
	cut bool
}

func newFrontier(maxPages, maxDepth int) *frontier {
	f := &frontier{seen: map[string]bool{}, budget: maxPages, maxDepth: maxDepth}
	f.cond = sync.NewCond(&f.mu)
	return f
}

// add queues t unless it was seen, is deeper than allowed or the page budget
// is spent; it reports whether t was queued.
func (f *frontier) add(t task) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped || f.seen[t.url] {
		return false
	}
	if t.depth > f.maxDepth || f.budget <= 0 {
		f.cut = true
		return false
	}
	f.seen[t.url] = true
	f.budget--
	f.queue = append(f.queue, t)
	f.cond.Signal()
	return true
}

// next blocks until there is a task, and reports false once the queue is
// empty with nothing in flight (no task can appear any more) or on stop.
func (f *frontier) next() (task, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(f.queue) == 0 && f.inflight > 0 && !f.stopped {
		f.cond.Wait()
	}
	if f.stopped || len(f.queue) == 0 {
		f.cond.Broadcast() // wake the other workers so they see the end too
		return task{}, false
	}
	t := f.queue[0]
	f.queue[0] = task{}
	f.queue = f.queue[1:]
	f.inflight++
	return t, true
}

// done marks a task taken by next as finished, after every link it produced was added.
func (f *frontier) done() {
	f.mu.Lock()
	f.inflight--
	f.cond.Broadcast()
	f.mu.Unlock()
}

// refund gives back the page budget of a task that was never requested
// (robots.txt forbade it).
func (f *frontier) refund() {
	f.mu.Lock()
	f.budget++
	f.mu.Unlock()
}

func (f *frontier) stop() {
	f.mu.Lock()
	f.stopped = true
	f.cond.Broadcast()
	f.mu.Unlock()
}

// complete reports whether no page was refused for depth or budget.
func (f *frontier) complete() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return !f.cut
}
