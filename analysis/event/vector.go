package event

import (
	"math"
	"slices"
)

// Vectors are []Term sorted by hash; weights are tf-idf.

func norm(v []Term) float64 {
	var s float64
	for _, t := range v {
		s += float64(t.Weight) * float64(t.Weight)
	}
	return math.Sqrt(s)
}

func dot(a, b []Term) float64 {
	var s float64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].Hash < b[j].Hash:
			i++
		case a[i].Hash > b[j].Hash:
			j++
		default:
			s += float64(a[i].Weight) * float64(b[j].Weight)
			i++
			j++
		}
	}
	return s
}

func cosine(a []Term, na float64, b []Term, nb float64) float64 {
	if na == 0 || nb == 0 {
		return 0
	}
	return dot(a, b) / (na * nb)
}

// add returns a + b.
func add(a, b []Term) []Term {
	out := make([]Term, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].Hash < b[j].Hash:
			out = append(out, a[i])
			i++
		case a[i].Hash > b[j].Hash:
			out = append(out, b[j])
			j++
		default:
			out = append(out, Term{a[i].Hash, a[i].Weight + b[j].Weight})
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// top keeps the n heaviest terms of v (ties: lower hash), sorted by hash.
func top(v []Term, n int) []Term {
	if len(v) <= n {
		return v
	}
	byWeight := slices.Clone(v)
	slices.SortFunc(byWeight, heavierFirst)
	byWeight = byWeight[:n]
	slices.SortFunc(byWeight, func(a, b Term) int { return cmpUint64(a.Hash, b.Hash) })
	return byWeight
}

func heavierFirst(a, b Term) int {
	switch {
	case a.Weight > b.Weight:
		return -1
	case a.Weight < b.Weight:
		return 1
	}
	return cmpUint64(a.Hash, b.Hash)
}

// unit scales v to length 1 in place.
func unit(v []Term) []Term {
	n := norm(v)
	if n == 0 {
		return v
	}
	for i := range v {
		v[i].Weight = float32(float64(v[i].Weight) / n)
	}
	return v
}
