// Package simhash finds near-duplicate documents: reposts and copy-paste
// threads whose text differs by a few characters, a prefix such as 转帖 or
// a signature. A document's fingerprint is the 64-bit simhash of its
// segmented words weighted by term frequency; two documents are
// near-duplicates when their fingerprints differ in at most a few bits.
package simhash

import (
	"hash/fnv"
	"math/bits"
	"strings"
	"unicode"
)

// Fingerprint returns the simhash of words. Words without a letter or digit
// (punctuation, spaces) are ignored, so formatting does not move the hash;
// the empty set of words hashes to 0.
func Fingerprint(words []string) uint64 {
	tf := make(map[string]int, len(words))
	for _, w := range words {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) >= 0 {
			tf[w]++
		}
	}
	var v [64]int
	for w, n := range tf {
		h := hash(w)
		for i := range 64 {
			if h&(1<<i) != 0 {
				v[i] += n
			} else {
				v[i] -= n
			}
		}
	}
	var fp uint64
	for i := range 64 {
		if v[i] > 0 {
			fp |= 1 << i
		}
	}
	return fp
}

// hash is FNV-1a followed by the splitmix64 finalizer: FNV alone leaves the
// high bits of short strings poorly mixed, which would bias the simhash.
func hash(s string) uint64 {
	f := fnv.New64a()
	f.Write([]byte(s))
	x := f.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Distance is the number of bits in which two fingerprints differ.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }
