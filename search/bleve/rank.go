package bleve

import (
	"cmp"
	"container/heap"
	"slices"

	"minyi"
)

// ranked is one match as the page order sees it.
type ranked struct {
	score     float64
	published int64
	m         *segmentMatch
	doc       uint32
	id        string // read only when score and time tie
	idRead    bool
	topicSize int // grouped by topic: the matches in its topic
}

func (r *ranked) docID() string {
	if !r.idRead {
		if b, err := r.m.seg.DocID(uint64(r.doc)); err == nil {
			r.id = string(b)
		}
		r.idRead = true
	}
	return r.id
}

// before tells whether a comes before b on a page.
func before(a, b *ranked) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.published != b.published {
		return a.published > b.published
	}
	return a.docID() < b.docID()
}

// bySize tells whether topic a comes before topic b when the largest
// topics come first.
func bySize(a, b *ranked) bool {
	if a.topicSize != b.topicSize {
		return a.topicSize > b.topicSize
	}
	return before(a, b)
}

// topK keeps the k matches that come first, worst on top of the heap.
type topK struct {
	k int
	h rankHeap
}

func newTopK(k int, first func(a, b *ranked) bool) *topK {
	return &topK{k: k, h: rankHeap{first: first}}
}

// offer keeps r if it is among the k first so far. Only a kept match is
// copied to the heap: most are not.
func (t *topK) offer(r ranked) {
	if len(t.h.r) < t.k {
		kept := r
		heap.Push(&t.h, &kept)
		return
	}
	if t.k == 0 || !t.h.first(&r, t.h.r[0]) {
		return
	}
	kept := r
	t.h.r[0] = &kept
	heap.Fix(&t.h, 0)
}

// sorted returns the kept matches in page order.
func (t *topK) sorted() []*ranked {
	out := slices.Clone(t.h.r)
	slices.SortFunc(out, func(a, b *ranked) int {
		if t.h.first(a, b) {
			return -1
		}
		return 1
	})
	return out
}

type rankHeap struct {
	r     []*ranked
	first func(a, b *ranked) bool // the page order
}

func (h *rankHeap) Len() int           { return len(h.r) }
func (h *rankHeap) Less(i, j int) bool { return h.first(h.r[j], h.r[i]) } // the worst at the root
func (h *rankHeap) Swap(i, j int)      { h.r[i], h.r[j] = h.r[j], h.r[i] }
func (h *rankHeap) Push(x any)         { h.r = append(h.r, x.(*ranked)) }
func (h *rankHeap) Pop() any {
	x := h.r[len(h.r)-1]
	h.r = h.r[:len(h.r)-1]
	return x
}

// collector gathers what a search returns, from one segment after another:
// the total, the facets, and the first matches, or with GroupByTopic the
// first topics, each by its best match.
type collector struct {
	total  uint64
	facets *facetTally
	top    *topK
	groups map[string]*ranked // by topic, with its size; nil when not grouping
	bySize bool               // topics by size (ranked.topicSize) before score
}

func newCollector(q minyi.SearchQuery) *collector {
	first := before
	if q.TopicsBySize {
		first = bySize
	}
	c := &collector{facets: newFacetTally(), top: newTopK(q.Page*q.PageSize, first), bySize: q.TopicsBySize}
	if q.GroupByTopic {
		c.groups = map[string]*ranked{}
	}
	return c
}

// addToTopic counts r in its topic, and keeps it if it is the topic's best.
func (c *collector) addToTopic(topic string, r ranked) {
	g := c.groups[topic]
	if g == nil {
		kept := r
		kept.topicSize = 1
		c.groups[topic] = &kept
		return
	}
	size := g.topicSize + 1
	if before(&r, g) {
		*g = r
	}
	g.topicSize = size
}

// merge takes in what another collector gathered over other segments.
func (c *collector) merge(o *collector) {
	c.total += o.total
	c.facets.merge(o.facets)
	for _, r := range o.top.h.r {
		c.top.offer(*r)
	}
	for topic, g := range o.groups {
		e := c.groups[topic]
		if e == nil {
			c.groups[topic] = g
			continue
		}
		size := e.topicSize + g.topicSize
		if before(g, e) {
			*e = *g
		}
		e.topicSize = size
	}
}

// page is the first matches or topics, in page order.
func (c *collector) page() []*ranked {
	for _, g := range c.groups {
		c.top.offer(*g)
	}
	c.groups = nil
	return c.top.sorted()
}

// facetTally adds up the facet counts of every segment by value.
type facetTally struct{ counts []map[string]int }

func newFacetTally() *facetTally {
	t := &facetTally{counts: make([]map[string]int, len(facetFields))}
	for i := range t.counts {
		t.counts[i] = map[string]int{}
	}
	return t
}

// add takes one segment's counts by ordinal; ordinal 0 is no value.
func (t *facetTally) add(values [][]string, counts [][]uint64) {
	for f, cs := range counts {
		for ord, n := range cs {
			if ord > 0 && n > 0 {
				t.counts[f][values[f][ord]] += int(n)
			}
		}
	}
}

func (t *facetTally) merge(o *facetTally) {
	for f, cs := range o.counts {
		for v, n := range cs {
			t.counts[f][v] += n
		}
	}
}

// result is the facets as a result carries them: the most frequent values
// of each field up to its limit, days then in calendar order.
func (t *facetTally) result() minyi.SearchFacets {
	top := func(f, limit int) []minyi.FacetCount {
		out := make([]minyi.FacetCount, 0, len(t.counts[f]))
		for v, n := range t.counts[f] {
			out = append(out, minyi.FacetCount{Value: v, Count: n})
		}
		slices.SortFunc(out, func(a, b minyi.FacetCount) int {
			return cmp.Or(b.Count-a.Count, cmp.Compare(a.Value, b.Value))
		})
		return out[:min(len(out), limit)]
	}
	days := top(1, maxDayFacets)
	slices.SortFunc(days, func(a, b minyi.FacetCount) int { return cmp.Compare(a.Value, b.Value) })
	return minyi.SearchFacets{
		Sources:    top(0, maxSourceFacets),
		Days:       days,
		Sentiments: top(2, maxSentimentFacets),
		Categories: top(3, maxCategoryFacets),
	}
}
