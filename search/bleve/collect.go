package bleve

import (
	"cmp"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// collect gathers a segment's part of the result: the facets of every
// match, and the matches (or topics) that may come on the page. Most
// matches cannot: a common word matches half the index and the page shows
// twenty. So matches are split into tiers of equal score, bitmap by bitmap,
// and a large tier is read newest first from the segment's time order
// until it can give no better match; only the matches in a topic, when
// grouping, are ranked one by one, as their topic's size needs them all.
func (m *segmentMatch) collect(c *collector) {
	c.facets.add(m.cols.values, m.facetCounts())
	singles, topicSize := m.hits, 0
	if c.groups != nil {
		topics, topicNames := m.cols.ords[topicColumn], m.cols.values[topicColumn]
		inTopic := roaring.AndNot(m.hits, m.cols.untopiced)
		it := inTopic.ManyIterator()
		buf := make([]uint32, 256)
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			for _, d := range buf[:n] {
				c.addToTopic(topicNames[topics[d]], ranked{score: m.score(d), published: m.cols.published[d], m: m, doc: d})
			}
		}
		// A document without a topic is a group of its own.
		singles, topicSize = roaring.And(m.hits, m.cols.untopiced), 1
	}
	for _, t := range m.tiers(singles) {
		if !c.mayEnter(t.score, topicSize) {
			return // the tiers come best first: no later one can either
		}
		m.offerTier(c, t, topicSize)
	}
}

// facetCounts are the matches of each facet field's values, by ordinal.
func (m *segmentMatch) facetCounts() [][]uint64 {
	counts := make([][]uint64, len(facetFields))
	for f := range counts {
		counts[f] = make([]uint64, len(m.cols.values[f]))
	}
	it := m.hits.ManyIterator()
	buf := make([]uint32, 256)
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for f, ords := range m.cols.ords[:len(facetFields)] {
			cf := counts[f]
			for _, d := range buf[:n] {
				cf[ords[d]]++
			}
		}
	}
	return counts
}

// score is one match's score: each included clause adds the weight of the
// first text field it matches in.
func (m *segmentMatch) score(d uint32) float64 {
	score := 0.0
	for _, per := range m.in {
		for f, bm := range per {
			if bm.Contains(d) {
				score += fieldWeights[f]
				break
			}
		}
	}
	return score
}

// tier is the matches of one score.
type tier struct {
	score float64
	docs  *roaring.Bitmap
}

// tiers splits docs by score, best first, with the same rule as score.
func (m *segmentMatch) tiers(docs *roaring.Bitmap) []tier {
	ts := []tier{{0, docs}}
	for _, per := range m.in {
		var next []tier
		add := func(score float64, docs *roaring.Bitmap) {
			if docs.IsEmpty() {
				return
			}
			if k := slices.IndexFunc(next, func(t tier) bool { return t.score == score }); k >= 0 {
				next[k].docs.Or(docs)
				return
			}
			next = append(next, tier{score, docs})
		}
		for _, t := range ts {
			rest := t.docs
			for f, bm := range per {
				add(t.score+fieldWeights[f], roaring.And(rest, bm))
				rest = roaring.AndNot(rest, bm)
			}
			add(t.score, rest) // none: a match holds every included clause
		}
		ts = next
	}
	slices.SortFunc(ts, func(a, b tier) int { return cmp.Compare(b.score, a.score) })
	return ts
}

// offerTier offers the collector the matches of t that may come first. A
// tier much larger than the page is read in the segment's newest-first
// order, which ranks a tier, up to the first k of it and those as new as
// the k-th (ties are for the collector's id order to break); reading that
// order costs a lookup in the tier per document passed, so a small tier is
// read whole instead.
func (m *segmentMatch) offerTier(c *collector, t tier, topicSize int) {
	k := uint64(c.top.k)
	n, size := t.docs.GetCardinality(), uint64(len(m.cols.newest))
	offer := func(d uint32) {
		c.top.offer(ranked{score: t.score, published: m.cols.published[d], m: m, doc: d, topicSize: topicSize})
	}
	if n*n <= 2*k*size {
		// Last documents first: they are mostly the newest, and a match
		// that is not among the first k costs the collector one comparison.
		it := t.docs.ReverseIterator()
		for it.HasNext() {
			offer(it.Next())
		}
		return
	}
	var offered uint64
	var last int64
	for _, d := range m.cols.newest {
		if !t.docs.Contains(d) {
			continue
		}
		p := m.cols.published[d]
		if offered >= k && p != last {
			return
		}
		offer(d)
		offered, last = offered+1, p
	}
}

// mayEnter tells whether a match of the given score and topic size could
// still take a place on the page.
func (c *collector) mayEnter(score float64, topicSize int) bool {
	if c.top.k == 0 {
		return false
	}
	if len(c.top.h.r) < c.top.k {
		return true
	}
	worst := c.top.h.r[0]
	if c.bySize && worst.topicSize != topicSize {
		return topicSize > worst.topicSize
	}
	return score >= worst.score
}
