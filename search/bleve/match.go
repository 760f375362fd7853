package bleve

import (
	"fmt"
	"runtime"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"minyi"
	"minyi/analysis"
	"minyi/internal/safely"
)

// clause is one clause of the user's text as the segment engine runs it:
// the tokens of its phrase and their slots (see phraseSlots).
type clause struct {
	tokens []analysis.Token
	slots  [][]string
	also   []string // terms a match holds besides the slots' (Indexer.narrow)
}

// textQuery is the user's text: a match holds every included clause and no
// excluded one. Blank text has no clauses.
type textQuery struct {
	include, exclude []clause
}

// exact tells a clause that one postings list answers from one that needs
// its term positions checked.
func (c clause) exact() bool { return len(c.slots) == 1 && len(c.slots[0]) == 1 }

// textQuery parses text into what the segment engine runs; text with
// nothing searchable in any included clause is EINVALID.
func (x *Indexer) textQuery(text string) (textQuery, error) {
	var out textQuery
	if isBlank(text) {
		return out, nil
	}
	parsed, err := minyi.ParseQuery(text)
	if err != nil {
		return out, err
	}
	for _, p := range parsed {
		toks := x.phrase(p.Text)
		slots := phraseSlots(toks)
		if slots == nil {
			continue // nothing searchable, e.g. only punctuation
		}
		c := clause{tokens: toks, slots: slots}
		if x.narrow != nil && !c.exact() {
			for _, t := range x.narrow(p.Text) {
				if !slices.ContainsFunc(toks, func(u analysis.Token) bool { return u.Term == t.Term }) {
					c.also = append(c.also, t.Term)
				}
			}
		}
		if p.Exclude {
			out.exclude = append(out.exclude, c)
		} else {
			out.include = append(out.include, c)
		}
	}
	if len(out.include) == 0 {
		return out, minyi.Errorf(minyi.EINVALID, "the search has no letters, digits or Chinese characters to look for")
	}
	return out, nil
}

// candidates are the documents of dict that hold every slot's terms: the
// matches of the clause when it is exact, a superset otherwise.
func (c clause) candidates(dict segment.TermDictionary) (*roaring.Bitmap, error) {
	var out *roaring.Bitmap
	all := slices.Clone(c.slots)
	for _, t := range c.also {
		all = append(all, []string{t})
	}
	for _, slot := range all {
		if len(slot) == 0 {
			continue // a gap any term fills
		}
		var any *roaring.Bitmap
		for _, term := range slot {
			bm, err := postings(dict, []byte(term))
			if err != nil {
				return nil, err
			}
			if any == nil {
				any = bm
			} else {
				any.Or(bm)
			}
		}
		if out == nil {
			out = any
		} else {
			out.And(any)
		}
		if out.IsEmpty() {
			break
		}
	}
	if out == nil {
		out = roaring.New()
	}
	return out, nil
}

// verifyPartDocs is the fewest documents a phrase check runs on in a part
// of its own: below it, starting a goroutine and looking the terms up
// again costs more than checking.
const verifyPartDocs = 512

// fieldReader is one text field of one segment, as a phrase check reads it.
type fieldReader struct {
	seg   segment.Segment
	field string
	dict  segment.TermDictionary // not safe for concurrent use
	cache *positionCache         // nil: every term is read from the segment
}

// verify keeps the documents of docs in which the clause's slots occur at
// consecutive positions of one field: the phrase check, made only for the
// few documents that every other condition has already admitted. Many
// documents are checked in parts side by side, each a run of ascending
// documents: segments are searched side by side too, but a large one
// would otherwise keep one processor busy while the other has finished.
func (c clause) verify(fr fieldReader, docs *roaring.Bitmap) (*roaring.Bitmap, error) {
	n := docs.GetCardinality()
	parts := min(uint64(runtime.GOMAXPROCS(0)), n/verifyPartDocs)
	if parts <= 1 {
		return c.verifyRun(fr, docs)
	}
	outs := make([]*roaring.Bitmap, parts)
	var g safely.Group
	for p := range parts {
		from, err := docs.Select(uint32(n * p / parts))
		if err != nil {
			return nil, err
		}
		to := uint64(docs.Maximum()) + 1
		if p+1 < parts {
			next, err := docs.Select(uint32(n * (p + 1) / parts))
			if err != nil {
				return nil, err
			}
			to = uint64(next)
		}
		part := roaring.New()
		part.AddRange(uint64(from), to)
		part.And(docs)
		g.Go(func() error {
			own := fr
			var err error
			if own.dict, err = fr.seg.Dictionary(fr.field); err != nil {
				return fmt.Errorf("dictionary of %s: %w", fr.field, err)
			}
			outs[p], err = c.verifyRun(own, part)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return roaring.FastOr(outs...), nil
}

// positionReader gives a term's positions in ascending documents.
type positionReader interface {
	at(doc uint64) ([]uint64, error)
}

// verifyRun is verify on one goroutine.
func (c clause) verifyRun(fr fieldReader, docs *roaring.Bitmap) (*roaring.Bitmap, error) {
	out := roaring.New()
	if docs.IsEmpty() {
		return out, nil
	}
	slots := make([][]positionReader, len(c.slots))
	for i, slot := range c.slots {
		for _, term := range slot {
			pl, err := fr.dict.PostingsList([]byte(term), nil, nil)
			if err != nil {
				return nil, fmt.Errorf("postings of %q: %w", term, err)
			}
			if fr.cache != nil && pl.Count() >= heavyTermDocs {
				dp, err := fr.cache.get(positionKey{fr.seg, fr.field, term}, pl)
				if err != nil {
					return nil, err
				}
				if dp != nil {
					slots[i] = append(slots[i], &decodedCursor{dp: dp})
					continue
				}
			}
			slots[i] = append(slots[i], &positionCursor{it: pl.Iterator(false, false, true, nil)})
		}
	}
	positions := make([][]uint64, len(slots))
	it := docs.Iterator()
	for it.HasNext() {
		doc := uint64(it.Next())
		for i, cursors := range slots {
			positions[i] = positions[i][:0]
			for _, cur := range cursors {
				ps, err := cur.at(doc)
				if err != nil {
					return nil, err
				}
				positions[i] = append(positions[i], ps...)
			}
		}
		if aligned(positions, c.slots) {
			out.Add(uint32(doc))
		}
	}
	return out, nil
}

// aligned tells whether some position p has slot i's terms at p+i for
// every slot that is not a gap.
func aligned(positions [][]uint64, slots [][]string) bool {
	for i := range positions {
		slices.Sort(positions[i])
	}
next:
	for _, p := range positions[0] {
		for i := 1; i < len(slots); i++ {
			if len(slots[i]) == 0 {
				continue
			}
			if _, found := slices.BinarySearch(positions[i], p+uint64(i)); !found {
				continue next
			}
		}
		return true
	}
	return false
}

// positionCursor walks one term's postings forward, one document at a time.
type positionCursor struct {
	it   segment.PostingsIterator
	doc  uint64 // of the posting it stands on
	pos  []uint64
	done bool
	read bool // it stands on a posting
}

// at returns the term's positions in doc, none when the term is not in it.
// Calls must come with ascending documents.
func (c *positionCursor) at(doc uint64) ([]uint64, error) {
	if c.done || (c.read && c.doc > doc) {
		return nil, nil
	}
	if !c.read || c.doc < doc {
		p, err := c.it.Advance(doc)
		if err != nil {
			return nil, fmt.Errorf("term positions: %w", err)
		}
		if p == nil {
			c.done = true
			return nil, nil
		}
		c.read, c.doc, c.pos = true, p.Number(), c.pos[:0]
		for _, l := range p.Locations() {
			c.pos = append(c.pos, l.Pos())
		}
	}
	if c.doc != doc {
		return nil, nil
	}
	return c.pos, nil
}
