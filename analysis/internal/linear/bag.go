// Package linear is the multinomial logistic regression shared by the
// sentiment and category models: sparse hashed features in, one weight
// vector per class out. Hashing keeps the model a fixed, small array whatever
// the vocabulary of the training corpora, and makes feature extraction a few
// multiplications per character instead of map lookups.
package linear

import (
	"math"
	"slices"
)

// Bag collects the hashed features of one document. It is reused between
// documents (Reset) so that extraction allocates nothing in steady state.
type Bag struct {
	dim   uint32
	items []item
}

type item struct {
	index uint32
	value float32
}

// NewBag returns a bag for a feature space of 2^bits dimensions.
func NewBag(bits uint) *Bag { return &Bag{dim: 1 << bits} }

// Reset empties the bag.
func (b *Bag) Reset() { b.items = b.items[:0] }

// Add puts a feature with hash h and value v into the bag.
func (b *Bag) Add(h uint32, v float32) {
	b.items = append(b.items, item{h & (b.dim - 1), v})
}

// Vector is a sparse feature vector with indices in increasing order.
type Vector struct {
	Index []uint32
	Value []float32
}

// Vector merges repeated features, keeping the largest value (a feature says
// the same whether it occurs once or five times: presence is more robust than
// counts on short, repetitive texts), and scales the vector to unit length so
// that long and short documents weigh alike. extra features (prior-knowledge
// scores such as a lexicon's) are appended unscaled at indices past the hashed
// space; they must be in increasing order of index.
func (b *Bag) Vector(extra ...Feature) Vector {
	slices.SortFunc(b.items, func(x, y item) int {
		switch {
		case x.index < y.index:
			return -1
		case x.index > y.index:
			return 1
		}
		return 0
	})
	var v Vector
	v.Index = make([]uint32, 0, len(b.items)+len(extra))
	v.Value = make([]float32, 0, len(b.items)+len(extra))
	var norm float64
	for i, it := range b.items {
		if i > 0 && it.index == b.items[i-1].index {
			last := len(v.Value) - 1
			v.Value[last] = max(v.Value[last], it.value)
			continue
		}
		v.Index = append(v.Index, it.index)
		v.Value = append(v.Value, it.value)
	}
	for _, x := range v.Value {
		norm += float64(x) * float64(x)
	}
	if norm > 0 {
		s := float32(1 / math.Sqrt(norm))
		for i := range v.Value {
			v.Value[i] *= s
		}
	}
	for _, f := range extra {
		v.Index = append(v.Index, b.dim+f.Slot)
		v.Value = append(v.Value, f.Value)
	}
	return v
}

// Feature is a named slot past the hashed space, for dense features.
type Feature struct {
	Slot  uint32
	Value float32
}

// Hash is FNV-1a over runes, seeded so that n-grams of different orders or
// kinds (title, body, word) land in different places.
func Hash(seed uint32, rs []rune) uint32 {
	h := start(seed)
	for _, r := range rs {
		h = mix(h, r)
	}
	return h
}

// HashString is Hash over the runes of s.
func HashString(seed uint32, s string) uint32 {
	h := start(seed)
	for _, r := range s {
		h = mix(h, r)
	}
	return h
}

func start(seed uint32) uint32 { return 2166136261 ^ seed*16777619 }

// mix takes a rune's low and high halves in two FNV steps, so that the
// CJK characters (which differ mostly in their low 16 bits) spread well.
func mix(h uint32, r rune) uint32 {
	h = (h ^ uint32(r)) * 16777619
	return (h ^ uint32(r)>>16) * 16777619
}
