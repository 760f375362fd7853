package bleve

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"minyi"
	"minyi/internal/safely"
)

// The segment engine answers a search from the postings bitmaps of each
// segment of the index rather than through bleve's searchers and collector,
// which score, sort and facet one match at a time through doc values:
// fine at ten thousand documents, several hundred milliseconds for a
// common word at a million. Here a clause's candidates are the
// intersection of its terms' bitmaps, filters are bitmaps too, phrase
// positions are checked only for documents every other condition admits,
// and the one pass over the matches reads facets and times from columns
// held in memory (columns.go).
//
// Ranking: each included clause scores 2 when it matches in the title, 1
// in the body, 0.5 only in comments; equal scores come newest first, then
// by id, so pages neither overlap nor skip.

// fieldWeights are the scores of a clause matching in each of textFields.
var fieldWeights = [...]float64{2, 1, 0.5}

// segmentMatch is one segment's part of a search.
type segmentMatch struct {
	seg  segment.Segment
	cols *columns
	hits *roaring.Bitmap
	// in[c][f]: the documents where included clause c matches in text field f.
	in [][]*roaring.Bitmap
}

// snapshot is the index as it stands, held until the caller closes it.
func (x *Indexer) snapshot() (*scorch.IndexSnapshot, error) {
	adv, err := x.index().Advanced()
	if err != nil {
		return nil, fmt.Errorf("bleve index: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("bleve reader: %w", err)
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		r.Close()
		return nil, fmt.Errorf("bleve index is not a scorch index (%T)", r)
	}
	if snap == nil { // closed, or reopened since x.index() (recover.go)
		return nil, fmt.Errorf("bleve search: %w", blevesearch.ErrorIndexClosed)
	}
	return snap, nil
}

// searchSegments runs a search on every segment of the index.
func (x *Indexer) searchSegments(ctx context.Context, q minyi.SearchQuery, tq textQuery) (*minyi.SearchResult, error) {
	snap, err := x.snapshot()
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	segs := snap.Segments()
	live := make([]segment.Segment, len(segs))
	for i, ss := range segs {
		live[i] = ss.Segment()
	}
	defer x.cols.keep(live)
	defer x.positions.keep(live)
	// Segments are independent: each worker matches and collects some of
	// them on its own top and tally, merged at the end.
	workers := min(len(segs), runtime.GOMAXPROCS(0))
	collectors := make([]*collector, workers)
	var next atomic.Int64
	var g safely.Group
	for w := range workers {
		c := newCollector(q)
		collectors[w] = c
		g.Go(func() error {
			for i := int(next.Add(1) - 1); i < len(segs); i = int(next.Add(1) - 1) {
				if err := ctx.Err(); err != nil {
					return err
				}
				m, err := x.matchSegment(segs[i], q, tq)
				if err != nil {
					return err
				}
				if m != nil {
					c.total += m.hits.GetCardinality()
					m.collect(c)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	all := newCollector(q)
	for _, c := range collectors {
		all.merge(c)
	}
	out := &minyi.SearchResult{Total: all.total, Page: q.Page, PageSize: q.PageSize,
		Hits: make([]minyi.SearchHit, 0, q.PageSize), Facets: all.facets.result()}
	ranked := all.page()
	ranked = ranked[min(len(ranked), (q.Page-1)*q.PageSize):]
	// Reading and marking a page's hits analyses their text again: a
	// millisecond for twenty long posts, halved on two processors.
	out.Hits = out.Hits[:len(ranked)]
	var nextHit atomic.Int64
	var pageReads safely.Group
	for range min(len(ranked), runtime.GOMAXPROCS(0)) {
		pageReads.Go(func() error {
			for i := int(nextHit.Add(1) - 1); i < len(ranked); i = int(nextHit.Add(1) - 1) {
				h, err := storedHit(ranked[i], tq.include)
				if err != nil {
					return err
				}
				out.Hits[i] = h
			}
			return nil
		})
	}
	if err := pageReads.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// matchSegment finds the matches of q in one segment; nil when none.
func (x *Indexer) matchSegment(ss *scorch.SegmentSnapshot, q minyi.SearchQuery, tq textQuery) (*segmentMatch, error) {
	seg := ss.Segment()
	n := seg.Count()
	if n == 0 {
		return nil, nil
	}
	hits := roaring.New()
	hits.AddRange(0, n)
	if del := ss.Deleted(); del != nil {
		hits.AndNot(del)
	}
	// Filters first: they are single postings lists.
	for _, f := range [][2]string{
		{fieldSource, q.Source}, {fieldKind, string(q.Kind)},
		{fieldSentiment, string(q.Sentiment)}, {fieldCategory, q.Category}, {fieldTopic, q.Topic},
		{fieldEvent, q.Event},
	} {
		if f[1] == "" || hits.IsEmpty() {
			continue
		}
		dict, err := seg.Dictionary(f[0])
		if err != nil {
			return nil, fmt.Errorf("dictionary of %s: %w", f[0], err)
		}
		bm, err := postings(dict, []byte(f[1]))
		if err != nil {
			return nil, err
		}
		hits.And(bm)
	}
	dicts := make([]segment.TermDictionary, len(textFields))
	for i, f := range textFields {
		var err error
		if dicts[i], err = seg.Dictionary(f); err != nil {
			return nil, fmt.Errorf("dictionary of %s: %w", f, err)
		}
	}
	// Candidates of every included clause, field by field.
	m := &segmentMatch{seg: seg}
	for _, c := range tq.include {
		if hits.IsEmpty() {
			break
		}
		per := make([]*roaring.Bitmap, len(textFields))
		anyField := roaring.New()
		for i, dict := range dicts {
			bm, err := c.candidates(dict)
			if err != nil {
				return nil, err
			}
			per[i] = bm
			anyField.Or(bm)
		}
		hits.And(anyField)
		m.in = append(m.in, per)
	}
	if hits.IsEmpty() {
		return nil, nil
	}
	cols, err := x.cols.get(seg)
	if err != nil {
		return nil, err
	}
	m.cols = cols
	if !q.From.IsZero() || !q.To.IsZero() {
		hits = cols.publishedWithin(hits, q.From, q.To)
	}
	// Now the phrase checks, over what is left, the clause with the fewest
	// candidates first: what it rules out, the others need not check.
	var phrases []int // into tq.include and m.in
	for k, c := range tq.include {
		if !c.exact() {
			phrases = append(phrases, k)
		}
	}
	size := func(k int) (n uint64) {
		for _, bm := range m.in[k] {
			n += bm.GetCardinality()
		}
		return n
	}
	slices.SortFunc(phrases, func(a, b int) int { return cmp.Compare(size(a), size(b)) })
	for _, k := range phrases {
		if hits.IsEmpty() {
			return nil, nil
		}
		anyField := roaring.New()
		for i, dict := range dicts {
			ok, err := tq.include[k].verify(x.fieldReader(seg, i, dict), roaring.And(m.in[k][i], hits))
			if err != nil {
				return nil, err
			}
			m.in[k][i] = ok
			anyField.Or(ok)
		}
		hits.And(anyField)
	}
	for _, c := range tq.exclude {
		if hits.IsEmpty() {
			break
		}
		for i, dict := range dicts {
			bm, err := c.candidates(dict)
			if err != nil {
				return nil, err
			}
			bm.And(hits)
			if !c.exact() {
				if bm, err = c.verify(x.fieldReader(seg, i, dict), bm); err != nil {
					return nil, err
				}
			}
			hits.AndNot(bm)
		}
	}
	if hits.IsEmpty() {
		return nil, nil
	}
	m.hits = hits
	return m, nil
}

// fieldReader is text field i of seg, read through dict.
func (x *Indexer) fieldReader(seg segment.Segment, i int, dict segment.TermDictionary) fieldReader {
	return fieldReader{seg: seg, field: textFields[i], dict: dict, cache: &x.positions}
}

// publishedWithin keeps the documents published in [from, to); a zero
// bound is open.
func (c *columns) publishedWithin(docs *roaring.Bitmap, from, to time.Time) *roaring.Bitmap {
	lo, hi := int64(-1<<63), int64(1<<63-1)
	if !from.IsZero() {
		lo = from.UnixNano()
	}
	if !to.IsZero() {
		hi = to.UnixNano()
	}
	out := roaring.New()
	keep := make([]uint32, 0, 256)
	it := docs.ManyIterator()
	buf := make([]uint32, 256)
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, d := range buf[:n] {
			if p := c.published[d]; p >= lo && p < hi {
				keep = append(keep, d)
			}
		}
		out.AddMany(keep)
		keep = keep[:0]
	}
	return out
}
