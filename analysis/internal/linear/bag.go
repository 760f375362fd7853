// Package linear is the multinomial logistic regression shared by the
// sentiment and category models: sparse hashed features in, one weight
// vector per class out. Hashing keeps the model a fixed, small array whatever
// the vocabulary of the training corpora, and makes feature extraction a few
// multiplications per character instead of map lookups.
package linear

import "math"

// Bag collects the hashed features of one document. It is reused between
// documents (Reset) so that extraction allocates little in steady state.
type Bag struct {
	dim   uint32
	items []item
	// slot[i] is 1 + the position in items of feature i, valid while
	// stamp[i] == round: repeated features merge in O(1), without a sort
	// or a map, and Reset is O(1).
	slot  []int32
	stamp []uint32
	round uint32
}

type item struct {
	index uint32
	value float32
}

// NewBag returns a bag for a feature space of 2^bits dimensions.
func NewBag(bits uint) *Bag {
	return &Bag{dim: 1 << bits, slot: make([]int32, 1<<bits), stamp: make([]uint32, 1<<bits), round: 1}
}

// Reset empties the bag.
func (b *Bag) Reset() {
	b.items = b.items[:0]
	b.round++
	if b.round == 0 { // wrapped: old stamps could match again
		clear(b.stamp)
		b.round = 1
	}
}

// Add puts a feature with hash h and value v into the bag. A feature added
// again keeps the larger value: it says the same whether it occurs once or
// five times, and presence is more robust than counts on short, repetitive
// texts.
func (b *Bag) Add(h uint32, v float32) {
	i := h & (b.dim - 1)
	if b.stamp[i] == b.round {
		it := &b.items[b.slot[i]]
		it.value = max(it.value, v)
		return
	}
	b.stamp[i], b.slot[i] = b.round, int32(len(b.items))
	b.items = append(b.items, item{i, v})
}

// Vector is a sparse feature vector.
type Vector struct {
	Index []uint32
	Value []float32
}

// Vector returns the bag's features scaled to unit length, so that long and
// short documents weigh alike. extra features (prior-knowledge scores such
// as a lexicon's) are appended unscaled at indices past the hashed space.
func (b *Bag) Vector(extra ...Feature) Vector {
	v := Vector{Index: make([]uint32, 0, len(b.items)+len(extra)), Value: make([]float32, 0, len(b.items)+len(extra))}
	var norm float64
	for _, it := range b.items {
		norm += float64(it.value) * float64(it.value)
	}
	s := float32(1)
	if norm > 0 {
		s = float32(1 / math.Sqrt(norm))
	}
	for _, it := range b.items {
		v.Index = append(v.Index, it.index)
		v.Value = append(v.Value, it.value*s)
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
