package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// wilson is the 95 % Wilson score interval of a proportion: unlike the
// normal approximation it stays inside [0, 1] and is honest for small
// samples and rates near 1 (a class of 40 messages, a recall of 0.95).
func wilson(right, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 0
	}
	const z = 1.959964
	p, nn := float64(right)/float64(n), float64(n)
	centre := (p + z*z/(2*nn)) / (1 + z*z/nn)
	half := z / (1 + z*z/nn) * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn))
	return centre - half, centre + half
}

// report prints accuracy with its interval, macro-F1 and per-class recall
// (with its interval) and F1, in one block.
func report(name string, rs []scored) {
	acc, macro, per := classification(rs)
	right := int(math.Round(acc * float64(len(rs))))
	lo, hi := wilson(right, len(rs))
	fmt.Printf("%s: n %d  accuracy %.3f [%.3f, %.3f]  macro-F1 %.3f\n", name, len(rs), acc, lo, hi, macro)
	names := make([]string, 0, len(per))
	for c := range per {
		names = append(names, c)
	}
	sort.Strings(names)
	var parts []string
	for _, c := range names {
		s := per[c]
		if s.support == 0 {
			parts = append(parts, fmt.Sprintf("%s predicted %d (no such label)", c, s.predicted))
			continue
		}
		rl, rh := wilson(int(math.Round(s.recall*float64(s.support))), s.support)
		parts = append(parts, fmt.Sprintf("%s recall %.3f [%.3f, %.3f] F1 %.3f (n %d)", c, s.recall, rl, rh, s.f1, s.support))
	}
	fmt.Printf("    %s\n", strings.Join(parts, "; "))
}
