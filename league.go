package minyi

import (
	"sort"
	"strings"
)

// RankDepartments orders departments for the monthly league table and
// returns the red list (best n, best first) and the black list (worst n,
// worst first).
//
// Departments are ranked by 按时答复率 (OnTimeRate), then 响应率
// (ResponseRate), then 满意率 (SatisfactionRate), then by more cases
// received (answering well under a heavier load ranks higher), then by id so
// the order is total and stable.
//
// A department none of whose cases fell due in the window has no on-time
// rate: its OnTimeRate is nil, "not measured", not "always late". Such a
// department ranks by its ResponseRate only: the response rate stands in
// for the on-time rate when it is compared with others, and the later keys
// (satisfaction, load) are not used for it, because a handful of fresh
// cases says little about either.
//
// A department is never on both lists: with fewer than 2n departments each
// list takes half (rounded down) and the middle department of an odd count
// is on neither. Stats with an empty Department (cases still being routed)
// are not a department and are skipped. The input is not modified.
func RankDepartments(stats []DepartmentStats, n int) (red, black []DepartmentStats) {
	if n <= 0 {
		return nil, nil
	}
	ranked := make([]DepartmentStats, 0, len(stats))
	for _, s := range stats {
		if s.Department != "" {
			ranked = append(ranked, s)
		}
	}
	sort.SliceStable(ranked, func(i, j int) bool { return rankedBefore(&ranked[i], &ranked[j]) })

	k := min(n, len(ranked)/2)
	if k == 0 {
		return nil, nil
	}
	red = append([]DepartmentStats(nil), ranked[:k]...)
	black = make([]DepartmentStats, 0, k)
	for i := len(ranked) - 1; i >= len(ranked)-k; i-- {
		black = append(black, ranked[i])
	}
	return red, black
}

// rankedBefore tells whether a ranks strictly better than b.
func rankedBefore(a, b *DepartmentStats) bool {
	if pa, pb := primaryRate(a), primaryRate(b); pa != pb {
		return pa > pb
	}
	if a.Due > 0 && b.Due > 0 {
		if ra, rb := RateValue(a.ResponseRate), RateValue(b.ResponseRate); ra != rb {
			return ra > rb
		}
		if sa, sb := RateValue(a.SatisfactionRate), RateValue(b.SatisfactionRate); sa != sb {
			return sa > sb
		}
		if a.Received != b.Received {
			return a.Received > b.Received
		}
	} else if (a.Due > 0) != (b.Due > 0) {
		// Equal primary rates: a measured on-time rate beats a stand-in.
		return a.Due > 0
	}
	return strings.Compare(a.Department, b.Department) < 0
}

// primaryRate is the on-time rate, or the response rate standing in for it
// when no case fell due.
func primaryRate(s *DepartmentStats) float64 {
	if s.Due == 0 {
		return RateValue(s.ResponseRate)
	}
	return RateValue(s.OnTimeRate)
}
