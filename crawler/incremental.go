package crawler

import (
	"fmt"
	"time"

	"minyi"
)

// This file is the crawl's bookkeeping: which pages are new, which documents
// changed, what the sink and the state store get, and the running totals.
//
// Order matters for "nothing lost": a document's PageState is saved only
// after the sink accepted the batch holding it. If the sink fails or the crawl
// is cancelled first, the next crawl finds the old state and emits the
// document again.

// enqueue queues start tasks (depth 0).
func (cr *crawl) enqueue(ts []task) []bool {
	cr.lookupStates(ts)
	ok := make([]bool, len(ts))
	for i, t := range ts {
		ok[i] = cr.frontier.add(t)
	}
	return ok
}

// follow queues links found on the page of from, one level deeper, and
// reports which were accepted (not seen before, not too deep, within MaxPages).
func (cr *crawl) follow(from task, ts ...task) []bool {
	for i := range ts {
		ts[i].depth = from.depth + 1
	}
	return cr.enqueue(ts)
}

// lookupStates loads the stored states of the documents behind ts in one
// call, before any of them can be fetched.
func (cr *crawl) lookupStates(ts []task) {
	if cr.states == nil {
		return
	}
	var urls []string
	cr.mu.Lock()
	for _, t := range ts {
		if u := cr.stateURL(t); u != "" && !cr.looked[u] {
			cr.looked[u] = true
			urls = append(urls, u)
		}
	}
	cr.mu.Unlock()
	if len(urls) == 0 {
		return
	}
	got, err := cr.states.PageStates(cr.ctx, urls)
	if err != nil {
		// Without states every page is fetched and compared afresh: slower, not wrong.
		cr.pageError(urls[0], fmt.Errorf("loading page states for %d URLs: %w", len(urls), err))
		return
	}
	cr.mu.Lock()
	for u, st := range got {
		cr.known[u] = st
	}
	cr.mu.Unlock()
}

// stateURL is the URL whose stored state makes t's request conditional:
// the document's, or the list page's own when the crawl follows changed
// lists only; "" for an unconditional request.
func (cr *crawl) stateURL(t task) string {
	if t.docURL == "" && t.role == roleList && cr.src.ChangedListsOnly {
		return t.url
	}
	return t.docURL
}

// listFetched keeps a list page's validators, to be saved when the crawl
// ends having gone through everything it links to.
func (cr *crawl) listFetched(t task, pg *page) {
	if pg.valid.etag == "" && pg.valid.lastModified == "" {
		return
	}
	cr.outMu.Lock()
	cr.lists = append(cr.lists, minyi.PageState{URL: t.url, ETag: pg.valid.etag, LastModified: pg.valid.lastModified, Fetched: pg.fetched})
	cr.outMu.Unlock()
}

// saveListStates saves the list pages' validators after a crawl without a
// failed page and without a page refused for depth or budget: a later
// crawl that skips a list the site answers 304 then misses nothing. After
// any failure the lists are fetched in full next time, and whatever failed
// is tried again.
func (cr *crawl) saveListStates() {
	if cr.states == nil || cr.ctx.Err() != nil || cr.snapshot().Errors > 0 || !cr.frontier.complete() {
		return
	}
	cr.outMu.Lock()
	defer cr.outMu.Unlock()
	cr.toSave = append(cr.toSave, cr.lists...)
	cr.lists = nil
	cr.flushStatesLocked()
}

func (cr *crawl) storedState(url string) minyi.PageState {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	return cr.known[url]
}

// emit takes a finished document from an adapter. The adapter sets URL
// (canonical), ExternalID, Fetched and the content; a time it could not parse
// is left zero, and becomes the fetch time here.
func (cr *crawl) emit(d minyi.Document, v validators) {
	d.Source = cr.src.Name
	d.ID = minyi.DocumentID(cr.src.Name, d.ExternalID)
	// Hashed before fallback times are filled in: the fetch time changes every
	// crawl, and a page whose date we cannot read has not changed because of it.
	stateHash := d.Hash()
	fillTimes(&d)
	d.ContentHash = d.Hash()
	if err := d.Validate(); err != nil {
		cr.pageError(d.URL, fmt.Errorf("document dropped: %s", errText(err)))
		return
	}
	state := minyi.PageState{URL: d.URL, ETag: v.etag, LastModified: v.lastModified, ContentHash: stateHash, Fetched: d.Fetched}

	cr.mu.Lock()
	cr.run.Items++
	unchanged := cr.known[d.URL].ContentHash == stateHash
	if !unchanged {
		cr.run.NewItems++
	}
	cr.mu.Unlock()

	cr.outMu.Lock()
	defer cr.outMu.Unlock()
	if unchanged {
		cr.toSave = append(cr.toSave, state)
	} else {
		cr.docs = append(cr.docs, d)
		cr.docState = append(cr.docState, state)
	}
	if len(cr.docs) >= cr.opts.BatchSize {
		cr.flushDocsLocked()
	}
	if len(cr.toSave) >= cr.opts.BatchSize {
		cr.flushStatesLocked()
	}
}

func fillTimes(d *minyi.Document) {
	if d.Published.IsZero() {
		d.Published = d.Fetched
	}
	for i := range d.Comments {
		if d.Comments[i].Published.IsZero() {
			d.Comments[i].Published = d.Fetched
		}
	}
	if d.Reply != nil && d.Reply.Published.IsZero() {
		d.Reply.Published = d.Fetched
	}
}

// notModified records a 304: the document is as stored, only the fetch time moves.
func (cr *crawl) notModified(t task) {
	cr.mu.Lock()
	cr.run.PagesNotModified++
	st := cr.known[t.docURL]
	cr.mu.Unlock()
	if t.docURL == "" {
		return
	}
	st.URL = t.docURL
	st.Fetched = cr.opts.Now()
	cr.outMu.Lock()
	cr.toSave = append(cr.toSave, st)
	if len(cr.toSave) >= cr.opts.BatchSize {
		cr.flushStatesLocked()
	}
	cr.outMu.Unlock()
}

func (cr *crawl) flushAll() {
	cr.outMu.Lock()
	defer cr.outMu.Unlock()
	cr.flushDocsLocked()
	cr.flushStatesLocked()
}

func (cr *crawl) flushDocsLocked() {
	if len(cr.docs) == 0 || cr.ctx.Err() != nil {
		return
	}
	if err := cr.sink.Documents(cr.ctx, cr.docs); err != nil {
		cr.cancel(fmt.Errorf("sink rejected a batch of %d documents: %w", len(cr.docs), err))
		return
	}
	cr.toSave = append(cr.toSave, cr.docState...)
	cr.docs, cr.docState = nil, nil
}

func (cr *crawl) flushStatesLocked() {
	if len(cr.toSave) == 0 || cr.states == nil || cr.ctx.Err() != nil {
		cr.toSave = nil
		return
	}
	if err := cr.states.PutPageStates(cr.ctx, cr.toSave); err != nil {
		// Lost states only cost a re-fetch and a re-emitted document next time.
		cr.pageError(cr.toSave[0].URL, fmt.Errorf("saving %d page states: %w", len(cr.toSave), err))
	}
	cr.toSave = nil
}

// pageError counts a failure that costs one page or document, not the crawl.
func (cr *crawl) pageError(url string, err error) {
	msg := clip(fmt.Sprintf("%s: %s", url, errText(err)), 500)
	cr.mu.Lock()
	cr.run.Errors++
	cr.run.LastError = msg
	if cr.starts[url] {
		cr.failedStarts[url] = true
	}
	cr.mu.Unlock()
	cr.log.Warn("crawl error", "url", url, "error", errText(err))
}

func (cr *crawl) count(f func(*minyi.CrawlRun)) {
	cr.mu.Lock()
	f(&cr.run)
	cr.mu.Unlock()
}

func (cr *crawl) snapshot() minyi.CrawlRun {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	return cr.run
}

// progress reports totals after a page; serialised so totals never go backwards.
func (cr *crawl) progress() {
	cr.progMu.Lock()
	defer cr.progMu.Unlock()
	if cr.ctx.Err() != nil {
		return
	}
	cr.sink.Progress(cr.ctx, cr.snapshot())
}

// now is the crawl clock, for adapters.
func (cr *crawl) now() time.Time { return cr.opts.Now() }
