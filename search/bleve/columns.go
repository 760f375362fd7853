package bleve

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// facetFields are the keyword fields a result counts, in SearchFacets order;
// columnFields adds the topic, by which a search may group.
var (
	facetFields  = []string{fieldSource, fieldDay, fieldSentiment, fieldCategory}
	columnFields = append(slices.Clone(facetFields), fieldTopic)
)

// topicColumn is the topic's index in columnFields.
const topicColumn = 4

// columns is what a search needs of every document of one segment, held in
// memory: the publication time of each document, and the value it has in
// each of columnFields. Segments never change, so neither do these; reading
// them from doc values on every search is what made a search over many
// matches slow (a few hundred nanoseconds per match and field) and pulled
// the whole doc-value section of the index into memory.
type columns struct {
	published []int64 // Unix nanoseconds, by local document number
	// ords[f][doc] indexes values[f]; values[f][0] is "", no value.
	ords   [][]uint32
	values [][]string
	// newest is every document, the most recently published first: a
	// large set of matches is ranked by reading it in this order.
	newest    []uint32
	untopiced *roaring.Bitmap // the documents without a topic
}

// buildColumns reads a segment's columns from its term dictionaries, not
// document by document: a facet value's bitmap is its postings list, and
// publication times are the full-precision terms of the date field.
func buildColumns(seg segment.Segment) (*columns, error) {
	n := seg.Count()
	c := &columns{published: make([]int64, n), ords: make([][]uint32, len(columnFields)), values: make([][]string, len(columnFields))}
	for f, field := range columnFields {
		ords, values := make([]uint32, n), []string{""}
		err := eachTerm(seg, field, nil, nil, func(term []byte, docs *roaring.Bitmap) error {
			ord := uint32(len(values))
			values = append(values, string(term))
			it := docs.Iterator()
			for it.HasNext() {
				if d := it.Next(); uint64(d) < n {
					ords[d] = ord
				}
			}
			return nil
		})
		c.ords[f], c.values[f] = ords, values
		if err != nil {
			return nil, err
		}
	}
	// Shift 0 is the exact value; the other shifts only serve range queries.
	start := []byte{numeric.ShiftStartInt64}
	end := []byte{numeric.ShiftStartInt64 + 1}
	err := eachTerm(seg, fieldPublished, start, end, func(term []byte, docs *roaring.Bitmap) error {
		ns, err := numeric.PrefixCoded(term).Int64()
		if err != nil {
			return fmt.Errorf("published term %x: %w", term, err)
		}
		it := docs.Iterator()
		for it.HasNext() {
			if d := it.Next(); int(d) < len(c.published) {
				c.published[d] = ns
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.newest = make([]uint32, n)
	for d := range c.newest {
		c.newest[d] = uint32(d)
	}
	slices.SortFunc(c.newest, func(a, b uint32) int { return cmp.Compare(c.published[b], c.published[a]) })
	c.untopiced = roaring.New()
	for d, ord := range c.ords[topicColumn] {
		if ord == 0 {
			c.untopiced.Add(uint32(d))
		}
	}
	return c, nil
}

// eachTerm calls fn with every term of field in [start, end) (nil: no
// bound) and the documents that hold it, deleted ones included.
func eachTerm(seg segment.Segment, field string, start, end []byte, fn func([]byte, *roaring.Bitmap) error) error {
	dict, err := seg.Dictionary(field)
	if err != nil {
		return fmt.Errorf("dictionary of %s: %w", field, err)
	}
	it := dict.AutomatonIterator(nil, start, end)
	for {
		e, err := it.Next()
		if err != nil {
			return fmt.Errorf("terms of %s: %w", field, err)
		}
		if e == nil {
			return nil
		}
		docs, err := postings(dict, []byte(e.Term))
		if err != nil {
			return err
		}
		if err := fn([]byte(e.Term), docs); err != nil {
			return err
		}
	}
}

// postings is the bitmap of the documents holding term, deleted ones
// included. The bitmap is a copy the caller may change.
func postings(dict segment.TermDictionary, term []byte) (*roaring.Bitmap, error) {
	pl, err := dict.PostingsList(term, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("postings of %q: %w", term, err)
	}
	it := pl.Iterator(false, false, false, nil)
	// A term in one document is stored inline, without a bitmap.
	if one, ok := it.(interface{ DocNum1Hit() (uint64, bool) }); ok {
		if d, ok := one.DocNum1Hit(); ok {
			return roaring.BitmapOf(uint32(d)), nil
		}
	}
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		if bm := o.ActualBitmap(); bm != nil {
			return bm.Clone(), nil
		}
		return roaring.New(), nil
	}
	// Another segment format: walk it.
	out := roaring.New()
	for {
		p, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("postings of %q: %w", term, err)
		}
		if p == nil {
			return out, nil
		}
		out.Add(uint32(p.Number()))
	}
}

// columnCache holds the columns of the segments searched lately, built
// once each, and forgets those no snapshot holds any more.
type columnCache struct {
	mu   sync.Mutex
	segs map[segment.Segment]*cachedColumns
}

type cachedColumns struct {
	once sync.Once
	cols *columns
	err  error
}

func (cc *columnCache) get(seg segment.Segment) (*columns, error) {
	cc.mu.Lock()
	if cc.segs == nil {
		cc.segs = map[segment.Segment]*cachedColumns{}
	}
	e := cc.segs[seg]
	if e == nil {
		e = &cachedColumns{}
		cc.segs[seg] = e
	}
	cc.mu.Unlock()
	e.once.Do(func() {
		if e.cols, e.err = buildColumns(seg); e.err == nil {
			adviseSearch(seg)
		}
	})
	return e.cols, e.err
}

// keep forgets every segment but live once the cache holds a few more than
// them: merged-away segments are dropped soon, without a pass per search.
func (cc *columnCache) keep(live []segment.Segment) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if len(cc.segs) <= len(live)+8 {
		return
	}
	in := make(map[segment.Segment]bool, len(live))
	for _, s := range live {
		in[s] = true
	}
	for s := range cc.segs {
		if !in[s] {
			delete(cc.segs, s)
		}
	}
}

// warm builds the columns of every segment as the index opens, so that the
// first searches after a restart do not wait for them.
func (x *Indexer) warm() {
	snap, err := x.snapshot()
	if err != nil {
		return // closed already; a search would say so
	}
	defer snap.Close()
	for _, ss := range snap.Segments() {
		x.cols.get(ss.Segment()) // an error shows again in the search that needs them
	}
}
