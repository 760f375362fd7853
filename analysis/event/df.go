package event

import "math"

// dfBits sizes the document-frequency sketch: 2 rows of 2^21 counters,
// 16 MiB whatever the vocabulary. A million petitions hold a few hundred
// thousand distinct bigrams; at that load a count-min sketch of this size
// overestimates a rare term's frequency in well under 1% of lookups.
const dfBits = 21

// docFreq counts in how many documents each term occurred, approximately
// from above (count-min), in constant memory.
type docFreq struct {
	rows [2][]uint32
	n    int // documents counted
}

func newDocFreq() *docFreq {
	d := &docFreq{}
	for i := range d.rows {
		d.rows[i] = make([]uint32, 1<<dfBits)
	}
	return d
}

func (d *docFreq) slots(h uint64) (uint64, uint64) {
	const mask = 1<<dfBits - 1
	return h & mask, (h >> 32) & mask
}

func (d *docFreq) add(terms []Term) {
	for _, t := range terms {
		a, b := d.slots(t.Hash)
		if d.rows[0][a] < math.MaxUint32 {
			d.rows[0][a]++
		}
		if d.rows[1][b] < math.MaxUint32 {
			d.rows[1][b]++
		}
	}
	d.n++
}

func (d *docFreq) get(h uint64) uint32 {
	a, b := d.slots(h)
	return min(d.rows[0][a], d.rows[1][b])
}

// idf is the inverse document frequency of a term, ln(1 + N/df): near 0
// for a word every petition uses (领导, 问题), high for the words of one
// problem (搅拌站).
func (d *docFreq) idf(h uint64) float64 {
	return math.Log1p(float64(d.n) / float64(max(d.get(h), 1)))
}
