package bleve

import (
	"cmp"
	"fmt"
	"sync"

	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A phrase check reads term positions from the segment's postings, where a
// term's documents are stored in chunks of about a thousand, each read from
// its start: finding one document of a term that half the index holds
// walks over hundreds of others. A phrase with a rare word beside it
// checks few documents but pays that walk for its common bigrams (小区,
// 问题) over their whole postings; a phrase that a sixth of the index
// holds (停到消防通道) decodes every location of every bigram of it. So the
// positions of a common term are decoded once per segment and field into
// plain arrays, kept while the cache has room, and a check looks its
// documents up there: at 200,000 documents this took the p99 processor
// time of phrases from 12-14 ms to 7 ms, for 58 MiB.

const (
	// heavyTermDocs: a term in fewer documents of a segment is read from
	// the segment: its postings are a chunk or two, a short walk.
	heavyTermDocs = 2048
	// positionCacheBytes bounds the decoded positions kept.
	positionCacheBytes = 256 << 20
)

// decodedPositions are one term's positions in one field of a segment:
// the positions in docs[i] are pos[ends[i-1]:ends[i]], ascending docs.
type decodedPositions struct {
	docs, ends, pos []uint32
}

func decodePositions(pl segment.PostingsList) (*decodedPositions, error) {
	n := pl.Count()
	dp := &decodedPositions{docs: make([]uint32, 0, n), ends: make([]uint32, 0, n)}
	it := pl.Iterator(false, false, true, nil)
	for {
		p, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("term positions: %w", err)
		}
		if p == nil {
			return dp, nil
		}
		for _, l := range p.Locations() {
			dp.pos = append(dp.pos, uint32(l.Pos()))
		}
		dp.docs = append(dp.docs, uint32(p.Number()))
		dp.ends = append(dp.ends, uint32(len(dp.pos)))
	}
}

func (dp *decodedPositions) bytes() int {
	return 4*(cap(dp.docs)+cap(dp.ends)+cap(dp.pos)) + 64
}

// decodedCursor reads decoded positions for ascending documents.
type decodedCursor struct {
	dp  *decodedPositions
	i   int // docs[:i] are before the documents asked for
	out []uint64
}

func (c *decodedCursor) at(doc uint64) ([]uint64, error) {
	docs := c.dp.docs
	// Galloping: the next document asked for is mostly near.
	step := 1
	for c.i+step < len(docs) && uint64(docs[c.i+step]) < doc {
		c.i += step
		step *= 2
	}
	for c.i < len(docs) && uint64(docs[c.i]) < doc {
		c.i++
	}
	if c.i == len(docs) || uint64(docs[c.i]) != doc {
		return nil, nil
	}
	start := uint32(0)
	if c.i > 0 {
		start = c.dp.ends[c.i-1]
	}
	c.out = c.out[:0]
	for _, p := range c.dp.pos[start:c.dp.ends[c.i]] {
		c.out = append(c.out, uint64(p))
	}
	return c.out, nil
}

// positionCache holds decoded positions up to its limit, first come first
// kept: a term that finds it full is read from the segment, as it would be
// without the cache, rather than decoded and dropped again and again.
// Entries go when their segment is merged away.
type positionCache struct {
	mu      sync.Mutex
	entries map[positionKey]*cachedPositions
	used    int // bytes, estimated for entries still decoding
	limit   int // bytes; 0 is positionCacheBytes
}

type positionKey struct {
	seg         segment.Segment
	field, term string
}

type cachedPositions struct {
	once  sync.Once
	dp    *decodedPositions
	err   error
	bytes int // counted in used
}

// get returns the decoded positions of a term, decoding pl the first time,
// or nil when the cache has no room for them.
func (pc *positionCache) get(key positionKey, pl segment.PostingsList) (*decodedPositions, error) {
	pc.mu.Lock()
	if pc.entries == nil {
		pc.entries = map[positionKey]*cachedPositions{}
	}
	e := pc.entries[key]
	if e == nil {
		// At least a document number, an end and a position per document.
		estimate := 12 * int(pl.Count())
		if limit := cmp.Or(pc.limit, positionCacheBytes); pc.used+estimate > limit {
			pc.mu.Unlock()
			return nil, nil
		}
		e = &cachedPositions{bytes: estimate}
		pc.entries[key] = e
		pc.used += estimate
	}
	pc.mu.Unlock()
	e.once.Do(func() {
		e.dp, e.err = decodePositions(pl)
		pc.mu.Lock()
		defer pc.mu.Unlock()
		if pc.entries[key] != e {
			return // its segment went meanwhile
		}
		if e.err != nil {
			delete(pc.entries, key) // the next search tries again
			pc.used -= e.bytes
			return
		}
		pc.used += e.dp.bytes() - e.bytes
		e.bytes = e.dp.bytes()
	})
	return e.dp, e.err
}

// keep drops the entries of segments no longer live (merged away).
func (pc *positionCache) keep(live []segment.Segment) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if len(pc.entries) == 0 {
		return
	}
	in := make(map[segment.Segment]bool, len(live))
	for _, s := range live {
		in[s] = true
	}
	for k, e := range pc.entries {
		if !in[k.seg] {
			delete(pc.entries, k)
			pc.used -= e.bytes
		}
	}
}
