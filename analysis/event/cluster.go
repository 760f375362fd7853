package event

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Options tune a Clusterer. Zero fields take the defaults, which cmd/eval
// measured (see DefaultOptions).
type Options struct {
	// Threshold is the similarity a document needs to join an event when
	// no site decides: one of them names none.
	Threshold float64
	// SiteThreshold is the similarity needed when they share a site.
	SiteThreshold float64
	// MergeThreshold is the similarity of two events' centroids at which
	// a document that qualifies for both merges them.
	MergeThreshold float64
	// HalfLife halves the similarity to an event for every HalfLife since
	// its nearest document in time.
	HalfLife time.Duration
	// Horizon closes an event with no document for this long: it takes no
	// more documents and leaves memory. This is what bounds memory.
	Horizon time.Duration
	// DocTerms is how many of a document's heaviest terms it contributes
	// to its event; CentroidTerms how many an event keeps.
	DocTerms, CentroidTerms int
}

// DefaultOptions are the measured defaults.
func DefaultOptions() Options {
	return Options{
		Threshold:      0.20,
		SiteThreshold:  0.10,
		MergeThreshold: 0.10,
		HalfLife:       60 * 24 * time.Hour,
		Horizon:        120 * 24 * time.Hour,
		DocTerms:       48,
		CentroidTerms:  96,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Threshold == 0 {
		o.Threshold = d.Threshold
	}
	if o.SiteThreshold == 0 {
		o.SiteThreshold = d.SiteThreshold
	}
	if o.MergeThreshold == 0 {
		o.MergeThreshold = d.MergeThreshold
	}
	if o.HalfLife == 0 {
		o.HalfLife = d.HalfLife
	}
	if o.Horizon == 0 {
		o.Horizon = d.Horizon
	}
	if o.DocTerms == 0 {
		o.DocTerms = d.DocTerms
	}
	if o.CentroidTerms == 0 {
		o.CentroidTerms = d.CentroidTerms
	}
	return o
}

// Doc is a document as the clusterer sees it. The author is deliberately
// absent: events gather issues, not people.
type Doc struct {
	ID        string
	Source    string
	Published time.Time
	Features
}

// Assignment is the event a document joined.
type Assignment struct {
	Event string `json:"event"`
	New   bool   `json:"new,omitempty"` // the document started the event
	// Absorbed are events this document showed to be Event too: they no
	// longer exist, and the caller moves their documents to Event.
	Absorbed []string `json:"absorbed,omitempty"`
	Score    float64  `json:"score"` // similarity to the event joined; 0 for a new one
}

// Assigner is what the ingest pipeline calls for every document, in order
// of publication.
type Assigner interface {
	Assign(Doc) Assignment
}

// lookupTerms is how many of a document's heaviest terms find candidate
// events, and maxIndexed how many terms an event is listed under.
const (
	lookupTerms = 12
	maxIndexed  = 48
)

// Clusterer groups documents into events in one pass. Given the same
// documents in the same order it makes the same events with the same ids,
// so its state is rebuilt by replaying documents in order of publication.
// It is safe for concurrent use; Assign calls are serialised.
type Clusterer struct {
	opts Options

	mu      sync.Mutex
	df      *docFreq
	nextSeq int64
	events  map[int64]*event
	byID    map[string]int64
	terms   map[uint64][]int64 // term → events listed under it
	sites   map[string][]int64 // last three characters of a site → events
	now     time.Time          // latest publication time seen
	swept   time.Time
}

// New returns an empty Clusterer.
func New(opts Options) *Clusterer {
	return &Clusterer{
		opts:   opts.withDefaults(),
		df:     newDocFreq(),
		events: map[int64]*event{},
		byID:   map[string]int64{},
		terms:  map[uint64][]int64{},
		sites:  map[string][]int64{},
	}
}

// Options returns the options in force, defaults filled in.
func (c *Clusterer) Options() Options { return c.opts }

// Assign puts d into an event: the most similar active event it qualifies
// for, else a new one with d's id.
func (c *Clusterer) Assign(d Doc) Assignment {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d.Published.After(c.now) {
		c.now = d.Published
	}
	c.sweep()
	c.df.add(d.Terms)
	// A document is its heaviest terms, at unit length: a long body's
	// many incidental words neither dilute its similarity nor give it
	// more say in its event than a short letter has.
	vec := unit(top(c.weigh(d.Terms), c.opts.DocTerms))
	vnorm := norm(vec)
	contrib := vec

	type match struct {
		e     *event
		score float64
	}
	var passing []match
	for _, seq := range c.candidates(vec, append(slices.Clip(d.Sites), d.BodySites...)) {
		e := c.events[seq]
		if regionsConflict(d.TitleRegions, e.titleRegions) {
			continue // titles in different districts or towns
		}
		var shared bool
		if len(d.Sites) > 0 && len(e.sites) > 0 {
			if shared = e.hasSite(d.Sites); !shared {
				// Both titles say where, and not the same place: another
				// event, unless the bodies tie the two places together
				// (the plant at the road beside the estate).
				if !(anySame(d.BodySites, e.sites) || anySame(d.Sites, e.bodySites)) {
					continue
				}
			}
		} else {
			// Where a title is silent, a body naming the event's place
			// is weaker evidence, and still evidence.
			shared = anySame(d.Sites, e.bodySites) || anySame(d.BodySites, e.sites) || anySame(d.BodySites, e.bodySites)
			// A body that names places, none of them the event's, where
			// the event's titles name one, is about somewhere else.
			if !shared && len(d.Sites) == 0 && len(d.BodySites) > 0 && len(e.sites) > 0 {
				continue
			}
			// And the other way round: a title naming a place that none
			// of the event's bodies name, where its titles name none.
			if !shared && len(d.Sites) > 0 && len(e.sites) == 0 && len(e.bodySites) > 0 {
				continue
			}
			// So is a body naming only other districts or towns than the
			// event's titles, where its own title names none.
			if !shared && len(d.TitleRegions) == 0 && regionsConflict(d.Regions, e.titleRegions) {
				continue
			}
		}
		score := cosine(vec, vnorm, e.centroid, e.norm) * c.decay(d.Published, e)
		threshold := c.opts.Threshold
		if shared {
			threshold = c.opts.SiteThreshold
		}
		if score >= threshold {
			passing = append(passing, match{e, score})
		}
	}
	if len(passing) == 0 {
		e := c.newEvent(d.ID)
		c.join(e, d, contrib)
		return Assignment{Event: e.id, New: true}
	}
	best := passing[0]
	for _, m := range passing[1:] {
		if m.score > best.score {
			best = m
		}
	}
	// Events the document bridges merge when they are alike themselves:
	// one document between two unlike events is not enough to chain them.
	group := []*event{best.e}
	for _, m := range passing {
		if m.e == best.e || !c.alike(best.e, m.e) {
			continue
		}
		group = append(group, m.e)
	}
	slices.SortFunc(group, func(a, b *event) int { return int(a.seq - b.seq) })
	survivor := group[0]
	var absorbed []string
	for _, e := range group[1:] {
		c.merge(survivor, e)
		absorbed = append(absorbed, e.id)
	}
	c.join(survivor, d, contrib)
	return Assignment{Event: survivor.id, Absorbed: absorbed, Score: best.score}
}

// weigh turns counts into a tf-idf vector: sublinear in the count, so a
// body repeating a word does not outweigh the title naming it once.
func (c *Clusterer) weigh(terms []Term) []Term {
	out := make([]Term, len(terms))
	for i, t := range terms {
		w := (1 + math.Log(float64(t.Weight))) * c.df.idf(t.Hash)
		out[i] = Term{t.Hash, float32(w)}
	}
	return out
}

// decay is 1 for a document within the event's time span and halves every
// HalfLife away from it.
func (c *Clusterer) decay(t time.Time, e *event) float64 {
	var gap time.Duration
	switch {
	case t.After(e.last):
		gap = t.Sub(e.last)
	case t.Before(e.first):
		gap = e.first.Sub(t)
	}
	return math.Exp2(-float64(gap) / float64(c.opts.HalfLife))
}

func (c *Clusterer) alike(a, b *event) bool {
	if regionsConflict(names(a.titleRegions), b.titleRegions) {
		return false
	}
	// Titles at different places, as in Assign: unless a body of one
	// ties its place to the other's.
	if len(a.sites) > 0 && len(b.sites) > 0 && !a.hasSite(b.siteNames()) &&
		!anySame(names(a.bodySites), b.sites) && !anySame(names(b.bodySites), a.sites) {
		return false
	}
	return cosine(a.centroid, a.norm, b.centroid, b.norm) >= c.opts.MergeThreshold
}

// candidates are the active events listed under the document's heaviest
// terms or sharing a site's last three characters, in order of creation.
func (c *Clusterer) candidates(vec []Term, sites []string) []int64 {
	seen := map[int64]bool{}
	var out []int64
	collect := func(list []int64) {
		for _, seq := range list {
			e, ok := c.events[seq]
			if !ok || seen[seq] || !c.active(e) {
				continue
			}
			seen[seq] = true
			out = append(out, seq)
		}
	}
	for _, t := range top(vec, lookupTerms) {
		collect(c.terms[t.Hash])
	}
	for _, s := range sites {
		collect(c.sites[siteKey(s)])
	}
	slices.Sort(out)
	return out
}

func (c *Clusterer) active(e *event) bool { return c.now.Sub(e.last) < c.opts.Horizon }

func siteKey(s string) string {
	rs := []rune(s)
	return string(rs[max(0, len(rs)-3):])
}

func (c *Clusterer) newEvent(id string) *event {
	if _, taken := c.byID[id]; taken || id == "" {
		// A redelivered or id-less document must not reuse a live event id.
		id = id + "#" + itoa(c.nextSeq)
	}
	e := &event{seq: c.nextSeq, id: id}
	c.nextSeq++
	c.events[e.seq] = e
	c.byID[e.id] = e.seq
	return e
}

func (c *Clusterer) join(e *event, d Doc, contrib []Term) {
	if e.count == 0 || d.Published.Before(e.first) {
		e.first = d.Published
	}
	if d.Published.After(e.last) {
		e.last = d.Published
	}
	e.count++
	e.centroid = top(add(e.centroid, contrib), c.opts.CentroidTerms)
	e.norm = norm(e.centroid)
	for _, s := range d.Sites {
		if len(e.sites) == 0 || !e.hasSite([]string{s}) {
			c.sites[siteKey(s)] = appendSeq(c.sites[siteKey(s)], e.seq)
		}
	}
	for _, s := range d.BodySites {
		c.sites[siteKey(s)] = appendSeq(c.sites[siteKey(s)], e.seq)
	}
	e.sites = addNames(e.sites, d.Sites, 1)
	e.bodySites = addNames(e.bodySites, d.BodySites, 1)
	e.regions = addNames(e.regions, d.Regions, 1)
	e.titleRegions = addNames(e.titleRegions, d.TitleRegions, 1)
	e.crowds = addNames(e.crowds, d.Crowds, 1)
	if d.Source != "" {
		e.sources = addNames(e.sources, []string{d.Source}, 1)
	}
	c.index(e, top(contrib, lookupTerms))
}

func (c *Clusterer) index(e *event, terms []Term) {
	for _, t := range terms {
		if len(e.indexed) >= maxIndexed {
			return
		}
		if i, found := slices.BinarySearch(e.indexed, t.Hash); !found {
			e.indexed = slices.Insert(e.indexed, i, t.Hash)
			c.terms[t.Hash] = appendSeq(c.terms[t.Hash], e.seq)
		}
	}
}

func appendSeq(list []int64, seq int64) []int64 {
	if n := len(list); n > 0 && list[n-1] == seq {
		return list
	}
	return append(list, seq)
}

// merge moves b into a; b's id stops existing.
func (c *Clusterer) merge(a, b *event) {
	a.first = minTime(a.first, b.first)
	if b.last.After(a.last) {
		a.last = b.last
	}
	a.count += b.count
	a.centroid = top(add(a.centroid, b.centroid), c.opts.CentroidTerms)
	a.norm = norm(a.centroid)
	for _, s := range b.sites {
		c.sites[siteKey(s.Name)] = appendSeq(c.sites[siteKey(s.Name)], a.seq)
	}
	for _, s := range b.bodySites {
		c.sites[siteKey(s.Name)] = appendSeq(c.sites[siteKey(s.Name)], a.seq)
	}
	a.sites = mergeNames(a.sites, b.sites)
	a.bodySites = mergeNames(a.bodySites, b.bodySites)
	a.regions = mergeNames(a.regions, b.regions)
	a.titleRegions = mergeNames(a.titleRegions, b.titleRegions)
	a.crowds = mergeNames(a.crowds, b.crowds)
	a.sources = mergeNames(a.sources, b.sources)
	terms := make([]Term, len(b.indexed))
	for i, h := range b.indexed {
		terms[i] = Term{Hash: h}
	}
	c.index(a, terms)
	delete(c.events, b.seq)
	delete(c.byID, b.id)
}

// sweep drops closed events from memory once per tenth of the horizon,
// and their entries from the index.
func (c *Clusterer) sweep() {
	if c.now.Sub(c.swept) < c.opts.Horizon/10 {
		return
	}
	c.swept = c.now
	for seq, e := range c.events {
		if !c.active(e) {
			delete(c.events, seq)
			delete(c.byID, e.id)
		}
	}
	prune := func(list []int64) []int64 {
		return slices.DeleteFunc(list, func(seq int64) bool { _, ok := c.events[seq]; return !ok })
	}
	for h, list := range c.terms {
		if list = prune(list); len(list) == 0 {
			delete(c.terms, h)
		} else {
			c.terms[h] = slices.Clip(list)
		}
	}
	for k, list := range c.sites {
		if list = prune(list); len(list) == 0 {
			delete(c.sites, k)
		} else {
			c.sites[k] = slices.Clip(list)
		}
	}
}

// Event returns an active event by id.
func (c *Clusterer) Event(id string) (Event, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	seq, ok := c.byID[id]
	if !ok {
		return Event{}, false
	}
	return c.events[seq].public(), true
}

// Active is the number of events in memory.
func (c *Clusterer) Active() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.events)
}

// IDF is the inverse document frequency of a term over the documents
// assigned so far, for summaries (see Summarize).
func (c *Clusterer) IDF(term string) float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.df.idf(TermHash(term))
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		if n /= 10; n == 0 {
			return string(b[i:])
		}
	}
}

func names(cs []Count) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}
