package pipeline

import (
	"context"
	"slices"
	"sync"
	"time"

	"minyi"
	"minyi/analysis/event"
)

// maxTitles bounds the titles an event keeps in memory for its label: a
// label read from two dozen titles reads as one from two hundred.
const maxTitles = 24

// labelNames is how many sites, regions and crowds a label names.
const labelNames = 3

// events is the Analyzer's event clusterer (analysis/event) and what the
// labels of its active events are made from. The author of a document is
// never passed to it: events gather issues, not people.
type events struct {
	x    *event.Extractor
	opts event.Options

	mu sync.Mutex // serialises batches, so a batch's events are its own
	c  *event.Clusterer
	// titles are the normalized titles of each active event (its first and
	// latest ones), by the clusterer's id.
	titles map[string][]string
	// alias maps an event the rebuild started to the stored event of its
	// first document, which may have joined an event whose first document is
	// older than the rebuild reaches.
	alias map[string]string
}

func newEvents(opts event.Options, dict *event.Dictionary) *events {
	return &events{x: event.NewExtractor(dict), opts: opts, c: event.New(opts),
		titles: map[string][]string{}, alias: map[string]string{}}
}

func (e *events) forget() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.c = event.New(e.opts)
	clear(e.titles)
	clear(e.alias)
}

// eventInput is what the parallel part of Analyze gives the clusterer.
type eventInput struct {
	features event.Features
	title    string // normalized
}

// assign puts each document of a batch in its event, in order (of
// publication), and gives every result its event by the batch's end: a
// document whose event a later one of the batch absorbed names the
// survivor. The last document of each event in the batch carries its label.
// A document that already has an event keeps it: Analyze after a retry or
// a redelivery changes nothing, and the clusterer saw the document when it
// was first assigned (or when the rebuild replayed it).
func (e *events) assign(docs []minyi.Document, in []eventInput, order []int, out []minyi.DocumentAnalysis) {
	e.mu.Lock()
	defer e.mu.Unlock()
	internal := make([]string, len(docs))
	into := map[string]string{} // absorbed → survivor, within the batch
	for _, i := range order {
		d := &docs[i]
		if d.Analysis != nil && d.Analysis.Event != "" {
			out[i].Analysis.Event = d.Analysis.Event
			continue
		}
		a := e.add(d, in[i])
		internal[i] = a.Event
		for _, x := range a.Absorbed {
			into[x] = a.Event
			out[i].Absorbed = append(out[i].Absorbed, e.external(x))
		}
	}
	final := func(id string) string {
		for {
			next, ok := into[id]
			if !ok {
				return id
			}
			id = next
		}
	}
	last := map[string]int{}
	for _, i := range order {
		if internal[i] == "" {
			continue
		}
		f := final(internal[i])
		out[i].Analysis.Event = e.external(f)
		out[i].Absorbed = without(out[i].Absorbed, out[i].Analysis.Event)
		last[f] = i
	}
	for f, i := range last {
		out[i].Label = e.label(f)
	}
	if len(e.titles) > 2*e.c.Active()+1024 {
		for id := range e.titles {
			if _, ok := e.c.Event(id); !ok {
				delete(e.titles, id)
				delete(e.alias, id)
			}
		}
	}
}

// add assigns one document and keeps its title; e.mu is held.
func (e *events) add(d *minyi.Document, in eventInput) event.Assignment {
	a := e.c.Assign(event.Doc{ID: d.ID, Source: d.Source, Published: d.Published, Features: in.features})
	for _, x := range a.Absorbed {
		e.titles[a.Event] = appendTitles(e.titles[a.Event], e.titles[x]...)
		delete(e.titles, x)
	}
	e.titles[a.Event] = appendTitles(e.titles[a.Event], in.title)
	return a
}

// appendTitles keeps the first half of maxTitles and the latest others.
func appendTitles(list []string, titles ...string) []string {
	list = append(list, titles...)
	if n := len(list); n > maxTitles {
		keep := maxTitles / 2
		list = append(list[:keep], list[n-(maxTitles-keep):]...)
	}
	return list
}

func without(ids []string, id string) []string {
	out := ids[:0]
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (e *events) external(id string) string {
	if s, ok := e.alias[id]; ok {
		return s
	}
	return id
}

// label is how event id reads now: a title generated from its titles,
// where and who.
func (e *events) label(id string) *minyi.EventLabel {
	s := event.Summarize(e.titles[id], e.x, e.c.IDF)
	l := &minyi.EventLabel{Title: s.Title, Sites: s.Sites, Regions: s.Regions, Crowds: s.Crowds}
	if ev, ok := e.c.Event(id); ok {
		if len(l.Sites) == 0 {
			l.Sites = topNames(ev.Sites)
		}
		if len(l.Regions) == 0 {
			l.Regions = topNames(ev.Regions)
		}
		if len(l.Crowds) == 0 {
			l.Crowds = topNames(ev.Crowds)
		}
	}
	if l.Title == "" && len(e.titles[id]) > 0 {
		l.Title = e.titles[id][0]
	}
	return l
}

func topNames(cs []event.Count) []string {
	var out []string
	for _, c := range cs[:min(labelNames, len(cs))] {
		out = append(out, c.Name)
	}
	return out
}

// inputs normalizes stored documents and extracts their features, on
// every core.
func (e *events) inputs(docs []minyi.Document) []eventInput {
	in := make([]eventInput, len(docs))
	eachParallel(len(docs), func(i int) {
		title := Normalize(docs[i].Title)
		in[i] = eventInput{features: e.x.Features(title, Normalize(docs[i].Body)), title: title}
	})
	return in
}

// replayPage is how many documents the rebuild reads at a time.
const replayPage = 1000

// replay rebuilds the clusterer from the stored documents published since,
// in order of publication, as they were first assigned: the same documents
// in the same order give the same events. Documents without an event yet
// are left to Analyze. It returns how many documents it replayed.
func (e *events) replay(ctx context.Context, h History, since time.Time) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var after minyi.PublishedKey
	n := 0
	for {
		page, err := h.ScanPublished(ctx, since, after, replayPage)
		if err != nil || len(page) == 0 {
			return n, err
		}
		after = minyi.PublishedKey{Published: page[len(page)-1].Published, ID: page[len(page)-1].ID}
		page = slices.DeleteFunc(page, func(d minyi.Document) bool { return d.Analysis == nil || d.Analysis.Event == "" })
		in := e.inputs(page)
		for i := range page {
			d := &page[i]
			a := e.add(d, in[i])
			if a.New && a.Event != d.Analysis.Event {
				e.alias[a.Event] = d.Analysis.Event
			}
			n++
		}
	}
}

// RebuildEvents assigns every analysed document of store its event again
// from the first, in order of publication, with a clusterer of opts: the
// events of minyi reindex. It forgets the stored events first; documents
// not analysed yet get theirs when they are. It returns how many documents
// it assigned. The server must be stopped (its analyzer would keep the old
// events in memory).
func RebuildEvents(ctx context.Context, store minyi.AnalysisStore, opts Options, batch int) (int, error) {
	if err := store.ClearEvents(ctx); err != nil {
		return 0, err
	}
	e := newEvents(opts.Events, opts.EventDictionary)
	var after minyi.PublishedKey
	n := 0
	for {
		page, err := store.ScanPublished(ctx, time.Time{}, after, batch)
		if err != nil || len(page) == 0 {
			return n, err
		}
		after = minyi.PublishedKey{Published: page[len(page)-1].Published, ID: page[len(page)-1].ID}
		docs := slices.DeleteFunc(page, func(d minyi.Document) bool { return d.Analysis == nil })
		in := e.inputs(docs)
		out := make([]minyi.DocumentAnalysis, len(docs))
		order := make([]int, len(docs))
		for i := range docs {
			docs[i].Analysis.Event = "" // cleared: assign anew
			out[i] = minyi.DocumentAnalysis{ID: docs[i].ID, Analysis: *docs[i].Analysis}
			order[i] = i // ScanPublished's order is publication order
		}
		e.assign(docs, in, order, out)
		if err := store.PutAnalyses(ctx, out); err != nil {
			return n, err
		}
		n += len(docs)
	}
}
